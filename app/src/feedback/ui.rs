//! `/feedback`: a student's recent lessons, each with a feedback form or their feedback and the
//! teacher's answer; a teacher's inbox to answer one by one, the class shares against the
//! regulation's thresholds, and the attendance lists of the last lessons.

use super::api::get_feedback_page;
use super::rounds::ui::OpenRoundCard;
use super::rules::{Attendance, ATTENDANCE_TARGET, FEEDBACK_TARGET};
use super::*;
use crate::accounts::ui::query_error;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::ui::{hhmm, subject_text};
use crate::ui::chart::PercentBars;
use crate::ui::messages::error_text;
use crate::ui::recorder::recorder;
use crate::ui::{ErrorBox, FilePick, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

fn status_text(a: Attendance) -> String {
    let i18n = use_i18n();
    match a {
        Attendance::Present => t_string!(i18n, feedback.present),
        Attendance::Late => t_string!(i18n, feedback.late),
        Attendance::Absent => t_string!(i18n, feedback.absent),
        Attendance::Excused => t_string!(i18n, feedback.excused),
    }
    .to_string()
}

fn share(p: Option<i64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p}\u{a0}%"))
}

#[component]
pub fn FeedbackPageView() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| get_feedback_page());
    let query = use_query_map();
    let done = ["saved", "answered", "marked"]
        .iter()
        .any(|k| query.read_untracked().get(k).is_some());
    let error = query_error().map(|e| error_text(&e));
    view! {
        <Title text=t_string!(i18n, feedback.title).to_string() />
        <h1>{t_string!(i18n, feedback.title)}</h1>
        {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
        {(done && query_error().is_none()).then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(FeedbackPage::Student { lessons, window_days, rounds }) => view! { <StudentView lessons window_days rounds /> }.into_any(),
                    Ok(FeedbackPage::Teacher { inbox, unanswered, kpis, held }) => view! { <TeacherView inbox unanswered kpis held /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/feedback" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StudentView(
    lessons: Vec<RecentLesson>,
    window_days: i64,
    rounds: Vec<super::rounds::OpenRound>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {(!rounds.is_empty()).then(|| view! {
            <section aria-labelledby="open-rounds">
                <h2 id="open-rounds">{t_string!(i18n, feedback.rounds_title)}</h2>
                <ol class="lessons">
                    {rounds.into_iter().map(|round| view! { <OpenRoundCard round /> }).collect_view()}
                </ol>
            </section>
        })}
        <p class="hint">{t_string!(i18n, feedback.student_hint, n = window_days)}</p>
        {lessons.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, feedback.no_lessons)}</p> })}
        <ol class="lessons">
            {lessons.into_iter().enumerate().map(|(i, l)| view! { <FeedbackCard lesson=l first=i == 0 /> }).collect_view()}
        </ol>
    }
}

