//! Live events to open pages (server only): a timer change in one class reaches every page that
//! follows that class, on whichever server replica it is connected to.
//!
//! On SQLite (one server) an event goes straight to the in-process channels. On PostgreSQL it
//! goes through `pg_notify`, and every replica (the sender too) hears it with LISTEN and hands it
//! to its own channels, so a replica never has to know about the others.

use crate::db::{Backend, Db};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// The PostgreSQL channel every replica listens on.
pub const PG_CHANNEL: &str = "sabak_live";

/// How many events a slow page may fall behind before it skips to the newest. Every event
/// carries the whole state, so skipping loses nothing.
/// The topic of "this person's access changed" notices: no class or edition has this id
/// (classes are positive, the contest's scoreboards negative edition ids).
pub const ACCESS_TOPIC: i64 = i64::MIN;
const BACKLOG: usize = 16;

#[derive(Clone)]
pub struct LiveHub {
    channels: Arc<Mutex<HashMap<i64, broadcast::Sender<Arc<str>>>>>,
    /// Turns true when the server shuts down: every open stream ends, so the graceful shutdown
    /// does not wait for ever on pages that never close their connection.
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            channels: Arc::default(),
            closing: Arc::new(tokio::sync::watch::channel(false).0),
        }
    }
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub").finish_non_exhaustive()
    }
}

impl LiveHub {
    /// Ends every live stream (at shutdown); pages reconnect to another replica or later.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once the hub is closing.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut watch = self.closing.subscribe();
        async move {
            let _ = watch.wait_for(|closing| *closing).await;
        }
    }

    /// Follows the "access changed" notices (each payload: a person's id).
    pub fn subscribe_access(&self) -> broadcast::Receiver<Arc<str>> {
        self.subscribe(ACCESS_TOPIC)
    }

    /// Follows one class's events from now on.
    pub fn subscribe(&self, class_id: i64) -> broadcast::Receiver<Arc<str>> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        // Forget the channels nobody follows any more, so the map does not grow for ever.
        channels.retain(|_, sender| sender.receiver_count() > 0);
        channels
            .entry(class_id)
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe()
    }

    /// Pages following a class on this replica.
    pub fn followers(&self, class_id: i64) -> usize {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.get(&class_id).map_or(0, |s| s.receiver_count())
    }

    /// Hands an event to this replica's pages that follow the class.
    pub fn deliver(&self, class_id: i64, json: Arc<str>) {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = channels.get(&class_id) {
            // No receiver left is not an error: nobody is watching.
            let _ = sender.send(json);
        }
    }

    /// Tells every replica's live streams that this person's access may have changed (logged
    /// out, deactivated, a role or a child taken away): their streams check again and close if
    /// it is gone. Only that person's streams do the work.
    pub async fn access_changed(&self, db: &Db, user_id: i64) {
        self.publish(db, ACCESS_TOPIC, user_id.to_string()).await;
    }

    /// Sends an event to every replica's pages that follow the class.
    pub async fn publish(&self, db: &Db, class_id: i64, json: String) {
        match db.backend {
            Backend::Sqlite => self.deliver(class_id, json.into()),
            Backend::Postgres => {
                let payload = format!("{class_id}\n{json}");
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(PG_CHANNEL)
                    .bind(payload)
                    .execute(&db.pool)
                    .await;
                if let Err(err) = sent {
                    // The change is saved; pages catch up on their next refresh or reconnect.
                    tracing::warn!(%err, "live event not sent; delivering on this replica only");
                    self.deliver(class_id, json.into());
                }
            }
        }
    }

    /// On PostgreSQL: listens for every replica's events for as long as the server runs,
    /// reconnecting after a lost connection.
    pub fn listen_postgres(&self, url: String) {
        let hub = self.clone();
        tokio::spawn(async move {
            loop {
                match sqlx::postgres::PgListener::connect(&url).await {
                    Ok(mut listener) => {
                        if let Err(err) = listener.listen(PG_CHANNEL).await {
                            tracing::warn!(%err, "LISTEN failed");
                        } else {
                            tracing::info!("listening for live events from every replica");
                            loop {
                                match listener.recv().await {
                                    Ok(note) => hub.deliver_payload(note.payload()),
                                    Err(err) => {
                                        tracing::warn!(%err, "live event connection lost");
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    Err(err) => tracing::warn!(%err, "cannot connect for live events"),
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        });
    }

    fn deliver_payload(&self, payload: &str) {
        let Some((class, json)) = payload.split_once('\n') else {
            return;
        };
        if let Ok(class_id) = class.parse() {
            self.deliver(class_id, json.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_reach_only_the_class_followers() {
        let hub = LiveHub::default();
        let mut five = hub.subscribe(5);
        let mut six = hub.subscribe(6);
        hub.deliver_payload("5\n{\"x\":1}");
        assert_eq!(&*five.try_recv().unwrap(), "{\"x\":1}");
        assert!(six.try_recv().is_err());
        assert_eq!(hub.followers(5), 1);
        drop(five);
        // Garbage on the channel is ignored, not a crash.
        hub.deliver_payload("not a class\n{}");
        hub.deliver_payload("no newline");
        let _again = hub.subscribe(7);
        assert_eq!(hub.followers(5), 0);
    }
}
