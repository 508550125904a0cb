//! The stall of issues 7 and 19: now and then a page of the integration suite never answered.
//!
//! The cause: `leptos_axum::generate_route_list` renders the app once with resource loading
//! suppressed, and that switch (`leptos_server`'s `SuppressResourceLoad`) is one flag for the
//! whole process. A resource first polled while it is on waits forever, even after it is off
//! again (leptos-rs/leptos#4773). A production process builds its router once, before it serves;
//! the suite runs many servers in one process, each building its router while the others render
//! pages. `sabak_server::router` now generates the route list once per process.
//!
//! - `a_router_built_while_pages_render_never_stalls_them` (in `make test`) builds routers in a
//!   loop on another thread while pages are asked for; before the fix most of its pages stalled.
//! - `soak_*` (on demand: `cargo test -p server --test stall -- --ignored --nocapture`) ask for
//!   100,000 pages across roles and languages on a current-thread and a multi-thread runtime,
//!   each with a deadline, and print how many came and how fast.

mod common;

use clap::Parser;
use common::{Backend, TestApp, PASSWORD};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A page that has not fully arrived by then has stalled (the slowest page of a debug build
/// under a parallel suite takes well under a second).
const DEADLINE: Duration = Duration::from_secs(10);

const ROLES: [&str; 6] = [
    "admin",
    "teacher",
    "student",
    "parent",
    "organiser",
    "expert",
];
const LANGUAGES: [&str; 3] = ["ky", "ru", "en"];
const PAGES: [&str; 12] = [
    "/",
    "/timetable",
    "/class",
    "/timer",
    "/feedback",
    "/notices",
    "/tasks",
    "/journal",
    "/schedules",
    "/contest",
    "/contest/results",
    "/admin/users",
];

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

async fn logged_in(app: &TestApp, login: &str) -> reqwest::Client {
    let client = client();
    let answer = client
        .post(format!("{}/api/login", app.base))
        .header("accept", "application/json")
        .form(&[("login", login), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(
        answer.status().is_success(),
        "login {login}: {}",
        answer.status()
    );
    client
}

/// One page, read to its end within the deadline: `Err` says what went wrong.
async fn page(client: &reqwest::Client, url: &str, language: &str) -> Result<(), String> {
    let response = client
        .get(url)
        .header("accept", "text/html")
        .header("accept-language", language)
        .send()
        .await
        .map_err(|err| format!("{url} ({language}): no answer: {err}"))?;
    let status = response.status();
    response
        .text()
        .await
        .map_err(|err| format!("{url} ({language}): body never ended: {err}"))?;
    if status.is_server_error() {
        return Err(format!("{url} ({language}): {status}"));
    }
    Ok(())
}

#[tokio::test]
async fn a_router_built_while_pages_render_never_stalls_them() {
    let app = common::spawn(Backend::Sqlite).await.unwrap();
    let student = logged_in(&app, "student").await;
    // Another "server" of this process builds its router over and over meanwhile, on a thread
    // of its own, as the suite's parallel tests do.
    let building = Arc::new(AtomicBool::new(true));
    let built = Arc::new(AtomicUsize::new(0));
    let builder = {
        let (building, built, url) = (building.clone(), built.clone(), app.url.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let args = ["sabak", "--addr", "127.0.0.1:0", "--database-url", &url];
                let config = sabak_server::Cli::try_parse_from(args).unwrap().config;
                let db = sabak_server::open_database(&config).await.unwrap();
                while building.load(Ordering::Relaxed) {
                    let state = sabak_server::app_state(&config, db.clone());
                    drop(sabak_server::router(state, false));
                    built.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            });
        })
    };
    let mut stalled = Vec::new();
    let mut asked = 0;
    let started = Instant::now();
    // Enough pages to overlap many builds; a stall ends the test early (each costs 10 s).
    while (asked < 60 || built.load(Ordering::Relaxed) < 20)
        && started.elapsed() < Duration::from_secs(60)
        && stalled.len() < 3
    {
        let path = ["/timetable", "/tasks", "/notices", "/"][asked % 4];
        if let Err(err) = page(
            &student,
            &format!("{}{path}", app.base),
            LANGUAGES[asked % 3],
        )
        .await
        {
            stalled.push(err);
        }
        asked += 1;
    }
    building.store(false, Ordering::Relaxed);
    builder.join().unwrap();
    let built = built.load(Ordering::Relaxed);
    eprintln!("{asked} pages asked while {built} routers were built");
    assert!(built >= 1, "no router was built meanwhile");
    assert!(stalled.is_empty(), "pages stalled:\n{}", stalled.join("\n"));
}

/// How many pages each soak asks for, over every role, page and language.
const SOAK_PAGES: usize = 50_000;
/// Visitors asking at once (two of each role), like a busy corridor.
const SOAK_VISITORS: usize = 12;

async fn soak(app: TestApp, flavour: &str) {
    let mut visitors = Vec::new();
    for (i, login) in ROLES.iter().cycle().take(SOAK_VISITORS).enumerate() {
        visitors.push((i, logged_in(&app, login).await));
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let base = Arc::new(app.base.clone());
    let mut tasks = Vec::new();
    for (i, client) in visitors {
        let (next, base) = (next.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let mut failed = Vec::new();
            let mut slowest = Duration::ZERO;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= SOAK_PAGES {
                    break;
                }
                let path = PAGES[(n / SOAK_VISITORS + i) % PAGES.len()];
                let language = LANGUAGES[(n / 7) % 3];
                let asked = Instant::now();
                if let Err(err) = page(&client, &format!("{base}{path}"), language).await {
                    failed.push(err);
                }
                slowest = slowest.max(asked.elapsed());
            }
            (failed, slowest)
        }));
    }
    let mut failed = Vec::new();
    let mut slowest = Duration::ZERO;
    for task in tasks {
        let (f, s) = task.await.unwrap();
        failed.extend(f);
        slowest = slowest.max(s);
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "soak ({flavour}): {SOAK_PAGES} pages by {SOAK_VISITORS} visitors in {seconds:.0} s \
         ({:.0} pages/s), slowest {} ms, {} not answered in {} s",
        SOAK_PAGES as f64 / seconds,
        slowest.as_millis(),
        failed.len(),
        DEADLINE.as_secs()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "on demand: 50,000 pages (about 10 minutes in a debug build)"]
async fn soak_current_thread() {
    soak(
        common::spawn(Backend::Sqlite).await.unwrap(),
        "current-thread",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "on demand: 50,000 pages (about 10 minutes in a debug build)"]
async fn soak_multi_thread() {
    soak(
        common::spawn(Backend::Sqlite).await.unwrap(),
        "multi-thread",
    )
    .await;
}
