//! SQL for feedback and attendance (server only).
// Row tuples mirror their SELECT lists one to one.
#![allow(clippy::type_complexity)]

use super::rules::Attendance;
use super::{AnswerAudio, InboxItem, MyFeedback};
use crate::assignments::store::NewFile;
use crate::db::{now, Db};
use crate::error::AppResult;
use crate::timetable::SubjectName;
use std::collections::HashMap;

/// A student's feedback on one lesson occurrence, as the form sends it.
pub struct NewFeedback<'a> {
    pub lesson_id: i64,
    pub date: &'a str,
    pub class_id: i64,
    pub teacher_id: i64,
    pub student_id: i64,
    pub rating: u8,
    pub clear_text: &'a str,
    pub unclear_text: &'a str,
    pub comment: &'a str,
    pub anonymous: bool,
}

/// Saves the student's feedback: one per student per lesson occurrence, edited in place.
pub async fn save_feedback(db: &Db, f: &NewFeedback<'_>) -> AppResult<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO lesson_feedback (lesson_id, date, class_id, teacher_id, student_id, rating,
           clear_text, unclear_text, comment, anonymous, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (lesson_id, date, student_id) DO UPDATE SET rating = excluded.rating,
           clear_text = excluded.clear_text, unclear_text = excluded.unclear_text,
           comment = excluded.comment, anonymous = excluded.anonymous,
           updated_at = excluded.updated_at",
    )
    .bind(f.lesson_id)
    .bind(f.date)
    .bind(f.class_id)
    .bind(f.teacher_id)
    .bind(f.student_id)
    .bind(i64::from(f.rating))
    .bind(f.clear_text)
    .bind(f.unclear_text)
    .bind(f.comment)
    .bind(i64::from(f.anonymous))
    .bind(at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MineRow {
    id: i64,
    lesson_id: i64,
    date: String,
    rating: i64,
    clear_text: String,
    unclear_text: String,
    comment: String,
    anonymous: i64,
    answer: Option<String>,
    audio_size: Option<i64>,
}

fn answer_audio(feedback_id: i64, size: Option<i64>) -> Option<AnswerAudio> {
    size.map(|size| AnswerAudio { feedback_id, size })
}

/// The student's own feedback of the last days: (lesson, date) → feedback.
pub async fn mine(
    db: &Db,
    student_id: i64,
    since: &str,
) -> AppResult<HashMap<(i64, String), MyFeedback>> {
    let rows: Vec<MineRow> = sqlx::query_as(
        "SELECT f.id, f.lesson_id, f.date, f.rating, f.clear_text, f.unclear_text, f.comment,
           f.anonymous, f.answer, a.size AS audio_size
         FROM lesson_feedback f LEFT JOIN feedback_answer_audio a ON a.feedback_id = f.id
         WHERE f.student_id = $1 AND f.date >= $2",
    )
    .bind(student_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                (r.lesson_id, r.date),
                MyFeedback {
                    rating: r.rating as u8,
                    clear_text: r.clear_text,
                    unclear_text: r.unclear_text,
                    comment: r.comment,
                    anonymous: r.anonymous == 1,
                    answer: r.answer,
                    answer_audio: answer_audio(r.id, r.audio_size),
                },
            )
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct InboxRow {
    id: i64,
    date: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    class_name: String,
    rating: i64,
    clear_text: String,
    unclear_text: String,
    comment: String,
    author: Option<String>,
    answer: Option<String>,
    audio_size: Option<i64>,
}

/// The teacher's feedback, unanswered first, newest first. The author's name is read only for
/// feedback that is not anonymous; for the rest it never leaves the database.
pub async fn inbox(db: &Db, teacher_id: i64, limit: i64) -> AppResult<Vec<InboxItem>> {
    let rows: Vec<InboxRow> = sqlx::query_as(
        "SELECT f.id, f.date, s.name_ky, s.name_ru, s.name_en, c.name AS class_name, f.rating,
           f.clear_text, f.unclear_text, f.comment,
           CASE WHEN f.anonymous = 1 THEN NULL ELSE u.full_name END AS author,
           f.answer, a.size AS audio_size
         FROM lesson_feedback f
         JOIN lessons l ON l.id = f.lesson_id
         JOIN subjects s ON s.id = l.subject_id
         JOIN classes c ON c.id = f.class_id
         JOIN users u ON u.id = f.student_id
         LEFT JOIN feedback_answer_audio a ON a.feedback_id = f.id
         WHERE f.teacher_id = $1
         ORDER BY CASE WHEN f.answer IS NULL THEN 0 ELSE 1 END, f.date DESC, f.id DESC
         LIMIT $2",
    )
    .bind(teacher_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InboxItem {
            id: r.id,
            date: r.date,
            subject: SubjectName {
                ky: r.name_ky,
                ru: r.name_ru,
                en: r.name_en,
            },
            class_name: r.class_name,
            rating: r.rating as u8,
            clear_text: r.clear_text,
            unclear_text: r.unclear_text,
            comment: r.comment,
            author: r.author,
            answer: r.answer,
            answer_audio: answer_audio(r.id, r.audio_size),
        })
        .collect())
}

pub async fn unanswered(db: &Db, teacher_id: i64) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM lesson_feedback WHERE teacher_id = $1 AND answer IS NULL",
    )
    .bind(teacher_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}

