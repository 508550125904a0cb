//! The sqlx `Any` driver against the typed pools (run by `make bench`): `driver URL [URL...]`
//! runs a class's weekly lessons with their names (the store's own query) and the read cache's
//! version read on a seeded database, through an `AnyPool` and through a
//! `SqlitePool` / `PgPool` on the same database, and prints one JSON line of microseconds per
//! query (the median of 5 rounds of 2,000 queries each, one after another on one connection).

use sqlx::{PgPool, SqlitePool};
use std::time::Instant;

const VERSION: &str = "SELECT version FROM cache_versions WHERE name = 'reference'";
const ROUNDS: usize = 5;
const QUERIES: usize = 2_000;

use app::timetable::store::{LessonTuple as Lesson, LESSON_SELECT};

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    (runs[runs.len() / 2] * 100.0).round() / 100.0
}

/// Microseconds per query of `one`, the median of the rounds.
async fn time<F, Fut>(mut one: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut runs = Vec::new();
    for _ in 0..ROUNDS {
        let began = Instant::now();
        for _ in 0..QUERIES {
            one().await;
        }
        runs.push(began.elapsed().as_secs_f64() * 1e6 / QUERIES as f64);
    }
    median(runs)
}

macro_rules! measure {
    ($pool:expr, $db:ty, $class:expr) => {{
        let pool = $pool;
        let lessons_sql =
            format!("{LESSON_SELECT} WHERE l.class_id = $1 ORDER BY l.weekday, l.period");
        let lessons = time(|| async {
            let rows: Vec<Lesson> = sqlx::query_as::<$db, Lesson>(&lessons_sql)
                .bind($class)
                .fetch_all(&pool)
                .await
                .expect("lessons");
            assert!(!rows.is_empty());
        })
        .await;
        let version = time(|| async {
            let _: (i64,) = sqlx::query_as::<$db, (i64,)>(VERSION)
                .fetch_one(&pool)
                .await
                .expect("version");
        })
        .await;
        (lessons, version)
    }};
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    sqlx::any::install_default_drivers();
    let mut report = serde_json::Map::new();
    for url in std::env::args().skip(1) {
        let backend = if url.starts_with("sqlite:") {
            "sqlite"
        } else {
            "postgres"
        };
        let any = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("any pool");
        let (class,): (i64,) = sqlx::query_as("SELECT id FROM classes ORDER BY id LIMIT 1")
            .fetch_one(&any)
            .await
            .expect("a class");
        let (any_lessons, any_version) = measure!(any.clone(), sqlx::Any, class);
        let (typed_lessons, typed_version) = if backend == "sqlite" {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect(&url)
                .await
                .expect("sqlite pool");
            measure!(pool as SqlitePool, sqlx::Sqlite, class)
        } else {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(&url)
                .await
                .expect("pg pool");
            measure!(pool as PgPool, sqlx::Postgres, class)
        };
        report.insert(
            format!("driver_{backend}"),
            serde_json::json!({
                "any_lessons_us": any_lessons, "typed_lessons_us": typed_lessons,
                "any_version_us": any_version, "typed_version_us": typed_version,
            }),
        );
    }
    println!("{}", serde_json::Value::Object(report));
}
