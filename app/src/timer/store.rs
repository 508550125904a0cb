//! SQL for lesson timers (server only).
// Row tuples mirror their SELECT lists one to one.
#![allow(clippy::type_complexity)]

use super::rules::{Caps, RunClock, Warnings};
use super::{ComplianceRow, RunRow, TimerSettings, TimerSnapshot};
use crate::db::Db;
use crate::error::AppResult;
use crate::timetable::SubjectName;

/// How long the "lesson over, take a break" screen stays after a stop.
pub const ENDED_VISIBLE_MS: i64 = 10 * 60_000;

/// A run with who owns it, as the server functions check it.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub snapshot: TimerSnapshot,
    pub teacher_id: i64,
}

pub struct ClassInfo {
    pub school_id: i64,
    pub name: String,
    pub grade: Option<u8>,
}

pub async fn class_info(db: &Db, class_id: i64) -> AppResult<Option<ClassInfo>> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT school_id, name, grade FROM classes WHERE id = $1")
            .bind(class_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(school_id, name, grade)| ClassInfo {
        school_id,
        name,
        grade: grade.map(|g| g as u8),
    }))
}

/// The regulation's caps with the school's changes laid over them.
pub async fn settings(db: &Db, school_id: i64) -> AppResult<TimerSettings> {
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT grade, cap_min FROM timer_caps WHERE school_id = $1")
            .bind(school_id)
            .fetch_all(&db.pool)
            .await?;
    let mut caps = Caps::default();
    for (grade, cap) in rows {
        if let Some(slot) = caps.0.get_mut(grade as usize) {
            *slot = cap.map(|c| c as u32);
        }
    }
    let warn: Option<(i64, i64)> = sqlx::query_as(
        "SELECT warn_first_min, warn_last_min FROM timer_settings WHERE school_id = $1",
    )
    .bind(school_id)
    .fetch_optional(&db.pool)
    .await?;
    let warnings = warn
        .map(|(first, last)| Warnings {
            first_min: first as u32,
            last_min: last as u32,
        })
        .unwrap_or_default();
    Ok(TimerSettings { caps, warnings })
}

