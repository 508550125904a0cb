//! The contest pages: the front page (phases, nominations, one's applications or assigned
//! entries), the application form, the organiser's page, the expert's scoring page and the
//! results. Every form is a plain post, so all of it works without JavaScript; the organiser's
//! scoreboard also follows live events when JavaScript runs (the one island here).

use super::api::{get_application, get_contest_home, get_entry, get_manage, get_results};
use super::rules::Phase;
use super::*;
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::rules::iso_date;
use crate::timetable::ui::subject_text;
use crate::ui::chart::PercentBars;
use crate::ui::format::{date_label, day_label, day_range};
use crate::ui::messages::error_text;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

fn text(title: &Localized) -> String {
    subject_text(title)
}

pub fn phase_text(phase: Phase) -> String {
    let i18n = use_i18n();
    match phase {
        Phase::Upcoming => t_string!(i18n, contest.phase_upcoming),
        Phase::Applications => t_string!(i18n, contest.phase_applications),
        Phase::Appointing => t_string!(i18n, contest.phase_appointing),
        Phase::Judging => t_string!(i18n, contest.phase_judging),
        Phase::Deliberation => t_string!(i18n, contest.phase_deliberation),
        Phase::Announced => t_string!(i18n, contest.phase_announced),
    }
    .to_string()
}

fn state_text(state: EvalState) -> String {
    let i18n = use_i18n();
    match state {
        EvalState::NotStarted => t_string!(i18n, contest.state_not_started),
        EvalState::Draft => t_string!(i18n, contest.state_draft),
        EvalState::Submitted => t_string!(i18n, contest.state_submitted),
    }
    .to_string()
}

