//! Server functions of feedback rounds. Forms are plain posts answered with a redirect, so they
//! work without JavaScript.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{self as r_rules, Cycle};
    pub use super::super::store::RoundRow;
    pub use crate::accounts::auth::{require, require_user};
    pub use crate::accounts::{Me, Role};
    pub use crate::db::{now, Db};
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::timetable::rules as tt_rules;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const ROUNDS_PAGE: &str = "/feedback/rounds";

#[cfg(feature = "ssr")]
fn invalid((field, reason): (Field, Reason)) -> AppError {
    AppError::invalid(field, reason)
}

/// A round's first cycle as stored (ISO days) and its cycle on `today`.
#[cfg(feature = "ssr")]
fn cycle_of(row: &RoundRow, today: i64) -> Option<Cycle> {
    let opens = tt_rules::parse_date(&row.opens_on)?;
    let closes = tt_rules::parse_date(&row.closes_on)?;
    r_rules::cycle_on(today, opens, closes, row.repeat_days)
}

/// Admins manage every round; a teacher the rounds they opened.
#[cfg(feature = "ssr")]
async fn manager() -> AppResult<(Me, Option<i64>)> {
    let me = require_user().await?;
    if me.has(Role::Admin) {
        Ok((me, None))
    } else if me.has(Role::Teacher) {
        let id = me.id;
        Ok((me, Some(id)))
    } else {
        Err(AppError::Forbidden)
    }
}

/// A round its caller manages; another teacher's round is "not found".
#[cfg(feature = "ssr")]
async fn managed_round(db: &Db, round_id: i64) -> AppResult<RoundRow> {
    let (_, author) = manager().await?;
    store::round(db, round_id)
        .await?
        .filter(|r| author.is_none_or(|a| a == r.author_id))
        .ok_or(AppError::NotFound)
}

/// One question's results over a cycle's answers (no names).
#[cfg(feature = "ssr")]
fn result_of(q: &Question, values: &[String]) -> QuestionResult {
    let ratings: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    let counts = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let n = values.iter().filter(|v| **v == i.to_string()).count() as i64;
            (option.clone(), n)
        })
        .collect();
    let rating = q.kind == QuestionKind::Rating;
    QuestionResult {
        prompt: q.prompt.clone(),
        kind: q.kind,
        rating_sum: if rating { ratings.iter().sum() } else { 0 },
        rating_count: if rating { ratings.len() as i64 } else { 0 },
        counts,
        // In alphabetical order, never in the order of answering: next to the "not answered"
        // list, that order would tell whose text is whose.
        texts: if q.kind == QuestionKind::Text {
            let mut texts: Vec<String> = values.iter().filter(|v| !v.is_empty()).cloned().collect();
            texts.sort();
            texts
        } else {
            Vec::new()
        },
    }
}

#[cfg(feature = "ssr")]
async fn report(db: &Db, row: RoundRow, today: i64) -> AppResult<RoundReport> {
    let cycle = cycle_of(&row, today);
    let audience = store::audience(db, row.class_id).await?;
    let open = row.stopped == 0 && cycle.is_some_and(|c| c.is_open(today));
    let (mut responded, mut missing, mut reminded) = (0, Vec::new(), 0);
    if let Some(c) = cycle {
        let done = store::respondents(db, row.id, c.index).await?;
        responded = audience.iter().filter(|(id, _)| done.contains(id)).count() as i64;
        missing = audience
            .iter()
            .filter(|(id, _)| !done.contains(id))
            .map(|(_, name)| name.clone())
            .collect();
        reminded = store::reminders(db, row.id, c.index).await?.0;
    }
    let (mut results, mut results_cycle) = (Vec::new(), None);
    if let Some(shown) = r_rules::results_cycle(cycle, open) {
        let answers = store::answers(db, row.id, shown).await?;
        let answered = store::respondents(db, row.id, shown).await?.len() as i64;
        if answered >= r_rules::MIN_RESPONSES_FOR_RESULTS {
            results = store::questions(db, row.id)
                .await?
                .iter()
                .map(|q| result_of(q, answers.get(&q.id).map_or(&[], Vec::as_slice)))
                .collect();
            results_cycle = Some(shown + 1);
        }
    }
    let (opens, closes) = match cycle {
        Some(c) => (tt_rules::iso_date(c.opens), tt_rules::iso_date(c.closes)),
        None => (row.opens_on.clone(), row.closes_on.clone()),
    };
    Ok(RoundReport {
        id: row.id,
        title: row.title,
        author_name: row.author_name,
        class_name: row.class_name,
        repeat_days: row.repeat_days,
        cycle: cycle.map(|c| c.index + 1),
        opens,
        closes,
        open,
        stopped: row.stopped != 0,
        expected: audience.len() as i64,
        responded,
        missing,
        reminded,
        results,
        results_cycle,
    })
}

