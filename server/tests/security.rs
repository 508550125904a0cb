//! The holes an attacker looks for first (issue 16), each tried the way the attack works, on
//! SQLite and PostgreSQL. The server's clock reads this week's Wednesday, 08:35 (Bishkek).

mod common;

use app::error::{AppError, Field, Reason};
use app::timetable::rules::iso_date;
use common::{accepted, app_error, error_in_location, refused, user_id, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

/// The number after the feedback label in a participation summary ("…байланыш…: N;").
fn feedback_in(summary: &str) -> i64 {
    let at = ["байланыш", "отзыв", "feedback"]
        .iter()
        .find_map(|label| summary.find(label))
        .unwrap_or_else(|| panic!("no feedback figure in {summary}"));
    let rest = &summary[at..];
    let colon = rest.find(':').unwrap();
    rest[colon + 1..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// One student's summary for a period on the class teacher's notices page.
async fn summary_of(teacher: &common::Visitor, student: i64, day: &str) -> String {
    let page = teacher
        .call("notices/page", &[("from", day), ("to", day)])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["teacher"]["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["student_id"] == student)
        .unwrap()["summary"]
        .as_str()
        .unwrap()
        .to_string()
}

/// 5А's lessons on a weekday (0 = Monday), by period.
async fn lessons_5a(app: &TestApp, weekday: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT l.id FROM lessons l JOIN classes c ON c.id = l.class_id
         WHERE c.name = '5А' AND l.weekday = $1 ORDER BY l.period",
    )
    .bind(weekday)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn give_feedback(
    v: &common::Visitor,
    lesson: i64,
    date: &str,
    anonymous: bool,
) -> common::Answer {
    let lesson = lesson.to_string();
    let mut form = vec![
        ("lesson_id", lesson.as_str()),
        ("date", date),
        ("rating", "4"),
        ("clear_text", "Баары түшүнүктүү"),
        ("unclear_text", ""),
        ("comment", ""),
    ];
    if anonymous {
        form.push(("anonymous", "1"));
    }
    v.call("feedback/give", &form).await
}

// 1. Two summaries around one anonymous feedback must not differ for its author.
on_both_backends!(
    anonymous_feedback_never_counts_per_student,
    |app: TestApp| async move {
        let tuesday = iso_date(app::db::today() - 1);
        let teacher = app.logged_in("teacher").await;
        let student = app.logged_in("student").await;
        let me = user_id(&app, "student").await;
        let lessons = lessons_5a(&app, 1).await;
        assert!(lessons.len() >= 2, "two Tuesday lessons of 5А");

        let before = feedback_in(&summary_of(&teacher, me, &tuesday).await);
        accepted(&give_feedback(&student, lessons[0], &tuesday, true).await);
        let after = feedback_in(&summary_of(&teacher, me, &tuesday).await);
        assert_eq!(
            after, before,
            "the class teacher's summary moved with an anonymous feedback: it names the author"
        );
        // Signed feedback still counts: the figure is alive.
        accepted(&give_feedback(&student, lessons[1], &tuesday, false).await);
        let signed = feedback_in(&summary_of(&teacher, me, &tuesday).await);
        assert_eq!(signed, before + 1);
    }
);

// 2. Forty parallel guesses at one account from one address: the rule is five.
on_both_backends!(
    parallel_guesses_get_five_tries_and_no_more,
    |app: TestApp| async move {
        let visitor = std::sync::Arc::new(app.visitor());
        let guesses: Vec<_> = (0..40)
            .map(|i| {
                let visitor = visitor.clone();
                tokio::spawn(async move {
                    visitor
                        .login("teacher", &format!("wrong-password-{i}"))
                        .await
                })
            })
            .collect();
        let (mut checked, mut throttled) = (0, 0);
        for guess in guesses {
            let answer = guess.await.unwrap();
            match error_in_location(answer.location.as_deref().unwrap_or("")) {
                Some(AppError::WrongCredentials) => checked += 1,
                Some(AppError::Throttled) => throttled += 1,
                other => panic!("unexpected answer {other:?}: {}", answer.status),
            }
        }
        assert_eq!(
            (checked, throttled),
            (app::accounts::rules::ACCOUNT_FAILURES_ALLOWED, 35),
            "passwords checked, attempts throttled"
        );
        // A script asking for JSON learns it was throttled from the status, not from a 200.
        let answer = app
            .visitor()
            .call("login", &[("login", "teacher"), ("password", PASSWORD)])
            .await;
        assert_eq!(
            answer.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            answer.text
        );
        assert_eq!(app_error(&answer), AppError::Throttled);
        // A right password from a fresh account gives its attempt back to the address.
        app.logged_in("student").await;
    }
);

// The page outside islands is never hydrated, so the data a server render loaded must stay
// on the server: a serialized resource would hand the browser every field of every DTO (an
// expert's entry, a roster), whether the page shows it or not.
on_both_backends!(
    pages_carry_no_serialized_resources,
    |app: TestApp| async move {
        for (login, path) in [
            ("student", "/timetable"),
            ("student", "/"),
            ("parent", "/notices"),
            ("teacher", "/timer"),
            ("teacher", "/feedback"),
            ("expert", "/contest"),
            ("organiser", "/contest/manage"),
            ("admin", "/admin/users"),
        ] {
            let visitor = app.logged_in(login).await;
            let page = visitor.get(path, "ky").await;
            assert_eq!(page.status, StatusCode::OK, "{login} {path}");
            assert!(
                page.text.contains("<main"),
                "{login} {path} rendered: {}",
                page.text
            );
            assert!(
                !page.text.contains("__RESOLVED_RESOURCES["),
                "{login} {path} wrote its data into the page"
            );
        }
    }
);

// 3. Redirects that a browser would read as another host.
on_both_backends!(redirects_never_leave_the_site, |app: TestApp| async move {
    let visitor = app.visitor();
    for back in [
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%0D%0A/evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
    ] {
        let answer = visitor.get(&format!("/lang/ru?back={back}"), "ky").await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(answer.location.as_deref(), Some("/"), "{back}");
    }
    let answer = visitor
        .submit(
            "login",
            &[
                ("login", "student"),
                ("password", PASSWORD),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(answer.location.as_deref(), Some("/"));
    // A path on the site still goes where it was asked.
    let answer = visitor
        .get("/lang/ru?back=/timetable%3Fday%3D2", "ky")
        .await;
    assert_eq!(answer.location.as_deref(), Some("/timetable?day=2"));
});

async fn joins(app: &TestApp, lesson: i64, date: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM lesson_joins WHERE lesson_id = $1 AND date = $2 AND student_id = $3",
    )
    .bind(lesson)
    .bind(date)
    .bind(user_id(app, "student").await)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    n
}

// 4. Join counts as attendance only while the lesson is on.
on_both_backends!(
    join_marks_present_only_during_the_lesson,
    |app: TestApp| async move {
        let today = app::db::today();
        let student = app.logged_in("student").await;
        // Monday's first lesson (long over), Friday's (not yet), and today's, on now.
        let cases = [
            (lessons_5a(&app, 0).await[0], today - 2, 0),
            (lessons_5a(&app, 4).await[0], today + 2, 0),
            (lessons_5a(&app, 2).await[0], today, 1),
        ];
        for (lesson, day, expected) in cases {
            let date = iso_date(day);
            app::timetable::store::save_occurrence(
                &app.db,
                lesson,
                &date,
                Some("https://meet.google.com/abc-defg-hij"),
                None,
                1,
            )
            .await
            .unwrap();
            let id = lesson.to_string();
            let joined = student
                .submit("timetable/join", &[("lesson_id", &id), ("date", &date)])
                .await;
            // The link always opens; only the lesson's own time records attendance.
            assert_eq!(joined.status, StatusCode::FOUND, "{date}");
            assert_eq!(
                joined.location.as_deref(),
                Some("https://meet.google.com/abc-defg-hij")
            );
            assert_eq!(joins(&app, lesson, &date).await, expected, "join on {date}");
        }
    }
);

// 6. The regulation's "at least 3 experts per entry" cannot be switched off.
on_both_backends!(
    fewer_than_three_experts_cannot_be_set,
    |app: TestApp| async move {
        let organiser = app.logged_in("organiser").await;
        let today = app::db::today();
        let appointing = [-20, -1, 0, 1, 20, 30, 40, 50];
        let call = |min: &'static str, per: &'static str| {
            let form = common::contest_settings_form(today, appointing, min, per);
            let organiser = &organiser;
            async move { common::call_owned(organiser, "contest/settings", &form).await }
        };
        let kept = || async {
            common::count(
                &app.db,
                "SELECT min_experts FROM contest_editions ORDER BY id DESC LIMIT 1",
            )
            .await
        };
        let before = kept().await;
        for (min, per) in [("1", "5"), ("2", "5"), ("4", "3")] {
            refused(&call(min, per).await, Field::Setting, Reason::OutOfRange);
            assert_eq!(kept().await, before, "{min} of {per} changed the edition");
        }
        accepted(&call("3", "5").await);
    }
);

// 10. Another site's page posts a login form (login CSRF) or any other form.
on_both_backends!(
    posts_from_other_sites_are_refused,
    |app: TestApp| async move {
        let visitor = app.visitor();
        let login = |headers: &'static [(&'static str, &'static str)]| {
            let visitor = &visitor;
            async move {
                let mut request = visitor
                    .client
                    .post(format!("{}/api/login", visitor.base))
                    .header("accept", "text/html")
                    .form(&[("login", "student"), ("password", PASSWORD)]);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request.send().await.unwrap().status()
            }
        };
        assert_eq!(
            login(&[("origin", "https://evil.example")]).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            login(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example")
            ])
            .await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            visitor.me().await,
            Value::Null,
            "no session from a forged post"
        );
        // The same form on our own page logs in.
        assert_eq!(
            login(&[("sec-fetch-site", "same-origin")]).await,
            StatusCode::FOUND
        );
        assert_eq!(visitor.me().await["login"], "student");
        // A plain upload form posted from elsewhere is refused too.
        let upload = visitor
            .client
            .post(format!("{}/materials/upload", visitor.base))
            .header("sec-fetch-site", "cross-site")
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(upload.status(), StatusCode::FORBIDDEN);
    }
);

// 12. Feedback on a cancelled lesson, attendance for any date.
on_both_backends!(
    feedback_and_attendance_only_for_lessons_that_took_place,
    |app: TestApp| async move {
        let today = app::db::today();
        let tuesday = iso_date(today - 1);
        let lessons = lessons_5a(&app, 1).await;
        sqlx::query(
            "INSERT INTO lesson_changes (lesson_id, date, kind, set_by, set_at)
             SELECT id, $1, 'cancelled', teacher_id, 0 FROM lessons WHERE id = $2",
        )
        .bind(&tuesday)
        .bind(lessons[0])
        .execute(&app.db.pool)
        .await
        .unwrap();
        let student = app.logged_in("student").await;
        refused(
            &give_feedback(&student, lessons[0], &tuesday, false).await,
            Field::Date,
            Reason::NotThatDay,
        );
        // Its teacher marks attendance: not on the cancelled day, not on a day it does not
        // run, not months back; last week's lesson, which took place, can be corrected.
        let (teacher_login,): (String,) = sqlx::query_as(
            "SELECT u.login FROM lessons l JOIN users u ON u.id = l.teacher_id WHERE l.id = $1",
        )
        .bind(lessons[0])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let teacher = app.logged_in(&teacher_login).await;
        let me = user_id(&app, "student").await.to_string();
        let lesson = lessons[0].to_string();
        let mark = |day: i64| {
            let (teacher, me, lesson) = (&teacher, me.clone(), lesson.clone());
            async move {
                let date = iso_date(day);
                teacher
                    .call(
                        "attendance/mark",
                        &[
                            ("lesson_id", lesson.as_str()),
                            ("date", date.as_str()),
                            ("student_id", me.as_str()),
                            ("status", "present"),
                        ],
                    )
                    .await
            }
        };
        let marks =
            || async { common::count(&app.db, "SELECT COUNT(*) FROM attendance_marks").await };
        let before = marks().await;
        // Cancelled; a Monday (the lesson runs on Tuesdays); a Tuesday months ago.
        for day in [today - 1, today - 2, today - 99] {
            let answer = mark(day).await;
            assert_eq!(
                answer.status,
                StatusCode::BAD_REQUEST,
                "{}: {}",
                iso_date(day),
                answer.text
            );
        }
        assert_eq!(marks().await, before, "a refused mark was saved");
        accepted(&mark(today - 8).await);
    }
);

/// `teacher018`'s first Wednesday lesson in 3А (grade 3: a 25-minute cap).
async fn grade_3_lesson(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c ON c.id = l.class_id
         WHERE u.login = 'teacher018' AND c.name = '3А' AND l.weekday = 2 ORDER BY l.period LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    id
}

/// A finished run of `lesson` today that lasted `minutes` (what the clock would have made).
async fn finished_run(app: &TestApp, lesson: i64, minutes: i64) {
    let now = app::db::now_ms();
    let ms = minutes * 60_000;
    sqlx::query(
        "INSERT INTO timer_runs (school_id, lesson_id, class_id, teacher_id, date, cap_min,
             planned_ms, started_ms, ended_ms, actual_ms, over_cap_ms)
         SELECT l.school_id, l.id, l.class_id, l.teacher_id, $2, 25, $3, $4, $5, $3, 0
         FROM lessons l WHERE l.id = $1",
    )
    .bind(lesson)
    .bind(iso_date(app::db::today()))
    .bind(ms)
    .bind(now - ms - 60_000)
    .bind(now - 60_000)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn start_timer(v: &common::Visitor, lesson: i64, minutes: &str) -> common::Answer {
    v.call(
        "timer/start",
        &[("lesson_id", &lesson.to_string()), ("minutes", minutes)],
    )
    .await
}

// 7. Three runs of one lesson are not each "within the cap"; caps cannot be raised.
on_both_backends!(
    a_lessons_runs_on_one_day_add_up_to_its_cap,
    |app: TestApp| async move {
        let lesson = grade_3_lesson(&app).await;
        let teacher = app.logged_in("teacher018").await;
        finished_run(&app, lesson, 20).await;
        refused(
            &start_timer(&teacher, lesson, "20").await,
            Field::Minutes,
            Reason::CapUsedToday {
                cap_min: 25,
                left_min: 5,
            },
        );
        accepted(&start_timer(&teacher, lesson, "5").await);
        let run = common::count(&app.db, "SELECT id FROM timer_runs WHERE ended_ms IS NULL")
            .await
            .to_string();
        // The 5 minutes left are the run's cap: no extension past the day's 25.
        let extended = teacher
            .call("timer/extend", &[("run_id", &run), ("minutes", "5")])
            .await;
        assert_eq!(
            extended.status,
            StatusCode::BAD_REQUEST,
            "{}",
            extended.text
        );
        accepted(&teacher.call("timer/stop", &[("run_id", &run)]).await);

        // Admins may lower a cap, never raise one above the regulation.
        let admin = app.logged_in("admin").await;
        let caps = |cap_1_2: &'static str| {
            vec![
                ("cap_1_2", cap_1_2),
                ("cap_3_4", "25"),
                ("cap_5_6", "30"),
                ("cap_7_9", "30"),
                ("cap_10_11", "30"),
                ("cap_groups", ""),
                ("warn_first", "5"),
                ("warn_last", "1"),
            ]
        };
        refused(
            &admin.call("timer/settings", &caps("240")).await,
            Field::Minutes,
            Reason::AboveRegulation { cap_min: 20 },
        );
        accepted(&admin.call("timer/settings", &caps("15")).await);
    }
);

// 8. A timer left going must not block the class for days; an admin can stop one.
on_both_backends!(
    a_forgotten_timer_ends_by_itself_and_admins_can_stop_one,
    |app: TestApp| async move {
        let lesson = grade_3_lesson(&app).await;
        // Started yesterday at this time and never stopped.
        let day = 86_400_000;
        sqlx::query(
            "INSERT INTO timer_runs (school_id, lesson_id, class_id, teacher_id, date, cap_min,
                 planned_ms, started_ms)
             SELECT l.school_id, l.id, l.class_id, l.teacher_id, $2, 25, 1200000, $3
             FROM lessons l WHERE l.id = $1",
        )
        .bind(lesson)
        .bind(iso_date(app::db::today() - 1))
        .bind(app::db::now_ms() - day)
        .execute(&app.db.pool)
        .await
        .unwrap();
        // Another teacher of 3А starts a lesson there today: the forgotten run is ended first.
        let (other_lesson, other_login): (i64, String) = sqlx::query_as(
            "SELECT l.id, u.login FROM lessons l JOIN users u ON u.id = l.teacher_id
             JOIN classes c ON c.id = l.class_id
             WHERE c.name = '3А' AND l.weekday = 2 AND u.login <> 'teacher018' ORDER BY l.period LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .expect("another teacher teaches 3А on Wednesdays");
        let other = app.logged_in(&other_login).await;
        accepted(&start_timer(&other, other_lesson, "10").await);
        assert_eq!(
            common::count(
                &app.db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'timer.auto_stopped'"
            )
            .await,
            1
        );
        let (actual,): (i64,) = sqlx::query_as(
            "SELECT actual_ms FROM timer_runs WHERE started_ms < $1 AND ended_ms IS NOT NULL",
        )
        .bind(app::db::now_ms() - day / 2)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(
            actual < 2 * 3_600_000,
            "ended at its lesson's end plus a margin, not a day later: {actual} ms"
        );
        // The admin stops the run now going; another school's admin could not (404 or 403),
        // and a student cannot.
        let run = common::count(&app.db, "SELECT id FROM timer_runs WHERE ended_ms IS NULL")
            .await
            .to_string();
        let student = app.logged_in("student").await;
        assert_eq!(
            student.call("timer/stop", &[("run_id", &run)]).await.status,
            StatusCode::FORBIDDEN
        );
        let admin = app.logged_in("admin").await;
        let report = admin.call("timer/report", &[]).await;
        assert_eq!(report.body["live"].as_array().unwrap().len(), 1);
        accepted(&admin.call("timer/stop", &[("run_id", &run)]).await);
        assert_eq!(
            common::count(
                &app.db,
                "SELECT COUNT(*) FROM timer_runs WHERE ended_ms IS NULL"
            )
            .await,
            0
        );
        assert_eq!(
            common::count(
                &app.db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'timer.admin_stopped'"
            )
            .await,
            1
        );
    }
);

// 9. A live stream must end when its access does.
on_both_backends!(
    live_streams_end_with_the_access_they_were_opened_with,
    |app: TestApp| async move {
        let wait = std::time::Duration::from_secs(5);
        // A student logs out in another tab: the open stream ends; a classmate's stays.
        let student = app.logged_in("student").await;
        let mut mine = student.events("/live/timer").await.expect("stream");
        assert!(mine.next(wait).await.is_some(), "the first event");
        let (classmate,): (String,) = sqlx::query_as(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             JOIN classes c ON c.id = e.class_id WHERE c.name = '5А' AND u.login <> 'student'
             ORDER BY u.id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let classmate = app.logged_in(&classmate).await;
        let mut theirs = classmate.events("/live/timer").await.expect("stream");
        assert!(theirs.next(wait).await.is_some());
        accepted(&student.call("logout", &[]).await);
        assert!(
            mine.ends_within(wait).await,
            "the stream outlived the logout"
        );
        assert!(!theirs.ends_within(std::time::Duration::from_secs(1)).await);

        // A parent unlinked from their child stops following the child's class.
        let parent = app.logged_in("parent").await;
        let class_5a = common::class_id(&app, "5А").await;
        let mut follows = parent
            .events(&format!("/live/timer?class={class_5a}"))
            .await
            .expect("stream");
        assert!(follows.next(wait).await.is_some());
        let admin = app.logged_in("admin").await;
        let (parent_id, child) = (
            user_id(&app, "parent").await.to_string(),
            user_id(&app, "student").await.to_string(),
        );
        accepted(
            &admin
                .call(
                    "admin/unlink_parent",
                    &[("parent_id", &parent_id), ("student_id", &child)],
                )
                .await,
        );
        assert!(
            follows.ends_within(wait).await,
            "an unlinked parent still follows"
        );

        // An organiser whose role is taken away loses the scoreboard.
        let organiser = app.logged_in("organiser").await;
        let mut board = organiser.events("/live/contest").await.expect("stream");
        assert!(board.next(wait).await.is_some());
        let organiser_id = user_id(&app, "organiser").await.to_string();
        accepted(
            &admin
                .call(
                    "admin/set_role",
                    &[
                        ("id", &organiser_id),
                        ("role", "organiser"),
                        ("granted", "false"),
                    ],
                )
                .await,
        );
        assert!(
            board.ends_within(wait).await,
            "the scoreboard outlived the role"
        );
        assert!(!theirs.ends_within(std::time::Duration::from_secs(1)).await);
    }
);

// 11. An empty production database gets no demo school, but a first admin with a fresh password.
#[tokio::test]
async fn a_plain_start_on_an_empty_database_has_no_demo_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("prod.db").display());
    let mut sabak = std::process::Command::new(env!("CARGO_BIN_EXE_sabak"))
        .args(["--database-url", &url, "--data-dir"])
        .arg(dir.path())
        .args(["--addr", "127.0.0.1:0"])
        .env_remove("SABAK_DEMO")
        .env_remove("SABAK_CLOCK_START")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start sabak");
    use std::io::BufRead;
    let mut out = std::io::BufReader::new(sabak.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.contains("Sabak is running") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
    }
    let _ = sabak.kill();
    let _ = sabak.wait();
    let password = printed
        .split("Password: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no first password printed: {printed}"));
    assert_eq!(password.len(), 16);
    assert_ne!(password, PASSWORD);
    assert!(
        !printed.contains(PASSWORD),
        "demo logins printed: {printed}"
    );
    let db = app::db::Db::connect(&url).await.unwrap();
    let users: Vec<(String,)> = sqlx::query_as("SELECT login FROM users")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(users, vec![("admin".to_string(),)], "only the first admin");
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(app::accounts::store::verify_password(password, &hash));
    assert!(!app::accounts::store::verify_password(PASSWORD, &hash));
}

