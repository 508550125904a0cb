//! Server functions for accounts. Each one: who may call it, then the rule or store, then a DTO.
//! Fixed endpoints keep the URLs stable across builds (tests and load tools call them).

use super::*;
#[cfg(feature = "ssr")]
use crate::error::AppError;
use crate::error::AppResult;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use super::super::auth::{
        client_ip, current_user, require, require_user, session, SESSION_USER,
    };
    pub use crate::error::{Field, Reason};
    pub use crate::state::db;

    pub fn parse_id(raw: &str, field: Field) -> crate::error::AppResult<i64> {
        raw.trim()
            .parse()
            .map_err(|_| crate::error::AppError::invalid(field, Reason::BadFormat))
    }

    /// After a change that may take someone's access away: their open live streams (timer,
    /// scoreboard) check again on every replica and close if it is gone.
    pub async fn access_changed(user_id: i64) -> crate::error::AppResult<()> {
        let state = crate::state::app_state()?;
        state.live.access_changed(&state.db, user_id).await;
        Ok(())
    }

    /// Sends a plain form back to `page` with the error in the query string (see `AppError::to_query_value`).
    pub fn back_with_error(page: &str, err: &crate::error::AppError) {
        let sep = if page.contains('?') { '&' } else { '?' };
        leptos_axum::redirect(&format!("{page}{sep}error={}", err.to_query_value()));
    }
}
#[cfg(feature = "ssr")]
use ssr::*;

/// Logs in from a plain HTML form; answers with a redirect, so it works without JavaScript.
#[server(endpoint = "login")]
pub async fn login(login: String, password: String, next: Option<String>) -> AppResult<()> {
    let next = rules::safe_next(next.as_deref());
    let back = format!("/login?next={}", crate::ui::format::url_encode(&next));
    match try_login(&login, password).await {
        Ok(()) => {
            leptos_axum::redirect(&next);
            Ok(())
        }
        // A browser's form goes back with the reason; a script gets the error and its status
        // (401, 429), not a 200 that hides a throttled attempt.
        Err(err @ (AppError::WrongCredentials | AppError::Throttled))
            if crate::ui::forms::is_browser_form() =>
        {
            back_with_error(&back, &err);
            Ok(())
        }
        Err(err) => Err(err),
    }
}

#[cfg(feature = "ssr")]
async fn try_login(raw_login: &str, password: String) -> AppResult<()> {
    let db = db()?;
    // A malformed login cannot exist; treat it like any unknown login (same message, same time).
    let login = rules::normalize_login(raw_login).unwrap_or_default();
    let account_key = format!("login:{login}");
    let ip_key = format!("ip:{}", client_ip());
    // The account's attempt is taken before its password is checked, counting and checking in
    // one atomic step: parallel guesses at one account cannot all pass a check made before any
    // of them counted (40 at once get 5 tries). A right password gives it back.
    // The address counts failures only (a school behind one NAT address logs in at 08:00 all
    // at once); it may overshoot by the password checks running at that moment, at most one
    // per core (`store::in_hashing_slot`).
    let ip_ok = !rules::is_throttled(
        store::attempts(&db, &ip_key).await?,
        rules::IP_FAILURES_ALLOWED,
    );
    if !ip_ok || !store::take_attempt(&db, &account_key, rules::ACCOUNT_FAILURES_ALLOWED).await? {
        tracing::warn!(login = %login, "login throttled");
        return Err(AppError::Throttled);
    }
    let creds = store::credentials(&db, &login).await?;
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| store::decoy_hash().to_string());
    let matches = store::in_hashing_slot(move || store::verify_password(&password, &hash)).await?;
    match creds {
        Some(creds) if matches && creds.active => {
            store::clear_attempts(&db, &account_key).await?;
            let session = session().await?;
            // A fresh id at login: a session id planted before login is worth nothing after it.
            session.cycle_id().await.map_err(|_| AppError::Internal)?;
            session
                .insert(SESSION_USER, creds.id)
                .await
                .map_err(|_| AppError::Internal)?;
            tracing::info!(user = creds.id, "login");
            Ok(())
        }
        _ => {
            store::take_attempt(&db, &ip_key, rules::IP_FAILURES_ALLOWED).await?;
            Err(AppError::WrongCredentials)
        }
    }
}

