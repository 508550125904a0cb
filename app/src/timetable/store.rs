//! SQL for the timetable (server only).
// Row tuples mirror their SELECT lists one to one.
#![allow(clippy::type_complexity)]

use super::rules::{self, Slot};
use super::{LessonForm, LessonMode, SubjectName, Weeks};
use crate::db::{now, Db};
use crate::error::AppResult;
use std::collections::HashMap;

/// One weekly lesson with the names pages show.
#[derive(Debug, Clone)]
pub struct LessonRow {
    pub id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub weekday: u8,
    pub period: i64,
    pub subject: SubjectName,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub form: LessonForm,
    pub mode: LessonMode,
    pub room: Option<String>,
    pub weeks: Weeks,
}

impl LessonRow {
    pub fn slot(&self) -> Slot {
        Slot {
            lesson_id: self.id,
            weekday: self.weekday,
            period: self.period,
            class_id: self.class_id,
            teacher_id: self.teacher_id,
            room: self.room.clone(),
            weeks: self.weeks,
        }
    }
}

pub struct Calendar {
    /// Days since the epoch of the school year's first day.
    pub year_start: i64,
    pub bell_variant: String,
}

/// The school's calendar; without one, the school year starts on 1 September.
pub async fn calendar(db: &Db) -> AppResult<Calendar> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT year_start, bell_variant FROM school_calendar ORDER BY school_id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    let today = crate::db::bishkek_day(now());
    let default_start = {
        let year = if today.month >= 8 {
            today.year
        } else {
            today.year - 1
        };
        rules::days_from_civil(year, 9, 1)
    };
    Ok(match row {
        Some((start, variant)) => Calendar {
            year_start: rules::parse_iso_date(&start).unwrap_or(default_start),
            bell_variant: variant,
        },
        None => Calendar {
            year_start: default_start,
            bell_variant: "distance".into(),
        },
    })
}

/// Period number -> (start, end) in minutes since midnight.
pub async fn periods(db: &Db, variant: &str) -> AppResult<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT number, starts_min, ends_min FROM bell_periods WHERE variant = $1")
            .bind(variant)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(n, s, e)| (n, (s, e))).collect())
}

const LESSON_SELECT: &str =
    "SELECT l.id, l.class_id, c.name, l.weekday, l.period, s.name_ky, s.name_ru, s.name_en,
        l.teacher_id, t.full_name, l.form, l.mode, l.room, l.weeks
    FROM lessons l
    JOIN classes c ON c.id = l.class_id
    JOIN subjects s ON s.id = l.subject_id
    JOIN users t ON t.id = l.teacher_id";

type LessonTuple = (
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
);

fn to_row(t: LessonTuple) -> LessonRow {
    let (
        id,
        class_id,
        class_name,
        weekday,
        period,
        ky,
        ru,
        en,
        teacher_id,
        teacher_name,
        form,
        mode,
        room,
        weeks,
    ) = t;
    LessonRow {
        id,
        class_id,
        class_name,
        weekday: weekday as u8,
        period,
        subject: SubjectName { ky, ru, en },
        teacher_id,
        teacher_name,
        form: LessonForm::from_db(&form),
        mode: LessonMode::from_db(&mode),
        room,
        weeks: Weeks::from_db(&weeks).unwrap_or(Weeks::All),
    }
}

pub async fn lessons_of_class(db: &Db, class_id: i64) -> AppResult<Vec<LessonRow>> {
    let rows: Vec<LessonTuple> = sqlx::query_as(&format!(
        "{LESSON_SELECT} WHERE l.class_id = $1 ORDER BY l.weekday, l.period"
    ))
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(to_row).collect())
}

pub async fn lessons_of_teacher(db: &Db, teacher_id: i64) -> AppResult<Vec<LessonRow>> {
    let rows: Vec<LessonTuple> = sqlx::query_as(&format!(
        "{LESSON_SELECT} WHERE l.teacher_id = $1 ORDER BY l.weekday, l.period"
    ))
    .bind(teacher_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(to_row).collect())
}

pub async fn lesson(db: &Db, lesson_id: i64) -> AppResult<Option<LessonRow>> {
    let row: Option<LessonTuple> = sqlx::query_as(&format!("{LESSON_SELECT} WHERE l.id = $1"))
        .bind(lesson_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(to_row))
}

