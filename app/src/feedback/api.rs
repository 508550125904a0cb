//! Server functions of feedback and attendance. Forms are plain posts answered with a redirect to
//! `/feedback` (with `?error=` when refused), so they work without JavaScript.

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{self as fb_rules, Window};
    pub use crate::accounts::auth::{require, require_user};
    pub use crate::accounts::Role;
    pub use crate::db::now;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::timetable::rules as tt_rules;
    pub use crate::timetable::store as tt_store;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const FEEDBACK_PAGE: &str = "/feedback";
/// How far back the teacher's shares look.
pub const KPI_DAYS: i64 = 14;

/// A student's recent lessons with their feedback; a teacher's inbox, shares and attendance.
#[server(endpoint = "feedback/page")]
pub async fn get_feedback_page() -> AppResult<FeedbackPage> {
    let me = require_user().await?;
    let db = db()?;
    if let Some(class) = &me.class {
        let window = fb_rules::DEFAULT_WINDOW_DAYS;
        let lessons = tt_store::lessons_of_class(&db, class.id).await?;
        let today = crate::db::today();
        let held = tt_store::held_between(&db, &lessons, today - window, today).await?;
        let since = tt_rules::iso_date(crate::db::day_number(now()) - window);
        let mut mine = store::mine(&db, me.id, &since).await?;
        let lessons = held
            .into_iter()
            .map(|h| {
                let date = tt_rules::iso_date(h.day);
                RecentLesson {
                    lesson_id: h.lesson.id,
                    mine: mine.remove(&(h.lesson.id, date.clone())),
                    date,
                    starts: h.starts,
                    ends: h.ends,
                    subject: h.lesson.subject,
                    teacher_name: h.lesson.teacher_name,
                    open: true,
                }
            })
            .collect();
        return Ok(FeedbackPage::Student {
            lessons,
            window_days: window,
            rounds: super::rounds::api::open_for_student(&db, me.id, class.id).await?,
        });
    }
    if !me.has(Role::Teacher) {
        return Err(AppError::Forbidden);
    }
    let lessons = tt_store::lessons_of_teacher(&db, me.id).await?;
    let today = crate::db::today();
    let held = tt_store::held_between(&db, &lessons, today - KPI_DAYS, today).await?;
    let since = tt_rules::iso_date(crate::db::day_number(now()) - KPI_DAYS);
    let counts = store::feedback_counts(&db, me.id, &since).await?;
    let mut kpis: Vec<ClassKpi> = Vec::new();
    let mut rosters = std::collections::HashMap::new();
    let mut attendance = std::collections::HashMap::new();
    let mut recent = Vec::new();
    for h in &held {
        let class_id = h.lesson.class_id;
        if let std::collections::hash_map::Entry::Vacant(slot) = rosters.entry(class_id) {
            slot.insert(store::roster(&db, class_id).await?);
            attendance.insert(
                class_id,
                store::attendance_of_class(&db, class_id, &since).await?,
            );
        }
        let roster = &rosters[&class_id];
        let marks = &attendance[&class_id];
        let date = tt_rules::iso_date(h.day);
        let rows: Vec<AttendanceRow> = roster
            .iter()
            .map(|(id, name)| {
                let (joined, mark) = marks
                    .get(&(h.lesson.id, date.clone(), *id))
                    .copied()
                    .unwrap_or((false, None));
                AttendanceRow {
                    student_id: *id,
                    full_name: name.clone(),
                    status: mark.unwrap_or(if joined {
                        Attendance::Present
                    } else {
                        Attendance::Absent
                    }),
                    joined,
                }
            })
            .collect();
        let (given, answered) = counts
            .get(&(h.lesson.id, date.clone()))
            .copied()
            .unwrap_or((0, 0));
        let kpi = match kpis
            .iter_mut()
            .find(|k| k.class_name == h.lesson.class_name)
        {
            Some(k) => k,
            None => {
                kpis.push(ClassKpi {
                    class_name: h.lesson.class_name.clone(),
                    lessons: 0,
                    expected: 0,
                    attended: 0,
                    feedback: 0,
                    answered: 0,
                });
                kpis.last_mut().expect("just pushed")
            }
        };
        kpi.lessons += 1;
        kpi.expected += rows.len() as i64;
        kpi.attended += rows.iter().filter(|r| r.status.attended()).count() as i64;
        kpi.feedback += given;
        kpi.answered += answered;
        // The attendance lists of the last few lessons, to check and correct.
        if recent.len() < 6 {
            recent.push(HeldLesson {
                lesson_id: h.lesson.id,
                date,
                starts: h.starts,
                subject: h.lesson.subject.clone(),
                class_name: h.lesson.class_name.clone(),
                roster: rows,
            });
        }
    }
    kpis.sort_by(|a, b| crate::ui::format::class_order(&a.class_name, &b.class_name));
    Ok(FeedbackPage::Teacher {
        inbox: store::inbox(&db, me.id, 100).await?,
        unanswered: store::unanswered(&db, me.id).await?,
        kpis,
        held: recent,
    })
}

