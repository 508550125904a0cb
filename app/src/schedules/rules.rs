//! Rules of the other schedules as plain functions, no I/O: times of day, grade ranges, texts.

use crate::error::{Field, Reason};

pub const NAME_MAX: usize = 100;
pub const TOPIC_MAX: usize = 200;

/// "HH:MM" (or "H:MM") as minutes after midnight.
pub fn parse_time(raw: &str) -> Option<i64> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// A start and an end the same day, the end after the start.
pub fn check_hours(starts: &str, ends: &str) -> Result<(i64, i64), (Field, Reason)> {
    let starts = parse_time(starts).ok_or((Field::Time, Reason::BadFormat))?;
    let ends = parse_time(ends).ok_or((Field::Time, Reason::BadFormat))?;
    if ends <= starts {
        return Err((Field::Time, Reason::OutOfRange));
    }
    Ok((starts, ends))
}

/// Grades `from`-`to` of a TV lesson: 1-11, in order.
pub fn check_grades(from: &str, to: &str) -> Result<(i64, i64), (Field, Reason)> {
    let grade = |raw: &str| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|g| (1..=11).contains(g))
            .ok_or((Field::Grade, Reason::OutOfRange))
    };
    let (from, to) = (grade(from)?, grade(to)?);
    if from > to {
        return Err((Field::Grade, Reason::OutOfRange));
    }
    Ok((from, to))
}

/// A short text: trimmed, no control characters, 1..=`max` characters (0 allowed if optional).
pub fn check_text(
    raw: &str,
    max: usize,
    field: Field,
    required: bool,
) -> Result<String, (Field, Reason)> {
    let text = raw.trim();
    if text.chars().any(char::is_control) {
        Err((field, Reason::BadFormat))
    } else if text.chars().count() > max {
        Err((field, Reason::TooLong))
    } else if required && text.is_empty() {
        Err((field, Reason::Empty))
    } else {
        Ok(text.to_string())
    }
}

/// Monday (0) to Saturday (5).
pub fn check_weekday(raw: &str) -> Result<u8, (Field, Reason)> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .filter(|d| *d <= 5)
        .ok_or((Field::Weekday, Reason::OutOfRange))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn times_of_day_are_read_and_checked() {
        assert_eq!(parse_time("08:00"), Some(480));
        assert_eq!(parse_time("9:05"), Some(545));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("12:60"), None);
        assert_eq!(parse_time("noon"), None);
        assert_eq!(check_hours("8:00", "17:00"), Ok((480, 1020)));
        assert_eq!(
            check_hours("17:00", "8:00"),
            Err((Field::Time, Reason::OutOfRange))
        );
        assert_eq!(
            check_hours("8", "9:00"),
            Err((Field::Time, Reason::BadFormat))
        );
    }

    #[test]
    fn grades_texts_and_weekdays_are_checked() {
        assert_eq!(check_grades("5", "9"), Ok((5, 9)));
        assert_eq!(
            check_grades("9", "5"),
            Err((Field::Grade, Reason::OutOfRange))
        );
        assert_eq!(
            check_grades("0", "5"),
            Err((Field::Grade, Reason::OutOfRange))
        );
        assert_eq!(
            check_text("  ЭлТР ", NAME_MAX, Field::Channel, true),
            Ok("ЭлТР".into())
        );
        assert_eq!(
            check_text(" ", NAME_MAX, Field::Channel, true),
            Err((Field::Channel, Reason::Empty))
        );
        assert_eq!(
            check_text("", TOPIC_MAX, Field::Topic, false),
            Ok(String::new())
        );
        assert_eq!(
            check_text("a\u{0}", NAME_MAX, Field::Channel, true),
            Err((Field::Channel, Reason::BadFormat))
        );
        assert_eq!(check_weekday("5"), Ok(5));
        assert_eq!(
            check_weekday("6"),
            Err((Field::Weekday, Reason::OutOfRange))
        );
    }

    proptest! {
        #[test]
        fn every_minute_of_the_day_reads_back(minute in 0i64..1440) {
            let text = format!("{:02}:{:02}", minute / 60, minute % 60);
            prop_assert_eq!(parse_time(&text), Some(minute));
        }
    }
}
