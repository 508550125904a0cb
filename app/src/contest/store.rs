//! SQL for the contest (server only).
// Row tuples mirror their SELECT lists one to one.
#![allow(clippy::type_complexity)]

use super::rules::{Conflicts, EntryRef, ExpertRef, Schedule};
use super::*;
use crate::db::{now, Db};
use crate::error::{AppError, AppResult, Field, Reason};
use crate::timetable::rules::{iso_date, parse_date};
use std::collections::{BTreeMap, BTreeSet};

/// An edition's row: dates and settings.
#[derive(Debug, Clone)]
pub struct EditionRow {
    pub id: i64,
    pub title: String,
    pub schedule: Schedule,
    pub min_experts: u32,
    pub experts_per_nomination: u32,
    pub spread_limit: u32,
}

const DATE_COLUMNS: &str = "apply_opens, apply_closes, experts_by, judging_opens, judging_closes, \
     announce_on, awards_from, awards_until";

/// The school's current edition: the latest one created.
pub async fn current_edition(db: &Db) -> AppResult<Option<EditionRow>> {
    let sql = format!(
        "SELECT id, title, {DATE_COLUMNS}, min_experts, experts_per_nomination, spread_limit
         FROM contest_editions ORDER BY id DESC LIMIT 1"
    );
    let row: Option<(
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
    )> = sqlx::query_as(&sql).fetch_optional(&db.pool).await?;
    Ok(row.map(|r| {
        let day = |s: &str| parse_date(s).unwrap_or(0);
        EditionRow {
            id: r.0,
            title: r.1,
            schedule: Schedule {
                apply_opens: day(&r.2),
                apply_closes: day(&r.3),
                experts_by: day(&r.4),
                judging_opens: day(&r.5),
                judging_closes: day(&r.6),
                announce_on: day(&r.7),
                awards_from: day(&r.8),
                awards_until: day(&r.9),
            },
            min_experts: r.10 as u32,
            experts_per_nomination: r.11 as u32,
            spread_limit: r.12 as u32,
        }
    }))
}

pub async fn save_settings(
    db: &Db,
    edition_id: i64,
    schedule: &Schedule,
    min_experts: u32,
    experts_per_nomination: u32,
    spread_limit: u32,
) -> AppResult<()> {
    let d = schedule.dates().map(iso_date);
    sqlx::query(
        "UPDATE contest_editions SET apply_opens = $1, apply_closes = $2, experts_by = $3,
         judging_opens = $4, judging_closes = $5, announce_on = $6, awards_from = $7,
         awards_until = $8, min_experts = $9, experts_per_nomination = $10, spread_limit = $11
         WHERE id = $12",
    )
    .bind(&d[0])
    .bind(&d[1])
    .bind(&d[2])
    .bind(&d[3])
    .bind(&d[4])
    .bind(&d[5])
    .bind(&d[6])
    .bind(&d[7])
    .bind(min_experts as i64)
    .bind(experts_per_nomination as i64)
    .bind(spread_limit as i64)
    .bind(edition_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The edition's nominations in order, each with its criteria in order.
pub async fn nominations(db: &Db, edition_id: i64) -> AppResult<Vec<NominationInfo>> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, title_ky, title_ru, title_en, needs_video FROM contest_nominations
         WHERE edition_id = $1 ORDER BY position",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let criteria: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT c.nomination_id, c.id, c.title_ky, c.title_ru, c.title_en
         FROM contest_criteria c JOIN contest_nominations n ON n.id = c.nomination_id
         WHERE n.edition_id = $1 ORDER BY c.nomination_id, c.position",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ky, ru, en, video)| NominationInfo {
            id,
            title: Localized { ky, ru, en },
            needs_video: video == 1,
            criteria: criteria
                .iter()
                .filter(|c| c.0 == id)
                .map(|c| CriterionInfo {
                    id: c.1,
                    title: Localized {
                        ky: c.2.clone(),
                        ru: c.3.clone(),
                        en: c.4.clone(),
                    },
                })
                .collect(),
        })
        .collect())
}

