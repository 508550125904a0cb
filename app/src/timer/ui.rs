//! The timer pages. The countdown is rendered by the server (so it reads without JavaScript, and
//! such a page refreshes itself), then the browser ticks it every quarter second against the
//! server's clock and follows the class's live events, reconnecting on its own when they drop.

use super::api::get_timer_page;
use super::rules::{clock_text, Phase, MINUTE_MS};
use super::{ClassTimer, TeacherDay, TeacherLesson, TimerPage, TimerSnapshot};
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::ui::{hhmm, subject_text};
use crate::ui::chart::PercentBars;
use crate::ui::messages::error_text;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TimerPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let class = move || {
        query
            .read()
            .get("class")
            .and_then(|c| c.parse::<i64>().ok())
    };
    let page = Resource::new(class, get_timer_page);
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, timer.title).to_string() />
        <h1>{t_string!(i18n, timer.title)}</h1>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(TimerPage::Teacher(day)) => view! { <TeacherView day /> }.into_any(),
                    Ok(TimerPage::Class(timer)) => view! { <LiveTimer timer controls=false /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/timer" /> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="muted">{t_string!(i18n, timer.no_class)}</p> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TeacherView(day: TeacherDay) -> impl IntoView {
    let i18n = use_i18n();
    let live = day
        .mine
        .as_ref()
        .and_then(|m| m.current.as_ref())
        .filter(|run| run.clock.ended_ms.is_none())
        .map(|run| run.class_id);
    view! {
        {day.mine.clone().map(|timer| view! { <LiveTimer timer controls=true /> })}
        <section aria-labelledby="today-title">
            <h2 id="today-title">{t_string!(i18n, timer.today)}</h2>
            {if day.lessons.is_empty() {
                view! { <p class="muted">{t_string!(i18n, timer.no_lessons_today)}</p> }.into_any()
            } else {
                // The Bishkek minute the page was made at.
                let (_, minute) = crate::timetable::rules::bishkek_day_minute(day.server_now_ms.div_euclid(1000));
                let spans = day.lessons.iter().map(|l| (l.starts, l.ends)).collect::<Vec<_>>();
                let states = crate::timetable::rules::lesson_states(&spans, Some(std::cmp::Ordering::Equal), minute);
                view! {
                    <ol class="lessons">
                        {day.lessons.into_iter().zip(states).map(|(lesson, state)| {
                            let running = live == Some(lesson.class_id);
                            view! { <StartCard lesson running state /> }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <p><a href="/timer/report">{t_string!(i18n, timer.report_link)}</a></p>
    }
}

/// One of today's lessons with the form that starts its timer.
#[component]
fn StartCard(
    lesson: TeacherLesson,
    running: bool,
    state: crate::timetable::rules::LessonState,
) -> impl IntoView {
    use crate::timetable::rules::LessonState;
    let i18n = use_i18n();
    let id = lesson.lesson_id;
    let cap_text = match lesson.cap_min {
        Some(cap) => t_string!(i18n, timer.cap, cap = cap).to_string(),
        None => t_string!(i18n, timer.no_cap).to_string(),
    };
    let default_minutes = lesson.cap_min.unwrap_or(40).to_string();
    view! {
        <li class="lesson card" class:now=state == LessonState::Now class:past=state == LessonState::Past>
            <div class="lesson-head">
                <span class="lesson-time">{hhmm(lesson.starts)}"–"{hhmm(lesson.ends)}</span>
                {crate::timetable::ui::state_badge(state)}
                <span class="badge">{lesson.class_name.clone()}</span>
            </div>
            <h3 class="lesson-subject">{subject_text(&lesson.subject)}" · "{lesson.class_name.clone()}</h3>
            <p class="muted" id=format!("cap-{id}")>{cap_text}</p>
            {(!running).then(|| view! {
                <form method="post" action="/api/timer/start" class="inline-form">
                    <input type="hidden" name="lesson_id" value=id.to_string() />
                    <label for=format!("minutes-{id}")>{t_string!(i18n, timer.minutes)}</label>
                    <input id=format!("minutes-{id}") name="minutes" type="number" inputmode="numeric"
                        min="1" value=default_minutes aria-describedby=format!("cap-{id}") class="short" />
                    <button type="submit">{t_string!(i18n, timer.start)}" — "{lesson.class_name.clone()}</button>
                </form>
            })}
        </li>
    }
}

/// What the countdown says, in the reader's language: written by the server, carried by the
/// island (no locale tables in the WASM). `{n}`, `{cap}` and `{time}` are filled in the browser.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CountdownTexts {
    running: String,
    warn_first: String,
    warn_last: String,
    paused: String,
    over: String,
    ended: String,
    overtime: String,
    lesson_length: String,
    left: String,
    cap: String,
    no_cap: String,
    planned: String,
    over_cap_note: String,
    none: String,
    reconnecting: String,
    /// "Subject · teacher" of the run the page was written with.
    subject: String,
}

impl CountdownTexts {
    fn new(timer: &ClassTimer) -> CountdownTexts {
        let i18n = use_i18n();
        CountdownTexts {
            running: t_string!(i18n, timer.running).to_string(),
            warn_first: t_string!(i18n, timer.warn_first, n = "{n}").to_string(),
            warn_last: t_string!(i18n, timer.warn_last).to_string(),
            paused: t_string!(i18n, timer.paused).to_string(),
            over: t_string!(i18n, timer.over).to_string(),
            ended: t_string!(i18n, timer.ended).to_string(),
            overtime: t_string!(i18n, timer.overtime).to_string(),
            lesson_length: t_string!(i18n, timer.lesson_length).to_string(),
            left: t_string!(i18n, timer.left).to_string(),
            cap: t_string!(i18n, timer.cap, cap = "{cap}").to_string(),
            no_cap: t_string!(i18n, timer.no_cap).to_string(),
            planned: t_string!(i18n, timer.planned, n = "{n}").to_string(),
            over_cap_note: t_string!(i18n, timer.over_cap_note, time = "{time}").to_string(),
            none: t_string!(i18n, timer.none).to_string(),
            reconnecting: t_string!(i18n, timer.reconnecting).to_string(),
            subject: timer
                .current
                .as_ref()
                .map(|r| format!("{} · {}", subject_text(&r.subject), r.teacher_name))
                .unwrap_or_default(),
        }
    }

    /// What the countdown says at one instant.
    fn phase(&self, phase: Phase, left_ms: i64) -> String {
        match phase {
            Phase::Running => self.running.clone(),
            Phase::FirstWarning => {
                let minutes = (left_ms + MINUTE_MS - 1) / MINUTE_MS;
                self.warn_first.replace("{n}", &minutes.to_string())
            }
            Phase::LastWarning => self.warn_last.clone(),
            Phase::Paused => self.paused.clone(),
            Phase::Overtime => self.over.clone(),
            Phase::Ended => self.ended.clone(),
        }
    }

    fn details(&self, run: &TimerSnapshot, now: i64) -> String {
        let cap = match run.cap_min {
            Some(cap) => self.cap.replace("{cap}", &cap.to_string()),
            None => self.no_cap.clone(),
        };
        let planned = self
            .planned
            .replace("{n}", &(run.clock.planned_ms / MINUTE_MS).to_string());
        let over = run.clock.over_cap_ms(now);
        let over = (over > 0).then(|| {
            self.over_cap_note
                .replace("{time}", &clock_text(over, false))
        });
        [Some(cap), Some(planned), over]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Running => "timer card",
        Phase::FirstWarning => "timer card warn",
        Phase::LastWarning => "timer card warn last",
        Phase::Paused => "timer card paused",
        Phase::Overtime | Phase::Ended => "timer card over",
    }
}

/// A class's countdown, live. With `controls`, the teacher's buttons under it (plain forms,
/// written by the server).
#[component]
fn LiveTimer(timer: ClassTimer, controls: bool) -> impl IntoView {
    let i18n = use_i18n();
    let running = timer.current.clone().filter(|r| r.clock.ended_ms.is_none());
    // Without JavaScript the page reloads itself: often while a lesson runs, now and then otherwise.
    let refresh = if running.is_some() { 10 } else { 30 };
    let texts = CountdownTexts::new(&timer);
    view! {
        <noscript>
            <meta http-equiv="refresh" content=refresh.to_string() />
            <p class="muted">{t_string!(i18n, timer.refreshes, n = refresh)}</p>
        </noscript>
        <LiveCountdown timer texts controls />
        {controls.then_some(running).flatten().map(|run| view! { <Controls run /> })}
    }
}

/// The countdown (an island): the server renders it, then the browser ticks it every quarter
/// second against the server's clock and follows the class's live events, reconnecting on its
/// own when they drop; its stream closes when the page moves on.
#[island]
fn LiveCountdown(timer: ClassTimer, texts: CountdownTexts, controls: bool) -> impl IntoView {
    let class_name = timer.class_name.clone();
    let server_now = timer.server_now_ms;
    let texts = std::sync::Arc::new(texts);
    let state = RwSignal::new(timer);
    // The server's clock as this page knows it; the server renders with its own.
    let now = RwSignal::new(server_now);
    let connected = RwSignal::new(true);
    let root = NodeRef::<leptos::html::Section>::new();
    #[cfg(feature = "hydrate")]
    follow_live(root, controls, state, now, connected);
    #[cfg(not(feature = "hydrate"))]
    let _ = controls;

    let run = move || state.with(|t| t.current.clone());
    let warnings = move || state.with(|t| t.warnings);
    let phase = move || run().map(|r| r.clock.phase(now.get(), warnings()));
    let clock = move || {
        run().map(|r| {
            let now = now.get();
            match r.clock.phase(now, warnings()) {
                Phase::Overtime => format!("+{}", clock_text(-r.clock.remaining_ms(now), false)),
                Phase::Ended => clock_text(r.clock.active_ms(now), false),
                _ => clock_text(r.clock.remaining_ms(now), true),
            }
        })
    };
    let t = texts.clone();
    let clock_label = move || match phase() {
        Some(Phase::Overtime) => t.overtime.clone(),
        Some(Phase::Ended) => t.lesson_length.clone(),
        _ => t.left.clone(),
    };
    let t = texts.clone();
    let status = move || {
        run().map(|r| {
            t.phase(
                r.clock.phase(now.get(), warnings()),
                r.clock.remaining_ms(now.get()),
            )
        })
    };
    let t = texts.clone();
    let details = move || run().map(|r| t.details(&r, now.get()));
    let t = texts.clone();
    view! {
        <section node_ref=root class=move || phase().map(phase_class).unwrap_or("timer card idle") aria-labelledby="timer-class">
            <h2 id="timer-class">{class_name.clone()}</h2>
            {move || match run() {
                None => view! { <p class="timer-status" role="status">{t.none.clone()}</p> }.into_any(),
                Some(_) => view! {
                    <p class="timer-subject">{t.subject.clone()}</p>
                    <p class="timer-label">{clock_label.clone()}</p>
                    <p class="timer-clock" role="timer" aria-label=clock_label.clone()>{clock}</p>
                    <p class="timer-status" role="status">{status.clone()}</p>
                    <p class="muted">{details.clone()}</p>
                }.into_any(),
            }}
            {move || (!connected.get()).then(|| view! {
                <p class="muted" role="status">{texts.reconnecting.clone()}</p>
            })}
        </section>
    }
}

/// Pause or resume, extend, stop: one plain form each.
#[component]
fn Controls(run: TimerSnapshot) -> impl IntoView {
    let i18n = use_i18n();
    let id = run.run_id.to_string();
    let paused = run.clock.paused_at_ms.is_some();
    let room = run
        .cap_min
        .map(|cap| cap as i64 - run.clock.planned_ms / MINUTE_MS);
    let can_extend = room.is_none_or(|m| m > 0);
    view! {
        <div class="timer-controls">
            {if paused {
                view! {
                    <form method="post" action="/api/timer/resume">
                        <input type="hidden" name="run_id" value=id.clone() />
                        <button type="submit">{t_string!(i18n, timer.resume)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <form method="post" action="/api/timer/pause">
                        <input type="hidden" name="run_id" value=id.clone() />
                        <button type="submit" class="secondary">{t_string!(i18n, timer.pause)}</button>
                    </form>
                }.into_any()
            }}
            {can_extend.then(|| view! {
                <form method="post" action="/api/timer/extend" class="inline-form">
                    <input type="hidden" name="run_id" value=id.clone() />
                    <label for="extend-minutes">{t_string!(i18n, timer.extend_by)}</label>
                    <input id="extend-minutes" name="minutes" type="number" inputmode="numeric" min="1"
                        value=room.unwrap_or(5).clamp(1, 5).to_string() class="short" />
                    <button type="submit" class="secondary">{t_string!(i18n, timer.extend)}</button>
                </form>
            })}
            <form method="post" action="/api/timer/stop">
                <input type="hidden" name="run_id" value=id />
                <button type="submit" class="danger">{t_string!(i18n, timer.stop)}</button>
            </form>
        </div>
    }
}

/// In the browser: ticks the clock against the server's (gloo-timers), and follows the class's
/// live events (leptos-use's EventSource); fetches the page again when what the server wrote
/// around the countdown is outdated. Both stop when the island leaves the page.
#[cfg(feature = "hydrate")]
fn follow_live(
    root: NodeRef<leptos::html::Section>,
    controls: bool,
    state: RwSignal<ClassTimer>,
    now: RwSignal<i64>,
    connected: RwSignal<bool>,
) {
    use codee::string::JsonSerdeCodec;
    use leptos_use::core::ConnectionReadyState;
    use leptos_use::{use_event_source, UseEventSourceReturn};
    use std::cell::Cell;
    use std::rc::Rc;

    let (class_id, server_now) = state.with_untracked(|t| (t.class_id, t.server_now_ms));
    // Server time minus this phone's time: a phone set to the wrong time still counts right.
    let offset = Rc::new(Cell::new(server_now - js_sys::Date::now() as i64));
    let tick_offset = offset.clone();
    let tick = gloo_timers::callback::Interval::new(250, move || {
        now.set(js_sys::Date::now() as i64 + tick_offset.get());
    });

    let UseEventSourceReturn {
        message,
        ready_state,
        close,
        ..
    } = use_event_source::<ClassTimer, JsonSerdeCodec>(format!("/live/timer?class={class_id}"));
    Effect::new(move |_| connected.set(ready_state.get() != ConnectionReadyState::Closed));
    Effect::new(move |_| {
        let Some(incoming) = message.get().map(|m| m.data) else {
            return;
        };
        let (stale, outdated) = state.with_untracked(|shown| {
            let key = |t: &ClassTimer| t.current.as_ref().map(|r| (r.run_id, r.clock));
            let stale = match (&shown.current, &incoming.current) {
                (Some(a), Some(b)) => a.run_id == b.run_id && b.version < a.version,
                _ => false,
            };
            let (was, is) = (key(shown), key(&incoming));
            let outdated = super::rules::page_outdated(
                was.as_ref().map(|(id, c)| (*id, c)),
                is.as_ref().map(|(id, c)| (*id, c)),
                controls,
            );
            (stale, outdated)
        });
        if stale {
            return;
        }
        offset.set(incoming.server_now_ms - js_sys::Date::now() as i64);
        now.set(incoming.server_now_ms);
        state.set(incoming);
        if outdated {
            crate::ui::browser::refresh_page();
        }
    });
    let element = move || root.get_untracked().map(|el| el.into());
    crate::ui::browser::when_removed(element, move || {
        drop(tick);
        close();
    });
}

/// Compliance with the caps (per teacher, per class, latest runs), and the school's settings for
/// admins.
#[component]
pub fn TimerReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let report = Resource::new(|| (), |_| super::api::get_report());
    let error = query_error().map(|e| error_text(&e));
    let saved = use_query_map().read_untracked().get("saved").is_some();
    view! {
        <Title text=t_string!(i18n, report.title).to_string() />
        <h1>{t_string!(i18n, report.title)}</h1>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {saved.then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match report.await {
                    Ok(report) => view! {
                        <ComplianceTable title=t_string!(i18n, report.by_teacher).to_string() rows=report.by_teacher />
                        <ComplianceTable title=t_string!(i18n, report.by_class).to_string() rows=report.by_class />
                        <LiveRuns runs=report.live />
                        <RecentRuns runs=report.recent />
                        {report.settings.map(|settings| view! { <SettingsForm settings /> })}
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/timer/report" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComplianceTable(title: String, rows: Vec<super::ComplianceRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{title.clone()}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{t_string!(i18n, report.empty)}</p> }.into_any()
            } else {
                view! {
                    <PercentBars
                        title=t_string!(i18n, report.within_share).to_string()
                        rows=rows.iter().map(|r| (r.name.clone(), r.percent())).collect()
                        target=100
                    />
                    <table class="stacked">
                        <caption class="sr-only">{title}</caption>
                        <thead><tr>
                            <th scope="col">{t_string!(i18n, report.name)}</th>
                            <th scope="col">{t_string!(i18n, report.runs)}</th>
                            <th scope="col">{t_string!(i18n, report.within)}</th>
                            <th scope="col">{t_string!(i18n, report.share)}</th>
                            <th scope="col">{t_string!(i18n, report.over_total)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let share = row.percent().map(|p| format!("{p}\u{a0}%")).unwrap_or_default();
                                view! {
                                    <tr class:over={row.within_cap < row.runs}>
                                        <th scope="row">{row.name.clone()}</th>
                                        <td data-label=t_string!(i18n, report.runs)>{row.runs}</td>
                                        <td data-label=t_string!(i18n, report.within)>{row.within_cap}</td>
                                        <td data-label=t_string!(i18n, report.share)>{share}</td>
                                        <td data-label=t_string!(i18n, report.over_total)>{clock_text(row.over_cap_seconds * 1000, false)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The school's timers going now (admins): a forgotten one can be stopped here; the server also
/// ends it by itself a while after its lesson.
#[component]
fn LiveRuns(runs: Vec<super::TimerSnapshot>) -> impl IntoView {
    let i18n = use_i18n();
    (!runs.is_empty()).then(|| view! {
        <section class="card">
            <h2>{t_string!(i18n, report.live_title)}</h2>
            <p class="muted">{t_string!(i18n, report.live_hint, n = super::rules::FORGOTTEN_MARGIN_MIN)}</p>
            <ul class="plain">
                {runs.into_iter().map(|run| view! {
                    <li class="row">
                        <span>{format!("{} · {} · {}", run.class_name, subject_text(&run.subject), run.teacher_name)}</span>
                        <form method="post" action="/api/timer/stop" class="inline">
                            <input type="hidden" name="run_id" value=run.run_id.to_string() />
                            <input type="hidden" name="from_report" value="1" />
                            <button type="submit" class="secondary">{t_string!(i18n, report.stop_run)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn RecentRuns(runs: Vec<super::RunRow>) -> impl IntoView {
    let i18n = use_i18n();
    (!runs.is_empty()).then(|| view! {
        <section class="card">
            <h2>{t_string!(i18n, report.recent)}</h2>
            <table class="stacked">
                <thead><tr>
                    <th scope="col">{t_string!(i18n, report.date)}</th>
                    <th scope="col">{t_string!(i18n, report.class)}</th>
                    <th scope="col">{t_string!(i18n, report.teacher)}</th>
                    <th scope="col">{t_string!(i18n, report.subject)}</th>
                    <th scope="col">{t_string!(i18n, report.actual)}</th>
                    <th scope="col">{t_string!(i18n, report.cap)}</th>
                    <th scope="col">{t_string!(i18n, report.over)}</th>
                </tr></thead>
                <tbody>
                    {runs.into_iter().map(|run| view! {
                        <tr class:over={run.over_cap_seconds > 0}>
                            <td data-label=t_string!(i18n, report.date)>{crate::ui::format::iso_dotted(&run.date)}</td>
                            <td data-label=t_string!(i18n, report.class)>{run.class_name.clone()}</td>
                            <td data-label=t_string!(i18n, report.teacher)>{run.teacher_name.clone()}</td>
                            <td data-label=t_string!(i18n, report.subject)>{subject_text(&run.subject)}</td>
                            <td data-label=t_string!(i18n, report.actual)>{clock_text(run.actual_seconds * 1000, false)}</td>
                            <td data-label=t_string!(i18n, report.cap)>{run.cap_min.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td data-label=t_string!(i18n, report.over)>{clock_text(run.over_cap_seconds * 1000, false)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    })
}

/// The school's caps by band of grades, and the warning times (admins).
#[component]
fn SettingsForm(settings: super::TimerSettings) -> impl IntoView {
    let i18n = use_i18n();
    let value = |grade: usize| {
        settings.caps.0[grade]
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    let fields = [
        ("cap_1_2", t_string!(i18n, report.cap_1_2), value(1)),
        ("cap_3_4", t_string!(i18n, report.cap_3_4), value(3)),
        ("cap_5_6", t_string!(i18n, report.cap_5_6), value(5)),
        ("cap_7_9", t_string!(i18n, report.cap_7_9), value(7)),
        ("cap_10_11", t_string!(i18n, report.cap_10_11), value(10)),
        ("cap_groups", t_string!(i18n, report.cap_groups), value(0)),
        (
            "warn_first",
            t_string!(i18n, report.warn_first),
            settings.warnings.first_min.to_string(),
        ),
        (
            "warn_last",
            t_string!(i18n, report.warn_last),
            settings.warnings.last_min.to_string(),
        ),
    ];
    view! {
        <section class="card">
            <h2>{t_string!(i18n, report.settings)}</h2>
            <p class="muted">{t_string!(i18n, report.settings_hint)}</p>
            <form method="post" action="/api/timer/settings" class="stack">
                {fields.into_iter().map(|(name, label, value)| view! {
                    <label for=name>{label}</label>
                    <input id=name name=name type="number" min="0" value=value class="short" />
                }).collect_view()}
                <button type="submit">{t_string!(i18n, common.save)}</button>
            </form>
        </section>
    }
}
