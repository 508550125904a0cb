//! `/feedback/rounds` for teachers and admins: compose and open a round, see this cycle's results
//! (without names), who has not answered, remind them; and the student's card for an open round
//! (shown on `/feedback`).

use super::api::get_rounds_page;
use super::rules::{FORM_ROWS, MIN_RESPONSES_FOR_RESULTS};
use super::*;
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::feedback::rules::FEEDBACK_TARGET;
use crate::i18n::*;
use crate::ui::messages::error_text;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

fn kind_text(kind: QuestionKind) -> String {
    let i18n = use_i18n();
    match kind {
        QuestionKind::Rating => t_string!(i18n, rounds.kind_rating),
        QuestionKind::Choice => t_string!(i18n, rounds.kind_choice),
        QuestionKind::Text => t_string!(i18n, rounds.kind_text),
    }
    .to_string()
}

#[component]
pub fn RoundsPageView() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| get_rounds_page());
    let query = use_query_map();
    let done = ["created", "reminded", "stopped"]
        .iter()
        .find(|k| query.read_untracked().get(k).is_some())
        .copied();
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, rounds.title).to_string() />
        <h1>{t_string!(i18n, rounds.title)}</h1>
        <p class="hint">{t_string!(i18n, rounds.hint, target = FEEDBACK_TARGET)}</p>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {done.filter(|_| query_error().is_none()).map(|k| {
            let text = match k {
                "created" => t_string!(i18n, rounds.created_ok),
                "reminded" => t_string!(i18n, rounds.reminded_ok),
                _ => t_string!(i18n, common.saved),
            };
            view! { <p class="ok" role="status">{text}</p> }
        })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <RoundsView page=p /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/feedback/rounds" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoundsView(page: RoundsPage) -> impl IntoView {
    let i18n = use_i18n();
    let RoundsPage {
        rounds,
        classes,
        school_wide,
        today,
    } = page;
    view! {
        <section aria-labelledby="rounds-list">
            <h2 id="rounds-list">{t_string!(i18n, rounds.list_title)}</h2>
            {rounds.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, rounds.none)}</p> })}
            <ol class="lessons">
                {rounds.into_iter().map(|r| view! { <RoundCard round=r /> }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="round-new">
            <h2 id="round-new">{t_string!(i18n, rounds.new_title)}</h2>
            <form method="post" action="/api/rounds/create" class="stack">
                <label for="round-title">{t_string!(i18n, fields.title)}</label>
                <input id="round-title" name="title" required maxlength=super::rules::TITLE_MAX.to_string() />
                <label for="round-audience">{t_string!(i18n, rounds.audience)}</label>
                <select id="round-audience" name="audience">
                    {school_wide.then(|| view! { <option value="school">{t_string!(i18n, rounds.whole_school)}</option> })}
                    {classes.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
                <div class="row">
                    <span class="stack">
                        <label for="round-opens">{t_string!(i18n, rounds.opens)}</label>
                        <DateInput id="round-opens" name="opens_on" required=true value=today.clone() />
                    </span>
                    <span class="stack">
                        <label for="round-closes">{t_string!(i18n, rounds.closes)}</label>
                        <DateInput id="round-closes" name="closes_on" required=true value=today />
                    </span>
                </div>
                <label for="round-repeat">{t_string!(i18n, fields.repeat)}</label>
                <select id="round-repeat" name="repeat_days">
                    <option value="0">{t_string!(i18n, rounds.repeat_none)}</option>
                    <option value="14">{t_string!(i18n, rounds.repeat_every, n = 14)}</option>
                    <option value="21">{t_string!(i18n, rounds.repeat_every, n = 21)}</option>
                    <option value="7">{t_string!(i18n, rounds.repeat_every, n = 7)}</option>
                </select>
                <fieldset class="stack">
                    <legend>{t_string!(i18n, rounds.questions)}</legend>
                    <p class="hint">{t_string!(i18n, rounds.questions_hint)}</p>
                    {(0..FORM_ROWS).map(|i| {
                        let n = i + 1;
                        view! {
                            <div class="card question-row">
                                <label for=format!("q-kind-{i}")>{t_string!(i18n, rounds.question_kind, n = n)}</label>
                                <select id=format!("q-kind-{i}") name=format!("kinds[{i}]")>
                                    {QuestionKind::ALL.into_iter().map(|k| view! { <option value=k.as_db() selected=k == if i == 0 { QuestionKind::Rating } else { QuestionKind::Text }>{kind_text(k)}</option> }).collect_view()}
                                </select>
                                <label for=format!("q-prompt-{i}")>{t_string!(i18n, rounds.question_text, n = n)}</label>
                                <input id=format!("q-prompt-{i}") name=format!("prompts[{i}]") maxlength=super::rules::PROMPT_MAX.to_string() required=i == 0 />
                                <label for=format!("q-choices-{i}")>{t_string!(i18n, rounds.choices, n = n)}</label>
                                <textarea id=format!("q-choices-{i}") name=format!("choices[{i}]") rows="2"></textarea>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{t_string!(i18n, rounds.open_round)}</button>
            </form>
        </section>
    }
}

/// One round for its author: the cycle, the share answered against the 70 % target, results,
/// who has not answered and the reminder.
#[component]
fn RoundCard(round: RoundReport) -> impl IntoView {
    let i18n = use_i18n();
    let id = round.id;
    let percent = round.response_percent();
    let below = percent.is_some_and(|p| p < FEEDBACK_TARGET);
    let share = percent.map_or_else(|| "—".to_string(), |p| format!("{p}\u{a0}%"));
    let audience = round
        .class_name
        .clone()
        .unwrap_or_else(|| t_string!(i18n, rounds.whole_school).to_string());
    let heading = format!("round-{id}");
    let labelled = heading.clone();
    let state = if round.stopped {
        t_string!(i18n, rounds.stopped)
    } else if round.open {
        t_string!(i18n, rounds.state_open)
    } else {
        t_string!(i18n, rounds.state_closed)
    };
    let missing = round.missing.clone();
    view! {
        <li class="card round" aria-labelledby=labelled>
            <div class="lesson-head">
                <span class="lesson-time">{format!("{} – {}", round.opens, round.closes)}</span>
                <span class="badge">{state}</span>
            </div>
            <h3 class="lesson-subject" id=heading>{round.title.clone()}</h3>
            <p class="muted">
                {audience}" · "{round.author_name.clone()}
                {round.cycle.map(|c| format!(" · {}", t_string!(i18n, rounds.cycle, n = c)))}
                {(round.repeat_days > 0).then(|| format!(" · {}", t_string!(i18n, rounds.repeat_every, n = round.repeat_days)))}
            </p>
            <p>
                <strong class:below=below>{t_string!(i18n, rounds.responded, done = round.responded, total = round.expected, share = share)}</strong>
            </p>
            {match round.results_cycle {
                Some(n) => view! { <p class="muted">{t_string!(i18n, rounds.results_of, n = n)}</p> }.into_any(),
                None => round.cycle.is_some().then(|| view! {
                    <p class="muted">{t_string!(i18n, rounds.results_later, n = MIN_RESPONSES_FOR_RESULTS)}</p>
                }).into_any(),
            }}
            {round.results.into_iter().map(|q| view! { <ResultView q /> }).collect_view()}
            {(!missing.is_empty()).then(|| view! {
                <details>
                    <summary>{t_string!(i18n, rounds.missing, n = missing.len())}</summary>
                    <ul class="plain">{missing.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
                </details>
            })}
            {(round.reminded > 0).then(|| view! { <p class="muted">{t_string!(i18n, rounds.reminded_count, n = round.reminded)}</p> })}
            <div class="row">
                {(round.open && round.responded < round.expected).then(|| view! {
                    <form method="post" action="/api/rounds/remind" class="inline">
                        <input type="hidden" name="round_id" value=id.to_string() />
                        <button type="submit" class="secondary">{t_string!(i18n, rounds.remind)}</button>
                    </form>
                })}
                {(!round.stopped).then(|| view! {
                    <form method="post" action="/api/rounds/stop" class="inline">
                        <input type="hidden" name="round_id" value=id.to_string() />
                        <button type="submit" class="secondary small">{t_string!(i18n, rounds.stop)}</button>
                    </form>
                })}
            </div>
        </li>
    }
}

#[component]
fn ResultView(q: QuestionResult) -> impl IntoView {
    let i18n = use_i18n();
    let body = match q.kind {
        QuestionKind::Rating => {
            let text = if q.rating_count == 0 {
                "—".to_string()
            } else {
                let tenths = (q.rating_sum * 20 + q.rating_count) / (2 * q.rating_count);
                t_string!(i18n, rounds.average, avg = format!("{}.{}", tenths / 10, tenths % 10), n = q.rating_count).to_string()
            };
            view! { <p>{text}</p> }.into_any()
        }
        QuestionKind::Choice => view! {
            <ul class="plain">{q.counts.into_iter().map(|(option, n)| view! { <li>{option}": "<strong>{n}</strong></li> }).collect_view()}</ul>
        }.into_any(),
        QuestionKind::Text => view! {
            <ul class="plain quotes">{q.texts.into_iter().map(|t| view! { <li>"«"{t}"»"</li> }).collect_view()}</ul>
        }.into_any(),
    };
    view! {
        <div class="result">
            <h4>{q.prompt}</h4>
            {body}
        </div>
    }
}

/// A round the student answers (or edits) on `/feedback`.
#[component]
pub fn OpenRoundCard(round: OpenRound) -> impl IntoView {
    let i18n = use_i18n();
    let id = round.id;
    let heading = format!("open-round-{id}");
    let labelled = heading.clone();
    let mine = round.mine.clone();
    let given = mine.is_some();
    let value = move |i: usize| {
        mine.as_ref()
            .and_then(|m| m.get(i).cloned())
            .unwrap_or_default()
    };
    let form = view! {
        <form method="post" action="/api/rounds/answer" class="stack">
            <input type="hidden" name="round_id" value=id.to_string() />
            {round.questions.iter().enumerate().map(|(i, q)| {
                let current = value(i);
                let qid = q.id;
                let field = format!("answers[{i}]");
                let hidden = view! { <input type="hidden" name=format!("questions[{i}]") value=qid.to_string() /> };
                let body = match q.kind {
                    QuestionKind::Rating => view! {
                        <fieldset class="rating">
                            <legend>{q.prompt.clone()}</legend>
                            {(1..=5u8).map(|r| {
                                let input = format!("round-{id}-{qid}-{r}");
                                view! {
                                    <input type="radio" id=input.clone() name=field.clone() value=r.to_string() required=true checked=current == r.to_string() />
                                    <label for=input>{r}</label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }.into_any(),
                    QuestionKind::Choice => view! {
                        <fieldset class="stack">
                            <legend>{q.prompt.clone()}</legend>
                            {q.choices.iter().enumerate().map(|(c, option)| view! {
                                <label class="check">
                                    <input type="radio" name=field.clone() value=c.to_string() required=true checked=current == c.to_string() />
                                    {option.clone()}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    }.into_any(),
                    QuestionKind::Text => {
                        let input = format!("round-{id}-{qid}");
                        view! {
                            <label for=input.clone()>{q.prompt.clone()}</label>
                            <textarea id=input name=field.clone() rows="2">{current}</textarea>
                        }.into_any()
                    }
                };
                view! { {hidden}{body} }
            }).collect_view()}
            <button type="submit">{t_string!(i18n, feedback.send)}</button>
        </form>
    };
    view! {
        <li class="card round" class:reminded=round.reminded aria-labelledby=labelled>
            <div class="lesson-head">
                <span class="lesson-time">{t_string!(i18n, rounds.until, date = round.closes.clone())}</span>
                {given.then(|| view! { <span class="badge">{t_string!(i18n, feedback.given)}</span> })}
            </div>
            <h2 class="lesson-subject" id=heading>{round.title.clone()}</h2>
            <p class="muted">{round.author_name.clone()}</p>
            {round.reminded.then(|| view! { <p class="ok" role="note">{t_string!(i18n, rounds.reminder)}</p> })}
            <details class="edit" open=!given>
                <summary>{if given { t_string!(i18n, feedback.edit) } else { t_string!(i18n, rounds.answer) }}</summary>
                {form}
            </details>
        </li>
    }
}
