//! Dates and small text helpers in the reader's language.

use crate::accounts::Day;
use crate::i18n::*;
use crate::timetable::rules::{civil_from_days, weekday_of};

pub fn weekday_text(weekday: u8) -> String {
    let i18n = use_i18n();
    match weekday {
        0 => t_string!(i18n, weekdays.d0),
        1 => t_string!(i18n, weekdays.d1),
        2 => t_string!(i18n, weekdays.d2),
        3 => t_string!(i18n, weekdays.d3),
        4 => t_string!(i18n, weekdays.d4),
        5 => t_string!(i18n, weekdays.d5),
        _ => t_string!(i18n, weekdays.d6),
    }
    .to_string()
}

/// The short name on a day tab: "Дш", "Пн", "Mon" (not the first letters of the full name,
/// which in Russian gives "По", "Че").
pub fn weekday_short(weekday: u8) -> String {
    let i18n = use_i18n();
    match weekday {
        0 => t_string!(i18n, weekdays_short.d0),
        1 => t_string!(i18n, weekdays_short.d1),
        2 => t_string!(i18n, weekdays_short.d2),
        3 => t_string!(i18n, weekdays_short.d3),
        4 => t_string!(i18n, weekdays_short.d4),
        5 => t_string!(i18n, weekdays_short.d5),
        _ => t_string!(i18n, weekdays_short.d6),
    }
    .to_string()
}

pub fn month_text(month: u8) -> String {
    month_in(use_i18n().get_locale_untracked(), month)
}

/// A month's name in a given language (a notice is written in its reader's, not the page's).
pub fn month_in(locale: Locale, month: u8) -> String {
    match month {
        1 => td_string!(locale, months.m1),
        2 => td_string!(locale, months.m2),
        3 => td_string!(locale, months.m3),
        4 => td_string!(locale, months.m4),
        5 => td_string!(locale, months.m5),
        6 => td_string!(locale, months.m6),
        7 => td_string!(locale, months.m7),
        8 => td_string!(locale, months.m8),
        9 => td_string!(locale, months.m9),
        10 => td_string!(locale, months.m10),
        11 => td_string!(locale, months.m11),
        _ => td_string!(locale, months.m12),
    }
    .to_string()
}

/// "Жекшемби, 22-ноябрь 2026", "Воскресенье, 22 ноября 2026", "Sunday, 22 November 2026".
pub fn day_text(day: &Day) -> String {
    let i18n = use_i18n();
    t_string!(
        i18n,
        date.full,
        weekday = weekday_text(day.weekday),
        day = day.day,
        month = month_text(day.month),
        year = day.year
    )
    .to_string()
}

/// A date without its weekday, to follow a preposition: "2-декабрь, 2026-ж.", "2 декабря 2026 г.".
pub fn date_label(days: i64) -> String {
    date_in(use_i18n().get_locale_untracked(), days)
}

/// A `YYYY-MM-DD` date as people read it (the text itself when it is not one).
pub fn iso_text(iso: &str) -> String {
    crate::timetable::rules::parse_date(iso).map_or_else(|| iso.to_string(), date_label)
}

/// A `YYYY-MM-DD` date with its weekday, as a lesson card heads it (the text itself when it is
/// not a date).
pub fn iso_day(iso: &str) -> String {
    crate::timetable::rules::parse_date(iso).map_or_else(|| iso.to_string(), day_label)
}

/// A `YYYY-MM-DD` date in the short `02.12.2026` form that a table column has room for.
pub fn iso_dotted(iso: &str) -> String {
    crate::timetable::rules::parse_date(iso)
        .map_or_else(|| iso.to_string(), crate::timetable::rules::dotted_date)
}

/// `date_label` in a given language.
pub fn date_in(locale: Locale, days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    td_string!(
        locale,
        date.plain,
        day = day,
        month = month_in(locale, month as u8),
        year = year
    )
    .to_string()
}

