//! Handing in and reviewing (server only), shared by the server functions (text only, for
//! scripts) and the server's multipart routes (text with files and audio, from the pages'
//! plain forms). Files are judged by their content, capped, and stored in the database.

use super::rules::{self, Verdict};
use super::store::{self, NewFile};
use crate::accounts::{Me, Role};
use crate::db::Db;
use crate::error::{AppError, AppResult, Field, Reason};

/// A file as the browser sent it.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Each file of a hand-in: not empty, within the cap, a type its first bytes show; at most
/// `FILES_PER_HAND_IN`. Audio only where `audio_only`.
fn check_files(files: &[Upload], audio_only: bool) -> AppResult<Vec<NewFile<'_>>> {
    if files.len() > rules::FILES_PER_HAND_IN {
        return Err(AppError::invalid(Field::File, Reason::TooManyRows));
    }
    files
        .iter()
        .map(|f| {
            if f.bytes.is_empty() {
                return Err(AppError::invalid(Field::File, Reason::Empty));
            }
            if f.bytes.len() > rules::FILE_MAX_BYTES {
                return Err(AppError::invalid(Field::File, Reason::TooLong));
            }
            let mime = if audio_only {
                rules::sniff_audio(&f.bytes)
            } else {
                rules::sniff_work(&f.bytes)
            }
            .ok_or(AppError::invalid(Field::File, Reason::BadFormat))?;
            Ok(NewFile {
                name: crate::timetable::rules::material_name(&f.name),
                mime,
                data: &f.bytes,
            })
        })
        .collect()
}

/// One audio recording on its own (an answer to lesson feedback): judged as a review's audio is.
pub fn check_audio(upload: &Upload) -> AppResult<NewFile<'_>> {
    check_files(std::slice::from_ref(upload), true)?
        .pop()
        .ok_or(AppError::invalid(Field::File, Reason::Empty))
}

/// A student hands in their work on a task of their class: a text, files (a photo of a notebook
/// page, a PDF) and an audio answer, at least one of them.
pub async fn hand_in(
    db: &Db,
    me: &Me,
    task_id: i64,
    body: &str,
    files: &[Upload],
) -> AppResult<i64> {
    if !me.has(Role::Student) {
        return Err(AppError::Forbidden);
    }
    let class = me.class.as_ref().ok_or(AppError::NotFound)?;
    store::task(db, task_id)
        .await?
        .filter(|t| t.class_id == class.id)
        .ok_or(AppError::NotFound)?;
    let body =
        rules::clean_text(body, rules::TEXT_MAX).map_err(|r| AppError::invalid(Field::Work, r))?;
    let files = check_files(files, false)?;
    if body.is_empty() && files.is_empty() {
        return Err(AppError::invalid(Field::Work, Reason::Empty));
    }
    store::hand_in(db, task_id, me.id, &body, &files, crate::db::now()).await
}

/// The review as the form sends it.
pub struct ReviewForm<'a> {
    pub hand_in_id: i64,
    pub verdict: &'a str,
    pub grade: &'a str,
    pub review: &'a str,
}

/// The task's teacher reviews a student's latest hand-in, in text and/or an audio recording:
/// accepted (with a positive grade on a graded task: it goes into the journal) or returned for
/// rework (never a grade).
pub async fn review(db: &Db, me: &Me, form: &ReviewForm<'_>, audio: Option<&Upload>) -> Reviewed {
    let (mut task_id, mut student_id) = (None, None);
    let result = async {
        if !me.has(Role::Teacher) {
            return Err(AppError::Forbidden);
        }
        let owner = store::hand_in_owner(db, form.hand_in_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let task = store::task(db, owner.assignment_id)
            .await?
            .filter(|t| t.teacher_id == me.id)
            .ok_or(AppError::NotFound)?;
        task_id = Some(task.id);
        student_id = Some(owner.student_id);
        if owner.latest == 0 {
            return Err(AppError::invalid(Field::Task, Reason::Changed));
        }
        if task.withdrawn() {
            return Err(AppError::invalid(Field::Task, Reason::Withdrawn));
        }
        let verdict = Verdict::from_db(form.verdict.trim())
            .ok_or(AppError::invalid(Field::Verdict, Reason::BadFormat))?;
        let grade =
            rules::parse_grade(form.grade).map_err(|r| AppError::invalid(Field::Mark, r))?;
        let text = rules::clean_text(form.review, rules::TEXT_MAX)
            .map_err(|r| AppError::invalid(Field::Review, r))?;
        let audio = check_files(audio.map(std::slice::from_ref).unwrap_or_default(), true)?;
        // An audio review tells the student why as well as a text does.
        let explained = if audio.is_empty() {
            text.as_str()
        } else {
            "(audio)"
        };
        let positive = store::positive_grades_of_class(db, task.class_id).await?;
        let grade = rules::check_review(verdict, grade, task.graded != 0, explained, positive)
            .map_err(|(field, reason)| AppError::invalid(field, reason))?;
        store::review(
            db,
            &store::Review {
                hand_in_id: form.hand_in_id,
                verdict,
                text: &text,
                grade,
                audio: audio.first(),
                teacher_id: me.id,
            },
        )
        .await
    }
    .await;
    Reviewed {
        task_id,
        student_id,
        result,
    }
}

/// What a review did, and the task and student it was about once known (the page goes back
/// there, refused or not).
pub struct Reviewed {
    pub task_id: Option<i64>,
    pub student_id: Option<i64>,
    pub result: AppResult<()>,
}

/// A hand-in's file for those who may see the work: the student, their parents, the task's
/// teacher, the class teacher of the class and admins. Anyone else: "not found".
pub async fn file(db: &Db, me: &Me, file_id: i64) -> AppResult<store::StoredFile> {
    let file = store::file(db, file_id).await?.ok_or(AppError::NotFound)?;
    let may = file.student_id == me.id
        || me.children.iter().any(|c| c.id == file.student_id)
        || (me.has(Role::Teacher) && file.teacher_id == me.id)
        || me.leads.as_ref().is_some_and(|c| c.id == file.class_id)
        || me.has(Role::Admin);
    if may {
        Ok(file)
    } else {
        Err(AppError::NotFound)
    }
}
