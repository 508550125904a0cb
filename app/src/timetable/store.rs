//! SQL for the timetable (server only).
// Row tuples mirror their SELECT lists one to one.
#![allow(clippy::type_complexity)]

use super::rules::{self, Slot};
use super::terms::{self, Term, TermKind};
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
    pub subject_id: i64,
    /// Quarters for a school class, semesters for a university group.
    pub term_kind: TermKind,
}

impl LessonRow {
    /// Whether the lesson takes place on `day`: its weekday, in one of its teaching weeks, inside
    /// a term of its class's kind (not in a holiday).
    pub fn runs_on(&self, day: i64, calendar: &Calendar) -> bool {
        rules::weekday_of(day) == self.weekday
            && self
                .weeks
                .runs_in(rules::teaching_week(day, calendar.year_start))
            && terms::is_teaching_day(&calendar.terms, self.term_kind, day)
    }

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

#[derive(Clone)]
pub struct Calendar {
    /// Days since the epoch of the school year's first day.
    pub year_start: i64,
    pub bell_variant: String,
    /// Lessons may be held on Saturdays.
    pub saturday: bool,
    /// Quarters and semesters, by kind and number; empty when the school has not set them.
    pub terms: Vec<Term>,
}

/// The school's calendar; without one, the school year starts on 1 September.
pub async fn calendar(db: &Db) -> AppResult<Calendar> {
    let today = crate::db::today();
    crate::cache::cached(db, crate::cache::CacheKey::Calendar(today), || {
        load_calendar(db)
    })
    .await
}

async fn load_calendar(db: &Db) -> AppResult<Calendar> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT year_start, bell_variant, saturday FROM school_calendar ORDER BY school_id LIMIT 1",
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
    let terms = load_terms(db).await?;
    Ok(match row {
        Some((start, variant, saturday)) => Calendar {
            year_start: rules::parse_date(&start).unwrap_or(default_start),
            bell_variant: variant,
            saturday: saturday == 1,
            terms,
        },
        None => Calendar {
            year_start: default_start,
            bell_variant: "distance".into(),
            saturday: false,
            terms,
        },
    })
}

/// The school's quarters and semesters, in order.
pub async fn load_terms(db: &Db) -> AppResult<Vec<Term>> {
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT kind, number, starts, ends FROM academic_terms ORDER BY kind, number",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, number, starts, ends)| {
            Some(Term {
                kind: TermKind::from_db(&kind)?,
                number: number as u8,
                starts: rules::parse_date(&starts)?,
                ends: rules::parse_date(&ends)?,
            })
        })
        .collect())
}

/// Moves the admin's school year to start on `day`; terms outside the new year go.
pub async fn save_year_start(db: &Db, admin_id: i64, day: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO school_calendar (school_id, year_start)
         VALUES ((SELECT school_id FROM users WHERE id = $1), $2)
         ON CONFLICT (school_id) DO UPDATE SET year_start = excluded.year_start",
    )
    .bind(admin_id)
    .bind(rules::iso_date(day))
    .execute(&mut *tx)
    .await?;
    // ISO dates compare as text.
    sqlx::query(
        "DELETE FROM academic_terms
         WHERE school_id = (SELECT school_id FROM users WHERE id = $1) AND (starts < $2 OR ends > $3)",
    )
    .bind(admin_id)
    .bind(rules::iso_date(day))
    .bind(rules::iso_date(day + 365))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces one kind's terms (all of them, or none) of the admin's school in one transaction.
