//! Server functions of the other schedules. Admins' forms are plain posts answered with a
//! redirect to `/schedules` (with `?error=` when refused), so they work without JavaScript.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{self as s_rules, NAME_MAX, TOPIC_MAX};
    pub use crate::accounts::auth::{require, require_user};
    pub use crate::accounts::Role;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::timetable::rules as tt_rules;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const SCHEDULES_PAGE: &str = "/schedules";

#[cfg(feature = "ssr")]
fn invalid((field, reason): (Field, Reason)) -> AppError {
    AppError::invalid(field, reason)
}

/// The three schedules for anyone signed in; a student's TV lessons are those of their grade.
#[server(endpoint = "schedules/page")]
pub async fn get_schedules() -> AppResult<SchedulesPage> {
    let me = require_user().await?;
    let db = db()?;
    let today = tt_rules::iso_date(crate::db::today());
    let grade = match &me.class {
        Some(class) => crate::timer::store::class_info(&db, class.id)
            .await?
            .and_then(|c| c.grade)
            .map(i64::from),
        None => None,
    };
    let can_edit = me.has(Role::Admin);
    Ok(SchedulesPage {
        tv: store::tv_lessons(&db, &today, grade).await?,
        duty: store::duty(&db).await?,
        methodical: store::methodical(&db).await?,
        staff: if can_edit {
            store::staff(&db).await?
        } else {
            Vec::new()
        },
        can_edit,
        today,
    })
}

#[server(endpoint = "schedules/add_tv")]
pub async fn add_tv_lesson(
    channel: String,
    date: String,
    starts: String,
    ends: String,
    grade_from: String,
    grade_to: String,
    subject: String,
    topic: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Admin).await?;
        let channel =
            s_rules::check_text(&channel, NAME_MAX, Field::Channel, true).map_err(invalid)?;
        let day = tt_rules::parse_date(date.trim())
            .ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        let (starts_min, ends_min) = s_rules::check_hours(&starts, &ends).map_err(invalid)?;
        let (grade_from, grade_to) =
            s_rules::check_grades(&grade_from, &grade_to).map_err(invalid)?;
        let subject =
            s_rules::check_text(&subject, NAME_MAX, Field::Lesson, true).map_err(invalid)?;
        let topic = s_rules::check_text(&topic, TOPIC_MAX, Field::Topic, false).map_err(invalid)?;
        store::add_tv(
            &db()?,
            me.id,
            &TvLesson {
                id: 0,
                channel,
                date: tt_rules::iso_date(day),
                starts_min,
                ends_min,
                grade_from,
                grade_to,
                subject,
                topic,
            },
        )
        .await
    }
    .await;
    answer_form_to(result, "/schedules?saved=1", SCHEDULES_PAGE)
}

#[server(endpoint = "schedules/add_duty")]
pub async fn add_duty_shift(
    weekday: String,
    person_id: String,
    starts: String,
    ends: String,
) -> AppResult<()> {
    let result = async {
        require(Role::Admin).await?;
        let db = db()?;
        let weekday = s_rules::check_weekday(&weekday).map_err(invalid)?;
        let person = person_id
            .trim()
            .parse::<i64>()
            .ok()
            .ok_or(AppError::invalid(Field::Person, Reason::UnknownUser))?;
        if !store::staff(&db).await?.iter().any(|(id, _)| *id == person) {
            return Err(AppError::invalid(Field::Person, Reason::UnknownUser));
        }
        let hours = s_rules::check_hours(&starts, &ends).map_err(invalid)?;
        store::add_duty(&db, person, i64::from(weekday), hours).await
    }
    .await;
    answer_form_to(result, "/schedules?saved=1", SCHEDULES_PAGE)
}

#[server(endpoint = "schedules/add_methodical")]
pub async fn add_methodical_day(
    association: String,
    weekday: String,
    starts: String,
    ends: String,
    room: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Admin).await?;
        let association = s_rules::check_text(&association, NAME_MAX, Field::Association, true)
            .map_err(invalid)?;
        let weekday = s_rules::check_weekday(&weekday).map_err(invalid)?;
        let (starts_min, ends_min) = s_rules::check_hours(&starts, &ends).map_err(invalid)?;
        let room = s_rules::check_text(&room, 20, Field::Room, false).map_err(invalid)?;
        store::add_methodical(
            &db()?,
            me.id,
            &MethodicalDay {
                id: 0,
                association,
                weekday: i64::from(weekday),
                starts_min,
                ends_min,
                room,
            },
        )
        .await
    }
    .await;
    answer_form_to(result, "/schedules?saved=1", SCHEDULES_PAGE)
}

/// Removes one entry of a schedule: `kind` is tv, duty or methodical.
#[server(endpoint = "schedules/remove")]
pub async fn remove_schedule_entry(kind: String, id: i64) -> AppResult<()> {
    let result = async {
        require(Role::Admin).await?;
        let table = match kind.trim() {
            "tv" => "tv_lessons",
            "duty" => "duty_rota",
            "methodical" => "methodical_days",
            _ => return Err(AppError::invalid(Field::Request, Reason::BadFormat)),
        };
        if !store::remove(&db()?, table, id).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }
    .await;
    answer_form_to(result, "/schedules?saved=1", SCHEDULES_PAGE)
}
