//! Quarters and semesters through the real HTTP stack, on SQLite and PostgreSQL: an admin sets
//! them (every wrong date refused, nothing saved then), lessons stop in the holidays for the
//! school classes only, pages say which term or holiday it is, the calendar feed follows, and
//! cancelled or moved lessons show in the feed.

mod common;

use app::error::{AppError, Field, Reason};
use app::timetable::rules::{iso_date, monday_of};
use app::timetable::terms::TermProblem;
use common::{accepted, app_error, calendar_events, class_id, refused, TestApp, Visitor};
use icalendar::Component;
use reqwest::StatusCode;
use serde_json::Value;

/// The four quarters' fields, `None` for an empty one.
fn quarters(dates: Quarters) -> Vec<(String, String)> {
    let mut form = vec![("kind".to_string(), "quarter".to_string())];
    for (i, (starts, ends)) in dates.iter().enumerate() {
        form.push((
            format!("starts{}", i + 1),
            starts.map(iso_date).unwrap_or_default(),
        ));
        form.push((
            format!("ends{}", i + 1),
            ends.map(iso_date).unwrap_or_default(),
        ));
    }
    form
}

async fn save(v: &Visitor, form: &[(String, String)]) -> common::Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.call("timetable/save_terms", &pairs).await
}

async fn week(v: &Visitor, whose: &str, week_of: i64) -> Value {
    let answer = v
        .call(
            "timetable/week",
            &[("whose", whose), ("week_of", &iso_date(week_of))],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

fn lesson_count(week: &Value) -> usize {
    week["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["lessons"].as_array().unwrap().len())
        .sum()
}

/// Moves the school year's start ten weeks back (room for four quarters around today, whatever
/// day the suite runs on) and gives quarters that make next week a holiday: the
/// second ends this Saturday, the third starts the Monday after next. Returns (year start,
/// the quarters).
async fn holiday_next_week(app: &TestApp, monday: i64) -> (i64, Quarters) {
    let year_start = monday - 70;
    sqlx::query("UPDATE school_calendar SET year_start = $1")
        .bind(iso_date(year_start))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let good = [
        (Some(year_start), Some(year_start + 20)),
        (Some(year_start + 28), Some(monday + 5)),
        (Some(monday + 14), Some(monday + 60)),
        (Some(monday + 70), Some(monday + 200)),
    ];
    (year_start, good)
}

type Quarters = [(Option<i64>, Option<i64>); 4];

fn all_holiday(week: &Value) -> bool {
    week["days"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["holiday"] == true)
}

on_both_backends!(
    quarters_make_holidays_for_school_classes_and_every_wrong_date_is_refused,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let monday = monday_of(app::db::today());
        let (year_start, good) = holiday_next_week(&app, monday).await;
        let before = admin.call("timetable/terms", &[]).await.body;

        // Every wrong date is refused with the term and the reason, and nothing changes.
        let problem = |number: u8, problem: TermProblem| Reason::Term { number, problem };
        let mut missing = good;
        missing[2].1 = None;
        let mut backwards = good;
        backwards[1] = (Some(monday + 5), Some(monday));
        let mut overlapping = good;
        overlapping[3].0 = Some(monday + 60);
        let mut outside = good;
        outside[0].0 = Some(year_start - 1);
        for (dates, reason) in [
            (missing, problem(3, TermProblem::Missing)),
            (backwards, problem(2, TermProblem::EndsBeforeStart)),
            (overlapping, problem(4, TermProblem::Overlaps)),
            (outside, problem(1, TermProblem::OutsideYear)),
        ] {
            refused(&save(&admin, &quarters(dates)).await, Field::Term, reason);
        }
        let mut not_a_date = quarters(good);
        not_a_date[3].1 = "2026-02-30".into();
        refused(
            &save(&admin, &not_a_date).await,
            Field::Term,
            problem(2, TermProblem::Missing),
        );
        let mut bad_kind = quarters(good);
        bad_kind[0].1 = "trimester".into();
        refused(
            &save(&admin, &bad_kind).await,
            Field::Term,
            Reason::BadFormat,
        );
        assert_eq!(admin.call("timetable/terms", &[]).await.body, before);

        // Only admins set or read terms.
        let teacher = app.logged_in("teacher").await;
        assert_eq!(
            app_error(&save(&teacher, &quarters(good)).await),
            AppError::Forbidden
        );
        assert_eq!(
            app_error(&teacher.call("timetable/terms", &[]).await),
            AppError::Forbidden
        );

        accepted(&save(&admin, &quarters(good)).await);
        let saved = admin.call("timetable/terms", &[]).await.body;
        let starts: Vec<i64> = saved["terms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "Quarter")
            .map(|t| t["starts"].as_i64().unwrap())
            .collect();
        assert_eq!(starts, good.map(|(s, _)| s.unwrap()).to_vec());

        // The student (5А): this week is the second quarter; next week a holiday with no lessons.
        let student = app.logged_in("student").await;
        let this_week = week(&student, "", monday).await;
        assert!(lesson_count(&this_week) > 20);
        assert_eq!(this_week["term"]["Term"]["number"], 2);
        assert_eq!(this_week["term"]["Term"]["kind"], "Quarter");
        let holiday = week(&student, "", monday + 7).await;
        assert_eq!(lesson_count(&holiday), 0);
        assert!(all_holiday(&holiday));
        let resumes = &holiday["term"]["Holiday"]["resumes"];
        let (y, m, d) = app::timetable::rules::civil_from_days(monday + 14);
        assert_eq!(
            (
                resumes["year"].as_i64(),
                resumes["month"].as_u64(),
                resumes["day"].as_u64()
            ),
            (Some(y), Some(m as u64), Some(d as u64))
        );
        assert!(lesson_count(&week(&student, "", monday + 14).await) > 20);

        // University groups follow their semesters: next week is taught.
        let group: (String,) = sqlx::query_as(
            "SELECT c.name FROM classes c WHERE c.kind = 'group'
             AND EXISTS (SELECT 1 FROM lessons l WHERE l.class_id = c.id) ORDER BY c.id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let group_id = class_id(&app, &group.0).await;
        let group_week = week(&admin, &format!("class:{group_id}"), monday + 7).await;
        assert!(lesson_count(&group_week) > 0, "{group_week}");
        assert!(!all_holiday(&group_week));

        // A teacher cannot give a link for a 5А lesson in the holiday.
        let (lesson, weekday, login): (i64, i64, String) = sqlx::query_as(
            "SELECT l.id, l.weekday, u.login FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE l.class_id = $1 ORDER BY l.weekday, l.period LIMIT 1",
        )
        .bind(class_id(&app, "5А").await)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let its_teacher = app.logged_in(&login).await;
        let link = |date: i64| {
            vec![
                ("lesson_id", lesson.to_string()),
                ("date", iso_date(date)),
                ("link", "https://meet.jit.si/sabak-terms".to_string()),
                ("topic", String::new()),
            ]
        };
        let holiday_link = link(monday + 7 + weekday);
        let pairs: Vec<(&str, &str)> = holiday_link.iter().map(|(k, v)| (*k, v.as_str())).collect();
        refused(
            &its_teacher.call("timetable/occurrence", &pairs).await,
            Field::Date,
            Reason::NotThatDay,
        );

        // Clearing the quarters (all fields empty) teaches every week again.
        accepted(&save(&admin, &quarters([(None, None); 4])).await);
        assert!(lesson_count(&week(&student, "", monday + 7).await) > 20);
        assert_eq!(week(&student, "", monday + 7).await["term"], Value::Null);
    }
);

on_both_backends!(
    the_calendar_feed_covers_the_term_skips_holidays_and_shows_changes,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let monday = monday_of(app::db::today());
        let (year_start, good) = holiday_next_week(&app, monday).await;
        let q3_end = good[2].1.unwrap();
        accepted(&save(&admin, &quarters(good)).await);
        // A 5А lesson on Friday is cancelled; the feed keeps it, marked cancelled.
        let class = class_id(&app, "5А").await;
        let (lesson,): (i64,) = sqlx::query_as(
            "SELECT id FROM lessons WHERE class_id = $1 AND weekday = 4 ORDER BY period LIMIT 1",
        )
        .bind(class)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let friday = iso_date(monday + 4);
        accepted(
            &admin
                .call(
                    "timetable/change",
                    &[
                        ("lesson_id", &lesson.to_string()),
                        ("date", &friday),
                        ("kind", "cancelled"),
                        ("substitute_id", ""),
                        ("moved_to", ""),
                        ("note", "Мугалим ооруп калды"),
                    ],
                )
                .await,
        );

        let student = app.logged_in("student").await;
        accepted(&student.call("timetable/feed", &[("whose", "")]).await);
        let url = week(&student, "", monday).await["feed"]
            .as_str()
            .unwrap()
            .to_string();
        let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
        let events = calendar_events(&text);
        // Each event's uid is "lesson-<id>-<date>@sabak".
        let day_of = |e: &icalendar::Event| -> String {
            let uid = e.get_uid().unwrap().trim_end_matches("@sabak");
            uid[uid.len() - 10..].to_string()
        };
        let days: std::collections::BTreeSet<String> = events.iter().map(day_of).collect();
        // From the second quarter's start to the third's end, none in the holiday week.
        let first = days.first().unwrap();
        assert!(first >= &iso_date(year_start + 28), "{first}");
        assert!(first <= &iso_date(year_start + 35), "{first}");
        assert!(
            days.last().unwrap() <= &iso_date(q3_end),
            "{:?}",
            days.last()
        );
        assert!(
            days.last().unwrap() >= &iso_date(q3_end - 7),
            "{:?}",
            days.last()
        );
        for day in monday + 7..monday + 14 {
            assert!(
                !days.contains(&iso_date(day)),
                "an event in the holiday on {}",
                iso_date(day)
            );
        }
        let cancelled = events
            .iter()
            .find(|e| e.get_uid() == Some(&format!("lesson-{lesson}-{friday}@sabak")))
            .expect("the cancelled lesson is in the feed");
        assert_eq!(
            cancelled.get_status(),
            Some(icalendar::EventStatus::Cancelled)
        );
        assert!(cancelled
            .get_description()
            .unwrap_or_default()
            .contains("Мугалим ооруп калды"));
        let others_cancelled = events
            .iter()
            .filter(|e| e.get_status() == Some(icalendar::EventStatus::Cancelled))
            .count();
        assert_eq!(others_cancelled, 1);
    }
);

on_both_backends!(
    a_new_school_year_leaves_the_old_terms_behind,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let before = admin.call("timetable/terms", &[]).await.body;
        let old_start = before["year_start_day"].as_i64().unwrap();
        assert_eq!(before["terms"].as_array().unwrap().len(), 6, "{before}");

        // Not a date, or not an admin: refused, nothing changes.
        refused(
            &admin
                .call("timetable/save_year_start", &[("year_start", "2027-02-30")])
                .await,
            Field::Date,
            Reason::BadFormat,
        );
        let teacher = app.logged_in("teacher").await;
        let next_year = iso_date(old_start + 365);
        assert_eq!(
            app_error(
                &teacher
                    .call("timetable/save_year_start", &[("year_start", &next_year)])
                    .await
            ),
            AppError::Forbidden
        );
        assert_eq!(admin.call("timetable/terms", &[]).await.body, before);

        // A year later: the old quarters and semesters are gone, every week is taught again until
        // the new ones are set, and they can be set within the new year.
        accepted(
            &admin
                .call("timetable/save_year_start", &[("year_start", &next_year)])
                .await,
        );
        let after = admin.call("timetable/terms", &[]).await.body;
        assert_eq!(after["year_start_day"].as_i64(), Some(old_start + 365));
        assert_eq!(after["terms"], serde_json::json!([]));
        let start = old_start + 365;
        let semesters = [
            ("kind", "semester".to_string()),
            ("starts1", iso_date(start)),
            ("ends1", iso_date(start + 120)),
            ("starts2", iso_date(start + 150)),
            ("ends2", iso_date(start + 290)),
        ];
        let pairs: Vec<(&str, &str)> = semesters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        accepted(&admin.call("timetable/save_terms", &pairs).await);
        assert_eq!(
            admin.call("timetable/terms", &[]).await.body["terms"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
);
