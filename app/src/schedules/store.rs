//! SQL for the other schedules (server only).

use super::{DutyShift, MethodicalDay, TvLesson};
use crate::db::{now, Db};
use crate::error::AppResult;

/// TV lessons on or after a date, for a grade (`None`: all), by date and time.
pub async fn tv_lessons(db: &Db, from: &str, grade: Option<i64>) -> AppResult<Vec<TvLesson>> {
    Ok(sqlx::query_as(
        "SELECT id, channel, date, starts_min, ends_min, grade_from, grade_to, subject, topic
         FROM tv_lessons WHERE date >= $1 AND ($2 = 0 OR (grade_from <= $2 AND grade_to >= $2))
         ORDER BY date, starts_min, channel",
    )
    .bind(from)
    .bind(grade.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?)
}

pub async fn duty(db: &Db) -> AppResult<Vec<DutyShift>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.weekday, u.full_name AS person_name, d.starts_min, d.ends_min
         FROM duty_rota d JOIN users u ON u.id = d.person_id ORDER BY d.weekday, d.starts_min, u.full_name",
    )
    .fetch_all(&db.pool)
    .await?)
}

pub async fn methodical(db: &Db) -> AppResult<Vec<MethodicalDay>> {
    Ok(sqlx::query_as(
        "SELECT id, association, weekday, starts_min, ends_min, room FROM methodical_days
         ORDER BY weekday, starts_min, association",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// Staff who may be on duty: admins and teachers, by name.
pub async fn staff(db: &Db) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.full_name FROM users u WHERE u.active = 1 AND EXISTS (SELECT 1 FROM role_grants g
           WHERE g.user_id = u.id AND g.role IN ('admin', 'teacher')) ORDER BY u.sort_key, u.id",
    )
    .fetch_all(&db.pool)
    .await?)
}

pub async fn add_tv(db: &Db, author: i64, t: &TvLesson) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO tv_lessons (school_id, channel, date, starts_min, ends_min, grade_from, grade_to,
           subject, topic, created_at)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(author)
    .bind(&t.channel)
    .bind(&t.date)
    .bind(t.starts_min)
    .bind(t.ends_min)
    .bind(t.grade_from)
    .bind(t.grade_to)
    .bind(&t.subject)
    .bind(&t.topic)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn add_duty(db: &Db, person: i64, weekday: i64, hours: (i64, i64)) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO duty_rota (school_id, weekday, person_id, starts_min, ends_min, created_at)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $2, $1, $3, $4, $5)",
    )
    .bind(person)
    .bind(weekday)
    .bind(hours.0)
    .bind(hours.1)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn add_methodical(db: &Db, author: i64, day: &MethodicalDay) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO methodical_days (school_id, association, weekday, starts_min, ends_min, room, created_at)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $2, $3, $4, $5, $6, $7)",
    )
    .bind(author)
    .bind(&day.association)
    .bind(day.weekday)
    .bind(day.starts_min)
    .bind(day.ends_min)
    .bind(&day.room)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Removes one entry; whether it existed.
pub async fn remove(db: &Db, table: &'static str, id: i64) -> AppResult<bool> {
    let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}