/// The rounds a student of a class can answer today, with their own answers.
#[cfg(feature = "ssr")]
pub async fn open_for_student(
    db: &Db,
    student_id: i64,
    class_id: i64,
) -> AppResult<Vec<OpenRound>> {
    let today = crate::db::today();
    let mut out = Vec::new();
    for row in store::rounds_for_class(db, class_id).await? {
        let Some(c) = cycle_of(&row, today).filter(|c| c.is_open(today)) else {
            continue;
        };
        let questions = store::questions(db, row.id).await?;
        let mine = store::mine(db, row.id, c.index, student_id)
            .await?
            .map(|m| {
                questions
                    .iter()
                    .map(|q| m.get(&q.id).cloned().unwrap_or_default())
                    .collect()
            });
        out.push(OpenRound {
            id: row.id,
            title: row.title,
            author_name: row.author_name,
            closes: tt_rules::iso_date(c.closes),
            reminded: mine.is_none()
                && store::was_reminded(db, row.id, c.index, student_id).await?,
            questions,
            mine,
        });
    }
    Ok(out)
}

/// The caller's rounds (an admin: all) with this cycle's results, and where they may open one.
#[server(endpoint = "rounds/page")]
pub async fn get_rounds_page() -> AppResult<RoundsPage> {
    let (_, author) = manager().await?;
    let db = db()?;
    let today = crate::db::today();
    let mut rounds = Vec::new();
    for row in store::rounds_by(&db, author).await? {
        rounds.push(report(&db, row, today).await?);
    }
    Ok(RoundsPage {
        rounds,
        classes: store::classes_for(&db, author).await?,
        school_wide: author.is_none(),
        today: tt_rules::iso_date(today),
    })
}

/// Opens a round: a class (or, for admins, the whole school), dates, repetition and questions.
#[server(endpoint = "rounds/create")]
pub async fn create_round(
    title: String,
    audience: String,
    opens_on: String,
    closes_on: String,
    repeat_days: String,
    kinds: Vec<String>,
    prompts: Vec<String>,
    choices: Vec<String>,
) -> AppResult<()> {
    let result = async {
        let (me, author) = manager().await?;
        let db = db()?;
        let class_id = match audience.trim() {
            "school" if author.is_none() => None,
            raw => {
                let id = raw.parse::<i64>().ok();
                let allowed = store::classes_for(&db, author).await?;
                Some(
                    id.filter(|id| allowed.iter().any(|(c, _)| c == id))
                        .ok_or(AppError::invalid(Field::Class, Reason::UnknownClass))?,
                )
            }
        };
        let title = r_rules::check_title(&title).map_err(invalid)?;
        let day = |raw: &str| {
            tt_rules::parse_date(raw.trim())
                .ok_or(AppError::invalid(Field::Date, Reason::BadFormat))
        };
        let (opens, closes) = (day(&opens_on)?, day(&closes_on)?);
        let repeat = match repeat_days.trim() {
            "" => 0,
            raw => raw
                .parse::<i64>()
                .map_err(|_| AppError::invalid(Field::Repeat, Reason::BadFormat))?,
        };
        r_rules::check_dates(crate::db::today(), opens, closes, repeat).map_err(invalid)?;
        let questions = r_rules::compose(&kinds, &prompts, &choices).map_err(invalid)?;
        store::create(
            &db,
            me.id,
            class_id,
            &title,
            (
                &tt_rules::iso_date(opens),
                &tt_rules::iso_date(closes),
                repeat,
            ),
            &questions,
        )
        .await?;
        Ok(())
    }
    .await;
    answer_form_to(result, "/feedback/rounds?created=1", ROUNDS_PAGE)
}

