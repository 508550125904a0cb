//! The read cache (server only): what nearly every page reads — the signed-in person with their
//! roles, class and children; the school calendar and terms; bell periods; a class's or a
//! teacher's weekly lessons; the school's name; a person's calendar feed addresses; a week's
//! links, changes and materials; a student's open tasks — kept in this process.
//!
//! Correctness does not depend on remembering to invalidate. Database triggers (migrations 0020
//! to 0022) bump a version in `cache_versions` on every write to the tables these copies come
//! from, whoever writes (a page, an import, the seeder, another replica, a hand-written UPDATE):
//! one version for the rarely changed tables, one for a week's records, one for tasks and
//! hand-ins (`Domain`). A copy is used only while the versions of the tables it was read from
//! are still the current ones, so a change made through replica A is seen by replica B on its
//! very next request: one indexed read of the versions stands in for the queries a page would
//! make, and a signed-in page reads them with its session row (`seed_request_version`), in one
//! statement. (LISTEN/NOTIFY, which the live timers use, would save even that read, but a notice
//! can arrive after replica B's next request; the version read cannot.)
//!
//! A page render (a GET) reads the versions once and keeps them for the request; a POST reads
//! them at every lookup, so a server function that writes and then reads sees its own write.

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
    /// The links, changes and materials of a class's or a teacher's days `from` to `to`
    /// (`timetable::store::week_records`).
    WeekRecords {
        class_id: Option<i64>,
        teacher_id: Option<i64>,
        from: String,
        to: String,
    },
    /// What a student has still to hand in (`assignments::store::open_tasks_of_student`).
    OpenTasks(i64),
}

/// The version columns of `cache_versions`: each counts the writes to a group of tables. Rarely
/// changed tables (people, classes, calendar, lessons) are one group; a week's links and
/// materials, written by teachers all morning, and tasks and hand-ins, written all day, have their
/// own, so that a hand-in does not throw away every copy of the school's people and lessons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    Reference = 0,
    Week = 1,
    Tasks = 2,
}

/// Each domain's version, in `Domain` order.
pub type Versions = [i64; 3];

impl CacheKey {
    /// The groups of tables its copy is read from: it is good while none of them was written.
    fn domains(&self) -> &'static [Domain] {
        match self {
            CacheKey::WeekRecords { .. } => &[Domain::Reference, Domain::Week],
            CacheKey::OpenTasks(_) => &[Domain::Reference, Domain::Tasks],
            _ => &[Domain::Reference],
        }
    }

    /// Whether a copy loaded under `loaded` is what loading would give under `current`.
    fn is_current(&self, loaded: &Versions, current: &Versions) -> bool {
        self.domains()
            .iter()
            .all(|&d| loaded[d as usize] == current[d as usize])
    }
}

/// Beyond this many entries the cache starts afresh (people × a few keys of a big school fit
/// many times over).
const MAX_ENTRIES: usize = 20_000;

type Value = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Entries {
    /// The newest version of each domain seen so far.
    newest: Versions,
    /// Each copy with the versions it was loaded under.
    values: HashMap<CacheKey, (Versions, Value)>,
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

    fn get(&self, current: &Versions, key: &CacheKey) -> Option<Value> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .values
            .get(key)
            .filter(|(loaded, _)| key.is_current(loaded, current))
            .map(|(_, value)| value.clone())
    }

    fn put(&self, loaded: Versions, key: CacheKey, value: Value) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let newer = loaded.iter().zip(&entries.newest).any(|(l, n)| l > n);
        if newer {
            // A write somewhere: drop the copies it made useless, keep the others.
            for (newest, &l) in entries.newest.iter_mut().zip(&loaded) {
                *newest = (*newest).max(l);
            }
            let newest = entries.newest;
            entries
                .values
                .retain(|key, (at, _)| key.is_current(at, &newest));
        } else if entries.values.len() >= MAX_ENTRIES {
            // Full: start afresh, never going back to an older version.
            entries.values.clear();
        }
        // A copy loaded under an older version than the newest seen is never kept.
        if key.is_current(&loaded, &entries.newest) {
            entries.values.insert(key, (loaded, value));
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

/// The versions a GET request read first, kept for the rest of the request.
#[derive(Clone, Default)]
pub struct RequestVersion(Arc<tokio::sync::OnceCell<Versions>>);

/// The session key under which the session store hands over the versions it read in the same
/// statement as the session row (never stored: the store drops it when it writes a record).
pub const SESSION_VERSION: &str = "__cache_versions";

/// How a statement with other work to do (the session store's) reads every domain's version, in
/// `Domain` order: these columns, from `cache_versions v` joined with this.
pub const VERSION_COLUMNS: &str = "v.version, v.week_version, v.tasks_version";
pub const VERSIONS_JOIN: &str = "LEFT JOIN cache_versions v ON v.name = 'reference'";

/// The versions read with the caller's session row, as this GET request's versions: the read
/// that starts every signed-in page then costs no statement of its own. The session row and the
/// versions were read at the same instant, before anything else, so this is what the versions
/// read would have found. A POST keeps reading them at every lookup.
pub fn seed_request_version(versions: Versions) {
    use leptos::prelude::use_context;
    if let Some(memo) = use_context::<RequestVersion>().filter(|_| is_get()) {
        // Already set means a lookup came first; the earlier read stands.
        let _ = memo.0.set(versions);
    }
}

async fn read_version(db: &Db) -> AppResult<Versions> {
    let (reference, week, tasks): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM cache_versions v WHERE v.name = 'reference'"
    ))
    .fetch_one(&db.pool)
    .await?;
    Ok([reference, week, tasks])
}