pub async fn my_applications(
    db: &Db,
    edition_id: i64,
    user_id: i64,
) -> AppResult<Vec<MyApplication>> {
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT id, nomination_id, lesson_title, updated_at FROM contest_applications
         WHERE edition_id = $1 AND applicant_id = $2 ORDER BY nomination_id",
    )
    .bind(edition_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, nomination_id, lesson_title, updated_at)| MyApplication {
                id,
                nomination_id,
                lesson_title,
                updated_at,
            },
        )
        .collect())
}

const APPLICATION_COLUMNS: &str = "id, nomination_id, faculty, department, position, full_name, \
     email, phone, COALESCE(social_link, ''), lesson_title, plan_link, COALESCE(video_link, ''), \
     signed_on, applicant_id, edition_id, share_evidence";

/// An application with its owner and edition.
pub struct ApplicationRecord {
    pub form: ApplicationForm,
    pub applicant_id: i64,
    pub edition_id: i64,
}

type ApplicationTuple = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
);

fn application_record(r: ApplicationTuple) -> ApplicationRecord {
    ApplicationRecord {
        form: ApplicationForm {
            id: Some(r.0),
            nomination_id: r.1,
            faculty: r.2,
            department: r.3,
            position: r.4,
            full_name: r.5,
            email: r.6,
            phone: r.7,
            social_link: r.8,
            lesson_title: r.9,
            plan_link: r.10,
            video_link: r.11,
            signed_on: r.12,
            share_evidence: r.15 == 1,
        },
        applicant_id: r.13,
        edition_id: r.14,
    }
}

pub async fn application(db: &Db, id: i64) -> AppResult<Option<ApplicationRecord>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM contest_applications WHERE id = $1");
    let row: Option<ApplicationTuple> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(application_record))
}

pub async fn application_of(
    db: &Db,
    nomination_id: i64,
    user_id: i64,
) -> AppResult<Option<ApplicationRecord>> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM contest_applications
         WHERE nomination_id = $1 AND applicant_id = $2"
    );
    let row: Option<ApplicationTuple> = sqlx::query_as(&sql)
        .bind(nomination_id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(application_record))
}

