//! SQL for people, roles, classes, links and join codes (server only).
// Row tuples mirror their SELECT lists one to one; naming each would only add indirection.
#![allow(clippy::type_complexity)]

use super::rules::{self, ImportKind, ImportRow};
use super::*;
use crate::db::{now, Db};
use crate::error::{AppError, AppResult, Field, Reason, RowError};
use sqlx::Any;

type Tx<'a> = sqlx::Transaction<'a, Any>;

// ---------- passwords ----------

/// argon2id with the crate's recommended parameters. Slow on purpose: call it off the async threads.
pub fn hash_password(password: &str) -> AppResult<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|err| {
            tracing::error!(%err, "password hashing failed");
            AppError::Internal
        })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Password hashing (argon2id: ~19 MiB and tens of milliseconds each) runs on at most one
/// blocking thread per core, so that a burst of logins or a big import queues instead of taking
/// hundreds of threads and gigabytes.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

/// How many requests may wait for a hashing slot; past that a login is answered 429 at once.
pub const HASH_QUEUE_MAX: usize = 64;
static HASH_WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs one piece of password work in a hashing slot, or refuses at once (`Throttled`) when
/// `HASH_QUEUE_MAX` requests already wait.
pub async fn in_hashing_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    use std::sync::atomic::Ordering;
    if HASH_WAITING.fetch_add(1, Ordering::AcqRel) >= HASH_QUEUE_MAX {
        HASH_WAITING.fetch_sub(1, Ordering::AcqRel);
        tracing::warn!("password hashing queue full");
        return Err(AppError::Throttled);
    }
    let permit = hashing_slots().acquire().await;
    HASH_WAITING.fetch_sub(1, Ordering::AcqRel);
    let _permit = permit.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| AppError::Internal)
}

pub async fn hash_password_async(password: String) -> AppResult<String> {
    in_hashing_slot(move || hash_password(&password)).await?
}

/// A fixed hash to verify against when the login does not exist, so that a wrong login
/// takes as long as a wrong password and logins cannot be discovered by timing.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-matches").unwrap_or_default())
}

pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------- login and the current person ----------

pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub async fn credentials(db: &Db, login: &str) -> AppResult<Option<Credentials>> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, password_hash, active FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id, password_hash, active)| Credentials {
        id,
        password_hash,
        active: active == 1,
    }))
}

/// Takes one attempt for `key` in its window, counting and checking in one statement (an upsert
/// is atomic on SQLite and PostgreSQL alike), and answers whether it stays within `allowed`.
/// A window starts at its first attempt and lasts `THROTTLE_WINDOW_SECS`.
pub async fn take_attempt(db: &Db, key: &str, allowed: i64) -> AppResult<bool> {
    let at = now();
    let (attempts,): (i64,) = sqlx::query_as(
        "INSERT INTO login_attempts (key, window_start, attempts) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1
                           ELSE login_attempts.attempts + 1 END,
           window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2
                               ELSE login_attempts.window_start END
         RETURNING attempts",
    )
    .bind(key)
    .bind(at)
    .bind(at - rules::THROTTLE_WINDOW_SECS)
    .fetch_one(&db.pool)
    .await?;
    Ok(!rules::is_throttled(attempts - 1, allowed))
}

/// A key's attempts in its current window.
pub async fn attempts(db: &Db, key: &str) -> AppResult<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT attempts FROM login_attempts WHERE key = $1 AND window_start > $2")
            .bind(key)
            .bind(now() - rules::THROTTLE_WINDOW_SECS)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map_or(0, |(n,)| n))
}

/// Forgets a key's attempts (the account's, after a successful login).
pub async fn clear_attempts(db: &Db, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE key = $1")
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

async fn roles_of(db: &Db, user_id: i64) -> AppResult<Vec<Role>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT role FROM role_grants WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?;
    let mut roles: Vec<Role> = rows.iter().filter_map(|(r,)| Role::parse(r)).collect();
    let (leads,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM classes WHERE class_teacher_id = $1")
            .bind(user_id)
            .fetch_one(&db.pool)
            .await?;
    if leads > 0 {
        roles.push(Role::ClassTeacher);
    }
    roles.sort();
    Ok(roles)
}

async fn class_of_student(db: &Db, student_id: i64) -> AppResult<Option<ClassRef>> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE e.student_id = $1",
    )
    .bind(student_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, name)| ClassRef { id, name }))
}