/// A student gives (or edits) feedback on a lesson of their class that ended within the window.
#[server(endpoint = "feedback/give")]
pub async fn give_feedback(
    lesson_id: i64,
    date: String,
    rating: String,
    clear_text: String,
    unclear_text: String,
    comment: String,
    anonymous: Option<String>,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Student).await?;
        let db = db()?;
        let lesson = tt_store::lesson(&db, lesson_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if me.class.as_ref().map(|c| c.id) != Some(lesson.class_id) {
            return Err(AppError::Forbidden);
        }
        let day =
            tt_rules::parse_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        // Not that day also covers a cancelled lesson; a moved one ends with its new period.
        let (_, ends) = tt_store::occurrence_times(&db, &lesson, day)
            .await?
            .ok_or(AppError::invalid(Field::Date, Reason::NotThatDay))?;
        let now = now();
        let minute = crate::db::bishkek_minute(now);
        fb_rules::feedback_window(
            day,
            ends,
            crate::db::day_number(now),
            minute,
            fb_rules::DEFAULT_WINDOW_DAYS,
        )
        .map_err(|w| {
            AppError::invalid(
                Field::Feedback,
                match w {
                    Window::NotYet => Reason::NotYet,
                    Window::Closed => Reason::WindowClosed,
                },
            )
        })?;
        let rating = fb_rules::parse_rating(&rating)
            .ok_or(AppError::invalid(Field::Rating, Reason::OutOfRange))?;
        let text =
            |raw: &str| fb_rules::clean_text(raw).map_err(|r| AppError::invalid(Field::Comment, r));
        let (clear_text, unclear_text, comment) =
            (text(&clear_text)?, text(&unclear_text)?, text(&comment)?);
        let iso = tt_rules::iso_date(day);
        store::save_feedback(
            &db,
            &store::NewFeedback {
                lesson_id,
                date: &iso,
                class_id: lesson.class_id,
                teacher_id: lesson.teacher_id,
                student_id: me.id,
                rating,
                clear_text: &clear_text,
                unclear_text: &unclear_text,
                comment: &comment,
                anonymous: anonymous.is_some_and(|a| !a.trim().is_empty()),
            },
        )
        .await
    }
    .await;
    answer_form_to(result, "/feedback?saved=1", FEEDBACK_PAGE)
}

/// The teacher answers one feedback on their own lesson (the author, anonymous or not, sees it).
/// Text only; the page's form posts to `/feedback/answer`, which takes a recording too.
#[server(endpoint = "feedback/answer")]
pub async fn answer_feedback(feedback_id: i64, answer: String) -> AppResult<()> {
    let result = async {
        let me = require_user().await?;
        answer_with(&db()?, &me, feedback_id, &answer, None).await
    }
    .await;
    answer_form_to(result, "/feedback?answered=1", FEEDBACK_PAGE)
}

/// An answer to one feedback: a text, an audio recording (the regulation's "text or audio
/// review"), or both. Feedback on another teacher's lesson is "not found", as is a missing one.
#[cfg(feature = "ssr")]
pub async fn answer_with(
    db: &crate::db::Db,
    me: &crate::accounts::Me,
    feedback_id: i64,
    answer: &str,
    audio: Option<&crate::assignments::work::Upload>,
) -> AppResult<()> {
    if !me.has(Role::Teacher) {
        return Err(AppError::Forbidden);
    }
    let teacher = store::feedback_teacher(db, feedback_id).await?;
    if teacher != Some(me.id) {
        return Err(AppError::NotFound);
    }
    let text = fb_rules::clean_text(answer).map_err(|r| AppError::invalid(Field::Answer, r))?;
    let audio = audio
        .map(crate::assignments::work::check_audio)
        .transpose()?;
    if text.is_empty() && audio.is_none() && !store::has_answer_audio(db, feedback_id).await? {
        return Err(AppError::invalid(Field::Answer, Reason::Empty));
    }
    store::answer(db, feedback_id, &text, audio.as_ref()).await
}

/// A recorded answer, for the lesson's teacher and the feedback's author only; "not found" for
/// anyone else, as for a feedback without one.
#[cfg(feature = "ssr")]
pub async fn answer_audio(
    db: &crate::db::Db,
    me: &crate::accounts::Me,
    feedback_id: i64,
) -> AppResult<store::StoredAnswerAudio> {
    store::answer_audio_file(db, feedback_id)
        .await?
        .filter(|a| a.teacher_id == me.id || a.student_id == me.id)
        .ok_or(AppError::NotFound)
}

/// The teacher corrects a student's attendance of their lesson on a day.
#[server(endpoint = "attendance/mark")]
pub async fn mark_attendance(
    lesson_id: i64,
    date: String,
    student_id: i64,
    status: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Teacher).await?;
        let db = db()?;
        let lesson = tt_store::lesson(&db, lesson_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if lesson.teacher_id != me.id {
            return Err(AppError::Forbidden);
        }
        let day =
            tt_rules::parse_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        // Only a lesson that really took place, within the correction window the page offers
        // (not a day it did not run, not a cancelled one, not the future, not last year).
        let today = crate::db::day_number(now());
        if day > today || today - day > KPI_DAYS {
            return Err(AppError::invalid(Field::Date, Reason::OutOfRange));
        }
        if tt_store::occurrence_times(&db, &lesson, day)
            .await?
            .is_none()
        {
            return Err(AppError::invalid(Field::Date, Reason::NotThatDay));
        }
        let status = Attendance::from_db(status.trim())
            .ok_or(AppError::invalid(Field::Attendance, Reason::BadFormat))?;
        let in_class = store::roster(&db, lesson.class_id)
            .await?
            .iter()
            .any(|(id, _)| *id == student_id);
        if !in_class {
            return Err(AppError::invalid(Field::Student, Reason::UnknownUser));
        }
        store::mark(
            &db,
            lesson_id,
            &tt_rules::iso_date(day),
            student_id,
            status,
            me.id,
        )
        .await
    }
    .await;
    answer_form_to(result, "/feedback?marked=1", FEEDBACK_PAGE)
}