pub async fn teaches_in_class(db: &Db, teacher_id: i64, class_id: i64) -> AppResult<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM lessons WHERE teacher_id = $1 AND class_id = $2")
            .bind(teacher_id)
            .bind(class_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

pub async fn class_name(db: &Db, class_id: i64) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM classes WHERE id = $1")
        .bind(class_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// (lesson id, `YYYY-MM-DD`) -> (link, topic).
pub type Occurrences = HashMap<(i64, String), (Option<String>, Option<String>)>;

/// (lesson id, date) -> (link, topic) for the given lessons' class or teacher between two dates.
pub async fn occurrences(
    db: &Db,
    class_id: Option<i64>,
    teacher_id: Option<i64>,
    from: &str,
    to: &str,
) -> AppResult<Occurrences> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT o.lesson_id, o.date, o.link, o.topic FROM lesson_occurrences o JOIN lessons l ON l.id = o.lesson_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2) AND o.date >= $3 AND o.date <= $4",
    )
    .bind(class_id.unwrap_or(-1))
    .bind(teacher_id.unwrap_or(-1))
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, date, link, topic)| ((id, date), (link, topic)))
        .collect())
}

pub async fn save_occurrence(
    db: &Db,
    lesson_id: i64,
    date: &str,
    link: Option<&str>,
    topic: Option<&str>,
    by: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO lesson_occurrences (lesson_id, date, link, topic, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lesson_id, date) DO UPDATE SET link = excluded.link, topic = excluded.topic,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(lesson_id)
    .bind(date)
    .bind(link)
    .bind(topic)
    .bind(by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The most recent link given for this lesson before `date` (a standing Zoom/Meet room).
pub async fn last_link_before(db: &Db, lesson_id: i64, date: &str) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT link FROM lesson_occurrences WHERE lesson_id = $1 AND date < $2 AND link IS NOT NULL
         ORDER BY date DESC LIMIT 1",
    )
    .bind(lesson_id)
    .bind(date)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(l,)| l))
}

pub async fn occurrence_link(db: &Db, lesson_id: i64, date: &str) -> AppResult<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT link FROM lesson_occurrences WHERE lesson_id = $1 AND date = $2")
            .bind(lesson_id)
            .bind(date)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(l,)| l))
}

pub async fn record_join(db: &Db, lesson_id: i64, date: &str, student_id: i64) -> AppResult<()> {
    sqlx::query("INSERT INTO lesson_joins (lesson_id, date, student_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(lesson_id)
        .bind(date)
        .bind(student_id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// One occurrence of a weekly lesson that has ended: the lesson, its day and its times.
#[derive(Debug, Clone)]
pub struct Held {
    pub lesson: LessonRow,
    /// Day count since 1970-01-01 (Bishkek calendar).
    pub day: i64,
    pub starts: i64,
    pub ends: i64,
}

/// The occurrences of these weekly lessons from day `from` to day `to` (both included) that have
/// ended by now (today's only once over), by day and period parity; newest first.
pub async fn held_between(
    db: &Db,
    lessons: &[LessonRow],
    from: i64,
    to: i64,
) -> AppResult<Vec<Held>> {
    let calendar = calendar(db).await?;
    let periods = periods(db, &calendar.bell_variant).await?;
    let now = now();
    let today = crate::db::day_number(now);
    let minute = (now + 6 * 3600).rem_euclid(86_400) / 60;
    let mut out = Vec::new();
    for day in (from..=to.min(today)).rev() {
        let weekday = rules::weekday_of(day);
        let week = rules::teaching_week(day, calendar.year_start);
        for lesson in lessons {
            if lesson.weekday != weekday || !lesson.weeks.runs_in(week) {
                continue;
            }
            let Some((starts, ends)) = periods.get(&lesson.period).copied() else {
                continue;
            };
            if day == today && minute < ends {
                continue;
            }
            out.push(Held {
                lesson: lesson.clone(),
                day,
                starts,
                ends,
            });
        }
    }
    out.sort_by_key(|h| (std::cmp::Reverse(h.day), std::cmp::Reverse(h.starts)));
    Ok(out)
}
