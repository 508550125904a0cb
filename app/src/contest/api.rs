//! Server functions of the contest. Each checks who calls and the edition's phase, then does one
//! thing. The forms are plain HTML posts answered with a redirect, so they work without
//! JavaScript. No function an expert may call carries a participant's contact details.
// The application form posts one argument per field of the regulation's appendix 1.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{Action as Step, Phase};
    pub use super::super::store::EditionRow;
    pub use crate::accounts::auth::{current_user, require};
    pub use crate::accounts::rules as account_rules;
    pub use crate::accounts::Role;
    pub use crate::db::{today, Db};
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::timetable::rules::{check_link, iso_date, parse_date};
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

/// The longest free text a form field takes (names, titles); comments may be longer.
pub const TEXT_MAX: usize = 300;
pub const COMMENT_MAX: usize = 2000;

#[cfg(feature = "ssr")]
async fn edition(db: &Db) -> AppResult<EditionRow> {
    store::current_edition(db).await?.ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn edition_info(row: &EditionRow) -> EditionInfo {
    let today = today();
    EditionInfo {
        id: row.id,
        title: row.title.clone(),
        schedule: row.schedule,
        phase: row.schedule.phase(today),
        today,
        min_experts: row.min_experts,
        experts_per_nomination: row.experts_per_nomination,
        spread_limit: row.spread_limit,
    }
}

/// The active person with this login (as typed in a form), or a clear refusal.
#[cfg(feature = "ssr")]
async fn user_by_login(db: &Db, raw: &str) -> AppResult<i64> {
    let login =
        account_rules::normalize_login(raw).map_err(|r| AppError::invalid(Field::Login, r))?;
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE login = $1 AND active = 1")
            .bind(&login)
            .fetch_optional(&db.pool)
            .await?;
    found
        .map(|(id,)| id)
        .ok_or(AppError::invalid(Field::Login, Reason::UnknownUser))
}

/// Refuses an action outside its phase, naming the days it is open.
#[cfg(feature = "ssr")]
fn in_phase(row: &EditionRow, action: Step, field: Field) -> AppResult<()> {
    if row.schedule.allows(action, today()) {
        return Ok(());
    }
    let (from, until) = row.schedule.window(action);
    Err(AppError::invalid(
        field,
        Reason::OutOfPhase {
            from: from as i32,
            until: until.min(i64::from(i32::MAX)) as i32,
        },
    ))
}

/// Refuses once judging has closed: from then on the results are frozen, and only a logged
/// correction (`contest/correct`) may change them.
#[cfg(feature = "ssr")]
fn before_judging_closes(row: &EditionRow, field: Field) -> AppResult<()> {
    if row.schedule.phase(today()) <= Phase::Judging {
        return Ok(());
    }
    let (from, until) = (row.schedule.apply_opens, row.schedule.judging_closes);
    Err(AppError::invalid(
        field,
        Reason::OutOfPhase {
            from: from as i32,
            until: until as i32,
        },
    ))
}

/// The current edition as a home page shows it to a teacher, an expert or an organiser (none
/// for anyone else, or when no edition exists).
#[cfg(feature = "ssr")]
pub(crate) async fn glance(db: &Db, me: &crate::accounts::Me) -> AppResult<Option<ContestGlance>> {
    let organiser = me.has(Role::Organiser);
    let (teacher, expert) = (me.has(Role::Teacher), me.has(Role::Expert));
    if !(organiser || teacher || expert) {
        return Ok(None);
    }
    let Some(row) = store::current_edition(db).await? else {
        return Ok(None);
    };
    let scored = if expert {
        let entries = store::assigned_entries(db, row.id, me.id).await?;
        let done = entries
            .iter()
            .filter(|e| e.state == EvalState::Submitted)
            .count();
        Some((done, entries.len()))
    } else {
        None
    };
    let applications = if teacher {
        Some(store::my_applications(db, row.id, me.id).await?.len())
    } else {
        None
    };
    Ok(Some(ContestGlance {
        title: row.title.clone(),
        phase: row.schedule.phase(today()),
        schedule: row.schedule,
        scored,
        applications,
        organiser,
    }))
}

/// The contest's front page: open to everyone (the regulation is public); what is personal
/// (applications, assigned entries, the organiser's links) only for the person it concerns.
#[server(endpoint = "contest/home")]
pub async fn get_contest_home() -> AppResult<ContestHome> {
    let me = current_user().await?;
    let db = db()?;
    let row = edition(&db).await?;
    let nominations = store::nominations(&db, row.id).await?;
    let (mut can_apply, mut mine, mut assigned, mut organiser) = (false, vec![], vec![], false);
    if let Some(me) = &me {
        can_apply = me.has(Role::Teacher);
        if can_apply {
            mine = store::my_applications(&db, row.id, me.id).await?;
        }
        if me.has(Role::Expert) {
            assigned = store::assigned_entries(&db, row.id, me.id).await?;
        }
        organiser = me.has(Role::Organiser);
    }
    Ok(ContestHome {
        edition: edition_info(&row),
        nominations,
        can_apply,
        mine,
        assigned,
        organiser,
    })
}

/// The application form for a nomination: the teacher's own application, or a new one filled
/// from their account.
#[server(endpoint = "contest/application")]
pub async fn get_application(nomination_id: i64) -> AppResult<ApplicationPage> {
    let me = require(Role::Teacher).await?;
    let db = db()?;
    let row = edition(&db).await?;
    let nomination = store::nominations(&db, row.id)
        .await?
        .into_iter()
        .find(|n| n.id == nomination_id)
        .ok_or(AppError::NotFound)?;
    let form = match store::application_of(&db, nomination_id, me.id).await? {
        Some(record) => record.form,
        None => {
            let (email, phone): (Option<String>, Option<String>) =
                sqlx::query_as("SELECT email, phone FROM users WHERE id = $1")
                    .bind(me.id)
                    .fetch_one(&db.pool)
                    .await?;
            ApplicationForm {
                nomination_id,
                full_name: me.full_name.clone(),
                email: email.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
                ..ApplicationForm::default()
            }
        }
    };
    Ok(ApplicationPage {
        edition: edition_info(&row),
        nomination,
        form,
    })
}

#[cfg(feature = "ssr")]
fn required_text(raw: &str, field: Field) -> AppResult<String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        Err(AppError::invalid(field, Reason::Empty))
    } else if text.chars().count() > TEXT_MAX {
        Err(AppError::invalid(field, Reason::TooLong))
    } else {
        Ok(text)
    }
}