/// Percent-encodes a path with its query for use inside another query value.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// "Шаршемби, 15-март 2027" in the reader's language.
pub fn day_label(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    day_text(&Day {
        year,
        month: month as u8,
        day: day as u8,
        weekday: weekday_of(days),
    })
}

/// Two days as a span, "Дүйшөмбү, 15-март 2027 — Шейшемби, 30-март 2027"; one day alone when
/// they are the same.
pub fn day_range(first: i64, last: i64) -> String {
    if first == last {
        day_label(first)
    } else {
        format!("{} — {}", day_label(first), day_label(last))
    }
}

/// A unix instant as a Bishkek date and time, `2026-12-04 18:00` (UTC+6 all year).
pub fn when(unix: i64) -> String {
    let (day, minute) = crate::timetable::rules::bishkek_day_minute(unix);
    format!(
        "{} {}",
        crate::timetable::rules::iso_date(day),
        crate::timetable::ui::hhmm(minute)
    )
}

/// A unix instant as people read it, in Bishkek time: "Бейшемби, 4-декабрь, 18:00".
pub fn when_text(unix: i64) -> String {
    let i18n = use_i18n();
    let (days, minute) = crate::timetable::rules::bishkek_day_minute(unix);
    let (_, month, day) = civil_from_days(days);
    t_string!(
        i18n,
        date.day_time,
        weekday = weekday_text(weekday_of(days)),
        day = day,
        month = month_text(month as u8),
        time = crate::timetable::ui::hhmm(minute)
    )
    .to_string()
}

/// Class names as people order them: by the number first (1В before 10А), then the rest.
pub fn class_order(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |name: &str| {
        let digits = name.chars().take_while(|c| c.is_ascii_digit()).count();
        (
            name[..digits].parse::<u32>().unwrap_or(u32::MAX),
            name[digits..].to_string(),
        )
    };
    split(a).cmp(&split(b))
}

/// A spreadsheet cell: quoted, and never read as a formula (a name starting with `=` stays text).
pub fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn classes_sort_by_their_number_first() {
        let mut names = vec!["10А", "1В", "ПИ-1-24", "2А", "1А", "11Б"];
        names.sort_by(|a, b| super::class_order(a, b));
        assert_eq!(names, ["1А", "1В", "2А", "10А", "11Б", "ПИ-1-24"]);
    }

    #[test]
    fn when_reads_in_bishkek_time() {
        // 2026-12-01 18:00 UTC is midnight in Bishkek.
        assert_eq!(super::when(1_796_148_000), "2026-12-02 00:00");
    }

    #[test]
    fn url_encode_keeps_paths_readable_and_escapes_the_rest() {
        assert_eq!(
            super::url_encode("/admin/users?q=ай"),
            "/admin/users%3Fq%3D%D0%B0%D0%B9"
        );
    }

    /// No string of any language lets a number part from its unit or a Kyrgyz date from its
    /// suffix at a line end ("80 / %", "2026- / ж."); strings.py ties them when it writes the files.
    #[test]
    fn numbers_stay_with_their_units_in_every_language() {
        for (name, text) in [
            ("ky", include_str!("../../locales/ky.json")),
            ("ru", include_str!("../../locales/ru.json")),
            ("en", include_str!("../../locales/en.json")),
        ] {
            let bad = breakable_units(text);
            assert!(
                bad.is_empty(),
                "{name}: a breakable space or hyphen in {bad:?}"
            );
        }
    }

    /// The places in a locale file where a placeholder or digit meets "%", "мүн", "мин", "min"
    /// or "-ж." across a plain space or hyphen.
    fn breakable_units(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for line in text.lines() {
            for unit in [" %", " мүн", " мин", " min", "-ж.", " г."] {
                for (at, _) in line.match_indices(unit) {
                    let before = &line[..at];
                    if before.ends_with("}}") || before.ends_with(|c: char| c.is_ascii_digit()) {
                        found.push(line.trim().to_string());
                    }
                }
            }
        }
        found
    }
}