pub async fn save_settings(db: &Db, school_id: i64, settings: &TimerSettings) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    for (grade, cap) in settings.caps.0.iter().enumerate() {
        sqlx::query(
            "INSERT INTO timer_caps (school_id, grade, cap_min) VALUES ($1, $2, $3)
             ON CONFLICT (school_id, grade) DO UPDATE SET cap_min = excluded.cap_min",
        )
        .bind(school_id)
        .bind(grade as i64)
        .bind(cap.map(|c| c as i64))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO timer_settings (school_id, warn_first_min, warn_last_min) VALUES ($1, $2, $3)
         ON CONFLICT (school_id) DO UPDATE
         SET warn_first_min = excluded.warn_first_min, warn_last_min = excluded.warn_last_min",
    )
    .bind(school_id)
    .bind(settings.warnings.first_min as i64)
    .bind(settings.warnings.last_min as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

const RUN_SELECT: &str = "SELECT r.id AS run_id, r.version, r.lesson_id, r.class_id,
        c.name AS class_name, s.name_ky, s.name_ru, s.name_en, t.full_name AS teacher_name,
        r.cap_min, r.planned_ms, r.started_ms, r.paused_total_ms, r.paused_at_ms, r.ended_ms,
        r.pauses, r.teacher_id
    FROM timer_runs r
    JOIN classes c ON c.id = r.class_id
    JOIN lessons l ON l.id = r.lesson_id
    JOIN subjects s ON s.id = l.subject_id
    JOIN users t ON t.id = r.teacher_id";

#[derive(sqlx::FromRow)]
struct RunColumns {
    run_id: i64,
    version: i64,
    lesson_id: i64,
    class_id: i64,
    class_name: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    teacher_name: String,
    cap_min: Option<i64>,
    planned_ms: i64,
    started_ms: i64,
    paused_total_ms: i64,
    paused_at_ms: Option<i64>,
    ended_ms: Option<i64>,
    pauses: i64,
    teacher_id: i64,
}

fn to_record(row: RunColumns) -> RunRecord {
    RunRecord {
        snapshot: TimerSnapshot {
            run_id: row.run_id,
            version: row.version,
            lesson_id: row.lesson_id,
            class_id: row.class_id,
            class_name: row.class_name,
            subject: SubjectName {
                ky: row.name_ky,
                ru: row.name_ru,
                en: row.name_en,
            },
            teacher_name: row.teacher_name,
            cap_min: row.cap_min.map(|c| c as u32),
            clock: RunClock {
                started_ms: row.started_ms,
                planned_ms: row.planned_ms,
                paused_total_ms: row.paused_total_ms,
                paused_at_ms: row.paused_at_ms,
                ended_ms: row.ended_ms,
                cap_ms: row.cap_min.map(|c| c * 60_000),
            },
            pauses: row.pauses,
        },
        teacher_id: row.teacher_id,
    }
}

pub async fn run(db: &Db, run_id: i64) -> AppResult<Option<RunRecord>> {
    let row: Option<RunColumns> = sqlx::query_as(&format!("{RUN_SELECT} WHERE r.id = $1"))
        .bind(run_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(to_record))
}

/// The class's run in progress, or the one that ended less than `ENDED_VISIBLE_MS` ago.
pub async fn current_run(db: &Db, class_id: i64, now_ms: i64) -> AppResult<Option<RunRecord>> {
    latest_run(db, "r.class_id", class_id, now_ms).await
}

/// The teacher's run in progress, or the one that ended a moment ago.
pub async fn teacher_current_run(
    db: &Db,
    teacher_id: i64,
    now_ms: i64,
) -> AppResult<Option<RunRecord>> {
    latest_run(db, "r.teacher_id", teacher_id, now_ms).await
}

/// The latest run whose `column` is `id`: in progress first, else the most recently ended.
async fn latest_run(
    db: &Db,
    column: &'static str,
    id: i64,
    now_ms: i64,
) -> AppResult<Option<RunRecord>> {
    let row: Option<RunColumns> = sqlx::query_as(&format!(
        "{RUN_SELECT} WHERE {column} = $1 AND (r.ended_ms IS NULL OR r.ended_ms > $2)
         ORDER BY r.ended_ms IS NULL DESC, r.ended_ms DESC LIMIT 1"
    ))
    .bind(id)
    .bind(now_ms - ENDED_VISIBLE_MS)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(to_record))
}

/// A school's runs still in progress, oldest first.
pub async fn live_runs_of_school(db: &Db, school_id: i64) -> AppResult<Vec<TimerSnapshot>> {
    let rows: Vec<RunColumns> = sqlx::query_as(&format!(
        "{RUN_SELECT} WHERE r.school_id = $1 AND r.ended_ms IS NULL ORDER BY r.started_ms"
    ))
    .bind(school_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| to_record(r).snapshot).collect())
}

/// Ids of the teacher's runs still in progress.
pub async fn live_runs_of_teacher(db: &Db, teacher_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM timer_runs WHERE teacher_id = $1 AND ended_ms IS NULL")
            .bind(teacher_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The active time of a lesson's finished runs on a date, in milliseconds.
pub async fn used_today_ms(db: &Db, lesson_id: i64, date: &str) -> AppResult<i64> {
    let (used,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(actual_ms), 0) AS BIGINT) FROM timer_runs
         WHERE lesson_id = $1 AND date = $2 AND ended_ms IS NOT NULL",
    )
    .bind(lesson_id)
    .bind(date)
    .fetch_one(&db.pool)
    .await?;
    Ok(used)
}

pub struct NewRun<'a> {
    pub school_id: i64,
    pub lesson_id: i64,
    pub class_id: i64,
    pub teacher_id: i64,
    pub date: &'a str,
    pub cap_min: Option<u32>,
    pub clock: RunClock,
}