/// A student answers a round of their class (or school) while its cycle is open; again to edit.
/// `questions[i]` names the question that `answers[i]` answers.
#[server(endpoint = "rounds/answer")]
pub async fn answer_round(
    round_id: i64,
    questions: Vec<i64>,
    answers: Vec<String>,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Student).await?;
        let db = db()?;
        let class = me.class.as_ref().ok_or(AppError::Forbidden)?;
        // Another class's round is not found, as one that does not exist.
        let row = store::round(&db, round_id)
            .await?
            .filter(|r| r.class_id.is_none_or(|c| c == class.id) && r.stopped == 0)
            .ok_or(AppError::NotFound)?;
        let today = crate::db::today();
        let cycle =
            cycle_of(&row, today).ok_or(AppError::invalid(Field::Feedback, Reason::NotYet))?;
        if !cycle.is_open(today) {
            return Err(AppError::invalid(Field::Feedback, Reason::WindowClosed));
        }
        let mut given = Vec::new();
        for q in store::questions(&db, round_id).await? {
            let raw = questions
                .iter()
                .position(|id| *id == q.id)
                .and_then(|i| answers.get(i));
            let value = match raw {
                Some(raw) => {
                    r_rules::check_answer(q.kind, q.choices.len(), raw).map_err(invalid)?
                }
                None if q.kind == QuestionKind::Text => String::new(),
                None => return Err(AppError::invalid(Field::Answer, Reason::Empty)),
            };
            given.push((q.id, value));
        }
        store::save_response(&db, round_id, cycle.index, me.id, &given).await
    }
    .await;
    answer_form_to(result, "/feedback?saved=1", "/feedback")
}

/// Reminds the students who have not answered this cycle (at most once in 12 hours).
#[server(endpoint = "rounds/remind")]
pub async fn remind_round(round_id: i64) -> AppResult<()> {
    let result = async {
        let db = db()?;
        let row = managed_round(&db, round_id).await?;
        let today = crate::db::today();
        let cycle = cycle_of(&row, today)
            .filter(|c| row.stopped == 0 && c.is_open(today))
            .ok_or(AppError::invalid(Field::Feedback, Reason::WindowClosed))?;
        let (_, last) = store::reminders(&db, round_id, cycle.index).await?;
        if last.is_some_and(|at| now() - at < r_rules::REMIND_GAP_HOURS * 3600) {
            return Err(AppError::invalid(Field::Feedback, Reason::TooSoon));
        }
        let done = store::respondents(&db, round_id, cycle.index).await?;
        let missing: Vec<i64> = store::audience(&db, row.class_id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| !done.contains(id))
            .collect();
        if missing.is_empty() {
            return Err(AppError::invalid(Field::Recipients, Reason::NoRecipients));
        }
        store::remind(&db, round_id, cycle.index, &missing).await
    }
    .await;
    answer_form_to(result, "/feedback/rounds?reminded=1", ROUNDS_PAGE)
}

/// Stops a round: students no longer see it; its results stay.
#[server(endpoint = "rounds/stop")]
pub async fn stop_round(round_id: i64) -> AppResult<()> {
    let result = async {
        let db = db()?;
        managed_round(&db, round_id).await?;
        store::stop(&db, round_id).await
    }
    .await;
    answer_form_to(result, "/feedback/rounds?stopped=1", ROUNDS_PAGE)
}
