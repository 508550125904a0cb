//! Wires Sabak together: configuration, database, sessions, routes, static files.
//! All product code lives in the `app` crate.

pub mod backup;
pub mod config;
pub mod csrf;
pub mod exports;
pub mod feedback;
pub mod ical;
pub mod live;
pub mod mailer;
pub mod materials;
pub mod precompress;
pub mod session_store;
pub mod tasks;

use app::db::Db;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::collections::HashMap;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::{Cli, Command, Config};

/// Opens (and creates) the database and brings its schema up to date.
pub async fn open_database(config: &Config) -> Result<Db, String> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "cannot create the data folder {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let mut db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    if !config.read_cache {
        db = db.without_read_cache();
    }
    Ok(db)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let mut options = LeptosOptions::builder().output_name("sabak").build();
    options.site_root = config.site_root.display().to_string().into();
    options.site_pkg_dir = "pkg".into();
    options.site_addr = config.addr;
    options
}

/// What every request reaches: the database, Leptos options, and the live-event hub (which on
/// PostgreSQL listens for the other replicas' events).
pub fn app_state(config: &Config, db: Db) -> AppState {
    let live = app::live::LiveHub::default();
    if db.backend == app::db::Backend::Postgres {
        live.listen_postgres(config.database_url());
    }
    AppState {
        db,
        leptos_options: leptos_options(config),
        trust_proxy: config.trust_proxy,
        live,
        mail_enabled: config.smtp_url.is_some(),
    }
}

/// The app's routes, generated once per process. Generating renders the app with resource
/// loading switched off by a process-wide flag (`leptos_server::SuppressResourceLoad`); a page of
/// another router whose resource is first polled meanwhile would wait forever
/// (leptos-rs/leptos#4773). One server builds one router before it serves, but the test suite
/// builds many in one process while others serve: that was the stall of issues 7 and 19.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole HTTP application for one database: pages, server functions, files, sessions.
pub fn router(state: AppState, secure_cookies: bool) -> Router {
    let routes = route_list();
    let store = session_store::DbSessionStore::new(state.db.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name("sabak_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));
    let leptos_state = state.clone();
    let options = state.leptos_options.clone();
    let pkg = std::path::Path::new(&*options.site_root).join("pkg");
    app::shell::assets::init(&pkg);
    Router::new()
        .route("/lang/{code}", get(set_language))
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(cache_static_files))
                .service(tower_http::services::ServeDir::new(&pkg).precompressed_br()),
        )
        .route("/live/timer", get(live::timer_events))
        .route("/live/contest", get(live::contest_events))
        .route("/contest/export/{file}", get(exports::contest_export))
        .route("/journal/export.csv", get(exports::journal_export))
        .route("/ical/{file}", get(ical::feed))
        .route(
            "/materials/upload",
            post(materials::upload)
                .layer(axum::extract::DefaultBodyLimit::max(materials::BODY_LIMIT)),
        )
        .route("/materials/{id}", get(materials::download))
        .route("/materials/{id}/delete", post(materials::delete))
        .route(
            "/tasks/submit",
            post(tasks::submit).layer(axum::extract::DefaultBodyLimit::max(tasks::BODY_LIMIT)),
        )
        .route(
            "/tasks/review",
            post(tasks::review).layer(axum::extract::DefaultBodyLimit::max(tasks::BODY_LIMIT)),
        )
        .route("/tasks/files/{id}", get(tasks::download))
        .route(
            "/feedback/answer",
            post(feedback::answer)
                .layer(axum::extract::DefaultBodyLimit::max(feedback::BODY_LIMIT)),
        )
        .route("/feedback/audio/{id}", get(feedback::audio))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(leptos_state.clone());
                provide_context(app::accounts::auth::RequestUser::default());
                provide_context(app::cache::RequestVersion::default());
            },
            move || app::shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(axum::middleware::from_fn(refuse_control_characters))
        .layer(axum::middleware::from_fn(csrf::refuse_cross_site))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state.trust_proxy,
            secure_cookies_over_https,
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .with_state(state)
}

