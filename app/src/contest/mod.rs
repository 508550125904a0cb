//! The contest "Best lesson in distance learning": an edition with dated phases, nominations
//! scored on 0-5 criteria, teachers' applications, the expert council with conflicts of interest,
//! assignment of at least three experts per entry, scoring in the browser, ranking and results.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use crate::timetable::SubjectName;
use rules::{Phase, Schedule};
use serde::{Deserialize, Serialize};

/// A title in the three UI languages.
pub type Localized = SubjectName;

/// An edition as every page shows it: its dates, where it stands today, its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionInfo {
    pub id: i64,
    pub title: String,
    pub schedule: Schedule,
    pub phase: Phase,
    /// Today in Bishkek, as a day count (the phase was computed from it).
    pub today: i64,
    pub min_experts: u32,
    pub experts_per_nomination: u32,
    pub spread_limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub id: i64,
    pub title: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominationInfo {
    pub id: i64,
    pub title: Localized,
    pub needs_video: bool,
    pub criteria: Vec<CriterionInfo>,
}

/// Where an expert's evaluation of an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvalState {
    NotStarted,
    Draft,
    Submitted,
}

/// An applicant's own application, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplication {
    pub id: i64,
    pub nomination_id: i64,
    pub lesson_title: String,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

/// An entry on an expert's list: no contact details (the regulation forbids contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedEntry {
    pub application_id: i64,
    pub nomination_id: i64,
    pub full_name: String,
    pub faculty: String,
    pub department: String,
    pub lesson_title: String,
    pub state: EvalState,
}

/// The contest on a home page: where it stands and what is the person's to do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestGlance {
    pub title: String,
    pub phase: Phase,
    pub schedule: Schedule,
    /// An expert's entries: (scored and submitted, assigned).
    pub scored: Option<(usize, usize)>,
    /// A teacher's own applications.
    pub applications: Option<usize>,
    pub organiser: bool,
}

/// The contest's front page for whoever opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestHome {
    pub edition: EditionInfo,
    pub nominations: Vec<NominationInfo>,
    /// Teachers may apply; these are theirs.
    pub can_apply: bool,
    pub mine: Vec<MyApplication>,
    /// For an expert: the entries assigned to them.
    pub assigned: Vec<AssignedEntry>,
    pub organiser: bool,
}

/// The appendix-1 form, filled in (for a new application: from the person's account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApplicationForm {
    pub id: Option<i64>,
    pub nomination_id: i64,
    pub faculty: String,
    pub department: String,
    pub position: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub social_link: String,
    pub lesson_title: String,
    pub plan_link: String,
    pub video_link: String,
    pub signed_on: String,
    /// The applicant lets the experts see their lessons in Sabak (timer, attendance) as evidence.
    pub share_evidence: bool,
}

/// What the application page needs: the edition, the nomination, and the form's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationPage {
    pub edition: EditionInfo,
    pub nomination: NominationInfo,
    pub form: ApplicationForm,
}

/// One criterion of an expert's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub criterion: CriterionInfo,
    pub score: Option<u8>,
    pub comment: String,
}

/// An assigned entry opened for scoring: materials, criteria, the expert's own scores only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForExpert {
    pub edition: EditionInfo,
    pub entry: AssignedEntry,
    pub nomination: Localized,
    pub plan_link: String,
    pub video_link: Option<String>,
    pub scores: Vec<CriterionScore>,
    /// Judging is open and the evaluation is not submitted.
    pub editable: bool,
    /// The applicant's lessons in Sabak, when they chose to share them.
    pub evidence: Option<Evidence>,
}

/// What Sabak knows of the applicant's real lessons: the regulation's criteria on attendance
/// (80 %) and feedback (70 %) bear on these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Lessons held with the timer, and how many stayed within the grade's cap.
    pub timed_lessons: i64,
    pub within_cap: i64,
    /// Students who joined those lessons, of the students enrolled in their classes.
    pub joined: i64,
    pub enrolled: i64,
    /// Feedback the students gave on those lessons, and how much of it the teacher answered.
    pub feedback: i64,
    pub answered: i64,
    /// Independent work ("Digital teacher", criterion 4): tasks given (not withdrawn), the
    /// hand-ins they received, those reviewed, and the reviews with a recording.
    pub tasks_given: i64,
    pub hand_ins: i64,
    pub reviewed: i64,
    pub audio_reviews: i64,
}

