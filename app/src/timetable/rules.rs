//! Pure timetable rules: teaching weeks, clashes, "now / next". No I/O, no clock: callers pass
//! the time in, so every edge (period boundaries, midnight in Bishkek) is testable.

use super::Weeks;

/// Which teaching week of the school year a day falls in: week 1 is the week (Monday-Sunday)
/// holding the first day of the year. Days are counted since the Unix epoch (1970-01-01, a Thursday).
pub fn teaching_week(day: i64, year_start: i64) -> i64 {
    // Monday of a day's week: the epoch was a Thursday, so shift by 3 before flooring to weeks.
    let monday = |d: i64| d - (d + 3).rem_euclid(7);
    (monday(day) - monday(year_start)).div_euclid(7) + 1
}

/// 0 = Monday ... 6 = Sunday, for days since the Unix epoch.
pub fn weekday_of(day: i64) -> u8 {
    (day + 3).rem_euclid(7) as u8
}

impl Weeks {
    /// Whether a lesson with this rule runs in teaching week `week`.
    pub fn runs_in(self, week: i64) -> bool {
        match self {
            Weeks::All => true,
            Weeks::Odd => week.rem_euclid(2) == 1,
            Weeks::Even => week.rem_euclid(2) == 0,
            Weeks::Range { from, to } => (from as i64..=to as i64).contains(&week),
        }
    }

    /// Whether two rules share at least one week (then two lessons in one slot clash).
    pub fn overlaps(self, other: Weeks) -> bool {
        (1..=53).any(|w| self.runs_in(w) && other.runs_in(w))
    }

    pub fn as_db(self) -> String {
        match self {
            Weeks::All => "all".into(),
            Weeks::Odd => "odd".into(),
            Weeks::Even => "even".into(),
            Weeks::Range { from, to } => format!("{from}-{to}"),
        }
    }

    pub fn from_db(raw: &str) -> Option<Weeks> {
        match raw.trim() {
            "all" | "" => Some(Weeks::All),
            "odd" => Some(Weeks::Odd),
            "even" => Some(Weeks::Even),
            range => {
                let (from, to) = range.split_once('-')?;
                let (from, to): (u8, u8) = (from.trim().parse().ok()?, to.trim().parse().ok()?);
                (1 <= from && from <= to && to <= 53).then_some(Weeks::Range { from, to })
            }
        }
    }
}

/// What a lesson occupies, for clash checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub lesson_id: i64,
    pub weekday: u8,
    pub period: i64,
    pub class_id: i64,
    pub teacher_id: i64,
    /// Online lessons have no room.
    pub room: Option<String>,
    pub weeks: Weeks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ClashKind {
    /// The teacher would be in two places.
    Teacher,
    /// The class would have two lessons at once.
    Class,
    /// Two lessons in one room.
    Room,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub kind: ClashKind,
    pub with_lesson: i64,
}

/// Every clash a new or moved lesson would make with the others (itself excluded by id).
pub fn clashes(existing: &[Slot], candidate: &Slot) -> Vec<Clash> {
    let mut found = Vec::new();
    for other in existing {
        let same_time = other.lesson_id != candidate.lesson_id
            && other.weekday == candidate.weekday
            && other.period == candidate.period
            && other.weeks.overlaps(candidate.weeks);
        if !same_time {
            continue;
        }
        if other.teacher_id == candidate.teacher_id {
            found.push(Clash {
                kind: ClashKind::Teacher,
                with_lesson: other.lesson_id,
            });
        }
        if other.class_id == candidate.class_id {
            found.push(Clash {
                kind: ClashKind::Class,
                with_lesson: other.lesson_id,
            });
        }
        let room = |r: &Option<String>| {
            r.as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_lowercase)
        };
        if room(&other.room).is_some() && room(&other.room) == room(&candidate.room) {
            found.push(Clash {
                kind: ClashKind::Room,
                with_lesson: other.lesson_id,
            });
        }
    }
    found
}

/// The clash to tell first: the class's own double lesson, then the teacher, then the room.
pub fn main_clash(found: &[Clash]) -> Option<&Clash> {
    found.iter().min_by_key(|c| match c.kind {
        ClashKind::Class => 0,
        ClashKind::Teacher => 1,
        ClashKind::Room => 2,
    })
}