pub async fn save_terms(db: &Db, admin_id: i64, kind: TermKind, terms: &[Term]) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM academic_terms
         WHERE school_id = (SELECT school_id FROM users WHERE id = $1) AND kind = $2",
    )
    .bind(admin_id)
    .bind(kind.as_db())
    .execute(&mut *tx)
    .await?;
    for term in terms {
        sqlx::query(
            "INSERT INTO academic_terms (school_id, kind, number, starts, ends)
             VALUES ((SELECT school_id FROM users WHERE id = $1), $2, $3, $4, $5)",
        )
        .bind(admin_id)
        .bind(kind.as_db())
        .bind(term.number as i64)
        .bind(rules::iso_date(term.starts))
        .bind(rules::iso_date(term.ends))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Period number -> (start, end) in minutes since midnight.
pub async fn periods(db: &Db, variant: &str) -> AppResult<HashMap<i64, (i64, i64)>> {
    let key = crate::cache::CacheKey::Periods(variant.to_string());
    crate::cache::cached(db, key, || load_periods(db, variant)).await
}

async fn load_periods(db: &Db, variant: &str) -> AppResult<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT number, starts_min, ends_min FROM bell_periods WHERE variant = $1")
            .bind(variant)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(n, s, e)| (n, (s, e))).collect())
}

/// A weekly lesson with its names (public for `server/examples/driver`, which times it).
pub const LESSON_SELECT: &str =
    "SELECT l.id, l.class_id, c.name, l.weekday, l.period, s.name_ky, s.name_ru, s.name_en,
        l.teacher_id, t.full_name, l.form, l.mode, l.room, l.weeks, l.subject_id, c.kind
    FROM lessons l
    JOIN classes c ON c.id = l.class_id
    JOIN subjects s ON s.id = l.subject_id
    JOIN users t ON t.id = l.teacher_id";

pub type LessonTuple = (
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
    i64,
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
        subject_id,
        class_kind,
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
        subject_id,
        term_kind: TermKind::of_class_kind(&class_kind),
    }
}

/// The weekly lessons whose `column` (a fixed column name, never input) equals `id`.
async fn lessons_where(db: &Db, column: &'static str, id: i64) -> AppResult<Vec<LessonRow>> {
    let rows: Vec<LessonTuple> = sqlx::query_as(&format!(
        "{LESSON_SELECT} WHERE {column} = $1 ORDER BY l.weekday, l.period"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(to_row).collect())
}

pub async fn lessons_of_class(db: &Db, class_id: i64) -> AppResult<Vec<LessonRow>> {
    let key = crate::cache::CacheKey::LessonsOfClass(class_id);
    crate::cache::cached(db, key, || lessons_where(db, "l.class_id", class_id)).await
}

pub async fn lessons_of_teacher(db: &Db, teacher_id: i64) -> AppResult<Vec<LessonRow>> {
    let key = crate::cache::CacheKey::LessonsOfTeacher(teacher_id);
    crate::cache::cached(db, key, || lessons_where(db, "l.teacher_id", teacher_id)).await
}

/// Every lesson of the school on a weekday, as clash checks see them.
pub async fn slots_on(db: &Db, weekday: u8) -> AppResult<Vec<Slot>> {
    let rows: Vec<(i64, i64, i64, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT id, period, class_id, teacher_id, room, weeks FROM lessons WHERE weekday = $1",
    )
    .bind(i64::from(weekday))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(lesson_id, period, class_id, teacher_id, room, weeks)| Slot {
                lesson_id,
                weekday,
                period,
                class_id,
                teacher_id,
                room,
                weeks: Weeks::from_db(&weeks).unwrap_or(Weeks::All),
            },
        )
        .collect())
}

/// The school's subjects, by Kyrgyz name.
pub async fn subjects(db: &Db) -> AppResult<Vec<(i64, SubjectName)>> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, name_ky, name_ru, name_en FROM subjects ORDER BY name_ky")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ky, ru, en)| (id, SubjectName { ky, ru, en }))
        .collect())
}

/// Active teachers, by name.
pub async fn teachers(db: &Db) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.full_name FROM users u
         WHERE u.active = 1 AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'teacher')
         ORDER BY u.sort_key, u.id",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// A weekly lesson as the editor saves it.
#[derive(Debug, Clone)]
pub struct LessonDraft {
    pub class_id: i64,
    pub weekday: u8,
    pub period: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    pub form: LessonForm,
    pub mode: LessonMode,
    pub room: Option<String>,
    pub weeks: Weeks,
}

