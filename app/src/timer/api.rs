//! Server functions of the lesson timer. The controls are plain HTML forms that answer with a
//! redirect (to `/timer`, or `/timer?error=…` when refused), so they work without JavaScript.
// The settings form posts one field per grade band.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{ActionRefusal, LengthRefusal, RunClock};
    pub use super::super::store::RunRecord;
    pub use crate::accounts::auth::{require, require_user};
    pub use crate::accounts::{Me, Role};
    pub use crate::db::{now_ms, Db};
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::{app_state, db};
    pub use crate::timetable::rules as tt_rules;
    pub use crate::timetable::store as tt_store;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

/// Where every timer form goes back to.
pub const TIMER_PAGE: &str = "/timer";

/// Who may follow a class's timer: its students, their parents, the teachers who teach in it,
/// its class teacher, admins. `None` asks for the caller's own class (a student's, or a
/// parent's first child's).
#[cfg(feature = "ssr")]
pub async fn watchable_class(db: &Db, me: &Me, requested: Option<i64>) -> AppResult<i64> {
    let own = me.class.as_ref().map(|c| c.id).or_else(|| {
        me.children
            .iter()
            .find_map(|c| c.class.as_ref().map(|c| c.id))
    });
    let Some(class_id) = requested.or(own) else {
        return Err(AppError::NotFound);
    };
    let allowed = me.class.as_ref().is_some_and(|c| c.id == class_id)
        || me
            .children
            .iter()
            .any(|child| child.class.as_ref().is_some_and(|c| c.id == class_id))
        || me.leads.as_ref().is_some_and(|c| c.id == class_id)
        || me.has(Role::Admin)
        || (me.has(Role::Teacher) && tt_store::teaches_in_class(db, me.id, class_id).await?);
    if allowed {
        Ok(class_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A class's timer as pages show it (and as live events carry it).
#[cfg(feature = "ssr")]
pub async fn class_timer(db: &Db, class_id: i64) -> AppResult<ClassTimer> {
    let class = store::class_info(db, class_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = store::settings(db, class.school_id).await?;
    let now = now_ms();
    let mut current = store::current_run(db, class_id, now).await?;
    if let Some(run) = &current {
        if end_if_forgotten(db, run, now).await? {
            current = store::current_run(db, class_id, now).await?;
        }
    }
    let current = current.map(|r| r.snapshot);
    Ok(ClassTimer {
        class_id,
        class_name: class.name,
        cap_min: settings.caps.for_grade(class.grade),
        warnings: settings.warnings,
        current,
        server_now_ms: now,
    })
}

/// Ends a run left going past its lesson (see `rules::forgotten_at_ms`), at that instant, and
/// logs it; `true` if it did. Whoever reads the class's timer next triggers it, so a forgotten
/// run never blocks the next teacher.
#[cfg(feature = "ssr")]
async fn end_if_forgotten(db: &Db, run: &RunRecord, now: i64) -> AppResult<bool> {
    let clock = run.snapshot.clock;
    // Never before its own planned end plus the margin: most reads stop here, without a query.
    if clock.ended_ms.is_some() || now < rules::forgotten_at_ms(&clock, None) {
        return Ok(false);
    }
    let day = today_days(clock.started_ms);
    let lesson_end_ms = match tt_store::lesson(db, run.snapshot.lesson_id).await? {
        Some(lesson) => tt_store::occurrence_times(db, &lesson, day)
            .await?
            .map(|(_, ends)| tt_rules::bishkek_midnight_ms(day) + ends * rules::MINUTE_MS),
        None => None,
    };
    let at = rules::forgotten_at_ms(&clock, lesson_end_ms);
    if now < at {
        return Ok(false);
    }
    let mut ended = clock;
    if ended.stop(at).is_err()
        || !store::save_clock(db, &run.snapshot, &ended, run.snapshot.pauses, 0).await?
    {
        return Ok(false);
    }
    let subject = format!("run:{}", run.snapshot.run_id);
    crate::accounts::store::audit(db, None, "timer.auto_stopped", &subject, None, None).await?;
    tracing::info!(run = run.snapshot.run_id, "forgotten lesson timer ended");
    Ok(true)
}

/// Tells every page following the class what its timer is now.
#[cfg(feature = "ssr")]
async fn announce(db: &Db, class_id: i64) -> AppResult<()> {
    let timer = class_timer(db, class_id).await?;
    let json = serde_json::to_string(&timer).map_err(|_| AppError::Internal)?;
    app_state()?.live.publish(db, class_id, json).await;
    Ok(())
}

/// The timer page: a teacher's lessons of today with their controls, or (for students, parents,
/// and anyone asking for `class_id`) the live timer of one class they may follow.
#[server(endpoint = "timer/page")]
pub async fn get_timer_page(class_id: Option<i64>) -> AppResult<TimerPage> {
    let me = require_user().await?;
    let db = db()?;
    if class_id.is_none() && me.has(Role::Teacher) {
        return teacher_day(&db, &me).await.map(TimerPage::Teacher);
    }
    let class_id = watchable_class(&db, &me, class_id).await?;
    class_timer(&db, class_id).await.map(TimerPage::Class)
}

/// A teacher's lessons today with each class's cap, and the teacher's run in progress.
#[cfg(feature = "ssr")]
async fn teacher_day(db: &Db, me: &Me) -> AppResult<TeacherDay> {
    let db = db.clone();
    let now = now_ms();
    let today = today_days(now);
    let calendar = tt_store::calendar(&db).await?;
    let periods = tt_store::periods(&db, &calendar.bell_variant).await?;
    let mut lessons = Vec::new();
    // One school's settings serve all of the teacher's lessons there: read them once.
    let mut settings_of = std::collections::HashMap::new();
    // Today's changes count: a cancelled lesson or one given to a substitute has no timer here;
    // a lesson the teacher stands in for has.
    for row in tt_store::teaching_on(&db, me.id, today).await? {
        let Some(class) = store::class_info(&db, row.class_id).await? else {
            continue;
        };
        let settings = match settings_of.get(&class.school_id) {
            Some(settings) => *settings,
            None => {
                let settings = store::settings(&db, class.school_id).await?;
                settings_of.insert(class.school_id, settings);
                settings
            }
        };
        let (starts, ends) = periods.get(&row.period).copied().unwrap_or((0, 0));
        lessons.push(TeacherLesson {
            lesson_id: row.id,
            period: row.period,
            starts,
            ends,
            subject: row.subject,
            class_id: row.class_id,
            class_name: row.class_name,
            grade: class.grade,
            cap_min: settings.caps.for_grade(class.grade),
        });
    }
    lessons.sort_by_key(|l| (l.starts, l.class_name.clone()));
    let mine = match store::teacher_current_run(&db, me.id, now).await? {
        Some(run) => Some(class_timer(&db, run.snapshot.class_id).await?),
        None => None,
    };
    Ok(TeacherDay {
        lessons,
        mine,
        server_now_ms: now,
    })
}

#[cfg(feature = "ssr")]
fn today_days(now_ms: i64) -> i64 {
    crate::db::day_number(now_ms.div_euclid(1000))
}

/// Answers a timer form. A browser's form post (with or without JavaScript) goes back to the
/// timer page, carrying the reason when refused; a script asking for JSON gets the error itself.
#[cfg(feature = "ssr")]
fn answer_form(result: AppResult<()>) -> AppResult<()> {
    answer_form_to(result, TIMER_PAGE, TIMER_PAGE)
}

/// The teacher starts today's lesson for `minutes` (at most the class's cap).
#[server(endpoint = "timer/start")]
pub async fn start_timer(lesson_id: i64, minutes: String) -> AppResult<()> {
    answer_form(start(lesson_id, &minutes).await)
}

#[cfg(feature = "ssr")]
async fn start(lesson_id: i64, minutes: &str) -> AppResult<()> {
    let me = require(Role::Teacher).await?;
    let db = db()?;
    let lesson = tt_store::lesson(&db, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let today = today_days(now);
    // Who teaches it today: its teacher, or the substitute standing in for them.
    let teaching = tt_store::teaching_on(&db, me.id, today).await?;
    if !teaching.iter().any(|l| l.id == lesson_id) {
        // Its own teacher is told it is not theirs today (cancelled, substituted or another day).
        return Err(if lesson.teacher_id == me.id {
            AppError::invalid(Field::Timer, Reason::NotToday)
        } else {
            AppError::Forbidden
        });
    }
    let class = store::class_info(&db, lesson.class_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cap = store::settings(&db, class.school_id)
        .await?
        .caps
        .for_grade(class.grade);
    let minutes: i64 = minutes
        .trim()
        .parse()
        .map_err(|_| AppError::invalid(Field::Minutes, Reason::BadFormat))?;
    let refused = |refusal| match refusal {
        LengthRefusal::OverCap(cap) => AppError::invalid(
            Field::Minutes,
            Reason::OverCap {
                cap_min: cap as u16,
            },
        ),
        LengthRefusal::TooShort => AppError::invalid(Field::Minutes, Reason::OutOfRange),
        LengthRefusal::TooLong => AppError::invalid(Field::Minutes, Reason::TooLong),
    };
    rules::check_length(minutes, cap).map_err(refused)?;
    // The lesson's runs today share its cap (a run of it still going counts too): what is left
    // is this run's cap, so an extension and the report's "over the cap" count against the
    // day's total. Nothing is changed before every check has passed.
    let mut live = Vec::new();
    for run_id in store::live_runs_of_teacher(&db, me.id).await? {
        live.extend(store::run(&db, run_id).await?);
    }
    let going_ms: i64 = live
        .iter()
        .filter(|r| r.snapshot.lesson_id == lesson_id)
        .map(|r| r.snapshot.clock.active_ms(now))
        .sum();
    let used = store::used_today_ms(&db, lesson_id, &tt_rules::iso_date(today)).await? + going_ms;
    let left = rules::cap_left(cap, used);
    if let (Some(cap), Some(left)) = (cap, left) {
        if used > 0 && minutes > left as i64 {
            return Err(AppError::invalid(
                Field::Minutes,
                Reason::CapUsedToday {
                    cap_min: cap as u16,
                    left_min: left as u16,
                },
            ));
        }
    }
    let cap = left;
    let minutes = rules::check_length(minutes, cap).map_err(refused)?;
    // A teacher teaches one lesson at a time: a run left going in another class ends now.
    for run in live {
        let mut clock = run.snapshot.clock;
        if clock.stop(now).is_ok()
            && store::save_clock(&db, &run.snapshot, &clock, run.snapshot.pauses, 0).await?
        {
            announce(&db, run.snapshot.class_id).await?;
        }
    }
    let iso = tt_rules::iso_date(today);
    let new_run = store::NewRun {
        school_id: class.school_id,
        lesson_id,
        class_id: lesson.class_id,
        teacher_id: me.id,
        date: &iso,
        cap_min: cap,
        clock: RunClock::new(now, minutes, cap),
    };
    // A run forgotten in this class by someone else ends first (it would block the class).
    if let Some(run) = store::current_run(&db, lesson.class_id, now).await? {
        end_if_forgotten(&db, &run, now).await?;
    }
    store::insert_run(&db, &new_run)
        .await?
        .ok_or(AppError::invalid(Field::Timer, Reason::TimerBusy))?;
    tracing::info!(lesson_id, minutes, teacher = me.id, "lesson timer started");
    announce(&db, lesson.class_id).await
}

/// What the teacher does with a run in progress.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
enum Control {
    Pause,
    Resume,
    Extend(i64),
    Stop,
}

#[cfg(feature = "ssr")]
async fn control(run_id: i64, control: Control) -> AppResult<()> {
    let me = require_user().await?;
    let db = db()?;
    let school = school_of(&db, me.id).await?;
    // Two devices of one teacher may press at once: retry on a fresh copy a few times.
    for _ in 0..3 {
        let RunRecord {
            snapshot,
            teacher_id,
        } = store::run(&db, run_id).await?.ok_or(AppError::NotFound)?;
        // The run's teacher controls it; an admin of its school may stop it (a timer left
        // going), and that is logged.
        let by_admin = teacher_id != me.id
            && matches!(control, Control::Stop)
            && me.has(Role::Admin)
            && store::class_info(&db, snapshot.class_id)
                .await?
                .is_some_and(|c| c.school_id == school);
        if !(by_admin || (teacher_id == me.id && me.has(Role::Teacher))) {
            return Err(AppError::Forbidden);
        }
        let now = now_ms();
        let mut clock = snapshot.clock;
        let mut pauses = snapshot.pauses;
        let mut extended = 0;
        let done = match control {
            Control::Pause => {
                pauses += 1;
                clock.pause(now)
            }
            Control::Resume => clock.resume(now),
            Control::Extend(minutes) => {
                extended = 1;
                clock.extend(minutes)
            }
            Control::Stop => clock.stop(now),
        };
        done.map_err(|refusal| {
            let reason = match refusal {
                ActionRefusal::Ended => Reason::TimerEnded,
                ActionRefusal::AlreadyPaused => Reason::AlreadyPaused,
                ActionRefusal::NotPaused => Reason::NotPaused,
                ActionRefusal::OverCap(cap) => Reason::OverCap {
                    cap_min: cap as u16,
                },
                ActionRefusal::BadLength => Reason::OutOfRange,
            };
            let field = if matches!(control, Control::Extend(_)) {
                Field::Minutes
            } else {
                Field::Timer
            };
            AppError::invalid(field, reason)
        })?;
        if store::save_clock(&db, &snapshot, &clock, pauses, extended).await? {
            if by_admin {
                let subject = format!("run:{run_id}");
                crate::accounts::store::audit(
                    &db,
                    Some(me.id),
                    "timer.admin_stopped",
                    &subject,
                    None,
                    None,
                )
                .await?;
            }
            return announce(&db, snapshot.class_id).await;
        }
    }
    Err(AppError::invalid(Field::Timer, Reason::Changed))
}

#[server(endpoint = "timer/pause")]
pub async fn pause_timer(run_id: i64) -> AppResult<()> {
    answer_form(control(run_id, Control::Pause).await)
}

#[server(endpoint = "timer/resume")]
pub async fn resume_timer(run_id: i64) -> AppResult<()> {
    answer_form(control(run_id, Control::Resume).await)
}

/// Adds minutes to the run in progress; the total stays within the cap.
#[server(endpoint = "timer/extend")]
pub async fn extend_timer(run_id: i64, minutes: String) -> AppResult<()> {
    let parsed = minutes
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid(Field::Minutes, Reason::BadFormat));
    match parsed {
        Ok(minutes) => answer_form(control(run_id, Control::Extend(minutes)).await),
        Err(err) => answer_form(Err(err)),
    }
}

/// Stops a run: its teacher, or an admin from the report page (`from_report`), who goes back there.
#[server(endpoint = "timer/stop")]
pub async fn stop_timer(run_id: i64, from_report: Option<String>) -> AppResult<()> {
    let result = control(run_id, Control::Stop).await;
    match from_report {
        Some(_) => answer_form_to(result, "/timer/report?saved=1", "/timer/report"),
        None => answer_form(result),
    }
}

/// Compliance with the caps: the school's for admins, a teacher's own otherwise.
#[server(endpoint = "timer/report")]
pub async fn get_report() -> AppResult<ComplianceReport> {
    let me = require_user().await?;
    let db = db()?;
    let teacher = if me.has(Role::Admin) {
        None
    } else if me.has(Role::Teacher) {
        Some(me.id)
    } else {
        return Err(AppError::Forbidden);
    };
    let (settings, live) = if teacher.is_none() {
        let school = school_of(&db, me.id).await?;
        (
            Some(store::settings(&db, school).await?),
            store::live_runs_of_school(&db, school).await?,
        )
    } else {
        (None, Vec::new())
    };
    Ok(ComplianceReport {
        by_teacher: store::compliance(&db, false, teacher).await?,
        by_class: store::compliance(&db, true, teacher).await?,
        recent: store::recent_runs(&db, teacher, 50).await?,
        live,
        settings,
    })
}

#[cfg(feature = "ssr")]
async fn school_of(db: &Db, user_id: i64) -> AppResult<i64> {
    let (school,): (i64,) = sqlx::query_as("SELECT school_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(school)
}

/// Admins change the caps (per band of grades) and the warnings. An empty cap means "no cap"
/// (allowed for university groups only: the regulation caps every school grade).
#[server(endpoint = "timer/settings")]
pub async fn save_timer_settings(
    cap_1_2: String,
    cap_3_4: String,
    cap_5_6: String,
    cap_7_9: String,
    cap_10_11: String,
    cap_groups: String,
    warn_first: String,
    warn_last: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Admin).await?;
        let db = db()?;
        let values = [cap_1_2, cap_3_4, cap_5_6, cap_7_9, cap_10_11, cap_groups];
        let mut caps = rules::Caps([None; 12]);
        for ((_, grades), raw) in CAP_BANDS.iter().zip(values.iter()) {
            let raw = raw.trim();
            let cap = if raw.is_empty() && grades == &[0] {
                None
            } else {
                let minutes: u32 = raw
                    .parse()
                    .map_err(|_| AppError::invalid(Field::Minutes, Reason::BadFormat))?;
                if !(1..=rules::MAX_UNCAPPED_MIN).contains(&minutes) {
                    return Err(AppError::invalid(Field::Minutes, Reason::OutOfRange));
                }
                // A school may lower the regulation's caps, never raise them.
                let regulation = grades
                    .iter()
                    .filter_map(|g| rules::default_cap(Some(*g).filter(|g| *g > 0)))
                    .min();
                if let Some(regulation) = regulation.filter(|r| minutes > *r) {
                    return Err(AppError::invalid(
                        Field::Minutes,
                        Reason::AboveRegulation {
                            cap_min: regulation as u16,
                        },
                    ));
                }
                Some(minutes)
            };
            for grade in grades.iter() {
                caps.0[*grade as usize] = cap;
            }
        }
        let warn = |raw: &str| -> AppResult<u32> {
            raw.trim()
                .parse::<u32>()
                .ok()
                .filter(|m| *m <= 60)
                .ok_or(AppError::invalid(Field::Minutes, Reason::OutOfRange))
        };
        let warnings = rules::Warnings {
            first_min: warn(&warn_first)?,
            last_min: warn(&warn_last)?,
        };
        let school = school_of(&db, me.id).await?;
        store::save_settings(&db, school, &TimerSettings { caps, warnings }).await
    }
    .await;
    answer_form_to(result, "/timer/report?saved=1", "/timer/report")
}
