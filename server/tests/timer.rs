//! Lesson timers through the real HTTP stack, on SQLite and PostgreSQL: the grade cap, every
//! refusal, the live events, the compliance report, and two replicas sharing one PostgreSQL.
//! (The test servers' clock reads this week's Wednesday, 08:35: see `common::start_on_wednesday`.)

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, class_id, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

fn over_cap(cap: u16) -> AppError {
    AppError::invalid(Field::Minutes, Reason::OverCap { cap_min: cap })
}

/// `teacher`'s Wednesday lesson in `class` (from the demo timetable).
async fn wednesday_lesson(app: &TestApp, teacher: &str, class: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c ON c.id = l.class_id
         WHERE u.login = $1 AND c.name = $2 AND l.weekday = 2 ORDER BY l.period LIMIT 1",
    )
    .bind(teacher)
    .bind(class)
    .fetch_one(&app.db.pool)
    .await
    .unwrap_or_else(|_| panic!("{teacher} has no Wednesday lesson in {class}"));
    id
}

async fn start(v: &Visitor, lesson: i64, minutes: &str) -> common::Answer {
    v.call(
        "timer/start",
        &[("lesson_id", &lesson.to_string()), ("minutes", minutes)],
    )
    .await
}

/// The class's timer as `v` sees it on the page.
async fn class_timer(v: &Visitor, class: Option<i64>) -> Value {
    let class = class.map(|c| c.to_string());
    let args: Vec<(&str, &str)> = class.iter().map(|c| ("class_id", c.as_str())).collect();
    let answer = v.call("timer/page", &args).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body["Class"].clone()
}

async fn current_run_id(v: &Visitor) -> i64 {
    let timer = class_timer(v, None).await;
    timer["current"]["run_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no run: {timer}"))
}

on_both_backends!(
    a_grade_3_lesson_runs_within_25_minutes,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher018").await;
        let student = app.logged_in("student0078").await;
        let lesson = wednesday_lesson(&app, "teacher018", "3А").await;

        // The teacher's page lists today's 3А lesson with the grade's cap.
        let page = teacher.call("timer/page", &[]).await;
        let lessons = page.body["Teacher"]["lessons"].as_array().unwrap().clone();
        let card = lessons
            .iter()
            .find(|l| l["lesson_id"] == lesson)
            .expect("the 3А lesson is on today's list");
        assert_eq!(card["cap_min"], 25);

        // Longer than the cap, nothing, or nonsense: refused with the rule, nothing started.
        let refused = start(&teacher, lesson, "40").await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(app_error(&refused), over_cap(25));
        for bad in ["0", "-5", "twenty", ""] {
            let answer = start(&teacher, lesson, bad).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
        assert!(class_timer(&student, None).await["current"].is_null());

        // Within the cap: the student's page shows it counting.
        accepted(&start(&teacher, lesson, "20").await);
        let timer = class_timer(&student, None).await;
        let run = &timer["current"];
        assert_eq!(run["cap_min"], 25);
        assert_eq!(run["clock"]["planned_ms"], 20 * 60_000);
        let left = run["clock"]["planned_ms"].as_i64().unwrap()
            - (timer["server_now_ms"].as_i64().unwrap()
                - run["clock"]["started_ms"].as_i64().unwrap());
        assert!(left <= 20 * 60_000 && left > 19 * 60_000, "{left} ms left");
        let run_id = run["run_id"].as_i64().unwrap().to_string();

        // Pause, resume, extend up to the cap and no further, stop.
        accepted(&teacher.call("timer/pause", &[("run_id", &run_id)]).await);
        let paused = class_timer(&student, None).await;
        assert!(paused["current"]["clock"]["paused_at_ms"].is_i64());
        let again = teacher.call("timer/pause", &[("run_id", &run_id)]).await;
        assert_eq!(
            app_error(&again),
            AppError::invalid(Field::Timer, Reason::AlreadyPaused)
        );
        accepted(&teacher.call("timer/resume", &[("run_id", &run_id)]).await);
        let extend = |m: &'static str| {
            let run_id = run_id.clone();
            let teacher = &teacher;
            async move {
                teacher
                    .call("timer/extend", &[("run_id", &run_id), ("minutes", m)])
                    .await
            }
        };
        accepted(&extend("5").await);
        assert_eq!(app_error(&extend("1").await), over_cap(25));
        let timer = class_timer(&student, None).await;
        assert_eq!(timer["current"]["clock"]["planned_ms"], 25 * 60_000);
        assert_eq!(timer["current"]["pauses"], 1);
        accepted(&teacher.call("timer/stop", &[("run_id", &run_id)]).await);
        let ended = class_timer(&student, None).await;
        assert!(ended["current"]["clock"]["ended_ms"].is_i64());
        let stopped_again = teacher.call("timer/stop", &[("run_id", &run_id)]).await;
        assert_eq!(
            app_error(&stopped_again),
            AppError::invalid(Field::Timer, Reason::TimerEnded)
        );

        // Kept for the report: one run, within the cap.
        let (actual, over, pauses): (i64, i64, i64) =
            sqlx::query_as("SELECT actual_ms, over_cap_ms, pauses FROM timer_runs WHERE id = $1")
                .bind(run_id.parse::<i64>().unwrap())
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!((0..60_000).contains(&actual), "{actual}");
        assert_eq!((over, pauses), (0, 1));
        let admin = app.logged_in("admin").await;
        let report = admin.call("timer/report", &[]).await.body;
        let row = report["by_class"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "3А")
            .cloned()
            .expect("3А in the report");
        assert_eq!(
            (row["runs"].clone(), row["within_cap"].clone()),
            (1.into(), 1.into())
        );
    }
);