#[server(endpoint = "logout")]
pub async fn logout() -> AppResult<()> {
    let user = current_user().await?;
    let session = session().await?;
    session.flush().await.map_err(|_| AppError::Internal)?;
    if let Some(user) = user {
        access_changed(user.id).await?;
    }
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(endpoint = "me")]
pub async fn get_me() -> AppResult<Option<Me>> {
    current_user().await
}

#[server(endpoint = "home")]
pub async fn get_home() -> AppResult<Home> {
    let me = require_user().await?;
    let db = db()?;
    let admin = if me.has(Role::Admin) {
        Some(store::admin_stats(&db).await?)
    } else {
        None
    };
    let own_class = match &me.class {
        Some(class) => store::class_summary(&db, class.id).await?,
        None => None,
    };
    let led_class = match &me.leads {
        Some(class) => store::class_summary(&db, class.id).await?,
        None => None,
    };
    use crate::assignments::{rules::digest, store as tasks};
    let now = crate::db::now();
    let own_tasks = match &me.class {
        Some(_) => Some(digest(now, tasks::open_tasks_of_student(&db, me.id).await?)),
        None => None,
    };
    let to_review = if me.has(Role::Teacher) {
        Some(tasks::waiting_for_review(&db, me.id).await?)
    } else {
        None
    };
    use crate::timetable::{api::today_plan, Whose};
    let mut children = Vec::new();
    for child in &me.children {
        let class = match &child.class {
            Some(class) => store::class_summary(&db, class.id).await?,
            None => None,
        };
        let lessons_today = match &child.class {
            Some(_) => Some(today_plan(&db, &me, Whose::Child(child.id)).await?),
            None => None,
        };
        children.push(ChildHome {
            child: child.clone(),
            class,
            tasks: digest(now, tasks::open_tasks_of_student(&db, child.id).await?),
            lessons_today,
        });
    }
    let lessons_today = if me.class.is_some() || me.has(Role::Teacher) {
        Some(today_plan(&db, &me, Whose::Me).await?)
    } else {
        None
    };
    let unanswered = if me.has(Role::Teacher) {
        Some(crate::feedback::store::unanswered(&db, me.id).await?)
    } else {
        None
    };
    let unread_notices = if me.children.is_empty() {
        None
    } else {
        let notices = crate::notices::store::for_parent(&db, me.id).await?;
        Some(notices.iter().filter(|n| !n.read).count())
    };
    let contest = crate::contest::api::glance(&db, &me).await?;
    Ok(Home {
        today: crate::db::bishkek_day(crate::db::now()),
        school_name: store::school_name(&db).await?,
        full_name: me.full_name.clone(),
        roles: me.roles.clone(),
        admin,
        own_class,
        led_class,
        tasks: own_tasks,
        to_review,
        children,
        lessons_today,
        unanswered,
        unread_notices,
        contest,
    })
}

/// A parent registers with the join code a class teacher gave them (plain form, redirects).
#[server(endpoint = "register")]
pub async fn register_parent(
    code: String,
    full_name: String,
    login: String,
    password: String,
) -> AppResult<()> {
    match try_register(&code, &full_name, &login, password).await {
        Ok(()) => {
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Throttled))
            if crate::ui::forms::is_browser_form() =>
        {
            back_with_error("/register", &err);
            Ok(())
        }
        Err(err) => Err(err),
    }
}

