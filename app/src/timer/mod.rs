//! Lesson timers: a teacher starts today's lesson within the class's grade cap, and every student
//! of the class sees the same countdown live. Each run is kept for the compliance report.

pub mod api;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use crate::timetable::SubjectName;
use rules::{Caps, RunClock, Warnings};
use serde::{Deserialize, Serialize};

/// One run as every page following the class sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerSnapshot {
    pub run_id: i64,
    /// Grows with every change of the run; pages drop events older than what they show.
    pub version: i64,
    pub lesson_id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub subject: SubjectName,
    pub teacher_name: String,
    pub cap_min: Option<u32>,
    pub clock: RunClock,
    pub pauses: i64,
}

/// A class's timer now: the run in progress, or the one that ended a moment ago (so the
/// "take a break" screen stays), with the server's clock for phones whose clock is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTimer {
    pub class_id: i64,
    pub class_name: String,
    pub cap_min: Option<u32>,
    pub warnings: Warnings,
    pub current: Option<TimerSnapshot>,
    pub server_now_ms: i64,
}

/// One of a teacher's lessons today, with what its timer may run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherLesson {
    pub lesson_id: i64,
    pub period: i64,
    /// Minutes since midnight, Bishkek time.
    pub starts: i64,
    pub ends: i64,
    pub subject: SubjectName,
    pub class_id: i64,
    pub class_name: String,
    pub grade: Option<u8>,
    pub cap_min: Option<u32>,
}

/// A teacher's timer page: today's lessons, and the run of theirs in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherDay {
    pub lessons: Vec<TeacherLesson>,
    /// The teacher's run in progress (or just ended), with its class's clock.
    pub mine: Option<ClassTimer>,
    pub server_now_ms: i64,
}

/// What `/timer` shows the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimerPage {
    Teacher(TeacherDay),
    Class(ClassTimer),
}

/// Runs and the share within the cap, for one teacher or one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub name: String,
    pub runs: i64,
    pub within_cap: i64,
    pub over_cap_seconds: i64,
}

impl ComplianceRow {
    pub fn percent(&self) -> Option<i64> {
        rules::within_cap_percent(self.runs, self.within_cap)
    }
}

/// One finished run, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRow {
    pub date: String,
    pub class_name: String,
    pub teacher_name: String,
    pub subject: SubjectName,
    pub cap_min: Option<u32>,
    pub planned_seconds: i64,
    pub actual_seconds: i64,
    pub over_cap_seconds: i64,
    pub pauses: i64,
}

/// The compliance report: admins see the school, a teacher its own runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceReport {
    pub by_teacher: Vec<ComplianceRow>,
    pub by_class: Vec<ComplianceRow>,
    pub recent: Vec<RunRow>,
    /// The school's timers going now, for admins (who may stop one left going).
    pub live: Vec<TimerSnapshot>,
    /// The school's settings, for admins (who may change them).
    pub settings: Option<TimerSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerSettings {
    pub caps: Caps,
    pub warnings: Warnings,
}

/// The grade bands of the regulation, as the settings form shows them (0: university groups).
pub const CAP_BANDS: [(&str, &[u8]); 6] = [
    ("cap_1_2", &[1, 2]),
    ("cap_3_4", &[3, 4]),
    ("cap_5_6", &[5, 6]),
    ("cap_7_9", &[7, 8, 9]),
    ("cap_10_11", &[10, 11]),
    ("cap_groups", &[0]),
];
