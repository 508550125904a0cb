use super::query_error;
use crate::i18n::*;
use crate::ui::messages::error_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A plain HTML form posting to the login server function: the same with or without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, login.title).to_string() />
        <section class="card narrow">
            <h1>{t_string!(i18n, login.title)}</h1>
            <p class="muted">{t_string!(i18n, login.intro)}</p>
            {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <form method="post" action="/api/login" class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login">{t_string!(i18n, login.login)}</label>
                <input id="login" name="login" autocomplete="username" autocapitalize="none" spellcheck="false" required />
                <label for="password">{t_string!(i18n, login.password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">{t_string!(i18n, login.submit)}</button>
            </form>
            <p><a href="/register">{t_string!(i18n, login.have_code)}</a></p>
        </section>
    }
}

/// A parent signs up with the one-time code from the class teacher.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let code = query.read_untracked().get("code").unwrap_or_default();
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, register.title).to_string() />
        <section class="card narrow">
            <h1>{t_string!(i18n, register.title)}</h1>
            <p class="muted">{t_string!(i18n, register.intro)}</p>
            {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <form method="post" action="/api/register" class="stack">
                <label for="code">{t_string!(i18n, register.code)}</label>
                <input id="code" name="code" value=code autocapitalize="characters" autocomplete="one-time-code" required />
                <label for="full_name">{t_string!(i18n, register.full_name)}</label>
                <input id="full_name" name="full_name" autocomplete="name" required />
                <label for="new_login">{t_string!(i18n, register.login)}</label>
                <input id="new_login" name="login" autocomplete="username" autocapitalize="none" required />
                <label for="new_password">{t_string!(i18n, register.password)}</label>
                <input id="new_password" name="password" type="password" autocomplete="new-password" minlength="8" required aria-describedby="password_hint" />
                <p id="password_hint" class="hint">{t_string!(i18n, register.password_hint)}</p>
                <button type="submit">{t_string!(i18n, register.submit)}</button>
            </form>
        </section>
    }
}
