//! The other schedules through the real HTTP stack, on SQLite and PostgreSQL: admins add TV
//! lessons, duty shifts and methodical days (bad input refused, nothing added); everyone signed
//! in reads them; a student sees the TV lessons of their grade only.

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, refused, user_id, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;

fn day(offset: i64) -> String {
    app::timetable::rules::iso_date(app::db::today() + offset)
}

async fn page(v: &Visitor) -> Value {
    let answer = v.call("schedules/page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

async fn add_tv(v: &Visitor, date: &str, grades: (&str, &str), subject: &str) -> common::Answer {
    v.call(
        "schedules/add_tv",
        &[
            ("channel", "ЭлТР"),
            ("date", date),
            ("starts", "10:00"),
            ("ends", "10:30"),
            ("grade_from", grades.0),
            ("grade_to", grades.1),
            ("subject", subject),
            ("topic", "Бөлчөктөр"),
        ],
    )
    .await
}

on_both_backends!(
    admins_keep_the_other_schedules_and_everyone_reads_them,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let tv = || common::count(&app.db, "SELECT COUNT(*) FROM tv_lessons");
        let before = tv().await;
        // Refusals change nothing.
        refused(
            &add_tv(&admin, "31.11.2026", ("5", "9"), "Математика").await,
            Field::Date,
            Reason::BadFormat,
        );
        refused(
            &add_tv(&admin, &day(1), ("9", "5"), "Математика").await,
            Field::Grade,
            Reason::OutOfRange,
        );
        refused(
            &add_tv(&admin, &day(1), ("5", "9"), " ").await,
            Field::Lesson,
            Reason::Empty,
        );
        let late = admin
            .call(
                "schedules/add_tv",
                &[
                    ("channel", "ЭлТР"),
                    ("date", &day(1)),
                    ("starts", "11:00"),
                    ("ends", "10:00"),
                    ("grade_from", "5"),
                    ("grade_to", "9"),
                    ("subject", "Тарых"),
                    ("topic", ""),
                ],
            )
            .await;
        refused(&late, Field::Time, Reason::OutOfRange);
        assert_eq!(tv().await, before);

        // Two TV lessons tomorrow (grades 5-9 and 1-4) and one last week (not shown any more).
        accepted(&add_tv(&admin, &day(1), ("5", "9"), "Математика").await);
        accepted(&add_tv(&admin, &day(1), ("1", "4"), "Окуу").await);
        accepted(&add_tv(&admin, &day(-7), ("5", "9"), "Тарых").await);
        let teacher = user_id(&app, "teacher").await.to_string();
        accepted(
            &admin
                .call(
                    "schedules/add_duty",
                    &[
                        ("weekday", "0"),
                        ("person_id", &teacher),
                        ("starts", "08:00"),
                        ("ends", "17:00"),
                    ],
                )
                .await,
        );
        let nobody = admin
            .call(
                "schedules/add_duty",
                &[
                    ("weekday", "0"),
                    ("person_id", "999999"),
                    ("starts", "08:00"),
                    ("ends", "17:00"),
                ],
            )
            .await;
        refused(&nobody, Field::Person, Reason::UnknownUser);
        let student_id = user_id(&app, "student").await.to_string();
        let student_on_duty = admin
            .call(
                "schedules/add_duty",
                &[
                    ("weekday", "0"),
                    ("person_id", &student_id),
                    ("starts", "08:00"),
                    ("ends", "17:00"),
                ],
            )
            .await;
        refused(&student_on_duty, Field::Person, Reason::UnknownUser);
        accepted(
            &admin
                .call(
                    "schedules/add_methodical",
                    &[
                        ("association", "Табигый илимдер"),
                        ("weekday", "2"),
                        ("starts", "09:00"),
                        ("ends", "15:00"),
                        ("room", "204"),
                    ],
                )
                .await,
        );
        let sunday = admin
            .call(
                "schedules/add_methodical",
                &[
                    ("association", "Тилдер"),
                    ("weekday", "6"),
                    ("starts", "09:00"),
                    ("ends", "15:00"),
                    ("room", ""),
                ],
            )
            .await;
        refused(&sunday, Field::Weekday, Reason::OutOfRange);

        // The student of 5А sees the grade 5-9 lesson only; a parent and a teacher see both.
        let student = app.logged_in("student").await;
        let seen = page(&student).await;
        let subjects = |p: &Value| -> Vec<String> {
            p["tv"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["subject"].as_str().unwrap().to_string())
                .collect()
        };
        let mine = subjects(&seen);
        assert!(
            mine.contains(&"Математика".to_string()) && !mine.contains(&"Окуу".to_string()),
            "{mine:?}"
        );
        assert!(
            !mine.contains(&"Тарых".to_string()),
            "last week's lesson is gone: {mine:?}"
        );
        assert_eq!(seen["can_edit"], false);
        assert!(seen["staff"].as_array().unwrap().is_empty());
        assert!(seen["duty"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["weekday"] == 0 && d["starts_min"] == 480));
        assert!(seen["methodical"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["association"] == "Табигый илимдер" && m["room"] == "204"));
        let parent = app.logged_in("parent").await;
        let all = subjects(&page(&parent).await);
        assert!(all.contains(&"Окуу".to_string()) && all.contains(&"Математика".to_string()));

        // Only admins add or remove; removing twice finds nothing.
        let t = app.logged_in("teacher").await;
        assert_eq!(
            app_error(&add_tv(&t, &day(1), ("5", "9"), "Физика").await),
            AppError::Forbidden
        );
        let id = page(&admin).await["tv"][0]["id"].to_string();
        accepted(
            &admin
                .call("schedules/remove", &[("kind", "tv"), ("id", &id)])
                .await,
        );
        assert_eq!(
            app_error(
                &admin
                    .call("schedules/remove", &[("kind", "tv"), ("id", &id)])
                    .await
            ),
            AppError::NotFound
        );
        refused(
            &admin
                .call("schedules/remove", &[("kind", "users"), ("id", &id)])
                .await,
            Field::Request,
            Reason::BadFormat,
        );
    }
);
