//! Shared view pieces below the features: the error box, the loading line, formatting, the
//! messages for errors and roles, plain-form answers, and the islands' browser helpers.

#[cfg(feature = "hydrate")]
pub mod browser;
pub mod chart;
pub mod format;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod messages;
pub mod recorder;

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// A part of a page as the HTML kept for these very inputs (`ReadCache::rendered`), rendered
/// only when they changed: `part` must read nothing but `inputs` (and what never changes in a
/// process). Pages never hydrate, so the part can be plain HTML in a wrapper that CSS takes out
/// of the layout (`.kept`); builds for the browser render it as it is.
pub fn kept<I, V>(slot: String, inputs: I, part: impl FnOnce(&I) -> V) -> AnyView
where
    I: PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    kept_in("kept", slot, inputs, part)
}

/// `kept` in a wrapper of these classes (which must include `kept`), for styles that follow it.
pub fn kept_in<I, V>(
    classes: &'static str,
    slot: String,
    inputs: I,
    part: impl FnOnce(&I) -> V,
) -> AnyView
where
    I: PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    if let Ok(db) = crate::state::db() {
        let html = db.cache.rendered(slot, inputs, |i| part(i).to_html());
        return view! { <div class=classes inner_html=html /> }.into_any();
    }
    let _ = (classes, slot);
    part(&inputs).into_any()
}

/// A failed load shown in plain words; "not logged in" becomes a way to log in.
#[component]
pub fn ErrorBox(err: AppError) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(err.status_code()) {
            response.set_status(status);
        }
    }
    let needs_login = err == AppError::NotLoggedIn;
    let text = messages::error_text(&err);
    view! {
        <section class="card narrow" role="alert">
            <h1>{t_string!(i18n, common.error_title)}</h1>
            <p>{text}</p>
            {needs_login.then(|| view! {
                <p><a class="button" href="/login">{t_string!(i18n, nav.login)}</a></p>
            })}
        </section>
    }
}

/// The page's `:id` path parameter as a number (0 when missing or not a number, which no row
/// has: the page then says "not found").
pub fn path_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-live="polite">{t_string!(i18n, common.loading)}</p> }
}

/// A file field whose button and "no file chosen" are in the page's language (a browser writes
/// its own in the browser's). The field itself stays, invisible over the button, so its label,
/// keyboard and picker are the browser's; without JavaScript the browser's own control shows.
#[component]
pub fn FilePick(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="file-pick">
            {children()}
            <span class="file-button" aria-hidden="true">{t_string!(i18n, common.choose_file)}</span>
            <span class="file-name" aria-hidden="true">{t_string!(i18n, common.no_file)}</span>
        </span>
    }
}

/// A date field in the way dates are written here, `02.12.2026`, with the format beside it (a
/// browser's date picker writes the browser's format, mm/dd/yyyy on an English phone, whatever
/// the page's language). The server reads it, or `YYYY-MM-DD`, and says so when it is neither.
#[component]
pub fn DateInput(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    /// `YYYY-MM-DD`, or empty.
    #[prop(optional, into)]
    value: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = crate::timetable::rules::parse_date(&value)
        .map(crate::timetable::rules::dotted_date)
        .unwrap_or(value);
    let hint = t_string!(i18n, common.date_format).to_string();
    view! {
        <input type="text" class="date" id=id name=name value=shown required=required
            inputmode="decimal" autocomplete="off" maxlength="10" placeholder=hint.clone() title=hint />
    }
}
