//! Server functions of the timetable: who may see which week, and who may set a lesson's link.

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::ical::FeedTarget;
    pub use super::super::store::LessonRow;
    pub use crate::accounts::auth::require_user;
    pub use crate::accounts::Role;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::{app_state, db};
    pub use crate::ui::forms::answer_form_to;
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
    let day = if week_of.trim().is_empty() {
        crate::db::day_number(now)
    } else {
        rules::parse_date(&week_of).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?
    };
    let PlannedWeek {
        mut plan,
        class_id,
        teacher_id,
    } = week_plan(&db, &me, &whose, day).await?;
    // `resolve` has checked that a child is the viewer's own.
    let student = match whose {
        Whose::Me => me.class.as_ref().map(|_| me.id),
        Whose::Child(id) => Some(id),
        _ => None,
    };
    if let Some(student) = student.filter(|_| plan.today.is_some()) {
        let open = crate::assignments::store::open_tasks_of_student(&db, student).await?;
        plan.tasks = Some(crate::assignments::rules::digest(now, open));
    }
    let target = match (class_id, teacher_id) {
        (Some(class), _) => Some(FeedTarget::Class(class)),
        (None, Some(teacher)) => Some(FeedTarget::Teacher(teacher)),
        (None, None) => None,
    };
    if let Some(target) = target {
        let key = crate::cache::CacheKey::CalendarFeed(me.id, target);
        plan.feed = crate::cache::cached(&db, key, || store::active_feed(&db, me.id, target))
            .await?
            .map(|token| feed_url(&token));
    }
    Ok(plan)
}

/// A week as `week_plan` made it, with whose lessons it holds (for the calendar address).
#[cfg(feature = "ssr")]
pub(crate) struct PlannedWeek {
    pub plan: WeekPlan,
    pub class_id: Option<i64>,
    pub teacher_id: Option<i64>,
}

/// The week holding `day` of whose timetable, with its changes, stand-ins and materials, if the
/// viewer may see it. The page and the home page's "today" share it.
#[cfg(feature = "ssr")]
pub(crate) async fn week_plan(
    db: &crate::db::Db,
    me: &crate::accounts::Me,
    whose: &Whose,
    day: i64,
) -> AppResult<PlannedWeek> {
    let now = crate::db::now();
    let today = crate::db::day_number(now);
    let (title, rows, class_id, teacher_id) = resolve(db, me, whose).await?;
    let calendar = store::calendar(db).await?;
    let periods = store::periods(db, &calendar.bell_variant).await?;
    let monday = rules::monday_of(day);
    let (from, to) = (rules::iso_date(monday), rules::iso_date(monday + 5));
    let store::WeekRecords {
        occurrences,
        changes,
        mut materials,
    } = store::week_records(db, class_id, teacher_id, &from, &to).await?;
    // A teacher's week also holds the lessons they substitute in on those dates.
    let mut rows = rows;
    if let Some(teacher) = teacher_id {
        store::add_stand_ins(db, &mut rows, &changes, teacher).await?;
    }
    let minute = crate::db::bishkek_minute(now);
    let mut plan = build_week(
        title,
        &rows,
        &occurrences,
        &changes,
        teacher_id,
        &periods,
        monday,
        &calendar,
        today,
        minute,
        me.id,
    );
    plan.can_join = me.class.is_some() && *whose == Whose::Me;
    for card in plan.days.iter_mut().flat_map(|d| d.lessons.iter_mut()) {
        card.materials = materials
            .remove(&(card.lesson_id, card.date.clone()))
            .unwrap_or_default();
    }
    Ok(PlannedWeek {
        plan,
        class_id,
        teacher_id,
    })
}

/// Today's lessons of whose timetable (Sunday and holidays: an empty day), for a home page.
#[cfg(feature = "ssr")]
pub(crate) async fn today_plan(
    db: &crate::db::Db,
    me: &crate::accounts::Me,
    whose: Whose,
) -> AppResult<TodayPlan> {
    let plan = week_plan(db, me, &whose, crate::db::day_number(crate::db::now()))
        .await?
        .plan;
    let day = plan.today.map(|i| plan.days[i].clone());
    Ok(TodayPlan {
        whose: whose.to_param(),
        holiday: day
            .as_ref()
            .is_some_and(|d| d.holiday && d.lessons.is_empty()),
        lessons: day.map(|d| d.lessons).unwrap_or_default(),
        now: plan.now,
        next: plan.next,
        minute: plan.minute,
        can_join: plan.can_join,
    })
}