fn none_if_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Inserts a new application; `None` when the person already has one in that nomination.
pub async fn insert_application(
    db: &Db,
    edition_id: i64,
    applicant_id: i64,
    f: &ApplicationForm,
) -> AppResult<Option<i64>> {
    let at = now();
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO contest_applications (edition_id, nomination_id, applicant_id, faculty,
         department, position, full_name, email, phone, social_link, lesson_title, plan_link,
         video_link, signed_on, created_at, updated_at, share_evidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
         ON CONFLICT (nomination_id, applicant_id) DO NOTHING RETURNING id",
    )
    .bind(edition_id)
    .bind(f.nomination_id)
    .bind(applicant_id)
    .bind(&f.faculty)
    .bind(&f.department)
    .bind(&f.position)
    .bind(&f.full_name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(none_if_empty(&f.social_link))
    .bind(&f.lesson_title)
    .bind(&f.plan_link)
    .bind(none_if_empty(&f.video_link))
    .bind(&f.signed_on)
    .bind(at)
    .bind(i64::from(f.share_evidence))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn update_application(db: &Db, id: i64, f: &ApplicationForm) -> AppResult<()> {
    sqlx::query(
        "UPDATE contest_applications SET faculty = $1, department = $2, position = $3,
         full_name = $4, email = $5, phone = $6, social_link = $7, lesson_title = $8,
         plan_link = $9, video_link = $10, signed_on = $11, updated_at = $12, share_evidence = $14
         WHERE id = $13",
    )
    .bind(&f.faculty)
    .bind(&f.department)
    .bind(&f.position)
    .bind(&f.full_name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(none_if_empty(&f.social_link))
    .bind(&f.lesson_title)
    .bind(&f.plan_link)
    .bind(none_if_empty(&f.video_link))
    .bind(&f.signed_on)
    .bind(now())
    .bind(id)
    .bind(i64::from(f.share_evidence))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The applicant's lessons in Sabak: timed lessons (within the cap or not) and attendance of them.
pub async fn evidence(db: &Db, teacher_id: i64) -> AppResult<Evidence> {
    let (timed, within, joined, enrolled, feedback, answered): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
        "SELECT COUNT(*),
           CAST(COALESCE(SUM(CASE WHEN r.over_cap_ms = 0 THEN 1 ELSE 0 END), 0) AS BIGINT),
           CAST(COALESCE(SUM((SELECT COUNT(*) FROM lesson_joins j
                              WHERE j.lesson_id = r.lesson_id AND j.date = r.date)), 0) AS BIGINT),
           CAST(COALESCE(SUM((SELECT COUNT(*) FROM enrolments e WHERE e.class_id = r.class_id)), 0) AS BIGINT),
           CAST(COALESCE(SUM((SELECT COUNT(*) FROM lesson_feedback f
                              WHERE f.lesson_id = r.lesson_id AND f.date = r.date)), 0) AS BIGINT),
           CAST(COALESCE(SUM((SELECT COUNT(*) FROM lesson_feedback f
                              WHERE f.lesson_id = r.lesson_id AND f.date = r.date
                                AND f.answer IS NOT NULL)), 0) AS BIGINT)
         FROM timer_runs r WHERE r.teacher_id = $1 AND r.ended_ms IS NOT NULL",
    )
    .bind(teacher_id)
    .fetch_one(&db.pool)
    .await?;
    let work = independent_work(db, teacher_id).await?;
    Ok(Evidence {
        timed_lessons: timed,
        within_cap: within,
        joined: joined.min(enrolled),
        enrolled,
        feedback: feedback.min(enrolled),
        answered,
        tasks_given: work.tasks_given,
        hand_ins: work.hand_ins,
        reviewed: work.reviewed,
        audio_reviews: work.audio_reviews,
    })
}

#[derive(sqlx::FromRow)]
struct IndependentWork {
    tasks_given: i64,
    hand_ins: i64,
    reviewed: i64,
    audio_reviews: i64,
}

/// The applicant's tasks for independent work and what came of them (every version counts as
/// a hand-in, as each was read and answered).
async fn independent_work(db: &Db, teacher_id: i64) -> AppResult<IndependentWork> {
    Ok(sqlx::query_as(
        "SELECT
           (SELECT COUNT(*) FROM assignments
             WHERE teacher_id = $1 AND withdrawn_at IS NULL) AS tasks_given,
           (SELECT COUNT(*) FROM hand_ins h JOIN assignments a ON a.id = h.assignment_id
             WHERE a.teacher_id = $1 AND a.withdrawn_at IS NULL) AS hand_ins,
           (SELECT COUNT(*) FROM hand_ins h JOIN assignments a ON a.id = h.assignment_id
             WHERE a.teacher_id = $1 AND a.withdrawn_at IS NULL
               AND h.reviewed_at IS NOT NULL) AS reviewed,
           (SELECT COUNT(DISTINCT f.hand_in_id) FROM hand_in_files f
             JOIN hand_ins h ON h.id = f.hand_in_id JOIN assignments a ON a.id = h.assignment_id
             WHERE a.teacher_id = $1 AND a.withdrawn_at IS NULL
               AND f.part = 'review') AS audio_reviews",
    )
    .bind(teacher_id)
    .fetch_one(&db.pool)
    .await?)
}

/// Experts numbered as the protocol numbers them: by id among those with a submitted evaluation.
pub async fn expert_numbers(db: &Db, edition_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT v.expert_id FROM contest_evaluations v
         JOIN contest_applications p ON p.id = v.application_id
         WHERE p.edition_id = $1 AND v.submitted_at IS NOT NULL ORDER BY v.expert_id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A submitted score as it stands: `None` if that expert has no submitted evaluation there.
pub async fn submitted_score(
    db: &Db,
    application_id: i64,
    expert_id: i64,
    criterion_id: i64,
) -> AppResult<Option<Option<i64>>> {
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT s.score FROM contest_evaluations v
         LEFT JOIN contest_scores s ON s.evaluation_id = v.id AND s.criterion_id = $3
         WHERE v.application_id = $1 AND v.expert_id = $2 AND v.submitted_at IS NOT NULL",
    )
    .bind(application_id)
    .bind(expert_id)
    .bind(criterion_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A correction after the freeze: the score, the new snapshot and its fingerprint, the record
/// and the audit line, all in one transaction.
pub struct Correction<'a> {
    pub edition_id: i64,
    pub application_id: i64,
    pub expert_id: i64,
    pub criterion_id: i64,
    pub old_score: Option<i64>,
    pub new_score: u8,
    pub reason: &'a str,
    pub by: i64,
    pub sha256_before: &'a str,
}

pub async fn correct(db: &Db, c: &Correction<'_>, json: &str, sha: &str) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE contest_scores SET score = $1, at = $2 WHERE criterion_id = $3 AND evaluation_id =
           (SELECT id FROM contest_evaluations WHERE application_id = $4 AND expert_id = $5)",
    )
    .bind(i64::from(c.new_score))
    .bind(at)
    .bind(c.criterion_id)
    .bind(c.application_id)
    .bind(c.expert_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE contest_results SET snapshot = $1, sha256 = $2 WHERE edition_id = $3")
        .bind(json)
        .bind(sha)
        .bind(c.edition_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO contest_corrections (edition_id, application_id, expert_id, criterion_id,
           old_score, new_score, reason, corrected_by, at, sha256_before, sha256_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.edition_id)
    .bind(c.application_id)
    .bind(c.expert_id)
    .bind(c.criterion_id)
    .bind(c.old_score)
    .bind(i64::from(c.new_score))
    .bind(c.reason)
    .bind(c.by)
    .bind(at)
    .bind(c.sha256_before)
    .bind(sha)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value)
         VALUES ($1, $2, 'contest.correction', $3, $4, $5)",
    )
    .bind(at)
    .bind(c.by)
    .bind(format!(
        "application:{} expert:{} criterion:{} reason:{}",
        c.application_id, c.expert_id, c.criterion_id, c.reason
    ))
    .bind(c.old_score.map(|s| s.to_string()))
    .bind(c.new_score.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Corrections of the edition, oldest first: (entry, expert id, criterion position, old, new,
/// reason, at, sha after).
pub async fn corrections(
    db: &Db,
    edition_id: i64,
) -> AppResult<Vec<(i64, i64, i64, Option<i64>, i64, String, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.application_id, c.expert_id, k.position, c.old_score, c.new_score, c.reason,
           c.at, c.sha256_after
         FROM contest_corrections c JOIN contest_criteria k ON k.id = c.criterion_id
         WHERE c.edition_id = $1 ORDER BY c.at, c.id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The latest contest lines of the audit log.
pub async fn audit(db: &Db, limit: i64) -> AppResult<Vec<AuditRow>> {
    let rows: Vec<(
        i64,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT a.at, u.full_name, a.action, a.subject, a.old_value, a.new_value
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
             WHERE a.action LIKE 'contest.%' ORDER BY a.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(at, actor, action, subject, old_value, new_value)| AuditRow {
                at,
                actor: actor.unwrap_or_default(),
                action,
                subject,
                old_value,
                new_value,
            },
        )
        .collect())
}

/// Adds one expert to an entry (the organiser's hand change).
pub async fn add_assignment(db: &Db, application_id: i64, expert_id: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO contest_assignments (application_id, expert_id, assigned_at)
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(application_id)
    .bind(expert_id)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Takes an expert off an entry, with a draft they had begun.
pub async fn remove_assignment(db: &Db, application_id: i64, expert_id: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    for table in ["contest_evaluations", "contest_assignments"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE application_id = $1 AND expert_id = $2"
        ))
        .bind(application_id)
        .bind(expert_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The council with each expert's load and bar.
pub async fn experts(db: &Db, edition_id: i64) -> AppResult<Vec<ExpertRow>> {
    let rows: Vec<(i64, i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT e.expert_id, e.nomination_id, u.full_name, u.login, e.department,
           (SELECT COUNT(*) FROM contest_assignments a JOIN contest_applications p
              ON p.id = a.application_id
            WHERE a.expert_id = e.expert_id AND p.nomination_id = e.nomination_id),
           (SELECT COUNT(*) FROM contest_conflicts c
            WHERE c.edition_id = e.edition_id AND c.expert_id = e.expert_id AND c.application_id = 0)
         FROM contest_experts e JOIN users u ON u.id = e.expert_id
         WHERE e.edition_id = $1 ORDER BY e.nomination_id, u.full_name",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(expert_id, nomination_id, full_name, login, department, load, barred)| ExpertRow {
                expert_id,
                nomination_id,
                full_name,
                login,
                department,
                load: load as u32,
                barred: barred > 0,
            },
        )
        .collect())
}

/// Appoints an expert to a nomination's council of at most `council_max` (an expert already on
/// it may change their department). The size check and the insert are one step under the
/// nomination's row lock: two appointments at once cannot overfill the council.
pub async fn appoint(
    db: &Db,
    edition_id: i64,
    nomination_id: i64,
    expert_id: i64,
    department: &str,
    council_max: i64,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    crate::db::lock_row(&mut tx, "contest_nominations", nomination_id).await?;
    let (size, already): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN expert_id = $2 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM contest_experts WHERE nomination_id = $1",
    )
    .bind(nomination_id)
    .bind(expert_id)
    .fetch_one(&mut *tx)
    .await?;
    if already == 0 && size >= council_max {
        return Err(AppError::invalid(Field::Expert, Reason::CouncilFull));
    }
    sqlx::query(
        "INSERT INTO contest_experts (edition_id, nomination_id, expert_id, department, appointed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (nomination_id, expert_id) DO UPDATE SET department = excluded.department",
    )
    .bind(edition_id)
    .bind(nomination_id)
    .bind(expert_id)
    .bind(department)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    // Appointment makes the person an expert (the role opens the expert's pages).
    sqlx::query(
        "INSERT INTO role_grants (user_id, role) VALUES ($1, 'expert') ON CONFLICT DO NOTHING",
    )
    .bind(expert_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every application of the edition, for the organiser, with its experts.
pub async fn entries(db: &Db, edition_id: i64) -> AppResult<Vec<EntryRow>> {
    let rows: Vec<(i64, i64, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, nomination_id, full_name, email, phone, faculty, department, lesson_title
         FROM contest_applications WHERE edition_id = $1 ORDER BY nomination_id, id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let experts: Vec<(i64, i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT a.application_id, a.expert_id, u.full_name, v.id, v.submitted_at
         FROM contest_assignments a
         JOIN contest_applications p ON p.id = a.application_id
         JOIN users u ON u.id = a.expert_id
         LEFT JOIN contest_evaluations v
           ON v.application_id = a.application_id AND v.expert_id = a.expert_id
         WHERE p.edition_id = $1 ORDER BY u.sort_key, u.id",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, nomination_id, full_name, email, phone, faculty, department, lesson_title)| {
                EntryRow {
                    id,
                    nomination_id,
                    full_name,
                    email,
                    phone,
                    faculty,
                    department,
                    lesson_title,
                    experts: experts
                        .iter()
                        .filter(|e| e.0 == id)
                        .map(|e| EntryExpert {
                            expert_id: e.1,
                            full_name: e.2.clone(),
                            state: eval_state(e.3, e.4),
                        })
                        .collect(),
                    eligible: 0,
                }
            },
        )
        .collect())
}

fn eval_state(evaluation: Option<i64>, submitted_at: Option<i64>) -> EvalState {
    match (evaluation, submitted_at) {
        (None, _) => EvalState::NotStarted,
        (Some(_), None) => EvalState::Draft,
        (Some(_), Some(_)) => EvalState::Submitted,
    }
}

/// What assignment needs: entries, experts (with their nominations and bars), conflicts.
pub async fn assignment_input(
    db: &Db,
    edition_id: i64,
) -> AppResult<(Vec<EntryRef>, Vec<ExpertRef>, Conflicts)> {
    let entries: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT id, nomination_id, applicant_id, department FROM contest_applications
         WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let council: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT expert_id, nomination_id, department FROM contest_experts WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let conflict_rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT expert_id, application_id FROM contest_conflicts WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    let barred: BTreeSet<i64> = conflict_rows
        .iter()
        .filter(|c| c.1 == 0)
        .map(|c| c.0)
        .collect();
    let conflicts: Conflicts = conflict_rows.into_iter().filter(|c| c.1 != 0).collect();
    let mut experts: BTreeMap<i64, ExpertRef> = BTreeMap::new();
    for (id, nomination, department) in council {
        let expert = experts.entry(id).or_insert_with(|| ExpertRef {
            id,
            nominations: BTreeSet::new(),
            department: department.clone(),
            barred: barred.contains(&id),
        });
        expert.nominations.insert(nomination);
    }
    let entries = entries
        .into_iter()
        .map(|(id, nomination, applicant, department)| EntryRef {
            id,
            nomination,
            applicant,
            department,
        })
        .collect();
    Ok((entries, experts.into_values().collect(), conflicts))
}

/// Entries that already have an evaluation (draft or submitted): their experts stay.
pub async fn entries_with_evaluations(db: &Db, edition_id: i64) -> AppResult<BTreeSet<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT v.application_id FROM contest_evaluations v
         JOIN contest_applications p ON p.id = v.application_id WHERE p.edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Replaces the experts of the given entries, in one transaction.
pub async fn replace_assignments(db: &Db, experts_of: &BTreeMap<i64, Vec<i64>>) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    for (entry, experts) in experts_of {
        sqlx::query("DELETE FROM contest_assignments WHERE application_id = $1")
            .bind(entry)
            .execute(&mut *tx)
            .await?;
        for expert in experts {
            sqlx::query(
                "INSERT INTO contest_assignments (application_id, expert_id, assigned_at)
                 VALUES ($1, $2, $3)",
            )
            .bind(entry)
            .bind(expert)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Records a conflict (application 0: the whole contest) and takes the expert off the entries
/// it covers, with any evaluation they had begun, logging what was removed.
pub async fn add_conflict(
    db: &Db,
    edition_id: i64,
    expert_id: i64,
    application_id: i64,
    reason: &str,
    set_by: i64,
) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO contest_conflicts (edition_id, expert_id, application_id, reason, set_by, at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (edition_id, expert_id, application_id) DO UPDATE SET reason = excluded.reason",
    )
    .bind(edition_id)
    .bind(expert_id)
    .bind(application_id)
    .bind(reason)
    .bind(set_by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let covered = "application_id IN (SELECT id FROM contest_applications WHERE edition_id = $1)
         AND expert_id = $2 AND ($3 = 0 OR application_id = $3)";
    let removed: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT application_id FROM contest_evaluations WHERE {covered}"
    ))
    .bind(edition_id)
    .bind(expert_id)
    .bind(application_id)
    .fetch_all(&mut *tx)
    .await?;
    for (entry,) in removed {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value)
             VALUES ($1, $2, 'contest.evaluation_removed', $3, NULL, $4)",
        )
        .bind(at)
        .bind(set_by)
        .bind(format!("application:{entry} expert:{expert_id}"))
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    }
    for table in ["contest_evaluations", "contest_assignments"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE {covered}"))
            .bind(edition_id)
            .bind(expert_id)
            .bind(application_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn conflicts(db: &Db, edition_id: i64) -> AppResult<Vec<ConflictRow>> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT u.full_name, c.application_id, c.reason FROM contest_conflicts c
         JOIN users u ON u.id = c.expert_id WHERE c.edition_id = $1 ORDER BY c.at",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(expert_name, app, reason)| ConflictRow {
            expert_name,
            application_id: (app != 0).then_some(app),
            reason,
        })
        .collect())
}

/// The entries assigned to an expert, without any contact detail.
pub async fn assigned_entries(
    db: &Db,
    edition_id: i64,
    expert_id: i64,
) -> AppResult<Vec<AssignedEntry>> {
    let rows: Vec<(
        i64,
        i64,
        String,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
    )> = sqlx::query_as(
        "SELECT p.id, p.nomination_id, p.full_name, p.faculty, p.department, p.lesson_title,
               v.id, v.submitted_at
             FROM contest_assignments a JOIN contest_applications p ON p.id = a.application_id
             LEFT JOIN contest_evaluations v
               ON v.application_id = a.application_id AND v.expert_id = a.expert_id
             WHERE p.edition_id = $1 AND a.expert_id = $2 ORDER BY p.nomination_id, p.id",
    )
    .bind(edition_id)
    .bind(expert_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                application_id,
                nomination_id,
                full_name,
                faculty,
                department,
                lesson_title,
                v,
                s,
            )| {
                AssignedEntry {
                    application_id,
                    nomination_id,
                    full_name,
                    faculty,
                    department,
                    lesson_title,
                    state: eval_state(v, s),
                }
            },
        )
        .collect())
}

pub async fn is_assigned(db: &Db, application_id: i64, expert_id: i64) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM contest_assignments WHERE application_id = $1 AND expert_id = $2",
    )
    .bind(application_id)
    .bind(expert_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some())
}

