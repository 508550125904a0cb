//! Server functions of the timetable: who may see which week, and who may set a lesson's link.

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::store::LessonRow;
    pub use crate::accounts::auth::require_user;
    pub use crate::accounts::Role;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use std::collections::HashMap;
}
#[cfg(feature = "ssr")]
use ssr::*;

/// Monday-Saturday of the week holding `week_of` (`YYYY-MM-DD`, empty for this week), for a
/// student's class, a parent's child, a teacher's own lessons, or a class (its class teacher,
/// the teachers who teach in it, admins).
#[server(endpoint = "timetable/week")]
pub async fn get_week(whose: String, week_of: String) -> AppResult<WeekPlan> {
    let me = require_user().await?;
    let db = db()?;
    let whose =
        Whose::from_param(&whose).ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?;
    let now = crate::db::now();
    let today = crate::db::day_number(now);
    let day = if week_of.trim().is_empty() {
        today
    } else {
        rules::parse_iso_date(&week_of).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?
    };
    let (title, rows, class_id, teacher_id) = match whose.clone() {
        Whose::Me if me.class.is_some() => {
            let class = me.class.clone().unwrap_or_else(|| unreachable!());
            (
                class.name.clone(),
                store::lessons_of_class(&db, class.id).await?,
                Some(class.id),
                None,
            )
        }
        Whose::Me if me.has(Role::Teacher) => (
            me.full_name.clone(),
            store::lessons_of_teacher(&db, me.id).await?,
            None,
            Some(me.id),
        ),
        Whose::Me => return Err(AppError::Forbidden),
        Whose::Child(child) => {
            let child = me
                .children
                .iter()
                .find(|c| c.id == child)
                .ok_or(AppError::Forbidden)?;
            let class = child.class.clone().ok_or(AppError::NotFound)?;
            (
                format!("{} · {}", child.full_name, class.name),
                store::lessons_of_class(&db, class.id).await?,
                Some(class.id),
                None,
            )
        }
        Whose::Class(class_id) => {
            let allowed = me.has(Role::Admin)
                || me.leads.as_ref().is_some_and(|c| c.id == class_id)
                || (me.has(Role::Teacher) && store::teaches_in_class(&db, me.id, class_id).await?);
            if !allowed {
                return Err(AppError::Forbidden);
            }
            let name = store::class_name(&db, class_id)
                .await?
                .ok_or(AppError::NotFound)?;
            (
                name,
                store::lessons_of_class(&db, class_id).await?,
                Some(class_id),
                None,
            )
        }
    };
    let calendar = store::calendar(&db).await?;
    let periods = store::periods(&db, &calendar.bell_variant).await?;
    let monday = rules::monday_of(day);
    let occurrences = store::occurrences(
        &db,
        class_id,
        teacher_id,
        &rules::iso_date(monday),
        &rules::iso_date(monday + 5),
    )
    .await?;
    let minute = (now + 6 * 3600).rem_euclid(86_400) / 60;
    let mut plan = build_week(
        title,
        &rows,
        &occurrences,
        &periods,
        monday,
        calendar.year_start,
        today,
        minute,
        me.id,
    );
    plan.can_join = me.class.is_some() && whose == Whose::Me;
    Ok(plan)
}