/// Whose week the viewer asks for, if they may see it: (title, weekly lessons, class, teacher).
#[cfg(feature = "ssr")]
pub(super) async fn resolve(
    db: &crate::db::Db,
    me: &crate::accounts::Me,
    whose: &Whose,
) -> AppResult<(String, Vec<LessonRow>, Option<i64>, Option<i64>)> {
    Ok(match whose.clone() {
        Whose::Me if me.class.is_some() => {
            let class = me.class.clone().unwrap_or_else(|| unreachable!());
            (
                class.name.clone(),
                store::lessons_of_class(db, class.id).await?,
                Some(class.id),
                None,
            )
        }
        Whose::Me if me.has(Role::Teacher) => (
            me.full_name.clone(),
            store::lessons_of_teacher(db, me.id).await?,
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
                store::lessons_of_class(db, class.id).await?,
                Some(class.id),
                None,
            )
        }
        Whose::Teacher(teacher_id) => {
            if teacher_id != me.id && !me.has(Role::Admin) {
                return Err(AppError::Forbidden);
            }
            let name = store::teachers(db)
                .await?
                .into_iter()
                .find(|(id, _)| *id == teacher_id)
                .map(|(_, name)| name)
                .ok_or(AppError::NotFound)?;
            (
                name,
                store::lessons_of_teacher(db, teacher_id).await?,
                None,
                Some(teacher_id),
            )
        }
        Whose::Class(class_id) => {
            let allowed = me.has(Role::Admin)
                || me.leads.as_ref().is_some_and(|c| c.id == class_id)
                || (me.has(Role::Teacher) && store::teaches_in_class(db, me.id, class_id).await?);
            if !allowed {
                return Err(AppError::Forbidden);
            }
            let name = store::class_name(db, class_id)
                .await?
                .ok_or(AppError::NotFound)?;
            (
                name,
                store::lessons_of_class(db, class_id).await?,
                Some(class_id),
                None,
            )
        }
    })
}

