//! A teacher's answer to lesson feedback with a recording, for the inbox's plain form
//! (multipart, so it works without JavaScript): `POST /feedback/answer`, and `GET
//! /feedback/audio/{id}` to play it. The rules are in `app::feedback::api`; this only moves bytes.

use crate::live::{refused, Caller};
use crate::materials::{answer_to, serve_file};
use crate::tasks::{form_or_refusal, number};
use app::error::{AppError, Field, Reason};
use app::feedback::api::{answer_audio, answer_with, FEEDBACK_PAGE};
use app::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

/// The text and at most one recording: the recorder's, or a file picked instead.
pub const BODY_LIMIT: usize = app::assignments::rules::FILE_MAX_BYTES + 256 * 1024;

pub async fn answer(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let (fields, files) = match form_or_refusal(&headers, &mut multipart, FEEDBACK_PAGE).await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let refuse = |err| answer_to(&headers, FEEDBACK_PAGE, FEEDBACK_PAGE, Err(err));
    let Some(feedback_id) = number(&fields, "feedback_id") else {
        return refuse(AppError::invalid(Field::Answer, Reason::BadFormat));
    };
    if files.len() > 1 {
        return refuse(AppError::invalid(Field::File, Reason::TooManyRows));
    }
    let text = fields.get("answer").map(String::as_str).unwrap_or("");
    let audio = files.first().map(|(_, f)| f);
    let result = answer_with(&state.db, &me, feedback_id, text, audio).await;
    answer_to(
        &headers,
        &format!("{FEEDBACK_PAGE}?answered=1#feedback-{feedback_id}"),
        FEEDBACK_PAGE,
        result.map(|()| serde_json::json!({})),
    )
}

pub async fn audio(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<i64>,
) -> Response {
    match answer_audio(&state.db, &me, id).await {
        Ok(file) => serve_file(file.data, &file.mime, &format!("answer-{id}.webm")),
        Err(err) => refused(err),
    }
}
