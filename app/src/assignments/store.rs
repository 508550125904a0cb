//! SQL for tasks, hand-ins and the journal (server only).

use super::rules::{self, HandInState, Verdict, WorkForm};
use super::{
    FileRef, HandIn, JournalChoice, JournalMark, OpenTask, TaskSummary, TaskText, Teaching,
};
use crate::db::{lock_row, Db};
use crate::error::{AppError, AppResult, Reason};
use crate::timetable::SubjectName;
use std::collections::HashMap;

fn subject(ky: String, ru: String, en: String) -> SubjectName {
    SubjectName { ky, ru, en }
}

#[derive(sqlx::FromRow)]
struct TeachingRow {
    class_id: i64,
    class_name: String,
    subject_id: i64,
    name_ky: String,
    name_ru: String,
    name_en: String,
}

impl From<TeachingRow> for Teaching {
    fn from(r: TeachingRow) -> Teaching {
        Teaching {
            class_id: r.class_id,
            class_name: r.class_name,
            subject_id: r.subject_id,
            subject: subject(r.name_ky, r.name_ru, r.name_en),
        }
    }
}

/// The classes and subjects a teacher has lessons of, by class and subject name.
pub async fn teaching(db: &Db, teacher_id: i64) -> AppResult<Vec<Teaching>> {
    let rows: Vec<TeachingRow> = sqlx::query_as(
        "SELECT DISTINCT l.class_id, c.name AS class_name, l.subject_id, s.name_ky, s.name_ru, s.name_en
         FROM lessons l JOIN classes c ON c.id = l.class_id JOIN subjects s ON s.id = l.subject_id
         WHERE l.teacher_id = $1 ORDER BY c.name, s.name_ky",
    )
    .bind(teacher_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Teaching::from).collect())
}

/// Every subject taught in a class (the class teacher's and the admin's journal).
pub async fn subjects_of_class(db: &Db, class_id: i64) -> AppResult<Vec<Teaching>> {
    let rows: Vec<TeachingRow> = sqlx::query_as(
        "SELECT DISTINCT l.class_id, c.name AS class_name, l.subject_id, s.name_ky, s.name_ru, s.name_en
         FROM lessons l JOIN classes c ON c.id = l.class_id JOIN subjects s ON s.id = l.subject_id
         WHERE l.class_id = $1 ORDER BY s.name_ky",
    )
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Teaching::from).collect())
}

/// Every class × subject of the school (admins).
pub async fn all_teaching(db: &Db) -> AppResult<Vec<Teaching>> {
    let rows: Vec<TeachingRow> = sqlx::query_as(
        "SELECT DISTINCT l.class_id, c.name AS class_name, l.subject_id, s.name_ky, s.name_ru, s.name_en
         FROM lessons l JOIN classes c ON c.id = l.class_id JOIN subjects s ON s.id = l.subject_id
         ORDER BY c.name, s.name_ky",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Teaching::from).collect())
}

pub fn as_choice(t: Teaching) -> JournalChoice {
    JournalChoice {
        class_id: t.class_id,
        class_name: t.class_name,
        subject_id: t.subject_id,
        subject: t.subject,
    }
}

/// A task as the teacher's form gives it.
pub struct NewTask<'a> {
    pub class_id: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    pub task: TaskEdit<'a>,
}

pub async fn create(db: &Db, t: &NewTask<'_>) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assignments (school_id, class_id, subject_id, teacher_id, title, instructions,
           link, form, due_at, graded, created_at)
         SELECT school_id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM classes WHERE id = $1
         RETURNING id",
    )
    .bind(t.class_id)
    .bind(t.subject_id)
    .bind(t.teacher_id)
    .bind(t.task.title)
    .bind(t.task.instructions)
    .bind(t.task.link)
    .bind(t.task.form.as_db())
    .bind(t.task.due_at)
    .bind(i64::from(t.task.graded))
    .bind(crate::db::now())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// A task's own fields: what its teacher writes when giving it, and may change until the
/// first hand-in.
pub struct TaskEdit<'a> {
    pub title: &'a str,
    pub instructions: &'a str,
    pub link: Option<&'a str>,
    pub form: WorkForm,
    pub due_at: i64,
    pub graded: bool,
}