/// Lays a week's lessons out by day and time, with this week's links and today's "now / next".
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn build_week(
    title: String,
    rows: &[LessonRow],
    occurrences: &store::Occurrences,
    periods: &HashMap<i64, (i64, i64)>,
    monday: i64,
    year_start: i64,
    today: i64,
    minute: i64,
    viewer: i64,
) -> WeekPlan {
    let week = rules::teaching_week(monday, year_start);
    let days: Vec<DayPlan> = (0..6)
        .map(|offset| {
            let date = monday + offset;
            let iso = rules::iso_date(date);
            let (year, month, day) = rules::civil_from_days(date);
            let mut lessons: Vec<LessonCard> = rows
                .iter()
                .filter(|l| l.weekday as i64 == offset && l.weeks.runs_in(week))
                .filter_map(|l| {
                    let (starts, ends) = *periods.get(&l.period)?;
                    let (link, topic) = occurrences
                        .get(&(l.id, iso.clone()))
                        .cloned()
                        .unwrap_or((None, None));
                    Some(LessonCard {
                        lesson_id: l.id,
                        date: iso.clone(),
                        period: l.period,
                        starts,
                        ends,
                        subject: l.subject.clone(),
                        class_name: l.class_name.clone(),
                        teacher_name: l.teacher_name.clone(),
                        form: l.form,
                        mode: l.mode,
                        room: l.room.clone(),
                        link,
                        topic,
                        mine: l.teacher_id == viewer,
                    })
                })
                .collect();
            lessons.sort_by_key(|l| (l.starts, l.class_name.clone()));
            DayPlan {
                day: crate::accounts::Day {
                    year,
                    month: month as u8,
                    day: day as u8,
                    weekday: offset as u8,
                },
                iso,
                lessons,
            }
        })
        .collect();
    let today_index = (today >= monday && today < monday + 6).then(|| (today - monday) as usize);
    let (now, next) = match today_index {
        Some(i) => {
            let spans: Vec<(i64, i64)> =
                days[i].lessons.iter().map(|l| (l.starts, l.ends)).collect();
            rules::now_and_next(&spans, minute)
        }
        None => (None, None),
    };
    WeekPlan {
        title,
        teaching_week: week,
        days,
        today: today_index,
        now,
        next,
        minute,
        prev_week: rules::iso_date(monday - 7),
        next_week: rules::iso_date(monday + 7),
        can_join: false,
    }
}

/// A teacher gives this date's link and topic for one of their lessons (admins may too).
/// `reuse` takes the link given for the same lesson most recently before this date.
#[server(endpoint = "timetable/occurrence")]
pub async fn set_occurrence(
    lesson_id: i64,
    date: String,
    link: String,
    topic: String,
    reuse: Option<String>,
) -> AppResult<()> {
    let me = require_user().await?;
    let db = db()?;
    let lesson = store::lesson(&db, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if lesson.teacher_id != me.id && !me.has(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let day =
        rules::parse_iso_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
    let calendar = store::calendar(&db).await?;
    let runs = rules::weekday_of(day) == lesson.weekday
        && lesson
            .weeks
            .runs_in(rules::teaching_week(day, calendar.year_start));
    if !runs {
        return Err(AppError::invalid(Field::Date, Reason::NotThatDay));
    }
    let iso = rules::iso_date(day);
    let link = if reuse.is_some() {
        Some(
            store::last_link_before(&db, lesson_id, &iso)
                .await?
                .ok_or(AppError::invalid(Field::Link, Reason::NothingToReuse))?,
        )
    } else {
        rules::check_link(&link).map_err(|r| AppError::invalid(Field::Link, r))?
    };
    let topic = topic.split_whitespace().collect::<Vec<_>>().join(" ");
    if topic.chars().count() > 200 {
        return Err(AppError::invalid(Field::Topic, Reason::TooLong));
    }
    let topic = (!topic.is_empty()).then_some(topic);
    store::save_occurrence(
        &db,
        lesson_id,
        &iso,
        link.as_deref(),
        topic.as_deref(),
        me.id,
    )
    .await
}

/// A student taps "Join": it is recorded, and they go straight to the lesson's link. A plain form
/// post, so it works with JavaScript off too.
#[server(endpoint = "timetable/join")]
pub async fn join_lesson(lesson_id: i64, date: String) -> AppResult<()> {
    let me = require_user().await?;
    let db = db()?;
    let lesson = store::lesson(&db, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let class = me.class.as_ref().ok_or(AppError::Forbidden)?;
    if class.id != lesson.class_id {
        return Err(AppError::Forbidden);
    }
    let day =
        rules::parse_iso_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
    let iso = rules::iso_date(day);
    let link = store::occurrence_link(&db, lesson_id, &iso)
        .await?
        .ok_or(AppError::invalid(Field::Link, Reason::Empty))?;
    store::record_join(&db, lesson_id, &iso, me.id).await?;
    leptos_axum::redirect(&link);
    Ok(())
}