/// A lesson's change on a date, as the clash check needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateChange {
    Cancelled,
    Substitute(i64),
    MovedTo(i64),
}

/// The lessons held on one date: the weekday's weekly lessons that run in that teaching week,
/// without the cancelled ones, with substitutes and moves applied (`changes` by lesson id).
pub fn slots_on_date(weekly: &[Slot], week: i64, changes: &[(i64, DateChange)]) -> Vec<Slot> {
    weekly
        .iter()
        .filter(|s| s.weeks.runs_in(week))
        .filter_map(|s| {
            let mut held = Slot {
                weeks: Weeks::All,
                ..s.clone()
            };
            match changes
                .iter()
                .find(|(id, _)| *id == s.lesson_id)
                .map(|(_, c)| *c)
            {
                Some(DateChange::Cancelled) => return None,
                Some(DateChange::Substitute(teacher)) => held.teacher_id = teacher,
                Some(DateChange::MovedTo(period)) => held.period = period,
                None => {}
            }
            Some(held)
        })
        .collect()
}

/// A change made at `now` (unix seconds) for the lesson day `day` goes to parents as a notice by
/// itself when it is for tomorrow and made from 18:00 on (Bishkek): they may not look again.
pub fn late_change_for_tomorrow(now: i64, day: i64) -> bool {
    let (today, minute) = bishkek_day_minute(now);
    day == today + 1 && minute >= 18 * 60
}

/// Bishkek is UTC+6 all year (no daylight saving since 2005), so a fixed offset is exact.
pub const BISHKEK_OFFSET_SECS: i64 = 6 * 3600;

/// The Bishkek calendar day (days since 1970-01-01) and the minute of that day (0-1439) of a
/// unix instant: the one place that turns an instant into school time.
pub fn bishkek_day_minute(unix: i64) -> (i64, i64) {
    let local = unix + BISHKEK_OFFSET_SECS;
    (local.div_euclid(86_400), local.rem_euclid(86_400) / 60)
}

/// The instant (Unix ms) a Bishkek calendar day (days since 1970-01-01) begins.
pub fn bishkek_midnight_ms(day: i64) -> i64 {
    (day * 86_400 - BISHKEK_OFFSET_SECS) * 1000
}

/// How early a Join counts as present: students open the link a few minutes before the bell.
pub const JOIN_EARLY_MIN: i64 = 10;

/// Whether a Join at `minute` of day `today` records attendance of the occurrence on `day` that
/// runs from `starts` to `ends` (minutes of its day): only on that day, from `JOIN_EARLY_MIN`
/// before the start until the end. Outside that window Join only opens the link.
pub fn join_counts_as_attendance(
    day: i64,
    starts: i64,
    ends: i64,
    today: i64,
    minute: i64,
) -> bool {
    day == today && (starts - JOIN_EARLY_MIN..=ends).contains(&minute)
}

/// The lesson going on and the one coming next, as indexes into `spans` (start, end) in minutes
/// since midnight, sorted by start. A lesson runs from its start (inclusive) to its end (exclusive).
pub fn now_and_next(spans: &[(i64, i64)], minute: i64) -> (Option<usize>, Option<usize>) {
    let now = spans
        .iter()
        .position(|(start, end)| *start <= minute && minute < *end);
    let next = spans.iter().position(|(start, _)| *start > minute);
    (now, next)
}

/// How many subject colours the design system has (`.subject-0` … in style/main.css).
pub const SUBJECT_COLOURS: u32 = 8;

/// A subject's colour, the same on every page and every day: from its English name (FNV-1a),
/// so it does not change with the reader's language.
pub fn subject_colour(name: &str) -> u32 {
    let hash = name
        .trim()
        .to_lowercase()
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
    hash % SUBJECT_COLOURS
}

/// Where a lesson of a shown day stands against the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonState {
    /// Over: no Join any more.
    Past,
    Now,
    Next,
    /// Later today, on a later day, or on a day of another week (nothing to mark).
    Later,
}

