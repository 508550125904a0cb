//! Lesson materials (server only): who may add, read and remove them. The HTTP side (a
//! multipart upload that also works without JavaScript, the download) is in the server crate.

use super::rules;
use super::store::{self, LessonRow, MaterialFile, NewMaterial};
use crate::accounts::{Me, Role};
use crate::db::Db;
use crate::error::{AppError, AppResult, Field, Reason};

/// At most this many files per lesson and date.
pub const MATERIALS_PER_LESSON: i64 = 10;

/// The lesson's teacher and admins give its materials (as its link and topic).
fn may_edit(me: &Me, lesson: &LessonRow) -> bool {
    lesson.teacher_id == me.id || me.has(Role::Admin)
}

/// Who may read a lesson's materials: its class's students and parents, its class teacher, the
/// teachers of the class, admins.
async fn may_read(db: &Db, me: &Me, lesson: &LessonRow) -> AppResult<bool> {
    let class = lesson.class_id;
    Ok(may_edit(me, lesson)
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
    if !may_edit(me, &lesson) {
        return Err(AppError::Forbidden);
    }
    let day = rules::parse_date(date).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
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
    let iso = rules::iso_date(day);
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
    if !may_read(db, me, &lesson).await? {
        return Err(AppError::NotFound);
    }
    Ok(file)
}

/// Removes a material (its lesson's teacher or an admin).
pub async fn remove(db: &Db, me: &Me, id: i64) -> AppResult<()> {
    let file = store::material(db, id).await?.ok_or(AppError::NotFound)?;
    let lesson = store::lesson(db, file.lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit(me, &lesson) {
        return Err(AppError::Forbidden);
    }
    store::delete_material(db, id).await
}
