//! The lesson-timer rules, with no I/O and an injected clock: the grade caps of the
//! distance-learning regulation, the length a teacher may ask for, and the time arithmetic of a
//! run (pauses, extensions, overtime, time over the cap).

use serde::{Deserialize, Serialize};

/// Longest run a teacher may ask for where no cap applies (university groups): half a day is
/// certainly a typing mistake.
pub const MAX_UNCAPPED_MIN: u32 = 240;

/// The regulation's cap on one continuous online lesson: grades 1-2: 20 min, 3-4: 25,
/// 5-9: 30; grades 10-11 are not listed and get 30; university groups none.
pub fn default_cap(grade: Option<u8>) -> Option<u32> {
    match grade {
        Some(1..=2) => Some(20),
        Some(3..=4) => Some(25),
        Some(_) => Some(30),
        None => None,
    }
}

/// The school's caps: index 0 is university groups, 1-11 the grades (`None`: no cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caps(pub [Option<u32>; 12]);

impl Default for Caps {
    fn default() -> Self {
        let mut caps = [None; 12];
        for (grade, cap) in caps.iter_mut().enumerate().skip(1) {
            *cap = default_cap(Some(grade as u8));
        }
        Caps(caps)
    }
}

impl Caps {
    pub fn for_grade(&self, grade: Option<u8>) -> Option<u32> {
        let index = grade.filter(|g| (1..=11).contains(g)).unwrap_or(0) as usize;
        self.0[index]
    }
}

/// Why a length was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthRefusal {
    /// Zero or negative minutes.
    TooShort,
    /// More than the class's cap (the cap in minutes).
    OverCap(u32),
    /// No cap applies, but more than `MAX_UNCAPPED_MIN`.
    TooLong,
}

/// What is left of the cap, in whole minutes, for one more run of a lesson that already ran
/// `used_ms` today: the runs of a lesson on one day add up, so three 20-minute runs are not each
/// "within the cap". `None` where no cap applies.
pub fn cap_left(cap: Option<u32>, used_ms: i64) -> Option<u32> {
    cap.map(|cap| ((cap as i64 * MINUTE_MS - used_ms.max(0)).max(0) / MINUTE_MS) as u32)
}

/// How long after its lesson's last bell (or its own planned end, if later) a run left going
/// is ended by the server: a forgotten timer must not block the class for days.
pub const FORGOTTEN_MARGIN_MIN: i64 = 15;

/// The instant (Unix ms) at which a run still going counts as forgotten: `FORGOTTEN_MARGIN_MIN`
/// after the later of the lesson's end on its day (`lesson_end_ms`, when known) and the run's
/// planned end.
pub fn forgotten_at_ms(clock: &RunClock, lesson_end_ms: Option<i64>) -> i64 {
    let planned_end = clock.started_ms + clock.planned_ms;
    lesson_end_ms.unwrap_or(planned_end).max(planned_end) + FORGOTTEN_MARGIN_MIN * MINUTE_MS
}

/// The length a teacher may run: 1 minute up to the cap, never longer.
pub fn check_length(minutes: i64, cap: Option<u32>) -> Result<u32, LengthRefusal> {
    if minutes < 1 {
        return Err(LengthRefusal::TooShort);
    }
    match cap {
        Some(cap) if minutes > cap as i64 => Err(LengthRefusal::OverCap(cap)),
        None if minutes > MAX_UNCAPPED_MIN as i64 => Err(LengthRefusal::TooLong),
        _ => Ok(minutes as u32),
    }
}

/// When students are warned, in minutes left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warnings {
    pub first_min: u32,
    pub last_min: u32,
}

impl Default for Warnings {
    fn default() -> Self {
        Warnings {
            first_min: 5,
            last_min: 1,
        }
    }
}

/// Why a timer action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionRefusal {
    /// The run has been stopped.
    Ended,
    /// Pausing a paused run.
    AlreadyPaused,
    /// Resuming a running run.
    NotPaused,
    /// Extending beyond the cap (the cap in minutes).
    OverCap(u32),
    /// Extending by nothing, or beyond `MAX_UNCAPPED_MIN`.
    BadLength,
}