/// Each lesson's state on a day that is before, at or after today (`None`: a week other than
/// this one, where nothing is marked); today's now and next are `now_and_next`'s.
pub fn lesson_states(
    spans: &[(i64, i64)],
    day: Option<std::cmp::Ordering>,
    minute: i64,
) -> Vec<LessonState> {
    use std::cmp::Ordering::*;
    let (now, next) = now_and_next(spans, minute);
    spans
        .iter()
        .enumerate()
        .map(|(i, (_, end))| match day {
            Some(Less) => LessonState::Past,
            Some(Equal) if now == Some(i) => LessonState::Now,
            Some(Equal) if next == Some(i) => LessonState::Next,
            Some(Equal) if *end <= minute => LessonState::Past,
            _ => LessonState::Later,
        })
        .collect()
}

/// An http(s) link a teacher gives for a lesson; anything else (javascript:, data:, a typo
/// without a scheme) is refused, since students open it with one tap.
pub fn check_link(raw: &str) -> Result<Option<String>, crate::error::Reason> {
    use crate::error::Reason;
    let link = raw.trim();
    if link.is_empty() {
        return Ok(None);
    }
    if link.len() > 500 {
        return Err(Reason::TooLong);
    }
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))
        .ok_or(Reason::BadFormat)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '@' | '_'));
    if !host_ok || link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Reason::BadFormat);
    }
    Ok(Some(link.to_string()))
}

/// The largest material a teacher may upload for a lesson.
pub const MATERIAL_MAX_BYTES: usize = 5 * 1024 * 1024;

