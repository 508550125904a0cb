//! Secret calendar (iCal) addresses through the real HTTP stack, on SQLite and PostgreSQL: the
//! feed is a valid calendar in Bishkek time with the week's link, a new address turns the old
//! one off, turning off works, and an address stops when its owner loses the timetable.

mod common;

use app::error::AppError;
use common::{accepted, app_error, calendar_events, class_id, user_id, TestApp, Visitor};
use icalendar::Component;
use reqwest::StatusCode;

async fn feed_of(v: &Visitor, whose: &str) -> Option<String> {
    let week = v
        .call("timetable/week", &[("whose", whose), ("week_of", "")])
        .await;
    assert_eq!(week.status, StatusCode::OK, "{}", week.text);
    week.body["feed"].as_str().map(str::to_string)
}

/// The feed at an absolute address, fetched without any session (as a calendar app does).
async fn fetch(url: &str) -> (StatusCode, Option<String>, String) {
    let answer = reqwest::get(url).await.unwrap();
    let kind = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (answer.status(), kind, answer.text().await.unwrap())
}

on_both_backends!(
    calendar_addresses_serve_valid_feeds_and_can_be_replaced_and_turned_off,
    |app: TestApp| async move {
        let student = app.logged_in("student").await;
        assert_eq!(feed_of(&student, "").await, None);
        accepted(&student.call("timetable/feed", &[("whose", "")]).await);
        let url = feed_of(&student, "").await.expect("an address");
        assert!(url.starts_with(&format!("{}/ical/", app.base)), "{url}");

        // The teacher gives this week's link for a 5А lesson: the feed carries it.
        let (lesson, weekday, login): (i64, i64, String) = sqlx::query_as(
            "SELECT l.id, l.weekday, u.login FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE l.class_id = $1 ORDER BY l.weekday DESC, l.period LIMIT 1",
        )
        .bind(class_id(&app, "5А").await)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let today = app::db::today();
        let date =
            app::timetable::rules::iso_date(app::timetable::rules::monday_of(today) + weekday);
        let teacher = app.logged_in(&login).await;
        accepted(
            &teacher
                .call(
                    "timetable/occurrence",
                    &[
                        ("lesson_id", &lesson.to_string()),
                        ("date", &date),
                        ("link", "https://meet.jit.si/sabak-5a"),
                        ("topic", "Бөлчөктөр"),
                    ],
                )
                .await,
        );

        let (status, kind, text) = fetch(&url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind.as_deref(), Some("text/calendar; charset=utf-8"));
        let events = calendar_events(&text);
        // The current quarter and the next (the last quarter alone near the year's end): at least
        // four teaching weeks of 5А's 25 lessons a week.
        assert!(events.len() >= 100, "{} events", events.len());
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Bishkek"));
        assert!(text.contains("DTSTART;TZID=Asia/Bishkek:"));
        let compact = date.replace('-', "");
        let with_link = events
            .iter()
            .find(|e| e.get_uid() == Some(&format!("lesson-{lesson}-{date}@sabak")))
            .expect("this week's occurrence");
        assert_eq!(with_link.get_url(), Some("https://meet.jit.si/sabak-5a"));
        assert!(with_link.get_description().unwrap().contains("Бөлчөктөр"));
        assert!(text.contains(&format!("DTSTART;TZID=Asia/Bishkek:{compact}T")));

        // A new address turns the old one off; turning off ends the new one.
        accepted(&student.call("timetable/feed", &[("whose", "")]).await);
        let renewed = feed_of(&student, "").await.unwrap();
        assert_ne!(renewed, url);
        assert_eq!(fetch(&url).await.0, StatusCode::NOT_FOUND);
        assert_eq!(fetch(&renewed).await.0, StatusCode::OK);
        accepted(
            &student
                .call("timetable/feed", &[("whose", ""), ("off", "1")])
                .await,
        );
        assert_eq!(feed_of(&student, "").await, None);
        assert_eq!(fetch(&renewed).await.0, StatusCode::NOT_FOUND);
        // Guessing is hopeless and malformed tokens are simply not found.
        assert_eq!(
            fetch(&format!("{}/ical/{}.ics", app.base, "0".repeat(48)))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            fetch(&format!("{}/ical/..%2F..%2Fetc.ics", app.base))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // A teacher's own feed names the class in each event.
        accepted(&teacher.call("timetable/feed", &[("whose", "")]).await);
        let own = feed_of(&teacher, "").await.unwrap();
        let (_, _, text) = fetch(&own).await;
        assert!(text.contains("· 5А"), "the teacher's events name the class");

        // A parent subscribes to their child's class; not to another family's child.
        let parent = app.logged_in("parent").await;
        let child = user_id(&app, "student").await;
        accepted(
            &parent
                .call("timetable/feed", &[("whose", &format!("child:{child}"))])
                .await,
        );
        let parents = feed_of(&parent, &format!("child:{child}")).await.unwrap();
        assert_eq!(fetch(&parents).await.0, StatusCode::OK);
        let stranger = user_id(&app, "student0200").await;
        assert_eq!(
            app_error(
                &parent
                    .call("timetable/feed", &[("whose", &format!("child:{stranger}"))])
                    .await
            ),
            AppError::Forbidden
        );

        // A student moved to another class loses the old class's address.
        accepted(&student.call("timetable/feed", &[("whose", "")]).await);
        let before_move = feed_of(&student, "").await.unwrap();
        sqlx::query("UPDATE enrolments SET class_id = $1 WHERE student_id = $2")
            .bind(class_id(&app, "5Б").await)
            .bind(child)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(fetch(&before_move).await.0, StatusCode::NOT_FOUND);
    }
);
