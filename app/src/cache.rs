//! The read cache (server only): what nearly every page reads and admins change rarely — the
//! signed-in person with their roles, class and children; the school calendar and terms; bell
//! periods; a class's or a teacher's weekly lessons; the school's name — kept in this process.
//!
//! Correctness does not depend on remembering to invalidate. Database triggers (migration 0020)
//! bump `cache_versions.version` on every write to the tables these copies come from, whoever
//! writes (a page, an import, the seeder, another replica, a hand-written UPDATE). A copy is used
//! only while the version it was taken under is still the current one, so a change made through
//! replica A is seen by replica B on its very next request: one indexed read of the version
//! stands in for the several queries a page would make. (LISTEN/NOTIFY, which the live timers
//! use, would save even that read, but a notice can arrive after replica B's next request; the
//! version read cannot.)
//!
//! A page render (a GET) reads the version once and keeps it for the request; a POST reads it at
//! every lookup, so a server function that writes and then reads sees its own write.

use crate::db::Db;
use crate::error::AppResult;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// What is cached: one entry per key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CacheKey {
    /// The person behind a session (`accounts::store::load_me`).
    Person(i64),
    /// The calendar, on a given day (without a saved calendar its year start follows today).
    Calendar(i64),
    /// Bell periods of a variant.
    Periods(String),
    LessonsOfClass(i64),
    LessonsOfTeacher(i64),
    SchoolName,
}

/// Beyond this many entries the cache starts afresh (people × a few keys of a big school fit
/// many times over).
const MAX_ENTRIES: usize = 20_000;

type Value = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Entries {
    /// The version every entry in `values` was loaded under.
    version: i64,
    values: HashMap<CacheKey, Value>,
}

#[derive(Clone)]
pub struct ReadCache {
    enabled: bool,
    entries: Arc<Mutex<Entries>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

impl ReadCache {
    /// A cache; `enabled: false` makes every lookup load (`--read-cache false`, for benchmarks).
    pub fn new(enabled: bool) -> ReadCache {
        ReadCache {
            enabled,
            entries: Arc::default(),
        }
    }

    fn get(&self, version: i64, key: &CacheKey) -> Option<Value> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        (entries.version == version)
            .then(|| entries.values.get(key).cloned())
            .flatten()
    }

    fn put(&self, version: i64, key: CacheKey, value: Value) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if version > entries.version {
            entries.version = version;
            entries.values.clear();
        } else if entries.values.len() >= MAX_ENTRIES {
            // Full: start afresh, never going back to an older version.
            entries.values.clear();
        }
        // A copy loaded under an older version than the newest seen is never kept.
        if version == entries.version {
            entries.values.insert(key, value);
        }
    }

    /// How many copies are kept now (for tests).
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The version a GET request read first, kept for the rest of the request.
#[derive(Clone, Default)]
pub struct RequestVersion(Arc<tokio::sync::OnceCell<i64>>);

async fn read_version(db: &Db) -> AppResult<i64> {
    let (version,): (i64,) =
        sqlx::query_as("SELECT version FROM cache_versions WHERE name = 'reference'")
            .fetch_one(&db.pool)
            .await?;
    Ok(version)
}

async fn current_version(db: &Db) -> AppResult<i64> {
    use leptos::prelude::use_context;
    let is_get = use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.method == http::Method::GET);
    match use_context::<RequestVersion>() {
        Some(memo) if is_get => memo.0.get_or_try_init(|| read_version(db)).await.copied(),
        _ => read_version(db).await,
    }
}

/// The copy under `key` if it is current, else `load`ed and kept.
pub async fn cached<T, F, Fut>(db: &Db, key: CacheKey, load: F) -> AppResult<T>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = AppResult<T>>,
{
    if !db.cache.enabled {
        return load().await;
    }
    let version = current_version(db).await?;
    if let Some(hit) = db
        .cache
        .get(version, &key)
        .and_then(|value| value.downcast_ref::<T>().cloned())
    {
        return Ok(hit);
    }
    let value = load().await?;
    db.cache.put(version, key, Arc::new(value.clone()));
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(n: i64) -> Value {
        Arc::new(n)
    }

    fn read(cache: &ReadCache, version: i64, key: &CacheKey) -> Option<i64> {
        cache
            .get(version, key)
            .and_then(|v| v.downcast_ref::<i64>().copied())
    }

    #[test]
    fn a_copy_serves_only_its_own_version() {
        let cache = ReadCache::new(true);
        cache.put(3, CacheKey::SchoolName, value(1));
        assert_eq!(read(&cache, 3, &CacheKey::SchoolName), Some(1));
        // A newer version (a write somewhere) makes every older copy useless at once.
        assert_eq!(read(&cache, 4, &CacheKey::SchoolName), None);
        cache.put(4, CacheKey::Person(7), value(2));
        assert_eq!(read(&cache, 3, &CacheKey::SchoolName), None);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_copy_loaded_under_an_older_version_is_not_kept() {
        // A slow request read version 3 before a write; a faster one already stored under 4.
        let cache = ReadCache::new(true);
        cache.put(4, CacheKey::Calendar(1), value(40));
        cache.put(3, CacheKey::Calendar(1), value(30));
        assert_eq!(read(&cache, 4, &CacheKey::Calendar(1)), Some(40));
        cache.put(3, CacheKey::Periods("distance".into()), value(30));
        assert_eq!(read(&cache, 4, &CacheKey::Periods("distance".into())), None);
    }

    #[test]
    fn the_cache_starts_afresh_when_full() {
        let cache = ReadCache::new(true);
        for id in 0..MAX_ENTRIES as i64 {
            cache.put(1, CacheKey::Person(id), value(id));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        cache.put(1, CacheKey::SchoolName, value(0));
        assert_eq!(cache.len(), 1);
    }
}
