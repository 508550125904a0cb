//! `/tasks`: a teacher gives tasks and follows each class's hand-ins; a student hands in and
//! reads the reviews; a parent follows their children. `/tasks/:id`: a task's review queue, one
//! student at a time. `/journal`: the grades of accepted work per class and subject.
//! Server-rendered pages with plain forms: no WASM.

use super::api::{get_journal, get_task_queue, get_tasks_page};
use super::rules::{
    due_state, is_audio, is_image, may_hand_in, Due, HandInState, Verdict, WorkForm,
};
use super::*;
use crate::accounts::ui::post_status;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::ui::subject_text;
use crate::ui::format::when_text as when;
use crate::ui::recorder::recorder;
use crate::ui::DateInput;
use crate::ui::{ErrorBox, FilePick, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

pub fn work_form_text(form: WorkForm) -> String {
    let i18n = use_i18n();
    match form {
        WorkForm::SelfStudy => t_string!(i18n, tasks.form_self_study),
        WorkForm::Test => t_string!(i18n, tasks.form_test),
        WorkForm::Practical => t_string!(i18n, tasks.form_practical),
        WorkForm::Lab => t_string!(i18n, tasks.form_lab),
        WorkForm::Essay => t_string!(i18n, tasks.form_essay),
        WorkForm::Project => t_string!(i18n, tasks.form_project),
    }
    .to_string()
}

fn state_badge(state: HandInState) -> impl IntoView {
    let i18n = use_i18n();
    let (text, class) = match state {
        HandInState::ToDo => (t_string!(i18n, tasks.state_todo), "badge"),
        HandInState::HandedIn => (t_string!(i18n, tasks.state_handed_in), "badge"),
        HandInState::Returned => (t_string!(i18n, tasks.state_returned), "badge warn"),
        HandInState::Accepted => (t_string!(i18n, tasks.state_accepted), "badge done"),
    };
    view! { <span class=class>{text.to_string()}</span> }
}

/// "до 2026-12-04 18:00", with "today" / "overdue" when it matters to someone still to do it.
fn due_line(due_at: i64, now: i64, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let flag = open.then(|| match due_state(now, due_at) {
        Due::Overdue => {
            Some(view! { " "<span class="badge warn">{t_string!(i18n, tasks.overdue)}</span> })
        }
        Due::Today => {
            Some(view! { " "<span class="badge warn">{t_string!(i18n, tasks.due_today)}</span> })
        }
        Due::Later => None,
    });
    view! { <span class="due">{t_string!(i18n, tasks.due, when = when(due_at))}</span>{flag} }
}

/// The overdue tasks and those due today, each a link to its card on `/tasks`, and how many are
/// due later: a student's and each child's home card. `compact` is the class teacher's roster
/// cell: what is missing only, no links (the tasks are the student's).
#[component]
pub fn TaskDigestView(digest: TaskDigest, #[prop(optional)] compact: bool) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |task: OpenTask, class: &'static str, flag: String| {
        let text = format!("{} · {}", subject_text(&task.subject), task.title);
        view! {
            <li class=class>
                {if compact {
                    view! { <span>{text}</span> }.into_any()
                } else {
                    view! { <a href=format!("/tasks#task-{}", task.id)>{text}</a> }.into_any()
                }}
                " "<span class="badge warn">{flag}</span>
                {task.returned.then(|| view! { " "<span class="badge">{t_string!(i18n, tasks.state_returned)}</span> })}
                <br /><small class="muted">{t_string!(i18n, tasks.due, when = when(task.due_at))}</small>
            </li>
        }
    };
    let nothing = digest.overdue.is_empty() && digest.today.is_empty();
    let overdue = t_string!(i18n, tasks.overdue).to_string();
    let today = t_string!(i18n, tasks.due_today).to_string();
    view! {
        {nothing.then(|| if compact {
            view! { <p class="digest-clear">{t_string!(i18n, tasks.nothing_missing)}</p> }.into_any()
        } else {
            view! { <p class="muted">{t_string!(i18n, tasks.digest_none)}</p> }.into_any()
        })}
        {(!nothing).then(|| view! {
            <ul class="digest">
                {digest.overdue.into_iter().map(|t| line(t, "overdue", overdue.clone())).collect_view()}
                {digest.today.into_iter().map(|t| line(t, "today", today.clone())).collect_view()}
            </ul>
        })}
        {(!compact && digest.later > 0).then(|| view! { <p class="muted">{t_string!(i18n, tasks.digest_later, n = digest.later)}</p> })}
    }
}

