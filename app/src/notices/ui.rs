//! `/notices`: the class teacher writes to parents (the whole class or ticked children, with each
//! child's participation summary) and sees who has read; a parent reads and confirms.

use super::api::get_notices_page;
use super::*;
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::format::when_text as when;
use crate::ui::messages::error_text;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NoticesPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.read();
            (q.get("from"), q.get("until"))
        },
        |(from, until)| get_notices_page(from, until),
    );
    let flash = {
        let q = query.read_untracked();
        if query_error().is_some() {
            None
        } else if q.get("sent").is_some() {
            Some(t_string!(i18n, notices.sent_ok).to_string())
        } else if q.get("nudged").is_some() {
            Some(t_string!(i18n, notices.nudged_ok).to_string())
        } else if q.get("read").is_some() {
            Some(t_string!(i18n, notices.confirmed).to_string())
        } else {
            None
        }
    };
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, notices.title).to_string() />
        <h1>{t_string!(i18n, notices.title)}</h1>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {flash.map(|text| view! { <p class="ok" role="status">{text}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(NoticesPage { teacher, parent }) => view! {
                        {parent.map(|notices| view! { <ParentView notices /> })}
                        {teacher.map(|t| view! { <TeacherView t /> })}
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/notices" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ParentView(notices: Vec<ParentNotice>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="parent-notices">
            <h2 id="parent-notices">{t_string!(i18n, notices.parent_title)}</h2>
            {notices.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, notices.none)}</p> })}
            <ol class="lessons">
                {notices.into_iter().map(|n| {
                    let heading = format!("notice-{}", n.id);
                    let labelled = heading.clone();
                    view! {
                        <li class="card notice" class:unread=!n.read aria-labelledby=labelled>
                            <div class="lesson-head">
                                <span class="lesson-time">{when(n.created_at)}</span>
                                {(!n.read).then(|| view! { <span class="badge warn">{t_string!(i18n, notices.new_badge)}</span> })}
                                {n.urgent.then(|| view! { <span class="badge warn">{t_string!(i18n, notices.urgent_badge)}</span> })}
                            </div>
                            <h3 class="lesson-subject" id=heading>{n.subject.clone()}</h3>
                            <p class="muted">{n.author_name.clone()}" · "{n.class_name.clone()}</p>
                            {(n.reminded && !n.read).then(|| view! { <p class="hint" role="note">{t_string!(i18n, notices.reminded)}</p> })}
                            <p class="text">{n.body.clone()}</p>
                            {n.personal.iter().filter(|(_, text)| !text.is_empty()).map(|(child, text)| view! {
                                <div class="personal" role="note">
                                    <strong>{child.clone()}</strong>
                                    <p class="text">{text.clone()}</p>
                                </div>
                            }).collect_view()}
                            {if n.read {
                                view! { <p class="ok">{t_string!(i18n, notices.confirmed)}</p> }.into_any()
                            } else {
                                view! {
                                    <form method="post" action="/api/notices/read">
                                        <input type="hidden" name="notice_id" value=n.id.to_string() />
                                        <button type="submit">{t_string!(i18n, notices.confirm)}</button>
                                    </form>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn TeacherView(t: TeacherNotices) -> impl IntoView {
    let i18n = use_i18n();
    let title = t_string!(i18n, notices.compose_title, class = t.class_name.clone()).to_string();
    view! {
        <section class="card" aria-labelledby="compose-title">
            <h2 id="compose-title">{title}</h2>
            {(!t.mail_enabled).then(|| view! { <p class="hint">{t_string!(i18n, notices.mail_off)}</p> })}
            <form method="get" action="/notices" class="inline period">
                <span class="period-title">{t_string!(i18n, notices.period)}</span>
                // Each label stays with its own field when the row wraps on a phone.
                <span class="field">
                    <label for="period-from">{t_string!(i18n, notices.from)}</label>
                    <DateInput id="period-from" name="from" value=t.from.clone() />
                </span>
                <span class="field">
                    <label for="period-until">{t_string!(i18n, notices.until)}</label>
                    <DateInput id="period-until" name="until" value=t.to.clone() />
                </span>
                <button type="submit" class="small secondary">{t_string!(i18n, notices.refresh)}</button>
            </form>
            <form method="post" action="/api/notices/send" class="stack">
                <label for="notice-subject">{t_string!(i18n, fields.subject)}</label>
                <input id="notice-subject" name="subject" required maxlength=rules::SUBJECT_MAX.to_string() />
                <label for="notice-body">{t_string!(i18n, fields.notice_text)}</label>
                <textarea id="notice-body" name="body" rows="5" required maxlength=rules::BODY_MAX.to_string()></textarea>
                <fieldset>
                    <legend>{t_string!(i18n, notices.audience)}</legend>
                    <label class="check"><input type="radio" name="audience" value="class" checked=true />{t_string!(i18n, notices.to_class)}</label>
                    <label class="check"><input type="radio" name="audience" value="chosen" />{t_string!(i18n, notices.to_chosen)}</label>
                </fieldset>
                <label class="check"><input type="checkbox" name="urgent" value="1" />{t_string!(i18n, notices.urgent)}</label>
                <label class="check"><input type="checkbox" name="with_summary" value="1" checked=true />{t_string!(i18n, notices.with_summary)}</label>
                <details class="children">
                    <summary>{t_string!(i18n, notices.children)}</summary>
                    <p class="hint">{t_string!(i18n, notices.summary_hint)}</p>
                    <ul class="plain">
                        {t.drafts.into_iter().map(|d| {
                            let id = d.student_id;
                            let parents = if d.parents.is_empty() { t_string!(i18n, notices.no_parent).to_string() } else { d.parents.join(", ") };
                            view! {
                                <li class="draft">
                                    <label class="check">
                                        <input type="checkbox" name=format!("pick[{id}]") value="1" disabled=d.parents.is_empty() />
                                        {d.full_name.clone()}
                                    </label>
                                    <small class="muted">{parents}</small>
                                    <label for=format!("summary-{id}") class="visually-hidden">{format!("{} — {}", t_string!(i18n, fields.summary), d.full_name)}</label>
                                    <textarea id=format!("summary-{id}") name=format!("summary[{id}]") rows="3" maxlength=rules::PERSONAL_MAX.to_string()>{d.summary.clone()}</textarea>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
                <button type="submit">{t_string!(i18n, notices.send)}</button>
            </form>
        </section>
        <section aria-labelledby="sent-title">
            <h2 id="sent-title">{t_string!(i18n, notices.sent_title)}</h2>
            {t.sent.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, notices.none)}</p> })}
            <ol class="lessons">
                {t.sent.into_iter().map(|n| view! { <SentCard n /> }).collect_view()}
            </ol>
        </section>
    }
}

fn mail_text(mail: Option<MailState>) -> String {
    let i18n = use_i18n();
    match mail {
        None => t_string!(i18n, notices.in_app_only).to_string(),
        Some(MailState::Queued { attempts: 0 }) => t_string!(i18n, notices.mail_queued).to_string(),
        Some(MailState::Queued { attempts }) => {
            t_string!(i18n, notices.mail_retrying, n = attempts).to_string()
        }
        Some(MailState::Sent) => t_string!(i18n, notices.mail_sent).to_string(),
        Some(MailState::Rejected) => t_string!(i18n, notices.mail_rejected).to_string(),
        Some(MailState::GaveUp) => t_string!(i18n, notices.mail_gave_up).to_string(),
    }
}

#[component]
fn SentCard(n: SentNotice) -> impl IntoView {
    let i18n = use_i18n();
    let (read, total) = n.read_count();
    let heading = format!("sent-{}", n.id);
    let labelled = heading.clone();
    view! {
        <li class="card" aria-labelledby=labelled>
            <div class="lesson-head">
                <span class="lesson-time">{when(n.created_at)}</span>
                {n.urgent.then(|| view! { <span class="badge warn">{t_string!(i18n, notices.urgent_badge)}</span> })}
                <span class="badge" class:done=read == total>{t_string!(i18n, notices.read_count, read = read, total = total)}</span>
            </div>
            <h3 class="lesson-subject" id=heading>{n.subject.clone()}</h3>
            <p class="text">{n.body.clone()}</p>
            <details>
                <summary>{t_string!(i18n, fields.recipients)}</summary>
                <ul class="plain readers">
                    {n.readers.into_iter().map(|r| view! {
                        <li class:unread=r.read_at.is_none()>
                            <strong>{r.parent_name.clone()}</strong>" ("{r.child_name.clone()}") — "
                            {match r.read_at {
                                Some(at) => t_string!(i18n, notices.read_at, when = when(at)).to_string(),
                                None => t_string!(i18n, notices.not_read).to_string(),
                            }}
                            {(r.reminders > 0).then(|| format!(" · {}", t_string!(i18n, notices.reminders, n = r.reminders)))}
                            " · "<span class="muted">{mail_text(r.mail)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </details>
            {(read < total).then(|| view! {
                <form method="post" action="/api/notices/nudge">
                    <input type="hidden" name="notice_id" value=n.id.to_string() />
                    <button type="submit" class="secondary">{t_string!(i18n, notices.nudge)}</button>
                </form>
            })}
        </li>
    }
}