/// Adds a lesson (`None`) or changes one; the caller has checked it for clashes.
pub async fn save_lesson(db: &Db, id: Option<i64>, l: &LessonDraft) -> AppResult<i64> {
    let mut conn = db.pool.acquire().await?;
    save_lesson_on(&mut conn, id, l).await
}

async fn save_lesson_on(
    conn: &mut sqlx::AnyConnection,
    id: Option<i64>,
    l: &LessonDraft,
) -> AppResult<i64> {
    let query = match id {
        None => {
            "INSERT INTO lessons (class_id, weekday, period, subject_id, teacher_id, form, mode,
                   room, weeks, school_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                   (SELECT school_id FROM classes WHERE id = $1), $10) RETURNING id"
        }
        Some(_) => {
            "UPDATE lessons SET class_id = $1, weekday = $2, period = $3, subject_id = $4,
                   teacher_id = $5, form = $6, mode = $7, room = $8, weeks = $9
                 WHERE id = $10 RETURNING id"
        }
    };
    let (saved,): (i64,) = sqlx::query_as(query)
        .bind(l.class_id)
        .bind(i64::from(l.weekday))
        .bind(l.period)
        .bind(l.subject_id)
        .bind(l.teacher_id)
        .bind(l.form.as_db())
        .bind(l.mode.as_db())
        .bind(l.room.as_deref())
        .bind(l.weeks.as_db())
        // $10: the new lesson's creation time, or the id of the lesson to change.
        .bind(id.unwrap_or_else(now))
        .fetch_one(&mut *conn)
        .await?;
    Ok(saved)
}

/// Classes with a lesson that something refers to (as `lesson_has_history`), which a timetable
/// import may not replace.
pub async fn classes_with_history(db: &Db) -> AppResult<std::collections::HashSet<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT l.class_id FROM lessons l WHERE
           EXISTS (SELECT 1 FROM lesson_joins x WHERE x.lesson_id = l.id)
           OR EXISTS (SELECT 1 FROM lesson_feedback x WHERE x.lesson_id = l.id)
           OR EXISTS (SELECT 1 FROM attendance_marks x WHERE x.lesson_id = l.id)
           OR EXISTS (SELECT 1 FROM timer_runs x WHERE x.lesson_id = l.id)
           OR EXISTS (SELECT 1 FROM lesson_occurrences x WHERE x.lesson_id = l.id)",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Saves an imported timetable in one transaction: the lessons of `replace` classes go, the