#[cfg(feature = "ssr")]
async fn try_register(code: &str, full_name: &str, login: &str, password: String) -> AppResult<()> {
    let db = db()?;
    let ip_key = format!("ip:{}", client_ip());
    let code = rules::normalize_join_code(code).map_err(|r| AppError::invalid(Field::Code, r))?;
    let full_name =
        rules::normalize_full_name(full_name).map_err(|r| AppError::invalid(Field::FullName, r))?;
    let login = rules::normalize_login(login).map_err(|r| AppError::invalid(Field::Login, r))?;
    rules::check_password(&password).map_err(|r| AppError::invalid(Field::Password, r))?;
    // Guessing codes is throttled like guessing passwords, and the code is checked before any
    // password is hashed: a guess costs no argon2 work.
    if rules::is_throttled(
        store::attempts(&db, &ip_key).await?,
        rules::IP_FAILURES_ALLOWED,
    ) {
        return Err(AppError::Throttled);
    }
    let code_hash = store::sha256_hex(&code);
    if let Err(err) = store::usable_join_code(&db.pool, &code_hash).await {
        store::take_attempt(&db, &ip_key, rules::IP_FAILURES_ALLOWED).await?;
        return Err(err);
    }
    let hash = store::hash_password_async(password).await?;
    let parent_id = store::register_parent(&db, &code_hash, &login, &full_name, hash).await?;
    let session = session().await?;
    session.cycle_id().await.map_err(|_| AppError::Internal)?;
    session
        .insert(SESSION_USER, parent_id)
        .await
        .map_err(|_| AppError::Internal)?;
    store::audit(
        &db,
        Some(parent_id),
        "parent.register",
        &format!("user:{parent_id}"),
        None,
        None,
    )
    .await?;
    Ok(())
}

// ---------- admin ----------

pub const USERS_PER_PAGE: i64 = 50;

#[server(endpoint = "admin/users")]
pub async fn list_users(query: String, role: String, page: i64) -> AppResult<UserPage> {
    require(Role::Admin).await?;
    let role = if role.is_empty() {
        None
    } else {
        Some(Role::parse(&role).ok_or(AppError::invalid(Field::Role, Reason::BadFormat))?)
    };
    if query.chars().count() > 100 {
        return Err(AppError::invalid(Field::FullName, Reason::TooLong));
    }
    store::list_users(&db()?, &query, role, page.clamp(1, 100_000), USERS_PER_PAGE).await
}

#[server(endpoint = "admin/user")]
pub async fn get_user(id: i64) -> AppResult<UserDetail> {
    require(Role::Admin).await?;
    store::user_detail(&db()?, id).await
}

#[server(endpoint = "admin/create_user")]
pub async fn create_user(
    login: String,
    full_name: String,
    password: String,
    role: String,
    class_id: String,
) -> AppResult<i64> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let login =
            rules::normalize_login(&login).map_err(|r| AppError::invalid(Field::Login, r))?;
        let full_name = rules::normalize_full_name(&full_name)
            .map_err(|r| AppError::invalid(Field::FullName, r))?;
        rules::check_password(&password).map_err(|r| AppError::invalid(Field::Password, r))?;
        let role = Role::parse(&role)
            .filter(|r| Role::GRANTABLE.contains(r))
            .ok_or(AppError::invalid(Field::Role, Reason::BadFormat))?;
        let class_id = match (role, class_id.trim()) {
            (Role::Student, "") => return Err(AppError::invalid(Field::Class, Reason::Empty)),
            (Role::Student, raw) => Some(parse_id(raw, Field::Class)?),
            _ => None,
        };
        let db = db()?;
        let password_hash = store::hash_password_async(password).await?;
        let id = store::create_user(
            &db,
            store::NewUser {
                login: login.clone(),
                full_name,
                password_hash,
                role,
                class_id,
            },
        )
        .await?;
        store::audit(
            &db,
            Some(admin.id),
            "user.create",
            &format!("user:{id}"),
            None,
            Some(&login),
        )
        .await?;
        Ok(id)
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "created=1".into())
}

