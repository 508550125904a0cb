//! Faults, with the real `sabak` binary, on SQLite and PostgreSQL: SIGKILL in the middle of a
//! stream of writes loses no acknowledged write and leaves none half-written; SIGTERM ends live
//! streams and exits cleanly; `sabak backup` / `sabak restore` round-trip the data.

mod common;
#[path = "../examples/load/model.rs"]
mod load_model;

use app::db::Db;
use common::process::{run, Sabak};
use common::{count, Backend, Visitor};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn open(url: &str) -> Db {
    Db::connect(url).await.expect("open the database")
}

/// Parent-and-child pairs of 5А: the recipients every class notice must have, all or none.
async fn families_5a(db: &Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id JOIN classes c ON c.id = e.class_id WHERE c.name = '5А'").await
}

async fn logged_in(base: &str, login: &str) -> Visitor {
    let visitor = Visitor::new(base);
    let answer = visitor.login(login, common::PASSWORD).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "login as {login}");
    visitor
}

async fn crash_scenario(backend: Backend) {
    let Some((url, _dir)) = common::database_url(backend).await else {
        return;
    };
    let mut server = Sabak::start(&url).await;
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    // Three writers send class notices (a notice, its recipients and its mails in one
    // transaction) one after another and note each one the server acknowledged.
    let mut writers = Vec::new();
    for writer in 0..3 {
        let teacher = logged_in(&server.base, "teacher").await;
        let acked = acked.clone();
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let subject = format!("crash-{writer}-{n}");
                let sent = teacher
                    .client
                    .post(format!("{}/api/notices/send", teacher.base))
                    .header("accept", "application/json")
                    .form(&[
                        ("subject", subject.as_str()),
                        ("body", "Эртең сабак онлайн болот."),
                        ("audience", "class"),
                    ])
                    .send()
                    .await;
                match sent {
                    Ok(answer) if answer.status().is_success() => {
                        acked.lock().unwrap().push(subject)
                    }
                    Ok(answer) => panic!("refused before the crash: {}", answer.status()),
                    // The server is gone: stop writing.
                    Err(_) => return,
                }
            }
        }));
    }
    // Let writes pile up, then kill the server in the middle of them.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acked.lock().unwrap().len() < 40 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 40,
        "only {} writes acknowledged",
        acked.len()
    );

    // Restart on the same database: every acknowledged notice is there, whole; no notice is
    // half-written (each has all its recipients).
    let server = Sabak::start(&url).await;
    let db = open(&url).await;
    let families = families_5a(&db).await;
    for subject in &acked {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notices WHERE subject = $1")
            .bind(subject)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "acknowledged notice {subject} is lost");
    }
    let stored = count(&db, "SELECT COUNT(*) FROM notices").await;
    assert!(
        stored >= acked.len() as i64 && stored <= acked.len() as i64 + 3,
        "{stored} stored, {} acknowledged",
        acked.len()
    );
    let half = count(&db, &format!("SELECT COUNT(*) FROM notices n WHERE (SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = n.id) <> {families}")).await;
    assert_eq!(half, 0, "a notice without all its recipients");
    // And the restarted server takes writes again.
    let teacher = logged_in(&server.base, "teacher").await;
    let after = teacher
        .call(
            "notices/send",
            &[
                ("subject", "after"),
                ("body", "Текст"),
                ("audience", "class"),
            ],
        )
        .await;
    common::accepted(&after);
}

async fn shutdown_scenario(backend: Backend) {
    let Some((url, _dir)) = common::database_url(backend).await else {
        return;
    };
    let mut server = Sabak::start(&url).await;
    let student = logged_in(&server.base, "student").await;
    let mut stream = student.events("/live/timer").await.expect("live stream");
    assert!(
        stream.next(Duration::from_secs(10)).await.is_some(),
        "the first event"
    );
    let status = server
        .terminate(Duration::from_secs(20))
        .await
        .expect("SIGTERM with a live stream open: the server did not exit");
    assert!(status.success(), "exit status {status}");
    // The stream has ended (not hung), and nothing answers any more.
    assert!(stream.next(Duration::from_secs(5)).await.is_none());
    assert!(reqwest::get(format!("{}/healthz", server.base))
        .await
        .is_err());
}