/// new ones come; all or nothing. Returns how many lessons were removed.
pub async fn import_lessons(db: &Db, drafts: &[LessonDraft], replace: &[i64]) -> AppResult<u64> {
    let mut tx = db.begin_write().await?;
    let mut removed = 0;
    for class_id in replace {
        removed += sqlx::query("DELETE FROM lessons WHERE class_id = $1")
            .bind(class_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    for draft in drafts {
        save_lesson_on(&mut tx, None, draft).await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// The lookups a timetable import checks its rows against.
pub async fn import_lookups(db: &Db) -> AppResult<super::import::Lookups> {
    let lower = |s: &str| s.trim().to_lowercase();
    let calendar = calendar(db).await?;
    let classes: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM classes")
        .fetch_all(&db.pool)
        .await?;
    let teachers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.login FROM users u WHERE u.active = 1
           AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'teacher')",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut subject_names = HashMap::new();
    for (id, name) in subjects(db).await? {
        for n in [&name.ky, &name.ru, &name.en] {
            subject_names.insert(lower(n), id);
        }
    }
    Ok(super::import::Lookups {
        classes: classes.into_iter().map(|(id, n)| (lower(&n), id)).collect(),
        subjects: subject_names,
        teachers: teachers
            .into_iter()
            .map(|(id, l)| (lower(&l), id))
            .collect(),
        periods: periods(db, &calendar.bell_variant)
            .await?
            .into_keys()
            .collect(),
        last_day: if calendar.saturday { 5 } else { 4 },
    })
}

/// Every weekly lesson as clash checks see them.
pub async fn all_slots(db: &Db) -> AppResult<Vec<Slot>> {
    let mut out = Vec::new();
    for weekday in 0..=5 {
        out.extend(slots_on(db, weekday).await?);
    }
    Ok(out)
}

/// Whether anything refers to the lesson (joins, feedback, attendance, timers, links).
pub async fn lesson_has_history(db: &Db, lesson_id: i64) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM lesson_joins WHERE lesson_id = $1)
              + (SELECT COUNT(*) FROM lesson_feedback WHERE lesson_id = $1)
              + (SELECT COUNT(*) FROM attendance_marks WHERE lesson_id = $1)
              + (SELECT COUNT(*) FROM timer_runs WHERE lesson_id = $1)
              + (SELECT COUNT(*) FROM lesson_occurrences WHERE lesson_id = $1)",
    )
    .bind(lesson_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

pub async fn delete_lesson(db: &Db, lesson_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM lessons WHERE id = $1")
        .bind(lesson_id)
        .execute(&db.pool)
        .await?;
    Ok(())
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

/// (lesson id, date) -> (link, topic) for the given lessons' class or teacher between two dates;
/// a teacher's also hold the lessons they stand in for on those dates (a second, indexed part:
/// an `OR EXISTS` would scan every occurrence).
pub async fn occurrences(
    db: &Db,
    class_id: Option<i64>,
    teacher_id: Option<i64>,
    from: &str,
    to: &str,
) -> AppResult<Occurrences> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT o.lesson_id, o.date, o.link, o.topic FROM lesson_occurrences o JOIN lessons l ON l.id = o.lesson_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2) AND o.date >= $3 AND o.date <= $4
         UNION ALL
         SELECT o.lesson_id, o.date, o.link, o.topic FROM lesson_changes s
         JOIN lesson_occurrences o ON o.lesson_id = s.lesson_id AND o.date = s.date
         JOIN lessons l ON l.id = s.lesson_id
         WHERE s.substitute_id = $2 AND s.date >= $3 AND s.date <= $4
           AND l.class_id <> $1 AND l.teacher_id <> $2",
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
/// ended by now (today's only once over), by day and period parity, cancelled ones left out;
/// newest first.
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
    let minute = crate::db::bishkek_minute(now);
    // Cancelled occurrences are left out; a moved one keeps its new period's times.
    let changed: HashMap<(i64, String), (String, Option<i64>)> =
        sqlx::query_as::<_, (i64, String, String, Option<i64>)>(
            "SELECT lesson_id, date, kind, moved_to FROM lesson_changes
             WHERE kind IN ('cancelled', 'moved') AND date >= $1 AND date <= $2",
        )
        .bind(rules::iso_date(from))
        .bind(rules::iso_date(to))
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(lesson, date, kind, moved_to)| ((lesson, date), (kind, moved_to)))
        .collect();
    let mut out = Vec::new();
    for day in (from..=to.min(today)).rev() {
        for lesson in lessons {
            if !lesson.runs_on(day, &calendar) {
                continue;
            }
            let period = match changed.get(&(lesson.id, rules::iso_date(day))) {
                Some((kind, _)) if kind == super::ChangeKind::Cancelled.as_db() => continue,
                Some((_, Some(moved_to))) => *moved_to,
                _ => lesson.period,
            };
            let Some((starts, ends)) = periods.get(&period).copied() else {
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

/// The owner's live calendar address token for a timetable, if any.
pub async fn active_feed(
    db: &Db,
    user_id: i64,
    target: super::ical::FeedTarget,
) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT token FROM calendar_feeds
         WHERE user_id = $1 AND kind = $2 AND target_id = $3 AND revoked_at IS NULL
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(target.kind())
    .bind(target.id())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(t,)| t))
}

/// Turns off the owner's addresses for a timetable.
pub async fn revoke_feeds(db: &Db, user_id: i64, target: super::ical::FeedTarget) -> AppResult<()> {
    revoke_feeds_in(&db.pool, user_id, target).await
}

async fn revoke_feeds_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    target: super::ical::FeedTarget,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE calendar_feeds SET revoked_at = $1
         WHERE user_id = $2 AND kind = $3 AND target_id = $4 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(user_id)
    .bind(target.kind())
    .bind(target.id())
    .execute(executor)
    .await?;
    Ok(())
}

