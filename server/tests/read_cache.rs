//! The read cache across replicas (issue 19): each replica keeps the people, calendar, bells
//! and weekly lessons pages read on every request, yet a change made through one replica is
//! seen on the other on its very next request, and a session never outlives its logout.

mod common;

use common::{TestApp, Visitor};
use reqwest::StatusCode;

/// The same browser (one cookie jar) talking to another replica, as behind a load balancer.
fn same_browser(visitor: &Visitor, replica: &TestApp) -> Visitor {
    Visitor {
        client: visitor.client.clone(),
        base: replica.base.clone(),
    }
}

#[derive(sqlx::FromRow)]
struct LessonFields {
    id: i64,
    class_id: i64,
    weekday: i64,
    period: i64,
    subject_id: i64,
    teacher_id: i64,
    form: String,
    mode: String,
    weeks: String,
}

async fn a_lesson_of(app: &TestApp, student: &str) -> LessonFields {
    sqlx::query_as(
        "SELECT l.id, l.class_id, l.weekday, l.period, l.subject_id, l.teacher_id, l.form,
                l.mode, l.weeks
         FROM lessons l JOIN enrolments e ON e.class_id = l.class_id JOIN users u ON u.id = e.student_id
         WHERE u.login = $1 ORDER BY l.weekday, l.period LIMIT 1",
    )
    .bind(student)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn week_text(student: &Visitor) -> String {
    let answer = student
        .call("timetable/week", &[("whose", ""), ("week_of", "")])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.text
}

async fn home_text(visitor: &Visitor) -> String {
    let page = visitor.get("/", "ky").await;
    assert_eq!(page.status, StatusCode::OK);
    page.text
}

on_both_backends!(
    a_change_through_one_replica_is_seen_on_the_other_at_once,
    |a: TestApp| async move {
        let b = common::replica(&a).await;
        let student_on_b = b.logged_in("student").await;
        let admin_on_a = a.logged_in("admin").await;

        // Replica B reads the student's week and home page and keeps copies of what they read.
        let lesson = a_lesson_of(&a, "student").await;
        assert!(!week_text(&student_on_b).await.contains("Каб-314-кэш"));
        assert!(home_text(&student_on_b).await.contains("Асанов Бектур"));
        assert!(!b.db.cache.is_empty(), "replica B keeps copies");
        let kept = b.db.cache.len();
        week_text(&student_on_b).await;
        assert_eq!(b.db.cache.len(), kept, "read again from its copies");

        // The timetable: a room changed on A is in B's very next answer.
        let saved = admin_on_a
            .call(
                "timetable/save_lesson",
                &[
                    ("lesson_id", &lesson.id.to_string()),
                    ("class_id", &lesson.class_id.to_string()),
                    ("weekday", &lesson.weekday.to_string()),
                    ("period", &lesson.period.to_string()),
                    ("subject_id", &lesson.subject_id.to_string()),
                    ("teacher_id", &lesson.teacher_id.to_string()),
                    ("form", &lesson.form),
                    ("mode", &lesson.mode),
                    ("room", "Каб-314-кэш"),
                    ("weeks", &lesson.weeks),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        assert!(
            week_text(&student_on_b).await.contains("Каб-314-кэш"),
            "replica B shows the new room at once"
        );

        // The person: a name changed on A is on B's next page.
        let (student_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE login = 'student'")
            .fetch_one(&a.db.pool)
            .await
            .unwrap();
        let renamed = admin_on_a
            .call(
                "admin/update_user",
                &[
                    ("id", &student_id.to_string()),
                    ("full_name", "Асанова Бегимай"),
                    ("email", ""),
                    ("phone", ""),
                    ("new_password", ""),
                ],
            )
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
        let home = home_text(&student_on_b).await;
        assert!(home.contains("Асанова Бегимай"), "B greets the new name");
        assert!(!home.contains("Асанов Бектур"));

        // Deactivated on A: B no longer lets the person in, though B had them cached.
        let parent_on_b = b.logged_in("parent").await;
        assert_eq!(parent_on_b.me().await["login"], "parent");
        let (parent_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE login = 'parent'")
            .fetch_one(&a.db.pool)
            .await
            .unwrap();
        let locked = admin_on_a
            .call(
                "admin/set_active",
                &[("id", &parent_id.to_string()), ("active", "false")],
            )
            .await;
        assert_eq!(locked.status, StatusCode::OK, "{}", locked.text);
        assert_eq!(
            parent_on_b.call("me", &[]).await.body,
            serde_json::Value::Null,
            "a deactivated person is nobody on B"
        );

        // Logged out through A: the same browser's session is gone on B too.
        let student_on_a = same_browser(&student_on_b, &a);
        assert_eq!(student_on_a.me().await["login"], "student");
        assert_eq!(
            student_on_a.call("logout", &[]).await.status,
            StatusCode::OK
        );
        assert_eq!(
            student_on_b.call("me", &[]).await.body,
            serde_json::Value::Null,
            "no session outlives its logout"
        );
        let page = student_on_b.get("/timetable", "ky").await;
        assert!(
            page.status.is_redirection() || page.text.contains("/login"),
            "the timetable is not shown after logout: {}",
            page.status
        );
    }
);

on_both_backends!(
    writes_made_outside_the_app_invalidate_too,
    |app: TestApp| async move {
        // A hand-written UPDATE (a DBA, a migration, another tool) goes through the triggers.
        let student = app.logged_in("student").await;
        assert!(home_text(&student).await.contains("Асанов Бектур"));
        sqlx::query("UPDATE users SET full_name = 'Асанов Бектур Кол' WHERE login = 'student'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert!(home_text(&student).await.contains("Асанов Бектур Кол"));
        sqlx::query("UPDATE bell_periods SET starts_min = starts_min + 1")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (version,): (i64,) =
            sqlx::query_as("SELECT version FROM cache_versions WHERE name = 'reference'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(version > 1, "the triggers bumped the version");
    }
);

/// The calendar address a timetable page shows, if any.
fn calendar_address(page: &str) -> Option<String> {
    let start = page.find("/ical/")?;
    let end = start + page[start..].find(".ics")?;
    Some(page[start..end].to_string())
}

on_both_backends!(
    a_calendar_address_made_through_one_replica_shows_on_the_other_at_once,
    |a: TestApp| async move {
        let b = common::replica(&a).await;
        let student_on_b = b.logged_in("student").await;
        let student_on_a = same_browser(&student_on_b, &a);
        let address_on_b = || async {
            let page = student_on_b.get("/timetable", "ky").await;
            assert_eq!(page.status, StatusCode::OK);
            calendar_address(&page.text)
        };
        assert_eq!(address_on_b().await, None);
        let made = student_on_a.call("timetable/feed", &[("whose", "")]).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.text);
        let first = address_on_b().await.expect("B shows the address made on A");
        assert_eq!(address_on_b().await.as_ref(), Some(&first), "read again");
        // A new address replaces the old one: B shows the new one at once.
        student_on_a.call("timetable/feed", &[("whose", "")]).await;
        let second = address_on_b().await.expect("a new address");
        assert_ne!(second, first);
        // Turned off through A: none on B.
        let off = student_on_a
            .call("timetable/feed", &[("whose", ""), ("off", "1")])
            .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.text);
        assert_eq!(address_on_b().await, None, "the old address is not offered");
    }
);

on_both_backends!(
    the_version_read_with_a_session_is_never_stored_in_it,
    |a: TestApp| async move {
        let b = common::replica(&a).await;
        // The class teacher's session is read (with the version beside it) and then written:
        // a join code goes into it on a post, and comes out on the page that shows it.
        let teacher = a.logged_in("teacher").await;
        let teacher_on_b = same_browser(&teacher, &b);
        assert_eq!(teacher.get("/", "ky").await.status, StatusCode::OK);
        let (student,): (i64,) = sqlx::query_as(
            "SELECT e.student_id FROM enrolments e JOIN classes c ON c.id = e.class_id
             WHERE c.name = '5А' ORDER BY e.student_id LIMIT 1",
        )
        .fetch_one(&a.db.pool)
        .await
        .unwrap();
        let posted = teacher
            .submit("class/join_code", &[("student_id", &student.to_string())])
            .await;
        let back = posted.location.expect("a plain post goes back to its page");
        assert!(teacher_on_b
            .get(&back, "ky")
            .await
            .text
            .contains(r#"<p class="code">"#));
        let stored: Vec<(String,)> = sqlx::query_as("SELECT data FROM sessions")
            .fetch_all(&a.db.pool)
            .await
            .unwrap();
        assert!(stored.iter().any(|(data,)| data.contains("uid")));
        for (data,) in &stored {
            assert!(
                !data.contains(app::cache::SESSION_VERSION),
                "a version is no session data: {data}"
            );
        }
        // A write after all that is still seen on the very next signed-in page of either replica.
        sqlx::query("UPDATE users SET full_name = 'Кэш Текшерүү' WHERE login = 'teacher'")
            .execute(&a.db.pool)
            .await
            .unwrap();
        assert!(home_text(&teacher).await.contains("Кэш Текшерүү"));
        assert!(home_text(&teacher_on_b).await.contains("Кэш Текшерүү"));
    }
);

on_both_backends!(
    a_weeks_topic_and_a_hand_in_through_one_replica_show_on_the_other_at_once,
    |a: TestApp| async move {
        let b = common::replica(&a).await;
        let student_on_b = b.logged_in("student").await;
        let student_on_a = same_browser(&student_on_b, &a);
        let admin_on_a = a.logged_in("admin").await;
        let teacher_on_a = a.logged_in("teacher").await;

        // A week's record: a topic given through A is in B's next week (weekday 0 is Monday).
        let lesson = a_lesson_of(&a, "student").await;
        let monday = app::timetable::rules::monday_of(app::db::today());
        let date = app::timetable::rules::iso_date(monday + lesson.weekday);
        assert!(!week_text(&student_on_b).await.contains("Кэш темасы"));
        let given = admin_on_a
            .call(
                "timetable/occurrence",
                &[
                    ("lesson_id", &lesson.id.to_string()),
                    ("date", &date),
                    ("link", "https://meet.jit.si/kesh-temasy"),
                    ("topic", "Кэш темасы"),
                ],
            )
            .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.text);
        assert!(week_text(&student_on_b).await.contains("Кэш темасы"));
        // By hand, too: the trigger bumps the week's version.
        sqlx::query("UPDATE lesson_occurrences SET topic = 'Кол менен' WHERE lesson_id = $1")
            .bind(lesson.id)
            .execute(&a.db.pool)
            .await
            .unwrap();
        let week = week_text(&student_on_b).await;
        assert!(week.contains("Кол менен") && !week.contains("Кэш темасы"));

        // A task due today, given through A, is on B's next timetable page (GET: the versions
        // read with the session); handed in through A, it is gone from B's next page.
        #[derive(sqlx::FromRow)]
        struct Teaching {
            class_id: i64,
            subject_id: i64,
        }
        let teaching: Teaching = sqlx::query_as(
            "SELECT l.class_id, l.subject_id FROM lessons l
             JOIN users t ON t.id = l.teacher_id AND t.login = 'teacher'
             JOIN enrolments e ON e.class_id = l.class_id
             JOIN users s ON s.id = e.student_id AND s.login = 'student' LIMIT 1",
        )
        .fetch_one(&a.db.pool)
        .await
        .unwrap();
        let due_page = || async {
            let page = student_on_b.get("/timetable", "ky").await;
            assert_eq!(page.status, StatusCode::OK);
            page.text.contains("Кэш тапшырмасы")
        };
        assert!(!due_page().await);
        let given = teacher_on_a
            .call(
                "tasks/create",
                &[
                    (
                        "teaching",
                        &format!("{}:{}", teaching.class_id, teaching.subject_id),
                    ),
                    ("title", "Кэш тапшырмасы"),
                    ("form", "practical"),
                    (
                        "due_date",
                        &app::timetable::rules::iso_date(app::db::today()),
                    ),
                    ("due_time", "23:30"),
                    ("instructions", "48-беттеги 5-көнүгүү"),
                    ("link", ""),
                    ("graded", "1"),
                ],
            )
            .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.text);
        assert!(due_page().await, "B shows the task given on A");
        assert!(due_page().await, "and again, from its copy");
        let (task,): (i64,) =
            sqlx::query_as("SELECT id FROM assignments WHERE title = 'Кэш тапшырмасы'")
                .fetch_one(&a.db.pool)
                .await
                .unwrap();
        let handed = student_on_a
            .call(
                "tasks/hand_in",
                &[("task_id", &task.to_string()), ("body", "Даяр.")],
            )
            .await;
        assert_eq!(handed.status, StatusCode::OK, "{}", handed.text);
        assert!(!due_page().await, "handed in on A: not due on B");
    }
);

/// The place the signed-in bar marks as the current one (its tab and its menu entry).
fn marked_places(page: &str) -> Vec<String> {
    let bar = page.split("</header>").next().unwrap_or_default();
    bar.match_indices("aria-current=\"page\"")
        .filter_map(|(at, _)| {
            let tag_start = bar[..at].rfind('<')?;
            let tag = &bar[tag_start..at];
            let href = tag.split("href=\"").nth(1)?.split('"').next()?;
            Some(href.to_string())
        })
        .collect()
}

/// The name the signed-in bar's menu shows.
fn who(page: &str) -> &str {
    let after = page
        .split("<p class=\"who\"><strong>")
        .nth(1)
        .unwrap_or_default();
    after.split('<').next().unwrap_or_default()
}

on_both_backends!(
    the_kept_top_bar_follows_the_page_the_language_and_the_person,
    |app: TestApp| async move {
        // The bar's HTML is kept per person; each of these shows a different one at once.
        let student = app.logged_in("student").await;
        let timetable = student.get("/timetable", "ky").await.text;
        assert_eq!(marked_places(&timetable), ["/timetable", "/timetable"]);
        assert!(timetable.contains("Чыгуу"), "Kyrgyz bar");
        assert!(timetable.contains("/lang/ru?back=/timetable\""));

        let tasks = student.get("/tasks", "ky").await.text;
        assert_eq!(marked_places(&tasks), ["/tasks", "/tasks"]);
        assert!(tasks.contains("/lang/ru?back=/tasks\""));
        let week = student.get("/timetable?week=2026-01-05", "ky").await.text;
        assert!(
            week.contains(&format!(
                "/lang/ru?back={}\"",
                app::ui::format::url_encode("/timetable?week=2026-01-05")
            )),
            "the language links lead back to this very address"
        );

        // Another language: the whole bar in it, that language marked.
        let switched = student.get("/lang/ru?back=%2Ftimetable", "ky").await;
        assert!(
            switched.status.is_success() || switched.status.is_redirection(),
            "{}",
            switched.status
        );
        let russian = student.get("/timetable", "ky").await.text;
        assert!(russian.contains("Выйти") && !russian.contains("Чыгуу"));
        assert!(russian.contains("hreflang=\"ru\" lang=\"ru\" aria-current=\"true\""));

        // Another person on the same page never gets this one's bar.
        let parent = app.logged_in("parent").await;
        let theirs = parent.get("/timetable", "ky").await.text;
        assert_eq!(who(&theirs), "Асанова Жылдыз");
        assert_eq!(who(&timetable), "Асанов Бектур");
    }
);
