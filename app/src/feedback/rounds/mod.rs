//! Feedback rounds: an admin (for the school or a class) or a teacher (for a class they teach)
//! composes a short form, opens it between two dates, maybe every N days; students answer once
//! per cycle; the author sees the results without names, who has not answered yet, and reminds
//! them.

pub mod api;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    Rating,
    Choice,
    Text,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 3] = [
        QuestionKind::Rating,
        QuestionKind::Choice,
        QuestionKind::Text,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            QuestionKind::Rating => "rating",
            QuestionKind::Choice => "choice",
            QuestionKind::Text => "text",
        }
    }

    pub fn from_db(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_db() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub choices: Vec<String>,
}

/// A round open for the student now, with their answers of this cycle if given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRound {
    pub id: i64,
    pub title: String,
    pub author_name: String,
    /// ISO date of the cycle's last day.
    pub closes: String,
    pub questions: Vec<Question>,
    /// The student's answers, one per question, when given.
    pub mine: Option<Vec<String>>,
    /// The author asked them to answer.
    pub reminded: bool,
}

/// One question's results over a cycle, without names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub prompt: String,
    pub kind: QuestionKind,
    /// Ratings: the sum and how many.
    pub rating_sum: i64,
    pub rating_count: i64,
    /// Choices: each option with how many chose it.
    pub counts: Vec<(String, i64)>,
    /// Texts that are not empty, newest first.
    pub texts: Vec<String>,
}

/// A round as its author (or an admin) sees it: this cycle's dates, answers and who is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundReport {
    pub id: i64,
    pub title: String,
    pub author_name: String,
    /// `None`: the whole school.
    pub class_name: Option<String>,
    pub repeat_days: i64,
    /// This cycle (1-based for people) and its dates; `None` before the first opens.
    pub cycle: Option<i64>,
    pub opens: String,
    pub closes: String,
    pub open: bool,
    pub stopped: bool,
    pub expected: i64,
    pub responded: i64,
    /// Students who have not answered this cycle: "name (class)".
    pub missing: Vec<String>,
    pub reminded: i64,
    pub results: Vec<QuestionResult>,
    /// Whose results those are (1-based): a closed cycle with enough answers, or `None`.
    pub results_cycle: Option<i64>,
}

impl RoundReport {
    pub fn response_percent(&self) -> Option<i64> {
        super::rules::percent(self.responded, self.expected)
    }
}

/// `/feedback/rounds`: the rounds one may manage and where one may open a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsPage {
    pub rounds: Vec<RoundReport>,
    /// Classes the caller may open a round for (id, name).
    pub classes: Vec<(i64, String)>,
    /// Admins may open a round for the whole school.
    pub school_wide: bool,
    /// Today, ISO (the form's default opening day).
    pub today: String,
}
