//! `/timetable/print?whose=class:ID|teacher:ID|…`: one week of a class or of a teacher as a
//! printable grid (periods × weekdays), the two reports of the AVN timetable instruction. The
//! page prints on one A4 sheet in landscape; on screen it is the same table.

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

/// One lesson in the grid: for a class, who teaches it; for a teacher, which class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintCell {
    pub weekday: u8,
    pub period: i64,
    pub subject: SubjectName,
    pub who: String,
    pub room: Option<String>,
    pub weeks: Weeks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSheet {
    pub title: String,
    /// A class's sheet (else a teacher's).
    pub of_class: bool,
    pub days: u8,
    /// (number, starts, ends) in minutes.
    pub periods: Vec<(i64, i64, i64)>,
    pub cells: Vec<PrintCell>,
}

/// The week of a class or a teacher as the printable sheet, for whoever may see that week.
#[server(endpoint = "timetable/print")]
pub async fn get_print_sheet(whose: String) -> AppResult<PrintSheet> {
    use crate::error::{AppError, Field, Reason};
    let me = crate::accounts::auth::require_user().await?;
    let db = crate::state::db()?;
    let whose =
        Whose::from_param(&whose).ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?;
    let (title, rows, class_id, _) = super::api::resolve(&db, &me, &whose).await?;
    let calendar = store::calendar(&db).await?;
    let mut periods: Vec<(i64, i64, i64)> = store::periods(&db, &calendar.bell_variant)
        .await?
        .into_iter()
        .map(|(n, (s, e))| (n, s, e))
        .collect();
    periods.sort();
    let of_class = class_id.is_some();
    let mut cells: Vec<PrintCell> = rows
        .into_iter()
        .map(|l| PrintCell {
            weekday: l.weekday,
            period: l.period,
            subject: l.subject,
            who: if of_class {
                l.teacher_name
            } else {
                l.class_name
            },
            room: l.room,
            weeks: l.weeks,
        })
        .collect();
    cells.sort_by(|a, b| (a.weekday, a.period, &a.who).cmp(&(b.weekday, b.period, &b.who)));
    Ok(PrintSheet {
        title,
        of_class,
        days: if calendar.saturday { 6 } else { 5 },
        periods,
        cells,
    })
}

#[component]
pub fn PrintPage() -> impl IntoView {
    use crate::error::AppError;
    use crate::i18n::*;
    use crate::ui::{ErrorBox, Loading};
    use leptos_meta::Title;
    use leptos_router::components::Redirect;
    use leptos_router::hooks::use_query_map;
    let i18n = use_i18n();
    let query = use_query_map();
    let whose = query.read_untracked().get("whose").unwrap_or_default();
    let sheet = Resource::new(move || whose.clone(), get_print_sheet);
    view! {
        <Title text=t_string!(i18n, print.title).to_string() />
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match sheet.await {
                    Ok(sheet) => view! { <Sheet sheet /> }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/timetable" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sheet(sheet: PrintSheet) -> impl IntoView {
    use super::ui::{hhmm, subject_text, weeks_text};
    use crate::i18n::*;
    use crate::ui::format::weekday_text;
    let i18n = use_i18n();
    let heading = if sheet.of_class {
        t_string!(i18n, print.of_class, name = sheet.title.clone()).to_string()
    } else {
        t_string!(i18n, print.of_teacher, name = sheet.title.clone()).to_string()
    };
    let days: Vec<u8> = (0..sheet.days).collect();
    let cells = sheet.cells.clone();
    view! {
        <article class="print-sheet">
            <h1>{heading}</h1>
            // Hidden until the page script shows it and opens the print dialog on a tap (no WASM for
                // one button); without JavaScript the browser's own menu prints the same page.
                <p class="no-print"><button type="button" class="secondary" data-action="print" hidden=true>{t_string!(i18n, print.print)}</button></p>
            // Scrolls sideways on a phone: reachable by keyboard, named for screen readers.
            <div class="table-wrap" tabindex="0" role="region" aria-label=t_string!(i18n, print.title)>
                <table class="print-grid">
                    <caption class="visually-hidden">{t_string!(i18n, print.title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t_string!(i18n, fields.period)}</th>
                            {days.iter().map(|d| view! { <th scope="col">{weekday_text(*d)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {sheet.periods.into_iter().map(|(n, starts, ends)| {
                            let cells = cells.clone();
                            view! {
                                <tr>
                                    <th scope="row">{n}<br /><span class="muted">{hhmm(starts)}"–"{hhmm(ends)}</span></th>
                                    {days.iter().map(|d| {
                                        let here: Vec<PrintCell> = cells.iter().filter(|c| c.weekday == *d && c.period == n).cloned().collect();
                                        view! {
                                            <td>
                                                {here.into_iter().map(|c| view! {
                                                    <div class="print-cell">
                                                        <strong>{subject_text(&c.subject)}</strong>
                                                        <br />{c.who.clone()}
                                                        {c.room.clone().map(|r| format!(" · {r}"))}
                                                        {(c.weeks != Weeks::All).then(|| view! { <br /><span class="muted">{weeks_text(c.weeks)}</span> })}
                                                    </div>
                                                }).collect_view()}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </article>
    }
}

/// `/admin/reports`: every class's and every teacher's printable week.
#[component]
pub fn ReportsPage() -> impl IntoView {
    use super::editor::get_editor;
    use crate::error::AppError;
    use crate::i18n::*;
    use crate::ui::{ErrorBox, Loading};
    use leptos_meta::Title;
    use leptos_router::components::Redirect;
    let i18n = use_i18n();
    let lists = Resource::new(|| (), |_| get_editor(None));
    view! {
        <Title text=t_string!(i18n, print.reports_title).to_string() />
        <h1>{t_string!(i18n, print.reports_title)}</h1>
        <p class="hint">{t_string!(i18n, print.reports_hint)}</p>
        <p class="actions"><a class="button secondary" href="/admin/tasks">{t_string!(i18n, completion.open)}</a></p>
        <Suspense fallback=Loading>
            {Suspend::new(async move {
                match lists.await {
                    Ok(page) => view! {
                        <div class="columns">
                            <section aria-labelledby="reports-classes">
                                <h2 id="reports-classes">{t_string!(i18n, print.by_class)}</h2>
                                <ul class="plain links">
                                    {page.classes.into_iter().map(|(id, name)| view! {
                                        <li><a href=format!("/timetable/print?whose=class:{id}")>{name}</a></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section aria-labelledby="reports-teachers">
                                <h2 id="reports-teachers">{t_string!(i18n, print.by_teacher)}</h2>
                                <ul class="plain links">
                                    {page.teachers.into_iter().map(|(id, name)| view! {
                                        <li><a href=format!("/timetable/print?whose=teacher:{id}")>{name}</a></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        </div>
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/admin/reports" /> }.into_any(),
                    Err(err) => view! { <ErrorBox err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