pub async fn children_of(db: &Db, parent_id: i64) -> AppResult<Vec<ChildRef>> {
    let rows: Vec<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.full_name, c.id, c.name FROM parent_links p
         JOIN users u ON u.id = p.student_id
         LEFT JOIN enrolments e ON e.student_id = u.id
         LEFT JOIN classes c ON c.id = e.class_id
         WHERE p.parent_id = $1 AND u.active = 1 ORDER BY u.sort_key, u.id",
    )
    .bind(parent_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, full_name, class_id, class_name)| ChildRef {
            id,
            full_name,
            class: class_id
                .zip(class_name)
                .map(|(id, name)| ClassRef { id, name }),
        })
        .collect())
}

/// The active person behind a session, with everything pages need to choose what to show.
pub async fn load_me(db: &Db, user_id: i64) -> AppResult<Option<Me>> {
    let key = crate::cache::CacheKey::Person(user_id);
    crate::cache::cached(db, key, || load_me_uncached(db, user_id)).await
}

async fn load_me_uncached(db: &Db, user_id: i64) -> AppResult<Option<Me>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, login, full_name FROM users WHERE id = $1 AND active = 1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((id, login, full_name)) = row else {
        return Ok(None);
    };
    let roles = roles_of(db, id).await?;
    let leads: Option<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM classes WHERE class_teacher_id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(Some(Me {
        id,
        login,
        full_name,
        class: if roles.contains(&Role::Student) {
            class_of_student(db, id).await?
        } else {
            None
        },
        leads: leads.map(|(id, name)| ClassRef { id, name }),
        children: if roles.contains(&Role::Parent) {
            children_of(db, id).await?
        } else {
            vec![]
        },
        roles,
    }))
}

// ---------- creating people ----------

pub struct NewUser {
    pub login: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: Role,
    pub class_id: Option<i64>,
}

async fn school_id(tx: &mut Tx<'_>) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM schools ORDER BY id LIMIT 1")
        .fetch_one(&mut **tx)
        .await?;
    Ok(id)
}