#[server(endpoint = "admin/update_user")]
pub async fn update_user(
    id: i64,
    full_name: String,
    email: String,
    phone: String,
    new_password: String,
) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let full_name = rules::normalize_full_name(&full_name)
            .map_err(|r| AppError::invalid(Field::FullName, r))?;
        let email =
            rules::normalize_email(&email).map_err(|r| AppError::invalid(Field::Email, r))?;
        let phone =
            rules::normalize_phone(&phone).map_err(|r| AppError::invalid(Field::Phone, r))?;
        let password_hash = if new_password.is_empty() {
            None
        } else {
            rules::check_password(&new_password)
                .map_err(|r| AppError::invalid(Field::Password, r))?;
            Some(store::hash_password_async(new_password).await?)
        };
        let db = db()?;
        let reset = password_hash.is_some();
        store::update_user(&db, id, &full_name, email, phone, password_hash).await?;
        if reset {
            // A new password set by an admin (a stolen or shared one) ends every session of that
            // person: whoever knew the old one is out at once.
            store::end_sessions(&db, id).await?;
            access_changed(id).await?;
        }
        let what = if reset {
            "user.update+password"
        } else {
            "user.update"
        };
        store::audit(&db, Some(admin.id), what, &format!("user:{id}"), None, None).await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "saved=1".into())
}

#[server(endpoint = "admin/set_active")]
pub async fn set_user_active(id: i64, active: bool) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        if id == admin.id && !active {
            // An admin locking themselves out could leave the school with no admin at all.
            return Err(AppError::Forbidden);
        }
        let db = db()?;
        store::set_active(&db, id, active).await?;
        access_changed(id).await?;
        store::audit(
            &db,
            Some(admin.id),
            if active {
                "user.activate"
            } else {
                "user.deactivate"
            },
            &format!("user:{id}"),
            None,
            None,
        )
        .await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "saved=1".into())
}

#[server(endpoint = "admin/set_role")]
pub async fn set_user_role(id: i64, role: String, granted: bool) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let role = Role::parse(&role)
            .filter(|r| Role::GRANTABLE.contains(r))
            .ok_or(AppError::invalid(Field::Role, Reason::BadFormat))?;
        if id == admin.id && role == Role::Admin && !granted {
            return Err(AppError::Forbidden);
        }
        let db = db()?;
        store::user_detail(&db, id).await?; // 404 for an unknown person
        if granted {
            store::grant_role(&db, id, role).await?;
        } else {
            store::revoke_role(&db, id, role).await?;
            access_changed(id).await?;
        }
        store::audit(
            &db,
            Some(admin.id),
            if granted { "role.grant" } else { "role.revoke" },
            &format!("user:{id}"),
            None,
            Some(role.as_str()),
        )
        .await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "saved=1".into())
}

#[server(endpoint = "admin/classes")]
pub async fn list_classes() -> AppResult<Vec<ClassRow>> {
    require(Role::Admin).await?;
    store::list_classes(&db()?).await
}

#[server(endpoint = "admin/create_class")]
pub async fn create_class(grade: String, letter: String) -> AppResult<i64> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let grade = parse_id(&grade, Field::Grade)?;
        rules::check_grade(grade).map_err(|(f, r)| AppError::invalid(f, r))?;
        let letter =
            rules::normalize_class_letter(&letter).map_err(|(f, r)| AppError::invalid(f, r))?;
        let name = rules::class_display_name(grade, &letter);
        let db = db()?;
        let id = store::create_class(
            &db,
            ClassKind::School,
            &name,
            Some(grade),
            Some(&letter),
            None,
            None,
        )
        .await?;
        store::audit(
            &db,
            Some(admin.id),
            "class.create",
            &format!("class:{id}"),
            None,
            Some(&name),
        )
        .await?;
        Ok(id)
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/classes", |_| "created=1".into())
}

#[server(endpoint = "admin/create_group")]
pub async fn create_group(faculty: String, course: String, name: String) -> AppResult<i64> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let course = parse_id(&course, Field::Course)?;
        let (faculty, course, name) = rules::normalize_group(&faculty, course, &name)
            .map_err(|(f, r)| AppError::invalid(f, r))?;
        let db = db()?;
        let id = store::create_class(
            &db,
            ClassKind::Group,
            &name,
            None,
            None,
            Some(&faculty),
            Some(course),
        )
        .await?;
        store::audit(
            &db,
            Some(admin.id),
            "group.create",
            &format!("class:{id}"),
            None,
            Some(&name),
        )
        .await?;
        Ok(id)
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/classes", |_| "created=1".into())
}