/// Lays a week's lessons out by day and time, with this week's links and today's "now / next".
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn build_week(
    title: String,
    rows: &[LessonRow],
    occurrences: &store::Occurrences,
    changes: &HashMap<(i64, String), store::ChangeRow>,
    teacher_view: Option<i64>,
    periods: &HashMap<i64, (i64, i64)>,
    monday: i64,
    calendar: &store::Calendar,
    today: i64,
    minute: i64,
    viewer: i64,
) -> WeekPlan {
    let week = rules::teaching_week(monday, calendar.year_start);
    // Whose terms the week follows: the class's kind (a teacher's: that of their first lesson).
    let kind = rows
        .first()
        .map_or(terms::TermKind::Quarter, |l| l.term_kind);
    let days: Vec<DayPlan> = (0..6)
        .map(|offset| {
            let date = monday + offset;
            let iso = rules::iso_date(date);
            let (year, month, day) = rules::civil_from_days(date);
            let mut lessons: Vec<LessonCard> = rows
                .iter()
                .filter(|l| l.runs_on(date, calendar))
                .filter_map(|l| {
                    let change = changes.get(&(l.id, iso.clone()));
                    let kind = change.and_then(|c| ChangeKind::from_db(&c.kind));
                    let substitute = change
                        .and_then(|c| c.substitute_id)
                        .filter(|_| kind == Some(ChangeKind::Substitute));
                    // In a teacher's week another teacher's lesson shows only where they substitute.
                    if teacher_view.is_some_and(|t| t != l.teacher_id && substitute != Some(t)) {
                        return None;
                    }
                    let period = match (kind, change.and_then(|c| c.moved_to)) {
                        (Some(ChangeKind::Moved), Some(to)) => to,
                        _ => l.period,
                    };
                    let (starts, ends) = *periods.get(&period)?;
                    let (link, topic) = occurrences
                        .get(&(l.id, iso.clone()))
                        .cloned()
                        .unwrap_or((None, None));
                    let teacher_name =
                        match (substitute, change.and_then(|c| c.substitute_name.clone())) {
                            (Some(_), Some(name)) => name,
                            _ => l.teacher_name.clone(),
                        };
                    Some(LessonCard {
                        lesson_id: l.id,
                        date: iso.clone(),
                        period,
                        starts,
                        ends,
                        subject: l.subject.clone(),
                        class_name: l.class_name.clone(),
                        teacher_name,
                        form: l.form,
                        mode: l.mode,
                        room: l.room.clone(),
                        link,
                        topic,
                        mine: substitute.map_or(l.teacher_id == viewer, |s| s == viewer),
                        change: kind.map(|kind| LessonChange {
                            kind,
                            regular_teacher: l.teacher_name.clone(),
                            regular_period: l.period,
                            note: change.map(|c| c.note.clone()).unwrap_or_default(),
                        }),
                        materials: Vec::new(),
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
                holiday: !terms::is_teaching_day(&calendar.terms, kind, date),
            }
        })
        .collect();
    let today_index = (today >= monday && today < monday + 6).then(|| (today - monday) as usize);
    let (now, next) = match today_index {
        Some(i) => {
            // A cancelled lesson is neither "now" nor "next".
            let spans: Vec<(i64, i64)> = days[i]
                .lessons
                .iter()
                .map(|l| match &l.change {
                    Some(c) if c.kind == ChangeKind::Cancelled => (-1, -1),
                    _ => (l.starts, l.ends),
                })
                .collect();
            rules::now_and_next(&spans, minute)
        }
        None => (None, None),
    };
    let shown = if (monday..monday + 6).contains(&today) {
        today
    } else {
        monday
    };
    let term = match terms::term_day(&calendar.terms, kind, shown) {
        terms::TermDay::Unset => None,
        terms::TermDay::In(term) => Some(TermNote::Term {
            kind: term.kind,
            number: term.number,
            ends: terms::day_of(term.ends),
        }),
        terms::TermDay::Holiday { until } => Some(TermNote::Holiday {
            resumes: until.map(|last| terms::day_of(last + 1)),
        }),
    };
    WeekPlan {
        title,
        teaching_week: week,
        term,
        days,
        today: today_index,
        now,
        next,
        minute,
        prev_week: rules::iso_date(monday - 7),
        next_week: rules::iso_date(monday + 7),
        can_join: false,
        feed: None,
        tasks: None,
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
    let result = async {
        let me = require_user().await?;
        let db = db()?;
        let lesson = store::lesson(&db, lesson_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let day =
            rules::parse_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        let iso = rules::iso_date(day);
        if !super::materials::may_edit(&db, &me, &lesson, &iso).await? {
            return Err(AppError::Forbidden);
        }
        let calendar = store::calendar(&db).await?;
        if !lesson.runs_on(day, &calendar) {
            return Err(AppError::invalid(Field::Date, Reason::NotThatDay));
        }
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
    .await;
    crate::ui::forms::answer_form_back(result, "/timetable", |_| "saved=1".into())
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
    let day = rules::parse_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
    let iso = rules::iso_date(day);
    let link = store::occurrence_link(&db, lesson_id, &iso)
        .await?
        .ok_or(AppError::invalid(Field::Link, Reason::Empty))?;
    // A Join counts as attendance only while the lesson is on; at any other time it only opens
    // the link (a student who skipped Monday cannot mark themselves present on Wednesday).
    if let Some((starts, ends)) = store::occurrence_times(&db, &lesson, day).await? {
        let now = crate::db::now();
        if rules::join_counts_as_attendance(
            day,
            starts,
            ends,
            crate::db::day_number(now),
            crate::db::bishkek_minute(now),
        ) {
            store::record_join(&db, lesson_id, &iso, me.id).await?;
        }
    }
    leptos_axum::redirect(&link);
    Ok(())
}

/// The absolute address of a calendar feed, as the browser reached this server (behind a trusted
/// proxy, with the scheme it reports).
#[cfg(feature = "ssr")]
fn feed_url(token: &str) -> String {
    let parts = use_context::<http::request::Parts>();
    let header = |name: &str| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_else(|| "localhost".into());
    let trusted = app_state().map(|s| s.trust_proxy).unwrap_or(false);
    let scheme = match header("x-forwarded-proto") {
        Some(proto) if trusted && proto == "https" => "https",
        _ => "http",
    };
    format!("{scheme}://{host}/ical/{token}.ics")
}

/// Makes (or, with `off`, turns off) the viewer's secret calendar address for this timetable.
/// A new address replaces the old one, which stops working.
#[server(endpoint = "timetable/feed")]
pub async fn set_feed(whose: String, off: Option<String>) -> AppResult<()> {
    let back = format!("/timetable?whose={}", crate::ui::format::url_encode(&whose));
    let result = async {
        let me = require_user().await?;
        let db = db()?;
        let parsed = Whose::from_param(&whose)
            .ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?;
        let target = match resolve(&db, &me, &parsed).await? {
            (_, _, Some(class), _) => FeedTarget::Class(class),
            (_, _, None, Some(teacher)) => FeedTarget::Teacher(teacher),
            _ => return Err(AppError::Forbidden),
        };
        if off.is_some_and(|o| !o.trim().is_empty()) {
            store::revoke_feeds(&db, me.id, target).await
        } else {
            store::create_feed(&db, me.id, target).await.map(|_| ())
        }
    }
    .await;
    answer_form_to(result, &format!("{back}#calendar"), &back)
}
