//! The timetable page: a week with day tabs, "now / next" with one-tap Join, and the teacher's
//! per-date link and topic. Reading works without JavaScript.

use super::api::get_week;
use super::rules::LessonState;
use super::terms::TermKind;
use super::{
    ChangeKind, LessonCard, LessonChange, LessonForm, LessonMode, SubjectName, TermNote, TodayPlan,
    WeekPlan, Weeks,
};
use crate::accounts::ui::post_status_saying;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::format::{day_text, month_text, url_encode, weekday_text};
use crate::ui::{kept, ErrorBox, FilePick, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn subject_text(subject: &SubjectName) -> String {
    subject_in(subject, use_i18n().get_locale_untracked()).to_string()
}

/// A subject's name in `locale`, for a caller that has already read the language.
pub fn subject_in(subject: &SubjectName, locale: Locale) -> &str {
    match locale {
        Locale::ky => &subject.ky,
        Locale::ru => &subject.ru,
        Locale::en => &subject.en,
    }
}

/// The design system's class for a subject's colour.
pub fn subject_class(subject: &SubjectName) -> String {
    format!("subject-{}", super::rules::subject_colour(&subject.en))
}

pub fn form_text(form: LessonForm) -> String {
    let i18n = use_i18n();
    match form {
        LessonForm::Lecture => t_string!(i18n, forms.lecture),
        LessonForm::Practice => t_string!(i18n, forms.practice),
        LessonForm::Lab => t_string!(i18n, forms.lab),
        LessonForm::Consultation => t_string!(i18n, forms.consultation),
        LessonForm::Seminar => t_string!(i18n, forms.seminar),
        LessonForm::Test => t_string!(i18n, forms.test),
        LessonForm::SelfStudy => t_string!(i18n, forms.self_study),
    }
    .to_string()
}

pub fn mode_text(mode: LessonMode) -> String {
    let i18n = use_i18n();
    match mode {
        LessonMode::Online => t_string!(i18n, modes.online),
        LessonMode::InSchool => t_string!(i18n, modes.in_school),
        LessonMode::Tv => t_string!(i18n, modes.tv),
    }
    .to_string()
}

#[component]
pub fn TimetablePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let whose = move || query.read().get("whose").unwrap_or_default();
    let week = move || query.read().get("week").unwrap_or_default();
    let day = move || {
        query
            .read()
            .get("day")
            .and_then(|d| d.parse::<usize>().ok())
            .filter(|d| *d < 6)
    };
    let plan = Resource::new(
        move || (whose(), week()),
        |(whose, week)| get_week(whose, week),
    );
    view! {
        <Title text=t_string!(i18n, timetable.title).to_string() />
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match plan.await {
                    Ok(plan) => view! { <WeekView plan whose=whose() selected=day() /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/timetable" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WeekView(mut plan: WeekPlan, whose: String, selected: Option<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let selected = selected.or(plan.today).unwrap_or(0);
    let can_join = plan.can_join;
    let today_lessons = plan
        .today
        .map(|i| plan.days[i].lessons.as_slice())
        .unwrap_or_default();
    let now = plan.now.and_then(|i| today_lessons.get(i).cloned());
    let next = plan.next.and_then(|i| today_lessons.get(i).cloned());
    let is_today = plan.today == Some(selected);
    let states = plan
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| states_of(&d.lessons, plan.today.map(|t| i.cmp(&t)), plan.minute))
        .collect();
    let locale = i18n.get_locale_untracked();
    // Whose week, which one, which day, in which language: what tells one kept copy from another.
    let slot = format!(
        "{} {whose} {} {selected} {locale:?}",
        plan.title, plan.days[0].iso
    );
    let body = std::sync::Arc::new(WeekBody {
        whose: whose.clone(),
        locale,
        days: std::mem::take(&mut plan.days),
        today: plan.today,
        selected,
        prev_week: std::mem::take(&mut plan.prev_week),
        next_week: std::mem::take(&mut plan.next_week),
        can_join,
        states,
    });
    view! {
        <h1>{t_string!(i18n, timetable.title_of, who = plan.title.clone())}</h1>
        // Shown (with the time) only by the service worker, on a copy read without a network.
        <p class="offline-note" role="status" data-offline="" hidden=true>
            {t_string!(i18n, timetable.offline_saved)}" "<time data-saved=""></time>
        </p>
        <p class="muted">
            {t_string!(i18n, timetable.week_n, week = plan.teaching_week)}
            {plan.term.clone().map(|note| format!(" · {}", term_note_text(note)))}
        </p>
        {(now.is_some() || next.is_some()).then(|| view! {
            <div class="cards now-next">
                {now.map(|lesson| view! {
                    <section class="card now" aria-labelledby="now-title">
                        <h2 id="now-title">{t_string!(i18n, timetable.now)}</h2>
                        <LessonSummary lesson can_join />
                    </section>
                })}
                {next.map(|lesson| view! {
                    <section class="card" aria-labelledby="next-title">
                        <h2 id="next-title">{t_string!(i18n, timetable.next)}</h2>
                        <LessonSummary lesson can_join />
                    </section>
                })}
            </div>
        })}
        {plan.tasks.filter(|d| is_today && !(d.overdue.is_empty() && d.today.is_empty())).map(|digest| view! {
            <section class="card due" aria-labelledby="due-title">
                <h2 id="due-title">{t_string!(i18n, timetable.tasks_due)}</h2>
                <crate::assignments::ui::TaskDigestView digest />
            </section>
        })}
        {kept(format!("nav {slot}"), body.clone(), |b| week_nav(b))}
        {post_status_saying(t_string!(i18n, timetable.saved).to_string())}
        {kept(format!("day {slot}"), body.clone(), |b| shown_day(b))}
        <CalendarFeed feed=plan.feed whose />
    }
}

fn states_of(
    lessons: &[LessonCard],
    day: Option<std::cmp::Ordering>,
    minute: i64,
) -> Vec<LessonState> {
    let spans = lessons
        .iter()
        .map(|l| (l.starts, l.ends))
        .collect::<Vec<_>>();
    super::rules::lesson_states(&spans, day, minute)
}

/// What the week's navigation and the shown day are rendered from. It is the same for every
/// student of a class at one moment (lesson states change only when a lesson starts or ends), so
/// their HTML is kept while it stays equal (`kept`).
#[derive(Debug, PartialEq)]
struct WeekBody {
    whose: String,
    locale: Locale,
    days: Vec<super::DayPlan>,
    today: Option<usize>,
    selected: usize,
    prev_week: String,
    next_week: String,
    can_join: bool,
    /// Each day's lessons against the clock.
    states: Vec<Vec<LessonState>>,
}

impl WeekBody {
    /// This page's address with `whose`: the week pager's links and the day tabs' add to it.
    fn base(&self) -> String {
        format!("/timetable?whose={}", url_encode(&self.whose))
    }
}

/// The week pager, the day tabs and the grid of the week.
fn week_nav(body: &WeekBody) -> impl IntoView {
    let i18n = use_i18n();
    let base = body.base();
    let this_week = &body.days[0].iso;
    view! {
        <nav class="week-pager" aria-label=t_string!(i18n, timetable.weeks_label)>
            <a href=format!("{base}&week={}", body.prev_week)>{t_string!(i18n, timetable.prev_week)}</a>
            <a href=format!("{base}&week={}", body.next_week)>{t_string!(i18n, timetable.next_week)}</a>
        </nav>
        <nav class="day-tabs" aria-label=t_string!(i18n, timetable.days_label)>
            {body.days.iter().enumerate().map(|(i, d)| {
                let href = format!("{base}&week={this_week}&day={i}");
                let label = weekday_text(d.day.weekday);
                let short = crate::ui::format::weekday_short(d.day.weekday);
                view! {
                    <a href=href aria-current=(i == body.selected).then_some("page") class:today=body.today == Some(i)>
                        <span aria-hidden="true">{short}</span>
                        <span class="sr-only">{label}</span>
                        " "
                        <small>{d.day.day}</small>
                    </a>
                }
            }).collect_view()}
        </nav>
        {week_grid(body, &format!("{base}&week={this_week}"))}
    }
}

/// The shown day's lessons, and the link to the printable week.
fn shown_day(body: &WeekBody) -> impl IntoView {
    let i18n = use_i18n();
    let day = &body.days[body.selected];
    let is_today = body.today == Some(body.selected);
    let can_join = body.can_join;
    view! {
        <section aria-labelledby="day-title">
            <h2 id="day-title">{day_text(&day.day)}</h2>
            {if day.lessons.is_empty() && day.holiday {
                view! { <p class="muted holiday">{t_string!(i18n, timetable.holiday_day)}</p> }.into_any()
            } else if day.lessons.is_empty() {
                view! { <p class="muted">{t_string!(i18n, timetable.no_lessons)}</p> }.into_any()
            } else {
                view! {
                    <ol class="lessons">
                        {day.lessons.iter().cloned().zip(body.states[body.selected].iter().copied()).map(|(lesson, state)| view! { <LessonItem lesson can_join today=is_today state /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <p class="no-print"><a href=format!("/timetable/print?whose={}", url_encode(&body.whose))>{t_string!(i18n, print.link)}</a></p>
    }
}

/// The week at a glance (tablets and desktops; a phone keeps the day list): periods down,
/// weekdays across, each lesson in its subject's colour and a link to its day.
///
/// A plain function over the borrowed week: each cell takes only the four things it shows.
/// As a component it cloned the plan and every lesson once per period, the heaviest part
/// of a timetable render (perf, issue 19).
fn week_grid(body: &WeekBody, base: &str) -> AnyView {
    let i18n = use_i18n();
    let locale = body.locale;
    let mut periods: Vec<(i64, i64, i64)> = body
        .days
        .iter()
        .flat_map(|d| d.lessons.iter().map(|l| (l.period, l.starts, l.ends)))
        .collect();
    periods.sort();
    periods.dedup_by_key(|p| p.0);
    if periods.is_empty() {
        return ().into_any();
    }
    let states = &body.states;
    let selected = body.selected;
    let badges = StateBadges::new();
    let day_links: Vec<String> = (0..body.days.len())
        .map(|i| format!("{base}&day={i}"))
        .collect();
    view! {
        <div class="table-wrap week-grid">
            <table>
                <caption class="sr-only">{t_string!(i18n, timetable.week_grid)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t_string!(i18n, fields.period)}</th>
                        {body.days.iter().enumerate().map(|(i, d)| view! {
                            <th scope="col" class:today=body.today == Some(i) class:selected=i == selected>
                                <a href=day_links[i].clone()>{weekday_text(d.day.weekday)}" "{d.day.day}</a>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {periods.into_iter().map(|(period, starts, ends)| view! {
                        <tr>
                            <th scope="row">
                                {t_string!(i18n, timetable.period_n, n = period)}
                                <small>{hhmm(starts)}"–"{hhmm(ends)}</small>
                            </th>
                            {body.days.iter().enumerate().map(|(i, d)| view! {
                                <td class:today=body.today == Some(i)>
                                    {d.lessons.iter().zip(&states[i]).filter(|(l, _)| l.period == period).map(|(l, &state)| {
                                        let cancelled = l.change.as_ref().is_some_and(|c| c.kind == ChangeKind::Cancelled);
                                        let who = if l.mine { &l.class_name } else { &l.teacher_name };
                                        view! {
                                            <a href=day_links[i].clone() class=format!("grid-lesson {}", subject_class(&l.subject))
                                                class:past=state == LessonState::Past class:now=state == LessonState::Now class:cancelled=cancelled class:changed=l.change.is_some()>
                                                <strong>{subject_in(&l.subject, locale).to_string()}</strong>
                                                <small>{who.clone()}</small>
                                                {badges.of(state)}
                                            </a>
                                        }
                                    }).collect_view()}
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The three badge texts, looked up once for a whole grid rather than once per lesson.
struct StateBadges {
    past: &'static str,
    now: &'static str,
    next: &'static str,
}

impl StateBadges {
    fn new() -> Self {
        let i18n = use_i18n();
        Self {
            past: t_string!(i18n, timetable.state_past),
            now: t_string!(i18n, timetable.now),
            next: t_string!(i18n, timetable.next),
        }
    }

    fn of(&self, state: LessonState) -> Option<impl IntoView> {
        let (class, text) = match state {
            LessonState::Past => ("badge past", self.past),
            LessonState::Now => ("badge now", self.now),
            LessonState::Next => ("badge next", self.next),
            LessonState::Later => return None,
        };
        Some(view! { <span class=class>{text}</span> })
    }
}

/// "Over", "now" or "next" beside a lesson (nothing for one later on).
pub fn state_badge(state: LessonState) -> Option<impl IntoView> {
    StateBadges::new().of(state)
}

/// Today on a home page: the lesson going on (with Join and the minutes left) or the next one,
/// then the whole day in one short list, each lesson marked over, now or next.
#[component]
pub fn TodayLessons(today: TodayPlan) -> impl IntoView {
    let i18n = use_i18n();
    let week = format!("/timetable?whose={}", url_encode(&today.whose));
    let states = states_of(
        &today.lessons,
        Some(std::cmp::Ordering::Equal),
        today.minute,
    );
    let can_join = today.can_join;
    let now = today.now.and_then(|i| today.lessons.get(i).cloned());
    let next = today.next.and_then(|i| today.lessons.get(i).cloned());
    let left = now.as_ref().map(|l| l.ends - today.minute);
    let empty = today.lessons.is_empty();
    let holiday = today.holiday;
    view! {
        {match (now, next) {
            (Some(lesson), _) => view! {
                <div class="today-now now">
                    <p class="today-label">
                        <span class="badge now">{t_string!(i18n, timetable.now)}</span>
                        // Counted down by the page script (minutes, from the server's clock at render).
                        {left.map(|n| view! {
                            " "
                            <span class="muted" data-left-min=n.to_string()
                                data-template=t_string!(i18n, timetable.minutes_left, n = "{n}").to_string()
                                data-done=t_string!(i18n, timetable.state_past).to_string()>
                                {t_string!(i18n, timetable.minutes_left, n = n)}
                            </span>
                        })}
                    </p>
                    <LessonSummary lesson can_join />
                </div>
            }.into_any(),
            (None, Some(lesson)) => view! {
                <div class="today-now">
                    <p class="today-label"><span class="badge next">{t_string!(i18n, timetable.next)}</span></p>
                    <LessonSummary lesson can_join />
                </div>
            }.into_any(),
            (None, None) => ().into_any(),
        }}
        {if empty {
            let text = if holiday { t_string!(i18n, timetable.holiday_day) } else { t_string!(i18n, timetable.no_lessons) };
            view! { <p class="muted">{text}</p> }.into_any()
        } else {
            view! {
                <ol class="today-list">
                    {today.lessons.into_iter().zip(states).map(|(lesson, state)| {
                        let cancelled = lesson.change.as_ref().is_some_and(|c| c.kind == ChangeKind::Cancelled);
                        view! {
                            <li class=match state { LessonState::Past => "past", LessonState::Now => "now", LessonState::Next => "next", LessonState::Later => "" } class:cancelled=cancelled>
                                <span class="lesson-time">{hhmm(lesson.starts)}</span>
                                <span class="today-subject">{subject_text(&lesson.subject)}</span>
                                {state_badge(state)}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <p><a href=week>{t_string!(i18n, timetable.whole_week)}</a></p>
    }
}

/// "Quarter 2, until 28 December" or "Holidays. Lessons resume on 12 January".
fn term_note_text(note: TermNote) -> String {
    let i18n = use_i18n();
    match note {
        TermNote::Term {
            kind: TermKind::Quarter,
            number,
            ends,
        } => t_string!(
            i18n,
            timetable.in_quarter,
            n = number,
            day = ends.day,
            month = month_text(ends.month)
        )
        .to_string(),
        TermNote::Term { number, ends, .. } => t_string!(
            i18n,
            timetable.in_semester,
            n = number,
            day = ends.day,
            month = month_text(ends.month)
        )
        .to_string(),
        TermNote::Holiday { resumes: Some(day) } => t_string!(
            i18n,
            timetable.holiday_until,
            day = day.day,
            month = month_text(day.month)
        )
        .to_string(),
        TermNote::Holiday { resumes: None } => t_string!(i18n, timetable.holiday).to_string(),
    }
}

/// The secret calendar address to subscribe a phone's calendar to (plain forms).
#[component]
fn CalendarFeed(feed: Option<String>, whose: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section id="calendar" class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title">{t_string!(i18n, timetable.calendar_title)}</h2>
            <p class="hint">{t_string!(i18n, timetable.calendar_hint)}</p>
            {feed.map(|url| view! {
                <label for="calendar-url">{t_string!(i18n, timetable.calendar_address)}</label>
                <input id="calendar-url" readonly value=url.clone() />
                <p><a href=url>{t_string!(i18n, timetable.calendar_open)}</a></p>
            })}
            <form method="post" action="/api/timetable/feed" class="inline">
                <input type="hidden" name="whose" value=whose.clone() />
                <button type="submit" class="small">{t_string!(i18n, timetable.calendar_new)}</button>
            </form>
            <form method="post" action="/api/timetable/feed" class="inline">
                <input type="hidden" name="whose" value=whose />
                <input type="hidden" name="off" value="1" />
                <button type="submit" class="small secondary">{t_string!(i18n, timetable.calendar_off)}</button>
            </form>
        </section>
    }
}

/// What is different on this date, in words.
pub fn change_text(change: &LessonChange, teacher_now: &str) -> String {
    let i18n = use_i18n();
    match change.kind {
        ChangeKind::Cancelled => t_string!(i18n, changes.cancelled).to_string(),
        ChangeKind::Substitute => t_string!(
            i18n,
            changes.substitute,
            teacher = teacher_now.to_string(),
            regular = change.regular_teacher.clone()
        )
        .to_string(),
        ChangeKind::Moved => {
            t_string!(i18n, changes.moved, from = change.regular_period).to_string()
        }
    }
}

/// Time, subject, who; for the now/next cards.
#[component]
fn LessonSummary(lesson: LessonCard, can_join: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lesson-time">{hhmm(lesson.starts)}"–"{hhmm(lesson.ends)}</p>
        <p class="lesson-subject">{subject_text(&lesson.subject)}</p>
        <p class="muted">{lesson.teacher_name.clone()}" · "{lesson.class_name.clone()}</p>
        {lesson.topic.clone().map(|topic| view! { <p>{t_string!(i18n, timetable.topic)}": "{topic}</p> })}
        <JoinOrLink lesson can_join />
    }
}

#[component]
fn JoinOrLink(lesson: LessonCard, can_join: bool) -> impl IntoView {
    let i18n = use_i18n();
    match (lesson.link.clone(), can_join) {
        (Some(_), true) => view! {
            <form method="post" action="/api/timetable/join" class="join-form">
                <input type="hidden" name="lesson_id" value=lesson.lesson_id.to_string() />
                <input type="hidden" name="date" value=lesson.date.clone() />
                <button type="submit" class="join">{t_string!(i18n, timetable.join)}" — "{subject_text(&lesson.subject)}</button>
            </form>
        }
        .into_any(),
        (Some(link), false) => view! {
            <p><a href=link rel="external noopener" class="button secondary">{t_string!(i18n, timetable.open_link)}</a></p>
        }
        .into_any(),
        (None, _) if lesson.mode == LessonMode::Online => {
            view! { <p class="muted">{t_string!(i18n, timetable.no_link)}</p> }.into_any()
        }
        (None, _) => ().into_any(),
    }
}

#[component]
fn LessonItem(
    lesson: LessonCard,
    can_join: bool,
    /// The lesson is today: its teacher starts the timer from here, its students follow it.
    today: bool,
    state: LessonState,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = lesson.lesson_id;
    let mine = lesson.mine;
    let over = state == LessonState::Past;
    let timer = today && !over && (mine || can_join);
    let details = [
        Some(form_text(lesson.form)),
        Some(mode_text(lesson.mode)),
        lesson.room.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let (date, saved_link, topic) = (
        lesson.date.clone(),
        lesson.link.clone().unwrap_or_default(),
        lesson.topic.clone().unwrap_or_default(),
    );
    let (date2, topic2, date3) = (date.clone(), topic.clone(), date.clone());
    let change = lesson.change.clone();
    let cancelled = change
        .as_ref()
        .is_some_and(|c| c.kind == ChangeKind::Cancelled);
    let changed = change.is_some();
    let teacher_now = lesson.teacher_name.clone();
    view! {
        <li class=format!("lesson card {}", subject_class(&lesson.subject)) class:changed=changed class:cancelled=cancelled class:past=over class:now=state == LessonState::Now>
            <div class="lesson-head">
                <span class="lesson-time">{hhmm(lesson.starts)}"–"{hhmm(lesson.ends)}</span>
                {state_badge(state)}
                <span class="muted">{t_string!(i18n, timetable.period_n, n = lesson.period)}</span>
            </div>
            <h3 class="lesson-subject">{subject_text(&lesson.subject)}</h3>
            {change.map(|c| view! { <p class="change" role="note"><strong>{change_text(&c, &teacher_now)}</strong>{(!c.note.is_empty()).then(|| format!(" · {}", c.note))}</p> })}
            <p class="muted">{lesson.teacher_name.clone()}" · "{lesson.class_name.clone()}" · "{details}</p>
            {lesson.topic.clone().map(|topic| view! { <p>{t_string!(i18n, timetable.topic)}": "{topic}</p> })}
            {(!over).then(|| view! { <JoinOrLink lesson=lesson.clone() can_join /> })}
            <Materials lesson=lesson.clone() />
            {timer.then(|| view! { <p><a href="/timer">{t_string!(i18n, timetable.timer_link)}</a></p> })}
            {mine.then(|| view! {
                <details class="edit">
                    <summary>{t_string!(i18n, timetable.edit)}</summary>
                    <form method="post" action="/api/timetable/occurrence" class="stack">
                        <input type="hidden" name="lesson_id" value=id.to_string() />
                        <input type="hidden" name="date" value=date />
                        <label for=format!("link-{id}")>{t_string!(i18n, timetable.link_label)}</label>
                        <input id=format!("link-{id}") name="link" type="url" inputmode="url" value=saved_link placeholder="https://" />
                        <label for=format!("topic-{id}")>{t_string!(i18n, timetable.topic_label)}</label>
                        <input id=format!("topic-{id}") name="topic" value=topic maxlength="200" />
                        <button type="submit">{t_string!(i18n, timetable.save)}</button>
                    </form>
                    <form method="post" action="/api/timetable/occurrence" class="inline">
                        <input type="hidden" name="lesson_id" value=id.to_string() />
                        <input type="hidden" name="date" value=date2 />
                        <input type="hidden" name="link" value="" />
                        <input type="hidden" name="topic" value=topic2 />
                        <input type="hidden" name="reuse" value="1" />
                        <button type="submit" class="secondary small">{t_string!(i18n, timetable.reuse)}</button>
                    </form>
                    // A plain multipart form: files go up the same way with or without JavaScript.
                    <form method="post" action="/materials/upload" enctype="multipart/form-data" class="stack">
                        <input type="hidden" name="lesson_id" value=id.to_string() />
                        <input type="hidden" name="date" value=date3.clone() />
                        <input type="hidden" name="back" value=week_page(&date3) />
                        <label for=format!("material-{id}")>{t_string!(i18n, fields.material)}</label>
                        <FilePick><input id=format!("material-{id}") name="file" type="file" accept="application/pdf,image/png,image/jpeg,image/gif,image/webp" required /></FilePick>
                        <button type="submit" class="secondary">{t_string!(i18n, timetable.upload)}</button>
                    </form>
                </details>
            })}
        </li>
    }
}

/// The files a teacher gave for this lesson on this date; its teacher may remove them.
#[component]
fn Materials(lesson: LessonCard) -> impl IntoView {
    let i18n = use_i18n();
    let back = week_page(&lesson.date);
    (!lesson.materials.is_empty()).then(|| view! {
        <ul class="plain materials" aria-label=t_string!(i18n, timetable.materials)>
            {lesson.materials.into_iter().map(|m| {
                let size = format!("{} KB", m.size.div_euclid(1024).max(1));
                view! {
                    <li>
                        <a href=format!("/materials/{}", m.id) rel="external" target="_blank">{m.name.clone()}</a>
                        " "<span class="muted">{size}</span>
                        {lesson.mine.then(|| view! {
                            <form method="post" action=format!("/materials/{}/delete", m.id) class="inline">
                                <input type="hidden" name="back" value=back.clone() />
                                <button type="submit" class="secondary small" aria-label=format!("{} {}", t_string!(i18n, timetable.remove), m.name)>{t_string!(i18n, timetable.remove)}</button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

/// The timetable page showing a date's day (where a material form comes back to).
fn week_page(date: &str) -> String {
    let day = super::rules::parse_date(date).map_or(0, super::rules::weekday_of);
    format!("/timetable?week={date}&day={day}")
}

pub fn weeks_text(weeks: Weeks) -> String {
    let i18n = use_i18n();
    match weeks {
        Weeks::All => t_string!(i18n, editor.every_week).to_string(),
        Weeks::Odd => t_string!(i18n, editor.odd_weeks).to_string(),
        Weeks::Even => t_string!(i18n, editor.even_weeks).to_string(),
        Weeks::Range { from, to } => {
            t_string!(i18n, editor.weeks_range, from = from, to = to).to_string()
        }
    }
}
