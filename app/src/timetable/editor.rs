//! `/admin/timetable`: the admin's editor for one class's week: a grid of weekdays × periods,
//! each lesson changeable in place, a form to add one, and every clash refused with what clashes
//! and when (a teacher in two places, a class with two lessons at once, a room taken).
//! Plain forms answered with redirects: it works without JavaScript.
// A server function takes its form's fields as arguments, one each.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use crate::ui::DateInput;
use leptos::prelude::*;

/// One weekly lesson in the editor, with the ids its form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorLesson {
    pub lesson_id: i64,
    pub weekday: u8,
    pub period: i64,
    pub subject_id: i64,
    pub subject: SubjectName,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub form: LessonForm,
    pub mode: LessonMode,
    pub room: Option<String>,
    pub weeks: Weeks,
}

/// The editor's page: the classes to choose from and, for the chosen one, its week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorPage {
    pub classes: Vec<(i64, String)>,
    pub class_id: Option<i64>,
    pub class_name: String,
    /// (number, starts, ends) in minutes, of the bell schedule in force.
    pub periods: Vec<(i64, i64, i64)>,
    /// 5 (Monday-Friday) or 6 with Saturday.
    pub days: u8,
    pub subjects: Vec<(i64, SubjectName)>,
    pub teachers: Vec<(i64, String)>,
    pub lessons: Vec<EditorLesson>,
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::accounts::auth::require;
    pub use crate::accounts::Role;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::timetable::store::LessonDraft;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const EDITOR_PAGE: &str = "/admin/timetable";

/// The admin's editor page for a class (none chosen yet: just the list).
#[server(endpoint = "timetable/editor")]
pub async fn get_editor(class_id: Option<i64>) -> AppResult<EditorPage> {
    require(Role::Admin).await?;
    let db = db()?;
    let classes: Vec<(i64, String)> = crate::accounts::store::list_classes(&db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let calendar = store::calendar(&db).await?;
    let mut periods: Vec<(i64, i64, i64)> = store::periods(&db, &calendar.bell_variant)
        .await?
        .into_iter()
        .map(|(n, (s, e))| (n, s, e))
        .collect();
    periods.sort_unstable();
    let (class_name, lessons) = match class_id {
        None => (String::new(), Vec::new()),
        Some(id) => {
            let name = classes
                .iter()
                .find(|(c, _)| *c == id)
                .map(|(_, n)| n.clone())
                .ok_or(AppError::NotFound)?;
            let lessons = store::lessons_of_class(&db, id)
                .await?
                .into_iter()
                .map(|l| EditorLesson {
                    lesson_id: l.id,
                    weekday: l.weekday,
                    period: l.period,
                    subject_id: l.subject_id,
                    subject: l.subject,
                    teacher_id: l.teacher_id,
                    teacher_name: l.teacher_name,
                    form: l.form,
                    mode: l.mode,
                    room: l.room,
                    weeks: l.weeks,
                })
                .collect();
            (name, lessons)
        }
    };
    Ok(EditorPage {
        classes,
        class_id,
        class_name,
        periods,
        days: if calendar.saturday { 6 } else { 5 },
        subjects: store::subjects(&db).await?,
        teachers: store::teachers(&db).await?,
        lessons,
    })
}

/// Reads and checks the editor's form: every value known, and no clash with the school's week.
#[cfg(feature = "ssr")]
async fn checked_draft(
    db: &crate::db::Db,
    lesson_id: Option<i64>,
    class_id: i64,
    weekday: &str,
    period: &str,
    subject_id: &str,
    teacher_id: &str,
    form: &str,
    mode: &str,
    room: &str,
    weeks: &str,
) -> AppResult<LessonDraft> {
    let number = |raw: &str, field: Field| {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid(field, Reason::BadFormat))
    };
    if store::class_name(db, class_id).await?.is_none() {
        return Err(AppError::invalid(Field::Class, Reason::UnknownClass));
    }
    let calendar = store::calendar(db).await?;
    let weekday = number(weekday, Field::Weekday)?;
    let last_day = if calendar.saturday { 5 } else { 4 };
    if !(0..=last_day).contains(&weekday) {
        return Err(AppError::invalid(Field::Weekday, Reason::OutOfRange));
    }
    let weekday = weekday as u8;
    let period = number(period, Field::Period)?;
    if !store::periods(db, &calendar.bell_variant)
        .await?
        .contains_key(&period)
    {
        return Err(AppError::invalid(Field::Period, Reason::OutOfRange));
    }
    let subject_id = number(subject_id, Field::Subject)?;
    if !store::subjects(db)
        .await?
        .iter()
        .any(|(id, _)| *id == subject_id)
    {
        return Err(AppError::invalid(Field::Subject, Reason::OutOfRange));
    }
    let teacher_id = number(teacher_id, Field::Teacher)?;
    if !store::teachers(db)
        .await?
        .iter()
        .any(|(id, _)| *id == teacher_id)
    {
        return Err(AppError::invalid(Field::Teacher, Reason::NotATeacher));
    }
    let form = LessonForm::ALL
        .into_iter()
        .find(|f| f.as_db() == form.trim())
        .ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?;
    let mode = [LessonMode::Online, LessonMode::InSchool, LessonMode::Tv]
        .into_iter()
        .find(|m| m.as_db() == mode.trim())
        .ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?;
    let room = room.trim();
    if room.chars().count() > 20 {
        return Err(AppError::invalid(Field::Room, Reason::TooLong));
    }
    let room = (!room.is_empty()).then(|| room.to_string());
    let weeks = Weeks::from_db(weeks).ok_or(AppError::invalid(Field::Weeks, Reason::BadFormat))?;
    let candidate = rules::Slot {
        lesson_id: lesson_id.unwrap_or(0),
        weekday,
        period,
        class_id,
        teacher_id,
        room: room.clone(),
        weeks,
    };
    if let Some(clash) = rules::main_clash(&rules::clashes(
        &store::slots_on(db, weekday).await?,
        &candidate,
    )) {
        return Err(AppError::invalid(
            Field::Lesson,
            Reason::Clash {
                kind: clash.kind,
                weekday,
                period: period as u8,
            },
        ));
    }
    Ok(LessonDraft {
        class_id,
        weekday,
        period,
        subject_id,
        teacher_id,
        form,
        mode,
        room,
        weeks,
    })
}