/// Whose lesson a feedback is on (to check an answer's author).
pub async fn feedback_teacher(db: &Db, feedback_id: i64) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT teacher_id FROM lesson_feedback WHERE id = $1")
            .bind(feedback_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|r| r.0))
}

/// Saves the teacher's answer: the text (empty when only recorded), and the recording when one
/// came, replacing an earlier one; both in one write.
pub async fn answer(
    db: &Db,
    feedback_id: i64,
    text: &str,
    audio: Option<&NewFile<'_>>,
) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE lesson_feedback SET answer = $1, answered_at = $2 WHERE id = $3")
        .bind(text)
        .bind(at)
        .bind(feedback_id)
        .execute(&mut *tx)
        .await?;
    if let Some(audio) = audio {
        sqlx::query(
            "INSERT INTO feedback_answer_audio (feedback_id, mime, size, data, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (feedback_id) DO UPDATE SET mime = excluded.mime, size = excluded.size,
               data = excluded.data, created_at = excluded.created_at",
        )
        .bind(feedback_id)
        .bind(audio.mime)
        .bind(audio.data.len() as i64)
        .bind(audio.data)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether a feedback's answer has a recording.
pub async fn has_answer_audio(db: &Db, feedback_id: i64) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT size FROM feedback_answer_audio WHERE feedback_id = $1")
            .bind(feedback_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.is_some())
}

/// A recorded answer with the two people who may hear it: the lesson's teacher and the
/// feedback's author (anonymous or not).
#[derive(sqlx::FromRow)]
pub struct StoredAnswerAudio {
    pub teacher_id: i64,
    pub student_id: i64,
    pub mime: String,
    pub data: Vec<u8>,
}

pub async fn answer_audio_file(db: &Db, feedback_id: i64) -> AppResult<Option<StoredAnswerAudio>> {
    Ok(sqlx::query_as(
        "SELECT f.teacher_id, f.student_id, a.mime, a.data
         FROM feedback_answer_audio a JOIN lesson_feedback f ON f.id = a.feedback_id
         WHERE a.feedback_id = $1",
    )
    .bind(feedback_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Feedback given and answered per (lesson, date) of a teacher since a day.
pub async fn feedback_counts(
    db: &Db,
    teacher_id: i64,
    since: &str,
) -> AppResult<HashMap<(i64, String), (i64, i64)>> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT lesson_id, date, COUNT(*),
           CAST(SUM(CASE WHEN answer IS NULL THEN 0 ELSE 1 END) AS BIGINT)
         FROM lesson_feedback WHERE teacher_id = $1 AND date >= $2 GROUP BY lesson_id, date",
    )
    .bind(teacher_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(l, d, given, answered)| ((l, d), (given, answered)))
        .collect())
}

/// Joins and the teacher's marks for the lessons of a class since a day:
/// (lesson, date, student) → (joined, mark).
pub async fn attendance_of_class(
    db: &Db,
    class_id: i64,
    since: &str,
) -> AppResult<HashMap<(i64, String, i64), (bool, Option<Attendance>)>> {
    let joins: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT j.lesson_id, j.date, j.student_id FROM lesson_joins j
         JOIN lessons l ON l.id = j.lesson_id WHERE l.class_id = $1 AND j.date >= $2",
    )
    .bind(class_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let marks: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT m.lesson_id, m.date, m.student_id, m.status FROM attendance_marks m
         JOIN lessons l ON l.id = m.lesson_id WHERE l.class_id = $1 AND m.date >= $2",
    )
    .bind(class_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<(i64, String, i64), (bool, Option<Attendance>)> = HashMap::new();
    for (l, d, s) in joins {
        out.entry((l, d, s)).or_default().0 = true;
    }
    for (l, d, s, status) in marks {
        out.entry((l, d, s)).or_default().1 = Attendance::from_db(&status);
    }
    Ok(out)
}

/// The students of a class, by name in Kyrgyz alphabet order: (id, full name).
pub async fn roster(db: &Db, class_id: i64) -> AppResult<Vec<(i64, String)>> {
    // `sort_key` is the Kyrgyz alphabet order of the name (accounts::rules::sort_key).
    let rows = sqlx::query_as(
        "SELECT u.id, u.full_name FROM enrolments e JOIN users u ON u.id = e.student_id
         WHERE e.class_id = $1 AND u.active = 1 ORDER BY u.sort_key, u.id",
    )
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows)
}

pub async fn mark(
    db: &Db,
    lesson_id: i64,
    date: &str,
    student_id: i64,
    status: Attendance,
    teacher_id: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO attendance_marks (lesson_id, date, student_id, status, set_by, at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lesson_id, date, student_id)
         DO UPDATE SET status = excluded.status, set_by = excluded.set_by, at = excluded.at",
    )
    .bind(lesson_id)
    .bind(date)
    .bind(student_id)
    .bind(status.as_db())
    .bind(teacher_id)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// How many signed feedbacks each student of a class gave on lessons between two ISO dates
/// (included). Anonymous feedback is never counted per student: a count that rose by one between
/// two periods would name its author.
pub async fn given_by_student(
    db: &Db,
    class_id: i64,
    from: &str,
    to: &str,
) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT student_id, COUNT(*) FROM lesson_feedback
         WHERE class_id = $1 AND date >= $2 AND date <= $3 AND anonymous = 0
         GROUP BY student_id",
    )
    .bind(class_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().collect())
}
