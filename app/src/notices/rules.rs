//! Pure rules of notices and their mail: text limits, quiet hours, retry backoff. No I/O; the
//! clock is passed in.

use crate::error::Reason;

/// Longest subject, common text and per-child part, in characters.
pub const SUBJECT_MAX: usize = 150;
pub const BODY_MAX: usize = 4000;
pub const PERSONAL_MAX: usize = 2000;
/// Longest period a participation summary may cover, in days.
pub const SUMMARY_MAX_DAYS: i64 = 92;
/// The default summary period: the last two weeks.
pub const SUMMARY_DEFAULT_DAYS: i64 = 13;
/// A reminder to the same notice's non-readers at most this often.
pub const NUDGE_INTERVAL_SECS: i64 = 3600;
/// Attempts before a mail is given up.
pub const MAX_ATTEMPTS: i64 = 8;

use crate::timetable::rules::BISHKEK_OFFSET_SECS as OFFSET_SECS;

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(raw: &str, max: usize) -> Result<String, Reason> {
    let text = raw.trim();
    if text.is_empty() {
        Err(Reason::Empty)
    } else {
        optional_text(text, max)
    }
}

/// An optional text: trimmed, at most `max` characters.
pub fn optional_text(raw: &str, max: usize) -> Result<String, Reason> {
    let text = raw.trim();
    if text.chars().count() > max {
        Err(Reason::TooLong)
    } else {
        Ok(text.to_string())
    }
}

/// Hours in which non-urgent mail waits (local Bishkek minutes of the day; may wrap midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from_minute: i64,
    pub until_minute: i64,
}

impl Default for QuietHours {
    /// 21:00-07:00, as the issue asks.
    fn default() -> Self {
        QuietHours {
            from_minute: 21 * 60,
            until_minute: 7 * 60,
        }
    }
}

impl QuietHours {
    /// Whether a Bishkek minute of the day falls in the quiet hours.
    pub fn contains(&self, minute: i64) -> bool {
        if self.from_minute <= self.until_minute {
            (self.from_minute..self.until_minute).contains(&minute)
        } else {
            minute >= self.from_minute || minute < self.until_minute
        }
    }
}

/// When a mail may go: at once if urgent or outside quiet hours, else when they end.
pub fn release_at(now: i64, urgent: bool, quiet: QuietHours) -> i64 {
    let local = now + OFFSET_SECS;
    let minute = local.rem_euclid(86_400) / 60;
    if urgent || !quiet.contains(minute) {
        return now;
    }
    let midnight = local - local.rem_euclid(86_400);
    let mut end = midnight + quiet.until_minute * 60;
    if end <= local {
        end += 86_400;
    }
    end - OFFSET_SECS
}

/// Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 6) as u32;
    (60_i64 << doublings).min(3600)
}

/// What to do after a failed attempt: try again at an instant, or give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    At(i64),
    GiveUp,
}

/// A failed attempt (the `attempts`-th): permanent refusals and the last attempt give up; the
/// rest retry after the backoff, never inside quiet hours unless urgent.
pub fn after_failure(
    now: i64,
    attempts: i64,
    permanent: bool,
    urgent: bool,
    quiet: QuietHours,
) -> Retry {
    if permanent || attempts >= MAX_ATTEMPTS {
        Retry::GiveUp
    } else {
        Retry::At(release_at(now + backoff_secs(attempts), urgent, quiet))
    }
}

/// A child's participation over a period, counted from the held lessons of the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Participation {
    pub scheduled: i64,
    pub attended: i64,
    pub late: i64,
    pub excused: i64,
    pub feedback: i64,
    /// Changes to the class's timetable in the period (the same for every child of the class).
    pub changes: i64,
    pub cancelled: i64,
    /// The class's tasks due in the period (not withdrawn), how many of them the child handed
    /// in, and how many of those before the due time.
    pub tasks_given: i64,
    pub tasks_handed_in: i64,
    pub tasks_on_time: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 2026-11-25 00:00 in Bishkek (UTC+6), as a unix instant.
    const DAY: i64 = 1_795_543_200;

    fn at(hour: i64, minute: i64) -> i64 {
        DAY + hour * 3600 + minute * 60
    }

    #[test]
    fn quiet_hours_hold_non_urgent_mail_until_seven() {
        let quiet = QuietHours::default();
        assert_eq!(release_at(at(20, 59), false, quiet), at(20, 59));
        assert_eq!(release_at(at(21, 0), false, quiet), at(31, 0));
        assert_eq!(release_at(at(23, 30), false, quiet), at(31, 0));
        assert_eq!(release_at(at(3, 0), false, quiet), at(7, 0));
        assert_eq!(release_at(at(6, 59), false, quiet), at(7, 0));
        assert_eq!(release_at(at(7, 0), false, quiet), at(7, 0));
        // Urgent goes at once, night or not.
        assert_eq!(release_at(at(23, 30), true, quiet), at(23, 30));
    }

    #[test]
    fn quiet_hours_that_do_not_wrap_midnight() {
        let quiet = QuietHours {
            from_minute: 13 * 60,
            until_minute: 14 * 60,
        };
        assert_eq!(release_at(at(13, 30), false, quiet), at(14, 0));
        assert_eq!(release_at(at(14, 0), false, quiet), at(14, 0));
        assert_eq!(release_at(at(12, 0), false, quiet), at(12, 0));
    }

    #[test]
    fn backoff_doubles_to_an_hour_and_gives_up() {
        let quiet = QuietHours::default();
        let steps: Vec<i64> = (1..=8).map(backoff_secs).collect();
        assert_eq!(steps, vec![60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(
            after_failure(at(10, 0), 1, false, false, quiet),
            Retry::At(at(10, 1))
        );
        assert_eq!(
            after_failure(at(10, 0), MAX_ATTEMPTS, false, false, quiet),
            Retry::GiveUp
        );
        assert_eq!(
            after_failure(at(10, 0), 1, true, false, quiet),
            Retry::GiveUp
        );
        // A retry that would fall at 21:00 waits for the morning.
        assert_eq!(
            after_failure(at(20, 59), 1, false, false, quiet),
            Retry::At(at(31, 0))
        );
    }

    #[test]
    fn texts_are_trimmed_required_and_bounded() {
        assert_eq!(required_text("  Салам ", 10), Ok("Салам".to_string()));
        assert_eq!(required_text("   ", 10), Err(Reason::Empty));
        assert_eq!(required_text(&"ы".repeat(11), 10), Err(Reason::TooLong));
        assert_eq!(optional_text("", 10), Ok(String::new()));
    }

    proptest! {
        /// Mail is never released before it was asked for, never inside quiet hours unless
        /// urgent, and never held longer than the quiet hours last.
        #[test]
        fn release_is_outside_quiet_hours(now in 1_700_000_000i64..1_900_000_000, urgent: bool,
                                          from in 0i64..1440, until in 0i64..1440) {
            prop_assume!(from != until);
            let quiet = QuietHours { from_minute: from, until_minute: until };
            let release = release_at(now, urgent, quiet);
            prop_assert!(release >= now);
            prop_assert!(release - now <= 86_400);
            if urgent {
                prop_assert_eq!(release, now);
            } else {
                let minute = (release + OFFSET_SECS).rem_euclid(86_400) / 60;
                prop_assert!(!quiet.contains(minute));
            }
        }
    }
}
