//! Sends the mail outbox over SMTP (lettre). Every replica may run a sender: a row is leased
//! before it is sent, so two never send one mail, and a sender that dies mid-send leaves a lease
//! that runs out, after which the mail is tried again. Failures wait with backoff; a permanent
//! refusal (5xx) or the last attempt marks the mail failed, with the reason kept for operators.

use app::db::Db;
use app::error::AppResult;
use app::notices::rules::{after_failure, QuietHours, Retry};
use app::notices::store::{self, OutboxMail};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long a sender holds a mail before another may take it.
const LEASE_SECS: i64 = 120;
/// Mails taken per round.
const BATCH: i64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    quiet: QuietHours,
}

impl Mailer {
    /// A mailer for an `smtp://` or `smtps://` URL and a sender such as `Sabak <noreply@x.kg>`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SABAK_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("SABAK_SMTP_FROM is not an address: {e}"))?;
        Ok(Mailer {
            transport,
            from,
            quiet: QuietHours::default(),
        })
    }

    fn message(&self, mail: &OutboxMail) -> Result<Message, String> {
        let to: Mailbox = mail
            .address
            .parse()
            .map_err(|e| format!("bad address: {e}"))?;
        // One id per outbox row: a retried mail keeps it, so a receiver that got it twice (a
        // lost reply from the SMTP server) can tell; and spam filters expect one.
        let message_id = format!("<sabak-outbox-{}@{}>", mail.id, self.from.email.domain());
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(Some(message_id))
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("cannot build the message: {e}"))
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends the mails due at `now` (a parameter, so tests can step past quiet hours and backoff).
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: i64) -> AppResult<Round> {
    let mut round = Round::default();
    for mail in store::claim_due(db, now, LEASE_SECS, BATCH).await? {
        let outcome = match mailer.message(&mail) {
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (e.is_permanent(), e.to_string())),
            Err(reason) => Err((true, reason)),
        };
        match outcome {
            Ok(()) => {
                store::mark_sent(db, mail.id, now).await?;
                round.sent += 1;
            }
            Err((permanent, reason)) => {
                tracing::warn!(mail = mail.id, attempts = mail.attempts, permanent, %reason, "mail not sent");
                match after_failure(
                    now,
                    mail.attempts,
                    permanent,
                    mail.urgent == 1,
                    mailer.quiet,
                ) {
                    Retry::At(due) => {
                        store::mark_retry(db, mail.id, due, &reason).await?;
                        round.retrying += 1;
                    }
                    Retry::GiveUp => {
                        store::mark_failed(db, mail.id, &reason).await?;
                        round.failed += 1;
                    }
                }
            }
        }
    }
    Ok(round)
}

/// Sends due mail every few seconds for as long as the server runs.
pub fn spawn_sender(db: Db, mailer: Mailer) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            match deliver_due(&db, &mailer, app::db::now()).await {
                Ok(round) if round != Round::default() => tracing::info!(?round, "mail round"),
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "mail round failed"),
            }
        }
    });
}