/// A status line from the query string (`?saved=1` after a form) or the error sent back.
fn form_feedback(ok_key: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ok = query.read_untracked().get(ok_key).is_some();
    let error = query_error().map(|e| error_text(&e));
    view! {
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {(ok && query_error().is_none()).then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
    }
}

/// Where a failed load goes: to the login page for the anonymous, an error box otherwise.
fn failed(err: AppError, next: &str) -> AnyView {
    match err {
        AppError::NotLoggedIn => {
            view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
        }
        err => view! { <ErrorBox err /> }.into_any(),
    }
}

/// The phases with their dates, the current one marked.
#[component]
fn Timeline(edition: EditionInfo) -> impl IntoView {
    let i18n = use_i18n();
    let s = edition.schedule;
    let range = |phase: Phase| {
        let (first, last) = s.window_of(phase);
        day_range(first, last)
    };
    let steps = [
        (
            Phase::Applications,
            t_string!(i18n, contest.step_applications).to_string(),
            range(Phase::Applications),
        ),
        (
            Phase::Appointing,
            t_string!(i18n, contest.step_experts).to_string(),
            day_label(s.experts_by),
        ),
        (
            Phase::Judging,
            t_string!(i18n, contest.step_judging).to_string(),
            range(Phase::Judging),
        ),
        (
            Phase::Announced,
            t_string!(i18n, contest.step_announce).to_string(),
            day_label(s.announce_on),
        ),
        (
            Phase::Deliberation,
            t_string!(i18n, contest.step_awards).to_string(),
            day_range(s.awards_from, s.awards_until),
        ),
    ];
    let current = edition.phase;
    view! {
        <p class="phase-now" role="status">
            {t_string!(i18n, contest.now)}" "<strong>{phase_text(current)}</strong>
        </p>
        <ol class="timeline">
            {steps.into_iter().map(|(phase, label, dates)| {
                // The awards row never becomes "current": it follows the announcement.
                let here = phase == current && phase != Phase::Deliberation;
                view! {
                    <li class:current=here aria-current=here.then_some("step")>
                        <span class="timeline-label">{label}</span>
                        <span class="muted">{dates}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The regulation's guidance for 0-5, shown beside every list of criteria.
#[component]
fn ScoreGuide() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="hint" id="score-guide">{t_string!(i18n, contest.guide)}</p>
    }
}

#[component]
pub fn ContestPage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| get_contest_home());
    let query = use_query_map();
    let applied = query.read_untracked().get("applied").is_some();
    let declared = query.read_untracked().get("declared").is_some();
    view! {
        <Title text=t_string!(i18n, contest.title).to_string() />
        <h1>{t_string!(i18n, contest.title)}</h1>
        {applied.then(|| view! { <p class="ok" role="status">{t_string!(i18n, contest.applied)}</p> })}
        {declared.then(|| view! { <p class="ok" role="status">{t_string!(i18n, contest.declared)}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <ContestHomeView home /> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="muted">{t_string!(i18n, contest.none)}</p> }.into_any(),
                    Err(err) => failed(err, "/contest"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContestHomeView(home: ContestHome) -> impl IntoView {
    let i18n = use_i18n();
    let phase = home.edition.phase;
    let open = phase == Phase::Applications;
    let nominations = home.nominations.clone();
    let title_of = move |id: i64| {
        nominations
            .iter()
            .find(|n| n.id == id)
            .map(|n| text(&n.title))
            .unwrap_or_default()
    };
    let title_of2 = title_of.clone();
    view! {
        <p class="lead">{home.edition.title.clone()}</p>
        <Timeline edition=home.edition.clone() />
        {home.organiser.then(|| view! {
            <p class="actions">
                <a class="button" href="/contest/manage">{t_string!(i18n, contest.manage_link)}</a>
                <a class="button secondary" href="/contest/results">{t_string!(i18n, contest.results_link)}</a>
            </p>
        })}
        {(!home.organiser && phase == Phase::Announced).then(|| view! {
            <p><a class="button" href="/contest/results">{t_string!(i18n, contest.results_link)}</a></p>
        })}
        {(!home.assigned.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="assigned-title">
                <h2 id="assigned-title">{t_string!(i18n, contest.assigned_title)}</h2>
                <p class="hint">{t_string!(i18n, contest.no_contact)}</p>
                <ul class="plain">
                    {home.assigned.iter().map(|e| view! {
                        <li>
                            <a href=format!("/contest/entry/{}", e.application_id)>{e.lesson_title.clone()}</a>
                            " · "{e.full_name.clone()}" · "{title_of(e.nomination_id)}
                            " — "<span class="badge">{state_text(e.state)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(home.can_apply && !home.mine.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="mine-title">
                <h2 id="mine-title">{t_string!(i18n, contest.mine_title)}</h2>
                <ul class="plain">
                    {home.mine.iter().map(|a| view! {
                        <li>
                            <strong>{title_of2(a.nomination_id)}</strong>": "{a.lesson_title.clone()}
                            {open.then(|| view! {
                                " "<a href=format!("/contest/apply?nomination={}", a.nomination_id)>{t_string!(i18n, contest.edit_application)}</a>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <h2>{t_string!(i18n, contest.nominations)}</h2>
        <ScoreGuide />
        <div class="cards">
            {home.nominations.into_iter().map(|n| {
                let applied = home.mine.iter().any(|a| a.nomination_id == n.id);
                let count = n.criteria.len();
                view! {
                    <section class="card">
                        <h3>{text(&n.title)}</h3>
                        <details>
                            <summary>{t_string!(i18n, contest.criteria_count, count = count)}</summary>
                            <ol>
                                {n.criteria.iter().map(|c| view! { <li>{text(&c.title)}</li> }).collect_view()}
                            </ol>
                        </details>
                        {(home.can_apply && open && !applied).then(|| view! {
                            <p><a class="button" href=format!("/contest/apply?nomination={}", n.id)>
                                {t_string!(i18n, contest.apply)}" — "{text(&n.title)}
                            </a></p>
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn ApplyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let nomination = move || {
        query
            .read()
            .get("nomination")
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new(nomination, get_application);
    view! {
        <Title text=t_string!(i18n, contest.apply_title).to_string() />
        <h1>{t_string!(i18n, contest.apply_title)}</h1>
        {form_feedback("saved")}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ApplicationFormView page /> }.into_any(),
                    Err(err) => failed(err, "/contest"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ApplicationFormView(page: ApplicationPage) -> impl IntoView {
    let i18n = use_i18n();
    let f = page.form;
    let open = page.edition.phase == Phase::Applications;
    let s = page.edition.schedule;
    let window = t_string!(
        i18n,
        contest.apply_window,
        from = date_label(s.apply_opens),
        until = date_label(s.apply_closes)
    )
    .to_string();
    let field = |id: &'static str,
                 name: &'static str,
                 label: String,
                 value: String,
                 kind: &'static str,
                 required: bool| {
        view! {
            <label for=id>{label}</label>
            <input id=id name=name type=kind value=value required=required />
        }
    };
    view! {
        <p class="lead">{text(&page.nomination.title)}</p>
        <p class="muted">{window}</p>
        <form method="post" action="/api/contest/apply" class="stack card">
            {f.id.map(|id| view! { <input type="hidden" name="application_id" value=id.to_string() /> })}
            <input type="hidden" name="nomination_id" value=f.nomination_id.to_string() />
            {field("faculty", "faculty", t_string!(i18n, fields.faculty).to_string(), f.faculty.clone(), "text", true)}
            {field("department", "department", t_string!(i18n, fields.department).to_string(), f.department.clone(), "text", true)}
            {field("position", "position", t_string!(i18n, fields.position).to_string(), f.position.clone(), "text", true)}
            {field("full-name", "full_name", t_string!(i18n, fields.full_name).to_string(), f.full_name.clone(), "text", true)}
            {field("email", "email", t_string!(i18n, fields.email).to_string(), f.email.clone(), "email", true)}
            {field("phone", "phone", t_string!(i18n, fields.phone).to_string(), f.phone.clone(), "tel", true)}
            {field("social", "social_link", t_string!(i18n, fields.social_link).to_string(), f.social_link.clone(), "url", false)}
            {field("lesson-title", "lesson_title", t_string!(i18n, fields.lesson_title).to_string(), f.lesson_title.clone(), "text", true)}
            <p class="hint">{t_string!(i18n, contest.lesson_title_hint)}</p>
            {field("plan-link", "plan_link", t_string!(i18n, fields.plan_link).to_string(), f.plan_link.clone(), "url", true)}
            <p class="hint">{t_string!(i18n, contest.plan_hint)}</p>
            {page.nomination.needs_video.then(|| field("video-link", "video_link", t_string!(i18n, fields.video_link).to_string(), f.video_link.clone(), "url", true))}
            <label class="check">
                <input type="checkbox" name="share_evidence" value="1" checked=f.share_evidence />
                {t_string!(i18n, contest.share_evidence)}
            </label>
            <label class="check">
                <input type="checkbox" name="confirmed" value="1" required=true checked=f.id.is_some() />
                {t_string!(i18n, contest.confirm)}
            </label>
            <button type="submit" disabled=!open>
                {if f.id.is_some() { t_string!(i18n, common.save) } else { t_string!(i18n, contest.submit_application) }}
            </button>
        </form>
    }
}

#[component]
pub fn ManageContestPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| get_manage());
    let query = use_query_map();
    let assigned = query.read_untracked().get("assigned").is_some();
    view! {
        <Title text=t_string!(i18n, contest.manage_title).to_string() />
        <h1>{t_string!(i18n, contest.manage_title)}</h1>
        {form_feedback("saved")}
        {assigned.then(|| view! { <p class="ok" role="status">{t_string!(i18n, contest.assigned_done)}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ManageView page /> }.into_any(),
                    Err(err) => failed(err, "/contest/manage"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ManageView(page: ManagePage) -> impl IntoView {
    let i18n = use_i18n();
    let e = page.edition.clone();
    let s = e.schedule;
    let dates = [
        (
            "apply_opens",
            t_string!(i18n, contest.d_apply_opens).to_string(),
            s.apply_opens,
        ),
        (
            "apply_closes",
            t_string!(i18n, contest.d_apply_closes).to_string(),
            s.apply_closes,
        ),
        (
            "experts_by",
            t_string!(i18n, contest.d_experts_by).to_string(),
            s.experts_by,
        ),
        (
            "judging_opens",
            t_string!(i18n, contest.d_judging_opens).to_string(),
            s.judging_opens,
        ),
        (
            "judging_closes",
            t_string!(i18n, contest.d_judging_closes).to_string(),
            s.judging_closes,
        ),
        (
            "announce_on",
            t_string!(i18n, contest.d_announce_on).to_string(),
            s.announce_on,
        ),
        (
            "awards_from",
            t_string!(i18n, contest.d_awards_from).to_string(),
            s.awards_from,
        ),
        (
            "awards_until",
            t_string!(i18n, contest.d_awards_until).to_string(),
            s.awards_until,
        ),
    ];
    let min = e.min_experts;
    let nominations = page.nominations.clone();
    let title_of = move |id: i64| {
        nominations
            .iter()
            .find(|n| n.id == id)
            .map(|n| text(&n.title))
            .unwrap_or_default()
    };
    let judging = e.phase == Phase::Judging;
    let assigning = matches!(e.phase, Phase::Appointing | Phase::Judging);
    let appointing = e.phase >= Phase::Appointing;
    let audit = page.audit.clone();
    view! {
        <Timeline edition=e.clone() />
        <p class="actions">
            <a class="button secondary" href="/contest/results">{t_string!(i18n, contest.scoreboard_link)}</a>
        </p>
        <section class="card" aria-labelledby="entries-title">
            <h2 id="entries-title">{t_string!(i18n, contest.entries_title, count = page.entries.len())}</h2>
            <form method="post" action="/api/contest/assign" class="inline">
                <button type="submit">{t_string!(i18n, contest.assign)}</button>
                <span class="hint">{t_string!(i18n, contest.assign_hint, min = min)}</span>
            </form>
            <div class="table-wrap">
                <table class="stacked">
                    <thead><tr>
                        <th>"№"</th>
                        <th>{t_string!(i18n, contest.nomination)}</th>
                        <th>{t_string!(i18n, fields.full_name)}</th>
                        <th>{t_string!(i18n, contest.contacts)}</th>
                        <th>{t_string!(i18n, fields.lesson_title)}</th>
                        <th>{t_string!(i18n, contest.experts)}</th>
                    </tr></thead>
                    <tbody>
                        {page.entries.iter().map(|entry| {
                            // Too few experts is a problem only once the council is being appointed.
                            let short = appointing && (entry.experts.len() as u32) < min;
                            let id = entry.id;
                            view! {
                                <tr class:short=short>
                                    <td data-label="№">{entry.id}</td>
                                    <td data-label=t_string!(i18n, contest.nomination)>{title_of(entry.nomination_id)}</td>
                                    <td data-label=t_string!(i18n, fields.full_name)>{entry.full_name.clone()}<br/><span class="muted">{entry.department.clone()}</span></td>
                                    <td data-label=t_string!(i18n, contest.contacts)>{entry.email.clone()}<br/>{entry.phone.clone()}</td>
                                    <td data-label=t_string!(i18n, fields.lesson_title)>{entry.lesson_title.clone()}</td>
                                    <td data-label=t_string!(i18n, contest.experts)>
                                        <ul class="plain">
                                            {entry.experts.iter().map(|x| {
                                                let submitted = x.state == EvalState::Submitted;
                                                view! {
                                                    <li>
                                                        {x.full_name.clone()}" — "{state_text(x.state)}
                                                        {(!submitted && assigning).then(|| view! {
                                                            <form method="post" action="/api/contest/unassign" class="inline">
                                                                <input type="hidden" name="application_id" value=id.to_string() />
                                                                <input type="hidden" name="expert_id" value=x.expert_id.to_string() />
                                                                <button type="submit" class="small secondary">{t_string!(i18n, contest.remove)}</button>
                                                            </form>
                                                        })}
                                                        {(submitted && judging).then(|| view! {
                                                            <form method="post" action="/api/contest/reopen" class="inline">
                                                                <input type="hidden" name="application_id" value=id.to_string() />
                                                                <input type="hidden" name="expert_id" value=x.expert_id.to_string() />
                                                                <button type="submit" class="small secondary">{t_string!(i18n, contest.reopen)}</button>
                                                            </form>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                        {assigning.then(|| view! {
                                            <form method="post" action="/api/contest/assign_one" class="inline">
                                                <input type="hidden" name="application_id" value=id.to_string() />
                                                <label for=format!("add-{id}") class="sr-only">{t_string!(i18n, contest.add_expert)}</label>
                                                <input id=format!("add-{id}") name="login" class="short" placeholder=t_string!(i18n, contest.add_expert) required />
                                                <button type="submit" class="small secondary">{t_string!(i18n, contest.add)}</button>
                                            </form>
                                        })}
                                        {short.then(|| view! {
                                            <p class="error">{t_string!(i18n, contest.short, have = entry.experts.len(), eligible = entry.eligible, min = min)}</p>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <div class="cards two">
            <section class="card" aria-labelledby="council-title">
                <h2 id="council-title">{t_string!(i18n, contest.council_title)}</h2>
                <p class="hint">{t_string!(i18n, contest.council_hint, n = e.experts_per_nomination)}</p>
                {page.nominations.iter().map(|n| {
                    let members: Vec<_> = page.experts.iter().filter(|x| x.nomination_id == n.id).cloned().collect();
                    let nid = n.id;
                    view! {
                        <h3>{text(&n.title)}" ("{members.len()}")"</h3>
                        <ul class="plain">
                            {members.into_iter().map(|x| view! {
                                <li>
                                    {x.full_name.clone()}" ("{x.login.clone()}")"
                                    {(!x.department.is_empty()).then(|| format!(" · {}", x.department))}
                                    " · "{t_string!(i18n, contest.load, n = x.load)}
                                    {x.barred.then(|| view! { " · "<strong class="error">{t_string!(i18n, contest.barred)}</strong> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <form method="post" action="/api/contest/appoint" class="inline">
                            <input type="hidden" name="nomination_id" value=nid.to_string() />
                            <label for=format!("appoint-{nid}")>{t_string!(i18n, contest.appoint_login)}</label>
                            <input id=format!("appoint-{nid}") name="login" required />
                            <label for=format!("appoint-dep-{nid}")>{t_string!(i18n, fields.department)}</label>
                            <input id=format!("appoint-dep-{nid}") name="department" />
                            <button type="submit" class="secondary">{t_string!(i18n, contest.appoint)}</button>
                        </form>
                    }
                }).collect_view()}
            </section>
            <section class="card" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{t_string!(i18n, contest.conflicts_title)}</h2>
                <ul class="plain">
                    {page.conflicts.iter().map(|c| view! {
                        <li>
                            {c.expert_name.clone()}" — "
                            {match c.application_id {
                                Some(id) => t_string!(i18n, contest.conflict_entry, id = id).to_string(),
                                None => t_string!(i18n, contest.conflict_all).to_string(),
                            }}
                            ": "{c.reason.clone()}
                        </li>
                    }).collect_view()}
                </ul>
                <form method="post" action="/api/contest/bar" class="stack">
                    <label for="bar-login">{t_string!(i18n, contest.bar_login)}</label>
                    <input id="bar-login" name="login" required />
                    <label for="bar-entry">{t_string!(i18n, contest.bar_entry)}</label>
                    <input id="bar-entry" name="application_id" type="number" inputmode="numeric" />
                    <label for="bar-reason">{t_string!(i18n, fields.reason)}</label>
                    <input id="bar-reason" name="reason" required />
                    <button type="submit" class="danger">{t_string!(i18n, contest.bar)}</button>
                </form>
            </section>
        </div>
        <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">{t_string!(i18n, contest.settings_title)}</h2>
            <form method="post" action="/api/contest/settings" class="grid-form">
                {dates.into_iter().map(|(name, label, day)| view! {
                    <label for=name>{label}</label>
                    <DateInput id=name name=name value=iso_date(day) required=true />
                }).collect_view()}
                <label for="min_experts">{t_string!(i18n, contest.min_experts)}</label>
                <input id="min_experts" name="min_experts" type="number" min="3" max="20" value=e.min_experts.to_string() />
                <label for="experts_per_nomination">{t_string!(i18n, contest.experts_per_nomination)}</label>
                <input id="experts_per_nomination" name="experts_per_nomination" type="number" min="1" max="50" value=e.experts_per_nomination.to_string() />
                <label for="spread_limit">{t_string!(i18n, contest.spread_limit)}</label>
                <input id="spread_limit" name="spread_limit" type="number" min="0" max="100" value=e.spread_limit.to_string() />
                <button type="submit">{t_string!(i18n, common.save)}</button>
            </form>
            {judging.then(|| view! {
                <form method="post" action="/api/contest/close" class="actions">
                    <button type="submit" class="danger">{t_string!(i18n, contest.close_judging)}</button>
                    <span class="hint">{t_string!(i18n, contest.close_hint)}</span>
                </form>
            })}
        </section>
        {(e.phase < Phase::Judging).then(|| view! {
            <details class="card">
                <summary>{t_string!(i18n, contest.titles_title)}</summary>
                {page.nominations.iter().map(|n| view! {
                    <TitlesForm kind="nomination" id=n.id title=n.title.clone() />
                    <ol>
                        {n.criteria.iter().map(|c| view! {
                            <li><TitlesForm kind="criterion" id=c.id title=c.title.clone() /></li>
                        }).collect_view()}
                    </ol>
                }).collect_view()}
            </details>
        })}
        <details class="card">
            <summary>{t_string!(i18n, contest.audit_title)}" ("{audit.len()}")"</summary>
            <ul class="plain audit">
                {audit.into_iter().map(|a| view! {
                    <li>
                        <span class="muted">{crate::ui::format::when(a.at)}</span>" · "{a.actor}" · "<code>{a.action}</code>" "{a.subject}
                        {(a.old_value.is_some() || a.new_value.is_some()).then(|| format!(": {} → {}", a.old_value.clone().unwrap_or_else(|| "—".into()), a.new_value.clone().unwrap_or_else(|| "—".into())))}
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

/// A nomination's or a criterion's title in three languages, editable by the organiser.
#[component]
fn TitlesForm(kind: &'static str, id: i64, title: Localized) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |lang: &'static str, label: String, value: String| {
        let input_id = format!("{kind}-{id}-{lang}");
        view! {
            <label for=input_id.clone()>{label}</label>
            <input id=input_id name=format!("title_{lang}") value=value required />
        }
    };
    view! {
        <form method="post" action="/api/contest/titles" class="grid-form titles">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id.to_string() />
            {field("ky", t_string!(i18n, contest.title_ky).to_string(), title.ky)}
            {field("ru", t_string!(i18n, contest.title_ru).to_string(), title.ru)}
            {field("en", t_string!(i18n, contest.title_en).to_string(), title.en)}
            <button type="submit" class="small secondary">{t_string!(i18n, common.save)}</button>
        </form>
    }
}

#[component]
pub fn EntryPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::path_id();
    let entry = Resource::new(id, get_entry);
    view! {
        <Title text=t_string!(i18n, contest.entry_title).to_string() />
        <h1>{t_string!(i18n, contest.entry_title)}</h1>
        {form_feedback("saved")}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match entry.await {
                    Ok(entry) => view! { <ScoringView entry /> }.into_any(),
                    Err(err) => failed(err, "/contest"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ScoringView(entry: EntryForExpert) -> impl IntoView {
    let i18n = use_i18n();
    let id = entry.entry.application_id;
    let editable = entry.editable;
    let e = &entry.entry;
    let total: u32 = entry
        .scores
        .iter()
        .filter_map(|s| s.score)
        .map(u32::from)
        .sum();
    let max = entry.scores.len() * 5;
    view! {
        <section class="card">
            <h2>{e.lesson_title.clone()}</h2>
            <p>{text(&entry.nomination)}</p>
            <p class="muted">{e.full_name.clone()}" · "{e.faculty.clone()}" · "{e.department.clone()}</p>
            <p class="actions">
                <a class="button secondary" href=entry.plan_link.clone() rel="noopener noreferrer" target="_blank">{t_string!(i18n, contest.open_plan)}</a>
                {entry.video_link.clone().map(|v| view! {
                    <a class="button secondary" href=v rel="noopener noreferrer" target="_blank">{t_string!(i18n, contest.open_video)}</a>
                })}
            </p>
            <p><span class="badge">{state_text(e.state)}</span>" "{t_string!(i18n, contest.total, total = total, max = max)}</p>
            {(!editable && e.state != EvalState::Submitted).then(|| view! {
                <p class="muted">{t_string!(i18n, contest.not_judging, from = date_label(entry.edition.schedule.judging_opens), until = date_label(entry.edition.schedule.judging_closes))}</p>
            })}
        </section>
        {entry.evidence.clone().map(|e| {
            let percent = |p: Option<i64>| p.map_or_else(|| t_string!(i18n, contest.evidence_none).to_string(), |p| format!("{p}\u{a0}%"));
            view! {
                <section class="card evidence" aria-labelledby="evidence-title">
                    <h2 id="evidence-title">{t_string!(i18n, contest.evidence_title)}</h2>
                    <ul class="plain">
                        <li>{t_string!(i18n, contest.evidence_timer, n = e.timed_lessons, percent = percent(e.within_cap_percent()))}</li>
                        <li>{t_string!(i18n, contest.evidence_attendance, percent = percent(e.attendance_percent()))}</li>
                        <li>{t_string!(i18n, contest.evidence_feedback, percent = percent(e.feedback_percent()), answered = percent(e.answered_percent()))}</li>
                        <li>{t_string!(i18n, contest.evidence_tasks, n = e.tasks_given, hand_ins = e.hand_ins, reviewed = percent(e.reviewed_percent()), audio = e.audio_reviews)}</li>
                    </ul>
                </section>
            }
        })}
        <ScoreGuide />
        <form method="post" action="/api/contest/score" class="stack">
            <input type="hidden" name="application_id" value=id.to_string() />
            <ol class="criteria">
                {entry.scores.iter().enumerate().map(|(i, s)| {
                    let select_id = format!("score-{i}");
                    let comment_id = format!("comment-{i}");
                    let current = s.score;
                    view! {
                        <li class="card criterion">
                            <input type="hidden" name=format!("criteria[{i}]") value=s.criterion.id.to_string() />
                            <label for=select_id.clone()>{text(&s.criterion.title)}</label>
                            <select id=select_id name=format!("scores[{i}]") disabled=!editable aria-describedby="score-guide">
                                <option value="" selected=current.is_none()>"—"</option>
                                {(0..=5u8).map(|v| view! {
                                    <option value=v.to_string() selected=current == Some(v)>{v}</option>
                                }).collect_view()}
                            </select>
                            <label for=comment_id.clone() class="muted">{t_string!(i18n, contest.comment_on, n = i + 1)}</label>
                            <textarea id=comment_id name=format!("comments[{i}]") rows="2" disabled=!editable>{s.comment.clone()}</textarea>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {editable.then(|| {
                let max = entry.scores.len() * 5;
                let sum: usize = entry.scores.iter().filter_map(|s| s.score).map(usize::from).sum();
                let template = t_string!(i18n, contest.running_total, sum = "{sum}", max = max).to_string();
                view! { <ScoreTotal sum template /> }
            })}
            {editable.then(|| view! {
                <div class="actions">
                    <button type="submit" class="secondary">{t_string!(i18n, contest.save_draft)}</button>
                    <button type="submit" name="submit" value="1" data-confirm=t_string!(i18n, contest.submit_confirm)>{t_string!(i18n, contest.submit_scores)}</button>
                </div>
                <p class="hint">{t_string!(i18n, contest.submit_hint)}</p>
            })}
        </form>
        {editable.then(|| view! {
            <details class="card">
                <summary>{t_string!(i18n, contest.declare_title)}</summary>
                <form method="post" action="/api/contest/declare" class="stack">
                    <input type="hidden" name="application_id" value=id.to_string() />
                    <label for="declare-reason">{t_string!(i18n, fields.reason)}</label>
                    <input id="declare-reason" name="reason" required />
                    <button type="submit" class="danger">{t_string!(i18n, contest.declare)}</button>
                </form>
            </details>
        })}
        <p><a href="/contest">{t_string!(i18n, common.back)}</a></p>
    }
}

#[component]
pub fn ResultsPageView() -> impl IntoView {
    let i18n = use_i18n();
    let results = Resource::new(|| (), |_| get_results());
    view! {
        <Title text=t_string!(i18n, contest.results_title).to_string() />
        <h1>{t_string!(i18n, contest.results_title)}</h1>
        <Transition fallback=Loading>
            {Suspend::new(async move {
                match results.await {
                    Ok(page) => view! { <ResultsView page /> }.into_any(),
                    Err(err @ AppError::Invalid { .. }) => view! {
                        <p class="muted" role="status">{error_text(&err)}</p>
                    }.into_any(),
                    Err(err) => failed(err, "/contest/results"),
                }
            })}
        </Transition>
    }
}

/// The expert's running total (an island): the sum of the scores chosen so far, kept up to date
/// as each one is picked; the server checks and adds up the same scores on every save.
#[island]
fn ScoreTotal(sum: usize, template: String) -> impl IntoView {
    let sum = RwSignal::new(sum);
    let root = NodeRef::<leptos::html::P>::new();
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let _ = leptos_use::use_event_listener(
            leptos_use::use_document(),
            leptos::ev::change,
            move |event| {
                let form = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.closest("form").ok().flatten());
                let (Some(form), Some(here)) = (form, root.get_untracked()) else {
                    return;
                };
                // Only the form this total belongs to.
                if !form.contains(Some(&here)) {
                    return;
                }
                let Ok(selects) = form.query_selector_all("select[name^='scores']") else {
                    return;
                };
                let total = (0..selects.length())
                    .filter_map(|i| selects.item(i))
                    .filter_map(|node| node.dyn_into::<web_sys::HtmlSelectElement>().ok())
                    .filter_map(|select| select.value().parse::<usize>().ok())
                    .sum();
                sum.set(total);
            },
        );
    }
    view! {
        <p node_ref=root class="running-total" role="status" aria-live="polite">
            {move || template.replace("{sum}", &sum.get().to_string())}
        </p>
    }
}

/// The organiser's scoreboard (an island on the "live" line): whenever a score is submitted, the
/// page is fetched again and patched in place; the stream closes when the page moves on.
#[island]
fn LiveScoreboard(note: String) -> impl IntoView {
    let root = NodeRef::<leptos::html::P>::new();
    #[cfg(feature = "hydrate")]
    {
        use codee::string::FromToStringCodec;
        use leptos_use::{use_event_source, UseEventSourceReturn};
        let UseEventSourceReturn { message, close, .. } =
            use_event_source::<String, FromToStringCodec>("/live/contest");
        let first = std::cell::Cell::new(true);
        Effect::new(move |_| {
            // The first event only says the stream is open; the page is already fresh.
            if message.with(Option::is_some) && !first.replace(false) {
                crate::ui::browser::refresh_page();
            }
        });
        // Not an organiser (or results public): the server refuses the stream, and leptos-use
        // gives up after its few retries.
        crate::ui::browser::when_removed(move || root.get_untracked().map(|el| el.into()), close);
    }
    view! { <p node_ref=root class="muted" role="status">{note}</p> }
}

/// How the experts of one nomination used the 0-5 scale: bars for the eye, the same numbers in
/// a table for screen readers and for whoever wants the counts. Nothing before the first score.
#[component]
fn ScoreSpread(counts: [u32; 6], nomination: i64) -> impl IntoView {
    let i18n = use_i18n();
    let total: u32 = counts.iter().sum();
    let rows: Vec<_> = (0..counts.len())
        .rev()
        .map(|score| (score, counts[score]))
        .collect();
    let heading = format!("spread-{nomination}");
    let labelled_by = heading.clone();
    (total > 0).then(move || view! {
        <section class="spread" aria-labelledby=labelled_by>
            <h3 id=heading>{t_string!(i18n, contest.spread_title)}</h3>
            <PercentBars
                title=t_string!(i18n, contest.spread_caption).to_string()
                rows=rows.iter().map(|(score, count)| (score.to_string(), super::rules::percent_of(*count, total))).collect()
            />
            <table class="compact">
                <caption class="sr-only">{t_string!(i18n, contest.spread_caption)}</caption>
                <thead><tr>
                    <th scope="col">{t_string!(i18n, contest.score_given)}</th>
                    <th scope="col">{t_string!(i18n, contest.times_given)}</th>
                    <th scope="col">{t_string!(i18n, report.share)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(score, count)| view! {
                        <tr>
                            <th scope="row">{score}</th>
                            <td>{count}</td>
                            <td>{super::rules::percent_of(count, total).map(|p| format!("{p}\u{a0}%"))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    })
}

#[component]
fn ResultsView(page: ResultsPage) -> impl IntoView {
    let i18n = use_i18n();
    let frozen = page.frozen.clone();
    let min = page.edition.min_experts;
    let diplomas = page.organiser && page.frozen.is_some();
    let query = use_query_map();
    let corrected = query.read_untracked().get("corrected").is_some();
    let correction_error = query_error().map(|e| error_text(&e));
    let corrections = page.corrections.clone();
    let lang = match i18n.get_locale_untracked() {
        Locale::ky => "ky",
        Locale::ru => "ru",
        Locale::en => "en",
    };
    view! {
        <p class="lead">{page.edition.title.clone()}" · "{phase_text(page.edition.phase)}</p>
        {match frozen {
            Some(f) => view! {
                <p class="card frozen">{t_string!(i18n, contest.frozen)}<br/><code class="hash">{f.sha256}</code></p>
            }.into_any(),
            // Before judging there is nothing to score yet: say when it starts, not that it is on.
            None if page.edition.phase < Phase::Judging => view! {
                <p class="muted" role="status">{t_string!(i18n, contest.results_before, from = date_label(page.edition.schedule.judging_opens))}</p>
            }.into_any(),
            None if page.organiser => view! { <LiveScoreboard note=t_string!(i18n, contest.live_note).to_string() /> }.into_any(),
            None => view! { <p class="muted" role="status">{t_string!(i18n, contest.live_note)}</p> }.into_any(),
        }}
        {corrected.then(|| view! { <p class="ok" role="status">{t_string!(i18n, contest.corrected)}</p> })}
        {correction_error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        <p class="hint">{t_string!(i18n, contest.ties_note)}</p>
        <p class="hint">{t_string!(i18n, contest.normalised_note)}</p>
        {page.nominations.iter().map(|n| {
            let rows: Vec<_> = page.rows.iter().filter(|r| r.nomination_id == n.id).cloned().collect();
            let ranked: Vec<_> = rows.iter().filter(|r| r.place.is_some()).cloned().collect();
            let incomplete: Vec<_> = rows.iter().filter(|r| r.place.is_none()).cloned().collect();
            let has_winner = !ranked.is_empty();
            let counts = super::rules::score_counts(
                page.protocol.iter()
                    .filter(|p| rows.iter().any(|r| r.entry == p.entry))
                    .flat_map(|p| &p.scores),
            );
            let heading = format!("nomination-{}", n.id);
            let labelled_by = heading.clone();
            view! {
                <section class="card" aria-labelledby=labelled_by>
                    <h2 id=heading>{text(&n.title)}</h2>
                    {ranked.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, contest.no_ranked)}</p> })}
                    {(!ranked.is_empty()).then(|| view! {
                        <div class="table-wrap">
                            <table class="stacked">
                                <thead><tr>
                                    <th>{t_string!(i18n, contest.place)}</th>
                                    <th>{t_string!(i18n, fields.full_name)}</th>
                                    <th>{t_string!(i18n, fields.lesson_title)}</th>
                                    <th>{t_string!(i18n, contest.score)}</th>
                                    <th>{t_string!(i18n, contest.evaluations)}</th>
                                </tr></thead>
                                <tbody>
                                    {ranked.into_iter().map(|r| {
                                        let place = r.place.unwrap_or(0);
                                        let award = match super::rules::award(r.place) {
                                            Some(super::rules::Award::Winner) => t_string!(i18n, contest.winner).to_string(),
                                            Some(super::rules::Award::Prize) => t_string!(i18n, contest.prize).to_string(),
                                            None => String::new(),
                                        };
                                        let tie = if r.tied { t_string!(i18n, contest.tied).to_string() } else { String::new() };
                                        view! {
                                            <tr class:winner=place == 1>
                                                <td data-label=t_string!(i18n, contest.place)><strong>{place}</strong>" "{award}{tie}</td>
                                                <td data-label=t_string!(i18n, fields.full_name)>{r.full_name.clone()}</td>
                                                <td data-label=t_string!(i18n, fields.lesson_title)>{r.lesson_title.clone()}</td>
                                                <td data-label=t_string!(i18n, contest.score)>
                                                    <strong>{r.score.clone()}</strong>
                                                    {r.disagreement.then(|| view! { " "<span class="badge warn">{t_string!(i18n, contest.disagreement, spread = r.spread)}</span> })}
                                                    <br/><span class="muted">{r.criterion_means.join(" · ")}</span>
                                                    {r.normalised.clone().map(|n| view! {
                                                        <br/><span class="muted">{t_string!(i18n, contest.normalised)}": "{n}</span>
                                                    })}
                                                </td>
                                                <td data-label=t_string!(i18n, contest.evaluations)>{r.evaluations}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                    <ScoreSpread counts nomination=n.id />
                    <p class="actions downloads">
                        <a class="button secondary small" rel="external" href=format!("/contest/export/protocol.csv?nomination={}&lang={lang}", n.id)>{t_string!(i18n, export.protocol_csv)}</a>
                        <a class="button secondary small" rel="external" href=format!("/contest/export/protocol.pdf?nomination={}&lang={lang}", n.id)>{t_string!(i18n, export.protocol_pdf)}</a>
                        {(diplomas && has_winner).then(|| view! {
                            <a class="button secondary small" rel="external" href=format!("/contest/export/diplomas.pdf?nomination={}&lang={lang}", n.id)>{t_string!(i18n, export.diplomas_pdf)}</a>
                        })}
                    </p>
                    {(!incomplete.is_empty()).then(|| view! {
                        <h3>{t_string!(i18n, contest.incomplete, min = min)}</h3>
                        <ul class="plain">
                            {incomplete.into_iter().map(|r| view! {
                                <li>{r.full_name.clone()}" — "{r.lesson_title.clone()}" ("{t_string!(i18n, contest.evaluations_n, n = r.evaluations)}")"</li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
            }
        }).collect_view()}
        {(!corrections.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="corrections-title">
                <h2 id="corrections-title">{t_string!(i18n, contest.corrections_title)}</h2>
                <ul class="plain">
                    {corrections.iter().map(|c| view! {
                        <li>
                            <span class="muted">{crate::ui::format::when(c.at)}</span>" · "
                            {t_string!(i18n, contest.correction_line, entry = c.entry, expert = c.expert.clone(), criterion = c.criterion,
                                old = c.old_score.map_or_else(|| "—".to_string(), |o| o.to_string()), new = c.new_score, reason = c.reason.clone())}
                            <br/><code class="hash">{c.sha256_after.clone()}</code>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {diplomas.then(|| view! {
            <details class="card">
                <summary>{t_string!(i18n, contest.correct_title)}</summary>
                <form method="post" action="/api/contest/correct" class="grid-form">
                    <label for="fix-entry">{t_string!(i18n, contest.correct_entry)}</label>
                    <input id="fix-entry" name="application_id" type="number" inputmode="numeric" required />
                    <label for="fix-expert">{t_string!(i18n, contest.correct_expert)}</label>
                    <input id="fix-expert" name="expert_login" required />
                    <label for="fix-criterion">{t_string!(i18n, contest.correct_criterion)}</label>
                    <input id="fix-criterion" name="criterion" type="number" min="1" max="9" inputmode="numeric" required />
                    <label for="fix-score">{t_string!(i18n, contest.correct_score)}</label>
                    <input id="fix-score" name="score" type="number" min="0" max="5" inputmode="numeric" required />
                    <label for="fix-reason">{t_string!(i18n, fields.reason)}</label>
                    <input id="fix-reason" name="reason" required />
                    <button type="submit">{t_string!(i18n, contest.correct)}</button>
                </form>
            </details>
        })}
        {(!page.protocol.is_empty()).then(|| view! {
            <details class="card">
                <summary>{t_string!(i18n, contest.protocol)}</summary>
                <div class="table-wrap">
                    <table class="stacked">
                        <thead><tr>
                            <th>"№"</th>
                            <th>{t_string!(i18n, contest.expert)}</th>
                            <th>{t_string!(i18n, contest.scores)}</th>
                            <th>{t_string!(i18n, contest.total_short)}</th>
                        </tr></thead>
                        <tbody>
                            {page.protocol.iter().map(|p| view! {
                                <tr>
                                    <td data-label="№">{p.entry}</td>
                                    <td data-label=t_string!(i18n, contest.expert)>{t_string!(i18n, contest.expert_n, n = p.expert.clone())}</td>
                                    <td data-label=t_string!(i18n, contest.scores)>{p.scores.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" ")}</td>
                                    <td data-label=t_string!(i18n, contest.total_short)>{p.total}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        })}
    }
}
