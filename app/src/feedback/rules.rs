//! Feedback and attendance rules as plain functions, no I/O: when a lesson takes feedback, what
//! a feedback holds, and the shares the regulation measures (attendance 80 %, feedback 70 %).

use serde::{Deserialize, Serialize};

/// Days after the lesson that feedback stays open (and editable), by default.
pub const DEFAULT_WINDOW_DAYS: i64 = 3;
pub const TEXT_MAX: usize = 2000;
/// The regulation's thresholds, in percent.
pub const ATTENDANCE_TARGET: i64 = 80;
pub const FEEDBACK_TARGET: i64 = 70;

/// Why a lesson does not take feedback now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The lesson has not ended yet.
    NotYet,
    /// More than the window's days have passed.
    Closed,
}

/// A lesson held on `lesson_day`, ending at `ends_min` (minutes after Bishkek midnight), takes
/// feedback from its end until the end of the `window_days`-th day after it.
pub fn feedback_window(
    lesson_day: i64,
    ends_min: i64,
    now_day: i64,
    now_min: i64,
    window_days: i64,
) -> Result<(), Window> {
    if now_day < lesson_day || (now_day == lesson_day && now_min < ends_min) {
        Err(Window::NotYet)
    } else if now_day > lesson_day + window_days {
        Err(Window::Closed)
    } else {
        Ok(())
    }
}

/// A 1-5 rating as typed in a form.
pub fn parse_rating(raw: &str) -> Option<u8> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .filter(|r| (1..=5).contains(r))
}

/// A free text of a feedback or an answer: trimmed, at most `TEXT_MAX` characters.
pub fn clean_text(raw: &str) -> Result<String, crate::error::Reason> {
    let text = raw.trim();
    if text.chars().count() > TEXT_MAX {
        Err(crate::error::Reason::TooLong)
    } else {
        Ok(text.to_string())
    }
}

/// How a student took part in one lesson, as the teacher marks it (a Join counts as present).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attendance {
    Present,
    Late,
    Absent,
    Excused,
}

impl Attendance {
    pub const ALL: [Attendance; 4] = [
        Attendance::Present,
        Attendance::Late,
        Attendance::Absent,
        Attendance::Excused,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Late => "late",
            Attendance::Absent => "absent",
            Attendance::Excused => "excused",
        }
    }

    pub fn from_db(raw: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.as_db() == raw)
    }

    /// Present and late count as attending.
    pub fn attended(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Late)
    }
}

/// A share in whole percent, rounded half up; `None` when there is nothing to count.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (2 * whole))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn feedback_opens_at_the_lesson_end_and_closes_after_the_window() {
        // A lesson on day 100 ending at 09:25 (565 min).
        assert_eq!(feedback_window(100, 565, 100, 564, 3), Err(Window::NotYet));
        assert_eq!(feedback_window(100, 565, 100, 565, 3), Ok(()));
        assert_eq!(feedback_window(100, 565, 103, 1439, 3), Ok(()));
        assert_eq!(feedback_window(100, 565, 104, 0, 3), Err(Window::Closed));
        assert_eq!(feedback_window(100, 565, 99, 900, 3), Err(Window::NotYet));
    }

    #[test]
    fn ratings_texts_and_marks_are_checked() {
        assert_eq!(parse_rating(" 5 "), Some(5));
        assert_eq!(parse_rating("0"), None);
        assert_eq!(parse_rating("6"), None);
        assert_eq!(parse_rating("беш"), None);
        assert_eq!(clean_text("  жакшы  "), Ok("жакшы".into()));
        assert!(clean_text(&"ы".repeat(TEXT_MAX + 1)).is_err());
        for a in Attendance::ALL {
            assert_eq!(Attendance::from_db(a.as_db()), Some(a));
        }
        assert_eq!(Attendance::from_db("sick"), None);
        assert!(Attendance::Late.attended() && !Attendance::Excused.attended());
        assert_eq!(percent(7, 10), Some(70));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
    }

    proptest! {
        #[test]
        fn the_window_is_one_unbroken_stretch(ends in 0i64..1440, window in 0i64..10, day in 95i64..110, minute in 0i64..1440) {
            let open = feedback_window(100, ends, day, minute, window).is_ok();
            let after_end = (day, minute) >= (100, ends);
            prop_assert_eq!(open, after_end && day <= 100 + window);
        }

        #[test]
        fn percentages_stay_within_0_and_100(whole in 1i64..10_000, part in 0i64..10_000) {
            let part = part.min(whole);
            let p = percent(part, whole).unwrap();
            prop_assert!((0..=100).contains(&p));
        }
    }
}