/// A new secret address for a timetable; the old one stops working.
pub async fn create_feed(
    db: &Db,
    user_id: i64,
    target: super::ical::FeedTarget,
) -> AppResult<String> {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Revoke and insert as one step under the owner's row lock: two taps at once must not leave
    // two live addresses (the old one would never stop working).
    let mut tx = db.begin_write().await?;
    crate::db::lock_row(&mut tx, "users", user_id).await?;
    revoke_feeds_in(&mut *tx, user_id, target).await?;
    sqlx::query(
        "INSERT INTO calendar_feeds (token, user_id, kind, target_id, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&token)
    .bind(user_id)
    .bind(target.kind())
    .bind(target.id())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// What a live token opens: the timetable, its title and the owner's language. The owner must
/// still be active and still entitled to it (a student who changed class loses the old one).
pub async fn feed_by_token(
    db: &Db,
    token: &str,
) -> AppResult<Option<(super::ical::FeedTarget, String, String)>> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT f.user_id, f.kind, f.target_id, u.language FROM calendar_feeds f
         JOIN users u ON u.id = f.user_id
         WHERE f.token = $1 AND f.revoked_at IS NULL AND u.active = 1",
    )
    .bind(token)
    .fetch_optional(&db.pool)
    .await?;
    let Some((user, kind, target_id, language)) = row else {
        return Ok(None);
    };
    let Some(target) = super::ical::FeedTarget::from_db(&kind, target_id) else {
        return Ok(None);
    };
    let (entitled, title): (i64, Option<String>) = match target {
        super::ical::FeedTarget::Class(class) => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM enrolments WHERE student_id = $1 AND class_id = $2)
                  + (SELECT COUNT(*) FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id
                     WHERE pl.parent_id = $1 AND e.class_id = $2)
                  + (SELECT COUNT(*) FROM lessons WHERE teacher_id = $1 AND class_id = $2)
                  + (SELECT COUNT(*) FROM classes WHERE class_teacher_id = $1 AND id = $2)
                  + (SELECT COUNT(*) FROM role_grants WHERE user_id = $1 AND role = 'admin'),
                    (SELECT name FROM classes WHERE id = $2)",
        )
        .bind(user)
        .bind(class)
        .fetch_one(&db.pool)
        .await?,
        super::ical::FeedTarget::Teacher(teacher) => (
            i64::from(teacher == user),
            sqlx::query_as::<_, (String,)>("SELECT full_name FROM users WHERE id = $1")
                .bind(teacher)
                .fetch_optional(&db.pool)
                .await?
                .map(|(n,)| n),
        ),
    };
    Ok((entitled > 0)
        .then_some(title)
        .flatten()
        .map(|title| (target, format!("Сабак · {title}"), language)))
}

/// A lesson's change on a date, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub lesson_id: i64,
    pub date: String,
    pub kind: String,
    pub substitute_id: Option<i64>,
    pub substitute_name: Option<String>,
    pub moved_to: Option<i64>,
    pub note: String,
}

/// (lesson, date) → change, for the lessons of a class or of a teacher (taught or substituted)
/// between two ISO dates.
pub async fn changes_between(
    db: &Db,
    class_id: Option<i64>,
    teacher_id: Option<i64>,
    from: &str,
    to: &str,
) -> AppResult<HashMap<(i64, String), ChangeRow>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(
        "SELECT c.lesson_id, c.date, c.kind, c.substitute_id, s.full_name AS substitute_name,
                c.moved_to, c.note
         FROM lesson_changes c JOIN lessons l ON l.id = c.lesson_id
         LEFT JOIN users s ON s.id = c.substitute_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2 OR c.substitute_id = $2)
           AND c.date >= $3 AND c.date <= $4",
    )
    .bind(class_id.unwrap_or(-1))
    .bind(teacher_id.unwrap_or(-1))
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.lesson_id, r.date.clone()), r))
        .collect())
}

