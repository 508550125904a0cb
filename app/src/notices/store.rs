//! SQL for notices, read confirmations and the mail outbox (server only).

use super::rules::MAX_ATTEMPTS;
use super::{MailState, ParentNotice, Reader, SentNotice};
use crate::db::{now, Db};
use crate::error::AppResult;

/// A parent of an active student of a class: who gets the notice about which child.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Family {
    pub parent_id: i64,
    pub parent_name: String,
    pub language: String,
    pub email: Option<String>,
    pub student_id: i64,
    pub student_name: String,
}

/// The families of a class, by child's then parent's name.
pub async fn families(db: &Db, class_id: i64) -> AppResult<Vec<Family>> {
    Ok(sqlx::query_as(
        "SELECT p.id AS parent_id, p.full_name AS parent_name, p.language, p.email,
                s.id AS student_id, s.full_name AS student_name
         FROM enrolments e
         JOIN users s ON s.id = e.student_id
         JOIN parent_links pl ON pl.student_id = s.id
         JOIN users p ON p.id = pl.parent_id
         WHERE e.class_id = $1 AND s.active = 1 AND p.active = 1
         ORDER BY s.full_name, p.full_name",
    )
    .bind(class_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A mail to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub user_id: i64,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub urgent: bool,
    /// Not before this instant (quiet hours).
    pub due_at: i64,
}

/// A notice with its recipients (parent, child, the part about the child) and its mails.
pub struct NewNotice<'a> {
    pub class_id: i64,
    pub author_id: i64,
    pub subject: &'a str,
    pub body: &'a str,
    pub urgent: bool,
    pub recipients: Vec<(i64, i64, String)>,
    pub mails: Vec<NewMail>,
}

async fn queue_mails(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    notice_id: i64,
    mails: &[NewMail],
    at: i64,
) -> AppResult<()> {
    for mail in mails {
        sqlx::query(
            "INSERT INTO mail_outbox (user_id, notice_id, address, subject, body, urgent, due_at,
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(mail.user_id)
        .bind(notice_id)
        .bind(&mail.address)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind(i64::from(mail.urgent))
        .bind(mail.due_at)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Saves a notice, its recipients and its mails in one transaction: all or nothing.
pub async fn create(db: &Db, notice: &NewNotice<'_>) -> AppResult<i64> {
    let at = now();
    let mut tx = db.begin_write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO notices (class_id, author_id, subject, body, urgent, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(notice.class_id)
    .bind(notice.author_id)
    .bind(notice.subject)
    .bind(notice.body)
    .bind(i64::from(notice.urgent))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    for (parent, student, personal) in &notice.recipients {
        sqlx::query(
            "INSERT INTO notice_recipients (notice_id, parent_id, student_id, personal)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(parent)
        .bind(student)
        .bind(personal)
        .execute(&mut *tx)
        .await?;
    }
    queue_mails(&mut tx, id, &notice.mails, at).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ParentRow {
    id: i64,
    class_name: String,
    author_name: String,
    subject: String,
    body: String,
    created_at: i64,
    urgent: i64,
    child_name: String,
    personal: String,
    read_at: Option<i64>,
    nudges: i64,
}

/// A parent's notices, newest first, each with the parts about their children. Only about the
/// children they are linked to now: a parent unlinked from a child (a mistaken link, a court
/// order) no longer reads what was written about that child.
pub async fn for_parent(db: &Db, parent_id: i64) -> AppResult<Vec<ParentNotice>> {
    let rows: Vec<ParentRow> = sqlx::query_as(
        "SELECT n.id, c.name AS class_name, a.full_name AS author_name, n.subject, n.body,
                n.created_at, n.urgent, s.full_name AS child_name, r.personal, r.read_at, r.nudges
         FROM notice_recipients r
         JOIN notices n ON n.id = r.notice_id
         JOIN classes c ON c.id = n.class_id
         JOIN users a ON a.id = n.author_id
         JOIN users s ON s.id = r.student_id
         JOIN parent_links pl ON pl.parent_id = r.parent_id AND pl.student_id = r.student_id
         WHERE r.parent_id = $1
         ORDER BY n.created_at DESC, n.id DESC, s.full_name
         LIMIT 500",
    )
    .bind(parent_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<ParentNotice> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some(notice) if notice.id == row.id => {
                notice.personal.push((row.child_name, row.personal));
                notice.read &= row.read_at.is_some();
                notice.reminded |= row.nudges > 0;
            }
            _ => out.push(ParentNotice {
                id: row.id,
                class_name: row.class_name,
                author_name: row.author_name,
                subject: row.subject,
                body: row.body,
                personal: vec![(row.child_name, row.personal)],
                created_at: row.created_at,
                urgent: row.urgent == 1,
                read: row.read_at.is_some(),
                reminded: row.nudges > 0,
            }),
        }
    }
    Ok(out)
}

/// The parent confirms reading a notice addressed to them; false when it is not theirs.
pub async fn confirm(db: &Db, notice_id: i64, parent_id: i64) -> AppResult<bool> {
    let (mine,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notice_recipients WHERE notice_id = $1 AND parent_id = $2",
    )
    .bind(notice_id)
    .bind(parent_id)
    .fetch_one(&db.pool)
    .await?;
    if mine == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE notice_recipients SET read_at = $1
         WHERE notice_id = $2 AND parent_id = $3 AND read_at IS NULL",
    )
    .bind(now())
    .bind(notice_id)
    .bind(parent_id)
    .execute(&db.pool)
    .await?;
    Ok(true)
}

/// A notice's head, for the reminder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeHead {
    pub class_id: i64,
    pub author_name: String,
    pub subject: String,
    pub body: String,
    pub urgent: i64,
}

pub async fn head(db: &Db, notice_id: i64) -> AppResult<Option<NoticeHead>> {
    Ok(sqlx::query_as(
        "SELECT n.class_id, a.full_name AS author_name, n.subject, n.body, n.urgent
         FROM notices n JOIN users a ON a.id = n.author_id WHERE n.id = $1",
    )
    .bind(notice_id)
    .fetch_optional(&db.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    subject: String,
    body: String,
    created_at: i64,
    urgent: i64,
}

#[derive(sqlx::FromRow)]
struct ReaderRow {
    notice_id: i64,
    parent_id: i64,
    parent_name: String,
    child_name: String,
    read_at: Option<i64>,
    nudges: i64,
    mail_state: Option<String>,
    mail_attempts: Option<i64>,
}

/// The class's latest notices with each recipient's reading and mail state.
pub async fn sent(db: &Db, class_id: i64, limit: i64) -> AppResult<Vec<SentNotice>> {
    let notices: Vec<NoticeRow> = sqlx::query_as(
        "SELECT id, subject, body, created_at, urgent FROM notices WHERE class_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(class_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let Some(oldest) = notices.last().map(|n| n.id) else {
        return Ok(Vec::new());
    };
    // The latest mail to each parent about a notice (the notice itself, or a reminder).
    let readers: Vec<ReaderRow> = sqlx::query_as(
        "SELECT r.notice_id, r.parent_id, p.full_name AS parent_name, s.full_name AS child_name,
                r.read_at, r.nudges, o.state AS mail_state, o.attempts AS mail_attempts
         FROM notice_recipients r
         JOIN notices n ON n.id = r.notice_id
         JOIN users p ON p.id = r.parent_id
         JOIN users s ON s.id = r.student_id
         LEFT JOIN mail_outbox o ON o.id = (SELECT MAX(m.id) FROM mail_outbox m
                                           WHERE m.notice_id = r.notice_id AND m.user_id = r.parent_id)
         WHERE n.class_id = $1 AND r.notice_id >= $2
         ORDER BY s.full_name, p.full_name",
    )
    .bind(class_id)
    .bind(oldest)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<SentNotice> = notices
        .into_iter()
        .map(|n| SentNotice {
            id: n.id,
            subject: n.subject,
            body: n.body,
            created_at: n.created_at,
            urgent: n.urgent == 1,
            readers: Vec::new(),
        })
        .collect();
    for r in readers {
        let mail = match (r.mail_state.as_deref(), r.mail_attempts.unwrap_or(0)) {
            (None, _) => None,
            (Some("sent"), _) => Some(MailState::Sent),
            (Some("failed"), attempts) if attempts >= MAX_ATTEMPTS => Some(MailState::GaveUp),
            (Some("failed"), _) => Some(MailState::Rejected),
            (Some(_), attempts) => Some(MailState::Queued { attempts }),
        };
        if let Some(notice) = out.iter_mut().find(|n| n.id == r.notice_id) {
            notice.readers.push(Reader {
                parent_id: r.parent_id,
                parent_name: r.parent_name,
                child_name: r.child_name,
                read_at: r.read_at,
                reminders: r.nudges,
                mail,
            });
        }
    }
    Ok(out)
}

/// The parents who have not confirmed a notice, with their language and e-mail, and when they
/// were last reminded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NonReader {
    pub parent_id: i64,
    pub language: String,
    pub email: Option<String>,
    pub nudged_at: Option<i64>,
}

pub async fn non_readers(db: &Db, notice_id: i64) -> AppResult<Vec<NonReader>> {
    Ok(sqlx::query_as(
        "SELECT r.parent_id, p.language, p.email, MAX(r.nudged_at) AS nudged_at
         FROM notice_recipients r JOIN users p ON p.id = r.parent_id
         WHERE r.notice_id = $1 AND r.read_at IS NULL AND p.active = 1
         GROUP BY r.parent_id, p.language, p.email
         ORDER BY r.parent_id",
    )
    .bind(notice_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Records a reminder to these parents and queues its mails, in one transaction.
pub async fn nudge(
    db: &Db,
    notice_id: i64,
    parent_ids: &[i64],
    mails: &[NewMail],
) -> AppResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    for parent in parent_ids {
        sqlx::query(
            "UPDATE notice_recipients SET nudges = nudges + 1, nudged_at = $1
             WHERE notice_id = $2 AND parent_id = $3 AND read_at IS NULL",
        )
        .bind(at)
        .bind(notice_id)
        .bind(parent)
        .execute(&mut *tx)
        .await?;
    }
    queue_mails(&mut tx, notice_id, mails, at).await?;
    tx.commit().await?;
    Ok(())
}

/// A mail a sender has taken from the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub urgent: i64,
    /// Including the one now under way.
    pub attempts: i64,
}

/// Takes up to `limit` due mails for `lease_secs`: another sender (another replica, or this one
/// after a crash) takes them only once the lease has passed.
pub async fn claim_due(
    db: &Db,
    at: i64,
    lease_secs: i64,
    limit: i64,
) -> AppResult<Vec<OutboxMail>> {
    Ok(sqlx::query_as(
        "UPDATE mail_outbox SET lease_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM mail_outbox
                      WHERE state = 'queued' AND due_at <= $2 AND lease_until < $2
                      ORDER BY urgent DESC, due_at, id LIMIT $3)
           AND state = 'queued' AND lease_until < $2
         RETURNING id, address, subject, body, urgent, attempts",
    )
    .bind(at + lease_secs)
    .bind(at)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn mark_sent(db: &Db, id: i64, at: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET state = 'sent', sent_at = $1, lease_until = 0, last_error = NULL
         WHERE id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A failed attempt to retry at `due_at`.
pub async fn mark_retry(db: &Db, id: i64, due_at: i64, error: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET due_at = $1, lease_until = 0, last_error = $2 WHERE id = $3",
    )
    .bind(due_at)
    .bind(error)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A mail given up (refused for good, or out of attempts).
pub async fn mark_failed(db: &Db, id: i64, error: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET state = 'failed', lease_until = 0, last_error = $1 WHERE id = $2",
    )
    .bind(error)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