/// Starts a run; `None` when the class already follows another run (the unique index decides,
/// so two teachers starting at the same instant cannot both win).
pub async fn insert_run(db: &Db, run: &NewRun<'_>) -> AppResult<Option<i64>> {
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO timer_runs (school_id, lesson_id, class_id, teacher_id, date, cap_min,
             planned_ms, started_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(run.school_id)
    .bind(run.lesson_id)
    .bind(run.class_id)
    .bind(run.teacher_id)
    .bind(run.date)
    .bind(run.cap_min.map(|c| c as i64))
    .bind(run.clock.planned_ms)
    .bind(run.clock.started_ms)
    .fetch_one(&db.pool)
    .await;
    match inserted {
        Ok((id,)) => Ok(Some(id)),
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Saves a changed clock if nobody changed the run meanwhile (`false`: try again).
pub async fn save_clock(
    db: &Db,
    snapshot: &TimerSnapshot,
    clock: &RunClock,
    pauses: i64,
    extensions_added: i64,
) -> AppResult<bool> {
    let (actual_ms, over_cap_ms) = match clock.ended_ms {
        Some(end) => (Some(clock.active_ms(end)), Some(clock.over_cap_ms(end))),
        None => (None, None),
    };
    let done = sqlx::query(
        "UPDATE timer_runs SET planned_ms = $1, paused_total_ms = $2, paused_at_ms = $3,
             ended_ms = $4, pauses = $5, extensions = extensions + $6, actual_ms = $7,
             over_cap_ms = $8, version = version + 1
         WHERE id = $9 AND version = $10",
    )
    .bind(clock.planned_ms)
    .bind(clock.paused_total_ms)
    .bind(clock.paused_at_ms)
    .bind(clock.ended_ms)
    .bind(pauses)
    .bind(extensions_added)
    .bind(actual_ms)
    .bind(over_cap_ms)
    .bind(snapshot.run_id)
    .bind(snapshot.version)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Finished runs grouped by teacher or class (`teacher` limits it to one teacher's runs).
pub async fn compliance(
    db: &Db,
    by_class: bool,
    teacher: Option<i64>,
) -> AppResult<Vec<ComplianceRow>> {
    let (join, group) = if by_class {
        ("JOIN classes g ON g.id = r.class_id", "g.id, g.name")
    } else {
        ("JOIN users g ON g.id = r.teacher_id", "g.id, g.full_name")
    };
    let name = if by_class { "g.name" } else { "g.full_name" };
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {name}, COUNT(*),
            CAST(SUM(CASE WHEN r.over_cap_ms = 0 THEN 1 ELSE 0 END) AS BIGINT),
            CAST(COALESCE(SUM(r.over_cap_ms), 0) / 1000 AS BIGINT)
         FROM timer_runs r {join}
         WHERE r.ended_ms IS NOT NULL AND ($1 = 0 OR r.teacher_id = $1)
         GROUP BY {group} ORDER BY {name}"
    ))
    .bind(teacher.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, runs, within_cap, over)| ComplianceRow {
            name,
            runs,
            within_cap,
            over_cap_seconds: over,
        })
        .collect())
}

/// The latest finished runs, newest first.
pub async fn recent_runs(db: &Db, teacher: Option<i64>, limit: i64) -> AppResult<Vec<RunRow>> {
    let rows: Vec<(
        String,
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
        i64,
        i64,
        i64,
        i64,
    )> = sqlx::query_as(
        "SELECT r.date, c.name, t.full_name, s.name_ky, s.name_ru, s.name_en, r.cap_min,
            r.planned_ms / 1000, COALESCE(r.actual_ms, 0) / 1000,
            COALESCE(r.over_cap_ms, 0) / 1000, r.pauses
         FROM timer_runs r
         JOIN classes c ON c.id = r.class_id
         JOIN users t ON t.id = r.teacher_id
         JOIN lessons l ON l.id = r.lesson_id
         JOIN subjects s ON s.id = l.subject_id
         WHERE r.ended_ms IS NOT NULL AND ($1 = 0 OR r.teacher_id = $1)
         ORDER BY r.ended_ms DESC LIMIT $2",
    )
    .bind(teacher.unwrap_or(0))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(date, class_name, teacher_name, ky, ru, en, cap, planned, actual, over, pauses)| {
                RunRow {
                    date,
                    class_name,
                    teacher_name,
                    subject: SubjectName { ky, ru, en },
                    cap_min: cap.map(|c| c as u32),
                    planned_seconds: planned,
                    actual_seconds: actual,
                    over_cap_seconds: over,
                    pauses,
                }
            },
        )
        .collect())
}
