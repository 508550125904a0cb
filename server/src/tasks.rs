//! Hand-ins and reviews with files over HTTP, for the pages' plain forms (multipart, so they
//! work without JavaScript): `POST /tasks/submit` (a student's text, photos, PDFs and an audio
//! answer), `POST /tasks/review` (the teacher's text and/or audio review), `GET
//! /tasks/files/{id}`. The rules are in `app::assignments::work`; this only moves bytes.

use crate::live::{refused, Caller};
use crate::materials::{answer_to, serve_file};
use app::assignments::rules::{FILES_PER_HAND_IN, FILE_MAX_BYTES};
use app::assignments::work::{self, ReviewForm, Upload};
use app::error::{AppError, Field, Reason};
use app::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;

/// A whole upload may carry this many files at their cap, and the form's text.
pub const BODY_LIMIT: usize = (FILES_PER_HAND_IN + 1) * FILE_MAX_BYTES + 256 * 1024;

/// The form's text fields and its files (empty file fields, as a browser sends for an unused
/// picker, are left out). Each file is read in chunks and refused once over the cap.
pub(crate) async fn read_form(
    multipart: &mut Multipart,
) -> Result<(HashMap<String, String>, Vec<(String, Upload)>), AppError> {
    let bad = || AppError::invalid(Field::File, Reason::BadFormat);
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
                    if bytes.len() + chunk.len() > FILE_MAX_BYTES {
                        return Err(AppError::invalid(Field::File, Reason::TooLong));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !(bytes.is_empty() && file_name.is_empty()) {
                    if files.len() > FILES_PER_HAND_IN {
                        return Err(AppError::invalid(Field::File, Reason::TooManyRows));
                    }
                    files.push((
                        name,
                        Upload {
                            name: file_name,
                            bytes,
                        },
                    ));
                }
            }
            None => {
                let text = field.text().await.map_err(|_| bad())?;
                fields.insert(name, text);
            }
        }
    }
    Ok((fields, files))
}

pub(crate) fn number(fields: &HashMap<String, String>, key: &str) -> Option<i64> {
    fields.get(key).and_then(|v| v.trim().parse().ok())
}

/// A multipart form's fields and files, or the answer that refuses it (back to `back`).
pub(crate) async fn form_or_refusal(
    headers: &HeaderMap,
    multipart: &mut Multipart,
    back: &str,
) -> Result<(HashMap<String, String>, Vec<(String, Upload)>), Response> {
    read_form(multipart)
        .await
        .map_err(|err| answer_to(headers, back, back, Err(err)))
}

pub async fn submit(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let (fields, files) = match form_or_refusal(&headers, &mut multipart, "/tasks").await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let Some(task_id) = number(&fields, "task_id") else {
        let err = AppError::invalid(Field::Task, Reason::BadFormat);
        return answer_to(&headers, "/tasks", "/tasks", Err(err));
    };
    let files: Vec<Upload> = files.into_iter().map(|(_, f)| f).collect();
    let body = fields.get("body").map(String::as_str).unwrap_or("");
    let result = work::hand_in(&state.db, &me, task_id, body, &files).await;
    answer_to(
        &headers,
        &format!("/tasks?saved=1#task-{task_id}"),
        "/tasks",
        result.map(|id| serde_json::json!({ "id": id })),
    )
}

pub async fn review(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let (fields, files) = match form_or_refusal(&headers, &mut multipart, "/tasks").await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let text = |key: &str| fields.get(key).map(String::as_str).unwrap_or("");
    let Some(hand_in_id) = number(&fields, "hand_in_id") else {
        let err = AppError::invalid(Field::Task, Reason::BadFormat);
        return answer_to(&headers, "/tasks", "/tasks", Err(err));
    };
    // One audio review at most: the recorder's, or a file picked instead.
    if files.len() > 1 {
        let err = AppError::invalid(Field::File, Reason::TooManyRows);
        return answer_to(&headers, "/tasks", "/tasks", Err(err));
    }
    let form = ReviewForm {
        hand_in_id,
        verdict: text("verdict"),
        grade: text("grade"),
        review: text("review"),
    };
    let reviewed = work::review(&state.db, &me, &form, files.first().map(|(_, f)| f)).await;
    let back = reviewed
        .task_id
        .map_or_else(|| "/tasks".to_string(), |id| format!("/tasks/{id}"));
    let done = match (reviewed.task_id, reviewed.student_id) {
        (Some(task), Some(student)) => format!("/tasks/{task}?saved=1#student-{student}"),
        _ => "/tasks?saved=1".to_string(),
    };
    answer_to(
        &headers,
        &done,
        &back,
        reviewed.result.map(|()| serde_json::json!({})),
    )
}

pub async fn download(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<i64>,
) -> Response {
    match work::file(&state.db, &me, id).await {
        Ok(file) => serve_file(file.data, &file.mime, &file.file_name),
        Err(err) => refused(err),
    }
}