/// Changes a task while it is not withdrawn and nobody has handed it in, in one statement (a
/// hand-in arriving meanwhile wins): `false` when it could not.
pub async fn update(db: &Db, id: i64, t: &TaskEdit<'_>) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE assignments SET title = $2, instructions = $3, link = $4, form = $5, due_at = $6,
           graded = $7
         WHERE id = $1 AND withdrawn_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM hand_ins h WHERE h.assignment_id = $1)",
    )
    .bind(id)
    .bind(t.title)
    .bind(t.instructions)
    .bind(t.link)
    .bind(t.form.as_db())
    .bind(t.due_at)
    .bind(i64::from(t.graded))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A task with who it belongs to, for the server functions' checks.
#[derive(sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub class_id: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub class_name: String,
    pub title: String,
    pub instructions: String,
    pub link: Option<String>,
    pub form: String,
    pub due_at: i64,
    pub graded: i64,
    pub withdrawn_at: Option<i64>,
    pub name_ky: String,
    pub name_ru: String,
    pub name_en: String,
}

impl TaskRow {
    pub fn withdrawn(&self) -> bool {
        self.withdrawn_at.is_some()
    }

    pub fn text(&self) -> TaskText {
        TaskText {
            id: self.id,
            subject: subject(
                self.name_ky.clone(),
                self.name_ru.clone(),
                self.name_en.clone(),
            ),
            teacher_name: self.teacher_name.clone(),
            title: self.title.clone(),
            instructions: self.instructions.clone(),
            link: self.link.clone(),
            form: WorkForm::from_db(&self.form).unwrap_or(WorkForm::SelfStudy),
            due_at: self.due_at,
            graded: self.graded != 0,
        }
    }
}

const TASK_SELECT: &str =
    "SELECT a.id, a.class_id, a.subject_id, a.teacher_id, t.full_name AS teacher_name,
       c.name AS class_name, a.title, a.instructions, a.link, a.form, a.due_at, a.graded,
       a.withdrawn_at, s.name_ky, s.name_ru, s.name_en
     FROM assignments a JOIN users t ON t.id = a.teacher_id JOIN classes c ON c.id = a.class_id
     JOIN subjects s ON s.id = a.subject_id";

