//! The rules of self-study tasks, kept apart from I/O: the forms of work the regulation names,
//! a hand-in's states, when a hand-in is late, and that only a positive result is graded.

use crate::error::{Field, Reason};
use serde::{Deserialize, Serialize};

/// The longest instructions, hand-in text or review (in characters).
pub const TEXT_MAX: usize = 4000;
/// The longest task title.
pub const TITLE_MAX: usize = 120;
/// How far ahead a due date may be set (a school year).
pub const DUE_MAX_DAYS: i64 = 366;
/// The grades a school counts as a positive result on the Kyrgyz 5-point scale: only these reach
/// the journal (the regulation, 4.2, 4.3, 4.5). A school setting: from its lowest positive grade
/// up to 5. "2" is never positive: such work is returned, never recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositiveGrades {
    lowest: u8,
}

impl PositiveGrades {
    /// The regulation's reading: 3, 4 and 5.
    pub const DEFAULT: PositiveGrades = PositiveGrades { lowest: 3 };
    /// The lowest a school may choose: 3 ("satisfactory").
    pub const LOWEST_ALLOWED: u8 = 3;

    /// From the school's setting; anything outside 3..=5 is refused.
    pub fn from_lowest(lowest: u8) -> Result<PositiveGrades, Reason> {
        if (Self::LOWEST_ALLOWED..=5).contains(&lowest) {
            Ok(PositiveGrades { lowest })
        } else {
            Err(Reason::OutOfRange)
        }
    }

    /// As the settings form sends it: one digit, 3, 4 or 5.
    pub fn parse(raw: &str) -> Result<PositiveGrades, Reason> {
        let lowest = raw.trim().parse::<u8>().map_err(|_| Reason::BadFormat)?;
        Self::from_lowest(lowest)
    }

    pub fn lowest(self) -> u8 {
        self.lowest
    }

    pub fn contains(self, grade: u8) -> bool {
        (self.lowest..=5).contains(&grade)
    }

    /// Best first, as the review form offers them.
    pub fn best_first(self) -> impl Iterator<Item = u8> {
        (self.lowest..=5).rev()
    }
}

impl Default for PositiveGrades {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The largest file of a hand-in or a review (a phone photo, a PDF, three minutes of audio).
pub const FILE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// At most this many files in one hand-in.
pub const FILES_PER_HAND_IN: usize = 5;
/// The longest audio review a teacher records (the recorder stops there).
pub const AUDIO_MAX_SECONDS: u32 = 180;

/// What an audio file is, judged by its first bytes (never by its name): WebM or Ogg (what
/// browsers record, Opus inside), MP3, MP4/M4A (phones' recorders) or WAV.
pub fn sniff_audio(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("audio/webm")
    } else if starts(b"OggS") {
        Some("audio/ogg")
    } else if starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        Some("audio/mpeg")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Some("audio/mp4")
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WAVE" {
        Some("audio/wav")
    } else {
        None
    }
}

/// A file a student may hand in: a PDF, an image or an audio answer.
pub fn sniff_work(bytes: &[u8]) -> Option<&'static str> {
    crate::timetable::rules::sniff_material(bytes).or_else(|| sniff_audio(bytes))
}

/// Whether a stored file's type plays as audio (the page shows a player) or shows as an image.
pub fn is_audio(mime: &str) -> bool {
    mime.starts_with("audio/")
}

pub fn is_image(mime: &str) -> bool {
    mime.starts_with("image/")
}

/// The forms of independent work the regulation lists (4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkForm {
    SelfStudy,
    Test,
    Practical,
    Lab,
    Essay,
    Project,
}

impl WorkForm {
    pub const ALL: [WorkForm; 6] = [
        WorkForm::SelfStudy,
        WorkForm::Test,
        WorkForm::Practical,
        WorkForm::Lab,
        WorkForm::Essay,
        WorkForm::Project,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            WorkForm::SelfStudy => "self_study",
            WorkForm::Test => "test",
            WorkForm::Practical => "practical",
            WorkForm::Lab => "lab",
            WorkForm::Essay => "essay",
            WorkForm::Project => "project",
        }
    }

    pub fn from_db(raw: &str) -> Option<WorkForm> {
        WorkForm::ALL.into_iter().find(|f| f.as_db() == raw)
    }
}

