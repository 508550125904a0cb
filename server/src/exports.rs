//! Contest downloads: `/contest/export/{protocol.csv|protocol.pdf|diplomas.pdf}?nomination=ID&lang=ky`.
//! The protocol follows the results page's rule (the organiser at any time, everyone after the
//! announcement, experts numbered); diplomas are the organiser's, once the results are frozen.

use crate::live::{caller, refused, Caller};
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
    let locale = locale_of(query.lang.as_deref());
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
            // Frozen results never change but by a correction, which gives a new fingerprint:
            // the PDF of a fingerprint is built once, not on every public download.
            let key = page.frozen.as_ref().map(|f| {
                format!(
                    "{}/{nomination}/{locale:?}/{file}/{}",
                    f.sha256, page.organiser
                )
            });
            let build = move || {
                if diplomas {
                    app::contest::export::diplomas_pdf(&page, nomination, locale)
                } else {
                    app::contest::export::protocol_pdf(&page, nomination, locale)
                }
            };
            match key {
                Some(key) => PDFS.get_or_build(key, build).await,
                None => built_off_thread(build).await,
            }
            .map(|pdf| ("application/pdf", pdf.to_vec()))
        }
        _ => Err(AppError::NotFound),
    };
    match made {
        Ok((kind, body)) => attachment(kind, &format!("contest-{nomination}-{file}"), body),
        Err(err) => refused(err),
    }
}

fn locale_of(lang: Option<&str>) -> Locale {
    match lang {
        Some("ru") => Locale::ru,
        Some("en") => Locale::en,
        _ => Locale::ky,
    }
}

/// A download: its type and a file name of ours (ASCII, never input).
fn attachment(kind: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[derive(Deserialize)]
pub struct JournalQuery {
    class: Option<i64>,
    subject: Option<i64>,
    lang: Option<String>,
}

/// `/journal/export.csv?class=ID&subject=ID&lang=ky`: the journal page's grades as a
/// spreadsheet, for whoever may open that page (others get what the page would answer them).
pub async fn journal_export(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(query): Query<JournalQuery>,
) -> Response {
    let page = match app::assignments::api::journal_for(&state.db, &me, query.class, query.subject)
        .await
    {
        Ok(page) => page,
        Err(err) => return refused(err),
    };
    let locale = locale_of(query.lang.as_deref());
    match (
        app::assignments::export::journal_csv(&page, locale),
        page.chosen,
    ) {
        (Some(csv), Some(chosen)) => attachment(
            "text/csv; charset=utf-8",
            &format!("journal-{}-{}.csv", chosen.class_id, chosen.subject_id),
            csv.into_bytes(),
        ),
        _ => refused(AppError::NotFound),
    }
}

/// PDF layout is CPU work: keep it off the request threads.
async fn built_off_thread(
    build: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
) -> Result<std::sync::Arc<[u8]>, AppError> {
    tokio::task::spawn_blocking(build)
        .await
        .unwrap_or(Err(AppError::Internal))
        .map(Into::into)
}

/// The PDFs of frozen results, by fingerprint, nomination, language, file and audience. Small
/// (a few per edition): when full it starts over rather than tracking use.
struct PdfCache {
    built: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<[u8]>>>,
}

const PDF_CACHE_MAX: usize = 64;

static PDFS: std::sync::LazyLock<PdfCache> = std::sync::LazyLock::new(PdfCache::new);

impl PdfCache {
    fn new() -> PdfCache {
        PdfCache {
            built: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    async fn get_or_build(
        &self,
        key: String,
        build: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
    ) -> Result<std::sync::Arc<[u8]>, AppError> {
        let lock = || self.built.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pdf) = lock().get(&key) {
            return Ok(pdf.clone());
        }
        let pdf = built_off_thread(build).await?;
        let mut built = lock();
        if built.len() >= PDF_CACHE_MAX {
            built.clear();
        }
        built.insert(key, pdf.clone());
        Ok(pdf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn a_frozen_pdf_is_built_once_per_key() {
        let cache = PdfCache::new();
        let builds = Arc::new(AtomicUsize::new(0));
        let build = |text: &'static str| {
            let builds = builds.clone();
            move || {
                builds.fetch_add(1, Ordering::SeqCst);
                Ok(text.as_bytes().to_vec())
            }
        };
        let first = cache
            .get_or_build("sha-a/1/ky".into(), build("A"))
            .await
            .unwrap();
        let again = cache
            .get_or_build("sha-a/1/ky".into(), build("A"))
            .await
            .unwrap();
        assert_eq!((&*first, &*again), (&b"A"[..], &b"A"[..]));
        assert_eq!(
            builds.load(Ordering::SeqCst),
            1,
            "the second download was not rebuilt"
        );
        // A correction gives a new fingerprint: a new PDF.
        let corrected = cache
            .get_or_build("sha-b/1/ky".into(), build("B"))
            .await
            .unwrap();
        assert_eq!(&*corrected, b"B");
        assert_eq!(builds.load(Ordering::SeqCst), 2);
        // A failed build is not kept.
        let failed = cache
            .get_or_build("sha-c/1/ky".into(), || Err(AppError::Internal))
            .await;
        assert!(failed.is_err());
        assert!(!cache.built.lock().unwrap().contains_key("sha-c/1/ky"));
    }
}
