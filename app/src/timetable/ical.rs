//! Calendar (iCal) feeds of a class's or a teacher's lessons (server only): four weeks back and
//! eighteen ahead, each occurrence an event in Asia/Bishkek time with that week's link and topic.

use super::rules;
use super::store::{self, LessonRow};
use super::SubjectName;
use crate::db::Db;
use crate::error::AppResult;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

pub const TZID: &str = "Asia/Bishkek";
const DAYS_BACK: i64 = 28;
const DAYS_AHEAD: i64 = 126;

/// Whose lessons a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedTarget {
    Class(i64),
    Teacher(i64),
}

impl FeedTarget {
    pub fn kind(self) -> &'static str {
        match self {
            FeedTarget::Class(_) => "class",
            FeedTarget::Teacher(_) => "teacher",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            FeedTarget::Class(id) | FeedTarget::Teacher(id) => id,
        }
    }
    pub fn from_db(kind: &str, id: i64) -> Option<FeedTarget> {
        match kind {
            "class" => Some(FeedTarget::Class(id)),
            "teacher" => Some(FeedTarget::Teacher(id)),
            _ => None,
        }
    }
}

fn at(day: i64, minute: i64) -> CalendarDateTime {
    let (y, m, d) = rules::civil_from_days(day);
    let date_time = chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
        .and_then(|date| date.and_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0))
        .unwrap_or_default();
    CalendarDateTime::WithTimezone {
        date_time,
        tzid: TZID.to_string(),
    }
}

fn subject_in(subject: &SubjectName, language: &str) -> String {
    match language {
        "ru" => subject.ru.clone(),
        "en" => subject.en.clone(),
        _ => subject.ky.clone(),
    }
}

/// The feed's calendar text, in the owner's language for subject names.
pub async fn feed_text(
    db: &Db,
    target: FeedTarget,
    title: &str,
    language: &str,
) -> AppResult<String> {
    let lessons: Vec<LessonRow> = match target {
        FeedTarget::Class(id) => store::lessons_of_class(db, id).await?,
        FeedTarget::Teacher(id) => store::lessons_of_teacher(db, id).await?,
    };
    let calendar = store::calendar(db).await?;
    let periods = store::periods(db, &calendar.bell_variant).await?;
    let today = crate::db::today();
    let (from, to) = (today - DAYS_BACK, today + DAYS_AHEAD);
    let (class_id, teacher_id) = match target {
        FeedTarget::Class(id) => (Some(id), None),
        FeedTarget::Teacher(id) => (None, Some(id)),
    };
    let given = store::occurrences(
        db,
        class_id,
        teacher_id,
        &rules::iso_date(from),
        &rules::iso_date(to),
    )
    .await?;
    let mut cal = Calendar::new();
    cal.name(title).timezone(TZID);
    for day in from..=to {
        let weekday = rules::weekday_of(day);
        let week = rules::teaching_week(day, calendar.year_start);
        for lesson in lessons
            .iter()
            .filter(|l| l.weekday == weekday && l.weeks.runs_in(week))
        {
            let Some((starts, ends)) = periods.get(&lesson.period).copied() else {
                continue;
            };
            let iso = rules::iso_date(day);
            let (link, topic) = given
                .get(&(lesson.id, iso.clone()))
                .cloned()
                .unwrap_or((None, None));
            let subject = subject_in(&lesson.subject, language);
            let summary = match target {
                FeedTarget::Class(_) => subject,
                FeedTarget::Teacher(_) => format!("{subject} · {}", lesson.class_name),
            };
            let mut description = vec![lesson.teacher_name.clone()];
            description.extend(topic.clone());
            description.extend(link.clone());
            let mut event = Event::new();
            event
                .uid(&format!("lesson-{}-{iso}@sabak", lesson.id))
                .summary(&summary)
                .description(&description.join("\n"))
                .starts(at(day, starts))
                .ends(at(day, ends));
            if let Some(link) = &link {
                event.url(link);
            }
            if let Some(room) = &lesson.room {
                event.location(room);
            }
            cal.push(event.done());
        }
    }
    // The zone the events' TZID names (UTC+6 all year), for calendars that want it spelled out.
    let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Asia/Bishkek\r\nBEGIN:STANDARD\r\n\
        DTSTART:19700101T000000\r\nTZOFFSETFROM:+0600\r\nTZOFFSETTO:+0600\r\nTZNAME:+06\r\n\
        END:STANDARD\r\nEND:VTIMEZONE\r\n";
    Ok(cal
        .done()
        .to_string()
        .replacen("BEGIN:VEVENT", &format!("{vtimezone}BEGIN:VEVENT"), 1))
}
