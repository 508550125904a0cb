//! `/schedules`: the regulation's other schedules, in the timetable's look: the TV lessons state
//! channels broadcast, the administration's duty rota and the methodical associations' days.
//! Everyone signed in reads them (a student sees the TV lessons of their grade); admins keep them.

pub mod api;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TvLesson {
    pub id: i64,
    pub channel: String,
    /// ISO date.
    pub date: String,
    pub starts_min: i64,
    pub ends_min: i64,
    pub grade_from: i64,
    pub grade_to: i64,
    pub subject: String,
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DutyShift {
    pub id: i64,
    pub weekday: i64,
    pub person_name: String,
    pub starts_min: i64,
    pub ends_min: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MethodicalDay {
    pub id: i64,
    pub association: String,
    pub weekday: i64,
    pub starts_min: i64,
    pub ends_min: i64,
    pub room: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulesPage {
    /// TV lessons from today on (a student's: those of their grade).
    pub tv: Vec<TvLesson>,
    pub duty: Vec<DutyShift>,
    pub methodical: Vec<MethodicalDay>,
    /// Admins edit; they also get the staff to put on duty (id, name).
    pub can_edit: bool,
    pub staff: Vec<(i64, String)>,
    pub today: String,
}
