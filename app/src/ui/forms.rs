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

/// The page a plain form was posted from (its Referer, on this site only), without the outcome
/// of an earlier post in its query; `default` when there is none.
pub fn posted_from(default: &str) -> String {
    let referer = use_context::<http::request::Parts>().and_then(|parts| {
        let value = parts.headers.get(http::header::REFERER)?.to_str().ok()?;
        let uri: http::Uri = value.parse().ok()?;
        // Only a page of the same site: its path and query.
        let same_host = uri.host().is_none()
            || parts
                .headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                == uri.authority().map(|a| a.as_str());
        same_host.then(|| uri.path_and_query().map(|p| p.as_str().to_string()))?
    });
    let page = crate::accounts::rules::safe_next(referer.as_deref().or(Some(default)));
    without_outcome(&page)
}

/// `page` without `saved`, `created`, `error` and the import counts of an earlier post.
pub fn without_outcome(page: &str) -> String {
    const OUTCOME: [&str; 7] = [
        "saved", "created", "error", "imported", "removed", "form", "code_for",
    ];
    let (path, rest) = page.split_once('?').unwrap_or((page, ""));
    let (query, hash) = rest.split_once('#').unwrap_or((rest, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !OUTCOME.contains(&pair.split('=').next().unwrap_or("")))
        .collect();
    let mut out = path.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if !hash.is_empty() {
        out.push('#');
        out.push_str(hash);
    }
    out
}

/// `page` with `outcome` (say `saved=1`) added to its query.
pub fn with_outcome(page: &str, outcome: &str) -> String {
    let (path, hash) = page.split_once('#').unwrap_or((page, ""));
    let sep = if path.contains('?') { '&' } else { '?' };
    let hash = if hash.is_empty() {
        String::new()
    } else {
        format!("#{hash}")
    };
    format!("{path}{sep}{outcome}{hash}")
}

/// Answers a plain form post to a server function that also returns a value to scripts: a
/// browser goes back to the page it posted from, with `outcome(&value)` in the query, or with
/// the reason when refused (an import's bad rows included); a script gets the value or the error.
pub fn answer_form_back<T: Default>(
    result: AppResult<T>,
    default_page: &str,
    outcome: impl FnOnce(&T) -> String,
) -> AppResult<T> {
    answer_named_form_back(result, default_page, None, outcome)
}

/// As `answer_form_back`, for a page with more than one such form: the outcome names its form
/// (`form=name`), so that only that form shows it.
pub fn answer_named_form_back<T: Default>(
    result: AppResult<T>,
    default_page: &str,
    form: Option<&str>,
    outcome: impl FnOnce(&T) -> String,
) -> AppResult<T> {
    if !is_browser_form() {
        return result;
    }
    let back = posted_from(default_page);
    let back = match form {
        Some(name) => with_outcome(&back, &format!("form={name}")),
        None => back,
    };
    match result {
        Ok(value) => {
            leptos_axum::redirect(&with_outcome(&back, &outcome(&value)));
            Ok(value)
        }
        Err(
            err @ (AppError::Invalid { .. }
            | AppError::Forbidden
            | AppError::NotFound
            | AppError::Import(_)),
        ) => {
            let err = match err {
                // Keep the address short: the first rows say what to fix.
                AppError::Import(mut rows) => {
                    rows.truncate(MAX_ROWS_IN_ADDRESS);
                    AppError::Import(rows)
                }
                other => other,
            };
            crate::accounts::api::ssr::back_with_error(&back, &err);
            Ok(T::default())
        }
        Err(err) => Err(err),
    }
}

pub const MAX_ROWS_IN_ADDRESS: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_outcome_leaves_the_address() {
        assert_eq!(
            without_outcome("/admin/users?q=ali&saved=1&page=2"),
            "/admin/users?q=ali&page=2"
        );
        assert_eq!(
            without_outcome("/admin/classes?error=%22Forbidden%22"),
            "/admin/classes"
        );
        assert_eq!(
            without_outcome("/timetable?week=2026-12-07&imported=3#calendar"),
            "/timetable?week=2026-12-07#calendar"
        );
        assert_eq!(
            with_outcome("/admin/users", "saved=1"),
            "/admin/users?saved=1"
        );
        assert_eq!(
            with_outcome("/timetable?week=1#calendar", "saved=1"),
            "/timetable?week=1&saved=1#calendar"
        );
    }
}
