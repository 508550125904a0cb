//! A real Sabak server on a free loopback port, over a fresh database of either backend,
//! seeded with the demo school, and an HTTP client that keeps cookies like a browser.
#![allow(dead_code)]

pub mod process;
pub mod smtp;

use app::db::Db;
use clap::Parser;
use reqwest::{redirect::Policy, Client, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;

pub const PASSWORD: &str = app::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The database URL, for a second replica on the same database.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Fresh database per test: a temp SQLite file, or a new database in the test PostgreSQL cluster.
pub async fn database_url(backend: Backend) -> Option<(String, Option<tempfile::TempDir>)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("sabak.db").display()
            );
            Some((url, Some(dir)))
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var("SABAK_TEST_PG_URL") else {
                if std::env::var("SABAK_SKIP_PG").is_ok() {
                    eprintln!("SABAK_SKIP_PG set: PostgreSQL test skipped");
                    return None;
                }
                panic!("SABAK_TEST_PG_URL is not set: run the suite with `make test`, or set SABAK_SKIP_PG=1 to skip PostgreSQL");
            };
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&admin_url)
                .await
                .expect("connect to the test PostgreSQL");
            let name = format!("sabak_t_{}_{}", std::process::id(), rand_suffix());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            Some((format!("{base}/{name}"), None))
        }
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos * 1000 + COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Every test server's clock starts on this week's Wednesday at 08:35 (Bishkek) and runs on from
/// there: the demo timetable has lessons "today" whatever day the suite runs on.
pub fn start_on_wednesday() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use app::timetable::rules;
        let today = app::db::bishkek_day(app::db::now());
        let monday = rules::monday_of(rules::days_from_civil(
            today.year,
            today.month as u32,
            today.day as u32,
        ));
        let wednesday = rules::iso_date(monday + 2);
        let start = app::db::parse_bishkek_minute(&format!("{wednesday}T08:35")).unwrap();
        app::db::start_clock_at(start);
    });
}

/// The Monday of the week the test clock starts in (ISO), for writes that must fall in the
/// pages' default periods whatever day the suite runs on.
pub fn clock_monday() -> String {
    use app::timetable::rules;
    start_on_wednesday();
    let today = app::db::bishkek_day(app::db::now());
    let day = rules::days_from_civil(today.year, today.month as u32, today.day as u32);
    rules::iso_date(rules::monday_of(day))
}

pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, &[]).await
}

/// The sender address test servers mail from.
pub const MAIL_FROM: &str = "Sabak <noreply@sabak.test>";

/// A test server that mails notices through this SMTP URL (its outbox is filled; tests run the
/// sender themselves with `sabak_server::mailer::deliver_due`, stepping the clock).
pub async fn spawn_with_mail(backend: Backend, smtp_url: &str) -> Option<TestApp> {
    spawn_with(backend, &["--smtp-url", smtp_url, "--smtp-from", MAIL_FROM]).await
}

async fn spawn_with(backend: Backend, flags: &[&str]) -> Option<TestApp> {
    start_on_wednesday();
    let (url, dir) = database_url(backend).await?;
    Some(serve(url, dir, true, flags).await)
}

/// Another server replica on the same database (no seeding): what a load balancer spreads over.
pub async fn replica(app: &TestApp) -> TestApp {
    serve(app.url.clone(), None, false, &[]).await
}

/// A replica with its own flags (e.g. behind a proxy: `--trust-proxy true`).
pub async fn replica_with(app: &TestApp, flags: &[&str]) -> TestApp {
    serve(app.url.clone(), None, false, flags).await
}

async fn serve(url: String, dir: Option<tempfile::TempDir>, seed: bool, flags: &[&str]) -> TestApp {
    let mut args = vec!["sabak", "--addr", "127.0.0.1:0", "--database-url", &url];
    args.extend_from_slice(flags);
    let config = sabak_server::Cli::try_parse_from(args)
        .expect("config")
        .config;
    let db = sabak_server::open_database(&config)
        .await
        .expect("open database");
    if seed {
        app::demo::seed(&db).await.expect("seed demo school");
    }
    let state = sabak_server::app_state(&config, db.clone());
    let router = sabak_server::router(state, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        url,
        _dir: dir,
    }
}

/// A scenario that has not finished by then is stuck: fail it with its name rather than let the
/// suite hang until CI gives up.
pub const SCENARIO_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);

/// Runs one scenario against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let app = common::spawn(common::Backend::Sqlite).await.unwrap();
                tokio::time::timeout(common::SCENARIO_LIMIT, ($scenario)(app))
                    .await
                    .expect("the scenario did not finish in time (SQLite)");
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = common::spawn(common::Backend::Postgres).await {
                    tokio::time::timeout(common::SCENARIO_LIMIT, ($scenario)(app))
                        .await
                        .expect("the scenario did not finish in time (PostgreSQL)");
                }
            }
        }
    };
}

/// A browser-like visitor: keeps cookies, does not follow redirects (tests look at them).
pub struct Visitor {
    pub client: Client,
    pub base: String,
}

pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub fn visitor(&self) -> Visitor {
        // A request the server never answers fails the test with its URL (60 s), not a hang.
        Visitor::new(&self.base)
    }

    pub async fn logged_in(&self, login: &str) -> Visitor {
        let visitor = self.visitor();
        let answer = visitor.login(login, PASSWORD).await;
        assert_eq!(
            answer.location.as_deref(),
            Some("/"),
            "login as {login} failed: {:?}",
            answer.location
        );
        visitor
    }
}