/// One lesson: the student's feedback and the answer, or the form (also to edit).
#[component]
fn FeedbackCard(lesson: RecentLesson, first: bool) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!("{}-{}", lesson.lesson_id, lesson.date);
    let title = format!(
        "{} · {}",
        subject_text(&lesson.subject),
        lesson.teacher_name
    );
    let mine = lesson.mine.clone();
    let given = mine.is_some();
    let m = mine.clone().unwrap_or(MyFeedback {
        rating: 0,
        clear_text: String::new(),
        unclear_text: String::new(),
        comment: String::new(),
        anonymous: false,
        answer: None,
        answer_audio: None,
    });
    let heading = format!("fb-{key}");
    let labelled = heading.clone();
    let form = view! {
        <form method="post" action="/api/feedback/give" class="stack">
            <input type="hidden" name="lesson_id" value=lesson.lesson_id.to_string() />
            <input type="hidden" name="date" value=lesson.date.clone() />
            <fieldset class="rating">
                <legend>{t_string!(i18n, feedback.rating)}</legend>
                {(1..=5u8).map(|r| {
                    let id = format!("rating-{key}-{r}");
                    view! {
                        <input type="radio" id=id.clone() name="rating" value=r.to_string() required=true checked=m.rating == r />
                        <label for=id>{r}</label>
                    }
                }).collect_view()}
            </fieldset>
            <label for=format!("clear-{key}")>{t_string!(i18n, feedback.clear)}</label>
            <textarea id=format!("clear-{key}") name="clear_text" rows="2">{m.clear_text.clone()}</textarea>
            <label for=format!("unclear-{key}")>{t_string!(i18n, feedback.unclear)}</label>
            <textarea id=format!("unclear-{key}") name="unclear_text" rows="2">{m.unclear_text.clone()}</textarea>
            <label for=format!("comment-{key}")>{t_string!(i18n, feedback.comment)}</label>
            <textarea id=format!("comment-{key}") name="comment" rows="2">{m.comment.clone()}</textarea>
            <label class="check">
                <input type="checkbox" name="anonymous" value="1" checked=m.anonymous />
                {t_string!(i18n, feedback.anonymous)}
            </label>
            <button type="submit">{t_string!(i18n, feedback.send)}</button>
        </form>
    };
    view! {
        <li class="lesson card" aria-labelledby=labelled>
            <div class="lesson-head">
                <span class="lesson-time">{crate::ui::format::iso_day(&lesson.date)}" · "{hhmm(lesson.starts)}"–"{hhmm(lesson.ends)}</span>
                {given.then(|| view! { <span class="badge">{t_string!(i18n, feedback.given)}</span> })}
            </div>
            <h2 class="lesson-subject" id=heading>{title}</h2>
            {mine.map(|f| view! {
                <p>{t_string!(i18n, feedback.your_rating, n = f.rating)}
                    {f.anonymous.then(|| view! { " · "<span class="muted">{t_string!(i18n, feedback.sent_anonymously)}</span> })}
                </p>
                {match f.answer {
                    Some(answer) => view! {
                        <div class="answer" role="note">
                            <strong>{t_string!(i18n, feedback.teacher_answer)}</strong>
                            {(!answer.is_empty()).then(|| view! { <p>{answer}</p> })}
                            {f.answer_audio.map(|a| answer_player(&a))}
                        </div>
                    }.into_any(),
                    None => view! { <p class="muted">{t_string!(i18n, feedback.waiting_answer)}</p> }.into_any(),
                }}
            })}
            // Only the latest lesson's form is open: a phone shows a short list, not ten forms.
            {if given {
                view! { <details class="edit"><summary>{t_string!(i18n, feedback.edit)}</summary>{form}</details> }.into_any()
            } else {
                view! { <details class="edit" open=first><summary>{t_string!(i18n, feedback.give)}</summary>{form}</details> }.into_any()
            }}
        </li>
    }
}