/// Adds a weekly lesson to a class (no `lesson_id`) or changes one, refusing clashes.
#[server(endpoint = "timetable/save_lesson")]
pub async fn save_lesson(
    lesson_id: Option<String>,
    class_id: i64,
    weekday: String,
    period: String,
    subject_id: String,
    teacher_id: String,
    form: String,
    mode: String,
    room: String,
    weeks: String,
) -> AppResult<()> {
    // Back to the class, with the lesson being changed still open.
    let page = match lesson_id
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        Some(lesson) => format!(
            "{EDITOR_PAGE}?class={class_id}&lesson={}",
            crate::ui::format::url_encode(lesson)
        ),
        None => format!("{EDITOR_PAGE}?class={class_id}"),
    };
    let result = async {
        require(Role::Admin).await?;
        let db = db()?;
        let lesson_id = match lesson_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let id: i64 = raw
                    .parse()
                    .map_err(|_| AppError::invalid(Field::Lesson, Reason::BadFormat))?;
                store::lesson(&db, id).await?.ok_or(AppError::NotFound)?;
                Some(id)
            }
        };
        let draft = checked_draft(
            &db,
            lesson_id,
            class_id,
            &weekday,
            &period,
            &subject_id,
            &teacher_id,
            &form,
            &mode,
            &room,
            &weeks,
        )
        .await?;
        store::save_lesson(&db, lesson_id, &draft).await?;
        Ok(())
    }
    .await;
    answer_form_to(result, &format!("{page}&saved=1"), &page)
}