pub async fn login_taken(tx: &mut Tx<'_>, login: &str) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// The `users` row alone, with the texts derived from the name (search and Kyrgyz order) that
/// every writer must keep in step; the demo seeder writes its people through it too.
pub async fn insert_person(
    tx: &mut Tx<'_>,
    school: i64,
    login: &str,
    full_name: &str,
    password_hash: &str,
    at: i64,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (school_id, login, full_name, search_text, password_hash, created_at, sort_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(school)
    .bind(login)
    .bind(full_name)
    .bind(rules::search_text(full_name, login))
    .bind(password_hash)
    .bind(at)
    .bind(rules::sort_key(full_name))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn insert_user(tx: &mut Tx<'_>, user: &NewUser) -> AppResult<i64> {
    let school = school_id(tx).await?;
    let id = insert_person(
        tx,
        school,
        &user.login,
        &user.full_name,
        &user.password_hash,
        now(),
    )
    .await?;
    sqlx::query("INSERT INTO role_grants (user_id, role) VALUES ($1, $2)")
        .bind(id)
        .bind(user.role.as_str())
        .execute(&mut **tx)
        .await?;
    if let Some(class_id) = user.class_id {
        sqlx::query("INSERT INTO enrolments (student_id, class_id, since) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(class_id)
            .bind(now())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// A production database starts empty: the first start creates the school and its first
/// administrator, `admin`, with a random password returned to be shown once (never a
/// well-known one). `None` when the database already has a school.
pub async fn create_first_admin(db: &Db) -> AppResult<Option<String>> {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    let password: String = (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    let password_hash = hash_password_async(password.clone()).await?;
    let mut tx = db.begin_write().await?;
    let (schools,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM schools")
        .fetch_one(&mut *tx)
        .await?;
    if schools > 0 {
        return Ok(None);
    }
    sqlx::query("INSERT INTO schools (name, kind, created_at) VALUES ($1, 'both', $2)")
        .bind("Мектеп")
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let admin = NewUser {
        login: "admin".into(),
        full_name: "Администратор".into(),
        password_hash,
        role: Role::Admin,
        class_id: None,
    };
    insert_user(&mut tx, &admin).await?;
    tx.commit().await?;
    Ok(Some(password))
}

pub async fn create_user(db: &Db, user: NewUser) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    if login_taken(&mut tx, &user.login).await? {
        return Err(AppError::invalid(Field::Login, Reason::AlreadyTaken));
    }
    if let Some(class_id) = user.class_id {
        if class_name(&mut tx, class_id).await?.is_none() {
            return Err(AppError::invalid(Field::Class, Reason::UnknownClass));
        }
    }
    let id = insert_user(&mut tx, &user).await?;
    tx.commit().await?;
    Ok(id)
}

async fn class_name(tx: &mut Tx<'_>, class_id: i64) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM classes WHERE id = $1")
        .bind(class_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|(n,)| n))
}

async fn class_id_by_name(tx: &mut Tx<'_>, name: &str) -> AppResult<Option<i64>> {
    // "5 а" and "5А" are the same school class; a group name is taken as written.
    let wanted = match rules::parse_class_name(name) {
        Ok((grade, letter)) => rules::class_display_name(grade, &letter),
        Err(_) => name.trim().to_string(),
    };
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM classes WHERE name = $1")
        .bind(wanted)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Creates every row or none: the database checks (login free, class exists) are made for all
/// rows first and reported together, then the inserts run in one transaction.
pub async fn import_people(db: &Db, kind: ImportKind, rows: Vec<ImportRow>) -> AppResult<usize> {
    // Checked before the slow hashing, so that a bad file costs none; the hashing then runs
    // outside the transaction, which would otherwise hold the school's writes back meanwhile.
    {
        let mut read = db.pool.begin().await?;
        import_class_ids(&mut read, &rows).await?;
    }
    let hashes = futures_hashes(rows.iter().map(|r| r.password.clone()).collect()).await?;
    let role = match kind {
        ImportKind::Students => Role::Student,
        ImportKind::Teachers => Role::Teacher,
    };
    let mut tx = db.begin_write().await?;
    // Again under the write lock: a login may have been taken while the passwords were hashed.
    let class_ids = import_class_ids(&mut tx, &rows).await?;
    for ((row, class_id), password_hash) in rows.iter().zip(class_ids).zip(hashes) {
        let user = NewUser {
            login: row.login.clone(),
            full_name: row.full_name.clone(),
            password_hash,
            role,
            class_id,
        };
        insert_user(&mut tx, &user).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Each row's class, or every row's problem: a login already taken, a class that does not exist.
async fn import_class_ids(tx: &mut Tx<'_>, rows: &[ImportRow]) -> AppResult<Vec<Option<i64>>> {
    let mut errors = Vec::new();
    let mut class_ids = Vec::with_capacity(rows.len());
    for row in rows {
        if login_taken(tx, &row.login).await? {
            errors.push(RowError {
                line: row.line,
                field: Field::Login,
                reason: Reason::AlreadyTaken,
            });
        }
        let class_id = match &row.class {
            Some(name) => {
                let id = class_id_by_name(tx, name).await?;
                if id.is_none() {
                    errors.push(RowError {
                        line: row.line,
                        field: Field::Class,
                        reason: Reason::UnknownClass,
                    });
                }
                id
            }
            None => None,
        };
        class_ids.push(class_id);
    }
    if errors.is_empty() {
        Ok(class_ids)
    } else {
        Err(AppError::Import(errors))
    }
}

/// The hashes of an import's passwords, one hashing slot per core at most (an import of 5,000
/// rows waits its turn instead of starting 5,000 blocking threads).
async fn futures_hashes(passwords: Vec<String>) -> AppResult<Vec<String>> {
    let slots = hashing_slots();
    let cores = slots.available_permits().max(1);
    let mut hashes = Vec::with_capacity(passwords.len());
    for chunk in passwords.chunks(cores) {
        let handles: Vec<_> = chunk
            .iter()
            .cloned()
            .map(|p| async move {
                let _permit = slots.acquire().await.map_err(|_| AppError::Internal)?;
                tokio::task::spawn_blocking(move || hash_password(&p))
                    .await
                    .map_err(|_| AppError::Internal)?
            })
            .collect();
        for handle in handles {
            hashes.push(handle.await?);
        }
    }
    Ok(hashes)
}

// ---------- admin: people ----------

pub async fn list_users(
    db: &Db,
    query: &str,
    role: Option<Role>,
    page: i64,
    per_page: i64,
) -> AppResult<UserPage> {
    let pattern = format!("%{}%", query.trim().to_lowercase());
    let role_filter = role.map(|r| r.as_str().to_string()).unwrap_or_default();
    let filter = "FROM users u
         WHERE u.search_text LIKE $1
           AND ($2 = '' OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $2))";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {filter}"))
        .bind(&pattern)
        .bind(&role_filter)
        .fetch_one(&db.pool)
        .await?;
    let page = page.max(1);
    let rows: Vec<(i64, String, String, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT u.id, u.login, u.full_name, u.active,
                (SELECT c.name FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE e.student_id = u.id)
         {filter} ORDER BY u.sort_key, u.id LIMIT $3 OFFSET $4"
    ))
    .bind(&pattern)
    .bind(&role_filter)
    .bind(per_page)
    .bind((page - 1) * per_page)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, login, full_name, active, class_name) in rows {
        let roles = roles_of(db, id).await?;
        out.push(UserRow {
            id,
            login,
            full_name,
            roles,
            class_name,
            active: active == 1,
        });
    }
    Ok(UserPage {
        rows: out,
        total,
        page,
        per_page,
    })
}

pub async fn user_detail(db: &Db, id: i64) -> AppResult<UserDetail> {
    let row: Option<(i64, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, login, full_name, email, phone, active FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let (id, login, full_name, email, phone, active) = row.ok_or(AppError::NotFound)?;
    let parents: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.full_name FROM parent_links p JOIN users u ON u.id = p.parent_id
         WHERE p.student_id = $1 ORDER BY u.sort_key, u.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(UserDetail {
        id,
        login,
        full_name,
        email,
        phone,
        active: active == 1,
        roles: roles_of(db, id).await?,
        class: class_of_student(db, id).await?,
        children: children_of(db, id).await?,
        parents: parents
            .into_iter()
            .map(|(id, full_name)| PersonRef { id, full_name })
            .collect(),
    })
}

pub async fn update_user(
    db: &Db,
    id: i64,
    full_name: &str,
    email: Option<String>,
    phone: Option<String>,
    password_hash: Option<String>,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE users SET full_name = $1, email = $2, phone = $3,
                search_text = $5 || ' ' || login, sort_key = $6 WHERE id = $4",
    )
    .bind(full_name)
    .bind(email)
    .bind(phone)
    .bind(id)
    .bind(full_name.to_lowercase())
    .bind(rules::sort_key(full_name))
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if let Some(hash) = password_hash {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> AppResult<()> {
    let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active as i64)
        .bind(id)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        // A deactivated person is logged out everywhere at once.
        end_sessions(db, id).await?;
    }
    Ok(())
}

/// Logs a person out everywhere (every replica reads sessions from the database).
pub async fn end_sessions(db: &Db, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn grant_role(db: &Db, id: i64, role: Role) -> AppResult<()> {
    sqlx::query("INSERT INTO role_grants (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(role.as_str())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn revoke_role(db: &Db, id: i64, role: Role) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM role_grants WHERE user_id = $1 AND role = $2")
        .bind(id)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
    if role == Role::Teacher {
        // A class teacher is a teacher first: without the role, the class is no longer theirs
        // (its notices, join codes and participation figures).
        sqlx::query("UPDATE classes SET class_teacher_id = NULL WHERE class_teacher_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn user_id_by_login(db: &Db, login: &str) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn has_role(db: &Db, id: i64, role: Role) -> AppResult<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM role_grants WHERE user_id = $1 AND role = $2")
            .bind(id)
            .bind(role.as_str())
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

pub async fn link_parent(db: &Db, parent_id: i64, student_id: i64) -> AppResult<()> {
    sqlx::query("INSERT INTO parent_links (parent_id, student_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(parent_id)
        .bind(student_id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn unlink_parent(db: &Db, parent_id: i64, student_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM parent_links WHERE parent_id = $1 AND student_id = $2")
        .bind(parent_id)
        .bind(student_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

// ---------- admin: classes and groups ----------

pub async fn list_classes(db: &Db) -> AppResult<Vec<ClassRow>> {
    let rows: Vec<(
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        i64,
    )> = sqlx::query_as(
        "SELECT c.id, c.kind, c.name, c.grade, c.faculty, c.course, t.id, t.full_name,
                    (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = c.id)
             FROM classes c LEFT JOIN users t ON t.id = c.class_teacher_id
             ORDER BY c.kind, c.grade, c.faculty, c.course, c.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, name, grade, faculty, course, tid, tname, students)| ClassRow {
                id,
                kind: if kind == "group" {
                    ClassKind::Group
                } else {
                    ClassKind::School
                },
                name,
                grade,
                faculty,
                course,
                class_teacher: tid
                    .zip(tname)
                    .map(|(id, full_name)| PersonRef { id, full_name }),
                students,
            },
        )
        .collect())
}

pub async fn create_class(
    db: &Db,
    kind: ClassKind,
    name: &str,
    grade: Option<i64>,
    letter: Option<&str>,
    faculty: Option<&str>,
    course: Option<i64>,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    if class_id_by_name(&mut tx, name).await?.is_some() {
        let field = if kind == ClassKind::Group {
            Field::GroupName
        } else {
            Field::Class
        };
        return Err(AppError::invalid(field, Reason::AlreadyTaken));
    }
    let school = school_id(&mut tx).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO classes (school_id, kind, name, grade, letter, faculty, course, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(school)
    .bind(if kind == ClassKind::Group {
        "group"
    } else {
        "class"
    })
    .bind(name)
    .bind(grade)
    .bind(letter)
    .bind(faculty)
    .bind(course)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_class_teacher(db: &Db, class_id: i64, teacher_id: Option<i64>) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    if let Some(teacher) = teacher_id {
        // Leading a new class hands over the old one.
        sqlx::query("UPDATE classes SET class_teacher_id = NULL WHERE class_teacher_id = $1")
            .bind(teacher)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query("UPDATE classes SET class_teacher_id = $1 WHERE id = $2")
        .bind(teacher_id)
        .bind(class_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid(Field::Class, Reason::UnknownClass));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn class_summary(db: &Db, class_id: i64) -> AppResult<Option<ClassSummary>> {
    let row: Option<(i64, String, Option<i64>, Option<String>, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, t.id, t.full_name, (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = c.id)
         FROM classes c LEFT JOIN users t ON t.id = c.class_teacher_id WHERE c.id = $1",
    )
    .bind(class_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, name, tid, tname, students)| ClassSummary {
        class: ClassRef { id, name },
        class_teacher: tid
            .zip(tname)
            .map(|(id, full_name)| PersonRef { id, full_name }),
        students,
    }))
}

pub async fn admin_stats(db: &Db) -> AppResult<AdminStats> {
    let count_role = |role: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = $1 AND u.active = 1",
        )
        .bind(role)
        .fetch_one(&db.pool)
        .await?;
        Ok::<i64, AppError>(n)
    };
    let count_kind = |kind: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM classes WHERE kind = $1")
            .bind(kind)
            .fetch_one(&db.pool)
            .await?;
        Ok::<i64, AppError>(n)
    };
    Ok(AdminStats {
        students: count_role("student").await?,
        teachers: count_role("teacher").await?,
        parents: count_role("parent").await?,
        classes: count_kind("class").await?,
        groups: count_kind("group").await?,
    })
}

pub async fn school_name(db: &Db) -> AppResult<String> {
    crate::cache::cached(db, crate::cache::CacheKey::SchoolName, || {
        load_school_name(db)
    })
    .await
}

async fn load_school_name(db: &Db) -> AppResult<String> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM schools ORDER BY id LIMIT 1")
        .fetch_one(&db.pool)
        .await?;
    Ok(name)
}

// ---------- class teachers: roster and join codes ----------

pub async fn roster(db: &Db, class: ClassRef) -> AppResult<Roster> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.login FROM enrolments e JOIN users u ON u.id = e.student_id
         WHERE e.class_id = $1 AND u.active = 1 ORDER BY u.sort_key, u.id",
    )
    .bind(class.id)
    .fetch_all(&db.pool)
    .await?;
    let links: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.student_id, u.full_name FROM parent_links p
         JOIN users u ON u.id = p.parent_id JOIN enrolments e ON e.student_id = p.student_id
         WHERE e.class_id = $1 ORDER BY u.sort_key, u.id",
    )
    .bind(class.id)
    .fetch_all(&db.pool)
    .await?;
    let students = rows
        .into_iter()
        .map(|(id, full_name, login)| RosterRow {
            id,
            full_name,
            login,
            parents: links
                .iter()
                .filter(|(s, _)| *s == id)
                .map(|(_, n)| n.clone())
                .collect(),
            tasks: Default::default(),
        })
        .collect();
    Ok(Roster { class, students })
}

pub async fn student_class_id(db: &Db, student_id: i64) -> AppResult<Option<i64>> {
    Ok(class_of_student(db, student_id).await?.map(|c| c.id))
}

pub async fn student_name(db: &Db, student_id: i64) -> AppResult<String> {
    let (name,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE id = $1")
        .bind(student_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(name)
}

pub async fn store_join_code(
    db: &Db,
    code_hash: &str,
    student_id: i64,
    by: i64,
    expires_at: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO join_codes (code_hash, student_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code_hash)
    .bind(student_id)
    .bind(by)
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Registers a parent with a join code: the code is spent, the account made and linked, all at
/// once or not at all. A code already used, or expired, is refused with the reason.
/// The child a join code links to, if the code exists, is unused and has not expired.
pub async fn usable_join_code<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    code_hash: &str,
) -> AppResult<i64> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT student_id, expires_at, used_by FROM join_codes WHERE code_hash = $1",
    )
    .bind(code_hash)
    .fetch_optional(executor)
    .await?;
    let (student_id, expires_at, used_by) =
        row.ok_or(AppError::invalid(Field::Code, Reason::CodeUnknown))?;
    if used_by.is_some() {
        return Err(AppError::invalid(Field::Code, Reason::CodeUsed));
    }
    if expires_at <= now() {
        return Err(AppError::invalid(Field::Code, Reason::CodeExpired));
    }
    Ok(student_id)
}

pub async fn register_parent(
    db: &Db,
    code_hash: &str,
    login: &str,
    full_name: &str,
    password_hash: String,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let student_id = usable_join_code(&mut *tx, code_hash).await?;
    if login_taken(&mut tx, login).await? {
        return Err(AppError::invalid(Field::Login, Reason::AlreadyTaken));
    }
    let user = NewUser {
        login: login.to_string(),
        full_name: full_name.to_string(),
        password_hash,
        role: Role::Parent,
        class_id: None,
    };
    let parent_id = insert_user(&mut tx, &user).await?;
    // Spend the code only if nobody spent it meanwhile (two parents typing at once).
    let spent = sqlx::query(
        "UPDATE join_codes SET used_by = $1, used_at = $2 WHERE code_hash = $3 AND used_by IS NULL",
    )
    .bind(parent_id)
    .bind(now())
    .bind(code_hash)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Err(AppError::invalid(Field::Code, Reason::CodeUsed));
    }
    sqlx::query("INSERT INTO parent_links (parent_id, student_id, created_at) VALUES ($1, $2, $3)")
        .bind(parent_id)
        .bind(student_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(parent_id)
}

pub async fn audit(
    db: &Db,
    actor: Option<i64>,
    action: &str,
    subject: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(old)
        .bind(new)
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A burst of password work runs on at most one thread per core, and what cannot even wait
    /// in the queue is refused at once as `Throttled` (a 429), not queued for ever.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn password_work_is_bounded_and_overflow_is_refused() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let burst = HASH_QUEUE_MAX + hashing_slots().available_permits() + 40;
        let tasks: Vec<_> = (0..burst)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(in_hashing_slot(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        let (mut done, mut refused) = (0, 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => done += 1,
                Err(AppError::Throttled) => refused += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert!(
            most.load(Ordering::SeqCst) <= cores,
            "{} at once",
            most.load(Ordering::SeqCst)
        );
        assert!(refused > 0, "a burst past the queue was refused");
        assert_eq!(done + refused, burst);
        assert!(
            done >= HASH_QUEUE_MAX,
            "the queue itself was served: {done}"
        );
    }
}
