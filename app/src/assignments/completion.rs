//! `/admin/tasks`: the deputy director's completion figures (the regulation, 3.3.2: "receiving
//! the tasks from students and the information on their completion"), per class and per
//! teacher, for the tasks due in a period. A server-rendered page with a plain GET form.

use super::api::get_completion;
use super::rules::PositiveGrades;
use super::{CompletionLine, CompletionPage};
use crate::accounts::ui::query_error;
use crate::i18n::*;
use crate::ui::messages::error_text;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// "7 (58 %)": a count and its share of what was owed.
fn share(n: i64, of: i64) -> String {
    match crate::feedback::rules::percent(n, of) {
        Some(p) => format!("{n} ({p}\u{a0}%)"),
        None => n.to_string(),
    }
}

/// A wait in hours under a day, else in days, one decimal.
fn wait_text(secs: Option<i64>) -> String {
    let i18n = use_i18n();
    match secs {
        None => "—".to_string(),
        Some(s) if s < 86_400 => {
            let n = format!("{:.1}", s as f64 / 3600.0);
            t_string!(i18n, completion.hours, n = n).to_string()
        }
        Some(s) => {
            let n = format!("{:.1}", s as f64 / 86_400.0);
            t_string!(i18n, completion.days, n = n).to_string()
        }
    }
}

#[component]
fn CompletionTable(
    lines: Vec<CompletionLine>,
    caption: String,
    first_column: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="stacked completion">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{first_column}</th>
                    <th scope="col">{t_string!(i18n, completion.given)}</th>
                    <th scope="col">{t_string!(i18n, completion.expected)}</th>
                    <th scope="col">{t_string!(i18n, completion.handed_in)}</th>
                    <th scope="col">{t_string!(i18n, completion.on_time)}</th>
                    <th scope="col">{t_string!(i18n, completion.reviewed)}</th>
                    <th scope="col">{t_string!(i18n, completion.median)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.name}</th>
                            <td data-label=t_string!(i18n, completion.given)>{l.given}</td>
                            <td data-label=t_string!(i18n, completion.expected)>{l.expected}</td>
                            <td data-label=t_string!(i18n, completion.handed_in)>{share(l.handed_in, l.expected)}</td>
                            <td data-label=t_string!(i18n, completion.on_time)>{share(l.on_time, l.expected)}</td>
                            <td data-label=t_string!(i18n, completion.reviewed)>{share(l.reviewed, l.handed_in)}</td>
                            <td data-label=t_string!(i18n, completion.median)>{wait_text(l.median_review_secs)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The school's positive grades for independent work, with its outcome when just posted.
#[component]
fn GradingForm(positive: PositiveGrades) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ours = query.read_untracked().get("form").as_deref() == Some("grading");
    let error = ours.then(query_error).flatten().map(|e| error_text(&e));
    let saved = ours && error.is_none() && query.read_untracked().get("saved").is_some();
    let choices = [
        (3, t_string!(i18n, completion.positive_3_5)),
        (4, t_string!(i18n, completion.positive_4_5)),
        (5, t_string!(i18n, completion.positive_5)),
    ];
    view! {
        <section class="card" aria-labelledby="grading-title">
            <h2 id="grading-title">{t_string!(i18n, completion.grading_title)}</h2>
            <p class="hint">{t_string!(i18n, completion.grading_hint)}</p>
            {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {saved.then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
            <form method="post" action="/api/tasks/grading" class="inline-form">
                <label for="grading-lowest">{t_string!(i18n, completion.grading_label)}</label>
                <select id="grading-lowest" name="lowest">
                    {choices.into_iter().map(|(lowest, text)| view! {
                        <option value=lowest.to_string() selected=positive.lowest() == lowest>{text}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t_string!(i18n, common.save)}</button>
            </form>
        </section>
    }
}

#[component]
fn CompletionView(page: CompletionPage) -> impl IntoView {
    let i18n = use_i18n();
    let empty = page.by_class.is_empty();
    let positive = page.positive;
    view! {
        <form method="get" action="/admin/tasks" class="inline-form period">
            <label for="completion-from">{t_string!(i18n, completion.from)}</label>
            <DateInput id="completion-from" name="from" value=page.from.clone() required=true />
            <label for="completion-to">{t_string!(i18n, completion.to)}</label>
            <DateInput id="completion-to" name="to" value=page.to.clone() required=true />
            <button type="submit" class="secondary">{t_string!(i18n, completion.show)}</button>
        </form>
        {if empty {
            view! { <p class="muted">{t_string!(i18n, completion.none)}</p> }.into_any()
        } else {
            view! {
                <CompletionTable
                    lines=page.by_class
                    caption=t_string!(i18n, completion.by_class).to_string()
                    first_column=t_string!(i18n, completion.class).to_string()
                />
                <CompletionTable
                    lines=page.by_teacher
                    caption=t_string!(i18n, completion.by_teacher).to_string()
                    first_column=t_string!(i18n, completion.teacher).to_string()
                />
            }.into_any()
        }}
        <GradingForm positive />
    }
}

#[component]
pub fn CompletionPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.read();
            (q.get("from"), q.get("to"))
        },
        |(from, to)| get_completion(from, to),
    );
    view! {
        <Title text=t_string!(i18n, completion.title).to_string() />
        <h1>{t_string!(i18n, completion.title)}</h1>
        <p class="hint">{t_string!(i18n, completion.hint)}</p>
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CompletionView page /> }.into_any(),
                    Err(crate::error::AppError::NotLoggedIn) => {
                        view! { <Redirect path="/login?next=/admin/tasks" /> }.into_any()
                    }
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
