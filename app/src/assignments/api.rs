//! Server functions of tasks, hand-ins and the journal. Forms are plain posts answered with a
//! redirect (with `?error=` when refused), so they work without JavaScript.
//!
//! Who sees what: a student only their class's tasks and their own hand-ins; a parent only their
//! children's; a teacher the tasks they gave (a task of another teacher is "not found", as is one
//! that does not exist, so two calls compared tell nothing); the class teacher and admins read
//! a class's queues and journal.

// A form's fields are a server function's arguments: the task form has eight.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{self as task_rules, WorkForm};
    pub use crate::accounts::auth::{require, require_user};
    pub use crate::accounts::{Me, Role};
    pub use crate::db::now;
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::state::db;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const TASKS_PAGE: &str = "/tasks";

/// A student's tasks: their class's, each with their own versions.
#[cfg(feature = "ssr")]
async fn student_tasks(
    db: &crate::db::Db,
    student_id: i64,
    class_id: i64,
) -> AppResult<Vec<StudentTask>> {
    let tasks = store::tasks_of_class(db, class_id).await?;
    let mut versions = store::versions_of_student(db, student_id).await?;
    Ok(tasks
        .into_iter()
        .map(|t| {
            let versions = versions.remove(&t.id).unwrap_or_default();
            StudentTask {
                state: HandInState::of_latest(versions.first().map(|v| v.verdict)),
                task: t.text(),
                versions,
            }
        })
        .collect())
}

/// `/tasks`: a teacher's tasks and the form to give one; a student's tasks to do; a parent's
/// children's tasks and grades.
#[server(endpoint = "tasks/page")]
pub async fn get_tasks_page() -> AppResult<TasksPage> {
    let me = require_user().await?;
    let db = db()?;
    let now = now();
    if let Some(class) = &me.class {
        return Ok(TasksPage::Student {
            tasks: student_tasks(&db, me.id, class.id).await?,
            now,
        });
    }
    if me.has(Role::Teacher) {
        let mut teaching = store::teaching(&db, me.id).await?;
        teaching.sort_by(|a, b| {
            crate::ui::format::class_order(&a.class_name, &b.class_name)
                .then_with(|| a.subject.ky.cmp(&b.subject.ky))
        });
        return Ok(TasksPage::Teacher {
            teaching,
            tasks: store::tasks_of_teacher(&db, me.id).await?,
            now,
        });
    }
    if !me.children.is_empty() {
        let mut children = Vec::new();
        for child in &me.children {
            let tasks = match &child.class {
                Some(class) => student_tasks(&db, child.id, class.id).await?,
                None => Vec::new(),
            };
            children.push(ChildTasks {
                child: child.clone(),
                tasks,
            });
        }
        return Ok(TasksPage::Parent { children, now });
    }
    Err(AppError::Forbidden)
}

/// A task's form, checked: what giving a task and changing one share.
#[cfg(feature = "ssr")]
struct TaskFields {
    title: String,
    form: WorkForm,
    due_at: i64,
    instructions: String,
    link: Option<String>,
    graded: bool,
}

/// A task's form as posted, before any check.
#[cfg(feature = "ssr")]
struct PostedTask<'a> {
    title: &'a str,
    form: &'a str,
    due_date: &'a str,
    due_time: &'a str,
    instructions: &'a str,
    link: &'a str,
    graded: Option<&'a str>,
}

#[cfg(feature = "ssr")]
impl TaskFields {
    fn parse(posted: PostedTask<'_>) -> AppResult<TaskFields> {
        let PostedTask {
            title,
            form,
            due_date,
            due_time,
            instructions,
            link,
            graded,
        } = posted;
        let title = task_rules::clean_text(title, task_rules::TITLE_MAX)
            .map_err(|r| AppError::invalid(Field::Title, r))?;
        if title.is_empty() {
            return Err(AppError::invalid(Field::Title, Reason::Empty));
        }
        let form = WorkForm::from_db(form.trim())
            .ok_or(AppError::invalid(Field::WorkForm, Reason::BadFormat))?;
        // The date as the field shows it (02.12.2026) or as ISO.
        let due_day = crate::timetable::rules::parse_date(due_date)
            .ok_or(AppError::invalid(Field::Due, Reason::BadFormat))?;
        let due_date = crate::timetable::rules::iso_date(due_day);
        let due_ms = crate::db::parse_bishkek_minute(&format!("{due_date}T{}", due_time.trim()))
            .ok_or(AppError::invalid(Field::Due, Reason::BadFormat))?;
        let due_at = due_ms.div_euclid(1000);
        task_rules::check_due(now(), due_at).map_err(|r| AppError::invalid(Field::Due, r))?;
        let instructions = task_rules::clean_text(instructions, task_rules::TEXT_MAX)
            .map_err(|r| AppError::invalid(Field::Instructions, r))?;
        let link = crate::timetable::rules::check_link(link)
            .map_err(|r| AppError::invalid(Field::Link, r))?;
        Ok(TaskFields {
            title,
            form,
            due_at,
            instructions,
            link,
            graded: graded.is_some_and(|g| !g.trim().is_empty()),
        })
    }