/// Makes a teacher (by login) the class teacher of a class; an empty login leaves the class without one.
#[server(endpoint = "admin/class_teacher")]
pub async fn set_class_teacher(class_id: i64, teacher_login: String) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let db = db()?;
        let teacher = if teacher_login.trim().is_empty() {
            None
        } else {
            let login = rules::normalize_login(&teacher_login)
                .map_err(|r| AppError::invalid(Field::Teacher, r))?;
            let id = store::user_id_by_login(&db, &login)
                .await?
                .ok_or(AppError::invalid(Field::Teacher, Reason::UnknownUser))?;
            if !store::has_role(&db, id, Role::Teacher).await? {
                return Err(AppError::invalid(Field::Teacher, Reason::NotATeacher));
            }
            Some(id)
        };
        store::set_class_teacher(&db, class_id, teacher).await?;
        store::audit(
            &db,
            Some(admin.id),
            "class.teacher",
            &format!("class:{class_id}"),
            None,
            Some(teacher_login.trim()),
        )
        .await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/classes", |_| "saved=1".into())
}

#[server(endpoint = "admin/link_parent")]
pub async fn link_parent(parent_login: String, student_login: String) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let db = db()?;
        let find = |raw: String, field: Field| {
            let db = db.clone();
            async move {
                let login =
                    rules::normalize_login(&raw).map_err(|r| AppError::invalid(field, r))?;
                store::user_id_by_login(&db, &login)
                    .await?
                    .ok_or(AppError::invalid(field, Reason::UnknownUser))
            }
        };
        let parent = find(parent_login, Field::Parent).await?;
        let student = find(student_login, Field::Student).await?;
        if !store::has_role(&db, parent, Role::Parent).await? {
            return Err(AppError::invalid(Field::Parent, Reason::NotAParent));
        }
        if !store::has_role(&db, student, Role::Student).await? {
            return Err(AppError::invalid(Field::Student, Reason::NotAStudent));
        }
        store::link_parent(&db, parent, student).await?;
        store::audit(
            &db,
            Some(admin.id),
            "parent.link",
            &format!("user:{parent}"),
            None,
            Some(&format!("student:{student}")),
        )
        .await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "saved=1".into())
}

#[server(endpoint = "admin/unlink_parent")]
pub async fn unlink_parent(parent_id: i64, student_id: i64) -> AppResult<()> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let db = db()?;
        store::unlink_parent(&db, parent_id, student_id).await?;
        access_changed(parent_id).await?;
        store::audit(
            &db,
            Some(admin.id),
            "parent.unlink",
            &format!("user:{parent_id}"),
            Some(&format!("student:{student_id}")),
            None,
        )
        .await
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/users", |_| "saved=1".into())
}

/// Imports students or teachers from CSV text; every row is checked first and nothing is
/// created unless all rows are good.
#[server(endpoint = "admin/import")]
pub async fn import_people(kind: String, csv: String) -> AppResult<ImportReport> {
    let result = async {
        let admin = require(Role::Admin).await?;
        let kind = rules::ImportKind::parse(&kind)
            .ok_or(AppError::invalid(Field::Csv, Reason::BadFormat))?;
        if csv.len() > 2_000_000 {
            return Err(AppError::invalid(Field::Csv, Reason::TooLong));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes());
        let mut records = Vec::new();
        for (i, record) in reader.records().enumerate() {
            match record {
                Ok(r) => records.push(r.iter().map(str::to_string).collect::<Vec<_>>()),
                Err(_) => {
                    return Err(AppError::Import(vec![crate::error::RowError {
                        line: i + 1,
                        field: Field::Csv,
                        reason: Reason::BadFormat,
                    }]))
                }
            }
        }
        let rows = rules::check_import_rows(kind, &records).map_err(AppError::Import)?;
        let db = db()?;
        let created = store::import_people(&db, kind, rows).await?;
        store::audit(
            &db,
            Some(admin.id),
            "import",
            &format!("{kind:?}"),
            None,
            Some(&created.to_string()),
        )
        .await?;
        Ok(ImportReport { created })
    }
    .await;
    crate::ui::forms::answer_form_back(result, "/admin/import", |r: &ImportReport| {
        format!("imported={}", r.created)
    })
}

