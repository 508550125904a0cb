//! What every server function reaches through the Leptos context (server only).

use crate::db::Db;
use crate::error::{AppError, AppResult};
use leptos::prelude::*;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address (login throttling).
    pub trust_proxy: bool,
    /// Live events (timers) to the pages following a class, across replicas.
    pub live: crate::live::LiveHub,
    /// SMTP is configured: notices are also mailed (through the outbox).
    pub mail_enabled: bool,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(missing_state)
}

/// The database, taken from the context without copying the rest of the state.
pub fn db() -> AppResult<Db> {
    with_context(|state: &AppState| state.db.clone()).ok_or_else(missing_state)
}

fn missing_state() -> AppError {
    tracing::error!("AppState missing from the Leptos context");
    AppError::Internal
}