/// What a task form shows first: a new task's guesses, or the task being changed.
struct TaskValues {
    title: String,
    form: WorkForm,
    due_date: String,
    due_time: String,
    instructions: String,
    link: String,
    graded: bool,
}

impl TaskValues {
    fn fresh(due_date: String) -> TaskValues {
        TaskValues {
            title: String::new(),
            form: WorkForm::SelfStudy,
            due_date,
            due_time: "18:00".into(),
            instructions: String::new(),
            link: String::new(),
            graded: true,
        }
    }

    fn of(task: &TaskText) -> TaskValues {
        let due = crate::ui::format::when(task.due_at);
        let (date, time) = due.split_once(' ').unwrap_or((&due, "18:00"));
        TaskValues {
            title: task.title.clone(),
            form: task.form,
            due_date: date.to_string(),
            due_time: time.to_string(),
            instructions: task.instructions.clone(),
            link: task.link.clone().unwrap_or_default(),
            graded: task.graded,
        }
    }
}

/// The fields of a task form (giving one, or changing it); `prefix` keeps the ids apart.
fn task_fields(prefix: &str, v: TaskValues) -> impl IntoView {
    let i18n = use_i18n();
    let id = |name: &str| format!("{prefix}-{name}");
    view! {
        <label for=id("title")>{t_string!(i18n, tasks.task_title)}</label>
        <input id=id("title") name="title" required maxlength="120" value=v.title />
        <label for=id("form")>{t_string!(i18n, tasks.work_form)}</label>
        <select id=id("form") name="form">
            {WorkForm::ALL.into_iter().map(|f| view! { <option value=f.as_db() selected=f == v.form>{work_form_text(f)}</option> }).collect_view()}
        </select>
        <div class="row">
            <div class="stack">
                <label for=id("due-date")>{t_string!(i18n, tasks.due_date)}</label>
                <DateInput id=id("due-date") name="due_date" required=true value=v.due_date />
            </div>
            <div class="stack">
                <label for=id("due-time")>{t_string!(i18n, tasks.due_time)}</label>
                <input id=id("due-time") name="due_time" type="time" required value=v.due_time />
            </div>
        </div>
        <label for=id("instructions")>{t_string!(i18n, tasks.instructions)}</label>
        <textarea id=id("instructions") name="instructions" rows="4">{v.instructions}</textarea>
        <label for=id("link")>{t_string!(i18n, tasks.link)}</label>
        <input id=id("link") name="link" type="url" inputmode="url" placeholder="https://" value=v.link />
        <label class="check">
            <input type="checkbox" name="graded" value="1" checked=v.graded />
            {t_string!(i18n, tasks.graded)}
        </label>
        <p class="hint">{t_string!(i18n, tasks.graded_hint)}</p>
    }
}

fn failed(err: AppError, here: &str) -> AnyView {
    match err {
        AppError::NotLoggedIn => {
            view! { <Redirect path=format!("/login?next={here}") /> }.into_any()
        }
        err => view! { <ErrorBox err /> }.into_any(),
    }
}