impl Evidence {
    pub fn within_cap_percent(&self) -> Option<i64> {
        crate::timer::rules::within_cap_percent(self.timed_lessons, self.within_cap)
    }

    pub fn attendance_percent(&self) -> Option<i64> {
        crate::feedback::rules::percent(self.joined, self.enrolled)
    }

    pub fn feedback_percent(&self) -> Option<i64> {
        crate::feedback::rules::percent(self.feedback, self.enrolled)
    }

    pub fn answered_percent(&self) -> Option<i64> {
        crate::feedback::rules::percent(self.answered, self.feedback)
    }

    pub fn reviewed_percent(&self) -> Option<i64> {
        crate::feedback::rules::percent(self.reviewed, self.hand_ins)
    }
}

/// A score changed after the results froze: by the organiser, with a reason, in the open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRow {
    pub entry: i64,
    /// The expert's number in the protocol.
    pub expert: String,
    /// The criterion's position in its nomination (1-based).
    pub criterion: u32,
    pub old_score: Option<u8>,
    pub new_score: u8,
    pub reason: String,
    pub at: i64,
    pub sha256_after: String,
}

/// One line of the contest's audit log, for the organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// An appointed expert, for the organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertRow {
    pub expert_id: i64,
    pub nomination_id: i64,
    pub full_name: String,
    pub login: String,
    pub department: String,
    pub load: u32,
    pub barred: bool,
}

/// An expert on an entry, for the organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryExpert {
    pub expert_id: i64,
    pub full_name: String,
    pub state: EvalState,
}

/// An entry, for the organiser (who may see the applicant's contacts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub nomination_id: i64,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub faculty: String,
    pub department: String,
    pub lesson_title: String,
    pub experts: Vec<EntryExpert>,
    /// Eligible experts of its nomination; below the minimum, no assignment can satisfy the rule.
    pub eligible: u32,
}

/// A conflict of interest on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRow {
    pub expert_name: String,
    /// `None`: barred from the whole contest.
    pub application_id: Option<i64>,
    pub reason: String,
}

/// The organiser's page: dates and settings, the council, the entries and their experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagePage {
    pub edition: EditionInfo,
    pub nominations: Vec<NominationInfo>,
    pub experts: Vec<ExpertRow>,
    pub entries: Vec<EntryRow>,
    pub conflicts: Vec<ConflictRow>,
    /// The latest contest entries of the audit log (scores saved, submitted, reopened, removed).
    pub audit: Vec<AuditRow>,
}

/// One entry in the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub entry: i64,
    pub nomination_id: i64,
    pub full_name: String,
    pub lesson_title: String,
    pub place: Option<u32>,
    pub tied: bool,
    pub evaluations: u32,
    /// Two decimals, as the regulation's rating list prints it.
    pub score: String,
    pub criterion_means: Vec<String>,
    pub spread: u32,
    pub disagreement: bool,
    /// The score with each expert's totals normalised (z-score, rescaled to the nomination's
    /// mean and spread), shown beside the raw score, never instead of it.
    #[serde(default)]
    pub normalised: Option<String>,
}

/// One expert's totals in the protocol; experts are numbered, never named, in public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolRow {
    pub entry: i64,
    pub expert: String,
    pub scores: Vec<u8>,
    pub total: u32,
}

/// The results as frozen when judging closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    pub sha256: String,
    pub frozen_at: i64,
}

/// The rating lists per nomination, with the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsPage {
    pub edition: EditionInfo,
    pub nominations: Vec<NominationInfo>,
    pub rows: Vec<ResultRow>,
    pub protocol: Vec<ProtocolRow>,
    pub frozen: Option<Frozen>,
    /// The organiser may download diplomas (once frozen) and sees the correction form.
    pub organiser: bool,
    pub corrections: Vec<CorrectionRow>,
}

/// The body of a frozen snapshot: what its SHA-256 covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub edition_id: i64,
    pub rows: Vec<ResultRow>,
    pub protocol: Vec<ProtocolRow>,
}