#[cfg(feature = "ssr")]
fn link(raw: &str, field: Field, required: bool) -> AppResult<String> {
    match check_link(raw).map_err(|reason| AppError::invalid(field, reason))? {
        Some(link) => Ok(link),
        None if required => Err(AppError::invalid(field, Reason::Empty)),
        None => Ok(String::new()),
    }
}

/// Submits or edits an application (appendix 1). `application_id` empty: a new one, refused if
/// the person already applied in that nomination. Only within the applications window.
#[server(endpoint = "contest/apply")]
pub async fn save_application(
    application_id: Option<i64>,
    nomination_id: i64,
    faculty: String,
    department: String,
    position: String,
    full_name: String,
    email: String,
    phone: String,
    social_link: String,
    lesson_title: String,
    plan_link: String,
    video_link: Option<String>,
    confirmed: Option<String>,
    share_evidence: Option<String>,
) -> AppResult<()> {
    let back = format!("/contest/apply?nomination={nomination_id}");
    let result = async {
        let me = require(Role::Teacher).await?;
        let db = db()?;
        let row = edition(&db).await?;
        in_phase(&row, Step::Apply, Field::Nomination)?;
        let nomination = store::nominations(&db, row.id)
            .await?
            .into_iter()
            .find(|n| n.id == nomination_id)
            .ok_or(AppError::invalid(Field::Nomination, Reason::OutOfRange))?;
        let form = ApplicationForm {
            id: application_id,
            nomination_id,
            faculty: required_text(&faculty, Field::Faculty)?,
            department: required_text(&department, Field::Department)?,
            position: required_text(&position, Field::Position)?,
            full_name: account_rules::normalize_full_name(&full_name)
                .map_err(|r| AppError::invalid(Field::FullName, r))?,
            email: account_rules::normalize_email(&email)
                .map_err(|r| AppError::invalid(Field::Email, r))?
                .ok_or(AppError::invalid(Field::Email, Reason::Empty))?,
            phone: account_rules::normalize_phone(&phone)
                .map_err(|r| AppError::invalid(Field::Phone, r))?
                .ok_or(AppError::invalid(Field::Phone, Reason::Empty))?,
            social_link: link(&social_link, Field::SocialLink, false)?,
            lesson_title: required_text(&lesson_title, Field::LessonTitle)?,
            plan_link: link(&plan_link, Field::PlanLink, true)?,
            video_link: link(
                video_link.as_deref().unwrap_or(""),
                Field::VideoLink,
                nomination.needs_video,
            )?,
            signed_on: iso_date(today()),
            share_evidence: share_evidence.is_some_and(|s| !s.trim().is_empty()),
        };
        if confirmed.as_deref().map(str::trim).unwrap_or("").is_empty() {
            return Err(AppError::invalid(Field::Confirmation, Reason::Empty));
        }
        match application_id {
            None => {
                store::insert_application(&db, row.id, me.id, &form)
                    .await?
                    .ok_or(AppError::invalid(Field::Nomination, Reason::AlreadyTaken))?;
            }
            Some(id) => {
                let record = store::application(&db, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if record.applicant_id != me.id || record.form.nomination_id != nomination_id {
                    return Err(AppError::Forbidden);
                }
                store::update_application(&db, id, &form).await?;
            }
        }
        tracing::info!(
            nomination_id,
            applicant = me.id,
            "contest application saved"
        );
        Ok(())
    }
    .await;
    answer_form_to(result, "/contest?applied=1", &back)
}

/// The organiser's page: dates, the council, every entry with its experts and contacts.
#[server(endpoint = "contest/manage")]
pub async fn get_manage() -> AppResult<ManagePage> {
    require(Role::Organiser).await?;
    let db = db()?;
    let row = edition(&db).await?;
    let (refs, experts_refs, conflicts) = store::assignment_input(&db, row.id).await?;
    let mut entries = store::entries(&db, row.id).await?;
    for entry in &mut entries {
        if let Some(r) = refs.iter().find(|r| r.id == entry.id) {
            entry.eligible = experts_refs
                .iter()
                .filter(|x| rules::ineligible(r, x, &conflicts).is_none())
                .count() as u32;
        }
    }
    Ok(ManagePage {
        edition: edition_info(&row),
        nominations: store::nominations(&db, row.id).await?,
        experts: store::experts(&db, row.id).await?,
        entries,
        conflicts: store::conflicts(&db, row.id).await?,
        audit: store::audit(&db, 100).await?,
    })
}

/// The organiser sets the edition's dates and numbers; the phases must keep the regulation's order.
#[server(endpoint = "contest/settings")]
pub async fn save_contest_settings(
    apply_opens: String,
    apply_closes: String,
    experts_by: String,
    judging_opens: String,
    judging_closes: String,
    announce_on: String,
    awards_from: String,
    awards_until: String,
    min_experts: String,
    experts_per_nomination: String,
    spread_limit: String,
) -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        let date = |raw: &str| {
            parse_date(raw.trim()).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))
        };
        let schedule = rules::Schedule {
            apply_opens: date(&apply_opens)?,
            apply_closes: date(&apply_closes)?,
            experts_by: date(&experts_by)?,
            judging_opens: date(&judging_opens)?,
            judging_closes: date(&judging_closes)?,
            announce_on: date(&announce_on)?,
            awards_from: date(&awards_from)?,
            awards_until: date(&awards_until)?,
        };
        schedule.check().map_err(|wrong| {
            AppError::invalid(
                Field::Date,
                Reason::OutOfOrder {
                    position: wrong.0 as u8,
                },
            )
        })?;
        let number = |raw: &str, range: std::ops::RangeInclusive<u32>| {
            raw.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or(AppError::invalid(Field::Setting, Reason::OutOfRange))
        };
        let min_experts = number(&min_experts, rules::MIN_EXPERTS_PER_ENTRY..=20)?;
        let experts_per_nomination = number(&experts_per_nomination, 1..=50)?;
        let spread_limit = number(&spread_limit, 0..=100)?;
        // The regulation's "at least 3 experts per entry" needs that many in each council.
        if experts_per_nomination < min_experts {
            return Err(AppError::invalid(Field::Setting, Reason::OutOfRange));
        }
        // Once judging has closed the results are frozen: the dates up to it and the numbers
        // that shaped them stay; only the announcement and award dates may still move.
        if row.schedule.phase(today()) > Phase::Judging {
            let kept = |s: &rules::Schedule| {
                (
                    s.apply_opens,
                    s.apply_closes,
                    s.experts_by,
                    s.judging_opens,
                    s.judging_closes,
                )
            };
            if kept(&schedule) != kept(&row.schedule)
                || min_experts != row.min_experts
                || experts_per_nomination != row.experts_per_nomination
                || spread_limit != row.spread_limit
            {
                before_judging_closes(&row, Field::Setting)?;
            }
        }
        store::save_settings(
            &db,
            row.id,
            &schedule,
            min_experts,
            experts_per_nomination,
            spread_limit,
        )
        .await
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// The organiser appoints a person (by login) as an expert of a nomination. Open until judging
/// closes; each nomination takes at most the edition's number of experts.
#[server(endpoint = "contest/appoint")]
pub async fn appoint_expert(
    nomination_id: i64,
    login: String,
    department: String,
) -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        before_judging_closes(&row, Field::Expert)?;
        if !store::nominations(&db, row.id)
            .await?
            .iter()
            .any(|n| n.id == nomination_id)
        {
            return Err(AppError::invalid(Field::Nomination, Reason::OutOfRange));
        }
        let expert_id = user_by_login(&db, &login).await?;
        let department = department.split_whitespace().collect::<Vec<_>>().join(" ");
        if department.chars().count() > TEXT_MAX {
            return Err(AppError::invalid(Field::Department, Reason::TooLong));
        }
        store::appoint(
            &db,
            row.id,
            nomination_id,
            expert_id,
            &department,
            row.experts_per_nomination as i64,
        )
        .await
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// Gives every entry without evaluations its experts by the regulation's rule (at least the
/// minimum, no conflicts, even loads). Entries an expert has begun keep their experts.
#[server(endpoint = "contest/assign")]
pub async fn assign_experts() -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        in_phase(&row, Step::Assign, Field::Entry)?;
        let (entries, experts, conflicts) = store::assignment_input(&db, row.id).await?;
        let started = store::entries_with_evaluations(&db, row.id).await?;
        let open: Vec<_> = entries
            .into_iter()
            .filter(|e| !started.contains(&e.id))
            .collect();
        let assignment = rules::assign(&open, &experts, &conflicts, row.min_experts as usize);
        store::replace_assignments(&db, &assignment.experts_of).await?;
        tracing::info!(
            entries = open.len(),
            short = assignment.short.len(),
            "contest experts assigned"
        );
        Ok(())
    }
    .await;
    answer_form_to(result, "/contest/manage?assigned=1", "/contest/manage")
}