#[component]
fn TeacherView(
    inbox: Vec<InboxItem>,
    unanswered: i64,
    kpis: Vec<ClassKpi>,
    held: Vec<HeldLesson>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p><a href="/feedback/rounds">{t_string!(i18n, feedback.rounds_link)}</a></p>
        <section aria-labelledby="inbox-title">
            <h2 id="inbox-title">{t_string!(i18n, feedback.inbox_title, n = unanswered)}</h2>
            {inbox.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, feedback.inbox_empty)}</p> })}
            <ol class="lessons">
                {inbox.into_iter().map(|item| {
                    let id = item.id;
                    let author = item.author.clone().unwrap_or_else(|| t_string!(i18n, feedback.anonymous_author).to_string());
                    view! {
                        <li class="card" id=format!("feedback-{id}") class:answered=item.answer.is_some()>
                            <div class="lesson-head">
                                <span class="lesson-time">{crate::ui::format::iso_text(&item.date)}</span>
                                <span class="badge">{item.class_name.clone()}</span>
                            </div>
                            <h3 class="lesson-subject">{subject_text(&item.subject)}" · "{t_string!(i18n, feedback.your_rating, n = item.rating)}</h3>
                            <p class="muted">{author}</p>
                            {(!item.clear_text.is_empty()).then(|| view! { <p><strong>{t_string!(i18n, feedback.clear)}": "</strong>{item.clear_text.clone()}</p> })}
                            {(!item.unclear_text.is_empty()).then(|| view! { <p><strong>{t_string!(i18n, feedback.unclear)}": "</strong>{item.unclear_text.clone()}</p> })}
                            {(!item.comment.is_empty()).then(|| view! { <p><strong>{t_string!(i18n, feedback.comment)}": "</strong>{item.comment.clone()}</p> })}
                            {item.answer_audio.as_ref().map(answer_player)}
                            // Multipart, so the recording (or a file picked instead) travels with the text.
                            <form method="post" action="/feedback/answer" enctype="multipart/form-data" class="stack">
                                <input type="hidden" name="feedback_id" value=id.to_string() />
                                <label for=format!("answer-{id}")>{t_string!(i18n, feedback.answer_label)}</label>
                                <textarea id=format!("answer-{id}") name="answer" rows="2">{item.answer.clone().unwrap_or_default()}</textarea>
                                <label for=format!("answer-audio-{id}")>{t_string!(i18n, feedback.answer_audio)}</label>
                                <FilePick><input type="file" id=format!("answer-audio-{id}") name="audio" accept="audio/*" capture="user" /></FilePick>
                                {recorder(format!("answer-audio-{id}"))}
                                <p class="hint">{t_string!(i18n, feedback.answer_hint)}</p>
                                <button type="submit">{if item.answer.is_some() { t_string!(i18n, common.save) } else { t_string!(i18n, feedback.answer) }}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="kpi-title">
            <h2 id="kpi-title">{t_string!(i18n, feedback.kpi_title)}</h2>
            <p class="hint">{t_string!(i18n, feedback.kpi_hint, attendance = ATTENDANCE_TARGET, feedback = FEEDBACK_TARGET)}</p>
            <div class="columns charts">
                <PercentBars
                    title=t_string!(i18n, feedback.attendance).to_string()
                    rows=kpis.iter().map(|k| (k.class_name.clone(), k.attendance_percent())).collect()
                    target=ATTENDANCE_TARGET
                />
                <PercentBars
                    title=t_string!(i18n, feedback.response).to_string()
                    rows=kpis.iter().map(|k| (k.class_name.clone(), k.feedback_percent())).collect()
                    target=FEEDBACK_TARGET
                />
            </div>
            <div class="table-wrap">
                <table class="stacked">
                    <thead><tr>
                        <th>{t_string!(i18n, fields.class)}</th>
                        <th>{t_string!(i18n, feedback.lessons)}</th>
                        <th>{t_string!(i18n, feedback.attendance)}</th>
                        <th>{t_string!(i18n, feedback.response)}</th>
                        <th>{t_string!(i18n, feedback.answered)}</th>
                    </tr></thead>
                    <tbody>
                        {kpis.into_iter().map(|k| {
                            let low_attendance = k.attendance_percent().is_some_and(|p| p < ATTENDANCE_TARGET);
                            let low_feedback = k.feedback_percent().is_some_and(|p| p < FEEDBACK_TARGET);
                            view! {
                                <tr>
                                    <td data-label=t_string!(i18n, fields.class)>{k.class_name.clone()}</td>
                                    <td data-label=t_string!(i18n, feedback.lessons)>{k.lessons}</td>
                                    <td data-label=t_string!(i18n, feedback.attendance) class:below=low_attendance>{share(k.attendance_percent())}</td>
                                    <td data-label=t_string!(i18n, feedback.response) class:below=low_feedback>{share(k.feedback_percent())}</td>
                                    <td data-label=t_string!(i18n, feedback.answered)>{share(k.answered_percent())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="attendance-title">
            <h2 id="attendance-title">{t_string!(i18n, feedback.attendance_title)}</h2>
            {held.into_iter().map(|h| view! {
                <details class="card">
                    <summary>{crate::ui::format::iso_text(&h.date)}" "{hhmm(h.starts)}" · "{subject_text(&h.subject)}" · "{h.class_name.clone()}</summary>
                    <ul class="plain">
                        {h.roster.into_iter().map(|r| {
                            let id = format!("att-{}-{}-{}", h.lesson_id, h.date, r.student_id);
                            view! {
                                <li>
                                    <form method="post" action="/api/attendance/mark" class="inline">
                                        <input type="hidden" name="lesson_id" value=h.lesson_id.to_string() />
                                        <input type="hidden" name="date" value=h.date.clone() />
                                        <input type="hidden" name="student_id" value=r.student_id.to_string() />
                                        <label for=id.clone()>{r.full_name.clone()}{r.joined.then(|| format!(" ({})", t_string!(i18n, feedback.joined)))}</label>
                                        <select id=id name="status">
                                            {Attendance::ALL.into_iter().map(|a| view! {
                                                <option value=a.as_db() selected=a == r.status>{status_text(a)}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="small secondary">{t_string!(i18n, common.save)}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            }).collect_view()}
        </section>
    }
}

/// The teacher's recorded answer as a player (loaded only when played: phones on slow networks).
fn answer_player(audio: &AnswerAudio) -> impl IntoView {
    let i18n = use_i18n();
    let size = format!("{} KB", audio.size.max(0).unsigned_abs().div_ceil(1024));
    view! {
        <p class="muted">{t_string!(i18n, feedback.answer_audio_label)}" · "{size}</p>
        <audio controls preload="none" src=audio.href()></audio>
    }
}