/// The times of one run, in Unix milliseconds. Everything shown is computed from these and "now",
/// so the server and every phone agree once the phone knows the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunClock {
    pub started_ms: i64,
    /// The length asked for, extensions included.
    pub planned_ms: i64,
    /// Time spent in pauses that have ended.
    pub paused_total_ms: i64,
    pub paused_at_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    /// The class's cap when the run started.
    pub cap_ms: Option<i64>,
}

/// What a run looks like at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Running,
    /// At or below the first warning (5 minutes by default).
    FirstWarning,
    /// At or below the last warning (1 minute by default).
    LastWarning,
    Paused,
    /// The planned time is up and the teacher has not stopped: a break is due, overtime counts.
    Overtime,
    Ended,
}

pub const MINUTE_MS: i64 = 60_000;

impl RunClock {
    pub fn new(started_ms: i64, minutes: u32, cap: Option<u32>) -> RunClock {
        RunClock {
            started_ms,
            planned_ms: minutes as i64 * MINUTE_MS,
            paused_total_ms: 0,
            paused_at_ms: None,
            ended_ms: None,
            cap_ms: cap.map(|c| c as i64 * MINUTE_MS),
        }
    }

    /// Lesson time so far: from the start to now (or the end, or the pause), minus pauses.
    pub fn active_ms(&self, now_ms: i64) -> i64 {
        let until = self.ended_ms.or(self.paused_at_ms).unwrap_or(now_ms);
        (until.min(now_ms.max(self.started_ms)) - self.started_ms - self.paused_total_ms).max(0)
    }

    /// Planned time left; negative once the lesson runs over.
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        self.planned_ms - self.active_ms(now_ms)
    }

    /// Lesson time beyond the class's cap (what the compliance report counts).
    pub fn over_cap_ms(&self, now_ms: i64) -> i64 {
        self.cap_ms
            .map(|cap| (self.active_ms(now_ms) - cap).max(0))
            .unwrap_or(0)
    }

    pub fn phase(&self, now_ms: i64, warnings: Warnings) -> Phase {
        if self.ended_ms.is_some() {
            return Phase::Ended;
        }
        if self.paused_at_ms.is_some() {
            return Phase::Paused;
        }
        let left = self.remaining_ms(now_ms);
        if left <= 0 {
            Phase::Overtime
        } else if left <= warnings.last_min as i64 * MINUTE_MS {
            Phase::LastWarning
        } else if left <= warnings.first_min as i64 * MINUTE_MS {
            Phase::FirstWarning
        } else {
            Phase::Running
        }
    }

    pub fn pause(&mut self, now_ms: i64) -> Result<(), ActionRefusal> {
        self.check_open()?;
        if self.paused_at_ms.is_some() {
            return Err(ActionRefusal::AlreadyPaused);
        }
        self.paused_at_ms = Some(now_ms.max(self.started_ms));
        Ok(())
    }

    pub fn resume(&mut self, now_ms: i64) -> Result<(), ActionRefusal> {
        self.check_open()?;
        let paused_at = self.paused_at_ms.ok_or(ActionRefusal::NotPaused)?;
        self.paused_total_ms += (now_ms - paused_at).max(0);
        self.paused_at_ms = None;
        Ok(())
    }

    /// Adds minutes to the plan; the plan may never pass the cap.
    pub fn extend(&mut self, minutes: i64) -> Result<(), ActionRefusal> {
        self.check_open()?;
        // Bounded before multiplying: a huge number must be refused, not wrap around.
        if !(1..=MAX_UNCAPPED_MIN as i64).contains(&minutes) {
            return Err(ActionRefusal::BadLength);
        }
        let planned = self.planned_ms + minutes * MINUTE_MS;
        match self.cap_ms {
            Some(cap) if planned > cap => Err(ActionRefusal::OverCap((cap / MINUTE_MS) as u32)),
            None if planned > MAX_UNCAPPED_MIN as i64 * MINUTE_MS => Err(ActionRefusal::BadLength),
            _ => {
                self.planned_ms = planned;
                Ok(())
            }
        }
    }

    /// Ends the run (a pause in progress ends with it).
    pub fn stop(&mut self, now_ms: i64) -> Result<(), ActionRefusal> {
        self.check_open()?;
        let now_ms = now_ms.max(self.started_ms);
        if let Some(paused_at) = self.paused_at_ms.take() {
            self.paused_total_ms += (now_ms - paused_at).max(0);
        }
        self.ended_ms = Some(now_ms);
        Ok(())
    }

    fn check_open(&self) -> Result<(), ActionRefusal> {
        match self.ended_ms {
            Some(_) => Err(ActionRefusal::Ended),
            None => Ok(()),
        }
    }
}