/// Row counts of every table, and the contents of the ones people wrote to.
async fn digest(db: &Db) -> Vec<String> {
    let tables: Vec<(String,)> = match db.backend {
        app::db::Backend::Sqlite => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT IN ('_sqlx_migrations', 'sessions') ORDER BY name",
        ),
        app::db::Backend::Postgres => sqlx::query_as(
            "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = 'public'
             AND tablename NOT IN ('_sqlx_migrations', 'sessions') ORDER BY tablename",
        ),
    }
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (table,) in tables {
        out.push(format!(
            "{table}: {}",
            count(db, &format!("SELECT COUNT(*) FROM {table}")).await
        ));
    }
    let users: Vec<(i64, String, String, Option<String>, String)> =
        sqlx::query_as("SELECT id, login, full_name, email, language FROM users ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    out.extend(users.iter().map(|u| format!("{u:?}")));
    let notices: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, subject, body FROM notices ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    out.extend(notices.iter().map(|n| format!("{n:?}")));
    out
}

async fn backup_scenario(backend: Backend) {
    let Some(app) = common::spawn(backend).await else {
        return;
    };
    let teacher = app.logged_in("teacher").await;
    let send = |subject: &'static str| {
        let teacher = &teacher;
        async move {
            common::accepted(
                &teacher
                    .call(
                        "notices/send",
                        &[
                            ("subject", subject),
                            ("body", "Сакталсын"),
                            ("audience", "class"),
                        ],
                    )
                    .await,
            )
        }
    };
    send("before the backup").await;
    let before = digest(&app.db).await;
    assert!(before.iter().any(|l| l.contains("before the backup")));

    // Online: the server goes on serving while the copy is taken.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("sabak.backup");
    let file_arg = file.to_str().unwrap();
    let made = run(&app.url, &["backup", file_arg]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
    // A second backup to the same file is refused, the first left as it was.
    let again = run(&app.url, &["backup", file_arg]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    send("after the backup").await;

    // Restored into an empty database: the data as it was at the backup, not after.
    let (target, _target_dir) = common::database_url(backend).await.unwrap();
    let restored = run(&target, &["restore", file_arg]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let db = open(&target).await;
    let after = digest(&db).await;
    assert_eq!(after, before);
    assert!(!after.iter().any(|l| l.contains("after the backup")));

    // Restored over a database that has moved on: back to the backup again.
    sqlx::query("UPDATE users SET full_name = 'Өзгөртүлгөн' WHERE login = 'student'")
        .execute(&db.pool)
        .await
        .unwrap();
    db.pool.close().await;
    let over = run(&target, &["restore", file_arg]);
    assert!(
        over.status.success(),
        "{}",
        String::from_utf8_lossy(&over.stderr)
    );
    assert_eq!(digest(&open(&target).await).await, before);

    // Not a backup: refused, the database untouched.
    let junk = folder.path().join("junk.backup");
    std::fs::write(&junk, "this is not a database").unwrap();
    let refused = run(&target, &["restore", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert_eq!(digest(&open(&target).await).await, before);
}

/// The short version of `make bench`'s mixed load (the same Goose model, `examples/load`): 100
/// users for 5 seconds, no error.
async fn load_scenario(backend: Backend) {
    let Some((url, _dir)) = common::database_url(backend).await else {
        return;
    };
    let server = Sabak::start(&url).await;
    let base = format!("http://{}", server.addr());
    let people = load_model::sign_in(&base, 10).await;
    let shape = load_model::Shape {
        users: 100,
        seconds: 5,
        rate: None,
        think: (std::time::Duration::ZERO, std::time::Duration::ZERO),
    };
    let figures = load_model::run(&base, &people, &shape)
        .await
        .expect("the Goose run");
    eprintln!("mixed load: {figures:?}");
    assert_eq!(figures.errors, 0, "{:?}", figures.error_samples);
    assert!(figures.requests >= 200, "{figures:?}");
    // Every role was in the run.
    for role in ["student:", "parent:", "teacher:", "expert:"] {
        assert!(
            figures
                .by_request
                .iter()
                .any(|(name, n, _, _)| name.contains(role) && *n > 0),
            "no {role} request: {figures:?}"
        );
    }
}

macro_rules! on_both {
    ($name:ident, $scenario:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                tokio::time::timeout(
                    super::common::SCENARIO_LIMIT,
                    super::$scenario(super::Backend::Sqlite),
                )
                .await
                .expect("the scenario did not finish in time (SQLite)");
            }
            #[tokio::test]
            async fn postgres() {
                tokio::time::timeout(
                    super::common::SCENARIO_LIMIT,
                    super::$scenario(super::Backend::Postgres),
                )
                .await
                .expect("the scenario did not finish in time (PostgreSQL)");
            }
        }
    };
}

on_both!(
    sigkill_loses_no_acknowledged_write_and_leaves_none_half_written,
    crash_scenario
);
on_both!(
    sigterm_closes_live_streams_and_exits_cleanly,
    shutdown_scenario
);
on_both!(backup_and_restore_round_trip_the_data, backup_scenario);
on_both!(a_mixed_load_of_a_hundred_users_gets_no_error, load_scenario);