/// What the teacher decided about one hand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// A positive result: graded (when the task is) and written into the journal.
    Accepted,
    /// Not yet good enough: no grade; the student sees why and hands in again.
    Returned,
}

impl Verdict {
    pub fn as_db(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Returned => "returned",
        }
    }

    pub fn from_db(raw: &str) -> Option<Verdict> {
        match raw {
            "accepted" => Some(Verdict::Accepted),
            "returned" => Some(Verdict::Returned),
            _ => None,
        }
    }
}

/// Where a student stands with one task, from their latest hand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HandInState {
    /// Nothing handed in yet.
    ToDo,
    /// Returned for rework: to hand in again.
    Returned,
    /// Handed in, waiting for the teacher's review.
    HandedIn,
    /// Accepted: done.
    Accepted,
}

impl HandInState {
    /// The state of a student's latest hand-in (`None`: none yet; `Some(None)`: not reviewed).
    pub fn of_latest(latest: Option<Option<Verdict>>) -> HandInState {
        match latest {
            None => HandInState::ToDo,
            Some(None) => HandInState::HandedIn,
            Some(Some(Verdict::Returned)) => HandInState::Returned,
            Some(Some(Verdict::Accepted)) => HandInState::Accepted,
        }
    }

    /// Whether the student still has something to do.
    pub fn open(self) -> bool {
        matches!(self, HandInState::ToDo | HandInState::Returned)
    }
}

/// Whether a student may hand in (again): not after the task was withdrawn, not once accepted.
/// A hand-in waiting for review may be replaced by a newer version; every version is kept.
pub fn may_hand_in(state: HandInState, withdrawn: bool) -> Result<(), Reason> {
    if withdrawn {
        return Err(Reason::Withdrawn);
    }
    if state == HandInState::Accepted {
        return Err(Reason::AlreadyAccepted);
    }
    Ok(())
}

/// A hand-in after the due instant is accepted, and marked late.
pub fn is_late(handed_in_at: i64, due_at: i64) -> bool {
    handed_in_at > due_at
}

/// How a task's due date reads on a student's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Due {
    Overdue,
    Today,
    Later,
}

/// `now` and `due_at` are unix seconds; days are Bishkek days (UTC+6 all year).
pub fn due_state(now: i64, due_at: i64) -> Due {
    let day = |t: i64| (t + 6 * 3600).div_euclid(86_400);
    if now > due_at {
        Due::Overdue
    } else if day(now) == day(due_at) {
        Due::Today
    } else {
        Due::Later
    }
}

/// Sorts a student's open tasks into the home page's digest: overdue first (the longest overdue
/// first), then those due today, by due time; the rest only counted.
pub fn digest(now: i64, mut open: Vec<super::OpenTask>) -> super::TaskDigest {
    open.sort_by_key(|t| (t.due_at, t.id));
    let mut digest = super::TaskDigest::default();
    for task in open {
        match due_state(now, task.due_at) {
            Due::Overdue => digest.overdue.push(task),
            Due::Today => digest.today.push(task),
            Due::Later => digest.later += 1,
        }
    }
    digest
}

/// A journal row's average, one decimal ("4.5"); none without grades.
pub fn average_text(grades: &[i64]) -> Option<String> {
    (!grades.is_empty()).then(|| {
        format!(
            "{:.1}",
            grades.iter().sum::<i64>() as f64 / grades.len() as f64
        )
    })
}

