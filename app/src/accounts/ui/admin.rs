//! Admin pages: people, one person, classes and groups, CSV import.

use super::post_status;
use crate::accounts::api::*;
use crate::accounts::{ClassKind, ClassRow, Role, UserDetail, UserPage};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::messages::{error_text, field_text, reason_text, role_text};
use crate::ui::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let role = move || query.read().get("role").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let users = Resource::new(
        move || (q(), role(), page()),
        |(q, role, page)| list_users(q, role, page),
    );
    let classes = Resource::new(|| (), |_| list_classes());
    view! {
        <Title text=t_string!(i18n, users.title).to_string() />
        <h1>{t_string!(i18n, users.title)}</h1>
        {post_status()}
        <form method="get" class="filters" role="search">
            <div>
                <label for="q">{t_string!(i18n, users.search_label)}</label>
                <input id="q" name="q" type="search" value=q />
            </div>
            <div>
                <label for="role-filter">{t_string!(i18n, users.role_filter)}</label>
                <select id="role-filter" name="role">
                    <option value="">{t_string!(i18n, users.all_roles)}</option>
                    {Role::GRANTABLE.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || role() == r.as_str()>{role_text(r)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{t_string!(i18n, common.search)}</button>
        </form>
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match users.await {
                    Ok(page) => view! { <UserTable page q=q() role=role() /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="create-user">
            <h2 id="create-user">{t_string!(i18n, users.create_title)}</h2>
            <form method="post" action="/api/admin/create_user" class="stack">
                <label for="new-login">{t_string!(i18n, fields.login)}</label>
                <input id="new-login" name="login" autocapitalize="none" required />
                <label for="new-name">{t_string!(i18n, fields.full_name)}</label>
                <input id="new-name" name="full_name" required />
                <label for="new-password">{t_string!(i18n, fields.password)}</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password" minlength="8" required />
                <label for="new-role">{t_string!(i18n, fields.role)}</label>
                <select id="new-role" name="role">
                    {Role::GRANTABLE.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == Role::Student>{role_text(r)}</option>
                    }).collect_view()}
                </select>
                <label for="new-class">{t_string!(i18n, users.class_for_students)}</label>
                <select id="new-class" name="class_id">
                    <option value="">"—"</option>
                    <Suspense fallback=|| ()>
                        {Suspend::new(async move {
                            classes.await.unwrap_or_default().into_iter().map(|c| view! {
                                <option value=c.id.to_string()>{c.name}</option>
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
                <button type="submit">{t_string!(i18n, common.create)}</button>
            </form>
        </section>
    }
}

#[component]
fn UserTable(page: UserPage, q: String, role: String) -> impl IntoView {
    let i18n = use_i18n();
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let link = move |n: i64| {
        format!(
            "?q={}&role={}&page={n}",
            crate::ui::format::url_encode(&q),
            role
        )
    };
    let (prev, next) = (link(page.page - 1), link(page.page + 1));
    let current = page.page;
    view! {
        <p class="muted" role="status">{t_string!(i18n, users.total, count = page.total)}</p>
        <div class="table-wrap">
            <table class="stacked">
                <thead>
                    <tr>
                        <th scope="col">{t_string!(i18n, fields.full_name)}</th>
                        <th scope="col">{t_string!(i18n, fields.login)}</th>
                        <th scope="col">{t_string!(i18n, users.roles)}</th>
                        <th scope="col">{t_string!(i18n, fields.class)}</th>
                        <th scope="col">{t_string!(i18n, users.status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| {
                        let roles = row.roles.iter().map(|r| role_text(*r)).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr class:inactive=!row.active>
                                <td class="row-title"><a href=format!("/admin/users/{}", row.id)>{row.full_name}</a></td>
                                <td data-label=t_string!(i18n, fields.login)>{row.login}</td>
                                <td data-label=t_string!(i18n, users.roles)>{roles}</td>
                                <td data-label=t_string!(i18n, fields.class)>{row.class_name.unwrap_or_default()}</td>
                                <td data-label=t_string!(i18n, users.status)>
                                    <form method="post" action="/api/admin/set_active" class="inline">
                                        <input type="hidden" name="id" value=row.id.to_string() />
                                        <input type="hidden" name="active" value=(!row.active).to_string() />
                                        <span>{if row.active { t_string!(i18n, common.active).to_string() } else { t_string!(i18n, common.inactive).to_string() }}</span>
                                        " "
                                        <button type="submit" class="small secondary">
                                            {if row.active { t_string!(i18n, common.deactivate).to_string() } else { t_string!(i18n, common.activate).to_string() }}
                                        </button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, common.pages).to_string()>
            {(current > 1).then(|| view! {
                <a href=prev.clone() rel="prev">{t_string!(i18n, common.previous)}</a>
            })}
            <span>{t_string!(i18n, common.page_of, page = current, pages = pages)}</span>
            {(current < pages).then(|| view! {
                <a href=next.clone() rel="next">{t_string!(i18n, common.next)}</a>
            })}
        </nav>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::path_id();
    let detail = Resource::new(id, get_user);
    view! {
        <Title text=t_string!(i18n, users.edit_title).to_string() />
        <p><a href="/admin/users">{t_string!(i18n, common.back)}</a></p>
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match detail.await {
                    Ok(user) => view! { <UserEditor user /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserEditor(user: UserDetail) -> impl IntoView {
    let i18n = use_i18n();
    let is_student = user.roles.contains(&Role::Student);
    let is_parent = user.roles.contains(&Role::Parent);
    let id = user.id;
    view! {
        <h1>{user.full_name.clone()}</h1>
        {post_status()}
        <p class="muted">
            {user.login.clone()} " · "
            {if user.active { t_string!(i18n, common.active).to_string() } else { t_string!(i18n, common.inactive).to_string() }}
            {user.class.clone().map(|c| format!(" · {}", c.name))}
        </p>
        <div class="cards">
            <section class="card" aria-labelledby="edit-user">
                <h2 id="edit-user">{t_string!(i18n, users.edit_title)}</h2>
                <form method="post" action="/api/admin/update_user" class="stack">
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for="full-name">{t_string!(i18n, fields.full_name)}</label>
                    <input id="full-name" name="full_name" value=user.full_name.clone() required />
                    <label for="email">{t_string!(i18n, fields.email)}</label>
                    <input id="email" name="email" type="email" value=user.email.clone().unwrap_or_default() />
                    <label for="phone">{t_string!(i18n, fields.phone)}</label>
                    <input id="phone" name="phone" type="tel" value=user.phone.clone().unwrap_or_default() />
                    <label for="reset-password">{t_string!(i18n, users.new_password)}</label>
                    <input id="reset-password" name="new_password" type="password" autocomplete="new-password" aria-describedby="reset-hint" />
                    <p id="reset-hint" class="hint">{t_string!(i18n, users.new_password_hint)}</p>
                    <button type="submit">{t_string!(i18n, common.save)}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="user-roles">
                <h2 id="user-roles">{t_string!(i18n, users.roles)}</h2>
                <ul class="plain">
                    {Role::GRANTABLE.into_iter().map(|role| {
                        let has = user.roles.contains(&role);
                        view! {
                            <li>
                                <form method="post" action="/api/admin/set_role" class="inline">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <input type="hidden" name="role" value=role.as_str() />
                                    <input type="hidden" name="granted" value=(!has).to_string() />
                                    <span class:granted=has>{role_text(role)}</span>
                                    " "
                                    <button type="submit" class="small secondary">
                                        {if has { t_string!(i18n, users.revoke).to_string() } else { t_string!(i18n, users.grant).to_string() }}
                                    </button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <form method="post" action="/api/admin/set_active" class="inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="active" value=(!user.active).to_string() />
                    <button type="submit" class="secondary">
                        {if user.active { t_string!(i18n, common.deactivate).to_string() } else { t_string!(i18n, common.activate).to_string() }}
                    </button>
                </form>
            </section>
            {is_student.then(|| view! {
                <section class="card" aria-labelledby="student-parents">
                    <h2 id="student-parents">{t_string!(i18n, users.parents_title)}</h2>
                    <p>{user.parents.iter().map(|p| p.full_name.clone()).collect::<Vec<_>>().join(", ")}</p>
                    <JoinCodeButton student_id=user.id />
                </section>
            })}
            {is_parent.then(move || view! {
                <section class="card" aria-labelledby="parent-children">
                    <h2 id="parent-children">{t_string!(i18n, users.children_title)}</h2>
                    <ul class="plain">
                        {user.children.clone().into_iter().map(|child| view! {
                            <li>
                                <form method="post" action="/api/admin/unlink_parent" class="inline">
                                    <input type="hidden" name="parent_id" value=user.id.to_string() />
                                    <input type="hidden" name="student_id" value=child.id.to_string() />
                                    <span>{child.full_name.clone()} {child.class.clone().map(|c| format!(" ({})", c.name))}</span>
                                    " "
                                    <button type="submit" class="small secondary">{t_string!(i18n, users.unlink)}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                    <form method="post" action="/api/admin/link_parent" class="stack">
                        <input type="hidden" name="parent_login" value=user.login.clone() />
                        <label for="child-login">{t_string!(i18n, users.student_login)}</label>
                        <input id="child-login" name="student_login" autocapitalize="none" required />
                        <button type="submit">{t_string!(i18n, users.link_child)}</button>
                    </form>
                </section>
            })}
        </div>
    }
}

/// Issues a join code for one student's parent; the page it comes back to shows the code once
/// (see `issue_join_code`).
#[component]
pub fn JoinCodeButton(student_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_query_map()
        .read_untracked()
        .get("code_for")
        .and_then(|id| id.parse::<i64>().ok())
        == Some(student_id);
    // Taken out of the session only beside the student it was made for.
    let issued = shown.then(|| Resource::new(|| (), |_| take_issued_code()));
    view! {
        <form method="post" action="/api/class/join_code" class="inline">
            <input type="hidden" name="student_id" value=student_id.to_string() />
            <button type="submit" class="small">{t_string!(i18n, class_page.issue_code)}</button>
        </form>
        {issued.map(|issued| view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match issued.await {
                        Ok(Some(issued)) if issued.student_id == student_id => view! {
                            <div class="code-box" role="status">
                                <p>{t_string!(i18n, class_page.code_for, name = issued.student_name.clone())}</p>
                                <p class="code">{issued.code.clone()}</p>
                                <p class="hint">{t_string!(i18n, class_page.code_until, date = issued.valid_until.clone())}</p>
                            </div>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
        })}
    }
}

#[component]
pub fn AdminClassesPage() -> impl IntoView {
    let i18n = use_i18n();
    let classes = Resource::new(|| (), |_| list_classes());
    view! {
        <Title text=t_string!(i18n, classes.title).to_string() />
        <h1>{t_string!(i18n, classes.title)}</h1>
        {post_status()}
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match classes.await {
                    Ok(rows) => {
                        let (school, groups): (Vec<ClassRow>, Vec<ClassRow>) = rows.into_iter().partition(|c| c.kind == ClassKind::School);
                        view! {
                            <h2>{t_string!(i18n, classes.school_classes)}</h2>
                            <ClassTable rows=school />
                            <h2>{t_string!(i18n, classes.university_groups)}</h2>
                            <ClassTable rows=groups />
                        }.into_any()
                    }
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
        <div class="cards">
            <section class="card" aria-labelledby="new-class">
                <h2 id="new-class">{t_string!(i18n, classes.create_class)}</h2>
                <form method="post" action="/api/admin/create_class" class="stack">
                    <label for="grade">{t_string!(i18n, fields.grade)}</label>
                    <select id="grade" name="grade">
                        {(1..=11).map(|g| view! { <option value=g.to_string()>{g}</option> }).collect_view()}
                    </select>
                    <label for="letter">{t_string!(i18n, fields.letter)}</label>
                    <input id="letter" name="letter" maxlength="1" required />
                    <button type="submit">{t_string!(i18n, common.create)}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="new-group">
                <h2 id="new-group">{t_string!(i18n, classes.create_group)}</h2>
                <form method="post" action="/api/admin/create_group" class="stack">
                    <label for="faculty">{t_string!(i18n, fields.faculty)}</label>
                    <input id="faculty" name="faculty" required />
                    <label for="course">{t_string!(i18n, fields.course)}</label>
                    <select id="course" name="course">
                        {(1..=6).map(|c| view! { <option value=c.to_string()>{c}</option> }).collect_view()}
                    </select>
                    <label for="group-name">{t_string!(i18n, fields.group_name)}</label>
                    <input id="group-name" name="name" required />
                    <button type="submit">{t_string!(i18n, common.create)}</button>
                </form>
            </section>
        </div>
    }
}

#[component]
fn ClassTable(rows: Vec<ClassRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="stacked">
                <thead>
                    <tr>
                        <th scope="col">{t_string!(i18n, classes.name)}</th>
                        <th scope="col">{t_string!(i18n, classes.students)}</th>
                        <th scope="col">{t_string!(i18n, classes.teacher)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let label = format!("{}: {}", t_string!(i18n, classes.teacher_login), row.name);
                        let name = match (&row.faculty, row.course) {
                            (Some(f), Some(c)) => format!("{} ({f}, {})", row.name, t_string!(i18n, classes.course_n, course = c)),
                            _ => row.name.clone(),
                        };
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td data-label=t_string!(i18n, classes.students)>{row.students}</td>
                                <td data-label=t_string!(i18n, classes.teacher)>
                                    <span>{row.class_teacher.map(|t| t.full_name).unwrap_or_else(|| "—".into())}</span>
                                    <form method="post" action="/api/admin/class_teacher" class="inline">
                                        <input type="hidden" name="class_id" value=row.id.to_string() />
                                        <input name="teacher_login" aria-label=label size="12" autocapitalize="none" />
                                        <button type="submit" class="small secondary">{t_string!(i18n, classes.set_teacher)}</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let i18n = use_i18n();
    // The outcome of this form's post (the timetable import below names itself).
    let query = use_query_map();
    let ours = query.read_untracked().get("form").is_none();
    let imported = query.read_untracked().get("imported").filter(|_| ours);
    let error = ours.then(super::query_error).flatten();
    view! {
        <Title text=t_string!(i18n, import.title).to_string() />
        <h1>{t_string!(i18n, import.title)}</h1>
        <section class="card">
            <p>{t_string!(i18n, import.intro)}</p>
            <ul>
                <li>{t_string!(i18n, import.students)}": " <code>"login,full_name,class,password"</code></li>
                <li>{t_string!(i18n, import.teachers)}": " <code>"login,full_name,password"</code></li>
            </ul>
            <form method="post" action="/api/admin/import" class="stack">
                <label for="kind">{t_string!(i18n, import.kind)}</label>
                <select id="kind" name="kind">
                    <option value="students">{t_string!(i18n, import.students)}</option>
                    <option value="teachers">{t_string!(i18n, import.teachers)}</option>
                </select>
                <label for="csv">{t_string!(i18n, import.csv)}</label>
                <textarea id="csv" name="csv" rows="10" required spellcheck="false"></textarea>
                <button type="submit">{t_string!(i18n, import.submit)}</button>
            </form>
            {match (imported, error) {
                (_, Some(AppError::Import(rows))) => view! { <ImportErrors rows /> }.into_any(),
                (_, Some(err)) => view! { <p class="error" role="alert">{error_text(&err)}</p> }.into_any(),
                (Some(count), None) => view! {
                    <p class="ok" role="status">{t_string!(i18n, import.created, count = count)}</p>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
        </section>
        <crate::timetable::editor::TimetableImportForm />
    }
}

/// An import's refusal: every bad row with its line, the field and what is wrong.
#[component]
pub fn ImportErrors(rows: Vec<crate::error::RowError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert">
            <p class="error">{error_text(&AppError::Import(rows.clone()))}</p>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t_string!(i18n, import.line)}</th>
                            <th scope="col">{t_string!(i18n, import.field)}</th>
                            <th scope="col">{t_string!(i18n, import.problem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr><td>{row.line}</td><td>{field_text(row.field)}</td><td>{reason_text(row.reason)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
