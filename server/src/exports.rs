//! Contest downloads: `/contest/export/{protocol.csv|protocol.pdf|diplomas.pdf}?nomination=ID&lang=ky`.
//! The protocol follows the results page's rule (the organiser at any time, everyone after the
//! announcement, experts numbered); diplomas are the organiser's, once the results are frozen.

use crate::live::{caller, refused};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct ExportQuery {
    nomination: i64,
    lang: Option<String>,
}

pub async fn contest_export(
    State(state): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Response {
    // Logged out is allowed here: the published protocol is public.
    let me = caller(&state, &session).await.ok();
    let locale = match query.lang.as_deref() {
        Some("ru") => Locale::ru,
        Some("en") => Locale::en,
        _ => Locale::ky,
    };
    let page = match app::contest::api::results_for(&state.db, me.as_ref()).await {
        Ok(page) => page,
        Err(err) => return refused(err),
    };
    let organiser = me
        .as_ref()
        .is_some_and(|m| m.has(app::accounts::Role::Organiser));
    let nomination = query.nomination;
    let made = match file.as_str() {
        "protocol.csv" => app::contest::export::protocol_csv(&page, nomination, locale)
            .map(|csv| ("text/csv; charset=utf-8", csv.into_bytes())),
        "protocol.pdf" | "diplomas.pdf" => {
            if file == "diplomas.pdf" && !organiser {
                return refused(AppError::Forbidden);
            }
            let diplomas = file == "diplomas.pdf";
            // PDF layout is CPU work: keep it off the request threads.
            tokio::task::spawn_blocking(move || {
                if diplomas {
                    app::contest::export::diplomas_pdf(&page, nomination, locale)
                } else {
                    app::contest::export::protocol_pdf(&page, nomination, locale)
                }
            })
            .await
            .unwrap_or(Err(AppError::Internal))
            .map(|pdf| ("application/pdf", pdf))
        }
        _ => Err(AppError::NotFound),
    };
    match made {
        Ok((kind, body)) => {
            let name = format!("attachment; filename=\"contest-{nomination}-{file}\"");
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            if let Ok(value) = HeaderValue::from_str(&name) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(err) => refused(err),
    }
}