/// A grade book's rows: every subject the class is taught, in that order, each with its grades
/// oldest first; a subject no longer taught that still holds grades (a student who changed
/// class) follows, so no grade is ever dropped.
pub fn grade_book(
    taught: Vec<(i64, crate::timetable::SubjectName)>,
    mut graded: Vec<(i64, crate::timetable::SubjectName, super::JournalMark)>,
) -> Vec<super::BookSubject> {
    graded.sort_by(|a, b| a.2.date.cmp(&b.2.date));
    let mut rows: Vec<super::BookSubject> = taught
        .into_iter()
        .map(|(subject_id, subject)| super::BookSubject {
            subject_id,
            subject,
            marks: Vec::new(),
        })
        .collect();
    for (subject_id, subject, mark) in graded {
        match rows.iter_mut().find(|r| r.subject_id == subject_id) {
            Some(row) => row.marks.push(mark),
            None => rows.push(super::BookSubject {
                subject_id,
                subject,
                marks: vec![mark],
            }),
        }
    }
    rows
}

/// A task due in the completion period, with what the figures group it by.
#[derive(Debug, Clone)]
pub struct TaskFact {
    pub task_id: i64,
    pub class_name: String,
    pub teacher_name: String,
    /// Active students of its class: the hand-ins owed.
    pub students: i64,
}

/// One version handed in to a task of the period.
#[derive(Debug, Clone)]
pub struct HandInFact {
    pub task_id: i64,
    pub student_id: i64,
    pub version: i64,
    pub late: bool,
    pub handed_in_at: i64,
    pub reviewed_at: Option<i64>,
}

/// The completion figures of the tasks grouped by `group` (a class's name, a teacher's), in
/// the order each group first appears in `tasks`.
pub fn completion(
    tasks: &[TaskFact],
    hand_ins: &[HandInFact],
    group: impl Fn(&TaskFact) -> &str,
) -> Vec<super::CompletionLine> {
    use std::collections::HashMap;
    // Per (task, student): handed in on time at least once, and the latest version's review.
    #[derive(Default)]
    struct Pair {
        on_time: bool,
        latest: i64,
        latest_reviewed: bool,
    }
    let mut pairs: HashMap<(i64, i64), Pair> = HashMap::new();
    let mut waits: HashMap<i64, Vec<i64>> = HashMap::new();
    for h in hand_ins {
        let pair = pairs.entry((h.task_id, h.student_id)).or_default();
        pair.on_time |= !h.late;
        if h.version >= pair.latest {
            pair.latest = h.version;
            pair.latest_reviewed = h.reviewed_at.is_some();
        }
        if let Some(at) = h.reviewed_at {
            waits
                .entry(h.task_id)
                .or_default()
                .push((at - h.handed_in_at).max(0));
        }
    }
    // Per task: (handed in, on time, reviewed) pairs.
    let mut per_task: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for ((task_id, _), pair) in &pairs {
        let counts = per_task.entry(*task_id).or_default();
        counts.0 += 1;
        counts.1 += i64::from(pair.on_time);
        counts.2 += i64::from(pair.latest_reviewed);
    }
    let mut lines: Vec<super::CompletionLine> = Vec::new();
    let mut waits_of: Vec<Vec<i64>> = Vec::new();
    for task in tasks {
        let name = group(task);
        let at = match lines.iter().position(|l| l.name == name) {
            Some(at) => at,
            None => {
                lines.push(super::CompletionLine {
                    name: name.to_string(),
                    ..Default::default()
                });
                waits_of.push(Vec::new());
                lines.len() - 1
            }
        };
        let line = &mut lines[at];
        line.given += 1;
        line.expected += task.students;
        if let Some(&(handed_in, on_time, reviewed)) = per_task.get(&task.task_id) {
            line.handed_in += handed_in;
            line.on_time += on_time;
            line.reviewed += reviewed;
        }
        waits_of[at].extend(waits.get(&task.task_id).into_iter().flatten());
    }
    for (line, mut waits) in lines.iter_mut().zip(waits_of) {
        waits.sort_unstable();
        line.median_review_secs = median(&waits);
    }
    lines
}

