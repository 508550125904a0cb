//! The database handle: one sqlx `Any` pool that is SQLite (embedded default) or PostgreSQL.
//!
//! Every query is written once, in SQL both engines accept (`$1` placeholders, BIGINT ids,
//! integers for flags and unix seconds for instants), so the two backends run the same code.

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// This process's copies of what pages read on every request (`crate::cache`).
    pub cache: crate::cache::ReadCache,
}

/// A connection idle at least this long is pinged before it is handed out.
const TEST_WHEN_IDLE_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// sqlx pings every connection it hands out by default, a round trip per statement (on SQLite a
/// handoff to the connection's thread and back) on top of the ping it always makes on release:
/// under load the pings were most of the database work. A connection that has just been
/// released, pinged, is not tested again; one idle long enough for the server or the network to
/// have dropped it is (sqlx's documented pattern).
fn only_idle_connections_tested(options: AnyPoolOptions) -> AnyPoolOptions {
    options
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= TEST_WHEN_IDLE_FOR {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

#[derive(Debug, thiserror::Error)]
pub enum DbInitError {
    #[error("DATABASE_URL must start with sqlite: or postgres://")]
    UnknownScheme,
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbInitError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or(DbInitError::UnknownScheme)?;
        let options = match backend {
            // One writer at a time is SQLite's nature; WAL lets readers go on meanwhile.
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = only_idle_connections_tested(options).connect(url).await?;
        Ok(Db {
            pool,
            backend,
            cache: crate::cache::ReadCache::new(true),
        })
    }

    /// The same database without the read cache: every lookup goes to the database
    /// (`--read-cache false`, to measure what the cache saves).
    pub fn without_read_cache(mut self) -> Db {
        self.cache = crate::cache::ReadCache::new(false);
        self
    }

    /// A transaction that writes. On SQLite it takes the single writer lock at once (`BEGIN
    /// IMMEDIATE`) and waits its turn under `busy_timeout`: a plain `BEGIN` that reads first
    /// cannot write once another connection has written meanwhile ("database is locked" at
    /// once, whatever the timeout). PostgreSQL's `BEGIN` has no such limit.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn migrate(&self) -> Result<(), DbInitError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        self.fill_sort_keys().await?;
        Ok(())
    }

    /// People added before migration 0019 get their Kyrgyz-order key (SQL cannot compute it).
    async fn fill_sort_keys(&self) -> Result<(), sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Unkeyed {
            id: i64,
            full_name: String,
        }
        let rows: Vec<Unkeyed> =
            sqlx::query_as("SELECT id, full_name FROM users WHERE sort_key = ''")
                .fetch_all(&self.pool)
                .await?;
        for row in rows {
            sqlx::query("UPDATE users SET sort_key = $1 WHERE id = $2")
                .bind(crate::accounts::rules::sort_key(&row.full_name))
                .bind(row.id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

/// Takes the write lock on one row for the rest of the transaction, so that a check and the
/// write that depends on it (at most 10 materials, one live calendar address, a council's size)
/// cannot interleave with another request's. A no-op update does it on both engines: PostgreSQL
/// locks the row until commit; SQLite takes its single writer lock now, before the check reads.
/// `table` is always a constant of ours, never input.
pub async fn lock_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &'static str,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("UPDATE {table} SET id = id WHERE id = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How far the demo/test clock is moved from the real one, in milliseconds (0 in production).
static CLOCK_SHIFT_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Moves this process's clock so that it reads `start_ms` now and runs on from there. Only for
/// demos and tests (`SABAK_CLOCK_START` with `--demo`): a Sunday demo still shows a school day.
pub fn start_clock_at(start_ms: i64) {
    let shift = start_ms - jiff::Timestamp::now().as_millisecond();
    CLOCK_SHIFT_MS.store(shift, std::sync::atomic::Ordering::Relaxed);
}

/// Milliseconds since the Unix epoch (the lesson timers' resolution).
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
        + CLOCK_SHIFT_MS.load(std::sync::atomic::Ordering::Relaxed)
}

/// `2026-11-25T08:35` read as Bishkek time, in Unix milliseconds.
pub fn parse_bishkek_minute(raw: &str) -> Option<i64> {
    let civil: jiff::civil::DateTime = raw.trim().parse().ok()?;
    Some(civil.to_zoned(bishkek()).ok()?.timestamp().as_millisecond())
}

/// Seconds since the Unix epoch: how every instant is stored.
pub fn now() -> i64 {
    now_ms().div_euclid(1000)
}

/// All school times are Bishkek times (UTC+6, no daylight saving).
pub fn bishkek() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Bishkek")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(6)))
}

pub fn bishkek_day(unix: i64) -> crate::accounts::Day {
    let zoned = jiff::Timestamp::from_second(unix)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(bishkek());
    crate::accounts::Day {
        year: zoned.year() as i64,
        month: zoned.month() as u8,
        day: zoned.day() as u8,
        weekday: zoned.weekday().to_monday_zero_offset() as u8,
    }
}

/// The minute of the Bishkek day (0-1439) of a unix instant (Bishkek is UTC+6 all year).
pub fn bishkek_minute(unix: i64) -> i64 {
    crate::timetable::rules::bishkek_day_minute(unix).1
}

/// Today in Bishkek as a day count since 1970-01-01: what timetables and contest phases go by.
pub fn today() -> i64 {
    day_number(now())
}

/// The Bishkek calendar day of a unix instant, as a day count since 1970-01-01.
pub fn day_number(unix: i64) -> i64 {
    let day = bishkek_day(unix);
    crate::timetable::rules::days_from_civil(day.year, day.month as u32, day.day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/sabak.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://u@h/db"), None);
    }

    #[test]
    fn bishkek_day_turns_at_local_midnight() {
        // 2026-11-22T17:59:59Z is 23:59:59 Sunday in Bishkek; one second later it is Monday.
        let before = bishkek_day(1_795_370_399);
        let after = bishkek_day(1_795_370_400);
        assert_eq!((before.month, before.day, before.weekday), (11, 22, 6));
        assert_eq!((after.month, after.day, after.weekday), (11, 23, 0));
    }
}
