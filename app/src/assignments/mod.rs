//! Self-study tasks and the journal (the School No. 94 regulation, 4.2-4.7): a subject teacher
//! gives a task to a class they teach, with a form of work and a due date; students hand it in
//! (late ones are accepted and marked), and the teacher reviews each hand-in one by one: a text
//! review, then accepted with a positive grade (which is what the journal holds) or returned for
//! rework without one. Parents follow their children's tasks and grades.

pub mod api;
pub mod completion;
#[cfg(feature = "ssr")]
pub mod export;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod work;

use crate::accounts::ChildRef;
use crate::timetable::SubjectName;
use rules::{HandInState, Verdict, WorkForm};
use serde::{Deserialize, Serialize};

/// A class and a subject a teacher teaches there: where they may give a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teaching {
    pub class_id: i64,
    pub class_name: String,
    pub subject_id: i64,
    pub subject: SubjectName,
}

/// A task as its teacher lists it, with how far the class has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSummary {
    pub id: i64,
    pub class_name: String,
    pub subject: SubjectName,
    pub title: String,
    pub form: WorkForm,
    /// Unix seconds.
    pub due_at: i64,
    pub graded: bool,
    pub withdrawn: bool,
    pub students: i64,
    pub handed_in: i64,
    pub to_review: i64,
    pub accepted: i64,
}

/// What a task says, as students and parents read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskText {
    pub id: i64,
    pub subject: SubjectName,
    pub teacher_name: String,
    pub title: String,
    pub instructions: String,
    pub link: Option<String>,
    pub form: WorkForm,
    pub due_at: i64,
    pub graded: bool,
}

/// A file of a hand-in or of its review, as pages link it (`/tasks/files/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

/// One version of a student's hand-in, with the teacher's review once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandIn {
    pub id: i64,
    pub version: i64,
    pub body: String,
    /// Photos, PDFs, an audio answer.
    pub files: Vec<FileRef>,
    pub handed_in_at: i64,
    pub late: bool,
    pub verdict: Option<Verdict>,
    pub review: Option<String>,
    /// The teacher's audio review.
    pub review_audio: Option<FileRef>,
    pub grade: Option<u8>,
}

/// A task on a student's (or their parent's) list: the task, the state, every version (newest
/// first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentTask {
    pub task: TaskText,
    pub state: HandInState,
    pub versions: Vec<HandIn>,
}

/// One student of the class in a task's review queue, with their latest hand-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub student_id: i64,
    pub full_name: String,
    pub state: HandInState,
    pub latest: Option<HandIn>,
    /// Earlier versions (returned for rework), newest first.
    pub earlier: Vec<HandIn>,
}

/// `/tasks/:id` for the task's teacher (and, to read, the class teacher and admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskQueue {
    pub class_id: i64,
    pub subject_id: i64,
    pub summary: TaskSummary,
    pub text: TaskText,
    pub rows: Vec<QueueRow>,
    /// The task's own teacher reviews; the others read.
    pub may_review: bool,
    /// The grades the school counts as positive: the only ones the review form offers.
    pub positive: rules::PositiveGrades,
}

/// A task a student has still to hand in: never handed in, or returned for rework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTask {
    pub id: i64,
    pub subject: SubjectName,
    pub title: String,
    /// Unix seconds.
    pub due_at: i64,
    pub returned: bool,
}

/// What a home page says of one student's open tasks: the overdue and those due today, by due
/// time, and how many more are due later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDigest {
    pub overdue: Vec<OpenTask>,
    pub today: Vec<OpenTask>,
    pub later: usize,
}

/// One line of the completion figures: a class's or a teacher's tasks due in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionLine {
    pub name: String,
    /// Tasks due in the period (withdrawn ones left out).
    pub given: i64,
    /// Hand-ins owed: each task once per student of its class.
    pub expected: i64,
    /// (task, student) pairs with at least one hand-in.
    pub handed_in: i64,
    /// … with a version handed in before the due time.
    pub on_time: i64,
    /// … whose latest version has been reviewed (nothing waits for the teacher).
    pub reviewed: i64,
    /// The median time from a hand-in to its review, over every reviewed version.
    pub median_review_secs: Option<i64>,
}

/// `/admin/tasks`: the deputy director's view of independent work (the regulation, 3.3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionPage {
    pub from: String,
    pub to: String,
    pub by_class: Vec<CompletionLine>,
    pub by_teacher: Vec<CompletionLine>,
    /// The school's setting, changed on the same page.
    pub positive: rules::PositiveGrades,
}

/// One child's tasks on the parent's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildTasks {
    pub child: ChildRef,
    pub tasks: Vec<StudentTask>,
}

/// What `/tasks` shows to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TasksPage {
    Teacher {
        teaching: Vec<Teaching>,
        tasks: Vec<TaskSummary>,
        now: i64,
    },
    Student {
        tasks: Vec<StudentTask>,
        now: i64,
    },
    Parent {
        children: Vec<ChildTasks>,
        now: i64,
    },
}

/// A class × subject the viewer may open in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalChoice {
    pub class_id: i64,
    pub class_name: String,
    pub subject_id: i64,
    pub subject: SubjectName,
}

/// One grade in the journal: an accepted hand-in of a graded task, on the day it was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalMark {
    pub student_id: i64,
    /// `YYYY-MM-DD`, Bishkek.
    pub date: String,
    pub grade: i64,
    pub title: String,
}

/// `/journal`: the choices, and the chosen class × subject's students and grades.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    pub choices: Vec<JournalChoice>,
    pub chosen: Option<JournalChoice>,
    pub students: Vec<(i64, String)>,
    /// The dates with a grade, in order.
    pub dates: Vec<String>,
    pub marks: Vec<JournalMark>,
    /// The viewer's own grade book (a student) or each child's (a parent).
    pub books: Vec<GradeBook>,
}

/// One subject of a grade book and its grades, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookSubject {
    pub subject_id: i64,
    pub subject: SubjectName,
    pub marks: Vec<JournalMark>,
}

/// One student's grades of accepted work, a row per subject of their class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeBook {
    pub student: ChildRef,
    pub subjects: Vec<BookSubject>,
}