/// `MM:SS` of a duration; remaining time rounds up (a countdown shows 00:01 until it is really
/// over), elapsed time rounds down.
pub fn clock_text(ms: i64, round_up: bool) -> String {
    let ms = ms.max(0);
    let seconds = if round_up {
        (ms + 999) / 1000
    } else {
        ms / 1000
    };
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// The share of runs that stayed within the cap, in whole percent (`None` without runs).
pub fn within_cap_percent(runs: i64, within: i64) -> Option<i64> {
    (runs > 0).then(|| (within * 100 + runs / 2) / runs)
}

/// Whether a live event leaves the page around a countdown outdated, so that the page is fetched
/// again: another run or none (the subject and teacher are written by the server), or, for the
/// teacher with the buttons, a pause, a resume, an extension or the end (the buttons change).
/// The countdown itself follows every event without it.
pub fn page_outdated(
    shown: Option<(i64, &RunClock)>,
    incoming: Option<(i64, &RunClock)>,
    controls: bool,
) -> bool {
    match (shown, incoming) {
        (None, None) => false,
        (Some((a, _)), Some((b, _))) if a != b => true,
        (Some((_, was)), Some((_, now))) => {
            controls
                && (was.paused_at_ms.is_some() != now.paused_at_ms.is_some()
                    || was.ended_ms.is_some() != now.ended_ms.is_some()
                    || was.planned_ms != now.planned_ms)
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T0: i64 = 1_790_000_000_000;

    #[test]
    fn a_run_left_going_is_forgotten_after_the_lesson_and_a_margin() {
        let clock = RunClock::new(1_000_000, 20, Some(20));
        let planned_end = 1_000_000 + 20 * MINUTE_MS;
        let margin = FORGOTTEN_MARGIN_MIN * MINUTE_MS;
        assert_eq!(forgotten_at_ms(&clock, None), planned_end + margin);
        // The bell after the planned end: the lesson's end counts.
        assert_eq!(
            forgotten_at_ms(&clock, Some(planned_end + 600_000)),
            planned_end + 600_000 + margin
        );
        // Started after the bell (late): its own planned end counts, never earlier.
        assert_eq!(
            forgotten_at_ms(&clock, Some(planned_end - 600_000)),
            planned_end + margin
        );
    }

    #[test]
    fn a_lessons_runs_on_one_day_share_its_cap() {
        assert_eq!(cap_left(Some(20), 0), Some(20));
        assert_eq!(cap_left(Some(20), 12 * MINUTE_MS + 30_000), Some(7));
        assert_eq!(
            cap_left(Some(20), 19 * MINUTE_MS + 1),
            Some(0),
            "under a minute left"
        );
        assert_eq!(cap_left(Some(20), 45 * MINUTE_MS), Some(0));
        assert_eq!(cap_left(None, 600 * MINUTE_MS), None, "university groups");
    }

    proptest::proptest! {
        /// However a lesson's day is cut into runs, their lengths never add up past the cap.
        #[test]
        fn runs_never_add_up_past_the_cap(cap in 1u32..=45, asks in proptest::collection::vec(1i64..=60, 1..8)) {
            let mut used = 0;
            for ask in asks {
                if let Ok(minutes) = check_length(ask, cap_left(Some(cap), used)) {
                    used += minutes as i64 * MINUTE_MS;
                }
                proptest::prop_assert!(used <= cap as i64 * MINUTE_MS);
            }
        }
    }

    #[test]
    fn caps_follow_the_regulation() {
        assert_eq!(default_cap(Some(1)), Some(20));
        assert_eq!(default_cap(Some(2)), Some(20));
        assert_eq!(default_cap(Some(3)), Some(25));
        assert_eq!(default_cap(Some(4)), Some(25));
        assert_eq!(default_cap(Some(5)), Some(30));
        assert_eq!(default_cap(Some(9)), Some(30));
        assert_eq!(default_cap(Some(11)), Some(30));
        assert_eq!(default_cap(None), None);
        let caps = Caps::default();
        assert_eq!(caps.for_grade(Some(3)), Some(25));
        assert_eq!(caps.for_grade(None), None);
        // An impossible grade reads as "no grade", never as a panic.
        assert_eq!(caps.for_grade(Some(14)), None);
    }

    #[test]
    fn shorter_is_allowed_longer_is_refused_with_the_cap() {
        assert_eq!(check_length(25, Some(25)), Ok(25));
        assert_eq!(check_length(10, Some(25)), Ok(10));
        assert_eq!(check_length(40, Some(25)), Err(LengthRefusal::OverCap(25)));
        assert_eq!(check_length(0, Some(25)), Err(LengthRefusal::TooShort));
        assert_eq!(check_length(-5, None), Err(LengthRefusal::TooShort));
        assert_eq!(check_length(90, None), Ok(90));
        assert_eq!(check_length(241, None), Err(LengthRefusal::TooLong));
    }

    #[test]
    fn a_run_counts_down_pauses_and_runs_over() {
        let warn = Warnings::default();
        let mut run = RunClock::new(T0, 20, Some(20));
        assert_eq!(run.remaining_ms(T0), 20 * MINUTE_MS);
        assert_eq!(run.phase(T0, warn), Phase::Running);
        let at = T0 + 10 * MINUTE_MS;
        run.pause(at).unwrap();
        assert_eq!(run.pause(at), Err(ActionRefusal::AlreadyPaused));
        // Three minutes of pause do not count.
        assert_eq!(run.remaining_ms(at + 3 * MINUTE_MS), 10 * MINUTE_MS);
        assert_eq!(run.phase(at + 3 * MINUTE_MS, warn), Phase::Paused);
        run.resume(at + 3 * MINUTE_MS).unwrap();
        assert_eq!(run.resume(at), Err(ActionRefusal::NotPaused));
        assert_eq!(run.paused_total_ms, 3 * MINUTE_MS);
        let near_end = T0 + 18 * MINUTE_MS;
        assert_eq!(run.remaining_ms(near_end), 5 * MINUTE_MS);
        assert_eq!(run.phase(near_end, warn), Phase::FirstWarning);
        assert_eq!(
            run.phase(near_end + 4 * MINUTE_MS + 1, warn),
            Phase::LastWarning
        );
        let late = T0 + 25 * MINUTE_MS;
        assert_eq!(run.phase(late, warn), Phase::Overtime);
        assert_eq!(run.remaining_ms(late), -2 * MINUTE_MS);
        assert_eq!(run.over_cap_ms(late), 2 * MINUTE_MS);
        run.stop(late).unwrap();
        assert_eq!(run.phase(late + MINUTE_MS, warn), Phase::Ended);
        // Stopped means stopped: time no longer moves.
        assert_eq!(run.active_ms(late + 60 * MINUTE_MS), 22 * MINUTE_MS);
        assert_eq!(run.stop(late), Err(ActionRefusal::Ended));
        assert_eq!(run.extend(1), Err(ActionRefusal::Ended));
    }

    #[test]
    fn extending_stays_within_the_cap() {
        let mut run = RunClock::new(T0, 15, Some(25));
        run.extend(10).unwrap();
        assert_eq!(run.planned_ms, 25 * MINUTE_MS);
        assert_eq!(run.extend(1), Err(ActionRefusal::OverCap(25)));
        assert_eq!(run.extend(0), Err(ActionRefusal::BadLength));
        let mut free = RunClock::new(T0, 200, None);
        assert_eq!(free.extend(41), Err(ActionRefusal::BadLength));
        free.extend(40).unwrap();
    }

    #[test]
    fn stopping_while_paused_closes_the_pause() {
        let mut run = RunClock::new(T0, 20, Some(20));
        run.pause(T0 + MINUTE_MS).unwrap();
        run.stop(T0 + 5 * MINUTE_MS).unwrap();
        assert_eq!(run.active_ms(T0 + 9 * MINUTE_MS), MINUTE_MS);
        assert_eq!(run.paused_at_ms, None);
    }

    #[test]
    fn a_phone_clock_behind_the_start_shows_the_full_length() {
        // A phone whose corrected clock is still before the start must not show more than planned.
        let run = RunClock::new(T0, 20, Some(20));
        assert_eq!(run.remaining_ms(T0 - 5_000), 20 * MINUTE_MS);
    }

    #[test]
    fn clock_text_rounds_the_right_way() {
        assert_eq!(clock_text(25 * MINUTE_MS, true), "25:00");
        assert_eq!(clock_text(1, true), "00:01");
        assert_eq!(clock_text(999, false), "00:00");
        assert_eq!(clock_text(61_500, false), "01:01");
        assert_eq!(clock_text(-3, true), "00:00");
    }

    #[test]
    fn within_cap_share() {
        assert_eq!(within_cap_percent(0, 0), None);
        assert_eq!(within_cap_percent(3, 2), Some(67));
        assert_eq!(within_cap_percent(4, 4), Some(100));
    }

    #[test]
    fn a_huge_extension_is_refused_not_wrapped() {
        let mut run = RunClock::new(T0, 20, Some(30));
        assert_eq!(run.extend(i64::MAX), Err(ActionRefusal::BadLength));
        assert_eq!(
            run.extend(i64::MAX / MINUTE_MS),
            Err(ActionRefusal::BadLength)
        );
        assert_eq!(run.planned_ms, 20 * MINUTE_MS);
    }

    proptest! {
        /// Whatever pauses happen, lesson time never exceeds wall time and never goes backwards.
        #[test]
        fn active_time_is_monotonic_and_bounded(
            steps in proptest::collection::vec((0i64..600_000, any::<bool>()), 0..20),
            minutes in 1u32..=30,
        ) {
            let mut run = RunClock::new(T0, minutes, Some(30));
            let mut now = T0;
            let mut last_active = 0;
            for (gap, toggle) in steps {
                now += gap;
                if toggle {
                    if run.paused_at_ms.is_some() {
                        run.resume(now).unwrap();
                    } else {
                        run.pause(now).unwrap();
                    }
                }
                let active = run.active_ms(now);
                prop_assert!(active >= last_active);
                prop_assert!(active <= now - T0);
                prop_assert_eq!(run.remaining_ms(now), run.planned_ms - active);
                last_active = active;
            }
            run.stop(now).unwrap();
            prop_assert_eq!(run.active_ms(now + 1_000_000), last_active);
        }

        /// Any accepted length is within the cap; any refused one is outside 1..=cap.
        #[test]
        fn length_check_matches_the_cap(minutes in -10i64..300, cap in proptest::option::of(1u32..60)) {
            match check_length(minutes, cap) {
                Ok(m) => {
                    prop_assert!(m >= 1);
                    prop_assert!(m <= cap.unwrap_or(MAX_UNCAPPED_MIN));
                }
                Err(_) => prop_assert!(minutes < 1 || minutes > cap.unwrap_or(MAX_UNCAPPED_MIN) as i64),
            }
        }
    }

    #[test]
    fn a_page_is_fetched_again_only_when_what_the_server_wrote_changed() {
        let clock = RunClock {
            started_ms: 0,
            planned_ms: 20 * MINUTE_MS,
            paused_total_ms: 0,
            paused_at_ms: None,
            ended_ms: None,
            cap_ms: Some(20 * MINUTE_MS),
        };
        let paused = RunClock {
            paused_at_ms: Some(5 * MINUTE_MS),
            ..clock
        };
        // The same run ticking on: nobody fetches anything.
        assert!(!page_outdated(Some((1, &clock)), Some((1, &clock)), true));
        assert!(!page_outdated(None, None, false));
        // A pause: the teacher's buttons change, the students' page does not.
        assert!(page_outdated(Some((1, &clock)), Some((1, &paused)), true));
        assert!(!page_outdated(Some((1, &clock)), Some((1, &paused)), false));
        // Another run, a first run, or none left: everyone.
        assert!(page_outdated(Some((1, &clock)), Some((2, &clock)), false));
        assert!(page_outdated(None, Some((1, &clock)), false));
        assert!(page_outdated(Some((1, &clock)), None, false));
    }
}