#[component]
pub fn TasksPageView() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| get_tasks_page());
    view! {
        <Title text=t_string!(i18n, tasks.title).to_string() />
        <h1>{t_string!(i18n, tasks.title)}</h1>
        {post_status()}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(TasksPage::Teacher { teaching, tasks, now }) => view! { <TeacherTasks teaching tasks now /> }.into_any(),
                    Ok(TasksPage::Student { tasks, now }) => view! { <StudentTasks tasks now /> }.into_any(),
                    Ok(TasksPage::Parent { children, now }) => view! { <ParentTasks children now /> }.into_any(),
                    Err(err) => failed(err, "/tasks"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TeacherTasks(teaching: Vec<Teaching>, tasks: Vec<TaskSummary>, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    // Tomorrow, as the date field's first guess.
    let tomorrow =
        crate::timetable::rules::iso_date(crate::timetable::rules::bishkek_day_minute(now).0 + 1);
    let empty = tasks.is_empty();
    view! {
        <p><a href="/journal">{t_string!(i18n, tasks.journal_link)}</a></p>
        <details class="card" open=empty>
            <summary><h2 class="inline-heading">{t_string!(i18n, tasks.give_title)}</h2></summary>
            {if teaching.is_empty() {
                view! { <p class="muted">{t_string!(i18n, tasks.no_teaching)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action="/api/tasks/create" class="stack">
                        <label for="task-teaching">{t_string!(i18n, tasks.class_subject)}</label>
                        <select id="task-teaching" name="teaching" required>
                            {teaching.into_iter().map(|t| view! {
                                <option value=format!("{}:{}", t.class_id, t.subject_id)>{format!("{} · {}", t.class_name, subject_text(&t.subject))}</option>
                            }).collect_view()}
                        </select>
                        {task_fields("task", TaskValues::fresh(tomorrow))}
                        <button type="submit">{t_string!(i18n, tasks.give)}</button>
                    </form>
                }.into_any()
            }}
        </details>
        <section aria-labelledby="given-title">
            <h2 id="given-title">{t_string!(i18n, tasks.given_title)}</h2>
            {empty.then(|| view! { <p class="muted">{t_string!(i18n, tasks.none_given)}</p> })}
            <ol class="lessons">
                {tasks.into_iter().map(|t| {
                    let heading = format!("task-{}-title", t.id);
                    let labelled = heading.clone();
                    view! {
                        <li class="card" aria-labelledby=labelled id=format!("task-{}", t.id)>
                            <div class="task-head">
                                <span class="lesson-time">{due_line(t.due_at, now, false)}</span>
                                <span class="badge">{t.class_name.clone()}</span>
                            </div>
                            <h3 class="lesson-subject" id=heading>{format!("{} · {}", subject_text(&t.subject), t.title)}</h3>
                            <p class="muted">{work_form_text(t.form)}
                                {t.withdrawn.then(|| view! { " · "<span class="badge warn">{t_string!(i18n, tasks.withdrawn)}</span> })}
                            </p>
                            <p>{t_string!(i18n, tasks.progress, handed = t.handed_in, students = t.students, review = t.to_review, accepted = t.accepted)}</p>
                            <div class="inline-form">
                                <a class="button" href=format!("/tasks/{}", t.id)>
                                    {if t.to_review > 0 { t_string!(i18n, tasks.review_n, n = t.to_review).to_string() } else { t_string!(i18n, tasks.open_queue).to_string() }}
                                </a>
                                {(!t.withdrawn).then(|| view! {
                                    <form method="post" action="/api/tasks/withdraw">
                                        <input type="hidden" name="task_id" value=t.id.to_string() />
                                        <button type="submit" class="secondary">{t_string!(i18n, tasks.withdraw)}</button>
                                    </form>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The task's own words: form of work, instructions, link.
fn task_body(task: &TaskText) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted">{work_form_text(task.form)}" · "{task.teacher_name.clone()}
            {(!task.graded).then(|| view! { " · "{t_string!(i18n, tasks.not_graded)} })}
        </p>
        {(!task.instructions.is_empty()).then(|| view! { <p class="pre">{task.instructions.clone()}</p> })}
        {task.link.clone().map(|href| view! {
            <p><a href=href rel="external noopener" target="_blank">{t_string!(i18n, tasks.open_link)}</a></p>
        })}
    }
}

/// A file of a hand-in or a review: a photo shown small (a tap opens it), audio as a player,
/// anything else (a PDF) as a link.
fn file_view(f: &FileRef) -> AnyView {
    let i18n = use_i18n();
    let href = format!("/tasks/files/{}", f.id);
    let size = format!("{} KB", f.size.max(0).unsigned_abs().div_ceil(1024));
    if is_audio(&f.mime) {
        view! {
            <span class="muted">{t_string!(i18n, tasks.audio)}" · "{size}</span>
            <audio controls preload="none" src=href.clone()></audio>
        }
        .into_any()
    } else if is_image(&f.mime) {
        view! {
            <a href=href.clone() rel="external" target="_blank">
                <img class="work-photo" src=href.clone() loading="lazy" alt=f.name.clone() />
            </a>
        }
        .into_any()
    } else {
        view! { <a href=href rel="external" target="_blank">{f.name.clone()}" ("{size}")"</a> }
            .into_any()
    }
}

/// One version of a hand-in with its review and grade.
fn version_view(h: &HandIn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted">{t_string!(i18n, tasks.version, n = h.version, when = when(h.handed_in_at))}
            {h.late.then(|| view! { " "<span class="badge warn">{t_string!(i18n, tasks.late)}</span> })}
        </p>
        {(!h.body.is_empty()).then(|| view! { <p class="pre">{h.body.clone()}</p> })}
        {(!h.files.is_empty()).then(|| view! {
            <ul class="files">{h.files.iter().map(|f| view! { <li>{file_view(f)}</li> }).collect_view()}</ul>
        })}
        {h.verdict.map(|verdict| {
            let head = match (verdict, h.grade) {
                (Verdict::Accepted, Some(g)) => t_string!(i18n, tasks.accepted_with, grade = g).to_string(),
                (Verdict::Accepted, None) => t_string!(i18n, tasks.state_accepted).to_string(),
                (Verdict::Returned, _) => t_string!(i18n, tasks.returned_because).to_string(),
            };
            view! {
                <div class="answer" role="note">
                    <strong>{head}</strong>
                    {h.review.clone().map(|r| view! { <p class="pre">{r}</p> })}
                    {h.review_audio.as_ref().map(file_view)}
                </div>
            }
        })}
    }
}

/// A task on a student's or parent's list; `hand_in` adds the form where the student may still
/// hand in.
fn student_task_card(st: StudentTask, now: i64, hand_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = st.task.id;
    let heading = format!("task-{id}-title");
    let labelled = heading.clone();
    let open = st.state.open();
    let form = (hand_in && may_hand_in(st.state, false).is_ok()).then(|| {
        let label = if st.versions.is_empty() {
            t_string!(i18n, tasks.hand_in)
        } else {
            t_string!(i18n, tasks.hand_in_again)
        };
        view! {
            <form method="post" action="/tasks/submit" enctype="multipart/form-data" class="stack">
                <input type="hidden" name="task_id" value=id.to_string() />
                <label for=format!("work-{id}")>{t_string!(i18n, tasks.your_work)}</label>
                <textarea id=format!("work-{id}") name="body" rows="5"></textarea>
                <label for=format!("files-{id}")>{t_string!(i18n, tasks.attach)}</label>
                <FilePick><input type="file" id=format!("files-{id}") name="files" multiple accept="image/*,application/pdf" /></FilePick>
                <label for=format!("audio-{id}")>{t_string!(i18n, tasks.audio_answer)}</label>
                <FilePick><input type="file" id=format!("audio-{id}") name="audio" accept="audio/*" capture="user" /></FilePick>
                {recorder(format!("audio-{id}"))}
                <p class="hint">{t_string!(i18n, tasks.attach_hint)}</p>
                <button type="submit">{label}</button>
            </form>
        }
    });
    let mut versions = st.versions.into_iter();
    let latest = versions.next();
    let earlier: Vec<HandIn> = versions.collect();
    view! {
        <li class="card" aria-labelledby=labelled id=format!("task-{id}")>
            <div class="task-head">
                <span class="lesson-time">{due_line(st.task.due_at, now, open)}</span>
                {state_badge(st.state)}
            </div>
            <h3 class="lesson-subject" id=heading>{format!("{} · {}", subject_text(&st.task.subject), st.task.title)}</h3>
            {task_body(&st.task)}
            {latest.as_ref().map(version_view)}
            {match form {
                // Returned: the form is open; first time: open too; a waiting hand-in: folded.
                Some(form) if st.state == HandInState::HandedIn => view! {
                    <details class="edit"><summary>{t_string!(i18n, tasks.replace)}</summary>{form}</details>
                }.into_any(),
                Some(form) => form.into_any(),
                None => ().into_any(),
            }}
            {(!earlier.is_empty()).then(|| view! {
                <details class="edit">
                    <summary>{t_string!(i18n, tasks.earlier, n = earlier.len())}</summary>
                    {earlier.iter().map(version_view).collect_view()}
                </details>
            })}
        </li>
    }
}

/// Open tasks first (soonest due), then those waiting for review, then the accepted ones.
fn in_student_order(mut tasks: Vec<StudentTask>) -> Vec<StudentTask> {
    tasks.sort_by_key(|t| {
        (
            !t.state.open(),
            t.state == HandInState::Accepted,
            t.task.due_at,
        )
    });
    tasks
}

#[component]
fn StudentTasks(tasks: Vec<StudentTask>, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let to_do = tasks.iter().filter(|t| t.state.open()).count();
    view! {
        <p class="hint">{t_string!(i18n, tasks.student_hint, n = to_do)}</p>
        <p><a href="/journal">{t_string!(i18n, tasks.book_link)}</a></p>
        {tasks.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, tasks.none_for_student)}</p> })}
        <ol class="lessons">
            {in_student_order(tasks).into_iter().map(|t| student_task_card(t, now, true)).collect_view()}
        </ol>
    }
}

#[component]
fn ParentTasks(children: Vec<ChildTasks>, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p><a href="/journal">{t_string!(i18n, tasks.books_link)}</a></p>
        {children.into_iter().map(|c| {
            let heading = format!("child-{}", c.child.id);
            let labelled = heading.clone();
            let to_do = c.tasks.iter().filter(|t| t.state.open()).count();
            view! {
                <section aria-labelledby=labelled>
                    <h2 id=heading>{c.child.full_name.clone()}</h2>
                    <p class="hint">{t_string!(i18n, tasks.child_hint, n = to_do)}</p>
                    {c.tasks.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, tasks.none_for_student)}</p> })}
                    <ol class="lessons">
                        {in_student_order(c.tasks).into_iter().map(|t| student_task_card(t, now, false)).collect_view()}
                    </ol>
                </section>
            }
        }).collect_view()}
    }
}