    fn as_edit(&self) -> store::TaskEdit<'_> {
        store::TaskEdit {
            title: &self.title,
            instructions: &self.instructions,
            link: self.link.as_deref(),
            form: self.form,
            due_at: self.due_at,
            graded: self.graded,
        }
    }
}

/// A teacher gives a task to a class they teach, in a subject they teach there.
#[server(endpoint = "tasks/create")]
pub async fn create_task(
    teaching: String,
    title: String,
    form: String,
    due_date: String,
    due_time: String,
    instructions: String,
    link: String,
    graded: Option<String>,
) -> AppResult<()> {
    let result = async {
        let me = require(Role::Teacher).await?;
        let db = db()?;
        let fields = TaskFields::parse(PostedTask {
            title: &title,
            form: &form,
            due_date: &due_date,
            due_time: &due_time,
            instructions: &instructions,
            link: &link,
            graded: graded.as_deref(),
        })?;
        let (class_id, subject_id) = teaching
            .trim()
            .split_once(':')
            .and_then(|(c, s)| Some((c.parse::<i64>().ok()?, s.parse::<i64>().ok()?)))
            .ok_or(AppError::invalid(Field::Class, Reason::BadFormat))?;
        let teaches = store::teaching(&db, me.id)
            .await?
            .iter()
            .any(|t| t.class_id == class_id && t.subject_id == subject_id);
        if !teaches {
            return Err(AppError::invalid(Field::Class, Reason::UnknownClass));
        }
        store::create(
            &db,
            &store::NewTask {
                class_id,
                subject_id,
                teacher_id: me.id,
                task: fields.as_edit(),
            },
        )
        .await?;
        Ok(())
    }
    .await;
    answer_form_to(result, "/tasks?created=1", TASKS_PAGE)
}

/// The teacher changes a task of theirs until the first hand-in (then it is what the students
/// answered: withdraw it and give a new one). Class and subject stay.
#[server(endpoint = "tasks/update")]
pub async fn update_task(
    task_id: i64,
    title: String,
    form: String,
    due_date: String,
    due_time: String,
    instructions: String,
    link: String,
    graded: Option<String>,
) -> AppResult<()> {
    let back = format!("{TASKS_PAGE}/{task_id}");
    let result = async {
        let me = require(Role::Teacher).await?;
        let db = db()?;
        let task = own_task(&db, &me, task_id).await?;
        if task.withdrawn() {
            return Err(AppError::invalid(Field::Task, Reason::Withdrawn));
        }
        let fields = TaskFields::parse(PostedTask {
            title: &title,
            form: &form,
            due_date: &due_date,
            due_time: &due_time,
            instructions: &instructions,
            link: &link,
            graded: graded.as_deref(),
        })?;
        if !store::update(&db, task_id, &fields.as_edit()).await? {
            return Err(AppError::invalid(Field::Task, Reason::AlreadyHandedIn));
        }
        Ok(())
    }
    .await;
    answer_form_to(result, &format!("{back}?saved=1"), &back)
}

/// The task, if `me` gave it (another teacher's task is "not found", like a missing one).
#[cfg(feature = "ssr")]
async fn own_task(db: &crate::db::Db, me: &Me, task_id: i64) -> AppResult<store::TaskRow> {
    store::task(db, task_id)
        .await?
        .filter(|t| t.teacher_id == me.id)
        .ok_or(AppError::NotFound)
}

/// The teacher withdraws a task: students no longer see it, hand-ins stop, its grades leave
/// the journal (the hand-ins are kept).
#[server(endpoint = "tasks/withdraw")]
pub async fn withdraw_task(task_id: i64) -> AppResult<()> {
    let result = async {
        let me = require(Role::Teacher).await?;
        let db = db()?;
        own_task(&db, &me, task_id).await?;
        store::withdraw(&db, task_id).await
    }
    .await;
    answer_form_to(result, "/tasks?saved=1", TASKS_PAGE)
}

