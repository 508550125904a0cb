//! Calendar (iCal) feeds of a class's or a teacher's lessons (server only): the whole current
//! term and the next (four weeks back and eighteen ahead when the school has not set its terms),
//! each occurrence an event in Asia/Bishkek time with that week's link and topic, and that day's
//! changes: a cancelled lesson is a cancelled event, a moved one has its new time, a substitute
//! is named (and a substitute teacher's feed holds the lessons they stand in for).

use super::rules;
use super::store::{self, LessonRow};
use super::terms::{self, TermKind};
use super::{ChangeKind, SubjectName};
use crate::db::Db;
use crate::error::AppResult;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

pub const TZID: &str = "Asia/Bishkek";

/// Whose lessons a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    let mut lessons: Vec<LessonRow> = match target {
        FeedTarget::Class(id) => store::lessons_of_class(db, id).await?,
        FeedTarget::Teacher(id) => store::lessons_of_teacher(db, id).await?,
    };
    let calendar = store::calendar(db).await?;
    let periods = store::periods(db, &calendar.bell_variant).await?;
    let today = crate::db::today();
    // A teacher may teach both school classes and university groups: the widest window of the two.
    let (from, to) = [TermKind::Quarter, TermKind::Semester]
        .into_iter()
        .filter(|kind| lessons.iter().any(|l| l.term_kind == *kind) || lessons.is_empty())
        .map(|kind| terms::feed_window(&calendar.terms, kind, today))
        .fold((today, today), |(a, b), (f, t)| (a.min(f), b.max(t)));
    let (class_id, teacher_id) = match target {
        FeedTarget::Class(id) => (Some(id), None),
        FeedTarget::Teacher(id) => (None, Some(id)),
    };
    let (from_iso, to_iso) = (rules::iso_date(from), rules::iso_date(to));
    let given = store::occurrences(db, class_id, teacher_id, &from_iso, &to_iso).await?;
    let changes = store::changes_between(db, class_id, teacher_id, &from_iso, &to_iso).await?;
    if let Some(teacher) = teacher_id {
        store::add_stand_ins(db, &mut lessons, &changes, teacher).await?;
    }
    let mut cal = Calendar::new();
    cal.name(title).timezone(TZID);
    for day in from..=to {
        let iso = rules::iso_date(day);
        for lesson in lessons.iter().filter(|l| l.runs_on(day, &calendar)) {
            let change = changes.get(&(lesson.id, iso.clone()));
            let kind = change.and_then(|c| ChangeKind::from_db(&c.kind));
            let substitute = change
                .filter(|_| kind == Some(ChangeKind::Substitute))
                .and_then(|c| c.substitute_id.map(|id| (id, c.substitute_name.clone())));
            // A teacher's feed: their own lessons unless given away, and the ones they stand in for.
            let theirs = match (teacher_id, &substitute) {
                (Some(teacher), Some((sub, _))) => *sub == teacher,
                (Some(teacher), None) => lesson.teacher_id == teacher,
                (None, _) => true,
            };
            if !theirs {
                continue;
            }
            let period = match (kind, change.and_then(|c| c.moved_to)) {
                (Some(ChangeKind::Moved), Some(to)) => to,
                _ => lesson.period,
            };
            let Some((starts, ends)) = periods.get(&period).copied() else {
                continue;
            };
            let (link, topic) = given
                .get(&(lesson.id, iso.clone()))
                .cloned()
                .unwrap_or((None, None));
            let subject = subject_in(&lesson.subject, language);
            let summary = match target {
                FeedTarget::Class(_) => subject,
                FeedTarget::Teacher(_) => format!("{subject} · {}", lesson.class_name),
            };
            let teacher = substitute
                .and_then(|(_, name)| name)
                .unwrap_or_else(|| lesson.teacher_name.clone());
            let mut description = vec![teacher];
            description.extend(change.map(|c| c.note.clone()).filter(|n| !n.is_empty()));
            description.extend(topic.clone());
            description.extend(link.clone());
            let mut event = Event::new();
            event
                .uid(&format!("lesson-{}-{iso}@sabak", lesson.id))
                .summary(&summary)
                .description(&description.join("\n"))
                .starts(at(day, starts))
                .ends(at(day, ends));
            if kind == Some(ChangeKind::Cancelled) {
                event.status(icalendar::EventStatus::Cancelled);
            }
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
