//! Accounts through the real HTTP stack, on SQLite and PostgreSQL.

mod common;

use app::error::{AppError, Field, Reason};
use common::{error_in_location, user_id, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

fn roles(me: &Value) -> Vec<String> {
    me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

fn app_error(body: &Value) -> AppError {
    serde_json::from_value(body.clone()).unwrap_or_else(|_| panic!("not an AppError: {body}"))
}

on_both_backends!(
    login_sets_a_safe_session_and_shows_roles,
    |app: TestApp| async move {
        let visitor = app.visitor();
        assert_eq!(visitor.me().await, Value::Null, "nobody is logged in yet");
        let answer = visitor.login("Admin", PASSWORD).await;
        assert_eq!(answer.status, StatusCode::FOUND);
        assert_eq!(answer.location.as_deref(), Some("/"));
        let cookie = answer
            .set_cookie
            .iter()
            .find(|c| c.starts_with("sabak_session="))
            .expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "not HTTPS here: {cookie}");
        let me = visitor.me().await;
        assert_eq!(me["login"], "admin");
        assert_eq!(roles(&me), vec!["Admin"]);

        let teacher = app.logged_in("teacher").await.me().await;
        assert_eq!(roles(&teacher), vec!["Teacher", "ClassTeacher"]);
        assert_eq!(teacher["leads"]["name"], "5А");
        let parent = app.logged_in("parent").await.me().await;
        let children: Vec<&str> = parent["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["class"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(children.len(), 2);
        assert!(
            children.contains(&"5А") && children.contains(&"2Б"),
            "{children:?}"
        );
    }
);

on_both_backends!(
    login_goes_back_to_the_page_asked_for_but_never_off_site,
    |app: TestApp| async move {
        let visitor = app.visitor();
        let answer = visitor
            .submit(
                "login",
                &[
                    ("login", "admin"),
                    ("password", PASSWORD),
                    ("next", "/admin/users"),
                ],
            )
            .await;
        assert_eq!(answer.location.as_deref(), Some("/admin/users"));
        let visitor = app.visitor();
        let answer = visitor
            .submit(
                "login",
                &[
                    ("login", "admin"),
                    ("password", PASSWORD),
                    ("next", "//evil.example/"),
                ],
            )
            .await;
        assert_eq!(answer.location.as_deref(), Some("/"));
    }
);

on_both_backends!(
    wrong_password_and_unknown_login_get_the_same_answer,
    |app: TestApp| async move {
        let visitor = app.visitor();
        let wrong = visitor.login("admin", "not-the-password").await;
        let unknown = visitor.login("nobody-here", "not-the-password").await;
        for answer in [&wrong, &unknown] {
            assert_eq!(answer.status, StatusCode::FOUND);
            let location = answer.location.as_deref().unwrap();
            assert!(location.starts_with("/login?"), "{location}");
            assert_eq!(
                error_in_location(location),
                Some(AppError::WrongCredentials)
            );
        }
        assert_eq!(visitor.me().await, Value::Null);
    }
);

on_both_backends!(
    repeated_failures_throttle_the_account,
    |app: TestApp| async move {
        let visitor = app.visitor();
        for _ in 0..app::accounts::rules::ACCOUNT_FAILURES_ALLOWED {
            let answer = visitor.login("teacher", "wrong-password").await;
            assert_eq!(
                error_in_location(answer.location.as_deref().unwrap()),
                Some(AppError::WrongCredentials)
            );
        }
        // Now even the right password is refused for a while.
        let answer = visitor.login("teacher", PASSWORD).await;
        assert_eq!(
            error_in_location(answer.location.as_deref().unwrap()),
            Some(AppError::Throttled)
        );
        assert_eq!(visitor.me().await, Value::Null);
        // Other accounts are not locked by it.
        app.logged_in("student").await;
    }
);

on_both_backends!(session_id_changes_at_login, |app: TestApp| async move {
    let visitor = app.visitor();
    let first = visitor.login("student", PASSWORD).await;
    let second = visitor.login("teacher", PASSWORD).await;
    let id = |a: &common::Answer| {
        a.set_cookie
            .iter()
            .find(|c| c.starts_with("sabak_session="))
            .cloned()
            .unwrap()
    };
    assert_ne!(id(&first).split(';').next(), id(&second).split(';').next());
    assert_eq!(visitor.me().await["login"], "teacher");
});

on_both_backends!(logout_ends_the_session, |app: TestApp| async move {
    let visitor = app.logged_in("student").await;
    let answer = visitor.submit("logout", &[]).await;
    assert_eq!(answer.location.as_deref(), Some("/login"));
    assert_eq!(visitor.me().await, Value::Null);
});

on_both_backends!(
    deactivated_person_is_logged_out_and_cannot_log_in,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let admin = app.logged_in("admin").await;
        let id = user_id(&app, "teacher").await.to_string();
        let answer = admin
            .call("admin/set_active", &[("id", &id), ("active", "false")])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(
            teacher.me().await,
            Value::Null,
            "the open session ends at once"
        );
        let again = app.visitor().login("teacher", PASSWORD).await;
        assert_eq!(
            error_in_location(again.location.as_deref().unwrap()),
            Some(AppError::WrongCredentials)
        );
        // An admin cannot lock themselves out.
        let admin_id = user_id(&app, "admin").await.to_string();
        let answer = admin
            .call(
                "admin/set_active",
                &[("id", &admin_id), ("active", "false")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
);

on_both_backends!(
    admin_functions_refuse_everyone_else,
    |app: TestApp| async move {
        let anonymous = app.visitor();
        let answer = anonymous
            .call("admin/users", &[("query", ""), ("role", ""), ("page", "1")])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app_error(&answer.body), AppError::NotLoggedIn);
        for login in ["student", "parent", "teacher", "organiser", "expert"] {
            let visitor = app.logged_in(login).await;
            let calls: [(&str, Vec<(&str, &str)>); 5] = [
                (
                    "admin/users",
                    vec![("query", ""), ("role", ""), ("page", "1")],
                ),
                (
                    "admin/create_user",
                    vec![
                        ("login", "hacker"),
                        ("full_name", "Hacker Hacker"),
                        ("password", "12345678"),
                        ("role", "admin"),
                        ("class_id", ""),
                    ],
                ),
                (
                    "admin/import",
                    vec![
                        ("kind", "teachers"),
                        ("csv", "login,full_name,password\nhax,Hax Hax,12345678"),
                    ],
                ),
                (
                    "admin/set_role",
                    vec![("id", "1"), ("role", "admin"), ("granted", "true")],
                ),
                ("admin/classes", vec![]),
            ];
            for (endpoint, form) in calls {
                let answer = visitor.call(endpoint, &form).await;
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{login} calling {endpoint}: {}",
                    answer.text
                );
                assert_eq!(app_error(&answer.body), AppError::Forbidden);
            }
        }
        let (hackers,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE login IN ('hacker', 'hax')")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(hackers, 0);
    }
);

on_both_backends!(
    admin_creates_people_and_classes_with_checks,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let created = admin
            .call("admin/create_class", &[("grade", "5"), ("letter", "в")])
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.text);
        let class_id = created.body.as_i64().unwrap().to_string();
        let duplicate = admin
            .call("admin/create_class", &[("grade", "5"), ("letter", "В")])
            .await;
        assert_eq!(
            app_error(&duplicate.body),
            AppError::invalid(Field::Class, Reason::AlreadyTaken)
        );
        let bad_grade = admin
            .call("admin/create_class", &[("grade", "12"), ("letter", "А")])
            .await;
        assert_eq!(bad_grade.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            app_error(&bad_grade.body),
            AppError::invalid(Field::Grade, Reason::OutOfRange)
        );
        let group = admin
            .call(
                "admin/create_group",
                &[
                    ("faculty", "Физика факультети"),
                    ("course", "3"),
                    ("name", "ФИ-1-23"),
                ],
            )
            .await;
        assert_eq!(group.status, StatusCode::OK, "{}", group.text);

        let no_class = admin
            .call(
                "admin/create_user",
                &[
                    ("login", "jany"),
                    ("full_name", "Жаңы Окуучу"),
                    ("password", "jakshy-sыr"),
                    ("role", "student"),
                    ("class_id", ""),
                ],
            )
            .await;
        assert_eq!(
            app_error(&no_class.body),
            AppError::invalid(Field::Class, Reason::Empty)
        );
        let ok = admin
            .call(
                "admin/create_user",
                &[
                    ("login", "Jany"),
                    ("full_name", " Жаңы  Окуучу "),
                    ("password", "jakshy-sыr"),
                    ("role", "student"),
                    ("class_id", &class_id),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
        let taken = admin
            .call(
                "admin/create_user",
                &[
                    ("login", "jany"),
                    ("full_name", "Башка Адам"),
                    ("password", "jakshy-sыr"),
                    ("role", "teacher"),
                    ("class_id", ""),
                ],
            )
            .await;
        assert_eq!(
            app_error(&taken.body),
            AppError::invalid(Field::Login, Reason::AlreadyTaken)
        );
        let short = admin
            .call(
                "admin/create_user",
                &[
                    ("login", "kyska"),
                    ("full_name", "Кыска Сыр"),
                    ("password", "1234"),
                    ("role", "teacher"),
                    ("class_id", ""),
                ],
            )
            .await;
        assert_eq!(
            app_error(&short.body),
            AppError::invalid(Field::Password, Reason::TooShort)
        );

        let student = app.visitor();
        assert_eq!(
            student
                .login("jany", "jakshy-sыr")
                .await
                .location
                .as_deref(),
            Some("/")
        );
        let me = student.me().await;
        assert_eq!(me["full_name"], "Жаңы Окуучу");
        assert_eq!(me["class"]["name"], "5В");

        let page = admin
            .call(
                "admin/users",
                &[("query", "жаңы"), ("role", "student"), ("page", "1")],
            )
            .await;
        assert_eq!(page.body["total"], 1, "{}", page.text);
        assert_eq!(page.body["rows"][0]["class_name"], "5В");
    }
);

on_both_backends!(
    csv_import_with_a_bad_row_imports_nothing,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let count = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            n
        };
        let before = count().await;
        let csv = "login,full_name,class,password\nimp1,Токтогулов Эмир,7А,parol-123\nimp2,Исакова Сезим,9Я,parol-123\nimp3,Осмонов Улан,11 б,parol-123\nadmin,Кайталанган Логин,7А,parol-123\n";
        let answer = admin
            .call("admin/import", &[("kind", "students"), ("csv", csv)])
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        let AppError::Import(rows) = app_error(&answer.body) else {
            panic!("{}", answer.text)
        };
        let found: Vec<(usize, Field, Reason)> =
            rows.iter().map(|r| (r.line, r.field, r.reason)).collect();
        assert_eq!(
            found,
            vec![
                (3, Field::Class, Reason::UnknownClass),
                (5, Field::Login, Reason::AlreadyTaken)
            ]
        );
        assert_eq!(count().await, before, "nothing half-imported");

        let fixed = "login,full_name,class,password\nimp1,Токтогулов Эмир,7А,parol-123\nimp2,Исакова Сезим,9А,parol-123\nimp3,Осмонов Улан,11 б,parol-123\n";
        let answer = admin
            .call("admin/import", &[("kind", "students"), ("csv", fixed)])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(answer.body["created"], 3);
        assert_eq!(count().await, before + 3);
        let student = app.visitor();
        assert_eq!(
            student.login("imp3", "parol-123").await.location.as_deref(),
            Some("/")
        );
        assert_eq!(student.me().await["class"]["name"], "11Б");
    }
);

on_both_backends!(join_code_links_a_parent_once, |app: TestApp| async move {
    let teacher = app.logged_in("teacher").await; // class teacher of 5А
    let (student_5a,): (i64,) = sqlx::query_as(
        "SELECT e.student_id FROM enrolments e JOIN classes c ON c.id = e.class_id JOIN users u ON u.id = e.student_id
         WHERE c.name = '5А' AND u.login <> 'student' ORDER BY e.student_id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (student_6a,): (i64,) = sqlx::query_as(
        "SELECT e.student_id FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.name = '6А' LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let other_class = teacher
        .call(
            "class/join_code",
            &[("student_id", &student_6a.to_string())],
        )
        .await;
    assert_eq!(
        other_class.status,
        StatusCode::FORBIDDEN,
        "only the class's own teacher: {}",
        other_class.text
    );
    let student = app.logged_in("student").await;
    let by_student = student
        .call(
            "class/join_code",
            &[("student_id", &student_5a.to_string())],
        )
        .await;
    assert_eq!(by_student.status, StatusCode::FORBIDDEN);

    let issued = teacher
        .call(
            "class/join_code",
            &[("student_id", &student_5a.to_string())],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text);
    let code = issued.body["code"].as_str().unwrap().to_string();
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM join_codes WHERE code_hash = $1")
        .bind(code.replace('-', ""))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the code itself is never stored");

    let parent = app.visitor();
    let typed = code.to_lowercase().replace('-', " ");
    let answer = parent
        .submit(
            "register",
            &[
                ("code", &typed),
                ("full_name", "Жаңы Ата-эне"),
                ("login", "jany.ata"),
                ("password", "ata-parol-1"),
            ],
        )
        .await;
    assert_eq!(
        answer.location.as_deref(),
        Some("/"),
        "{:?}",
        answer.location.as_deref().and_then(error_in_location)
    );
    let me = parent.me().await;
    assert_eq!(roles(&me), vec!["Parent"]);
    assert_eq!(me["children"][0]["id"], student_5a);

    let second = app.visitor();
    let answer = second
        .submit(
            "register",
            &[
                ("code", &code),
                ("full_name", "Экинчи Ата-эне"),
                ("login", "ekinchi"),
                ("password", "ata-parol-2"),
            ],
        )
        .await;
    let location = answer.location.unwrap();
    assert!(location.starts_with("/register?"), "{location}");
    assert_eq!(
        error_in_location(&location),
        Some(AppError::invalid(Field::Code, Reason::CodeUsed))
    );
    assert_eq!(second.me().await, Value::Null);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE login = 'ekinchi'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
});

on_both_backends!(
    a_plain_post_shows_its_join_code_every_time,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await; // class teacher of 5А
        let (student,): (i64,) = sqlx::query_as(
            "SELECT e.student_id FROM enrolments e JOIN classes c ON c.id = e.class_id
             WHERE c.name = '5А' ORDER BY e.student_id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let student = student.to_string();
        // About one plain post in three came back to a class page without its code: the page
        // built its rows twice, each row's resource took the code out of the session, and the
        // rows that were shown had found it gone. Twenty-four posts in a row all show theirs.
        for round in 0..24 {
            let posted = teacher
                .submit("class/join_code", &[("student_id", &student)])
                .await;
            let back = posted.location.expect("a plain post goes back to its page");
            let page = teacher.get(&back, "ky").await;
            let shown = page
                .text
                .split(r#"<p class="code">"#)
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .unwrap_or_else(|| panic!("round {round}: no code on {back}"))
                .to_string();
            let (stored,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM join_codes WHERE code_hash = $1 AND student_id = $2",
            )
            .bind(app::accounts::store::sha256_hex(&shown.replace('-', "")))
            .bind(student.parse::<i64>().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(stored, 1, "round {round}: {shown} is the code just made");
            // Shown once: the same address again shows none.
            let again = teacher.get(&back, "ky").await;
            assert!(!again.text.contains(r#"<p class="code">"#), "round {round}");
        }
    }
);

on_both_backends!(
    parents_and_students_see_only_their_own,
    |app: TestApp| async move {
        let parent = app.logged_in("parent").await;
        let other = user_id(&app, "parent001").await.to_string();
        let answer = parent.call("admin/user", &[("id", &other)]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let roster = parent.call("class/roster", &[]).await;
        assert_eq!(roster.status, StatusCode::FORBIDDEN);
        let student = app.logged_in("student").await;
        let roster = student.call("class/roster", &[]).await;
        assert_eq!(roster.status, StatusCode::FORBIDDEN);
        let teacher = app.logged_in("teacher").await;
        let roster = teacher.call("class/roster", &[]).await;
        assert_eq!(roster.status, StatusCode::OK);
        assert_eq!(roster.body["class"]["name"], "5А");
        assert_eq!(roster.body["students"].as_array().unwrap().len(), 12);
    }
);

on_both_backends!(
    malformed_requests_get_a_clear_400,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let answer = admin
            .call(
                "admin/users",
                &[("query", ""), ("role", ""), ("page", "many")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
        assert_eq!(
            app_error(&answer.body),
            AppError::invalid(Field::Request, Reason::BadFormat)
        );
        let answer = admin
            .call(
                "admin/users",
                &[("query", ""), ("role", "superuser"), ("page", "1")],
            )
            .await;
        assert_eq!(
            app_error(&answer.body),
            AppError::invalid(Field::Role, Reason::BadFormat)
        );
        assert!(!answer.text.to_lowercase().contains("sqlx") && !answer.text.contains("panicked"));
    }
);

on_both_backends!(
    pages_render_in_the_asked_language,
    |app: TestApp| async move {
        let visitor = app.visitor();
        let page = visitor.get("/login", "ky").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Сабакка кирүү"), "Kyrgyz login page");
        assert!(page.text.contains("lang=\"ky\""), "html lang is set");
        let page = visitor.get("/login", "ru-RU,ru;q=0.9").await;
        assert!(page.text.contains("Вход в Сабак"));
        let page = visitor.get("/login", "de-DE").await;
        assert!(
            page.text.contains("Сабакка кирүү"),
            "unknown languages fall back to Kyrgyz"
        );
        let switch = visitor.get("/lang/en?back=/login", "ky").await;
        assert_eq!(switch.status, StatusCode::SEE_OTHER);
        assert_eq!(switch.location.as_deref(), Some("/login"));
        let page = visitor.get("/login", "ky").await;
        assert!(
            page.text.contains("Log in to Sabak"),
            "the cookie wins over Accept-Language"
        );

        let missing = visitor.get("/no/such/page", "en").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.text.contains("Page not found"));
        let home = visitor.get("/", "en").await;
        assert_eq!(
            home.status,
            StatusCode::FOUND,
            "logged-out visitors are sent to log in"
        );
        assert_eq!(home.location.as_deref(), Some("/login"));
    }
);

on_both_backends!(
    pages_carry_a_strict_content_security_policy,
    |app: TestApp| async move {
        let response = reqwest::Client::new()
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap();
        let policy = response
            .headers()
            .get("content-security-policy")
            .expect("CSP header")
            .to_str()
            .unwrap()
            .to_string();
        let html = response.text().await.unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in the policy");
        assert!(nonce.len() >= 16, "{policy}");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries the policy's nonce"
        );
        assert!(
            policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let again = reqwest::Client::new()
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap();
        let second = again
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert_ne!(second, policy, "a fresh nonce per response");
    }
);

// Hashing an import's passwords takes a while; other people keep writing meanwhile (every page
// saves its session). The import must still land: on SQLite a transaction that read before the
// hashing could not write after another connection had ("database is locked" at once).
on_both_backends!(
    an_import_lands_while_others_write,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (pool, stop) = (app.db.pool.clone(), stop.clone());
            tokio::spawn(async move {
                let mut writes = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    // A real change: SQLite commits nothing for an update that changes nothing.
                    sqlx::query("UPDATE schools SET created_at = created_at + 1")
                        .execute(&pool)
                        .await
                        .unwrap();
                    writes += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                writes
            })
        };
        let rows: String = (1..=6)
            .map(|i| format!("busy{i},Бош Эмес {i},7А,parol-123\n"))
            .collect();
        let csv = format!("login,full_name,class,password\n{rows}");
        let answer = admin
            .call("admin/import", &[("kind", "students"), ("csv", &csv)])
            .await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let writes = writer.await.unwrap();
        assert!(
            writes > 5,
            "the other writer ran meanwhile: {writes} writes"
        );
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(answer.body["created"], 6);
    }
);

/// A home page's JSON (the `home` server fn), for a demo person.
async fn home_of(app: &TestApp, login: &str) -> Value {
    let answer = app.logged_in(login).await.call("home", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

fn lessons(today: &Value) -> Vec<Value> {
    today["lessons"]
        .as_array()
        .unwrap_or_else(|| panic!("no lessons in {today}"))
        .clone()
}

on_both_backends!(
    home_pages_put_today_first_with_now_and_next_for_each_role,
    |app: TestApp| async move {
        // The test clock is a Wednesday at 08:35: the student's class has lessons, one going on
        // or coming next, with Join.
        let student = home_of(&app, "student").await;
        let today = &student["lessons_today"];
        let mine = lessons(today);
        assert!(mine.len() >= 3, "{today}");
        assert!(mine.iter().all(|l| l["class_name"] == "5А"), "{today}");
        assert!(
            !today["now"].is_null() || !today["next"].is_null(),
            "{today}"
        );
        assert_eq!(today["can_join"], true);

        // A parent: each child's own class's day, and no Join (the child joins, not the parent).
        let parent = home_of(&app, "parent").await;
        let children = parent["children"].as_array().unwrap();
        assert_eq!(children.len(), 2);
        for child in children {
            let class = child["class"]["class"]["name"].as_str().unwrap();
            let day = &child["lessons_today"];
            assert!(!lessons(day).is_empty(), "{child}");
            assert!(
                lessons(day).iter().all(|l| l["class_name"] == class),
                "{day}"
            );
            assert_eq!(day["can_join"], false);
        }
        assert!(parent["unread_notices"].is_u64(), "{parent}");
        assert!(parent["lessons_today"].is_null());

        // A teacher: the lessons they teach today, and how much feedback waits for an answer.
        let teacher = home_of(&app, "teacher").await;
        let taught = lessons(&teacher["lessons_today"]);
        assert!(!taught.is_empty());
        assert!(taught.iter().all(|l| l["mine"] == true), "{taught:?}");
        assert!(teacher["unanswered"].is_i64(), "{teacher}");
        assert!(teacher["unread_notices"].is_null());

        // The contest: its phase for an expert, with their entries; nothing for a student.
        let expert = home_of(&app, "expert").await;
        assert!(expert["contest"]["phase"].is_string(), "{expert}");
        assert!(expert["contest"]["scored"].is_array(), "{expert}");
        assert!(student["contest"].is_null());
        // An admin who teaches nothing has no day of lessons.
        assert!(home_of(&app, "admin").await["lessons_today"].is_null());
    }
);

on_both_backends!(
    people_are_listed_in_kyrgyz_alphabet_order_across_pages,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        // Created out of order; Ө follows О and Ү follows У in Kyrgyz, which no collation knows.
        for (login, name) in [
            ("abc-order-1", "Эсенова Гүлнара"),
            ("abc-order-2", "Өмүрова Айжан"),
            ("abc-order-3", "Үсөнов Нурлан"),
            ("abc-order-4", "Орозов Бакыт"),
            ("abc-order-5", "Уметов Азат"),
        ] {
            let answer = admin
                .call(
                    "admin/create_user",
                    &[
                        ("login", login),
                        ("full_name", name),
                        ("password", "long-enough-1"),
                        ("role", "teacher"),
                        ("class_id", ""),
                    ],
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        }
        let answer = admin
            .call(
                "admin/users",
                &[("query", "abc-order"), ("role", ""), ("page", "1")],
            )
            .await;
        let names: Vec<&str> = answer.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Орозов Бакыт",
                "Өмүрова Айжан",
                "Уметов Азат",
                "Үсөнов Нурлан",
                "Эсенова Гүлнара"
            ]
        );
    }
);