/// Whether this request is a GET (read in place: cloning the request's head, headers and all,
/// for one comparison was a measurable part of a page).
fn is_get() -> bool {
    leptos::prelude::with_context(|parts: &http::request::Parts| parts.method == http::Method::GET)
        .unwrap_or(false)
}

async fn current_version(db: &Db) -> AppResult<Versions> {
    use leptos::prelude::use_context;
    match use_context::<RequestVersion>() {
        Some(memo) if is_get() => memo.0.get_or_try_init(|| read_version(db)).await.copied(),
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
    let versions = current_version(db).await?;
    if let Some(hit) = db
        .cache
        .get(&versions, &key)
        .and_then(|value| value.downcast_ref::<T>().cloned())
    {
        return Ok(hit);
    }
    let value = load().await?;
    db.cache.put(versions, key, Arc::new(value.clone()));
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(n: i64) -> Value {
        Arc::new(n)
    }

    fn read(cache: &ReadCache, versions: Versions, key: &CacheKey) -> Option<i64> {
        cache
            .get(&versions, key)
            .and_then(|v| v.downcast_ref::<i64>().copied())
    }

    /// Versions of the reference tables only, the others at 1.
    fn reference(version: i64) -> Versions {
        [version, 1, 1]
    }

    #[test]
    fn a_copy_serves_only_its_own_version() {
        let cache = ReadCache::new(true);
        cache.put(reference(3), CacheKey::SchoolName, value(1));
        assert_eq!(read(&cache, reference(3), &CacheKey::SchoolName), Some(1));
        // A newer version (a write somewhere) makes every older copy useless at once.
        assert_eq!(read(&cache, reference(4), &CacheKey::SchoolName), None);
        cache.put(reference(4), CacheKey::Person(7), value(2));
        assert_eq!(read(&cache, reference(3), &CacheKey::SchoolName), None);
        assert_eq!(cache.len(), 1, "the older copy is dropped");
    }

    #[test]
    fn a_write_drops_only_the_copies_of_its_own_tables() {
        let cache = ReadCache::new(true);
        let tasks = CacheKey::OpenTasks(7);
        let week = CacheKey::WeekRecords {
            class_id: Some(1),
            teacher_id: None,
            from: "2026-12-07".into(),
            to: "2026-12-12".into(),
        };
        cache.put([1, 1, 1], CacheKey::Person(7), value(1));
        cache.put([1, 1, 1], tasks.clone(), value(2));
        cache.put([1, 1, 1], week.clone(), value(3));
        // A hand-in (tasks 1 → 2): the person and the week stay, the open tasks go.
        assert_eq!(read(&cache, [1, 1, 2], &CacheKey::Person(7)), Some(1));
        assert_eq!(read(&cache, [1, 1, 2], &week), Some(3));
        assert_eq!(read(&cache, [1, 1, 2], &tasks), None);
        cache.put([1, 1, 2], tasks.clone(), value(4));
        assert_eq!(read(&cache, [1, 1, 2], &tasks), Some(4));
        assert_eq!(cache.len(), 3);
        // A new link (week 1 → 2) leaves the tasks alone.
        assert_eq!(read(&cache, [1, 2, 2], &week), None);
        assert_eq!(read(&cache, [1, 2, 2], &tasks), Some(4));
        // A renamed class (reference) makes all three useless: weeks and tasks join its tables.
        cache.put([2, 2, 2], CacheKey::SchoolName, value(5));
        assert_eq!(read(&cache, [2, 2, 2], &tasks), None);
        assert_eq!(read(&cache, [2, 2, 2], &CacheKey::Person(7)), None);
        assert_eq!(cache.len(), 1, "only the new copy is kept");
    }

    #[test]
    fn a_copy_loaded_under_an_older_version_is_not_kept() {
        // A slow request read version 3 before a write; a faster one already stored under 4.
        let cache = ReadCache::new(true);
        cache.put(reference(4), CacheKey::Calendar(1), value(40));
        cache.put(reference(3), CacheKey::Calendar(1), value(30));
        assert_eq!(read(&cache, reference(4), &CacheKey::Calendar(1)), Some(40));
        cache.put(
            reference(3),
            CacheKey::Periods("distance".into()),
            value(30),
        );
        assert_eq!(
            read(&cache, reference(4), &CacheKey::Periods("distance".into())),
            None
        );
        // Older in a domain the copy does not read from is no reason to refuse it.
        cache.put([4, 0, 0], CacheKey::SchoolName, value(9));
        assert_eq!(read(&cache, reference(4), &CacheKey::SchoolName), Some(9));
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
            cache.put(reference(1), CacheKey::Person(id), value(id));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        cache.put(reference(1), CacheKey::SchoolName, value(0));
        assert_eq!(cache.len(), 1);
    }
}
