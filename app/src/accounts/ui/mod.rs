//! Pages of the accounts feature.

pub mod admin;
mod class_page;
mod home;
mod login;

pub use admin::{AdminClassesPage, AdminImportPage, AdminUserPage, AdminUsersPage};
pub use class_page::ClassPage;
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};

use crate::error::AppError;
use crate::shell::messages::error_text;
use leptos::prelude::*;

/// The outcome of a form's action, announced to screen readers: a success line or the error.
pub fn action_status<T: 'static>(
    result: Option<Result<T, AppError>>,
    ok_text: impl Fn(&T) -> String,
) -> AnyView {
    match result {
        None => ().into_any(),
        Some(Ok(value)) => view! { <p class="ok" role="status">{ok_text(&value)}</p> }.into_any(),
        Some(Err(err)) => view! { <p class="error" role="alert">{error_text(&err)}</p> }.into_any(),
    }
}

/// The error carried back to a plain form in `?error=`, if any.
pub fn query_error() -> Option<AppError> {
    let query = leptos_router::hooks::use_query_map();
    query
        .read_untracked()
        .get("error")
        .and_then(|e| AppError::from_query_value(&e))
}