/// Removes a weekly lesson that has no record yet (else it must be changed, not removed).
#[server(endpoint = "timetable/delete_lesson")]
pub async fn delete_lesson(lesson_id: i64) -> AppResult<()> {
    let mut page = EDITOR_PAGE.to_string();
    let result = async {
        require(Role::Admin).await?;
        let db = db()?;
        let lesson = store::lesson(&db, lesson_id)
            .await?
            .ok_or(AppError::NotFound)?;
        page = format!("{EDITOR_PAGE}?class={}", lesson.class_id);
        if store::lesson_has_history(&db, lesson_id).await? {
            return Err(AppError::invalid(Field::Lesson, Reason::HasHistory));
        }
        store::delete_lesson(&db, lesson_id).await
    }
    .await;
    answer_form_to(result, &format!("{page}&saved=1"), &page)
}

/// Changes one lesson on one date (admins): cancelled, a substitute teacher, or moved to another
/// period of the day; `kind` "none" takes the change back. A substitute or a move that would
/// clash on that date is refused. With `notify` (and by itself for a change made from 18:00 for
/// tomorrow) the class's parents get a notice in their language.
#[server(endpoint = "timetable/change")]
pub async fn set_change(
    lesson_id: i64,
    date: String,
    kind: String,
    substitute_id: String,
    moved_to: String,
    note: String,
    notify: Option<String>,
) -> AppResult<()> {
    let mut page = EDITOR_PAGE.to_string();
    let result = async {
        let me = require(Role::Admin).await?;
        let db = db()?;
        let lesson = store::lesson(&db, lesson_id)
            .await?
            .ok_or(AppError::NotFound)?;
        page = format!("{EDITOR_PAGE}?class={}&lesson={lesson_id}", lesson.class_id);
        let day =
            rules::parse_date(&date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        let now = crate::db::now();
        if day < crate::db::day_number(now) {
            return Err(AppError::invalid(Field::Date, Reason::OutOfRange));
        }
        let calendar = store::calendar(&db).await?;
        if !lesson.runs_on(day, &calendar) {
            return Err(AppError::invalid(Field::Date, Reason::NotThatDay));
        }
        let week = rules::teaching_week(day, calendar.year_start);
        let iso = rules::iso_date(day);
        let note = note.trim();
        if note.chars().count() > 200 {
            return Err(AppError::invalid(Field::Comment, Reason::TooLong));
        }
        let kind = match kind.trim() {
            "none" => {
                store::clear_change(&db, lesson_id, &iso).await?;
                return Ok(());
            }
            other => ChangeKind::from_db(other)
                .ok_or(AppError::invalid(Field::Request, Reason::BadFormat))?,
        };
        let id_of = |raw: &str, field: Field| {
            raw.trim()
                .parse::<i64>()
                .map_err(|_| AppError::invalid(field, Reason::BadFormat))
        };
        let (substitute, moved) = match kind {
            ChangeKind::Cancelled => (None, None),
            ChangeKind::Substitute => {
                let teacher = id_of(&substitute_id, Field::Teacher)?;
                if !store::teachers(&db)
                    .await?
                    .iter()
                    .any(|(id, _)| *id == teacher)
                {
                    return Err(AppError::invalid(Field::Teacher, Reason::NotATeacher));
                }
                if teacher == lesson.teacher_id {
                    return Err(AppError::invalid(Field::Teacher, Reason::OutOfRange));
                }
                (Some(teacher), None)
            }
            ChangeKind::Moved => {
                let period = id_of(&moved_to, Field::Period)?;
                let periods = store::periods(&db, &calendar.bell_variant).await?;
                if !periods.contains_key(&period) || period == lesson.period {
                    return Err(AppError::invalid(Field::Period, Reason::OutOfRange));
                }
                (None, Some(period))
            }
        };
        // The date as it will be held, without this lesson: the changed lesson must fit in.
        let others: Vec<(i64, rules::DateChange)> = store::changes_on(&db, &iso)
            .await?
            .into_iter()
            .filter(|c| c.lesson_id != lesson_id)
            .filter_map(|c| {
                let change = match ChangeKind::from_db(&c.kind)? {
                    ChangeKind::Cancelled => rules::DateChange::Cancelled,
                    ChangeKind::Substitute => rules::DateChange::Substitute(c.substitute_id?),
                    ChangeKind::Moved => rules::DateChange::MovedTo(c.moved_to?),
                };
                Some((c.lesson_id, change))
            })
            .collect();
        let held: Vec<rules::Slot> =
            rules::slots_on_date(&store::slots_on(&db, lesson.weekday).await?, week, &others)
                .into_iter()
                .filter(|s| s.lesson_id != lesson_id)
                .collect();
        let mut candidate = lesson.slot();
        candidate.weeks = Weeks::All;
        candidate.teacher_id = substitute.unwrap_or(lesson.teacher_id);
        candidate.period = moved.unwrap_or(lesson.period);
        if kind != ChangeKind::Cancelled {
            if let Some(clash) = rules::main_clash(&rules::clashes(&held, &candidate)) {
                return Err(AppError::invalid(
                    Field::Lesson,
                    Reason::Clash {
                        kind: clash.kind,
                        weekday: lesson.weekday,
                        period: candidate.period as u8,
                    },
                ));
            }
        }
        store::save_change(
            &db,
            &store::NewChange {
                lesson_id,
                date: &iso,
                kind,
                substitute_id: substitute,
                moved_to: moved,
                note,
                set_by: me.id,
            },
        )
        .await?;
        let asked = notify.is_some_and(|n| !n.trim().is_empty());
        if asked || rules::late_change_for_tomorrow(now, day) {
            let substitute_name = match substitute {
                Some(id) => store::teachers(&db)
                    .await?
                    .into_iter()
                    .find(|(t, _)| *t == id)
                    .map(|(_, name)| name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let subject = lesson.subject.clone();
            let (period, moved_to) = (lesson.period, moved.unwrap_or(lesson.period));
            crate::notices::api::system_notice(
                &db,
                lesson.class_id,
                &lesson.class_name,
                (me.id, &me.full_name),
                true,
                |locale| {
                    change_notice(
                        locale,
                        kind,
                        &iso,
                        &subject,
                        period,
                        moved_to,
                        &substitute_name,
                        note,
                    )
                },
            )
            .await?;
        }
        Ok(())
    }
    .await;
    answer_form_to(result, &format!("{page}&saved=1"), &page)
}

/// The notice of a change, in one language: (subject, body).
#[cfg(feature = "ssr")]
fn change_notice(
    locale: crate::i18n::Locale,
    kind: ChangeKind,
    date: &str,
    subject: &SubjectName,
    period: i64,
    moved_to: i64,
    substitute: &str,
    note: &str,
) -> (String, String) {
    use crate::i18n::{td_string, Locale};
    let name = match locale {
        Locale::ru => &subject.ru,
        Locale::en => &subject.en,
        Locale::ky => &subject.ky,
    };
    let title = td_string!(locale, changes.notice_subject, date = date).to_string();
    let mut body = match kind {
        ChangeKind::Cancelled => td_string!(
            locale,
            changes.notice_cancelled,
            date = date,
            subject = name,
            period = period
        )
        .to_string(),
        ChangeKind::Substitute => td_string!(
            locale,
            changes.notice_substitute,
            date = date,
            subject = name,
            period = period,
            teacher = substitute
        )
        .to_string(),
        ChangeKind::Moved => td_string!(
            locale,
            changes.notice_moved,
            date = date,
            subject = name,
            from = period,
            to = moved_to
        )
        .to_string(),
    };
    if !note.is_empty() {
        body.push('\n');
        body.push_str(note);
    }
    (title, body)
}

pub mod ui {
    use super::*;
    use crate::accounts::ui::query_error;
    use crate::error::AppError;
    use crate::i18n::*;
    use crate::timetable::ui::{form_text, hhmm, mode_text, subject_text, weeks_text};
    use crate::ui::format::weekday_text;
    use crate::ui::messages::error_text;
    use crate::ui::{ErrorBox, Loading};
    use leptos_meta::Title;
    use leptos_router::components::Redirect;
    use leptos_router::hooks::use_query_map;

    #[component]
    pub fn TimetableEditorPage() -> impl IntoView {
        let i18n = use_i18n();
        let query = use_query_map();
        let page = Resource::new(
            move || {
                query
                    .read()
                    .get("class")
                    .and_then(|c| c.trim().parse::<i64>().ok())
            },
            get_editor,
        );
        let selected = query
            .read_untracked()
            .get("lesson")
            .and_then(|l| l.trim().parse::<i64>().ok());
        let error = query_error().map(|e| error_text(&e));
        let saved = query_error().is_none() && query.read_untracked().get("saved").is_some();
        view! {
            <Title text=t_string!(i18n, editor.title).to_string() />
            <h1>{t_string!(i18n, editor.title)}</h1>
            {error.map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {saved.then(|| view! { <p class="ok" role="status">{t_string!(i18n, common.saved)}</p> })}
            <Suspense fallback=Loading>
                {Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Editor page selected /> }.into_any(),
                        Err(AppError::NotLoggedIn) => view! { <Redirect path="/login?next=/admin/timetable" /> }.into_any(),
                        Err(err) => view! { <ErrorBox err /> }.into_any(),
                    }
                })}
            </Suspense>
            <crate::timetable::terms::TermsSection />
        }
    }

    /// The fields of one lesson, filled with `lesson` (or empty for a new one).
    #[component]
    fn LessonFields(page: EditorPage, lesson: Option<EditorLesson>, key: String) -> impl IntoView {
        let i18n = use_i18n();
        let l = lesson.clone();
        let weekday = l.as_ref().map(|l| l.weekday);
        let period = l.as_ref().map(|l| l.period);
        let subject = l.as_ref().map(|l| l.subject_id);
        let teacher = l.as_ref().map(|l| l.teacher_id);
        let form = l.as_ref().map_or(LessonForm::Lecture, |l| l.form);
        let mode = l.as_ref().map_or(LessonMode::Online, |l| l.mode);
        let room = l.as_ref().and_then(|l| l.room.clone()).unwrap_or_default();
        let weeks = l.as_ref().map_or(Weeks::All, |l| l.weeks);
        let mut week_options = vec![Weeks::All, Weeks::Odd, Weeks::Even];
        if !week_options.contains(&weeks) {
            week_options.push(weeks);
        }
        let id = move |name: &str| format!("{name}-{key}");
        view! {
            <div class="fields">
                <label for=id("weekday")>{t_string!(i18n, fields.weekday)}</label>
                <select id=id("weekday") name="weekday">
                    {(0..page.days).map(|d| view! { <option value=d.to_string() selected=weekday == Some(d)>{weekday_text(d)}</option> }).collect_view()}
                </select>
                <label for=id("period")>{t_string!(i18n, fields.period)}</label>
                <select id=id("period") name="period">
                    {page.periods.iter().map(|(n, s, e)| view! { <option value=n.to_string() selected=period == Some(*n)>{format!("{n} · {}–{}", hhmm(*s), hhmm(*e))}</option> }).collect_view()}
                </select>
                <label for=id("subject")>{t_string!(i18n, editor.subject)}</label>
                <select id=id("subject") name="subject_id">
                    {page.subjects.iter().map(|(sid, name)| view! { <option value=sid.to_string() selected=subject == Some(*sid)>{subject_text(name)}</option> }).collect_view()}
                </select>
                <label for=id("teacher")>{t_string!(i18n, editor.teacher)}</label>
                <select id=id("teacher") name="teacher_id">
                    {page.teachers.iter().map(|(tid, name)| view! { <option value=tid.to_string() selected=teacher == Some(*tid)>{name.clone()}</option> }).collect_view()}
                </select>
                <label for=id("form")>{t_string!(i18n, editor.form)}</label>
                <select id=id("form") name="form">
                    {LessonForm::ALL.into_iter().map(|f| view! { <option value=f.as_db() selected=f == form>{form_text(f)}</option> }).collect_view()}
                </select>
                <label for=id("mode")>{t_string!(i18n, editor.mode)}</label>
                <select id=id("mode") name="mode">
                    {[LessonMode::Online, LessonMode::InSchool, LessonMode::Tv].into_iter().map(|m| view! { <option value=m.as_db() selected=m == mode>{mode_text(m)}</option> }).collect_view()}
                </select>
                <label for=id("room")>{t_string!(i18n, fields.room)}</label>
                <input id=id("room") name="room" value=room maxlength="20" />
                <label for=id("weeks")>{t_string!(i18n, fields.weeks)}</label>
                <select id=id("weeks") name="weeks">
                    {week_options.into_iter().map(|w| view! { <option value=w.as_db() selected=w == weeks>{weeks_text(w)}</option> }).collect_view()}
                </select>
            </div>
        }
    }

    /// A change of one lesson on one date: cancelled, a substitute, or another period.
    #[component]
    fn ChangeForm(page: EditorPage, lesson_id: i64) -> impl IntoView {
        let i18n = use_i18n();
        let id = move |name: &str| format!("{name}-{lesson_id}");
        view! {
            <form method="post" action="/api/timetable/change" class="stack">
                <fieldset>
                    <legend>{t_string!(i18n, editor.change_date_title)}</legend>
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                    <label for=id("change-date")>{t_string!(i18n, fields.date)}</label>
                    <DateInput id=id("change-date") name="date" required=true />
                    <label for=id("change-kind")>{t_string!(i18n, editor.kind)}</label>
                    <select id=id("change-kind") name="kind">
                        <option value="cancelled">{t_string!(i18n, editor.kind_cancelled)}</option>
                        <option value="substitute">{t_string!(i18n, editor.kind_substitute)}</option>
                        <option value="moved">{t_string!(i18n, editor.kind_moved)}</option>
                        <option value="none">{t_string!(i18n, editor.kind_none)}</option>
                    </select>
                    <label for=id("change-substitute")>{t_string!(i18n, editor.substitute)}</label>
                    <select id=id("change-substitute") name="substitute_id">
                        <option value="">{t_string!(i18n, editor.none_selected)}</option>
                        {page.teachers.iter().map(|(tid, name)| view! { <option value=tid.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <label for=id("change-moved")>{t_string!(i18n, editor.moved_to)}</label>
                    <select id=id("change-moved") name="moved_to">
                        <option value="">{t_string!(i18n, editor.none_selected)}</option>
                        {page.periods.iter().map(|(n, s, e)| view! { <option value=n.to_string()>{format!("{n} · {}–{}", hhmm(*s), hhmm(*e))}</option> }).collect_view()}
                    </select>
                    <label for=id("change-note")>{t_string!(i18n, editor.note)}</label>
                    <input id=id("change-note") name="note" maxlength="200" />
                    <label class="check"><input type="checkbox" name="notify" value="1" />{t_string!(i18n, editor.notify)}</label>
                    <button type="submit" class="small">{t_string!(i18n, editor.apply)}</button>
                </fieldset>
            </form>
        }
    }

    #[component]
    fn Editor(page: EditorPage, selected: Option<i64>) -> impl IntoView {
        let i18n = use_i18n();
        let chooser = view! {
            <form method="get" action="/admin/timetable" class="inline">
                <label for="editor-class">{t_string!(i18n, editor.choose_class)}</label>
                <select id="editor-class" name="class">
                    {page.classes.iter().map(|(id, name)| view! { <option value=id.to_string() selected=page.class_id == Some(*id)>{name.clone()}</option> }).collect_view()}
                </select>
                <button type="submit" class="small">{t_string!(i18n, editor.open)}</button>
            </form>
        };
        let Some(class_id) = page.class_id else {
            return view! { {chooser} <p class="hint">{t_string!(i18n, editor.hint)}</p> }
                .into_any();
        };
        let caption =
            t_string!(i18n, editor.grid_caption, class = page.class_name.clone()).to_string();
        let grid_page = page.clone();
        view! {
            {chooser}
            <p class="hint">{t_string!(i18n, editor.hint)}</p>
            <p><a href=format!("/timetable?whose=class:{class_id}")>{t_string!(i18n, editor.see_week)}</a></p>
            <div class="table-wrap">
                <table class="editor-grid">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">{t_string!(i18n, fields.period)}</th>
                        {(0..page.days).map(|d| view! { <th scope="col">{weekday_text(d)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {page.periods.iter().map(|(n, s, e)| {
                            let n = *n;
                            view! {
                                <tr>
                                    <th scope="row">{t_string!(i18n, editor.period_n, n = n)}<br /><small class="muted">{hhmm(*s)}"–"{hhmm(*e)}</small></th>
                                    {(0..grid_page.days).map(|d| {
                                        let here: Vec<EditorLesson> = grid_page.lessons.iter().filter(|l| l.weekday == d && l.period == n).cloned().collect();
                                        let empty = here.is_empty();
                                        view! {
                                            <td class:free=empty>
                                                {empty.then(|| view! { <span class="muted">{t_string!(i18n, editor.empty)}</span> })}
                                                {here.into_iter().map(|l| {
                                                    let summary = format!("{} · {}", subject_text(&l.subject), l.teacher_name);
                                                    let detail = [l.room.clone(), (l.weeks != Weeks::All).then(|| weeks_text(l.weeks))].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                                                    let chosen = selected == Some(l.lesson_id);
                                                    view! {
                                                        <div class=format!("cell-lesson {}", crate::timetable::ui::subject_class(&l.subject)) class:chosen=chosen>
                                                            <strong>{summary.clone()}</strong>
                                                            {(!detail.is_empty()).then(|| view! { <small class="muted">{detail}</small> })}
                                                            <a href=format!("/admin/timetable?class={class_id}&lesson={}#selected", l.lesson_id) aria-current=chosen.then_some("true")>
                                                                {t_string!(i18n, editor.change)}<span class="visually-hidden">{format!(": {summary}")}</span>
                                                            </a>
                                                        </div>
                                                    }
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
            {selected.and_then(|id| page.lessons.iter().find(|l| l.lesson_id == id).cloned()).map(|l| {
                let key = l.lesson_id.to_string();
                let title = format!("{} · {} · {}, {}", subject_text(&l.subject), l.teacher_name, weekday_text(l.weekday), t_string!(i18n, editor.period_n, n = l.period));
                view! {
                    <section id="selected" class="card" aria-labelledby="selected-title">
                        <h2 id="selected-title">{title}</h2>
                        <form method="post" action="/api/timetable/save_lesson" class="stack">
                            <input type="hidden" name="lesson_id" value=key.clone() />
                            <input type="hidden" name="class_id" value=class_id.to_string() />
                            <LessonFields page=page.clone() lesson=Some(l.clone()) key=key.clone() />
                            <button type="submit">{t_string!(i18n, common.save)}</button>
                        </form>
                        <form method="post" action="/api/timetable/delete_lesson">
                            <input type="hidden" name="lesson_id" value=key.clone() />
                            <button type="submit" class="small secondary">{t_string!(i18n, editor.remove)}</button>
                        </form>
                        <ChangeForm page=page.clone() lesson_id=l.lesson_id />
                    </section>
                }
            })}
            <section class="card" aria-labelledby="add-lesson">
                <h2 id="add-lesson">{t_string!(i18n, editor.add_title)}</h2>
                <form method="post" action="/api/timetable/save_lesson" class="stack">
                    <input type="hidden" name="class_id" value=class_id.to_string() />
                    <LessonFields page=page.clone() lesson=None key="new".to_string() />
                    <button type="submit">{t_string!(i18n, editor.add)}</button>
                </form>
            </section>
        }
        .into_any()
    }
}

/// What a timetable import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimetableImport {
    pub created: usize,
    pub removed: u64,
}

/// Imports a whole timetable from CSV (see `import.rs` for the columns). Every row is checked
/// (and against the lessons that stay) before anything is saved; with `replace`, the lessons of
/// the classes in the file give way to the file's, unless something refers to them.
#[server(endpoint = "timetable/import")]
pub async fn import_timetable(csv: String, replace: Option<String>) -> AppResult<TimetableImport> {
    let result = async {
        use crate::error::RowError;
        require(Role::Admin).await?;
        if csv.len() > 1_000_000 {
            return Err(AppError::invalid(Field::Csv, Reason::TooLong));
        }
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes());
        let mut records = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|_| {
                AppError::Import(vec![RowError {
                    line: i + 1,
                    field: Field::Csv,
                    reason: Reason::BadFormat,
                }])
            })?;
            records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
        }
        let db = db()?;
        let lookups = store::import_lookups(&db).await?;
        // The classes the file names, each with its first line.
        let mut replaced: Vec<(i64, usize)> = Vec::new();
        if replace.is_some_and(|r| !r.trim().is_empty()) {
            let column = records.first().and_then(|h| {
                h.iter()
                    .position(|c| c.trim().eq_ignore_ascii_case("class"))
            });
            for (i, record) in records.iter().enumerate().skip(1) {
                let class = column
                    .and_then(|c| record.get(c))
                    .and_then(|name| lookups.classes.get(&name.trim().to_lowercase()));
                if let Some(id) = class.filter(|id| !replaced.iter().any(|(c, _)| c == *id)) {
                    replaced.push((*id, i + 1));
                }
            }
            let kept = store::classes_with_history(&db).await?;
            let blocked: Vec<RowError> = replaced
                .iter()
                .filter(|(id, _)| kept.contains(id))
                .map(|(_, line)| RowError {
                    line: *line,
                    field: Field::Class,
                    reason: Reason::HasHistory,
                })
                .collect();
            if !blocked.is_empty() {
                return Err(AppError::Import(blocked));
            }
        }
        let existing: Vec<rules::Slot> = store::all_slots(&db)
            .await?
            .into_iter()
            .filter(|s| !replaced.iter().any(|(c, _)| *c == s.class_id))
            .collect();
        let drafts =
            super::import::check_rows(&records, &lookups, &existing).map_err(AppError::Import)?;
        let classes: Vec<i64> = replaced.iter().map(|(c, _)| *c).collect();
        let removed = store::import_lessons(&db, &drafts, &classes).await?;
        Ok(TimetableImport {
            created: drafts.len(),
            removed,
        })
    }
    .await;
    crate::ui::forms::answer_named_form_back(
        result,
        "/admin/import",
        Some("timetable"),
        |r: &TimetableImport| format!("imported={}&removed={}", r.created, r.removed),
    )
}

/// The timetable part of the admin's import page.
#[component]
pub fn TimetableImportForm() -> impl IntoView {
    use crate::accounts::ui::admin::ImportErrors;
    use crate::error::AppError;
    use crate::i18n::*;
    let i18n = use_i18n();
    // The outcome of this form's post (the people import on the same page has its own).
    let query = leptos_router::hooks::use_query_map();
    let ours = query.read_untracked().get("form").as_deref() == Some("timetable");
    let counts = query
        .read_untracked()
        .get("imported")
        .zip(query.read_untracked().get("removed"));
    let error = ours.then(crate::accounts::ui::query_error).flatten();
    view! {
        <section class="card" aria-labelledby="timetable-import">
            <h2 id="timetable-import">{t_string!(i18n, tt_import.title)}</h2>
            <p>{t_string!(i18n, tt_import.intro)}</p>
            <p><code>"class, weekday, period, subject, teacher, form, mode, room, weeks"</code></p>
            <p class="hint">{t_string!(i18n, tt_import.columns)}</p>
            <form method="post" action="/api/timetable/import" class="stack">
                <label for="timetable-csv">{t_string!(i18n, tt_import.csv)}</label>
                <textarea id="timetable-csv" name="csv" rows="10" required spellcheck="false"></textarea>
                <label class="check">
                    <input type="checkbox" name="replace" value="1" />
                    {t_string!(i18n, tt_import.replace)}
                </label>
                <button type="submit">{t_string!(i18n, tt_import.submit)}</button>
            </form>
            {match (counts.filter(|_| ours), error) {
                (_, Some(AppError::Import(rows))) => view! { <ImportErrors rows /> }.into_any(),
                (_, Some(err)) => view! {
                    <p class="error" role="alert">{crate::ui::messages::error_text(&err)}</p>
                }.into_any(),
                (Some((created, removed)), None) => view! {
                    <p class="ok" role="status">{t_string!(i18n, tt_import.done, created = created, removed = removed)}</p>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
        </section>
    }
}
