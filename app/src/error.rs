//! The one error type every server function returns.
//!
//! It carries codes, never text: the browser turns each code into a sentence in the reader's
//! language (see `shell::messages`), and nothing from sqlx, argon2 or a panic can leak through,
//! because there is no variant that holds free-form text.

use serde::{Deserialize, Serialize};

/// Which input a message is about; shown to the user in their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Login,
    FullName,
    Password,
    Class,
    Grade,
    Letter,
    Faculty,
    Course,
    GroupName,
    Role,
    Email,
    Phone,
    Language,
    Code,
    Csv,
    Student,
    Parent,
    Teacher,
    Request,
    Date,
    Link,
    Topic,
    Minutes,
    Timer,
    Nomination,
    Department,
    Position,
    LessonTitle,
    PlanLink,
    VideoLink,
    SocialLink,
    Confirmation,
    Score,
    Expert,
    Entry,
    Comment,
    Reason,
    Setting,
    Feedback,
    Rating,
    Answer,
    Attendance,
    Subject,
    NoticeText,
    Recipients,
    Summary,
    Lesson,
    Room,
    Weeks,
    Period,
    Weekday,
    Title,
    Repeat,
    Question,
    Choices,
    Material,
    Channel,
    Person,
    Association,
    Time,
    /// A self-study task.
    Task,
    /// The form of independent work (self-study, test, practical...).
    WorkForm,
    Due,
    Instructions,
    /// A student's hand-in.
    Work,
    Verdict,
    /// A grade of a hand-in (the journal's mark).
    Mark,
    Review,
    /// A file of a hand-in or an audio review.
    File,
    /// A quarter or semester's dates.
    Term,
}

/// Why an input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    Empty,
    TooShort,
    TooLong,
    BadFormat,
    OutOfRange,
    AlreadyTaken,
    DuplicateInFile,
    UnknownClass,
    UnknownUser,
    NotAStudent,
    NotAParent,
    NotATeacher,
    MissingColumn,
    CodeUnknown,
    CodeUsed,
    CodeExpired,
    NoRows,
    TooManyRows,
    /// The lesson does not take place on that date.
    NotThatDay,
    /// "Reuse last week's link" with no earlier link.
    NothingToReuse,
    /// Longer than the class's cap on one continuous online lesson (the cap in minutes).
    OverCap {
        cap_min: u16,
    },
    /// More than is left of the cap today for a lesson that already ran: its runs on one day
    /// add up (the cap, and the minutes left of it).
    CapUsedToday {
        cap_min: u16,
        left_min: u16,
    },
    /// A cap above the regulation's for these grades (the regulation's cap in minutes).
    AboveRegulation {
        cap_min: u16,
    },
    /// The class already follows another teacher's timer.
    TimerBusy,
    /// The timer has been stopped.
    TimerEnded,
    AlreadyPaused,
    NotPaused,
    /// The lesson is not on today's timetable.
    NotToday,
    /// Someone changed it at the same moment; look again and retry.
    Changed,
    /// Allowed only between two days (day counts since 1970-01-01, Bishkek calendar).
    OutOfPhase {
        from: i32,
        until: i32,
    },
    /// The dates are not in the regulation's order (the position of the first wrong one, 1-7).
    OutOfOrder {
        position: u8,
    },
    /// The nomination already has as many experts as the edition allows.
    CouncilFull,
    /// The evaluation was submitted and is locked.
    Locked,
    /// The expert has a conflict of interest with the entry (or is barred).
    Conflicted,
    /// A criterion is left blank: every criterion needs a score before submitting.
    Incomplete,
    /// The expert has begun scoring in this nomination and cannot be dismissed.
    InUse,
    /// Judging has begun: what experts score against can no longer change.
    FixedForJudging,
    /// The lesson has not ended yet (feedback opens at its end).
    NotYet,
    /// The days for feedback on this lesson are over.
    WindowClosed,
    /// It would leave fewer than the minimum (of experts on an entry).
    TooFew {
        min: u8,
    },
    /// No one would receive it (no parent registered for the chosen children, or all have read).
    NoRecipients,
    /// Done a moment ago; it can be repeated later.
    TooSoon,
    /// The lesson would clash with another at that time (weekday 0 = Monday, period number).
    Clash {
        kind: crate::timetable::rules::ClashKind,
        weekday: u8,
        period: u8,
    },
    /// It has a record (attendance, feedback, timers): change it rather than remove it.
    HasHistory,
    /// The task was withdrawn by its teacher.
    Withdrawn,
    /// The work was accepted: nothing more to hand in.
    AlreadyAccepted,
    /// A student has handed the task in: it can no longer be changed (withdraw it instead).
    AlreadyHandedIn,
    /// Only a positive result is graded (3, 4 or 5); otherwise the work is returned for rework.
    NotPositive,
    /// A quarter's or semester's dates (its number in the year) are wrong in this way.
    Term {
        number: u8,
        problem: crate::timetable::terms::TermProblem,
    },
}