/// Whether a request reached the site over HTTPS: behind our own proxy, as it reports it.
fn reached_over_https(trust_proxy: bool, headers: &axum::http::HeaderMap) -> bool {
    trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// Cookies set on a page reached over HTTPS are marked Secure, even where
/// `SABAK_SECURE_COOKIES` was forgotten: a session cookie must never travel in clear text.
async fn secure_cookies_over_https(
    State(trust_proxy): State<bool>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let https = reached_over_https(trust_proxy, request.headers());
    let mut response = next.run(request).await;
    if https {
        let cookies: Vec<HeaderValue> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        if !cookies.is_empty() {
            response.headers_mut().remove(header::SET_COOKIE);
            for cookie in cookies {
                let text = cookie.to_str().unwrap_or_default();
                let secure = text
                    .split(';')
                    .any(|part| part.trim().eq_ignore_ascii_case("secure"));
                let value = if secure {
                    cookie
                } else {
                    HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
                };
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    response
}

/// Static files are named with their version (`?v=` and the first digits of their SHA-256, see
/// `app::shell::assets`): such an address never changes its contents, so browsers keep it for a
/// year and a repeat visit fetches only the page. Without a version, they ask again each time.
async fn cache_static_files(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let versioned = request
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|pair| pair.starts_with("v=")));
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let policy = if versioned {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

async fn readiness(State(state): State<AppState>) -> StatusCode {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Whether form-encoded bytes, once decoded, hold a control character no person types (NUL and
/// the other C0 codes but tab and line breaks, and DEL). PostgreSQL cannot even store NUL.
fn has_control_characters(encoded: &[u8]) -> bool {
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16)).map(|d| d as u8);
    let mut i = 0;
    while i < encoded.len() {
        let mut byte = encoded[i];
        if byte == b'%' {
            if let (Some(high), Some(low)) = (hex(encoded.get(i + 1)), hex(encoded.get(i + 2))) {
                byte = high * 16 + low;
                i += 2;
            }
        }
        if (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f {
            return true;
        }
        i += 1;
    }
    false
}

/// Refuses, with a clear 400 and before any handler runs, a server function call whose
/// arguments carry control characters (see `has_control_characters`).
async fn refuse_control_characters(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let refusal = || {
        let err = app::error::AppError::invalid(
            app::error::Field::Request,
            app::error::Reason::BadFormat,
        );
        (StatusCode::BAD_REQUEST, axum::Json(err)).into_response()
    };
    if request
        .uri()
        .query()
        .is_some_and(|q| has_control_characters(q.as_bytes()))
    {
        return refusal();
    }
    let (parts, body) = request.into_parts();
    // Server function forms are small; anything bigger than this is refused anyway.
    let Ok(bytes) = axum::body::to_bytes(body, 4 << 20).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if has_control_characters(&bytes) {
        return refusal();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Gives a server function's error the HTTP status the error stands for (server_fn answers
/// every error with 500; a refused input is the caller's 4xx), and makes sure no text other
/// than our own error type ever leaves in an error body.
async fn server_fn_error_status(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let err = serde_json::from_slice::<app::error::AppError>(&bytes).unwrap_or_else(|_| {
        tracing::error!(body = %String::from_utf8_lossy(&bytes), "server function failed");
        app::error::AppError::Internal
    });
    parts.status =
        StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(
        parts,
        Body::from(serde_json::to_vec(&err).unwrap_or_default()),
    )
}

/// `/lang/ru?back=/admin/users`: remembers the language for a year and goes back, without JavaScript.
async fn set_language(
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !["ky", "ru", "en"].contains(&code.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let back = app::accounts::rules::safe_next(query.get("back").map(String::as_str));
    let cookie = format!("i18n_pref_locale={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, back)
        .header(header::SET_COOKIE, cookie)
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Serves until Ctrl-C or SIGTERM, letting requests in flight finish.
pub async fn serve(config: Config, db: Db) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let state = app_state(&config, db.clone());
    let live = state.live.clone();
    let app = router(state, config.secure_cookies);
    if let (Some(url), Some(from)) = (&config.smtp_url, &config.smtp_from) {
        match mailer::Mailer::new(url, from) {
            Ok(mailer) => mailer::spawn_sender(db.clone(), mailer),
            Err(reason) => tracing::error!(%reason, "e-mail is off"),
        }
    }
    spawn_session_cleanup(db);
    let pkg = config.site_root.join("pkg");
    tokio::task::spawn_blocking(move || match precompress::precompress_dir(&pkg) {
        Ok(n) => tracing::info!(files = n, "brotli copies of static files ready"),
        Err(err) => tracing::warn!(%err, dir = %pkg.display(), "no brotli copies of static files"),
    });
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    // Without TCP_NODELAY every streamed page waits ~40 ms on Nagle's algorithm.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests, closing live streams");
        live.close();
    })
    .await
}

fn spawn_session_cleanup(db: Db) {
    tokio::spawn(async move {
        let store = session_store::DbSessionStore::new(db);
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(err) = store.delete_expired().await {
                tracing::warn!(%err, "expired session cleanup failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod control_character_tests {
    use super::has_control_characters;

    #[test]
    fn control_characters_are_found_encoded_or_not() {
        assert!(has_control_characters(b"topic=a%00b"));
        assert!(has_control_characters(b"topic=%1b%5B2J"));
        assert!(has_control_characters(b"topic=%7F"));
        assert!(has_control_characters(b"topic=a\x00b"));
        // Line breaks, tabs, Cyrillic (UTF-8 percent-encoded) and a stray % are fine.
        assert!(!has_control_characters(b"body=%D0%A1%D0%B0%0D%0A%09ok"));
        assert!(!has_control_characters(b"q=100%25&x=%"));
        assert!(!has_control_characters(b"q=%zz"));
    }
}