pub async fn task(db: &Db, id: i64) -> AppResult<Option<TaskRow>> {
    Ok(sqlx::query_as(&format!("{TASK_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?)
}

/// A class's tasks that are not withdrawn, soonest due first.
pub async fn tasks_of_class(db: &Db, class_id: i64) -> AppResult<Vec<TaskRow>> {
    Ok(sqlx::query_as(&format!(
        "{TASK_SELECT} WHERE a.class_id = $1 AND a.withdrawn_at IS NULL ORDER BY a.due_at, a.id"
    ))
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn withdraw(db: &Db, id: i64) -> AppResult<()> {
    sqlx::query("UPDATE assignments SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL")
        .bind(id)
        .bind(crate::db::now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    class_name: String,
    title: String,
    form: String,
    due_at: i64,
    graded: i64,
    withdrawn_at: Option<i64>,
    name_ky: String,
    name_ru: String,
    name_en: String,
    students: i64,
    handed_in: i64,
    to_review: i64,
    accepted: i64,
}

/// The latest version of each student's hand-in (a correlated subquery both engines plan well
/// with the `(assignment_id, student_id, version)` unique index).
const LATEST: &str = "h.version = (SELECT MAX(h2.version) FROM hand_ins h2
       WHERE h2.assignment_id = h.assignment_id AND h2.student_id = h.student_id)";

fn summary_select() -> String {
    format!(
        "SELECT a.id, c.name AS class_name, a.title, a.form, a.due_at, a.graded, a.withdrawn_at,
           s.name_ky, s.name_ru, s.name_en,
           (SELECT COUNT(*) FROM enrolments e JOIN users u ON u.id = e.student_id
              WHERE e.class_id = a.class_id AND u.active = 1) AS students,
           (SELECT COUNT(DISTINCT h.student_id) FROM hand_ins h WHERE h.assignment_id = a.id) AS handed_in,
           (SELECT COUNT(*) FROM hand_ins h WHERE h.assignment_id = a.id AND h.verdict IS NULL AND {LATEST}) AS to_review,
           (SELECT COUNT(*) FROM hand_ins h WHERE h.assignment_id = a.id AND h.verdict = 'accepted' AND {LATEST}) AS accepted
         FROM assignments a JOIN classes c ON c.id = a.class_id JOIN subjects s ON s.id = a.subject_id"
    )
}

impl From<SummaryRow> for TaskSummary {
    fn from(r: SummaryRow) -> TaskSummary {
        TaskSummary {
            id: r.id,
            class_name: r.class_name,
            subject: subject(r.name_ky, r.name_ru, r.name_en),
            title: r.title,
            form: WorkForm::from_db(&r.form).unwrap_or(WorkForm::SelfStudy),
            due_at: r.due_at,
            graded: r.graded != 0,
            withdrawn: r.withdrawn_at.is_some(),
            students: r.students,
            handed_in: r.handed_in,
            to_review: r.to_review,
            accepted: r.accepted,
        }
    }
}

/// A teacher's tasks, the newest due first (withdrawn ones too, marked).
pub async fn tasks_of_teacher(db: &Db, teacher_id: i64) -> AppResult<Vec<TaskSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{} WHERE a.teacher_id = $1 ORDER BY a.withdrawn_at IS NOT NULL, a.due_at DESC, a.id DESC LIMIT 200",
        summary_select()
    ))
    .bind(teacher_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(TaskSummary::from).collect())
}

pub async fn summary(db: &Db, task_id: i64) -> AppResult<Option<TaskSummary>> {
    let row: Option<SummaryRow> = sqlx::query_as(&format!("{} WHERE a.id = $1", summary_select()))
        .bind(task_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(TaskSummary::from))
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    student_id: i64,
    id: i64,
    title: String,
    due_at: i64,
    name_ky: String,
    name_ru: String,
    name_en: String,
    returned: i64,
}

/// What a student has still to hand in, by due time.
pub async fn open_tasks_of_student(db: &Db, student_id: i64) -> AppResult<Vec<OpenTask>> {
    let key = crate::cache::CacheKey::OpenTasks(student_id);
    crate::cache::cached(db, key, || async {
        let pairs = open_tasks(db, "e.student_id", student_id).await?;
        Ok(pairs.into_iter().map(|(_, task)| task).collect())
    })
    .await
}

/// What each student of a class has still to hand in: (student, task) by due time.
pub async fn open_tasks_of_class(db: &Db, class_id: i64) -> AppResult<Vec<(i64, OpenTask)>> {
    open_tasks(db, "e.class_id", class_id).await
}

/// The tasks active students have still to hand in: given to their class, not withdrawn, and
/// never handed in or returned for rework (`filter` is a constant of ours, never input).
async fn open_tasks(db: &Db, filter: &str, id: i64) -> AppResult<Vec<(i64, OpenTask)>> {
    let rows: Vec<OpenRow> = sqlx::query_as(&format!(
        "SELECT e.student_id, a.id, a.title, a.due_at, s.name_ky, s.name_ru, s.name_en,
           CASE WHEN h.id IS NULL THEN 0 ELSE 1 END AS returned
         FROM enrolments e
         JOIN users u ON u.id = e.student_id AND u.active = 1
         JOIN assignments a ON a.class_id = e.class_id AND a.withdrawn_at IS NULL
         JOIN subjects s ON s.id = a.subject_id
         LEFT JOIN hand_ins h ON h.assignment_id = a.id AND h.student_id = e.student_id AND {LATEST}
         WHERE {filter} = $1 AND (h.id IS NULL OR h.verdict = 'returned')
         ORDER BY a.due_at, a.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let task = OpenTask {
                id: r.id,
                subject: subject(r.name_ky, r.name_ru, r.name_en),
                title: r.title,
                due_at: r.due_at,
                returned: r.returned != 0,
            };
            (r.student_id, task)
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CompletionRow {
    student_id: i64,
    handed_in: i64,
    on_time: i64,
}

/// A class's tasks due in a period and, per student, how many they handed in and how many of
/// those on time (a first version before the due time).
#[derive(Debug, Default)]
pub struct ClassCompletion {
    pub given: i64,
    /// student → (handed in, on time)
    pub by_student: HashMap<i64, (i64, i64)>,
}

/// `from`..`until` are unix seconds, `until` exclusive.
pub async fn completion_of_class(
    db: &Db,
    class_id: i64,
    from: i64,
    until: i64,
) -> AppResult<ClassCompletion> {
    const IN_PERIOD: &str =
        "a.class_id = $1 AND a.withdrawn_at IS NULL AND a.due_at >= $2 AND a.due_at < $3";
    let (given,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM assignments a WHERE {IN_PERIOD}"
    ))
    .bind(class_id)
    .bind(from)
    .bind(until)
    .fetch_one(&db.pool)
    .await?;
    let rows: Vec<CompletionRow> = sqlx::query_as(&format!(
        "SELECT h.student_id, COUNT(DISTINCT h.assignment_id) AS handed_in,
           COUNT(DISTINCT CASE WHEN h.late = 0 THEN h.assignment_id END) AS on_time
         FROM hand_ins h JOIN assignments a ON a.id = h.assignment_id
         WHERE {IN_PERIOD} GROUP BY h.student_id"
    ))
    .bind(class_id)
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    Ok(ClassCompletion {
        given,
        by_student: rows
            .into_iter()
            .map(|r| (r.student_id, (r.handed_in, r.on_time)))
            .collect(),
    })
}

#[derive(sqlx::FromRow)]
struct TaskFactRow {
    task_id: i64,
    class_name: String,
    teacher_name: String,
    students: i64,
}

#[derive(sqlx::FromRow)]
struct HandInFactRow {
    task_id: i64,
    student_id: i64,
    version: i64,
    late: i64,
    handed_in_at: i64,
    reviewed_at: Option<i64>,
}

/// Every task due in `from`..`until` (unix seconds, `until` exclusive; withdrawn ones left out)
/// and every version handed in to them: what the completion figures are counted from.
pub async fn completion_facts(
    db: &Db,
    from: i64,
    until: i64,
) -> AppResult<(Vec<rules::TaskFact>, Vec<rules::HandInFact>)> {
    const DUE_IN: &str = "a.withdrawn_at IS NULL AND a.due_at >= $1 AND a.due_at < $2";
    let tasks: Vec<TaskFactRow> = sqlx::query_as(&format!(
        "SELECT a.id AS task_id, c.name AS class_name, u.full_name AS teacher_name,
           (SELECT COUNT(*) FROM enrolments e JOIN users s ON s.id = e.student_id
              WHERE e.class_id = a.class_id AND s.active = 1) AS students
         FROM assignments a JOIN classes c ON c.id = a.class_id JOIN users u ON u.id = a.teacher_id
         WHERE {DUE_IN} ORDER BY a.due_at, a.id"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let hand_ins: Vec<HandInFactRow> = sqlx::query_as(&format!(
        "SELECT h.assignment_id AS task_id, h.student_id, h.version, h.late, h.handed_in_at,
           h.reviewed_at
         FROM hand_ins h JOIN assignments a ON a.id = h.assignment_id WHERE {DUE_IN}"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    Ok((
        tasks
            .into_iter()
            .map(|r| rules::TaskFact {
                task_id: r.task_id,
                class_name: r.class_name,
                teacher_name: r.teacher_name,
                students: r.students,
            })
            .collect(),
        hand_ins
            .into_iter()
            .map(|r| rules::HandInFact {
                task_id: r.task_id,
                student_id: r.student_id,
                version: r.version,
                late: r.late != 0,
                handed_in_at: r.handed_in_at,
                reviewed_at: r.reviewed_at,
            })
            .collect(),
    ))
}

/// How many hand-ins wait for this teacher's review (the latest version of each, unreviewed,
/// on tasks not withdrawn).
pub async fn waiting_for_review(db: &Db, teacher_id: i64) -> AppResult<i64> {
    let (count,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM hand_ins h JOIN assignments a ON a.id = h.assignment_id
         WHERE a.teacher_id = $1 AND a.withdrawn_at IS NULL AND h.verdict IS NULL AND {LATEST}"
    ))
    .bind(teacher_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(count)
}

#[derive(sqlx::FromRow)]
struct HandInRow {
    id: i64,
    assignment_id: i64,
    student_id: i64,
    version: i64,
    body: String,
    handed_in_at: i64,
    late: i64,
    verdict: Option<String>,
    review: Option<String>,
    grade: Option<i64>,
}

impl HandInRow {
    fn into_hand_in(self) -> HandIn {
        HandIn {
            id: self.id,
            version: self.version,
            body: self.body,
            files: Vec::new(),
            handed_in_at: self.handed_in_at,
            late: self.late != 0,
            verdict: self.verdict.as_deref().and_then(Verdict::from_db),
            review: self.review,
            review_audio: None,
            grade: self.grade.and_then(|g| u8::try_from(g).ok()),
        }
    }
}

const HAND_IN_SELECT: &str = "SELECT h.id, h.assignment_id, h.student_id, h.version, h.body,
       h.handed_in_at, h.late, h.verdict, h.review, h.grade FROM hand_ins h";

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    hand_in_id: i64,
    part: String,
    file_name: String,
    mime: String,
    size: i64,
}

/// (task, student) → every version, newest first, with their files: one student's or a whole
/// task's (`filter` is a constant of ours, never input).
async fn versions(db: &Db, filter: &str, id: i64) -> AppResult<HashMap<(i64, i64), Vec<HandIn>>> {
    let rows: Vec<HandInRow> = sqlx::query_as(&format!(
        "{HAND_IN_SELECT} WHERE {filter} = $1 ORDER BY h.assignment_id, h.student_id, h.version DESC"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let files: Vec<FileRow> = sqlx::query_as(&format!(
        "SELECT f.id, f.hand_in_id, f.part, f.file_name, f.mime, f.size FROM hand_in_files f
         JOIN hand_ins h ON h.id = f.hand_in_id WHERE {filter} = $1 ORDER BY f.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_hand_in: HashMap<i64, Vec<FileRow>> = HashMap::new();
    for f in files {
        by_hand_in.entry(f.hand_in_id).or_default().push(f);
    }
    let mut out: HashMap<(i64, i64), Vec<HandIn>> = HashMap::new();
    for r in rows {
        let key = (r.assignment_id, r.student_id);
        let mut hand_in = r.into_hand_in();
        for f in by_hand_in.remove(&hand_in.id).unwrap_or_default() {
            let file = FileRef {
                id: f.id,
                name: f.file_name,
                mime: f.mime,
                size: f.size,
            };
            if f.part == "review" {
                hand_in.review_audio = Some(file);
            } else {
                hand_in.files.push(file);
            }
        }
        out.entry(key).or_default().push(hand_in);
    }
    Ok(out)
}

/// A student's hand-ins of every task: task → versions, newest first.
pub async fn versions_of_student(db: &Db, student_id: i64) -> AppResult<HashMap<i64, Vec<HandIn>>> {
    Ok(versions(db, "h.student_id", student_id)
        .await?
        .into_iter()
        .map(|((task, _), v)| (task, v))
        .collect())
}

/// A task's hand-ins: student → versions, newest first.
pub async fn versions_of_task(db: &Db, task_id: i64) -> AppResult<HashMap<i64, Vec<HandIn>>> {
    Ok(versions(db, "h.assignment_id", task_id)
        .await?
        .into_iter()
        .map(|((_, student), v)| (student, v))
        .collect())
}

/// A file checked and named, ready to store.
pub struct NewFile<'a> {
    pub name: String,
    pub mime: &'static str,
    pub data: &'a [u8],
}

async fn add_file(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    hand_in_id: i64,
    part: &str,
    f: &NewFile<'_>,
    at: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO hand_in_files (hand_in_id, part, file_name, mime, size, data, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hand_in_id)
    .bind(part)
    .bind(&f.name)
    .bind(f.mime)
    .bind(f.data.len() as i64)
    .bind(f.data)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Hands in a new version with its files, if the task and the student's state allow it
/// (checked under the task's row lock, so two hand-ins at once get versions one after the
/// other).
pub async fn hand_in(
    db: &Db,
    task_id: i64,
    student_id: i64,
    body: &str,
    files: &[NewFile<'_>],
    at: i64,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    lock_row(&mut tx, "assignments", task_id).await?;
    let (due_at, withdrawn): (i64, Option<i64>) =
        sqlx::query_as("SELECT due_at, withdrawn_at FROM assignments WHERE id = $1")
            .bind(task_id)
            .fetch_one(&mut *tx)
            .await?;
    let latest: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT version, verdict FROM hand_ins WHERE assignment_id = $1 AND student_id = $2
         ORDER BY version DESC LIMIT 1",
    )
    .bind(task_id)
    .bind(student_id)
    .fetch_optional(&mut *tx)
    .await?;
    let state = HandInState::of_latest(
        latest
            .as_ref()
            .map(|(_, v)| v.as_deref().and_then(Verdict::from_db)),
    );
    rules::may_hand_in(state, withdrawn.is_some())
        .map_err(|reason| AppError::invalid(crate::error::Field::Task, reason))?;
    let version = latest.map_or(1, |(v, _)| v + 1);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO hand_ins (assignment_id, student_id, version, body, handed_in_at, late)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(task_id)
    .bind(student_id)
    .bind(version)
    .bind(body)
    .bind(at)
    .bind(i64::from(rules::is_late(at, due_at)))
    .fetch_one(&mut *tx)
    .await?;
    for f in files {
        add_file(&mut tx, id, "work", f, at).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A hand-in's task and student, and whether it is the student's latest version.
#[derive(sqlx::FromRow)]
pub struct HandInOwner {
    pub assignment_id: i64,
    pub student_id: i64,
    pub latest: i64,
}

pub async fn hand_in_owner(db: &Db, hand_in_id: i64) -> AppResult<Option<HandInOwner>> {
    Ok(sqlx::query_as(&format!(
        "SELECT h.assignment_id, h.student_id, CASE WHEN {LATEST} THEN 1 ELSE 0 END AS latest
         FROM hand_ins h WHERE h.id = $1"
    ))
    .bind(hand_in_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// A teacher's review of one hand-in.
pub struct Review<'a> {
    pub hand_in_id: i64,
    pub verdict: Verdict,
    pub text: &'a str,
    pub grade: Option<u8>,
    /// A new audio review replaces the one before; none keeps it.
    pub audio: Option<&'a NewFile<'a>>,
    pub teacher_id: i64,
}

/// Records the teacher's review of the latest version (a later one handed in meanwhile makes
/// it `Changed`: the teacher looks again).
pub async fn review(db: &Db, r: &Review<'_>) -> AppResult<()> {
    let at = crate::db::now();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(&format!(
        "UPDATE hand_ins SET verdict = $2, review = $3, grade = $4, reviewed_by = $5, reviewed_at = $6
         WHERE id = $1 AND EXISTS (SELECT 1 FROM hand_ins h WHERE h.id = hand_ins.id AND {LATEST})"
    ))
    .bind(r.hand_in_id)
    .bind(r.verdict.as_db())
    .bind((!r.text.is_empty()).then_some(r.text))
    .bind(r.grade.map(i64::from))
    .bind(r.teacher_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid(
            crate::error::Field::Task,
            Reason::Changed,
        ));
    }
    if let Some(audio) = r.audio {
        sqlx::query("DELETE FROM hand_in_files WHERE hand_in_id = $1 AND part = 'review'")
            .bind(r.hand_in_id)
            .execute(&mut *tx)
            .await?;
        add_file(&mut tx, r.hand_in_id, "review", audio, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A stored file with whose work it is, for the download's check.
#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub file_name: String,
    pub mime: String,
    pub data: Vec<u8>,
    pub student_id: i64,
    pub teacher_id: i64,
    pub class_id: i64,
}

pub async fn file(db: &Db, id: i64) -> AppResult<Option<StoredFile>> {
    Ok(sqlx::query_as(
        "SELECT f.file_name, f.mime, f.data, h.student_id, a.teacher_id, a.class_id
         FROM hand_in_files f JOIN hand_ins h ON h.id = f.hand_in_id
         JOIN assignments a ON a.id = h.assignment_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct MarkRow {
    student_id: i64,
    reviewed_at: i64,
    grade: i64,
    title: String,
}

/// The grades of one class × subject: accepted, graded hand-ins of tasks not withdrawn.
pub async fn journal(db: &Db, class_id: i64, subject_id: i64) -> AppResult<Vec<JournalMark>> {
    let rows: Vec<MarkRow> = sqlx::query_as(
        "SELECT h.student_id, h.reviewed_at, h.grade, a.title FROM hand_ins h
         JOIN assignments a ON a.id = h.assignment_id
         WHERE a.class_id = $1 AND a.subject_id = $2 AND a.withdrawn_at IS NULL
           AND h.verdict = 'accepted' AND h.grade IS NOT NULL
         ORDER BY h.reviewed_at",
    )
    .bind(class_id)
    .bind(subject_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| JournalMark {
            student_id: r.student_id,
            date: crate::timetable::rules::iso_date(crate::db::day_number(r.reviewed_at)),
            grade: r.grade,
            title: r.title,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct StudentMarkRow {
    subject_id: i64,
    name_ky: String,
    name_ru: String,
    name_en: String,
    reviewed_at: i64,
    grade: i64,
    title: String,
}

/// One student's grades, whatever the subject: accepted, graded hand-ins of tasks not withdrawn.
pub async fn grades_of_student(
    db: &Db,
    student_id: i64,
) -> AppResult<Vec<(i64, SubjectName, JournalMark)>> {
    let rows: Vec<StudentMarkRow> = sqlx::query_as(
        "SELECT a.subject_id, s.name_ky, s.name_ru, s.name_en, h.reviewed_at, h.grade, a.title
         FROM hand_ins h
         JOIN assignments a ON a.id = h.assignment_id
         JOIN subjects s ON s.id = a.subject_id
         WHERE h.student_id = $1 AND a.withdrawn_at IS NULL
           AND h.verdict = 'accepted' AND h.grade IS NOT NULL
         ORDER BY h.reviewed_at",
    )
    .bind(student_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let subject = subject(r.name_ky, r.name_ru, r.name_en);
            let mark = JournalMark {
                student_id,
                date: crate::timetable::rules::iso_date(crate::db::day_number(r.reviewed_at)),
                grade: r.grade,
                title: r.title,
            };
            (r.subject_id, subject, mark)
        })
        .collect())
}

/// The grades the school of this class counts as positive (its setting, else 3 to 5).
pub async fn positive_grades_of_class(db: &Db, class_id: i64) -> AppResult<rules::PositiveGrades> {
    let lowest: Option<(i64,)> = sqlx::query_as(
        "SELECT g.lowest_positive FROM classes c
         JOIN grading_settings g ON g.school_id = c.school_id WHERE c.id = $1",
    )
    .bind(class_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(as_positive(lowest))
}

/// The positive grades of this person's school (its setting, else 3 to 5).
pub async fn positive_grades_of_school_of(
    db: &Db,
    user_id: i64,
) -> AppResult<rules::PositiveGrades> {
    let lowest: Option<(i64,)> = sqlx::query_as(
        "SELECT lowest_positive FROM grading_settings
         WHERE school_id = (SELECT school_id FROM users WHERE id = $1)",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(as_positive(lowest))
}

fn as_positive(lowest: Option<(i64,)>) -> rules::PositiveGrades {
    lowest
        .and_then(|(l,)| u8::try_from(l).ok())
        .and_then(|l| rules::PositiveGrades::from_lowest(l).ok())
        .unwrap_or_default()
}

/// Sets the positive grades of this admin's school.
pub async fn save_positive_grades(
    db: &Db,
    admin_id: i64,
    positive: rules::PositiveGrades,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO grading_settings (school_id, lowest_positive)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $2)
         ON CONFLICT (school_id) DO UPDATE SET lowest_positive = excluded.lowest_positive",
    )
    .bind(admin_id)
    .bind(i64::from(positive.lowest()))
    .execute(&db.pool)
    .await?;
    Ok(())
}