/// One refused row of a CSV import (1-based line number as the spreadsheet shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub field: Field,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not logged in")]
    NotLoggedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong login or password")]
    WrongCredentials,
    #[error("too many attempts")]
    Throttled,
    #[error("invalid {field:?}: {reason:?}")]
    Invalid { field: Field, reason: Reason },
    #[error("import refused: {} rows", .0.len())]
    Import(Vec<RowError>),
    /// Something broke on the server; the details are in the server log only.
    #[error("internal error")]
    Internal,
    /// The request never reached the server or its answer could not be read.
    #[error("network error")]
    Network,
}

impl AppError {
    pub fn invalid(field: Field, reason: Reason) -> Self {
        AppError::Invalid { field, reason }
    }

    /// The HTTP status this error travels with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotLoggedIn | AppError::WrongCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Throttled => 429,
            AppError::Invalid { .. } | AppError::Import(_) => 400,
            AppError::Internal | AppError::Network => 500,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // The request's arguments could not be read: the caller's fault, a 400.
            E::Args(_) | E::MissingArg(_) => AppError::invalid(Field::Request, Reason::BadFormat),
            // On the server these come from reading the caller's request (a body over the size
            // limit, broken encoding): the caller's fault, a 400 that says so, never a 500.
            #[cfg(feature = "ssr")]
            E::Request(why) | E::Deserialization(why) => {
                let too_big = why.contains("length limit") || why.contains("too large");
                let reason = if too_big {
                    Reason::TooLong
                } else {
                    Reason::BadFormat
                };
                AppError::invalid(Field::Request, reason)
            }
            #[cfg(not(feature = "ssr"))]
            E::Request(_) | E::Deserialization(_) => AppError::Network,
            #[cfg(not(feature = "ssr"))]
            E::Serialization(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_mistakes_are_4xx_and_failures_5xx() {
        assert_eq!(AppError::WrongCredentials.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(
            AppError::invalid(Field::Login, Reason::Empty).status_code(),
            400
        );
        assert_eq!(AppError::Import(vec![]).status_code(), 400);
        assert_eq!(AppError::Throttled.status_code(), 429);
        assert_eq!(AppError::Internal.status_code(), 500);
    }

    #[test]
    fn round_trips_through_json() {
        let err = AppError::Import(vec![RowError {
            line: 3,
            field: Field::Class,
            reason: Reason::UnknownClass,
        }]);
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
    }
}

/// Plain HTML forms (login, register) answer with a redirect; an error travels in the query string
/// of the page they go back to, so the same message shows with or without JavaScript.
impl AppError {
    /// The error as one opaque, URL-safe word (base64url of its JSON): a link someone copies
    /// shows no `{"Invalid":…}`, and nothing in it needs escaping.
    pub fn to_query_value(&self) -> String {
        use base64::Engine;
        let json = serde_json::to_string(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads what `to_query_value` wrote (anything else is no error at all).
    pub fn from_query_value(value: &str) -> Option<AppError> {
        use base64::Engine;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(value.trim())
            .ok()?;
        serde_json::from_slice(&json).ok()
    }
}

#[cfg(test)]
mod query_tests {
    use super::*;

    #[test]
    fn survives_a_query_string_as_one_opaque_word() {
        let err = AppError::invalid(Field::Code, Reason::CodeUsed);
        let encoded = err.to_query_value();
        assert!(encoded
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)));
        assert!(!encoded.contains("Invalid"), "no JSON in the address");
        assert_eq!(AppError::from_query_value(&encoded), Some(err));
        assert_eq!(AppError::from_query_value("{\"Invalid\":1}"), None);
        assert_eq!(AppError::from_query_value("not an error"), None);
    }
}