impl Visitor {
    /// A visitor of any server (e.g. a `sabak` process a test started itself).
    pub fn new(base: &str) -> Visitor {
        Visitor {
            client: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            base: base.to_string(),
        }
    }

    /// Calls a server function the way the hydrated page does (form-encoded POST, JSON back).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request");
        Self::answer(response).await
    }

    /// Posts a plain HTML form, the way a browser without JavaScript does.
    pub async fn submit(&self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "text/html")
            .form(form)
            .send()
            .await
            .expect("request");
        Self::answer(response).await
    }

    /// A page, as a browser asks for it. A page not answered in 20 s fails the test: the stall
    /// of issues 7 and 19 is explained and fixed (see `tests/stall.rs`), so a new one must show.
    pub async fn get(&self, path: &str, accept_language: &str) -> Answer {
        let url = format!("{}{path}", self.base);
        let response = self
            .client
            .get(&url)
            .header("accept", "text/html")
            .header("accept-language", accept_language)
            .timeout(std::time::Duration::from_secs(20))
            .send()
            .await
            .unwrap_or_else(|err| panic!("GET {url} ({accept_language}): {err}"));
        Self::answer(response).await
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let set_cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            location,
            set_cookie,
            body,
            text,
        }
    }

    pub async fn login(&self, login: &str, password: &str) -> Answer {
        self.submit("login", &[("login", login), ("password", password)])
            .await
    }

    pub async fn me(&self) -> Value {
        let answer = self.call("me", &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "me failed: {}", answer.text);
        answer.body
    }
}

/// The `error` query value a plain form was sent back with, decoded.
pub fn error_in_location(location: &str) -> Option<app::error::AppError> {
    let query = location.split_once('?')?.1;
    let value = query.split('&').find_map(|kv| kv.strip_prefix("error="))?;
    let decoded = percent_decode(value);
    app::error::AppError::from_query_value(&decoded)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A server-sent event stream read like a browser's EventSource does.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl Visitor {
    /// Opens `path` as an event stream; `Err` carries the refusal's status.
    pub async fn events(&self, path: &str) -> Result<EventStream, StatusCode> {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("request");
        if response.status() != StatusCode::OK {
            return Err(response.status());
        }
        Ok(EventStream {
            response,
            buffer: String::new(),
        })
    }
}

impl EventStream {
    /// Whether the server ends the stream within `wait` (events and keep-alives are read past).
    pub async fn ends_within(&mut self, wait: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return false,
                Ok(Ok(None)) | Ok(Err(_)) => return true,
                Ok(Ok(Some(_))) => continue,
            }
        }
    }

    /// The next event's data as JSON, or `None` if none comes within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = block
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return serde_json::from_str(&data.join("\n")).ok();
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// The id of the demo class (or group) with this name.
pub async fn class_id(app: &TestApp, name: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM classes WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// The single number a `SELECT COUNT(*) …` (or any one-integer query) answers.
pub async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
    n
}

/// The id of the demo user with this login.
pub async fn user_id(app: &TestApp, login: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// The typed error a refused call carried.
pub fn app_error(answer: &Answer) -> app::error::AppError {
    serde_json::from_value(answer.body.clone())
        .unwrap_or_else(|_| panic!("not an AppError: {} {}", answer.status, answer.text))
}

/// The call went through (a JSON answer, or a form's redirect).
pub fn accepted(answer: &Answer) {
    assert!(
        answer.status.is_success() || answer.status.is_redirection(),
        "refused: {} {}",
        answer.status,
        answer.text
    );
}

/// The call was refused as bad input, for this field and reason.
pub fn refused(answer: &Answer, field: app::error::Field, reason: app::error::Reason) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert_eq!(
        app_error(answer),
        app::error::AppError::invalid(field, reason)
    );
}

/// The events of an iCalendar text (panics if it does not parse).
pub fn calendar_events(text: &str) -> Vec<icalendar::Event> {
    let calendar: icalendar::Calendar = text.parse().expect("a valid iCalendar");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The organiser's contest settings form: the eight dates (days from `today`, in the
/// regulation's order) and the three numbers.
pub fn contest_settings_form(
    today: i64,
    offsets: [i64; 8],
    min_experts: &str,
    experts_per_nomination: &str,
) -> Vec<(String, String)> {
    let names = [
        "apply_opens",
        "apply_closes",
        "experts_by",
        "judging_opens",
        "judging_closes",
        "announce_on",
        "awards_from",
        "awards_until",
    ];
    let mut form: Vec<(String, String)> = names
        .iter()
        .zip(offsets)
        .map(|(n, o)| (n.to_string(), app::timetable::rules::iso_date(today + o)))
        .collect();
    form.push(("min_experts".into(), min_experts.into()));
    form.push((
        "experts_per_nomination".into(),
        experts_per_nomination.into(),
    ));
    form.push(("spread_limit".into(), "10".into()));
    form
}

/// Calls a server function with owned field names and values.
pub async fn call_owned(v: &Visitor, endpoint: &str, form: &[(String, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.call(endpoint, &pairs).await
}

/// Posts a multipart form (a page's form with files) as a script (JSON back) would.
pub async fn post_form(v: &Visitor, path: &str, form: reqwest::multipart::Form) -> Answer {
    let response = v
        .client
        .post(format!("{}{path}", v.base))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .expect("post");
    Visitor::answer(response).await
}

pub fn file(name: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string())
}
