use crate::accounts::api::get_home;
use crate::accounts::{ChildHome, ClassSummary, Home, Role};
use crate::assignments::ui::TaskDigestView;
use crate::contest::rules::Phase;
use crate::contest::ui::phase_text;
use crate::contest::ContestGlance;
use crate::error::AppError;
use crate::i18n::*;
use crate::timetable::ui::TodayLessons;
use crate::ui::format::day_text;
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// Each person's start page: one card per thing they are responsible for.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Title text=t_string!(i18n, home.title).to_string() />
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <HomeView home /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    let i18n = use_i18n();
    let roles = home.roles.clone();
    let name = home.full_name.clone();
    let today = day_text(&home.today);
    let is_teacher = roles.contains(&Role::Teacher);
    let leads = home.led_class.is_some();
    // Today first: the lessons (with Join) and what is due come before the facts.
    view! {
        <section class="hello">
            <h1>{t_string!(i18n, home.greeting, name = name)}</h1>
            <p class="muted">{today}" · "{home.school_name.clone()}</p>
        </section>
        <div class="cards">
            {home.lessons_today.map(|today| {
                let title = if is_teacher { t_string!(i18n, home.my_today) } else { t_string!(i18n, home.today_title) };
                view! {
                    <section class="card today" aria-labelledby="today-card">
                        <h2 id="today-card">{title}</h2>
                        <TodayLessons today />
                        {is_teacher.then(|| view! {
                            <p class="actions"><a class="button" href="/timer">{t_string!(i18n, home.start_timer)}</a></p>
                        })}
                    </section>
                }
            })}
            {home.unread_notices.map(|n| view! {
                <section class="card" class:attention={n > 0} aria-labelledby="notices-card">
                    <h2 id="notices-card">{t_string!(i18n, nav.notices)}</h2>
                    {if n > 0 {
                        view! { <p><strong>{t_string!(i18n, home.unread, n = n)}</strong></p> }.into_any()
                    } else {
                        view! { <p class="muted">{t_string!(i18n, home.unread_none)}</p> }.into_any()
                    }}
                    <p class="actions"><a class="button secondary" href="/notices">{t_string!(i18n, home.open_notices)}</a></p>
                </section>
            })}
            {home.children.into_iter().map(|ChildHome { child, class, tasks, lessons_today }| view! {
                <section class="card child" aria-labelledby=format!("child-{}", child.id)>
                    <h2 id=format!("child-{}", child.id)>{child.full_name.clone()}</h2>
                    {match class {
                        Some(class) => view! {
                            <p class="muted">{t_string!(i18n, home.child_class, class = class.class.name.clone())}</p>
                            {lessons_today.map(|today| view! {
                                <h3>{t_string!(i18n, home.today_title)}</h3>
                                <TodayLessons today />
                            })}
                            <h3>{t_string!(i18n, tasks.title)}</h3>
                            <TaskDigestView digest=tasks />
                            <p class="actions">
                                <a class="button secondary" href="/tasks">{t_string!(i18n, tasks.all_tasks)}</a>
                            </p>
                            <ClassFacts class />
                        }.into_any(),
                        None => view! { <p class="muted">{t_string!(i18n, home.no_class)}</p> }.into_any(),
                    }}
                </section>
            }).collect_view()}
            {home.tasks.map(|digest| view! {
                <section class="card" aria-labelledby="tasks-card">
                    <h2 id="tasks-card">{t_string!(i18n, tasks.title)}</h2>
                    <TaskDigestView digest />
                    <p class="actions"><a class="button secondary" href="/tasks">{t_string!(i18n, tasks.all_tasks)}</a></p>
                </section>
            })}
            {is_teacher.then(|| view! {
                <section class="card" aria-labelledby="teacher-card">
                    <h2 id="teacher-card">{t_string!(i18n, home.teacher_title)}</h2>
                    {home.to_review.map(|n| match n {
                        0 => view! { <p class="muted">{t_string!(i18n, tasks.to_review_none)}</p> }.into_any(),
                        n => view! { <p><strong>{t_string!(i18n, tasks.to_review, n = n)}</strong></p> }.into_any(),
                    })}
                    {home.unanswered.map(|n| match n {
                        0 => view! { <p class="muted">{t_string!(i18n, home.unanswered_none)}</p> }.into_any(),
                        n => view! { <p><strong>{t_string!(i18n, home.unanswered, n = n)}</strong></p> }.into_any(),
                    })}
                    <p class="muted">{t_string!(i18n, home.teacher_text)}</p>
                    <p class="actions">
                        <a class="button secondary" href="/tasks">{t_string!(i18n, nav.tasks)}</a>
                        <a class="button secondary" href="/feedback">{t_string!(i18n, home.open_feedback)}</a>
                        {leads.then(|| view! { <a class="button secondary" href="/notices">{t_string!(i18n, home.send_notice)}</a> })}
                    </p>
                </section>
            })}
            {home.led_class.map(|class| view! {
                <section class="card" aria-labelledby="led-card">
                    <h2 id="led-card">{t_string!(i18n, home.led_class_title, class = class.class.name.clone())}</h2>
                    <p>{t_string!(i18n, common.students_count, count = class.students)}</p>
                    <p class="actions"><a class="button secondary" href="/class">{t_string!(i18n, home.open_class)}</a></p>
                </section>
            })}
            {home.own_class.map(|class| view! {
                <section class="card" aria-labelledby="own-card">
                    <h2 id="own-card">{t_string!(i18n, home.own_class_title, class = class.class.name.clone())}</h2>
                    <ClassFacts class />
                </section>
            })}
            {home.contest.map(|glance| view! { <ContestCard glance /> })}
            {home.admin.map(|stats| view! {
                <section class="card" aria-labelledby="admin-card">
                    <h2 id="admin-card">{t_string!(i18n, home.admin_title)}</h2>
                    <dl class="stats">
                        <div><dt>{t_string!(i18n, home.stats_students)}</dt><dd>{stats.students}</dd></div>
                        <div><dt>{t_string!(i18n, home.stats_teachers)}</dt><dd>{stats.teachers}</dd></div>
                        <div><dt>{t_string!(i18n, home.stats_parents)}</dt><dd>{stats.parents}</dd></div>
                        <div><dt>{t_string!(i18n, home.stats_classes)}</dt><dd>{stats.classes}</dd></div>
                        <div><dt>{t_string!(i18n, home.stats_groups)}</dt><dd>{stats.groups}</dd></div>
                    </dl>
                    <p class="actions">
                        <a class="button" href="/admin/users">{t_string!(i18n, home.manage_users)}</a>
                        <a class="button secondary" href="/admin/classes">{t_string!(i18n, home.manage_classes)}</a>
                        <a class="button secondary" href="/admin/import">{t_string!(i18n, home.import_people)}</a>
                        <a class="button secondary" href="/admin/tasks">{t_string!(i18n, completion.open)}</a>
                    </p>
                </section>
            })}
        </div>
    }
}