#[component]
pub fn TaskQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::path_id();
    let queue = Resource::new(id, get_task_queue);
    view! {
        <Title text=t_string!(i18n, tasks.queue_title).to_string() />
        <p><a href="/tasks">{t_string!(i18n, tasks.back)}</a></p>
        {post_status()}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <QueueView queue /> }.into_any(),
                    Err(err) => failed(err, "/tasks"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(queue: TaskQueue) -> impl IntoView {
    let i18n = use_i18n();
    let s = &queue.summary;
    let graded = queue.text.graded;
    let may_review = queue.may_review && !s.withdrawn;
    let positive = queue.positive;
    let (waiting, rest): (Vec<QueueRow>, Vec<QueueRow>) = queue
        .rows
        .into_iter()
        .partition(|r| r.state == HandInState::HandedIn);
    let (done, missing): (Vec<QueueRow>, Vec<QueueRow>) =
        rest.into_iter().partition(|r| r.latest.is_some());
    let row_view = move |r: QueueRow| {
        let anchor = format!("student-{}", r.student_id);
        let heading = format!("{anchor}-name");
        let labelled = heading.clone();
        let form = r.latest.as_ref().filter(|_| may_review).map(|h| {
            let hid = h.id;
            view! {
                <form method="post" action="/tasks/review" enctype="multipart/form-data" class="stack">
                    <input type="hidden" name="hand_in_id" value=hid.to_string() />
                    <label for=format!("review-{hid}")>{t_string!(i18n, tasks.review_label)}</label>
                    <textarea id=format!("review-{hid}") name="review" rows="3">{h.review.clone().unwrap_or_default()}</textarea>
                    <label for=format!("review-audio-{hid}")>{t_string!(i18n, tasks.audio_review)}</label>
                    <FilePick><input type="file" id=format!("review-audio-{hid}") name="audio" accept="audio/*" capture="user" /></FilePick>
                    {recorder(format!("review-audio-{hid}"))}
                    {if graded {
                        view! {
                            <label for=format!("grade-{hid}")>{t_string!(i18n, tasks.grade)}</label>
                            <select id=format!("grade-{hid}") name="grade">
                                <option value="">"—"</option>
                                {positive.best_first().map(|g| view! {
                                    <option value=g.to_string() selected=h.grade == Some(g)>{g.to_string()}</option>
                                }).collect_view()}
                            </select>
                            <p class="hint">{t_string!(i18n, tasks.grade_hint)}</p>
                        }.into_any()
                    } else {
                        view! { <input type="hidden" name="grade" value="" /> }.into_any()
                    }}
                    <div class="inline-form">
                        <button type="submit" name="verdict" value="accepted">{t_string!(i18n, tasks.accept)}</button>
                        <button type="submit" name="verdict" value="returned" class="secondary">{t_string!(i18n, tasks.return_for_rework)}</button>
                    </div>
                </form>
            }
        });
        view! {
            <li class="card" id=anchor aria-labelledby=labelled>
                <div class="task-head">
                    <h3 class="lesson-subject" id=heading>{r.full_name.clone()}</h3>
                    {state_badge(r.state)}
                </div>
                {r.latest.as_ref().map(version_view)}
                {form}
                {(!r.earlier.is_empty()).then(|| view! {
                    <details class="edit">
                        <summary>{t_string!(i18n, tasks.earlier, n = r.earlier.len())}</summary>
                        {r.earlier.iter().map(version_view).collect_view()}
                    </details>
                })}
            </li>
        }
    };
    view! {
        <h1>{format!("{} · {}", s.class_name, queue.text.title)}</h1>
        <p>{subject_text(&s.subject)}" · "{due_line(s.due_at, 0, false)}
            {s.withdrawn.then(|| view! { " · "<span class="badge warn">{t_string!(i18n, tasks.withdrawn)}</span> })}
        </p>
        {task_body(&queue.text)}
        {(queue.may_review && !s.withdrawn && s.handed_in == 0).then(|| view! {
            <details class="card">
                <summary><h2 class="inline-heading">{t_string!(i18n, tasks.edit)}</h2></summary>
                <p class="hint">{t_string!(i18n, tasks.edit_hint)}</p>
                <form method="post" action="/api/tasks/update" class="stack">
                    <input type="hidden" name="task_id" value=s.id.to_string() />
                    {task_fields("edit", TaskValues::of(&queue.text))}
                    <button type="submit">{t_string!(i18n, tasks.save)}</button>
                </form>
            </details>
        })}
        <p><a href=format!("/journal?class={}&subject={}", queue.class_id, queue.subject_id)>{t_string!(i18n, tasks.journal_link)}</a></p>
        <p>{t_string!(i18n, tasks.progress, handed = s.handed_in, students = s.students, review = s.to_review, accepted = s.accepted)}</p>
        <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">{t_string!(i18n, tasks.waiting_title, n = waiting.len())}</h2>
            {waiting.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, tasks.nothing_to_review)}</p> })}
            <ol class="lessons">{waiting.into_iter().map(row_view).collect_view()}</ol>
        </section>
        <section aria-labelledby="missing-title">
            <h2 id="missing-title">{t_string!(i18n, tasks.missing_title, n = missing.len())}</h2>
            <ul class="plain">
                {missing.into_iter().map(|r| view! { <li>{r.full_name}</li> }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="reviewed-title">
            <h2 id="reviewed-title">{t_string!(i18n, tasks.reviewed_title, n = done.len())}</h2>
            <ol class="lessons">{done.into_iter().map(row_view).collect_view()}</ol>
        </section>
    }
}

