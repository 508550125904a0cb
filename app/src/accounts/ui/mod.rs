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
use crate::i18n::*;
use crate::ui::messages::error_text;
use leptos::prelude::*;

/// The outcome of the last plain post to this page, carried back in its address and announced
/// to screen readers: "created", "saved", or the reason it was refused.
pub fn post_status() -> AnyView {
    let i18n = use_i18n();
    post_status_saying(t_string!(i18n, common.saved).to_string())
}

/// As `post_status`, with this page's own words for "saved".
pub fn post_status_saying(saved: String) -> AnyView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    if let Some(err) = query_error() {
        view! { <p class="error" role="alert">{error_text(&err)}</p> }.into_any()
    } else if query.get("created").is_some() {
        view! { <p class="ok" role="status">{t_string!(i18n, common.created)}</p> }.into_any()
    } else if query.get("saved").is_some() {
        view! { <p class="ok" role="status">{saved}</p> }.into_any()
    } else {
        ().into_any()
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
