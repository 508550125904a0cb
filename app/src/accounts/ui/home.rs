use crate::accounts::api::get_home;
use crate::accounts::{ChildHome, ClassSummary, Home, Role};
use crate::assignments::ui::TaskDigestView;
use crate::error::AppError;
use crate::i18n::*;
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
            {move || Suspend::new(async move {
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
    let in_contest = roles.contains(&Role::Organiser) || roles.contains(&Role::Expert);
    view! {
        <section class="hello">
            <h1>{t_string!(i18n, home.greeting, name = name)}</h1>
            <p class="muted">{today}" · "{home.school_name.clone()}</p>
        </section>
        <div class="cards">
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
            {home.led_class.map(|class| view! {
                <section class="card" aria-labelledby="led-card">
                    <h2 id="led-card">{t_string!(i18n, home.led_class_title, class = class.class.name.clone())}</h2>
                    <p>{t_string!(i18n, common.students_count, count = class.students)}</p>
                    <p class="actions"><a class="button" href="/class">{t_string!(i18n, home.open_class)}</a></p>
                </section>
            })}
            {home.tasks.map(|digest| view! {
                <section class="card" aria-labelledby="tasks-card">
                    <h2 id="tasks-card">{t_string!(i18n, tasks.title)}</h2>
                    <TaskDigestView digest />
                    <p class="actions"><a class="button secondary" href="/tasks">{t_string!(i18n, tasks.all_tasks)}</a></p>
                </section>
            })}
            {home.own_class.map(|class| view! {
                <section class="card" aria-labelledby="own-card">
                    <h2 id="own-card">{t_string!(i18n, home.own_class_title, class = class.class.name.clone())}</h2>
                    <ClassFacts class />
                    <p class="actions"><a class="button" href="/timetable">{t_string!(i18n, timetable.open)}</a></p>
                </section>
            })}
            {home.children.into_iter().map(|ChildHome { child, class, tasks }| view! {
                <section class="card">
                    <h2>{child.full_name.clone()}</h2>
                    {match class {
                        Some(class) => view! {
                            <p>{t_string!(i18n, home.child_class, class = class.class.name.clone())}</p>
                            <ClassFacts class />
                            <h3>{t_string!(i18n, tasks.title)}</h3>
                            <TaskDigestView digest=tasks />
                            <p class="actions">
                                <a class="button" href=format!("/timetable?whose=child:{}", child.id)>{t_string!(i18n, timetable.open)}</a>
                                <a class="button secondary" href="/tasks">{t_string!(i18n, tasks.all_tasks)}</a>
                            </p>
                        }.into_any(),
                        None => view! { <p class="muted">{t_string!(i18n, home.no_class)}</p> }.into_any(),
                    }}
                </section>
            }).collect_view()}
            {is_teacher.then(|| view! {
                <section class="card">
                    <h2>{t_string!(i18n, home.teacher_title)}</h2>
                    <p class="muted">{t_string!(i18n, home.teacher_text)}</p>
                    {home.to_review.map(|n| match n {
                        0 => view! { <p class="muted">{t_string!(i18n, tasks.to_review_none)}</p> }.into_any(),
                        n => view! { <p><strong>{t_string!(i18n, tasks.to_review, n = n)}</strong></p> }.into_any(),
                    })}
                    <p class="actions">
                        <a class="button" href="/timetable">{t_string!(i18n, timetable.my_lessons)}</a>
                        <a class="button secondary" href="/tasks">{t_string!(i18n, nav.tasks)}</a>
                    </p>
                </section>
            })}
            {in_contest.then(|| view! {
                <section class="card">
                    <h2>{t_string!(i18n, home.contest_title)}</h2>
                    <p class="muted">{t_string!(i18n, home.contest_empty)}</p>
                </section>
            })}
        </div>
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
