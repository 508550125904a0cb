//! Lesson materials over HTTP: `POST /materials/upload` (a multipart form with `lesson_id`,
//! `date`, `file` and an optional `back` page; it works without JavaScript), `GET
//! /materials/{id}` to read one, `POST /materials/{id}/delete`. The rules are in
//! `app::timetable::materials`; this only moves bytes.

use crate::live::{refused, Caller};
use app::error::{AppError, Field, Reason};
use app::state::AppState;
use app::timetable::rules::MATERIAL_MAX_BYTES;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};

/// Where a browser goes back to: a page of ours (a path), else the timetable.
fn back_page(raw: &str) -> String {
    if raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\') {
        raw.to_string()
    } else {
        "/timetable".to_string()
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// A browser's form goes back with `saved=1` or `error=…`; a script gets JSON.
fn answer(
    headers: &HeaderMap,
    back: &str,
    result: Result<serde_json::Value, AppError>,
) -> Response {
    let sep = if back.contains('?') { '&' } else { '?' };
    answer_to(headers, &format!("{back}{sep}saved=1"), back, result)
}

/// A browser's multipart form goes to `done`, or back to `back` with `error=…`; a script gets
/// JSON.
pub fn answer_to(
    headers: &HeaderMap,
    done: &str,
    back: &str,
    result: Result<serde_json::Value, AppError>,
) -> Response {
    let sep = if back.contains('?') { '&' } else { '?' };
    match (result, wants_json(headers)) {
        (Ok(body), true) => axum::Json(body).into_response(),
        (Err(err), true) => refused(err),
        (Ok(_), false) => Redirect::to(done).into_response(),
        (Err(err), false) => match err {
            AppError::NotLoggedIn | AppError::Internal => refused(err),
            err => {
                Redirect::to(&format!("{back}{sep}error={}", err.to_query_value())).into_response()
            }
        },
    }
}

/// One upload, read field by field; the file is read in chunks and refused once over the cap.
async fn read_upload(
    multipart: &mut Multipart,
) -> Result<(Option<i64>, String, String, Vec<u8>, String), AppError> {
    let bad = || AppError::invalid(Field::Material, Reason::BadFormat);
    let (mut lesson, mut date, mut name, mut bytes, mut back) = (
        None,
        String::new(),
        String::new(),
        Vec::new(),
        String::new(),
    );
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or("") {
            "file" => {
                name = field.file_name().unwrap_or("").to_string();
                while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
                    if bytes.len() + chunk.len() > MATERIAL_MAX_BYTES {
                        return Err(AppError::invalid(Field::Material, Reason::TooLong));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            "lesson_id" => lesson = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
            "date" => date = field.text().await.unwrap_or_default(),
            "back" => back = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    Ok((lesson, date, name, bytes, back))
}

pub async fn upload(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let (lesson, date, name, bytes, back) = match read_upload(&mut multipart).await {
        Ok(parts) => parts,
        Err(err) => return answer(&headers, "/timetable", Err(err)),
    };
    let back = back_page(&back);
    let result = match lesson {
        None => Err(AppError::invalid(Field::Lesson, Reason::BadFormat)),
        Some(lesson) => {
            app::timetable::materials::upload(&state.db, &me, lesson, date.trim(), &name, &bytes)
                .await
        }
    };
    answer(
        &headers,
        &back,
        result.map(|id| serde_json::json!({ "id": id })),
    )
}

pub async fn download(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<i64>,
) -> Response {
    match app::timetable::materials::download(&state.db, &me, id).await {
        Ok(file) => serve_file(file.data, &file.mime, &file.file_name),
        Err(err) => refused(err),
    }
}

/// A stored file as the browser gets it: the type its content showed on upload, and a sandbox
/// so that it may not run anything of its own (`nosniff` comes with every response).
pub fn serve_file(data: Vec<u8>, mime: &str, file_name: &str) -> Response {
    let mut response = data.into_response();
    let headers = response.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; media-src 'self'; object-src 'self'; sandbox",
        ),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    let name = app::ui::format::url_encode(file_name);
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename*=UTF-8''{name}")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
    back: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DeleteForm>,
) -> Response {
    let back = back_page(form.back.as_deref().unwrap_or(""));
    let result = app::timetable::materials::remove(&state.db, &me, id).await;
    answer(&headers, &back, result.map(|()| serde_json::json!({})))
}

/// Uploads may be a little over the cap (the form's other fields): refuse the rest early.
pub const BODY_LIMIT: usize = MATERIAL_MAX_BYTES + 64 * 1024;