// ---------- class teachers ----------

#[server(endpoint = "class/roster")]
pub async fn my_roster() -> AppResult<Roster> {
    let me = require(Role::ClassTeacher).await?;
    let class = me.leads.ok_or(AppError::Forbidden)?;
    let db = db()?;
    let mut roster = store::roster(&db, class).await?;
    let mut open: std::collections::HashMap<i64, Vec<crate::assignments::OpenTask>> =
        Default::default();
    for (student, task) in
        crate::assignments::store::open_tasks_of_class(&db, roster.class.id).await?
    {
        open.entry(student).or_default().push(task);
    }
    let now = crate::db::now();
    for row in &mut roster.students {
        let tasks = open.remove(&row.id).unwrap_or_default();
        row.tasks = crate::assignments::rules::digest(now, tasks);
    }
    Ok(roster)
}

/// A one-time code for one student's parent; only the class teacher of that student's class
/// (or an admin) may make one. The code is shown now and never again.
/// The session key of a join code waiting to be shown once (after a plain form's post).
#[cfg(feature = "ssr")]
const ISSUED_CODE: &str = "issued_code";

/// The join code this person was just given, taken out of the session: shown once.
#[server(endpoint = "class/issued_code")]
pub async fn take_issued_code() -> AppResult<Option<IssuedCode>> {
    require_user().await?;
    let session = super::auth::session().await?;
    session
        .remove::<IssuedCode>(ISSUED_CODE)
        .await
        .map_err(|err| {
            tracing::error!(%err, "session read failed");
            AppError::Internal
        })
}

#[server(endpoint = "class/join_code")]
pub async fn issue_join_code(student_id: i64) -> AppResult<IssuedCode> {
    let result = async {
        use rand::RngCore;
        let me = require_user().await?;
        let db = db()?;
        let class_id = store::student_class_id(&db, student_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let leads_it = me.leads.as_ref().is_some_and(|c| c.id == class_id);
        if !leads_it && !me.has(Role::Admin) {
            return Err(AppError::Forbidden);
        }
        let mut bytes = [0u8; rules::JOIN_CODE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let code = rules::join_code_from_bytes(&bytes);
        let expires_at = crate::db::now() + rules::JOIN_CODE_DAYS * 86_400;
        store::store_join_code(
            &db,
            &store::sha256_hex(&code.replace('-', "")),
            student_id,
            me.id,
            expires_at,
        )
        .await?;
        store::audit(
            &db,
            Some(me.id),
            "join_code.issue",
            &format!("student:{student_id}"),
            None,
            None,
        )
        .await?;
        let until = crate::db::bishkek_day(expires_at);
        Ok(IssuedCode {
            code,
            student_id,
            student_name: store::student_name(&db, student_id).await?,
            valid_until: format!("{:04}-{:02}-{:02}", until.year, until.month, until.day),
        })
    }
    .await;
    // A plain form goes back to its page, which shows the code once: it waits in the
    // session, never in an address (histories and logs keep those).
    if let Ok(issued) = &result {
        if crate::ui::forms::is_browser_form() {
            let session = super::auth::session().await?;
            session.insert(ISSUED_CODE, issued).await.map_err(|err| {
                tracing::error!(%err, "session write failed");
                AppError::Internal
            })?;
        }
    }
    crate::ui::forms::answer_form_back(result, "/class", |issued: &IssuedCode| {
        format!("code_for={}", issued.student_id)
    })
}