on_both_backends!(refusals_leave_nothing_behind, |app: TestApp| async move {
    let lesson = wednesday_lesson(&app, "teacher018", "3А").await;
    let class_3a = class_id(&app, "3А").await;

    // A student, another teacher, an admin may not start a teacher's lesson.
    for login in ["student0078", "teacher019", "admin", "parent"] {
        let v = app.logged_in(login).await;
        let answer = start(&v, lesson, "10").await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{login}");
    }
    assert_eq!(
        start(&app.visitor(), lesson, "10").await.status,
        StatusCode::UNAUTHORIZED
    );
    // A lesson that is not on today's timetable.
    let (monday,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE u.login = 'teacher018' AND l.weekday = 0 LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let teacher = app.logged_in("teacher018").await;
    assert_eq!(
        app_error(&start(&teacher, monday, "10").await),
        AppError::invalid(Field::Timer, Reason::NotToday)
    );
    let (runs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM timer_runs")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(runs, 0);

    // One class, one timer: the next teacher of 3А waits until it stops.
    accepted(&start(&teacher, lesson, "20").await);
    let next_teacher = app.logged_in("teacher023").await;
    let their_lesson = wednesday_lesson(&app, "teacher023", "3А").await;
    assert_eq!(
        app_error(&start(&next_teacher, their_lesson, "20").await),
        AppError::invalid(Field::Timer, Reason::TimerBusy)
    );
    // Nobody but its teacher controls a run (an admin may only stop one left going:
    // `security.rs`).
    let student = app.logged_in("student0078").await;
    let run_id = current_run_id(&student).await.to_string();
    for (login, endpoint) in [
        ("teacher023", "timer/pause"),
        ("teacher023", "timer/stop"),
        ("student0078", "timer/pause"),
        ("student0078", "timer/stop"),
        ("admin", "timer/pause"),
        ("admin", "timer/resume"),
    ] {
        let v = app.logged_in(login).await;
        let answer = v.call(endpoint, &[("run_id", &run_id)]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{login} {endpoint}");
    }
    // Another class's students and parents see nothing of 3А's timer.
    for login in ["student0001", "student", "parent"] {
        let v = app.logged_in(login).await;
        let answer = v
            .call("timer/page", &[("class_id", &class_3a.to_string())])
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{login}");
        assert_eq!(
            v.events(&format!("/live/timer?class={class_3a}"))
                .await
                .err(),
            Some(StatusCode::FORBIDDEN),
            "{login}"
        );
    }
    assert_eq!(
        app.visitor().events("/live/timer").await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );

    // Without JavaScript the refusal comes back to the form as a readable error.
    let plain = teacher
        .submit(
            "timer/start",
            &[("lesson_id", &lesson.to_string()), ("minutes", "40")],
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    let location = plain.location.unwrap();
    assert!(location.starts_with("/timer?error="), "{location}");
    assert_eq!(common::error_in_location(&location), Some(over_cap(25)));

    // Starting the next lesson ends the teacher's run left going in another class.
    let (other,): (i64,) = sqlx::query_as(
            "SELECT l.id FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c ON c.id = l.class_id
             WHERE u.login = 'teacher018' AND l.weekday = 2 AND c.name <> '3А' LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    accepted(&start(&teacher, other, "20").await);
    let ended = class_timer(&student, None).await;
    assert!(ended["current"]["clock"]["ended_ms"].is_i64(), "{ended}");
});

on_both_backends!(
    a_run_past_the_cap_is_logged_as_over,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher018").await;
        let lesson = wednesday_lesson(&app, "teacher018", "3А").await;
        accepted(&start(&teacher, lesson, "25").await);
        // As if it had started 31 minutes ago and nobody stopped it.
        sqlx::query("UPDATE timer_runs SET started_ms = started_ms - $1")
            .bind(31 * 60_000i64)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let student = app.logged_in("student0078").await;
        let run_id = current_run_id(&student).await;
        accepted(
            &teacher
                .call("timer/stop", &[("run_id", &run_id.to_string())])
                .await,
        );
        let (over,): (i64,) = sqlx::query_as("SELECT over_cap_ms FROM timer_runs WHERE id = $1")
            .bind(run_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!((6 * 60_000..7 * 60_000).contains(&over), "{over}");
        // The teacher's own report shows it; an admin sees the same row.
        let own = teacher.call("timer/report", &[]).await.body;
        let row = &own["by_teacher"][0];
        assert_eq!(
            (row["runs"].clone(), row["within_cap"].clone()),
            (1.into(), 0.into())
        );
        assert!(row["over_cap_seconds"].as_i64().unwrap() >= 360);
        assert!(own["settings"].is_null(), "only admins see the settings");
        // Another teacher's report does not include it.
        let other = app.logged_in("teacher019").await;
        let theirs = other.call("timer/report", &[]).await.body;
        assert_eq!(theirs["by_teacher"].as_array().unwrap().len(), 0);
    }
);

on_both_backends!(students_see_changes_live, |app: TestApp| async move {
    let teacher = app.logged_in("teacher018").await;
    let student = app.logged_in("student0078").await;
    let lesson = wednesday_lesson(&app, "teacher018", "3А").await;
    let mut events = student.events("/live/timer").await.expect("stream");
    let first = events
        .next(Duration::from_secs(5))
        .await
        .expect("first event");
    assert!(first["current"].is_null());
    assert_eq!(first["class_name"], "3А");

    accepted(&start(&teacher, lesson, "20").await);
    let started = events
        .next(Duration::from_secs(5))
        .await
        .expect("start event");
    assert_eq!(started["current"]["clock"]["planned_ms"], 20 * 60_000);
    let run_id = started["current"]["run_id"].as_i64().unwrap().to_string();

    let pressed = std::time::Instant::now();
    accepted(&teacher.call("timer/pause", &[("run_id", &run_id)]).await);
    let paused = events
        .next(Duration::from_secs(5))
        .await
        .expect("pause event");
    assert!(paused["current"]["clock"]["paused_at_ms"].is_i64());
    assert!(paused["current"]["version"].as_i64() > started["current"]["version"].as_i64());
    assert!(pressed.elapsed() < Duration::from_secs(5));

    // A teacher's second device follows the same class.
    let class_3a = class_id(&app, "3А").await;
    let mut second = teacher
        .events(&format!("/live/timer?class={class_3a}"))
        .await
        .expect("teacher stream");
    let now = second.next(Duration::from_secs(5)).await.unwrap();
    assert!(now["current"]["clock"]["paused_at_ms"].is_i64());
});

/// Two replicas on one PostgreSQL: the teacher presses on one, the student watches the other.
#[tokio::test]
async fn events_cross_replicas_on_postgres() {
    let Some(app) = common::spawn(common::Backend::Postgres).await else {
        return;
    };
    let other = common::replica(&app).await;
    let teacher = app.logged_in("teacher018").await;
    let student = other.logged_in("student0078").await;
    // The session made on the other replica is known on this one too (sessions live in the
    // database; the cookie jar sends the cookie to both, as a browser behind a proxy would).
    let same_student = common::Visitor {
        client: student.client.clone(),
        base: app.base.clone(),
    };
    assert_eq!(same_student.me().await["login"], "student0078");
    let lesson = wednesday_lesson(&app, "teacher018", "3А").await;
    let mut events = student.events("/live/timer").await.expect("stream");
    assert!(events.next(Duration::from_secs(5)).await.unwrap()["current"].is_null());
    // The replica's LISTEN connection may still be opening: give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    accepted(&start(&teacher, lesson, "20").await);
    let seen = events
        .next(Duration::from_secs(5))
        .await
        .expect("the start reaches the other replica");
    assert_eq!(seen["current"]["clock"]["planned_ms"], 20 * 60_000);
    let run_id = seen["current"]["run_id"].as_i64().unwrap().to_string();
    accepted(&teacher.call("timer/pause", &[("run_id", &run_id)]).await);
    let paused = events.next(Duration::from_secs(5)).await.unwrap();
    assert!(paused["current"]["clock"]["paused_at_ms"].is_i64());
}

on_both_backends!(
    admins_change_the_caps_within_reason,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let form = |cap_3_4: &'static str, groups: &'static str| {
            vec![
                ("cap_1_2", "20"),
                ("cap_3_4", cap_3_4),
                ("cap_5_6", "30"),
                ("cap_7_9", "30"),
                ("cap_10_11", "30"),
                ("cap_groups", groups),
                ("warn_first", "5"),
                ("warn_last", "1"),
            ]
        };
        for bad in ["", "0", "999", "x"] {
            let answer = admin.call("timer/settings", &form(bad, "")).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
        let teacher = app.logged_in("teacher018").await;
        assert_eq!(
            teacher.call("timer/settings", &form("20", "")).await.status,
            StatusCode::FORBIDDEN
        );
        accepted(&admin.call("timer/settings", &form("20", "90")).await);
        let lesson = wednesday_lesson(&app, "teacher018", "3А").await;
        assert_eq!(
            app_error(&start(&teacher, lesson, "25").await),
            over_cap(20)
        );
        let report = admin.call("timer/report", &[]).await.body;
        assert_eq!(report["settings"]["caps"][3], 20);
        assert_eq!(report["settings"]["caps"][0], 90);
    }
);