/// An expert's evaluation of an entry: whether submitted, and criterion → (score, comment).
pub async fn evaluation(
    db: &Db,
    application_id: i64,
    expert_id: i64,
) -> AppResult<(EvalState, BTreeMap<i64, (Option<u8>, String)>)> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, submitted_at FROM contest_evaluations
         WHERE application_id = $1 AND expert_id = $2",
    )
    .bind(application_id)
    .bind(expert_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, submitted)) = row else {
        return Ok((EvalState::NotStarted, BTreeMap::new()));
    };
    let scores: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT criterion_id, score, comment FROM contest_scores WHERE evaluation_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok((
        eval_state(Some(id), submitted),
        scores
            .into_iter()
            .map(|(c, s, comment)| (c, (s.map(|s| s as u8), comment)))
            .collect(),
    ))
}

/// Saves an expert's scores (and submits them when asked), logging every change of a score.
/// `false` when the evaluation was submitted meanwhile (it is locked).
pub async fn save_evaluation(
    db: &Db,
    application_id: i64,
    expert_id: i64,
    scores: &[(i64, Option<u8>, String)],
    submit: bool,
) -> AppResult<bool> {
    let at = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO contest_evaluations (application_id, expert_id, updated_at)
         VALUES ($1, $2, $3) ON CONFLICT (application_id, expert_id) DO NOTHING",
    )
    .bind(application_id)
    .bind(expert_id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    // Only an evaluation still open is touched: the lock is checked in the same statement.
    let open: Option<(i64,)> = sqlx::query_as(
        "UPDATE contest_evaluations SET updated_at = $1,
           submitted_at = CASE WHEN $2 = 1 THEN $1 ELSE NULL END
         WHERE application_id = $3 AND expert_id = $4 AND submitted_at IS NULL RETURNING id",
    )
    .bind(at)
    .bind(i64::from(submit))
    .bind(application_id)
    .bind(expert_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((evaluation_id,)) = open else {
        return Ok(false);
    };
    for (criterion, score, comment) in scores {
        let old: Option<(Option<i64>,)> = sqlx::query_as(
            "SELECT score FROM contest_scores WHERE evaluation_id = $1 AND criterion_id = $2",
        )
        .bind(evaluation_id)
        .bind(criterion)
        .fetch_optional(&mut *tx)
        .await?;
        let old = old.and_then(|o| o.0);
        let new = score.map(i64::from);
        sqlx::query(
            "INSERT INTO contest_scores (evaluation_id, criterion_id, score, comment, at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (evaluation_id, criterion_id)
             DO UPDATE SET score = excluded.score, comment = excluded.comment, at = excluded.at",
        )
        .bind(evaluation_id)
        .bind(criterion)
        .bind(new)
        .bind(comment)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if old != new {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value)
                 VALUES ($1, $2, 'contest.score', $3, $4, $5)",
            )
            .bind(at)
            .bind(expert_id)
            .bind(format!(
                "application:{application_id} criterion:{criterion}"
            ))
            .bind(old.map(|o| o.to_string()))
            .bind(new.map(|n| n.to_string()))
            .execute(&mut *tx)
            .await?;
        }
    }
    if submit {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value)
             VALUES ($1, $2, 'contest.submit', $3, NULL, NULL)",
        )
        .bind(at)
        .bind(expert_id)
        .bind(format!("application:{application_id}"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Unlocks a submitted evaluation (the organiser's correction); `false` if none was submitted.
pub async fn reopen(
    db: &Db,
    application_id: i64,
    expert_id: i64,
    organiser: i64,
) -> AppResult<bool> {
    let at = now();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE contest_evaluations SET submitted_at = NULL, updated_at = $1
         WHERE application_id = $2 AND expert_id = $3 AND submitted_at IS NOT NULL",
    )
    .bind(at)
    .bind(application_id)
    .bind(expert_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if done {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value)
             VALUES ($1, $2, 'contest.reopen', $3, NULL, NULL)",
        )
        .bind(at)
        .bind(organiser)
        .bind(format!("application:{application_id} expert:{expert_id}"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Every submitted score of the edition: (application, expert, criterion, score).
pub async fn submitted_scores(db: &Db, edition_id: i64) -> AppResult<Vec<(i64, i64, i64, u8)>> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT v.application_id, v.expert_id, s.criterion_id, COALESCE(s.score, 0)
         FROM contest_evaluations v
         JOIN contest_applications p ON p.id = v.application_id
         JOIN contest_scores s ON s.evaluation_id = v.id
         WHERE p.edition_id = $1 AND v.submitted_at IS NOT NULL",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, e, c, s)| (a, e, c, s as u8))
        .collect())
}

/// (id, nomination, full name, lesson title) of every entry, for the results.
pub async fn entry_titles(db: &Db, edition_id: i64) -> AppResult<Vec<(i64, i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, nomination_id, full_name, lesson_title FROM contest_applications
         WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn frozen(db: &Db, edition_id: i64) -> AppResult<Option<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT snapshot, sha256, frozen_at FROM contest_results WHERE edition_id = $1",
    )
    .bind(edition_id)
    .fetch_optional(&db.pool)
    .await?)
}

/// Stores the frozen results once; a second freeze changes nothing.
pub async fn freeze(db: &Db, edition_id: i64, snapshot: &str, sha256: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO contest_results (edition_id, snapshot, sha256, frozen_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (edition_id) DO NOTHING",
    )
    .bind(edition_id)
    .bind(snapshot)
    .bind(sha256)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Renames a nomination (`criterion` false) or a criterion of the edition in three languages;
/// `false` when there is no such one in this edition.
pub async fn save_titles(
    db: &Db,
    edition_id: i64,
    criterion: bool,
    id: i64,
    titles: [&str; 3],
) -> AppResult<bool> {
    let sql = if criterion {
        "UPDATE contest_criteria SET title_ky = $1, title_ru = $2, title_en = $3
         WHERE id = $4 AND nomination_id IN (SELECT id FROM contest_nominations WHERE edition_id = $5)"
    } else {
        "UPDATE contest_nominations SET title_ky = $1, title_ru = $2, title_en = $3
         WHERE id = $4 AND edition_id = $5"
    };
    let done = sqlx::query(sql)
        .bind(titles[0])
        .bind(titles[1])
        .bind(titles[2])
        .bind(id)
        .bind(edition_id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(done > 0)
}