/// What a file is, judged by its first bytes (never by its name): a PDF or a PNG, JPEG, GIF or
/// WebP image; anything else is refused.
pub fn sniff_material(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A material's name as shown and offered for download: the last path part, without control
/// or quote characters, at most 100 characters; "material" when nothing is left.
pub fn material_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(100)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "material".to_string()
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_subject_keeps_its_colour_and_the_subjects_spread_over_the_palette() {
        assert_eq!(
            super::subject_colour("Mathematics"),
            super::subject_colour(" mathematics ")
        );
        let subjects = [
            "Mathematics",
            "Kyrgyz language",
            "Russian language",
            "English",
            "History",
            "Biology",
            "Physics",
            "Chemistry",
            "Geography",
            "Literature",
            "Physical education",
            "Informatics",
            "Music",
            "Art",
        ];
        let colours: std::collections::BTreeSet<u32> =
            subjects.iter().map(|s| super::subject_colour(s)).collect();
        assert!(colours.iter().all(|c| *c < super::SUBJECT_COLOURS));
        assert!(
            colours.len() >= 5,
            "14 subjects share too few colours: {colours:?}"
        );
    }

    #[test]
    fn a_day_marks_past_now_and_one_next() {
        use super::LessonState::*;
        use std::cmp::Ordering::*;
        let day = [(480, 525), (535, 580), (590, 635), (645, 690)];
        // 08:35 Wednesday: first lesson going on, second next.
        assert_eq!(
            super::lesson_states(&day, Some(Equal), 515),
            [Now, Next, Later, Later]
        );
        // In a break: the first is over, only the coming one is next.
        assert_eq!(
            super::lesson_states(&day, Some(Equal), 530),
            [Past, Next, Later, Later]
        );
        // After school every lesson is over; a past day is over; a later day is all ahead.
        assert_eq!(super::lesson_states(&day, Some(Equal), 800), [Past; 4]);
        assert_eq!(super::lesson_states(&day, Some(Less), 0), [Past; 4]);
        assert_eq!(super::lesson_states(&day, Some(Greater), 800), [Later; 4]);
        assert_eq!(super::lesson_states(&day, None, 800), [Later; 4]);
    }

    #[test]
    fn materials_are_judged_by_their_content() {
        assert_eq!(sniff_material(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff_material(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(
            sniff_material(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_material(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        // A web page or a program named "lesson.pdf" is still not a PDF.
        assert_eq!(sniff_material(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff_material(b"MZ\x90\0"), None);
        assert_eq!(sniff_material(b""), None);
    }

    #[test]
    fn material_names_are_cleaned() {
        assert_eq!(material_name("C:\\Users\\Айгүл\\сабак.pdf"), "сабак.pdf");
        assert_eq!(material_name("../../etc/passwd"), "passwd");
        assert_eq!(material_name("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(material_name("  "), "material");
    }

    use super::*;

    #[test]
    fn only_a_change_for_tomorrow_made_from_six_pm_notifies_by_itself() {
        // 2026-11-25 in Bishkek is day 20417 (since 1970-01-01); midnight there is 18:00 UTC before.
        let day = days_from_civil(2026, 11, 25);
        let at = |hour: i64, minute: i64| (day - 1) * 86_400 - 6 * 3600 + hour * 3600 + minute * 60;
        assert!(!late_change_for_tomorrow(at(17, 59), day));
        assert!(late_change_for_tomorrow(at(18, 0), day));
        assert!(late_change_for_tomorrow(at(23, 59), day));
        assert!(
            !late_change_for_tomorrow(at(18, 0), day + 1),
            "the day after tomorrow"
        );
        assert!(
            !late_change_for_tomorrow(at(18, 0) + 86_400, day),
            "the same day"
        );
    }

    #[test]
    fn a_date_holds_the_week_with_its_changes() {
        let slot = |id, period, class, teacher, weeks| Slot {
            lesson_id: id,
            weekday: 0,
            period,
            class_id: class,
            teacher_id: teacher,
            room: None,
            weeks,
        };
        let weekly = [
            slot(1, 1, 10, 100, Weeks::All),
            slot(2, 2, 10, 101, Weeks::Odd),
            slot(3, 1, 11, 102, Weeks::All),
            slot(4, 3, 10, 103, Weeks::All),
        ];
        let changes = [
            (1, DateChange::Substitute(104)),
            (3, DateChange::Cancelled),
            (4, DateChange::MovedTo(5)),
        ];
        let held = slots_on_date(&weekly, 2, &changes);
        let seen: Vec<(i64, i64, i64)> = held
            .iter()
            .map(|s| (s.lesson_id, s.period, s.teacher_id))
            .collect();
        // Week 2 is even: lesson 2 does not run; 3 is cancelled; 1 has a substitute; 4 moved.
        assert_eq!(seen, vec![(1, 1, 104), (4, 5, 103)]);
        // The substitute now clashes with a lesson of theirs at that time, the regular teacher not.
        let candidate = slot(9, 1, 12, 104, Weeks::All);
        assert_eq!(clashes(&held, &candidate)[0].kind, ClashKind::Teacher);
        assert!(clashes(&held, &slot(9, 1, 12, 100, Weeks::All)).is_empty());
        // The period lesson 4 left is free for the class; the one it moved to is not.
        assert!(clashes(&held, &slot(9, 3, 10, 105, Weeks::All)).is_empty());
        assert_eq!(
            clashes(&held, &slot(9, 5, 10, 105, Weeks::All))[0].kind,
            ClashKind::Class
        );
    }
    use proptest::prelude::*;

    // 2026-09-01 is a Tuesday; 2026-11-23 a Monday.
    const SEP_1_2026: i64 = 20_697;
    const NOV_23_2026: i64 = 20_780;

    #[test]
    fn weekdays_follow_the_calendar() {
        assert_eq!(weekday_of(0), 3, "1970-01-01 was a Thursday");
        assert_eq!(weekday_of(SEP_1_2026), 1);
        assert_eq!(weekday_of(NOV_23_2026), 0);
    }

    #[test]
    fn teaching_weeks_start_on_the_monday_of_the_first_day() {
        assert_eq!(teaching_week(SEP_1_2026, SEP_1_2026), 1);
        assert_eq!(
            teaching_week(SEP_1_2026 - 1, SEP_1_2026),
            1,
            "Monday 31 August is in week 1"
        );
        assert_eq!(
            teaching_week(SEP_1_2026 + 5, SEP_1_2026),
            1,
            "Sunday 6 September still week 1"
        );
        assert_eq!(
            teaching_week(SEP_1_2026 + 6, SEP_1_2026),
            2,
            "Monday 7 September starts week 2"
        );
        assert_eq!(teaching_week(NOV_23_2026, SEP_1_2026), 13);
    }

    #[test]
    fn parity_and_ranges() {
        assert!(Weeks::Odd.runs_in(13) && !Weeks::Even.runs_in(13));
        assert!(Weeks::Even.runs_in(14) && !Weeks::Odd.runs_in(14));
        assert!(
            Weeks::Range { from: 3, to: 8 }.runs_in(3)
                && !Weeks::Range { from: 3, to: 8 }.runs_in(9)
        );
        assert!(!Weeks::Odd.overlaps(Weeks::Even));
        assert!(Weeks::Odd.overlaps(Weeks::Range { from: 2, to: 3 }));
        assert!(!Weeks::Even.overlaps(Weeks::Range { from: 3, to: 3 }));
        assert_eq!(Weeks::from_db("3-8"), Some(Weeks::Range { from: 3, to: 8 }));
        assert_eq!(Weeks::from_db("8-3"), None);
        assert_eq!(Weeks::from_db("0-3"), None);
    }

    fn slot(id: i64, class: i64, teacher: i64, room: Option<&str>, weeks: Weeks) -> Slot {
        Slot {
            lesson_id: id,
            weekday: 0,
            period: 2,
            class_id: class,
            teacher_id: teacher,
            room: room.map(Into::into),
            weeks,
        }
    }

    #[test]
    fn clashes_name_teacher_class_and_room() {
        let existing = vec![
            slot(1, 10, 100, Some("12"), Weeks::All),
            slot(2, 11, 101, None, Weeks::All),
        ];
        let kinds = |c: &Slot| {
            clashes(&existing, c)
                .into_iter()
                .map(|c| (c.kind, c.with_lesson))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(&slot(9, 12, 100, None, Weeks::All)),
            vec![(ClashKind::Teacher, 1)]
        );
        assert_eq!(
            kinds(&slot(9, 11, 102, None, Weeks::All)),
            vec![(ClashKind::Class, 2)]
        );
        assert_eq!(
            kinds(&slot(9, 12, 102, Some(" 12 "), Weeks::All)),
            vec![(ClashKind::Room, 1)]
        );
        assert_eq!(kinds(&slot(9, 12, 102, None, Weeks::All)), vec![]);
        // Moving lesson 1 within its own slot is not a clash with itself.
        assert_eq!(kinds(&slot(1, 10, 100, Some("12"), Weeks::All)), vec![]);
        // Odd and even weeks share a slot without clashing.
        let alternating = vec![slot(1, 10, 100, None, Weeks::Odd)];
        assert!(clashes(&alternating, &slot(9, 10, 100, None, Weeks::Even)).is_empty());
        // Another day or period is free.
        let mut later = slot(9, 10, 100, None, Weeks::All);
        later.period = 3;
        assert!(clashes(&existing, &later).is_empty());
    }

    #[test]
    fn now_and_next_at_the_edges() {
        let spans = [(480, 510), (520, 550), (560, 590)];
        assert_eq!(
            now_and_next(&spans, 479),
            (None, Some(0)),
            "a minute before the first lesson"
        );
        assert_eq!(
            now_and_next(&spans, 480),
            (Some(0), Some(1)),
            "the first minute belongs to the lesson"
        );
        assert_eq!(now_and_next(&spans, 509), (Some(0), Some(1)));
        assert_eq!(now_and_next(&spans, 510), (None, Some(1)), "the break");
        assert_eq!(now_and_next(&spans, 560), (Some(2), None));
        assert_eq!(now_and_next(&spans, 590), (None, None), "the day is over");
        assert_eq!(now_and_next(&[], 600), (None, None));
    }

    #[test]
    fn links_must_be_web_addresses() {
        assert_eq!(
            check_link(" https://meet.google.com/abc-defg-hij "),
            Ok(Some("https://meet.google.com/abc-defg-hij".into()))
        );
        assert_eq!(
            check_link("http://zoom.us/j/123?pwd=x"),
            Ok(Some("http://zoom.us/j/123?pwd=x".into()))
        );
        assert_eq!(check_link(""), Ok(None));
        for bad in [
            "javascript:alert(1)",
            "meet.google.com/x",
            "https://",
            "https://local host/x",
            "data:text/html,hi",
            "https://nodot/x",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
        assert!(check_link(&format!("https://a.kg/{}", "x".repeat(600))).is_err());
    }

    proptest! {
        #[test]
        fn a_week_has_seven_days_with_one_week_number(start in 0i64..40_000, offset in 0i64..400) {
            let day = start + offset;
            let week = teaching_week(day, start);
            let monday = day - weekday_of(day) as i64;
            for d in monday..monday + 7 {
                prop_assert_eq!(teaching_week(d, start), week);
            }
            prop_assert_eq!(teaching_week(monday + 7, start), week + 1);
        }

        #[test]
        fn clash_checks_are_symmetric(a_t in 0i64..3, b_t in 0i64..3, a_c in 0i64..3, b_c in 0i64..3, odd in any::<bool>(), even in any::<bool>()) {
            let weeks = |o: bool| if o { Weeks::Odd } else { Weeks::All };
            let a = slot(1, a_c, a_t, None, weeks(odd));
            let b = slot(2, b_c, b_t, None, if even { Weeks::Even } else { Weeks::All });
            let ab = clashes(std::slice::from_ref(&a), &b).len();
            let ba = clashes(std::slice::from_ref(&b), &a).len();
            prop_assert_eq!(ab, ba);
        }

        #[test]
        fn never_both_now_and_next_the_same(minute in 0i64..1440) {
            let spans = [(480, 510), (520, 550), (560, 590)];
            let (now, next) = now_and_next(&spans, minute);
            if let (Some(n), Some(x)) = (now, next) { prop_assert!(x > n); }
        }
    }
}

/// Days since 1970-01-01 for a calendar date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

pub fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reads `YYYY-MM-DD` or `DD.MM.YYYY` (a real date only) into days since the epoch.
pub fn parse_date(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    // `2026-12-02` (links, a browser's date field) or `02.12.2026` (what people type here).
    let (year, month, day) = if let Some((day, rest)) = raw.split_once('.') {
        let (month, year) = rest.split_once('.')?;
        (year, month, day)
    } else {
        let mut parts = raw.splitn(3, '-');
        (parts.next()?, parts.next()?, parts.next()?)
    };
    let year: i64 = year.trim().parse().ok()?;
    let month: u32 = month.trim().parse().ok()?;
    let day: u32 = day.trim().parse().ok()?;
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

/// A day as the date fields show it: `02.12.2026` (the way Kyrgyzstan and Russia write dates).
pub fn dotted_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{day:02}.{month:02}.{year}")
}

/// The Monday of the week a day falls in.
pub fn monday_of(day: i64) -> i64 {
    day - weekday_of(day) as i64
}

#[cfg(test)]
mod calendar_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn join_counts_only_while_the_lesson_is_on() {
        let (day, starts, ends) = (20_782, 510, 540);
        assert!(
            join_counts_as_attendance(day, starts, ends, day, 500),
            "10 min early"
        );
        assert!(!join_counts_as_attendance(day, starts, ends, day, 499));
        assert!(
            join_counts_as_attendance(day, starts, ends, day, 540),
            "at the bell"
        );
        assert!(
            !join_counts_as_attendance(day, starts, ends, day, 541),
            "after it"
        );
        assert!(
            !join_counts_as_attendance(day, starts, ends, day + 2, 520),
            "days later"
        );
        assert!(
            !join_counts_as_attendance(day, starts, ends, day - 1, 520),
            "the day before"
        );
    }

    proptest! {
        /// Whatever the times, a Join on another day never records attendance.
        #[test]
        fn join_on_another_day_never_counts(
            day in 0i64..40_000, other in 0i64..40_000,
            starts in 0i64..1440, len in 1i64..240, minute in 0i64..1440,
        ) {
            prop_assume!(day != other);
            prop_assert!(!join_counts_as_attendance(day, starts, starts + len, other, minute));
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 11, 23), 20_780);
        assert_eq!(iso_date(20_780), "2026-11-23");
        assert_eq!(parse_date("2028-02-29"), Some(days_from_civil(2028, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None, "not a leap year");
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("02.12.2026"), parse_date("2026-12-02"));
        assert_eq!(parse_date(" 2.12.2026 "), parse_date("2026-12-02"));
        assert_eq!(parse_date("31.11.2026"), None, "November has 30 days");
        assert_eq!(parse_date("12.2026"), None);
        assert_eq!(monday_of(20_780 + 6), 20_780);
    }

    proptest! {
        #[test]
        fn dates_round_trip(days in -50_000i64..100_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
            if (1900..=2200).contains(&y) {
                prop_assert_eq!(parse_date(&iso_date(days)), Some(days));
                prop_assert_eq!(parse_date(&dotted_date(days)), Some(days));
            }
        }
    }
}
