//! The read cache (server only): what nearly every page reads and admins change rarely — the
//! signed-in person with their roles, class and children; the school calendar and terms; bell
//! periods; a class's or a teacher's weekly lessons; the school's name; a person's calendar feed
//! addresses — kept in this process.
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
    /// A person's live calendar address for a timetable (`timetable::store::active_feed`).
    CalendarFeed(i64, crate::timetable::ical::FeedTarget),
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
    fragments: Arc<Mutex<Fragments>>,
}

/// Rendered parts of pages (see `ReadCache::rendered`), beyond this many bytes started afresh.
const MAX_FRAGMENT_BYTES: usize = 16 << 20;

#[derive(Default)]
struct Fragments {
    bytes: usize,
    /// Slot → the inputs its HTML was rendered from, and the HTML.
    slots: HashMap<String, (Value, Arc<str>)>,
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
            fragments: Arc::default(),
        }
    }

    /// The HTML `render` makes of `inputs`, rendered again only when the inputs differ from those
    /// the slot's copy was made from. A copy is used only for inputs equal to its own, so it is
    /// exactly what rendering would give now: nothing has to invalidate it, no write can leave it
    /// stale, and a slot shared by mistake (two classes of one name) costs renders, never a page
    /// showing what another's holds. `slot` only spreads the copies (a class's week and day in a
    /// language), so that viewers of different pages do not keep replacing each other's.
    pub fn rendered<I>(
        &self,
        slot: String,
        inputs: I,
        render: impl FnOnce(&I) -> String,
    ) -> Arc<str>
    where
        I: PartialEq + Send + Sync + 'static,
    {
        if !self.enabled {
            return render(&inputs).into();
        }
        let kept = {
            let fragments = self.fragments.lock().unwrap_or_else(|e| e.into_inner());
            fragments
                .slots
                .get(&slot)
                .filter(|(made_from, _)| made_from.downcast_ref::<I>() == Some(&inputs))
                .map(|(_, html)| html.clone())
        };
        if let Some(html) = kept {
            return html;
        }
        // Rendered outside the lock: other requests go on reading their copies meanwhile.
        let html: Arc<str> = render(&inputs).into();
        let mut fragments = self.fragments.lock().unwrap_or_else(|e| e.into_inner());
        if fragments.bytes + html.len() > MAX_FRAGMENT_BYTES {
            fragments.slots.clear();
            fragments.bytes = 0;
        }
        fragments.bytes += html.len();
        if let Some((_, replaced)) = fragments
            .slots
            .insert(slot, (Arc::new(inputs), html.clone()))
        {
            fragments.bytes -= replaced.len();
        }
        html
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
    fn a_rendered_copy_serves_only_equal_inputs() {
        let cache = ReadCache::new(true);
        let renders = std::cell::Cell::new(0);
        let render = |n: &i64| {
            renders.set(renders.get() + 1);
            format!("<p>{n}</p>")
        };
        assert_eq!(&*cache.rendered("5А".into(), 1_i64, render), "<p>1</p>");
        assert_eq!(&*cache.rendered("5А".into(), 1_i64, render), "<p>1</p>");
        assert_eq!(renders.get(), 1, "the same inputs: the copy");
        // Changed inputs (a new link, the next lesson starting) render anew and replace the copy.
        assert_eq!(&*cache.rendered("5А".into(), 2_i64, render), "<p>2</p>");
        assert_eq!(&*cache.rendered("5А".into(), 2_i64, render), "<p>2</p>");
        assert_eq!(renders.get(), 2);
        // Another slot holding other inputs never hands out this one's copy.
        assert_eq!(&*cache.rendered("5Б".into(), 3_i64, render), "<p>3</p>");
        assert_eq!(&*cache.rendered("5А".into(), 3_i64, render), "<p>3</p>");
        assert_eq!(renders.get(), 4);
        // Off (`--read-cache false`): every call renders.
        let off = ReadCache::new(false);
        off.rendered("5А".into(), 1_i64, render);
        off.rendered("5А".into(), 1_i64, render);
        assert_eq!(renders.get(), 6);
    }

    #[test]
    fn rendered_copies_start_afresh_beyond_their_bytes() {
        let cache = ReadCache::new(true);
        let page = "x".repeat(MAX_FRAGMENT_BYTES / 4 + 1);
        for slot in 0..4 {
            cache.rendered(slot.to_string(), slot, |_| page.clone());
        }
        let fragments = cache.fragments.lock().unwrap();
        assert_eq!(fragments.slots.len(), 1, "the fourth copy started afresh");
        assert_eq!(fragments.bytes, page.len());
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
