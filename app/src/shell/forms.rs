//! How plain HTML forms are answered (server only): a browser's post, with or without
//! JavaScript, goes on to the next page, or back to the form with the reason when refused;
//! a script asking for JSON gets the error itself, with its 4xx status.

use crate::error::{AppError, AppResult};
use leptos::prelude::use_context;

/// Whether this request is a browser's form post (it accepts HTML), not a script's call.
pub fn is_browser_form() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

pub fn answer_form_to(result: AppResult<()>, done: &str, back: &str) -> AppResult<()> {
    let browser_form = is_browser_form();
    match result {
        Ok(()) => {
            leptos_axum::redirect(done);
            Ok(())
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Forbidden | AppError::NotFound))
            if browser_form =>
        {
            crate::accounts::api::ssr::back_with_error(back, &err);
            Ok(())
        }
        Err(err) => Err(err),
    }
}
