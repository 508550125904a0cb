//! Class timetables: the week's lessons by class, teacher or child; each lesson's link, topic and
//! "Join" for a given date, as the ministry's AVN/KelBil instruction asks.

pub mod api;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod ical;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod materials;
pub mod print;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod terms;
pub mod ui;

use serde::{Deserialize, Serialize};

/// Which teaching weeks a lesson runs in (AVN style: every week, odd, even, or a range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weeks {
    All,
    Odd,
    Even,
    Range { from: u8, to: u8 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonForm {
    Lecture,
    Practice,
    Lab,
    Consultation,
    Seminar,
    Test,
    SelfStudy,
}

impl LessonForm {
    pub const ALL: [LessonForm; 7] = [
        LessonForm::Lecture,
        LessonForm::Practice,
        LessonForm::Lab,
        LessonForm::Consultation,
        LessonForm::Seminar,
        LessonForm::Test,
        LessonForm::SelfStudy,
    ];
    pub fn as_db(self) -> &'static str {
        match self {
            LessonForm::Lecture => "lecture",
            LessonForm::Practice => "practice",
            LessonForm::Lab => "lab",
            LessonForm::Consultation => "consultation",
            LessonForm::Seminar => "seminar",
            LessonForm::Test => "test",
            LessonForm::SelfStudy => "self_study",
        }
    }
    pub fn from_db(raw: &str) -> LessonForm {
        LessonForm::ALL
            .into_iter()
            .find(|f| f.as_db() == raw)
            .unwrap_or(LessonForm::Lecture)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonMode {
    Online,
    InSchool,
    Tv,
}

impl LessonMode {
    pub fn as_db(self) -> &'static str {
        match self {
            LessonMode::Online => "online",
            LessonMode::InSchool => "in_school",
            LessonMode::Tv => "tv",
        }
    }
    pub fn from_db(raw: &str) -> LessonMode {
        match raw {
            "in_school" => LessonMode::InSchool,
            "tv" => LessonMode::Tv,
            _ => LessonMode::Online,
        }
    }
}

/// A subject's name in the three UI languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectName {
    pub ky: String,
    pub ru: String,
    pub en: String,
}

/// One lesson on one date, as a student, parent or teacher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonCard {
    pub lesson_id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub period: i64,
    /// Minutes since midnight, Bishkek time.
    pub starts: i64,
    pub ends: i64,
    pub subject: SubjectName,
    pub class_name: String,
    pub teacher_name: String,
    pub form: LessonForm,
    pub mode: LessonMode,
    pub room: Option<String>,
    /// This week's link (http/https), set by the teacher.
    pub link: Option<String>,
    pub topic: Option<String>,
    /// The viewer teaches this lesson (may set its link).
    pub mine: bool,
    /// What is different on this date (the card already shows the new time and teacher).
    pub change: Option<LessonChange>,
    /// Files the teacher gave for this date.
    pub materials: Vec<MaterialRef>,
}

/// A lesson material as a card lists it (downloaded from `/materials/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialRef {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Cancelled,
    Substitute,
    Moved,
}

impl ChangeKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::Substitute => "substitute",
            ChangeKind::Moved => "moved",
        }
    }
    pub fn from_db(raw: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Cancelled,
            ChangeKind::Substitute,
            ChangeKind::Moved,
        ]
        .into_iter()
        .find(|k| k.as_db() == raw)
    }
}

/// A lesson's change on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonChange {
    pub kind: ChangeKind,
    /// The teacher the timetable names (for a substitution: the one replaced).
    pub regular_teacher: String,
    /// The period the timetable names (for a move: the one moved from).
    pub regular_period: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPlan {
    pub day: crate::accounts::Day,
    pub iso: String,
    pub lessons: Vec<LessonCard>,
    /// Outside the terms: no lessons, said so.
    pub holiday: bool,
}

/// Where the shown week stands in the school year (when the school has set its terms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermNote {
    Term {
        kind: terms::TermKind,
        number: u8,
        ends: crate::accounts::Day,
    },
    Holiday {
        resumes: Option<crate::accounts::Day>,
    },
}

/// A week (Monday to Saturday) of someone's lessons, with "now / next" for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekPlan {
    /// Whose timetable: a class name, or the teacher's own name.
    pub title: String,
    pub teaching_week: i64,
    pub term: Option<TermNote>,
    pub days: Vec<DayPlan>,
    /// Index into `days` of today, if today is in this week.
    pub today: Option<usize>,
    /// Indexes into today's lessons.
    pub now: Option<usize>,
    pub next: Option<usize>,
    /// Minutes since midnight when the page was made (Bishkek).
    pub minute: i64,
    /// `YYYY-MM-DD` of the Mondays before and after, for paging.
    pub prev_week: String,
    pub next_week: String,
    /// The viewer is a student looking at their own class: lessons get a Join button.
    pub can_join: bool,
    /// The viewer's secret calendar (iCal) address for this timetable, if they made one.
    pub feed: Option<String>,
    /// A student's (or a parent's child's) tasks overdue or due today, when this week holds
    /// today: shown on today's tab.
    pub tasks: Option<crate::assignments::TaskDigest>,
}

/// One day's lessons with "now / next", as a home page shows today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayPlan {
    /// `Whose::to_param` of the timetable, for the link to the whole week.
    pub whose: String,
    pub lessons: Vec<LessonCard>,
    pub now: Option<usize>,
    pub next: Option<usize>,
    /// Minutes since midnight when the page was made (Bishkek).
    pub minute: i64,
    pub can_join: bool,
    pub holiday: bool,
}

/// Whose timetable to show: one's own, a child's, or a class's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Whose {
    Me,
    Child(i64),
    Class(i64),
    /// A teacher's lessons (the teacher themself, or an admin).
    Teacher(i64),
}

impl Whose {
    pub fn to_param(&self) -> String {
        match self {
            Whose::Me => String::new(),
            Whose::Child(id) => format!("child:{id}"),
            Whose::Class(id) => format!("class:{id}"),
            Whose::Teacher(id) => format!("teacher:{id}"),
        }
    }
    pub fn from_param(raw: &str) -> Option<Whose> {
        match raw.split_once(':') {
            None if raw.is_empty() => Some(Whose::Me),
            Some(("child", id)) => id.parse().ok().map(Whose::Child),
            Some(("class", id)) => id.parse().ok().map(Whose::Class),
            Some(("teacher", id)) => id.parse().ok().map(Whose::Teacher),
            _ => None,
        }
    }
}