/// The contest's phase with its dates and what is this person's to do in it.
#[component]
fn ContestCard(glance: ContestGlance) -> impl IntoView {
    let i18n = use_i18n();
    let (from, until) = glance.schedule.window_of(glance.phase);
    let dates = crate::ui::format::day_range(from, until);
    let phase = glance.phase;
    view! {
        <section class="card" aria-labelledby="contest-card">
            <h2 id="contest-card">{t_string!(i18n, contest.title)}</h2>
            <p class="phase-now">{t_string!(i18n, contest.now)}" "<strong>{phase_text(phase)}</strong></p>
            <p class="muted">{dates}</p>
            {glance.scored.filter(|(_, total)| *total > 0).map(|(done, total)| view! {
                <p><strong>{t_string!(i18n, home.contest_scored, done = done, total = total)}</strong></p>
            })}
            {glance.applications.filter(|_| phase >= Phase::Applications).map(|n| view! {
                <p>{t_string!(i18n, home.contest_applications, n = n)}</p>
            })}
            <p class="actions">
                {(glance.organiser).then(|| view! {
                    <a class="button secondary" href="/contest/manage">{t_string!(i18n, contest.manage_link)}</a>
                })}
                <a class="button secondary" href="/contest">{t_string!(i18n, home.contest_open)}</a>
            </p>
        </section>
    }
}

#[component]
fn ClassFacts(class: ClassSummary) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts">
            <div>
                <dt>{t_string!(i18n, home.class_teacher)}</dt>
                <dd>{class.class_teacher.map(|t| t.full_name).unwrap_or_else(|| "—".into())}</dd>
            </div>
            <div>
                <dt>{t_string!(i18n, home.classmates)}</dt>
                <dd>{class.students}</dd>
            </div>
        </dl>
    }
}