/// A task's queue: every student of the class with their latest hand-in. The task's teacher
/// reviews; the class teacher of that class and admins read.
#[server(endpoint = "tasks/queue")]
pub async fn get_task_queue(task_id: i64) -> AppResult<TaskQueue> {
    let me = require_user().await?;
    let db = db()?;
    let task = store::task(&db, task_id).await?.ok_or(AppError::NotFound)?;
    let may_review = me.has(Role::Teacher) && task.teacher_id == me.id;
    let reads = may_review
        || me.has(Role::Admin)
        || me.leads.as_ref().is_some_and(|c| c.id == task.class_id);
    if !reads {
        return Err(AppError::NotFound);
    }
    let summary = store::summary(&db, task_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut versions = store::versions_of_task(&db, task_id).await?;
    let rows = crate::feedback::store::roster(&db, task.class_id)
        .await?
        .into_iter()
        .map(|(student_id, full_name)| {
            let mut all = versions.remove(&student_id).unwrap_or_default();
            let latest = (!all.is_empty()).then(|| all.remove(0));
            QueueRow {
                student_id,
                full_name,
                state: HandInState::of_latest(latest.as_ref().map(|h| h.verdict)),
                latest,
                earlier: all,
            }
        })
        .collect();
    Ok(TaskQueue {
        class_id: task.class_id,
        subject_id: task.subject_id,
        summary,
        text: task.text(),
        rows,
        may_review,
        positive: store::positive_grades_of_class(&db, task.class_id).await?,
    })
}

/// A student hands in a text answer on a task of their class (again after a return; a late one
/// is accepted and marked late). The pages post to `/tasks/submit`, which also takes files.
#[server(endpoint = "tasks/hand_in")]
pub async fn hand_in(task_id: i64, body: String) -> AppResult<()> {
    let result = async {
        let me = require_user().await?;
        super::work::hand_in(&db()?, &me, task_id, &body, &[]).await?;
        Ok(())
    }
    .await;
    answer_form_to(
        result,
        &format!("/tasks?saved=1#task-{task_id}"),
        TASKS_PAGE,
    )
}

/// The task's teacher reviews a student's latest hand-in in text: accepted (with a positive
/// grade on a graded task: it goes into the journal) or returned for rework (never a grade).
/// The pages post to `/tasks/review`, which also takes an audio review.
#[server(endpoint = "tasks/review")]
pub async fn review_hand_in(
    hand_in_id: i64,
    verdict: String,
    grade: String,
    review: String,
) -> AppResult<()> {
    let form = super::work::ReviewForm {
        hand_in_id,
        verdict: &verdict,
        grade: &grade,
        review: &review,
    };
    let reviewed = match require_user().await {
        Ok(me) => super::work::review(&db()?, &me, &form, None).await,
        Err(err) => super::work::Reviewed {
            task_id: None,
            student_id: None,
            result: Err(err),
        },
    };
    let (back, done) = match (reviewed.task_id, reviewed.student_id) {
        (Some(task), Some(student)) => (
            format!("/tasks/{task}"),
            format!("/tasks/{task}?saved=1#student-{student}"),
        ),
        _ => (TASKS_PAGE.to_string(), TASKS_PAGE.to_string()),
    };
    answer_form_to(reviewed.result, &done, &back)
}

/// `/journal`: the class × subject pairs the viewer may open (their own subjects, every subject
/// of the class they lead; admins all) and the chosen one's grades.
#[server(endpoint = "journal/page")]
pub async fn get_journal(class_id: Option<i64>, subject_id: Option<i64>) -> AppResult<JournalPage> {
    let me = require_user().await?;
    let db = db()?;
    // A student reads their own grade book, a parent each child's; neither opens a class's.
    let mut whose: Vec<ChildRef> = me.children.clone();
    if me.class.is_some() {
        whose.insert(
            0,
            ChildRef {
                id: me.id,
                full_name: me.full_name.clone(),
                class: me.class.clone(),
            },
        );
    }
    let mut books = Vec::with_capacity(whose.len());
    for student in whose {
        books.push(grade_book(&db, student).await?);
    }
    let mut page = if me.has(Role::Admin) || me.has(Role::Teacher) {
        journal_for(&db, &me, class_id, subject_id).await?
    } else if books.is_empty() {
        return Err(AppError::Forbidden);
    } else {
        JournalPage::default()
    };
    page.books = books;
    Ok(page)
}

/// One student's grade book: every subject of their class, with the grades of accepted work.
#[cfg(feature = "ssr")]
async fn grade_book(db: &crate::db::Db, student: ChildRef) -> AppResult<GradeBook> {
    let taught = match &student.class {
        Some(class) => store::subjects_of_class(db, class.id)
            .await?
            .into_iter()
            .map(|t| (t.subject_id, t.subject))
            .collect(),
        None => Vec::new(),
    };
    let graded = store::grades_of_student(db, student.id).await?;
    Ok(GradeBook {
        subjects: task_rules::grade_book(taught, graded),
        student,
    })
}

/// The journal page for this person (the page and its CSV download alike): a class × subject
/// they may not open is "not found", as is one that does not exist.
#[cfg(feature = "ssr")]
pub async fn journal_for(
    db: &crate::db::Db,
    me: &Me,
    class_id: Option<i64>,
    subject_id: Option<i64>,
) -> AppResult<JournalPage> {
    let in_order = |list: &mut Vec<Teaching>| {
        list.sort_by(|a, b| {
            crate::ui::format::class_order(&a.class_name, &b.class_name)
                .then_with(|| a.subject.ky.cmp(&b.subject.ky))
        });
    };
    // A teacher's own first subject opens first; then come those of the class they lead.
    let mut own = if me.has(Role::Teacher) {
        store::teaching(db, me.id).await?
    } else {
        Vec::new()
    };
    in_order(&mut own);
    let first_own = own.first().map(|t| (t.class_id, t.subject_id));
    let mut all = if me.has(Role::Admin) {
        store::all_teaching(db).await?
    } else if me.has(Role::Teacher) {
        if let Some(class) = &me.leads {
            own.extend(store::subjects_of_class(db, class.id).await?);
        }
        own
    } else {
        return Err(AppError::Forbidden);
    };
    in_order(&mut all);
    all.dedup_by(|a, b| a.class_id == b.class_id && a.subject_id == b.subject_id);
    let choices: Vec<JournalChoice> = all.into_iter().map(store::as_choice).collect();
    let (class_id, subject_id) = match (class_id, subject_id, first_own) {
        (None, None, Some((c, s))) => (Some(c), Some(s)),
        (c, s, _) => (c, s),
    };
    let chosen = match (class_id, subject_id) {
        (Some(c), Some(s)) => Some(
            choices
                .iter()
                .find(|ch| ch.class_id == c && ch.subject_id == s)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        _ => choices.first().cloned(),
    };
    let Some(chosen) = chosen else {
        return Ok(JournalPage {
            choices,
            ..JournalPage::default()
        });
    };
    let marks = store::journal(db, chosen.class_id, chosen.subject_id).await?;
    let mut dates: Vec<String> = marks.iter().map(|m| m.date.clone()).collect();
    dates.sort();
    dates.dedup();
    Ok(JournalPage {
        students: crate::feedback::store::roster(db, chosen.class_id).await?,
        choices,
        chosen: Some(chosen),
        dates,
        marks,
        ..JournalPage::default()
    })
}

/// How many days the completion figures cover unless asked (four weeks to today), and at most.
pub const COMPLETION_DEFAULT_DAYS: i64 = 27;
pub const COMPLETION_MAX_DAYS: i64 = 366;

/// `/admin/tasks`: per class and per teacher, the tasks due in a period (default: the last four
/// weeks), the hand-ins owed, handed in, on time and reviewed, and the median time to review.
#[server(endpoint = "tasks/completion")]
pub async fn get_completion(from: Option<String>, to: Option<String>) -> AppResult<CompletionPage> {
    let admin = require(Role::Admin).await?;
    use crate::timetable::rules::{bishkek_midnight_ms, iso_date, parse_date};
    let day = |raw: Option<String>, default: i64| match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => parse_date(text).ok_or(AppError::invalid(Field::Date, Reason::BadFormat)),
    };
    let to = day(to, crate::db::today())?;
    let from = day(from, to - COMPLETION_DEFAULT_DAYS)?;
    if from > to || to - from > COMPLETION_MAX_DAYS {
        return Err(AppError::invalid(Field::Date, Reason::OutOfRange));
    }
    let db = db()?;
    let (tasks, hand_ins) = store::completion_facts(
        &db,
        bishkek_midnight_ms(from) / 1000,
        bishkek_midnight_ms(to + 1) / 1000,
    )
    .await?;
    let mut by_class = task_rules::completion(&tasks, &hand_ins, |t| &t.class_name);
    by_class.sort_by(|a, b| crate::ui::format::class_order(&a.name, &b.name));
    let mut by_teacher = task_rules::completion(&tasks, &hand_ins, |t| &t.teacher_name);
    by_teacher.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(CompletionPage {
        from: iso_date(from),
        to: iso_date(to),
        by_class,
        by_teacher,
        positive: store::positive_grades_of_school_of(&db, admin.id).await?,
    })
}

/// Admins choose which grades count as a positive result of independent work: 3 to 5 (the
/// default), 4 and 5, or 5 only. Reviews from then on offer and accept only those; grades
/// already in the journal stay.
#[server(endpoint = "tasks/grading")]
pub async fn save_positive_grades(lowest: String) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let positive = task_rules::PositiveGrades::parse(&lowest)
            .map_err(|r| AppError::invalid(Field::Mark, r))?;
        let db = db()?;
        store::save_positive_grades(&db, admin.id, positive).await?;
        let lowest = positive.lowest().to_string();
        crate::accounts::store::audit(
            &db,
            Some(admin.id),
            "positive_grades",
            "school",
            None,
            Some(&lowest),
        )
        .await
    }
    .await;
    crate::ui::forms::answer_named_form_back(result, "/admin/tasks", Some("grading"), |_| {
        "saved=1".into()
    })
}