/// The middle of sorted values (the mean of the two middle ones for an even count).
fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// A due instant the teacher may set: after now, within a school year.
pub fn check_due(now: i64, due_at: i64) -> Result<(), Reason> {
    if due_at <= now || due_at - now > DUE_MAX_DAYS * 86_400 {
        Err(Reason::OutOfRange)
    } else {
        Ok(())
    }
}

/// A free text (instructions, a hand-in, a review): trimmed, at most `max` characters, no
/// control characters but line breaks and tabs.
pub fn clean_text(raw: &str, max: usize) -> Result<String, Reason> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(Reason::TooLong);
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Reason::BadFormat);
    }
    Ok(text.to_string())
}

/// A grade as the review form sends it: empty for none, else one digit of the 5-point scale.
pub fn parse_grade(raw: &str) -> Result<Option<u8>, Reason> {
    match raw.trim() {
        "" => Ok(None),
        "1" => Ok(Some(1)),
        "2" => Ok(Some(2)),
        "3" => Ok(Some(3)),
        "4" => Ok(Some(4)),
        "5" => Ok(Some(5)),
        _ => Err(Reason::OutOfRange),
    }
}

/// The grade a review records, or why it is refused. Accepting a graded task needs a grade the
/// school counts as positive; a task without grades takes none; a returned work is never graded,
/// and needs a review that tells the student what to redo.
pub fn check_review(
    verdict: Verdict,
    grade: Option<u8>,
    task_graded: bool,
    review_text: &str,
    positive: PositiveGrades,
) -> Result<Option<u8>, (Field, Reason)> {
    match (verdict, grade) {
        (Verdict::Returned, Some(_)) => Err((Field::Mark, Reason::NotPositive)),
        (Verdict::Returned, None) if review_text.trim().is_empty() => {
            Err((Field::Review, Reason::Empty))
        }
        (Verdict::Returned, None) => Ok(None),
        (Verdict::Accepted, Some(g)) if !positive.contains(g) => {
            Err((Field::Mark, Reason::NotPositive))
        }
        (Verdict::Accepted, Some(_)) if !task_graded => Err((Field::Mark, Reason::OutOfRange)),
        (Verdict::Accepted, None) if task_graded => Err((Field::Mark, Reason::Empty)),
        (Verdict::Accepted, g) => Ok(g),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_digest_splits_overdue_today_and_later_in_bishkek_days() {
        // 2026-12-02 08:35 Bishkek is 02:35 UTC.
        let now = 1_796_178_900;
        let task = |id, due_at| super::super::OpenTask {
            id,
            subject: Default::default(),
            title: String::new(),
            due_at,
            returned: false,
        };
        let digest = digest(
            now,
            vec![
                task(1, now + 14 * 3600),  // 22:35 today
                task(2, now - 60),         // a minute ago
                task(3, now + 16 * 3600),  // 00:35 tomorrow
                task(4, now - 2 * 86_400), // two days ago
                task(5, now + 3600),       // 09:35 today
            ],
        );
        let ids = |list: &[super::super::OpenTask]| list.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(&digest.overdue), [4, 2]);
        assert_eq!(ids(&digest.today), [5, 1]);
        assert_eq!(digest.later, 1);
    }

    fn fact(task_id: i64, class: &str, teacher: &str, students: i64) -> TaskFact {
        TaskFact {
            task_id,
            class_name: class.into(),
            teacher_name: teacher.into(),
            students,
        }
    }

    fn handed(
        task_id: i64,
        student_id: i64,
        version: i64,
        late: bool,
        review_after: Option<i64>,
    ) -> HandInFact {
        HandInFact {
            task_id,
            student_id,
            version,
            late,
            handed_in_at: 1_000,
            reviewed_at: review_after.map(|s| 1_000 + s),
        }
    }

    #[test]
    fn completion_counts_pairs_not_versions() {
        let tasks = [
            fact(1, "5А", "Осмонова", 10),
            fact(2, "5А", "Маматов", 10),
            fact(3, "6Б", "Осмонова", 8),
        ];
        let hand_ins = [
            // Student 7: returned (after an hour), then handed in again late, not yet reviewed.
            handed(1, 7, 1, false, Some(3_600)),
            handed(1, 7, 2, true, None),
            // Student 8: late, accepted after two hours.
            handed(1, 8, 1, true, Some(7_200)),
            // Task 2: one on time, reviewed after a day.
            handed(2, 9, 1, false, Some(86_400)),
        ];
        let by_class = completion(&tasks, &hand_ins, |t| &t.class_name);
        assert_eq!(by_class.len(), 2);
        let a = &by_class[0];
        assert_eq!((a.name.as_str(), a.given, a.expected), ("5А", 2, 20));
        assert_eq!((a.handed_in, a.on_time, a.reviewed), (3, 2, 2));
        assert_eq!(a.median_review_secs, Some(7_200));
        let b = &by_class[1];
        assert_eq!(
            (b.name.as_str(), b.given, b.expected, b.handed_in),
            ("6Б", 1, 8, 0)
        );
        assert_eq!(b.median_review_secs, None);
        let by_teacher = completion(&tasks, &hand_ins, |t| &t.teacher_name);
        assert_eq!(by_teacher[0].name, "Осмонова");
        assert_eq!(
            (
                by_teacher[0].given,
                by_teacher[0].expected,
                by_teacher[0].handed_in
            ),
            (2, 18, 2)
        );
        // Two waits: the median is their mean.
        assert_eq!(by_teacher[0].median_review_secs, Some((3_600 + 7_200) / 2));
    }

    #[test]
    fn a_journal_average_has_one_decimal() {
        assert_eq!(average_text(&[5, 4]).as_deref(), Some("4.5"));
        assert_eq!(average_text(&[5, 4, 4]).as_deref(), Some("4.3"));
        assert_eq!(average_text(&[]), None);
    }

    #[test]
    fn the_latest_hand_in_decides_the_state() {
        assert_eq!(HandInState::of_latest(None), HandInState::ToDo);
        assert_eq!(HandInState::of_latest(Some(None)), HandInState::HandedIn);
        assert_eq!(
            HandInState::of_latest(Some(Some(Verdict::Returned))),
            HandInState::Returned
        );
        assert_eq!(
            HandInState::of_latest(Some(Some(Verdict::Accepted))),
            HandInState::Accepted
        );
        assert!(HandInState::ToDo.open() && HandInState::Returned.open());
        assert!(!HandInState::HandedIn.open() && !HandInState::Accepted.open());
    }

    #[test]
    fn hand_ins_stop_at_acceptance_and_at_withdrawal() {
        assert_eq!(may_hand_in(HandInState::ToDo, false), Ok(()));
        assert_eq!(may_hand_in(HandInState::Returned, false), Ok(()));
        assert_eq!(may_hand_in(HandInState::HandedIn, false), Ok(()));
        assert_eq!(
            may_hand_in(HandInState::Accepted, false),
            Err(Reason::AlreadyAccepted)
        );
        for state in [
            HandInState::ToDo,
            HandInState::Returned,
            HandInState::HandedIn,
            HandInState::Accepted,
        ] {
            assert_eq!(may_hand_in(state, true), Err(Reason::Withdrawn));
        }
    }

    #[test]
    fn only_a_positive_result_is_graded() {
        use Verdict::*;
        const P: PositiveGrades = PositiveGrades::DEFAULT;
        assert_eq!(check_review(Accepted, Some(5), true, "", P), Ok(Some(5)));
        assert_eq!(check_review(Accepted, Some(3), true, "", P), Ok(Some(3)));
        assert_eq!(
            check_review(Accepted, Some(2), true, "жакшы", P),
            Err((Field::Mark, Reason::NotPositive))
        );
        assert_eq!(
            check_review(Accepted, Some(1), true, "", P),
            Err((Field::Mark, Reason::NotPositive))
        );
        assert_eq!(
            check_review(Accepted, None, true, "", P),
            Err((Field::Mark, Reason::Empty))
        );
        // An ungraded task is accepted without a grade, and refuses one.
        assert_eq!(check_review(Accepted, None, false, "", P), Ok(None));
        assert_eq!(
            check_review(Accepted, Some(5), false, "", P),
            Err((Field::Mark, Reason::OutOfRange))
        );
        // Returned: never a grade, always a reason.
        assert_eq!(
            check_review(Returned, Some(2), true, "кайра жаз", P),
            Err((Field::Mark, Reason::NotPositive))
        );
        assert_eq!(
            check_review(Returned, None, true, "  ", P),
            Err((Field::Review, Reason::Empty))
        );
        assert_eq!(check_review(Returned, None, true, "кайра жаз", P), Ok(None));
    }

    #[test]
    fn a_school_may_count_fewer_grades_as_positive_never_more() {
        use Verdict::*;
        let strict = PositiveGrades::parse("4").unwrap();
        assert_eq!(strict.best_first().collect::<Vec<_>>(), vec![5, 4]);
        assert_eq!(
            check_review(Accepted, Some(3), true, "", strict),
            Err((Field::Mark, Reason::NotPositive))
        );
        assert_eq!(
            check_review(Accepted, Some(4), true, "", strict),
            Ok(Some(4))
        );
        assert_eq!(
            PositiveGrades::DEFAULT.best_first().collect::<Vec<_>>(),
            vec![5, 4, 3]
        );
        // "2" (and below) can never be made positive; nothing but a digit is read.
        assert_eq!(PositiveGrades::parse("2"), Err(Reason::OutOfRange));
        assert_eq!(PositiveGrades::parse("6"), Err(Reason::OutOfRange));
        assert_eq!(PositiveGrades::parse("3,4"), Err(Reason::BadFormat));
        assert_eq!(PositiveGrades::parse(" 5 ").map(|p| p.lowest()), Ok(5));
    }

    #[test]
    fn due_reads_in_bishkek_days() {
        // 2026-12-02 00:00 Bishkek is 2026-12-01 18:00 UTC.
        let midnight = 1_796_148_000;
        let due = midnight + 18 * 3600; // 18:00 the same day
        assert_eq!(due_state(midnight + 8 * 3600, due), Due::Today);
        assert_eq!(due_state(midnight - 60, due), Due::Later);
        assert_eq!(due_state(due + 1, due), Due::Overdue);
        assert_eq!(due_state(due, due), Due::Today);
        assert!(is_late(due + 1, due) && !is_late(due, due));
    }

    #[test]
    fn a_due_date_is_ahead_and_within_a_year() {
        assert_eq!(check_due(1000, 1000), Err(Reason::OutOfRange));
        assert_eq!(check_due(1000, 999), Err(Reason::OutOfRange));
        assert_eq!(check_due(1000, 1001), Ok(()));
        assert_eq!(
            check_due(0, DUE_MAX_DAYS * 86_400 + 1),
            Err(Reason::OutOfRange)
        );
    }

    #[test]
    fn texts_are_trimmed_capped_and_free_of_control_characters() {
        assert_eq!(clean_text("  бөлчөк \n", 10), Ok("бөлчөк".to_string()));
        assert_eq!(clean_text("1\n2\t3", 10), Ok("1\n2\t3".to_string()));
        assert_eq!(clean_text("a\u{0}b", 10), Err(Reason::BadFormat));
        assert_eq!(clean_text(&"ы".repeat(11), 10), Err(Reason::TooLong));
        assert_eq!(clean_text(&"ы".repeat(10), 10), Ok("ы".repeat(10)));
    }

    #[test]
    fn forms_of_work_round_trip_through_the_database() {
        for form in WorkForm::ALL {
            assert_eq!(WorkForm::from_db(form.as_db()), Some(form));
        }
        assert_eq!(WorkForm::from_db("exam"), None);
        for v in [Verdict::Accepted, Verdict::Returned] {
            assert_eq!(Verdict::from_db(v.as_db()), Some(v));
        }
    }

    #[test]
    fn files_are_judged_by_their_first_bytes() {
        let webm = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81];
        assert_eq!(sniff_audio(&webm), Some("audio/webm"));
        assert_eq!(sniff_audio(b"OggS\0\x02"), Some("audio/ogg"));
        assert_eq!(sniff_audio(b"ID3\x04\0"), Some("audio/mpeg"));
        assert_eq!(sniff_audio(b"\0\0\0\x20ftypM4A \0\0"), Some("audio/mp4"));
        assert_eq!(sniff_audio(b"RIFF\x24\0\0\0WAVEfmt "), Some("audio/wav"));
        // A script named answer.webm, a page, an empty file: refused.
        assert_eq!(sniff_audio(b"<script>alert(1)</script>"), None);
        assert_eq!(sniff_work(b"<!doctype html>"), None);
        assert_eq!(sniff_work(b""), None);
        // A photo of a notebook page and a PDF are work; a PDF is no audio review.
        assert_eq!(sniff_work(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_work(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff_audio(b"%PDF-1.7"), None);
        assert!(is_audio("audio/webm") && !is_audio("image/png"));
        assert!(is_image("image/png") && !is_image("application/pdf"));
    }

    fn mark(date: &str, grade: i64) -> super::super::JournalMark {
        super::super::JournalMark {
            student_id: 7,
            date: date.into(),
            grade,
            title: format!("{date}/{grade}"),
        }
    }

    fn subject(name: &str) -> crate::timetable::SubjectName {
        crate::timetable::SubjectName {
            ky: name.into(),
            ru: name.into(),
            en: name.into(),
        }
    }

    #[test]
    fn a_grade_book_lists_every_taught_subject_and_keeps_stray_grades() {
        let book = grade_book(
            vec![(1, subject("Математика")), (2, subject("Кыргыз тили"))],
            vec![
                (2, subject("Кыргыз тили"), mark("2026-11-20", 4)),
                (3, subject("Химия"), mark("2026-09-10", 5)),
                (2, subject("Кыргыз тили"), mark("2026-11-03", 5)),
            ],
        );
        let rows: Vec<(i64, Vec<i64>)> = book
            .iter()
            .map(|r| (r.subject_id, r.marks.iter().map(|m| m.grade).collect()))
            .collect();
        // Mathematics has no grade yet but keeps its row; the oldest grade comes first.
        assert_eq!(rows, vec![(1, vec![]), (2, vec![5, 4]), (3, vec![5])]);
    }

    proptest! {
        /// Whatever the form sends, a recorded grade is positive, and only for an accepted,
        /// graded task.
        #[test]
        fn no_review_records_a_negative_grade(
            raw in "\\PC{0,3}|[0-9]",
            accepted in any::<bool>(),
            graded in any::<bool>(),
            text in "\\PC{0,8}",
            lowest in 3u8..=5,
        ) {
            let verdict = if accepted { Verdict::Accepted } else { Verdict::Returned };
            let positive = PositiveGrades::from_lowest(lowest).unwrap();
            if let Ok(grade) = parse_grade(&raw) {
                if let Ok(Some(g)) = check_review(verdict, grade, graded, &text, positive) {
                    prop_assert!(g >= lowest && g <= 5 && g > 2);
                    prop_assert!(accepted && graded);
                }
            }
        }

        /// A grade book keeps every grade once, under its own subject, each row oldest first.
        #[test]
        fn a_grade_book_keeps_every_grade_once(
            taught in proptest::collection::btree_set(0i64..6, 0..6),
            raw in proptest::collection::vec((0i64..8, 1u32..28, 3i64..=5), 0..30),
        ) {
            let graded: Vec<_> = raw
                .iter()
                .map(|&(s, day, g)| (s, subject(&s.to_string()), mark(&format!("2026-11-{day:02}"), g)))
                .collect();
            let taught: Vec<_> = taught.into_iter().map(|s| (s, subject(&s.to_string()))).collect();
            let book = grade_book(taught.clone(), graded);
            prop_assert_eq!(book.iter().map(|r| r.marks.len()).sum::<usize>(), raw.len());
            prop_assert!(taught.iter().zip(&book).all(|(t, r)| t.0 == r.subject_id));
            for row in &book {
                let mut want: Vec<(String, i64)> = raw
                    .iter()
                    .filter(|(s, ..)| *s == row.subject_id)
                    .map(|&(_, day, g)| (format!("2026-11-{day:02}"), g))
                    .collect();
                want.sort_by(|a, b| a.0.cmp(&b.0));
                let got: Vec<(String, i64)> = row.marks.iter().map(|m| (m.date.clone(), m.grade)).collect();
                prop_assert_eq!(got, want);
            }
        }

        /// Late is exactly "after the due instant", and an overdue task is always late.
        #[test]
        fn late_and_overdue_agree(now in 0i64..4_000_000_000, due in 0i64..4_000_000_000) {
            prop_assert_eq!(is_late(now, due), due_state(now, due) == Due::Overdue);
        }

        /// Every open task is in the digest once: overdue ones before now, today's on today's
        /// Bishkek date, each list by due time, the rest counted.
        #[test]
        fn the_digest_keeps_every_open_task_once(
            now in 1_700_000_000i64..1_900_000_000,
            offsets in proptest::collection::vec(-3 * 86_400i64..3 * 86_400, 0..12),
        ) {
            let open: Vec<super::super::OpenTask> = offsets
                .iter()
                .enumerate()
                .map(|(i, offset)| super::super::OpenTask {
                    id: i as i64,
                    subject: Default::default(),
                    title: format!("t{i}"),
                    due_at: now + offset,
                    returned: i % 2 == 0,
                })
                .collect();
            let digest = digest(now, open);
            prop_assert_eq!(digest.overdue.len() + digest.today.len() + digest.later, offsets.len());
            prop_assert!(digest.overdue.iter().all(|t| t.due_at < now));
            prop_assert!(digest.today.iter().all(|t| t.due_at >= now && (t.due_at - now) < 86_400));
            for list in [&digest.overdue, &digest.today] {
                prop_assert!(list.windows(2).all(|w| w[0].due_at <= w[1].due_at));
            }
        }

        /// Whatever was handed in, the figures stay in order: reviewed and on time within
        /// handed in, handed in within what was owed (each student of a class once per task),
        /// and the groups add up to the whole.
        #[test]
        fn completion_figures_stay_in_order(
            students in proptest::collection::vec(1i64..6, 1..5),
            raw in proptest::collection::vec((0usize..5, 0i64..6, 1i64..4, any::<bool>(), proptest::option::of(0i64..200_000)), 0..40),
        ) {
            let tasks: Vec<TaskFact> = students
                .iter()
                .enumerate()
                .map(|(i, n)| fact(i as i64, ["5А", "6Б"][i % 2], ["A", "B", "C"][i % 3], *n))
                .collect();
            let hand_ins: Vec<HandInFact> = raw
                .iter()
                .filter(|(t, s, ..)| *t < tasks.len() && *s < tasks[*t].students)
                .map(|&(t, s, v, late, review)| handed(t as i64, s, v, late, review))
                .collect();
            let by_class = completion(&tasks, &hand_ins, |t| &t.class_name);
            let by_teacher = completion(&tasks, &hand_ins, |t| &t.teacher_name);
            for lines in [&by_class, &by_teacher] {
                for l in lines.iter() {
                    prop_assert!(l.reviewed <= l.handed_in && l.on_time <= l.handed_in);
                    prop_assert!(l.handed_in <= l.expected);
                }
                let sum = |f: fn(&super::super::CompletionLine) -> i64| lines.iter().map(f).sum::<i64>();
                prop_assert_eq!(sum(|l| l.given), tasks.len() as i64);
                prop_assert_eq!(sum(|l| l.expected), students.iter().sum::<i64>());
            }
            prop_assert_eq!(
                by_class.iter().map(|l| l.handed_in).sum::<i64>(),
                by_teacher.iter().map(|l| l.handed_in).sum::<i64>()
            );
        }
    }
}
