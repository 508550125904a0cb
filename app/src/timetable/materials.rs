//! Lesson materials (server only): who may add, read and remove them. The HTTP side (a
//! multipart upload that also works without JavaScript, the download) is in the server crate.

use super::rules;
use super::store::{self, LessonRow, MaterialFile, NewMaterial};
use crate::accounts::{Me, Role};
use crate::db::Db;
use crate::error::{AppError, AppResult, Field, Reason};

/// At most this many files per lesson and date.
pub const MATERIALS_PER_LESSON: i64 = 10;

/// Who gives a lesson on a date (ISO), so sets its link and topic and gives its materials: its
/// teacher, the teacher standing in for them that day, admins.
pub(super) async fn may_edit(db: &Db, me: &Me, lesson: &LessonRow, date: &str) -> AppResult<bool> {
    Ok(lesson.teacher_id == me.id
        || me.has(Role::Admin)
        || (me.has(Role::Teacher) && store::stands_in(db, me.id, lesson.id, date).await?))
}

/// Who may read a lesson's materials of a date: who gives it, its class's students and parents,
/// its class teacher, the teachers of the class.
async fn may_read(db: &Db, me: &Me, lesson: &LessonRow, date: &str) -> AppResult<bool> {
    let class = lesson.class_id;
    Ok(may_edit(db, me, lesson, date).await?
        || me.class.as_ref().is_some_and(|c| c.id == class)
        || me
            .children
            .iter()
            .any(|c| c.class.as_ref().is_some_and(|k| k.id == class))
        || me.leads.as_ref().is_some_and(|c| c.id == class)
        || (me.has(Role::Teacher) && store::teaches_in_class(db, me.id, class).await?))
}

/// Adds a file to a lesson on a date it runs; the content decides the type, the size is capped.
pub async fn upload(
    db: &Db,
    me: &Me,
    lesson_id: i64,
    date: &str,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    let lesson = store::lesson(db, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = rules::parse_date(date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
    let iso = rules::iso_date(day);
    if !may_edit(db, me, &lesson, &iso).await? {
        return Err(AppError::Forbidden);
    }
    let calendar = store::calendar(db).await?;
    if !lesson.runs_on(day, &calendar) {
        return Err(AppError::invalid(Field::Date, Reason::NotThatDay));
    }
    if bytes.is_empty() {
        return Err(AppError::invalid(Field::Material, Reason::Empty));
    }
    if bytes.len() > rules::MATERIAL_MAX_BYTES {
        return Err(AppError::invalid(Field::Material, Reason::TooLong));
    }
    let mime = rules::sniff_material(bytes)
        .ok_or(AppError::invalid(Field::Material, Reason::BadFormat))?;
    store::save_material(
        db,
        &NewMaterial {
            lesson_id,
            date: &iso,
            name: &rules::material_name(file_name),
            mime,
            data: bytes,
            uploaded_by: me.id,
        },
        MATERIALS_PER_LESSON,
    )
    .await?
    .ok_or(AppError::invalid(Field::Material, Reason::TooManyRows))
}

/// A material for someone who may read its lesson (others: "not found", as if it did not exist).
pub async fn download(db: &Db, me: &Me, id: i64) -> AppResult<MaterialFile> {
    let file = store::material(db, id).await?.ok_or(AppError::NotFound)?;
    let lesson = store::lesson(db, file.lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_read(db, me, &lesson, &file.date).await? {
        return Err(AppError::NotFound);
    }
    Ok(file)
}

/// Removes a material (who gives its lesson that day).
pub async fn remove(db: &Db, me: &Me, id: i64) -> AppResult<()> {
    let file = store::material(db, id).await?.ok_or(AppError::NotFound)?;
    let lesson = store::lesson(db, file.lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(db, me, &lesson, &file.date).await? {
        return Err(AppError::Forbidden);
    }
    store::delete_material(db, id).await
}