/// Every change on one date in the school (clash checks for substitutes and moves).
pub async fn changes_on(db: &Db, date: &str) -> AppResult<Vec<ChangeRow>> {
    Ok(sqlx::query_as(
        "SELECT c.lesson_id, c.date, c.kind, c.substitute_id, NULL AS substitute_name,
                c.moved_to, c.note
         FROM lesson_changes c WHERE c.date = $1",
    )
    .bind(date)
    .fetch_all(&db.pool)
    .await?)
}

/// When one occurrence of a weekly lesson takes place, in minutes of its Bishkek day: `None` when
/// it does not take place on `day` (another weekday, another week, a holiday, or cancelled); a
/// moved lesson has its new period's times. The one answer for Join, feedback and attendance.
pub async fn occurrence_times(
    db: &Db,
    lesson: &LessonRow,
    day: i64,
) -> AppResult<Option<(i64, i64)>> {
    let calendar = calendar(db).await?;
    if !lesson.runs_on(day, &calendar) {
        return Ok(None);
    }
    let change: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT kind, moved_to FROM lesson_changes WHERE lesson_id = $1 AND date = $2",
    )
    .bind(lesson.id)
    .bind(rules::iso_date(day))
    .fetch_optional(&db.pool)
    .await?;
    let period = match change {
        Some((kind, _)) if kind == super::ChangeKind::Cancelled.as_db() => return Ok(None),
        Some((kind, Some(moved_to))) if kind == super::ChangeKind::Moved.as_db() => moved_to,
        _ => lesson.period,
    };
    Ok(periods(db, &calendar.bell_variant)
        .await?
        .get(&period)
        .copied())
}

/// A change to save (replacing any earlier change of that lesson on that date).
pub struct NewChange<'a> {
    pub lesson_id: i64,
    pub date: &'a str,
    pub kind: super::ChangeKind,
    pub substitute_id: Option<i64>,
    pub moved_to: Option<i64>,
    pub note: &'a str,
    pub set_by: i64,
}