/// The organiser bars an expert from one entry (`application_id`) or from the whole contest
/// (none): the expert leaves the entries concerned, with any evaluation begun.
#[server(endpoint = "contest/bar")]
pub async fn bar_expert(
    login: String,
    application_id: Option<i64>,
    reason: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        // Barring removes the expert's evaluations: never once the results are frozen.
        before_judging_closes(&row, Field::Expert)?;
        let login = account_rules::normalize_login(&login)
            .map_err(|r| AppError::invalid(Field::Login, r))?;
        let expert_id = store::experts(&db, row.id)
            .await?
            .into_iter()
            .find(|e| e.login == login)
            .map(|e| e.expert_id)
            .ok_or(AppError::invalid(Field::Expert, Reason::UnknownUser))?;
        let application_id = match application_id {
            Some(id) => {
                let record = store::application(&db, id)
                    .await?
                    .filter(|r| r.edition_id == row.id)
                    .ok_or(AppError::invalid(Field::Entry, Reason::OutOfRange))?;
                record.form.id.unwrap_or(id)
            }
            None => 0,
        };
        let reason = required_text(&reason, Field::Reason)?;
        store::add_conflict(&db, row.id, expert_id, application_id, &reason, me.id).await
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// An expert declares a conflict of interest with an entry assigned to them: they leave it.
#[server(endpoint = "contest/declare")]
pub async fn declare_conflict(application_id: i64, reason: String) -> AppResult<()> {
    let back = format!("/contest/entry/{application_id}");
    let result = async {
        let me = require(Role::Expert).await?;
        let db = db()?;
        let row = edition(&db).await?;
        if !store::is_assigned(&db, application_id, me.id).await? {
            return Err(AppError::Forbidden);
        }
        before_judging_closes(&row, Field::Reason)?;
        // A submitted evaluation is locked: leaving the entry would delete it. The organiser
        // reopens it first (logged), or bars the expert.
        if store::evaluation(&db, application_id, me.id).await?.0 == EvalState::Submitted {
            return Err(AppError::invalid(Field::Score, Reason::Locked));
        }
        let reason = required_text(&reason, Field::Reason)?;
        store::add_conflict(&db, row.id, me.id, application_id, &reason, me.id).await
    }
    .await;
    answer_form_to(result, "/contest?declared=1", &back)
}

/// An assigned entry opened by its expert: materials, criteria, the expert's own scores.
/// Anyone else (another expert included) is refused.
#[server(endpoint = "contest/entry")]
pub async fn get_entry(application_id: i64) -> AppResult<EntryForExpert> {
    let me = require(Role::Expert).await?;
    let db = db()?;
    let row = edition(&db).await?;
    if !store::is_assigned(&db, application_id, me.id).await? {
        return Err(AppError::Forbidden);
    }
    let record = store::application(&db, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let nomination = store::nominations(&db, row.id)
        .await?
        .into_iter()
        .find(|n| n.id == record.form.nomination_id)
        .ok_or(AppError::NotFound)?;
    let (state, mut saved) = store::evaluation(&db, application_id, me.id).await?;
    let info = edition_info(&row);
    let evidence = if record.form.share_evidence {
        Some(store::evidence(&db, record.applicant_id).await?)
    } else {
        None
    };
    let f = record.form;
    Ok(EntryForExpert {
        editable: state != EvalState::Submitted && info.phase == Phase::Judging,
        edition: info,
        entry: AssignedEntry {
            application_id,
            nomination_id: nomination.id,
            full_name: f.full_name,
            faculty: f.faculty,
            department: f.department,
            lesson_title: f.lesson_title,
            state,
        },
        plan_link: f.plan_link,
        video_link: (!f.video_link.is_empty()).then_some(f.video_link),
        scores: nomination
            .criteria
            .into_iter()
            .map(|criterion| {
                let (score, comment) = saved.remove(&criterion.id).unwrap_or_default();
                CriterionScore {
                    criterion,
                    score,
                    comment,
                }
            })
            .collect(),
        nomination: nomination.title,
        evidence,
    })
}

/// An expert saves a draft of their scores, or submits them (every criterion scored 0-5; then
/// locked). Only during judging, only on an assigned entry.
#[server(endpoint = "contest/score")]
pub async fn save_scores(
    application_id: i64,
    criteria: Vec<i64>,
    scores: Vec<String>,
    comments: Vec<String>,
    submit: Option<String>,
) -> AppResult<()> {
    let page = format!("/contest/entry/{application_id}");
    let result = async {
        let me = require(Role::Expert).await?;
        let db = db()?;
        let row = edition(&db).await?;
        if !store::is_assigned(&db, application_id, me.id).await? {
            return Err(AppError::Forbidden);
        }
        in_phase(&row, Step::Score, Field::Score)?;
        let record = store::application(&db, application_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let expected: Vec<i64> = store::nominations(&db, row.id)
            .await?
            .into_iter()
            .find(|n| n.id == record.form.nomination_id)
            .map(|n| n.criteria.iter().map(|c| c.id).collect())
            .unwrap_or_default();
        // The form must carry exactly the nomination's criteria, in its order.
        if criteria != expected || scores.len() != expected.len() || comments.len() > expected.len()
        {
            return Err(AppError::invalid(Field::Score, Reason::BadFormat));
        }
        let submit = submit.is_some_and(|s| !s.trim().is_empty());
        let mut rows = Vec::with_capacity(expected.len());
        for (i, criterion) in expected.iter().enumerate() {
            let raw = scores[i].trim();
            let score = if raw.is_empty() {
                if submit {
                    return Err(AppError::invalid(Field::Score, Reason::Incomplete));
                }
                None
            } else {
                Some(
                    rules::parse_score(raw)
                        .ok_or(AppError::invalid(Field::Score, Reason::OutOfRange))?,
                )
            };
            let comment = comments.get(i).map(|c| c.trim()).unwrap_or("");
            if comment.chars().count() > COMMENT_MAX {
                return Err(AppError::invalid(Field::Comment, Reason::TooLong));
            }
            rows.push((*criterion, score, comment.to_string()));
        }
        if !store::save_evaluation(&db, application_id, me.id, &rows, submit).await? {
            return Err(AppError::invalid(Field::Score, Reason::Locked));
        }
        if submit {
            tracing::info!(
                application_id,
                expert = me.id,
                "contest evaluation submitted"
            );
            crate::contest::api::scoreboard_changed(&db, row.id).await;
        }
        Ok(())
    }
    .await;
    answer_form_to(result, &format!("{page}?saved=1"), &page)
}

/// The organiser unlocks a submitted evaluation for a correction (logged). During judging only.
#[server(endpoint = "contest/reopen")]
pub async fn reopen_evaluation(application_id: i64, expert_id: i64) -> AppResult<()> {
    let result = async {
        let me = require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        in_phase(&row, Step::Score, Field::Score)?;
        if !store::reopen(&db, application_id, expert_id, me.id).await? {
            return Err(AppError::invalid(Field::Score, Reason::OutOfRange));
        }
        scoreboard_changed(&db, row.id).await;
        Ok(())
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// Tells the organiser's open scoreboards that a score changed (they fetch the results again).
#[cfg(feature = "ssr")]
pub async fn scoreboard_changed(db: &Db, edition_id: i64) {
    if let Ok(state) = crate::state::app_state() {
        state
            .live
            .publish(db, scoreboard_topic(edition_id), "{}".to_string())
            .await;
    }
}

/// The live channel of an edition's scoreboard (class channels use positive ids).
pub fn scoreboard_topic(edition_id: i64) -> i64 {
    -edition_id
}

/// The results computed from the submitted evaluations now.
#[cfg(feature = "ssr")]
async fn compute_results(
    db: &Db,
    row: &EditionRow,
    correction: Option<(i64, i64, i64, u8)>,
) -> AppResult<Snapshot> {
    let nominations = store::nominations(db, row.id).await?;
    let titles = store::entry_titles(db, row.id).await?;
    let mut scores = store::submitted_scores(db, row.id).await?;
    // A correction being made: the snapshot is computed with the new score before it is saved,
    // so the score and the snapshot change in one transaction.
    if let Some((entry, expert, criterion, score)) = correction {
        for s in scores.iter_mut() {
            if (s.0, s.1, s.2) == (entry, expert, criterion) {
                s.3 = score;
            }
        }
    }
    // Expert numbers are per edition, by id: stable, and they name nobody.
    let mut expert_ids: Vec<i64> = scores.iter().map(|s| s.1).collect();
    expert_ids.sort_unstable();
    expert_ids.dedup();
    let mut entries = Vec::with_capacity(titles.len());
    let mut protocol = Vec::new();
    for (entry, nomination_id, _, _) in &titles {
        let Some(nomination) = nominations.iter().find(|n| n.id == *nomination_id) else {
            continue;
        };
        let mut evaluations = Vec::new();
        for expert in &expert_ids {
            let mine: Vec<_> = scores
                .iter()
                .filter(|s| s.0 == *entry && s.1 == *expert)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let ordered: Vec<u8> = nomination
                .criteria
                .iter()
                .map(|c| mine.iter().find(|s| s.2 == c.id).map_or(0, |s| s.3))
                .collect();
            let evaluation = rules::Evaluation {
                expert: *expert,
                scores: ordered,
            };
            let number = expert_ids.iter().position(|e| e == expert).unwrap_or(0) + 1;
            protocol.push(ProtocolRow {
                entry: *entry,
                expert: number.to_string(),
                total: evaluation.total(),
                scores: evaluation.scores.clone(),
            });
            evaluations.push(evaluation);
        }
        entries.push(rules::EntryScores {
            entry: *entry,
            nomination: *nomination_id,
            criteria: nomination.criteria.len(),
            evaluations,
        });
    }
    let standings = rules::rank(&entries, row.min_experts as usize, row.spread_limit);
    let normalised = rules::normalised(&entries);
    // Nominations in their own order, then as ranked within each.
    let position = |n: i64| nominations.iter().position(|x| x.id == n).unwrap_or(0);
    let mut rows: Vec<ResultRow> = standings
        .into_iter()
        .map(|s| {
            let (_, _, full_name, lesson_title) = titles
                .iter()
                .find(|t| t.0 == s.entry)
                .cloned()
                .unwrap_or_default();
            ResultRow {
                entry: s.entry,
                nomination_id: s.nomination,
                full_name,
                lesson_title,
                place: s.place,
                tied: s.tied,
                evaluations: s.evaluations,
                score: s.score.text(),
                criterion_means: s.criterion_means.iter().map(|m| m.text()).collect(),
                spread: s.spread,
                disagreement: s.disagreement,
                normalised: normalised.get(&s.entry).map(|n| format!("{n:.2}")),
            }
        })
        .collect();
    rows.sort_by_key(|r| position(r.nomination_id));
    Ok(Snapshot {
        edition_id: row.id,
        rows,
        protocol,
    })
}

/// A snapshot as stored, with its SHA-256 (hex).
#[cfg(feature = "ssr")]
fn sealed(snapshot: &Snapshot) -> AppResult<(String, String)> {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(snapshot).map_err(|_| AppError::Internal)?;
    let digest = Sha256::digest(json.as_bytes());
    Ok((json, digest.iter().map(|b| format!("{b:02x}")).collect()))
}

/// Freezes the results (once): the snapshot and its SHA-256 are kept as they were.
#[cfg(feature = "ssr")]
async fn freeze(db: &Db, row: &EditionRow) -> AppResult<()> {
    if store::frozen(db, row.id).await?.is_some() {
        return Ok(());
    }
    let (json, hex) = sealed(&compute_results(db, row, None).await?)?;
    store::freeze(db, row.id, &json, &hex).await?;
    tracing::info!(edition = row.id, sha256 = %hex, "contest results frozen");
    Ok(())
}

/// The results. The organiser sees them live during judging; once judging has closed they are
/// frozen; after the announcement day everyone (no login needed) sees the frozen results, with
/// experts numbered, never named. Before that, nobody but the organiser.
#[server(endpoint = "contest/results")]
pub async fn get_results() -> AppResult<ResultsPage> {
    let me = current_user().await?;
    results_for(&db()?, me.as_ref()).await
}

/// The results as `me` may see them (the results page and the exports share this rule).
#[cfg(feature = "ssr")]
pub async fn results_for(db: &Db, me: Option<&crate::accounts::Me>) -> AppResult<ResultsPage> {
    let row = edition(db).await?;
    let organiser = me.is_some_and(|m| m.has(Role::Organiser));
    let phase = row.schedule.phase(today());
    if !organiser && phase < Phase::Announced {
        let (from, until) = row.schedule.window(Step::SeeResults);
        return Err(match me {
            None => AppError::NotLoggedIn,
            Some(_) => AppError::invalid(
                Field::Request,
                Reason::OutOfPhase {
                    from: from as i32,
                    until: until.min(i64::from(i32::MAX)) as i32,
                },
            ),
        });
    }
    if phase > Phase::Judging {
        freeze(db, &row).await?;
    }
    let (snapshot, frozen) = match store::frozen(db, row.id).await? {
        Some((json, sha256, frozen_at)) => (
            serde_json::from_str::<Snapshot>(&json).map_err(|_| AppError::Internal)?,
            Some(Frozen { sha256, frozen_at }),
        ),
        None => (compute_results(db, &row, None).await?, None),
    };
    let numbers = store::expert_numbers(db, row.id).await?;
    let corrections = store::corrections(db, row.id)
        .await?
        .into_iter()
        .map(
            |(entry, expert, criterion, old, new, reason, at, sha)| CorrectionRow {
                entry,
                expert: numbers
                    .iter()
                    .position(|e| *e == expert)
                    .map_or_else(String::new, |n| (n + 1).to_string()),
                criterion: criterion as u32,
                old_score: old.map(|o| o as u8),
                new_score: new as u8,
                reason,
                at,
                sha256_after: sha,
            },
        )
        .collect();
    Ok(ResultsPage {
        edition: edition_info(&row),
        nominations: store::nominations(db, row.id).await?,
        rows: snapshot.rows,
        protocol: snapshot.protocol,
        frozen,
        organiser,
        corrections,
    })
}

/// The organiser closes judging today: the results freeze at once.
#[server(endpoint = "contest/close")]
pub async fn close_judging() -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let mut row = edition(&db).await?;
        let today = today();
        if row.schedule.phase(today) != Phase::Judging {
            let (from, until) = row.schedule.window(Step::Score);
            return Err(AppError::invalid(
                Field::Request,
                Reason::OutOfPhase {
                    from: from as i32,
                    until: until as i32,
                },
            ));
        }
        // Judging ended yesterday: today is the first day of deliberation.
        let mut s = row.schedule;
        s.judging_closes = today - 1;
        s.judging_opens = s.judging_opens.min(s.judging_closes);
        s.experts_by = s.experts_by.min(s.judging_opens);
        if s.check().is_err() {
            return Err(AppError::invalid(
                Field::Date,
                Reason::OutOfOrder { position: 4 },
            ));
        }
        store::save_settings(
            &db,
            row.id,
            &s,
            row.min_experts,
            row.experts_per_nomination,
            row.spread_limit,
        )
        .await?;
        row.schedule = s;
        freeze(&db, &row).await
    }
    .await;
    answer_form_to(result, "/contest/results", "/contest/manage")
}

/// The organiser adds an expert to an entry by hand, under the same checks as the assignment:
/// an appointed expert of the entry's nomination, without a conflict of any kind.
#[server(endpoint = "contest/assign_one")]
pub async fn assign_one(application_id: i64, login: String) -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        in_phase(&row, Step::Assign, Field::Entry)?;
        let (entries, experts, conflicts) = store::assignment_input(&db, row.id).await?;
        let entry = entries
            .iter()
            .find(|e| e.id == application_id)
            .ok_or(AppError::invalid(Field::Entry, Reason::OutOfRange))?;
        let user = user_by_login(&db, &login).await?;
        let expert = experts
            .iter()
            .find(|x| x.id == user)
            .ok_or(AppError::invalid(Field::Expert, Reason::UnknownUser))?;
        if let Some(why) = rules::ineligible(entry, expert, &conflicts) {
            let reason = match why {
                rules::Ineligible::OtherNomination => Reason::OutOfRange,
                _ => Reason::Conflicted,
            };
            return Err(AppError::invalid(Field::Expert, reason));
        }
        store::add_assignment(&db, application_id, user).await
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// The organiser takes an expert off an entry by hand; never below the minimum, never an
/// expert who has submitted (reopen it first).
#[server(endpoint = "contest/unassign")]
pub async fn unassign(application_id: i64, expert_id: i64) -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        in_phase(&row, Step::Assign, Field::Entry)?;
        let on_entry = store::entries(&db, row.id)
            .await?
            .into_iter()
            .find(|e| e.id == application_id)
            .ok_or(AppError::invalid(Field::Entry, Reason::OutOfRange))?
            .experts;
        let this = on_entry
            .iter()
            .find(|x| x.expert_id == expert_id)
            .ok_or(AppError::invalid(Field::Expert, Reason::OutOfRange))?;
        if this.state == EvalState::Submitted {
            return Err(AppError::invalid(Field::Expert, Reason::InUse));
        }
        if (on_entry.len() as u32) <= row.min_experts {
            return Err(AppError::invalid(
                Field::Expert,
                Reason::TooFew {
                    min: row.min_experts as u8,
                },
            ));
        }
        store::remove_assignment(&db, application_id, expert_id).await
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}

/// After the results froze, the organiser corrects one score with a reason: the score, a new
/// snapshot with its SHA-256 and the correction (public on the results page) change together.
#[server(endpoint = "contest/correct")]
pub async fn correct_score(
    application_id: i64,
    expert_login: String,
    criterion: String,
    score: String,
    reason: String,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        if row.schedule.phase(today()) <= Phase::Judging {
            let from = row.schedule.judging_closes + 1;
            return Err(AppError::invalid(
                Field::Score,
                Reason::OutOfPhase {
                    from: from as i32,
                    until: i32::MAX,
                },
            ));
        }
        freeze(&db, &row).await?;
        let (_, sha_before, _) = store::frozen(&db, row.id)
            .await?
            .ok_or(AppError::Internal)?;
        let record = store::application(&db, application_id)
            .await?
            .filter(|r| r.edition_id == row.id)
            .ok_or(AppError::invalid(Field::Entry, Reason::OutOfRange))?;
        let criteria = store::nominations(&db, row.id)
            .await?
            .into_iter()
            .find(|n| n.id == record.form.nomination_id)
            .map(|n| n.criteria)
            .unwrap_or_default();
        let position: usize = criterion
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=criteria.len()).contains(p))
            .ok_or(AppError::invalid(Field::Score, Reason::OutOfRange))?;
        let criterion_id = criteria[position - 1].id;
        let new_score = rules::parse_score(&score)
            .ok_or(AppError::invalid(Field::Score, Reason::OutOfRange))?;
        let reason = required_text(&reason, Field::Reason)?;
        let expert_id = user_by_login(&db, &expert_login).await?;
        let old_score = store::submitted_score(&db, application_id, expert_id, criterion_id)
            .await?
            .ok_or(AppError::invalid(Field::Expert, Reason::OutOfRange))?;
        let snapshot = compute_results(
            &db,
            &row,
            Some((application_id, expert_id, criterion_id, new_score)),
        )
        .await?;
        let (json, sha) = sealed(&snapshot)?;
        let correction = store::Correction {
            edition_id: row.id,
            application_id,
            expert_id,
            criterion_id,
            old_score,
            new_score,
            reason: &reason,
            by: me.id,
            sha256_before: &sha_before,
        };
        store::correct(&db, &correction, &json, &sha).await?;
        tracing::info!(
            application_id,
            expert_id,
            criterion_id,
            "contest score corrected after freeze"
        );
        Ok(())
    }
    .await;
    answer_form_to(result, "/contest/results?corrected=1", "/contest/results")
}

