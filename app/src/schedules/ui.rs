//! `/schedules`: three small tables in the timetable's look (stacked on a phone), each with the
//! admin's form to add a row and a button to remove one. Reading works without JavaScript.

use super::api::get_schedules;
use super::*;
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::ui::hhmm;
use crate::ui::format::weekday_text;
use crate::ui::messages::error_text;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SchedulesPageView() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| get_schedules());
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, schedules.title).to_string() />
        <h1>{t_string!(i18n, schedules.title)}</h1>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {(saved && query_error().is_none()).then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Schedules page=p /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/schedules" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The admin's button that removes one row.
#[component]
fn Remove(kind: &'static str, id: i64, what: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="post" action="/api/schedules/remove" class="inline">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="secondary small" aria-label=format!("{} {what}", t_string!(i18n, timetable.remove))>{t_string!(i18n, timetable.remove)}</button>
        </form>
    }
}

#[component]
fn Hours(prefix: &'static str, starts: &'static str, ends: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="row">
            <span class="stack">
                <label for=format!("{prefix}-starts")>{t_string!(i18n, schedules.starts)}</label>
                <input id=format!("{prefix}-starts") name="starts" type="time" required value=starts />
            </span>
            <span class="stack">
                <label for=format!("{prefix}-ends")>{t_string!(i18n, schedules.ends)}</label>
                <input id=format!("{prefix}-ends") name="ends" type="time" required value=ends />
            </span>
        </div>
    }
}

#[component]
fn WeekdaySelect(id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{t_string!(i18n, fields.weekday)}</label>
        <select id=id name="weekday">
            {(0..6u8).map(|d| view! { <option value=d.to_string()>{weekday_text(d)}</option> }).collect_view()}
        </select>
    }
}

#[component]
fn Schedules(page: SchedulesPage) -> impl IntoView {
    let i18n = use_i18n();
    let SchedulesPage {
        tv,
        duty,
        methodical,
        can_edit,
        staff,
        today,
    } = page;
    let hours = |s: i64, e: i64| format!("{}–{}", hhmm(s), hhmm(e));
    view! {
        <section aria-labelledby="tv-title">
            <h2 id="tv-title">{t_string!(i18n, schedules.tv_title)}</h2>
            <p class="hint">{t_string!(i18n, schedules.tv_hint)}</p>
            {tv.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, schedules.none)}</p> })}
            <ol class="lessons">
                {tv.into_iter().map(|t| {
                    let what = format!("{} {}", t.subject, t.date);
                    view! {
                        <li class="lesson card">
                            <div class="lesson-head">
                                <span class="lesson-time">{crate::ui::format::iso_day(&t.date)}" · "{hours(t.starts_min, t.ends_min)}</span>
                                <span class="badge">{t.channel.clone()}</span>
                            </div>
                            <h3 class="lesson-subject">{t.subject.clone()}</h3>
                            <p class="muted">{t_string!(i18n, schedules.grades, from = t.grade_from, to = t.grade_to)}</p>
                            {(!t.topic.is_empty()).then(|| view! { <p>{t_string!(i18n, timetable.topic)}": "{t.topic.clone()}</p> })}
                            {can_edit.then(|| view! { <Remove kind="tv" id=t.id what /> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {can_edit.then(|| view! {
                <details class="card">
                    <summary>{t_string!(i18n, schedules.add_tv)}</summary>
                    <form method="post" action="/api/schedules/add_tv" class="stack">
                        <label for="tv-channel">{t_string!(i18n, fields.channel)}</label>
                        <input id="tv-channel" name="channel" required maxlength="100" />
                        <label for="tv-date">{t_string!(i18n, fields.date)}</label>
                        <DateInput id="tv-date" name="date" required=true value=today.clone() />
                        <Hours prefix="tv" starts="10:00" ends="10:30" />
                        <div class="row">
                            <span class="stack">
                                <label for="tv-from">{t_string!(i18n, schedules.grade_from)}</label>
                                <input id="tv-from" name="grade_from" type="number" min="1" max="11" required value="5" />
                            </span>
                            <span class="stack">
                                <label for="tv-to">{t_string!(i18n, schedules.grade_to)}</label>
                                <input id="tv-to" name="grade_to" type="number" min="1" max="11" required value="9" />
                            </span>
                        </div>
                        <label for="tv-subject">{t_string!(i18n, schedules.subject)}</label>
                        <input id="tv-subject" name="subject" required maxlength="100" />
                        <label for="tv-topic">{t_string!(i18n, fields.topic)}</label>
                        <input id="tv-topic" name="topic" maxlength="200" />
                        <button type="submit">{t_string!(i18n, schedules.add)}</button>
                    </form>
                </details>
            })}
        </section>
        <section aria-labelledby="duty-title">
            <h2 id="duty-title">{t_string!(i18n, schedules.duty_title)}</h2>
            {duty.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, schedules.none)}</p> })}
            <ul class="plain">
                {duty.into_iter().map(|d| {
                    let what = format!("{} {}", weekday_text(d.weekday as u8), d.person_name);
                    view! {
                        <li class="card">
                            <strong>{weekday_text(d.weekday as u8)}</strong>" · "{hours(d.starts_min, d.ends_min)}" · "{d.person_name.clone()}
                            {can_edit.then(|| view! { <Remove kind="duty" id=d.id what /> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <details class="card">
                    <summary>{t_string!(i18n, schedules.add_duty)}</summary>
                    <form method="post" action="/api/schedules/add_duty" class="stack">
                        <WeekdaySelect id="duty-weekday" />
                        <label for="duty-person">{t_string!(i18n, fields.person)}</label>
                        <select id="duty-person" name="person_id">
                            {staff.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <Hours prefix="duty" starts="08:00" ends="17:00" />
                        <button type="submit">{t_string!(i18n, schedules.add)}</button>
                    </form>
                </details>
            })}
        </section>
        <section aria-labelledby="methodical-title">
            <h2 id="methodical-title">{t_string!(i18n, schedules.methodical_title)}</h2>
            {methodical.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, schedules.none)}</p> })}
            <ul class="plain">
                {methodical.into_iter().map(|m| {
                    let what = format!("{} {}", m.association, weekday_text(m.weekday as u8));
                    view! {
                        <li class="card">
                            <strong>{weekday_text(m.weekday as u8)}</strong>" · "{hours(m.starts_min, m.ends_min)}" · "{m.association.clone()}
                            {(!m.room.is_empty()).then(|| format!(" · {}", m.room))}
                            {can_edit.then(|| view! { <Remove kind="methodical" id=m.id what /> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <details class="card">
                    <summary>{t_string!(i18n, schedules.add_methodical)}</summary>
                    <form method="post" action="/api/schedules/add_methodical" class="stack">
                        <label for="m-association">{t_string!(i18n, fields.association)}</label>
                        <input id="m-association" name="association" required maxlength="100" />
                        <WeekdaySelect id="m-weekday" />
                        <Hours prefix="m" starts="09:00" ends="15:00" />
                        <label for="m-room">{t_string!(i18n, fields.room)}</label>
                        <input id="m-room" name="room" maxlength="20" />
                        <button type="submit">{t_string!(i18n, schedules.add)}</button>
                    </form>
                </details>
            })}
        </section>
    }
}