pub async fn save_change(db: &Db, c: &NewChange<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO lesson_changes (lesson_id, date, kind, substitute_id, moved_to, note, set_by, set_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (lesson_id, date) DO UPDATE SET kind = excluded.kind,
           substitute_id = excluded.substitute_id, moved_to = excluded.moved_to,
           note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(c.lesson_id)
    .bind(c.date)
    .bind(c.kind.as_db())
    .bind(c.substitute_id)
    .bind(c.moved_to)
    .bind(c.note)
    .bind(c.set_by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn clear_change(db: &Db, lesson_id: i64, date: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM lesson_changes WHERE lesson_id = $1 AND date = $2")
        .bind(lesson_id)
        .bind(date)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The lessons a teacher teaches on a day, changes applied: their own that run that day (unless
/// cancelled or given to a substitute; a moved lesson at its new period) and the lessons they
/// stand in for.
pub async fn teaching_on(db: &Db, teacher_id: i64, day: i64) -> AppResult<Vec<LessonRow>> {
    let calendar = calendar(db).await?;
    let iso = rules::iso_date(day);
    let changes = changes_between(db, None, Some(teacher_id), &iso, &iso).await?;
    let change_of = |lesson_id: i64| changes.get(&(lesson_id, iso.clone()));
    let mut out = Vec::new();
    for mut row in lessons_of_teacher(db, teacher_id).await? {
        if !row.runs_on(day, &calendar) {
            continue;
        }
        match change_of(row.id).and_then(|c| super::ChangeKind::from_db(&c.kind).map(|k| (k, c))) {
            Some((super::ChangeKind::Cancelled, _)) => continue,
            Some((super::ChangeKind::Substitute, c)) if c.substitute_id != Some(teacher_id) => {
                continue
            }
            Some((super::ChangeKind::Moved, c)) => row.period = c.moved_to.unwrap_or(row.period),
            _ => {}
        }
        out.push(row);
    }
    add_stand_ins(db, &mut out, &changes, teacher_id).await?;
    Ok(out)
}

/// Adds to a teacher's lessons (once each) those they stand in for by these changes: a teacher's
/// week, day and calendar feed all hold them.
pub async fn add_stand_ins(
    db: &Db,
    rows: &mut Vec<LessonRow>,
    changes: &HashMap<(i64, String), ChangeRow>,
    teacher_id: i64,
) -> AppResult<()> {
    for c in changes.values() {
        if c.kind == super::ChangeKind::Substitute.as_db()
            && c.substitute_id == Some(teacher_id)
            && !rows.iter().any(|r| r.id == c.lesson_id)
        {
            rows.extend(lesson(db, c.lesson_id).await?);
        }
    }
    Ok(())
}

/// Whether `teacher_id` stands in for the teacher of `lesson_id` on `date` (ISO).
pub async fn stands_in(db: &Db, teacher_id: i64, lesson_id: i64, date: &str) -> AppResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT lesson_id FROM lesson_changes WHERE lesson_id = $1 AND date = $2 AND substitute_id = $3",
    )
    .bind(lesson_id)
    .bind(date)
    .bind(teacher_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// A material to save (checked by the caller: size, type from content, clean name).
pub struct NewMaterial<'a> {
    pub lesson_id: i64,
    pub date: &'a str,
    pub name: &'a str,
    pub mime: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: i64,
}

/// Saves a material unless its lesson already has `max` on that date (`None`): the count and the
/// insert are one step, so parallel uploads cannot pass the limit.
pub async fn save_material(db: &Db, m: &NewMaterial<'_>, max: i64) -> AppResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    crate::db::lock_row(&mut tx, "lessons", m.lesson_id).await?;
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM lesson_materials WHERE lesson_id = $1 AND date = $2")
            .bind(m.lesson_id)
            .bind(m.date)
            .fetch_one(&mut *tx)
            .await?;
    if n >= max {
        return Ok(None);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO lesson_materials (lesson_id, date, file_name, mime, size, data, uploaded_by,
           uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(m.lesson_id)
    .bind(m.date)
    .bind(m.name)
    .bind(m.mime)
    .bind(m.data.len() as i64)
    .bind(m.data)
    .bind(m.uploaded_by)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// What a week of a class or a teacher holds beyond its weekly lessons: this week's links and
/// topics, its changes, and its materials.
#[derive(Debug, Default, Clone)]
pub struct WeekRecords {
    pub occurrences: Occurrences,
    pub changes: HashMap<(i64, String), ChangeRow>,
    pub materials: HashMap<(i64, String), Vec<super::MaterialRef>>,
}

/// One row of `week_records`' query: `part` names the table it comes from and what the untyped
/// columns hold (`o`: link, topic; `c`: kind, note, substitute's name, substitute, moved to;
/// `m`: file name, id, size). The first part casts its NULLs: PostgreSQL types a union pair by
/// pair, and two untyped NULLs would make a text column.
#[derive(sqlx::FromRow)]
struct WeekRecordRow {
    part: String,
    lesson_id: i64,
    date: String,
    text_a: Option<String>,
    text_b: Option<String>,
    text_c: Option<String>,
    num_a: Option<i64>,
    num_b: Option<i64>,
}

/// A week's links and topics (as `occurrences`), changes (as `changes_between`) and materials
/// (without their bytes, in upload order) in one statement, a stand-in's lessons included: every
/// timetable page needs all three,
/// and on PostgreSQL each statement is a round trip. `server/tests/timetable.rs` compares it
/// with the separate queries.
pub async fn week_records(
    db: &Db,
    class_id: Option<i64>,
    teacher_id: Option<i64>,
    from: &str,
    to: &str,
) -> AppResult<WeekRecords> {
    let key = crate::cache::CacheKey::WeekRecords {
        class_id,
        teacher_id,
        from: from.to_string(),
        to: to.to_string(),
    };
    crate::cache::cached(db, key, || {
        week_records_uncached(db, class_id, teacher_id, from, to)
    })
    .await
}

async fn week_records_uncached(
    db: &Db,
    class_id: Option<i64>,
    teacher_id: Option<i64>,
    from: &str,
    to: &str,
) -> AppResult<WeekRecords> {
    let rows: Vec<WeekRecordRow> = sqlx::query_as(
        "SELECT 'o' AS part, o.lesson_id, o.date, o.link AS text_a, o.topic AS text_b,
                CAST(NULL AS TEXT) AS text_c, CAST(NULL AS BIGINT) AS num_a,
                CAST(NULL AS BIGINT) AS num_b
         FROM lesson_occurrences o JOIN lessons l ON l.id = o.lesson_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2) AND o.date >= $3 AND o.date <= $4
         UNION ALL
         SELECT 'o', o.lesson_id, o.date, o.link, o.topic, NULL, NULL, NULL
         FROM lesson_changes s JOIN lesson_occurrences o ON o.lesson_id = s.lesson_id AND o.date = s.date
         JOIN lessons l ON l.id = s.lesson_id
         WHERE s.substitute_id = $2 AND s.date >= $3 AND s.date <= $4
           AND l.class_id <> $1 AND l.teacher_id <> $2
         UNION ALL
         SELECT 'c', c.lesson_id, c.date, c.kind, c.note, s.full_name, c.substitute_id, c.moved_to
         FROM lesson_changes c JOIN lessons l ON l.id = c.lesson_id
         LEFT JOIN users s ON s.id = c.substitute_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2 OR c.substitute_id = $2)
           AND c.date >= $3 AND c.date <= $4
         UNION ALL
         SELECT 'm', m.lesson_id, m.date, m.file_name, NULL, NULL, m.id, m.size
         FROM lesson_materials m JOIN lessons l ON l.id = m.lesson_id
         WHERE (l.class_id = $1 OR l.teacher_id = $2) AND m.date >= $3 AND m.date <= $4
         UNION ALL
         SELECT 'm', m.lesson_id, m.date, m.file_name, NULL, NULL, m.id, m.size
         FROM lesson_changes s JOIN lesson_materials m ON m.lesson_id = s.lesson_id AND m.date = s.date
         JOIN lessons l ON l.id = s.lesson_id
         WHERE s.substitute_id = $2 AND s.date >= $3 AND s.date <= $4
           AND l.class_id <> $1 AND l.teacher_id <> $2
         ORDER BY part, num_a",
    )
    .bind(class_id.unwrap_or(-1))
    .bind(teacher_id.unwrap_or(-1))
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    let mut week = WeekRecords::default();
    for row in rows {
        let key = (row.lesson_id, row.date);
        match row.part.as_str() {
            "o" => {
                week.occurrences.insert(key, (row.text_a, row.text_b));
            }
            "c" => {
                let change = ChangeRow {
                    lesson_id: key.0,
                    date: key.1.clone(),
                    kind: row.text_a.unwrap_or_default(),
                    substitute_id: row.num_a,
                    substitute_name: row.text_c,
                    moved_to: row.num_b,
                    note: row.text_b.unwrap_or_default(),
                };
                week.changes.insert(key, change);
            }
            _ => week
                .materials
                .entry(key)
                .or_default()
                .push(super::MaterialRef {
                    id: row.num_a.unwrap_or_default(),
                    name: row.text_a.unwrap_or_default(),
                    size: row.num_b.unwrap_or_default(),
                }),
        }
    }
    Ok(week)
}

/// A stored material with its lesson, for download or removal.
#[derive(sqlx::FromRow)]
pub struct MaterialFile {
    pub lesson_id: i64,
    pub date: String,
    pub file_name: String,
    pub mime: String,
    pub data: Vec<u8>,
}

pub async fn material(db: &Db, id: i64) -> AppResult<Option<MaterialFile>> {
    Ok(sqlx::query_as(
        "SELECT lesson_id, date, file_name, mime, data FROM lesson_materials WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

pub async fn delete_material(db: &Db, id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM lesson_materials WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