#[component]
pub fn JournalPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.read();
            // `pick=class:subject` from the picker; `class` and `subject` from links.
            let pick = q.get("pick").and_then(|p| {
                let (c, s) = p.split_once(':')?;
                Some((c.parse::<i64>().ok()?, s.parse::<i64>().ok()?))
            });
            let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
            match pick {
                Some((c, s)) => (Some(c), Some(s)),
                None => (num("class"), num("subject")),
            }
        },
        |(class, subject)| get_journal(class, subject),
    );
    view! {
        <Title text=t_string!(i18n, tasks.journal_title).to_string() />
        <h1>{t_string!(i18n, tasks.journal_title)}</h1>
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match page.await {
                    Ok(mut page) => {
                        // Staff open a class's journal; a student or a parent has only books.
                        let books = std::mem::take(&mut page.books);
                        let staff = books.is_empty() || !page.choices.is_empty();
                        view! {
                            {(!books.is_empty()).then(|| view! { <p class="hint">{t_string!(i18n, tasks.book_hint)}</p> })}
                            {books.into_iter().map(|book| view! { <GradeBookView book /> }).collect_view()}
                            {staff.then(|| view! { <JournalView page /> })}
                        }
                        .into_any()
                    }
                    Err(err) => failed(err, "/journal"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn JournalView(page: JournalPage) -> impl IntoView {
    let i18n = use_i18n();
    let chosen_key = page.chosen.as_ref().map(|c| (c.class_id, c.subject_id));
    let picker = view! {
        // A plain GET form: the class and subject travel as two fields of one choice.
        <form method="get" action="/journal" class="inline-form">
            <label for="journal-choice">{t_string!(i18n, tasks.class_subject)}</label>
            <select id="journal-choice" name="pick">
                {page.choices.iter().map(|c| view! {
                    <option value=format!("{}:{}", c.class_id, c.subject_id) selected=Some((c.class_id, c.subject_id)) == chosen_key>
                        {format!("{} · {}", c.class_name, subject_text(&c.subject))}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">{t_string!(i18n, tasks.open)}</button>
        </form>
    };
    let Some(chosen) = page.chosen else {
        return view! { <p class="muted">{t_string!(i18n, tasks.journal_empty)}</p> }.into_any();
    };
    let caption = format!("{} · {}", chosen.class_name, subject_text(&chosen.subject));
    let lang = match i18n.get_locale_untracked() {
        Locale::ky => "ky",
        Locale::ru => "ru",
        Locale::en => "en",
    };
    let dates = page.dates;
    let marks = page.marks;
    view! {
        {picker}
        {dates.is_empty().then(|| view! { <p class="muted">{t_string!(i18n, tasks.no_grades)}</p> })}
        <div class="table-wrap">
            <table class="journal">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{t_string!(i18n, tasks.student)}</th>
                    {dates.iter().map(|d| view! { <th scope="col">{d.get(5..).unwrap_or(d).to_string()}</th> }).collect_view()}
                    <th scope="col">{t_string!(i18n, tasks.average)}</th>
                </tr></thead>
                <tbody>
                    {page.students.into_iter().map(|(id, name)| {
                        let own: Vec<&JournalMark> = marks.iter().filter(|m| m.student_id == id).collect();
                        let grades: Vec<i64> = own.iter().map(|m| m.grade).collect();
                        let average = super::rules::average_text(&grades);
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                {dates.iter().map(|d| {
                                    let here: Vec<&&JournalMark> = own.iter().filter(|m| &m.date == d).collect();
                                    let title = here.iter().map(|m| m.title.clone()).collect::<Vec<_>>().join("; ");
                                    let text = here.iter().map(|m| m.grade.to_string()).collect::<Vec<_>>().join(" ");
                                    view! { <td title=title>{text}</td> }
                                }).collect_view()}
                                <td>{average.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="actions">
            <a class="button secondary" download href=format!("/journal/export.csv?class={}&subject={}&lang={lang}", chosen.class_id, chosen.subject_id)>
                {t_string!(i18n, tasks.journal_csv)}
            </a>
        </p>
    }
    .into_any()
}

/// A student's grades: a row per subject, each grade with its date and the work it was for.
#[component]
fn GradeBookView(book: GradeBook) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("book-{}", book.student.id);
    let labelled = heading.clone();
    let class_name = book.student.class.map(|c| c.name).unwrap_or_default();
    let title = t_string!(
        i18n,
        tasks.book_title,
        name = book.student.full_name,
        class = class_name
    );
    let empty = book.subjects.iter().all(|s| s.marks.is_empty());
    // `2026-11-25` reads as "25.11", the way a school journal writes it.
    let day_month = |date: &str| match (date.get(8..10), date.get(5..7)) {
        (Some(d), Some(m)) => format!("{d}.{m}"),
        _ => date.to_string(),
    };
    view! {
        <section aria-labelledby=labelled class="grade-book">
            <h2 id=heading>{title}</h2>
            // A book without a grade says so instead of a table of dashes.
            {if empty {
                view! { <p class="muted">{t_string!(i18n, tasks.book_empty)}</p> }.into_any()
            } else {
                view! {
                <table class="journal book">
                    <thead><tr>
                        <th scope="col">{t_string!(i18n, tasks.book_subject)}</th>
                        <th scope="col">{t_string!(i18n, tasks.book_grades)}</th>
                        <th scope="col">{t_string!(i18n, tasks.average)}</th>
                    </tr></thead>
                    <tbody>
                        {book.subjects.into_iter().map(|row| {
                            let grades: Vec<i64> = row.marks.iter().map(|m| m.grade).collect();
                            let average = super::rules::average_text(&grades);
                            let marks = if row.marks.is_empty() {
                                view! {
                                    <span class="muted" aria-hidden="true">"—"</span>
                                    <span class="sr-only">{t_string!(i18n, tasks.book_none)}</span>
                                }.into_any()
                            } else {
                                view! {
                                    <ul class="marks">
                                        {row.marks.into_iter().map(|m| {
                                            let date = day_month(&m.date);
                                            let label = t_string!(i18n, tasks.mark_label, grade = m.grade, date = date.clone(), title = m.title.clone());
                                            view! {
                                                <li title=m.title.clone() aria-label=label>
                                                    <b>{m.grade}</b>
                                                    <small>{date}</small>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            };
                            view! {
                                <tr>
                                    <th scope="row">{subject_text(&row.subject)}</th>
                                    <td class="marks-cell">{marks}</td>
                                    <td>{average.unwrap_or_default()}</td>
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