// 11. Cookies set on a page reached over HTTPS are Secure.
on_both_backends!(cookies_over_https_are_secure, |app: TestApp| async move {
    let proxied = common::replica_with(&app, &["--trust-proxy", "true"]).await;
    let visitor = proxied.visitor();
    let answer = visitor
        .client
        .post(format!("{}/api/login", visitor.base))
        .header("accept", "text/html")
        .header("x-forwarded-proto", "https")
        .form(&[("login", "student"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(!cookies.is_empty());
    assert!(
        cookies
            .iter()
            .all(|c| c.to_ascii_lowercase().contains("; secure")),
        "{cookies:?}"
    );
    // Over plain HTTP (a developer's machine) they stay as they were.
    let plain = app.visitor().login("student", PASSWORD).await;
    assert!(plain
        .set_cookie
        .iter()
        .all(|c| !c.to_ascii_lowercase().contains("secure")));
});

// 12. What an admin takes away is gone at once.
on_both_backends!(
    unlinking_resetting_and_revoking_take_effect_at_once,
    |app: TestApp| async move {
        // A notice about the demo parent's 5А child, then the parent is unlinked from the child.
        let teacher = app.logged_in("teacher").await;
        let child = user_id(&app, "student").await;
        let pick = format!("pick[{child}]");
        let part = format!("summary[{child}]");
        accepted(
            &teacher
                .call(
                    "notices/send",
                    &[
                        ("subject", "Бектур жөнүндө"),
                        ("body", "Урматтуу ата-эне!"),
                        ("audience", "chosen"),
                        (pick.as_str(), "1"),
                        ("with_summary", "1"),
                        (part.as_str(), "Бектур кечигип жатат."),
                    ],
                )
                .await,
        );
        let parent = app.logged_in("parent").await;
        let seen = parent.call("notices/page", &[]).await.text;
        assert!(seen.contains("Бектур кечигип жатат."), "{seen}");
        let admin = app.logged_in("admin").await;
        let parent_id = user_id(&app, "parent").await.to_string();
        accepted(
            &admin
                .call(
                    "admin/unlink_parent",
                    &[
                        ("parent_id", &parent_id),
                        ("student_id", &child.to_string()),
                    ],
                )
                .await,
        );
        let seen = parent.call("notices/page", &[]).await.text;
        assert!(
            !seen.contains("Бектур кечигип жатат."),
            "an unlinked parent still reads it"
        );

        // An admin's password reset logs the person out everywhere.
        let phone = app.logged_in("teacher018").await;
        let id = user_id(&app, "teacher018").await.to_string();
        let (full_name,): (String,) =
            sqlx::query_as("SELECT full_name FROM users WHERE login = 'teacher018'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        accepted(
            &admin
                .call(
                    "admin/update_user",
                    &[
                        ("id", &id),
                        ("full_name", &full_name),
                        ("email", ""),
                        ("phone", ""),
                        ("new_password", "jany-parol-2026"),
                    ],
                )
                .await,
        );
        assert_eq!(
            phone.me().await,
            Value::Null,
            "the old session survived the reset"
        );

        // Revoking the teacher role ends the class-teacher powers over 5А.
        let teacher_id = user_id(&app, "teacher").await.to_string();
        accepted(
            &admin
                .call(
                    "admin/set_role",
                    &[
                        ("id", &teacher_id),
                        ("role", "teacher"),
                        ("granted", "false"),
                    ],
                )
                .await,
        );
        let page = teacher.call("notices/page", &[]).await;
        assert!(
            page.body["teacher"].is_null(),
            "class-teacher powers survived the role: {}",
            page.text
        );
    }
);

// 12. Checks and writes that parallel requests could interleave.
on_both_backends!(
    parallel_requests_cannot_pass_the_limits,
    |app: TestApp| async move {
        use std::sync::Arc;
        // Twenty taps on "new calendar address" at once leave one live address.
        let student = Arc::new(app.logged_in("student").await);
        let taps: Vec<_> = (0..20)
            .map(|_| {
                let student = student.clone();
                tokio::spawn(async move { student.call("timetable/feed", &[("whose", "")]).await })
            })
            .collect();
        for tap in taps {
            tap.await.unwrap();
        }
        let me = user_id(&app, "student").await;
        let (live,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(me)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(live, 1, "live calendar addresses");

        // Thirty uploads at once to one lesson date keep to ten materials.
        let (lesson, teacher_login): (i64, String) = sqlx::query_as(
            "SELECT l.id, u.login FROM lessons l JOIN users u ON u.id = l.teacher_id
             JOIN classes c ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 2
             ORDER BY l.period LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let teacher = Arc::new(app.logged_in(&teacher_login).await);
        let date = iso_date(app::db::today());
        let uploads: Vec<_> = (0..30)
            .map(|i| {
                let (teacher, date) = (teacher.clone(), date.clone());
                tokio::spawn(async move {
                    let file = reqwest::multipart::Part::bytes(b"%PDF-1.7\n%test\n".to_vec())
                        .file_name(format!("plan-{i}.pdf"));
                    let form = reqwest::multipart::Form::new()
                        .text("lesson_id", lesson.to_string())
                        .text("date", date)
                        .part("file", file);
                    teacher
                        .client
                        .post(format!("{}/materials/upload", teacher.base))
                        .header("accept", "application/json")
                        .multipart(form)
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        for upload in uploads {
            upload.await.unwrap();
        }
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lesson_materials").await,
            app::timetable::materials::MATERIALS_PER_LESSON,
        );

        // Eight appointments at once to a council with one seat left fill that one seat.
        let (nomination,): (i64,) =
            sqlx::query_as("SELECT id FROM contest_nominations WHERE position = 1")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let seated = common::count(
            &app.db,
            &format!("SELECT COUNT(*) FROM contest_experts WHERE nomination_id = {nomination}"),
        )
        .await;
        sqlx::query("UPDATE contest_editions SET experts_per_nomination = $1")
            .bind(seated + 1)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let organiser = Arc::new(app.logged_in("organiser").await);
        let appointments: Vec<_> = (10..18)
            .map(|n| {
                let organiser = organiser.clone();
                tokio::spawn(async move {
                    let login = format!("teacher{n:03}");
                    let nomination = nomination.to_string();
                    organiser
                        .call(
                            "contest/appoint",
                            &[
                                ("nomination_id", nomination.as_str()),
                                ("login", login.as_str()),
                                ("department", "Математика кафедрасы"),
                            ],
                        )
                        .await
                        .status
                })
            })
            .collect();
        let mut seated_now = 0;
        for appointment in appointments {
            if appointment.await.unwrap().is_success() {
                seated_now += 1;
            }
        }
        assert_eq!(seated_now, 1, "appointments that went through");
        assert_eq!(
            common::count(
                &app.db,
                &format!("SELECT COUNT(*) FROM contest_experts WHERE nomination_id = {nomination}"),
            )
            .await,
            seated + 1
        );
    }
);
