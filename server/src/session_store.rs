//! tower-sessions records kept in the `sessions` table, so every replica sees every session.

use app::db::Db;
use async_trait::async_trait;
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Drops expired sessions; run now and then.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

/// A session row, and the read cache's versions read with it (`app::cache::VERSION_COLUMNS`).
struct StoredSession {
    data: String,
    expires_at: i64,
    cache_versions: Option<app::cache::Versions>,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for StoredSession {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        let mut versions = app::cache::Versions::default();
        let mut all_there = true;
        for (i, slot) in versions.iter_mut().enumerate() {
            match row.try_get::<Option<i64>, _>(2 + i)? {
                Some(version) => *slot = version,
                None => all_there = false,
            }
        }
        Ok(StoredSession {
            data: row.try_get(0)?,
            expires_at: row.try_get(1)?,
            cache_versions: all_there.then_some(versions),
        })
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

/// The record's data as stored, and its user (kept beside the data so that deactivating a person
/// can end their sessions).
fn encode(record: &Record) -> session_store::Result<(String, Option<i64>)> {
    let mut data = record.data.clone();
    data.remove(app::cache::SESSION_VERSION);
    let data =
        serde_json::to_string(&data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(app::accounts::auth::SESSION_USER)
        .and_then(|v| v.as_i64());
    Ok((data, user_id))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// A new session never takes over an existing one: on an id collision, draw another id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (data, user_id) = encode(record)?;
        loop {
            let done = sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(user_id)
            .bind(&data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, user_id) = encode(record)?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(user_id)
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        // The read cache's versions come in the same statement (`app::cache::SESSION_VERSION`):
        // a signed-in page then starts with one statement, not two.
        static LOAD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT s.data, s.expires_at, {} FROM sessions s {}
                 WHERE s.id = $1 AND s.expires_at > $2",
                app::cache::VERSION_COLUMNS,
                app::cache::VERSIONS_JOIN
            )
        });
        let row: Option<StoredSession> = sqlx::query_as(LOAD.as_str())
            .bind(session_id.to_string())
            .bind(now)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut data: HashMap<String, serde_json::Value> = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if let Some(versions) = row.cache_versions {
            data.insert(app::cache::SESSION_VERSION.to_string(), versions.into());
        }
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date: time::OffsetDateTime::from_unix_timestamp(row.expires_at)
                .map_err(backend)?,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(session_id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
