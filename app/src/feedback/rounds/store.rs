//! SQL for feedback rounds (server only).

use super::rules::NewQuestion;
use super::{Question, QuestionKind};
use crate::db::{now, Db};
use crate::error::AppResult;
use std::collections::{HashMap, HashSet};

/// A round as stored, with its author's and class's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub class_id: Option<i64>,
    pub class_name: Option<String>,
    pub title: String,
    pub opens_on: String,
    pub closes_on: String,
    pub repeat_days: i64,
    pub stopped: i64,
}

const ROUND_SELECT: &str = "SELECT r.id, r.author_id, a.full_name AS author_name, r.class_id,
        c.name AS class_name, r.title, r.opens_on, r.closes_on, r.repeat_days, r.stopped
     FROM feedback_rounds r JOIN users a ON a.id = r.author_id
     LEFT JOIN classes c ON c.id = r.class_id";

/// A new round with its questions; returns its id.
pub async fn create(
    db: &Db,
    author_id: i64,
    class_id: Option<i64>,
    title: &str,
    dates: (&str, &str, i64),
    questions: &[NewQuestion],
) -> AppResult<i64> {
    let (opens, closes, repeat_days) = dates;
    let mut tx = db.begin_write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO feedback_rounds (school_id, author_id, class_id, title, opens_on, closes_on,
           repeat_days, created_at)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $1, $2, $3, $4, $5, $6, $7)
         RETURNING id",
    )
    .bind(author_id)
    .bind(class_id)
    .bind(title)
    .bind(opens)
    .bind(closes)
    .bind(repeat_days)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    for (position, q) in questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO round_questions (round_id, position, kind, prompt, choices)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(q.kind.as_db())
        .bind(&q.prompt)
        .bind(q.choices.join("\n"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn round(db: &Db, id: i64) -> AppResult<Option<RoundRow>> {
    Ok(sqlx::query_as(&format!("{ROUND_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?)
}

/// The rounds an author opened (`None`: every round of the school), newest first.
pub async fn rounds_by(db: &Db, author_id: Option<i64>) -> AppResult<Vec<RoundRow>> {
    Ok(sqlx::query_as(&format!(
        "{ROUND_SELECT} WHERE r.author_id = $1 OR $1 = -1 ORDER BY r.id DESC"
    ))
    .bind(author_id.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await?)
}

/// The running rounds a student of a class answers: the class's and the school's.
pub async fn rounds_for_class(db: &Db, class_id: i64) -> AppResult<Vec<RoundRow>> {
    Ok(sqlx::query_as(&format!(
        "{ROUND_SELECT} WHERE (r.class_id = $1 OR r.class_id IS NULL) AND r.stopped = 0
         ORDER BY r.closes_on, r.id"
    ))
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn questions(db: &Db, round_id: i64) -> AppResult<Vec<Question>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, kind, prompt, choices FROM round_questions WHERE round_id = $1
         ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, prompt, choices)| {
            Some(Question {
                id,
                kind: QuestionKind::from_db(&kind)?,
                prompt,
                choices: choices
                    .lines()
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect())
}

/// The active students a round asks (a class's, or the school's): (id, "name (class)").
pub async fn audience(db: &Db, class_id: Option<i64>) -> AppResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.full_name, c.name FROM enrolments e
         JOIN users u ON u.id = e.student_id JOIN classes c ON c.id = e.class_id
         WHERE u.active = 1 AND (e.class_id = $1 OR $1 = -1)
         ORDER BY c.name, u.full_name",
    )
    .bind(class_id.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, class)| (id, format!("{name} ({class})")))
        .collect())
}

/// Who answered a cycle.
pub async fn respondents(db: &Db, round_id: i64, cycle: i64) -> AppResult<HashSet<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT student_id FROM round_responses WHERE round_id = $1 AND cycle = $2")
            .bind(round_id)
            .bind(cycle)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A cycle's answers without their authors: question → values, newest response first.
pub async fn answers(db: &Db, round_id: i64, cycle: i64) -> AppResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.question_id, a.value FROM round_answers a
         JOIN round_responses r ON r.id = a.response_id
         WHERE r.round_id = $1 AND r.cycle = $2 ORDER BY r.answered_at DESC, r.id DESC",
    )
    .bind(round_id)
    .bind(cycle)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (question, value) in rows {
        out.entry(question).or_default().push(value);
    }
    Ok(out)
}

/// A student's own answers of a cycle: question → value.
pub async fn mine(
    db: &Db,
    round_id: i64,
    cycle: i64,
    student_id: i64,
) -> AppResult<Option<HashMap<i64, String>>> {
    let rows: Vec<(i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT r.id, a.question_id, a.value FROM round_responses r
         LEFT JOIN round_answers a ON a.response_id = r.id
         WHERE r.round_id = $1 AND r.cycle = $2 AND r.student_id = $3",
    )
    .bind(round_id)
    .bind(cycle)
    .bind(student_id)
    .fetch_all(&db.pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter()
            .filter_map(|(_, q, v)| Some((q?, v?)))
            .collect(),
    ))
}

/// Saves a student's answers to a cycle, replacing earlier ones (one response per cycle).
pub async fn save_response(
    db: &Db,
    round_id: i64,
    cycle: i64,
    student_id: i64,
    answers: &[(i64, String)],
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let (response,): (i64,) = sqlx::query_as(
        "INSERT INTO round_responses (round_id, cycle, student_id, answered_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (round_id, cycle, student_id) DO UPDATE SET answered_at = excluded.answered_at
         RETURNING id",
    )
    .bind(round_id)
    .bind(cycle)
    .bind(student_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM round_answers WHERE response_id = $1")
        .bind(response)
        .execute(&mut *tx)
        .await?;
    for (question, value) in answers {
        sqlx::query(
            "INSERT INTO round_answers (response_id, question_id, value) VALUES ($1, $2, $3)",
        )
        .bind(response)
        .bind(question)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether the student was reminded in this cycle.
pub async fn was_reminded(db: &Db, round_id: i64, cycle: i64, student_id: i64) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT at FROM round_reminders WHERE round_id = $1 AND cycle = $2 AND student_id = $3",
    )
    .bind(round_id)
    .bind(cycle)
    .bind(student_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some())
}

/// How many students were reminded in a cycle, and when the last reminder went.
pub async fn reminders(db: &Db, round_id: i64, cycle: i64) -> AppResult<(i64, Option<i64>)> {
    let (count, last): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(at) FROM round_reminders WHERE round_id = $1 AND cycle = $2",
    )
    .bind(round_id)
    .bind(cycle)
    .fetch_one(&db.pool)
    .await?;
    Ok((count, last))
}

/// Reminds these students (again, if already reminded: the time moves on).
pub async fn remind(db: &Db, round_id: i64, cycle: i64, students: &[i64]) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    for student in students {
        sqlx::query(
            "INSERT INTO round_reminders (round_id, cycle, student_id, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (round_id, cycle, student_id) DO UPDATE SET at = excluded.at",
        )
        .bind(round_id)
        .bind(cycle)
        .bind(student)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Stops a repeating round: no further cycles open for students.
pub async fn stop(db: &Db, round_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE feedback_rounds SET stopped = 1 WHERE id = $1")
        .bind(round_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Classes a person may open a round for: every class (`None`), or those a teacher teaches or
/// leads. (id, name) by name.
pub async fn classes_for(db: &Db, teacher_id: Option<i64>) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.name FROM classes c
         WHERE $1 = -1 OR c.class_teacher_id = $1
            OR EXISTS (SELECT 1 FROM lessons l WHERE l.class_id = c.id AND l.teacher_id = $1)
         ORDER BY c.grade, c.name",
    )
    .bind(teacher_id.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await?)
}
