//! Feedback and attendance: after a lesson its students rate it and say what was clear and what
//! was not (anonymously if they wish); the teacher answers each one; a Join counts as present and
//! the teacher corrects the list. Shares of attendance, feedback and answers per class feed the
//! teacher's page (and the contest's evidence).

pub mod api;
pub mod rounds;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use crate::timetable::SubjectName;
use rules::Attendance;
use serde::{Deserialize, Serialize};

/// A student's own feedback on a lesson, with the teacher's answer once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyFeedback {
    pub rating: u8,
    pub clear_text: String,
    pub unclear_text: String,
    pub comment: String,
    pub anonymous: bool,
    pub answer: Option<String>,
    pub answer_audio: Option<AnswerAudio>,
}

/// The teacher's recorded answer to one feedback: played from `/feedback/audio/{feedback_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerAudio {
    pub feedback_id: i64,
    pub size: i64,
}

impl AnswerAudio {
    pub fn href(&self) -> String {
        format!("/feedback/audio/{}", self.feedback_id)
    }
}

/// A lesson of the student's class that ended lately, and whether it still takes feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentLesson {
    pub lesson_id: i64,
    /// ISO date of the occurrence.
    pub date: String,
    pub starts: i64,
    pub ends: i64,
    pub subject: SubjectName,
    pub teacher_name: String,
    pub open: bool,
    pub mine: Option<MyFeedback>,
}

/// One feedback in the teacher's inbox. `author` is `None` for anonymous feedback: nothing here
/// (nor anywhere the teacher can look) tells who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub date: String,
    pub subject: SubjectName,
    pub class_name: String,
    pub rating: u8,
    pub clear_text: String,
    pub unclear_text: String,
    pub comment: String,
    pub author: Option<String>,
    pub answer: Option<String>,
    pub answer_audio: Option<AnswerAudio>,
}

/// A class's shares over the last weeks, for its teacher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassKpi {
    pub class_name: String,
    /// Lessons held (occurrences that ended) and the students expected at them.
    pub lessons: i64,
    pub expected: i64,
    pub attended: i64,
    pub feedback: i64,
    pub answered: i64,
}

impl ClassKpi {
    pub fn attendance_percent(&self) -> Option<i64> {
        rules::percent(self.attended, self.expected)
    }
    pub fn feedback_percent(&self) -> Option<i64> {
        rules::percent(self.feedback, self.expected)
    }
    pub fn answered_percent(&self) -> Option<i64> {
        rules::percent(self.answered, self.feedback)
    }
}

/// One student of a lesson's attendance list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub student_id: i64,
    pub full_name: String,
    pub status: Attendance,
    /// The status comes from a Join (not from the teacher's mark).
    pub joined: bool,
}

/// A lesson the teacher held lately, with its attendance list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLesson {
    pub lesson_id: i64,
    pub date: String,
    pub starts: i64,
    pub subject: SubjectName,
    pub class_name: String,
    pub roster: Vec<AttendanceRow>,
}

/// What `/feedback` shows: a student's recent lessons, or a teacher's inbox and shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackPage {
    Student {
        lessons: Vec<RecentLesson>,
        window_days: i64,
        /// Surveys open for the student's class now.
        rounds: Vec<rounds::OpenRound>,
    },
    Teacher {
        inbox: Vec<InboxItem>,
        unanswered: i64,
        kpis: Vec<ClassKpi>,
        held: Vec<HeldLesson>,
    },
}
