//! Who is calling: the session's person, their roles, their address (server only).

use super::{store, Me, Role};
use crate::error::{AppError, AppResult};
use crate::state::{app_state, db};
use tower_sessions::Session;

/// The session key holding the logged-in person's id.
pub const SESSION_USER: &str = "uid";

pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(%err, "no session layer on this request");
        AppError::Internal
    })
}

/// The caller, looked up once per request: a page's components and the server functions they
/// call all ask for it, and each lookup costs several queries.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<Me>>>);

pub async fn current_user() -> AppResult<Option<Me>> {
    match leptos::prelude::use_context::<RequestUser>() {
        Some(cache) => cache.0.get_or_try_init(load_current_user).await.cloned(),
        None => load_current_user().await,
    }
}

async fn load_current_user() -> AppResult<Option<Me>> {
    let session = session().await?;
    let uid: Option<i64> = session.get(SESSION_USER).await.map_err(|err| {
        tracing::error!(%err, "session read failed");
        AppError::Internal
    })?;
    if let Ok(Some(versions)) = session.get(crate::cache::SESSION_VERSION).await {
        crate::cache::seed_request_version(versions);
    }
    match uid {
        Some(uid) => store::load_me(&db()?, uid).await,
        None => Ok(None),
    }
}

pub async fn require_user() -> AppResult<Me> {
    current_user().await?.ok_or(AppError::NotLoggedIn)
}

pub async fn require(role: Role) -> AppResult<Me> {
    let me = require_user().await?;
    if me.has(role) {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller's address, for throttling. Behind a trusted proxy, the last hop it added.
pub fn client_ip() -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return "unknown".into();
    };
    let trust_proxy = app_state().map(|s| s.trust_proxy).unwrap_or(false);
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_string());
        if let Some(ip) = forwarded.filter(|ip| !ip.is_empty()) {
            return ip;
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