/// The organiser edits a nomination's or a criterion's titles (ky, ru, en) until judging opens:
/// experts score against fixed wording.
#[server(endpoint = "contest/titles")]
pub async fn save_titles(
    kind: String,
    id: i64,
    title_ky: String,
    title_ru: String,
    title_en: String,
) -> AppResult<()> {
    let result = async {
        require(Role::Organiser).await?;
        let db = db()?;
        let row = edition(&db).await?;
        if row.schedule.phase(today()) >= Phase::Judging {
            return Err(AppError::invalid(Field::Setting, Reason::FixedForJudging));
        }
        let criterion = match kind.as_str() {
            "criterion" => true,
            "nomination" => false,
            _ => return Err(AppError::invalid(Field::Request, Reason::BadFormat)),
        };
        let titles = [
            required_text(&title_ky, Field::Setting)?,
            required_text(&title_ru, Field::Setting)?,
            required_text(&title_en, Field::Setting)?,
        ];
        let titles = [titles[0].as_str(), titles[1].as_str(), titles[2].as_str()];
        if !store::save_titles(&db, row.id, criterion, id, titles).await? {
            return Err(AppError::invalid(Field::Setting, Reason::OutOfRange));
        }
        Ok(())
    }
    .await;
    answer_form_to(result, "/contest/manage?saved=1", "/contest/manage")
}
