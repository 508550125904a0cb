//! Notices from a class teacher to parents: to the whole class or to chosen families, each
//! parent getting the common text and a part about their own child (an auto-filled
//! participation summary the teacher may edit before sending). Parents confirm reading; the
//! class teacher sees who has read and reminds the others. With SMTP configured every notice
//! and reminder is also mailed through the outbox (`store`), in the parent's language.

pub mod api;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

/// A notice as a parent sees it: the common text and the part about each of their children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentNotice {
    pub id: i64,
    pub class_name: String,
    pub author_name: String,
    pub subject: String,
    pub body: String,
    /// (child's name, the part about that child; may be empty).
    pub personal: Vec<(String, String)>,
    pub created_at: i64,
    pub urgent: bool,
    pub read: bool,
    /// The class teacher has reminded this parent to read it.
    pub reminded: bool,
}

/// A child of the class with their parents and the auto-filled participation summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryDraft {
    pub student_id: i64,
    pub full_name: String,
    pub parents: Vec<String>,
    pub summary: String,
}

/// How the e-mail copy to one parent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailState {
    /// Waiting: quiet hours, or a retry after a failed attempt (how many so far).
    Queued {
        attempts: i64,
    },
    Sent,
    /// The mail server refused the address for good.
    Rejected,
    /// Every retry failed; the mail is not sent.
    GaveUp,
}

/// One parent (about one child) of a sent notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reader {
    pub parent_id: i64,
    pub parent_name: String,
    pub child_name: String,
    pub read_at: Option<i64>,
    pub reminders: i64,
    /// `None`: no e-mail for this parent (in the app only).
    pub mail: Option<MailState>,
}

/// A notice the class teacher has sent, with who has read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentNotice {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub urgent: bool,
    pub readers: Vec<Reader>,
}

impl SentNotice {
    /// (parents who confirmed, parents reached): a parent of two children counts once.
    pub fn read_count(&self) -> (usize, usize) {
        let mut all: Vec<i64> = self.readers.iter().map(|r| r.parent_id).collect();
        all.sort_unstable();
        all.dedup();
        let mut read: Vec<i64> = self
            .readers
            .iter()
            .filter(|r| r.read_at.is_some())
            .map(|r| r.parent_id)
            .collect();
        read.sort_unstable();
        read.dedup();
        (read.len(), all.len())
    }
}

/// The class teacher's side: the form with each child's summary for a period, and the notices sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherNotices {
    pub class_name: String,
    /// ISO dates of the summaries' period.
    pub from: String,
    pub to: String,
    pub drafts: Vec<SummaryDraft>,
    pub sent: Vec<SentNotice>,
    /// E-mail is configured: notices are also mailed to parents with an address.
    pub mail_enabled: bool,
}

/// What `/notices` shows: a class teacher's side, a parent's notices, or both for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticesPage {
    pub teacher: Option<TeacherNotices>,
    pub parent: Option<Vec<ParentNotice>>,
}
