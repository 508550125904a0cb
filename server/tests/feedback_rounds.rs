//! Feedback rounds (surveys) through the real HTTP stack, on SQLite and PostgreSQL: composing and
//! opening one (and every refusal changing nothing), students answering once per cycle, results
//! without names, the list of who has not answered, reminders, other classes and other teachers.

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, call_owned, refused, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;

fn day(offset: i64) -> String {
    app::timetable::rules::iso_date(app::db::today() + offset)
}

/// A round form: title, audience, dates, repetition and the three kinds of question.
fn form(audience: &str, opens: &str, closes: &str, repeat: &str) -> Vec<(String, String)> {
    [
        ("title", "Алыстан окуу кандай?"),
        ("audience", audience),
        ("opens_on", opens),
        ("closes_on", closes),
        ("repeat_days", repeat),
        ("kinds[0]", "rating"),
        ("prompts[0]", "Сабактар түшүнүктүүбү?"),
        ("choices[0]", ""),
        ("kinds[1]", "choice"),
        ("prompts[1]", "Эмне көбүрөөк жардам берет?"),
        ("choices[1]", "Видео\nТапшырма\nКонсультация"),
        ("kinds[2]", "text"),
        ("prompts[2]", "Сунушуңуз"),
        ("choices[2]", ""),
        ("kinds[3]", "text"),
        ("prompts[3]", ""),
        ("choices[3]", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn with(mut form: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    form.retain(|(k, _)| k != key);
    form.push((key.to_string(), value.to_string()));
    form
}

async fn rounds_page(v: &Visitor) -> Value {
    let answer = v.call("rounds/page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

async fn open_rounds(v: &Visitor) -> Vec<Value> {
    let answer = v.call("feedback/page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body["Student"]["rounds"].as_array().unwrap().clone()
}

/// The student's answers to a round's questions (rating, choice position, text).
async fn answer(v: &Visitor, round: &Value, values: [&str; 3]) -> common::Answer {
    let questions = round["questions"].as_array().unwrap();
    let mut form = vec![("round_id".to_string(), round["id"].to_string())];
    for (i, (q, value)) in questions.iter().zip(values).enumerate() {
        form.push((format!("questions[{i}]"), q["id"].to_string()));
        form.push((format!("answers[{i}]"), value.to_string()));
    }
    call_owned(v, "rounds/answer", &form).await
}

/// A student of 5А other than `student`, and a student of another class.
async fn other_students(app: &TestApp) -> (String, String) {
    let one = |sql: &'static str| async move {
        let (login,): (String,) = sqlx::query_as(sql).fetch_one(&app.db.pool).await.unwrap();
        login
    };
    (
        one(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             JOIN classes c ON c.id = e.class_id
             WHERE c.name = '5А' AND u.login <> 'student' ORDER BY u.id LIMIT 1",
        )
        .await,
        one(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             JOIN classes c ON c.id = e.class_id WHERE c.name <> '5А' ORDER BY u.id LIMIT 1",
        )
        .await,
    )
}

on_both_backends!(
    a_teacher_opens_a_round_students_answer_and_the_missing_are_reminded,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let class_5a = common::class_id(&app, "5А").await.to_string();
        let page = rounds_page(&teacher).await;
        assert_eq!(page["school_wide"], false);
        let classes = page["classes"].as_array().unwrap();
        assert!(classes.iter().any(|c| c[1] == "5А"), "{classes:?}");
        let untaught = common::count(
            &app.db,
            "SELECT c.id FROM classes c WHERE NOT EXISTS (SELECT 1 FROM lessons l JOIN users u
               ON u.id = l.teacher_id WHERE l.class_id = c.id AND u.login = 'teacher')
               AND (c.class_teacher_id IS NULL
                    OR c.class_teacher_id <> (SELECT id FROM users WHERE login = 'teacher'))
             ORDER BY c.id LIMIT 1",
        )
        .await
        .to_string();
        let good = form(&class_5a, &day(0), &day(4), "14");

        // Every refusal says why and creates nothing.
        let refusals = [
            (
                with(good.clone(), "closes_on", &day(-1)),
                Field::Date,
                Reason::OutOfRange,
            ),
            (
                with(good.clone(), "opens_on", "31.11.2026"),
                Field::Date,
                Reason::BadFormat,
            ),
            (
                with(good.clone(), "repeat_days", "3"),
                Field::Repeat,
                Reason::OutOfRange,
            ),
            (
                with(good.clone(), "audience", "school"),
                Field::Class,
                Reason::UnknownClass,
            ),
            (
                with(good.clone(), "audience", &untaught),
                Field::Class,
                Reason::UnknownClass,
            ),
            (
                with(good.clone(), "title", "  "),
                Field::Title,
                Reason::Empty,
            ),
            (
                with(good.clone(), "choices[1]", "Видео\nВидео"),
                Field::Choices,
                Reason::TooShort,
            ),
            (
                with(good.clone(), "kinds[0]", "essay"),
                Field::Question,
                Reason::BadFormat,
            ),
            (
                with(
                    with(with(good.clone(), "prompts[0]", ""), "prompts[1]", ""),
                    "prompts[2]",
                    " ",
                ),
                Field::Question,
                Reason::Empty,
            ),
        ];
        for (bad, field, reason) in refusals {
            refused(
                &call_owned(&teacher, "rounds/create", &bad).await,
                field,
                reason,
            );
        }
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM feedback_rounds").await,
            0
        );

        accepted(&call_owned(&teacher, "rounds/create", &good).await);
        let roster = common::count(
            &app.db,
            "SELECT COUNT(*) FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.name = '5А'",
        )
        .await;
        let report = rounds_page(&teacher).await["rounds"][0].clone();
        assert_eq!(report["class_name"], "5А");
        assert_eq!(report["cycle"], 1);
        assert_eq!(report["open"], true);
        assert_eq!(report["expected"], roster);
        assert_eq!(report["responded"], 0);
        assert_eq!(report["missing"].as_array().unwrap().len() as i64, roster);

        // The student of 5А sees it and answers; bad answers are refused and change nothing.
        let student = app.logged_in("student").await;
        let rounds = open_rounds(&student).await;
        assert_eq!(rounds.len(), 1);
        let round = rounds[0].clone();
        assert!(round["mine"].is_null());
        assert_eq!(
            round["questions"][1]["choices"].as_array().unwrap().len(),
            3
        );
        refused(
            &answer(&student, &round, ["9", "0", ""]).await,
            Field::Rating,
            Reason::OutOfRange,
        );
        refused(
            &answer(&student, &round, ["4", "3", ""]).await,
            Field::Answer,
            Reason::OutOfRange,
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM round_responses").await,
            0
        );
        accepted(&answer(&student, &round, ["3", "0", "Көбүрөөк видео"]).await);
        // Answering again edits the one response of this cycle.
        accepted(&answer(&student, &round, ["4", "1", "Көбүрөөк видео керек"]).await);
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM round_responses").await,
            1
        );
        let mine = open_rounds(&student).await[0]["mine"].clone();
        assert_eq!(mine, serde_json::json!(["4", "1", "Көбүрөөк видео керек"]));

        // A student of another class neither sees nor answers it.
        let (classmate, outsider) = other_students(&app).await;
        let outsider = app.logged_in(&outsider).await;
        assert!(open_rounds(&outsider).await.is_empty());
        let answered = answer(&outsider, &round, ["5", "0", ""]).await;
        assert_eq!(app_error(&answered), AppError::NotFound);

        // The teacher sees the results without names, and who has not answered.
        // With one answer the results stay hidden: next to the "not answered" list they would
        // be that student's answers (the results themselves: `results_wait_for_five_answers`).
        let report = rounds_page(&teacher).await["rounds"][0].clone();
        assert_eq!(report["responded"], 1);
        assert_eq!(report["results"], serde_json::json!([]));
        assert!(!report.to_string().contains("Көбүрөөк видео"));
        let (author_name,): (String,) =
            sqlx::query_as("SELECT full_name FROM users WHERE login = 'student'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let raw = report.to_string();
        assert!(
            !raw.contains(&author_name),
            "the report names who answered: {raw}"
        );
        assert_eq!(
            report["missing"].as_array().unwrap().len() as i64,
            roster - 1
        );

        // Reminders go to those missing, once in 12 hours; another teacher cannot send them.
        let stranger = app.logged_in("teacher030").await;
        let id = report["id"].to_string();
        assert_eq!(
            app_error(&stranger.call("rounds/remind", &[("round_id", &id)]).await),
            AppError::NotFound
        );
        assert!(rounds_page(&stranger).await["rounds"]
            .as_array()
            .unwrap()
            .is_empty());
        accepted(&teacher.call("rounds/remind", &[("round_id", &id)]).await);
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM round_reminders").await,
            roster - 1
        );
        refused(
            &teacher.call("rounds/remind", &[("round_id", &id)]).await,
            Field::Feedback,
            Reason::TooSoon,
        );
        let classmate = app.logged_in(&classmate).await;
        assert_eq!(open_rounds(&classmate).await[0]["reminded"], true);
        assert_eq!(open_rounds(&student).await[0]["reminded"], false);

        // Stopped: students no longer see it, nor answer it; the results stay for the teacher.
        assert_eq!(
            app_error(&stranger.call("rounds/stop", &[("round_id", &id)]).await),
            AppError::NotFound
        );
        accepted(&teacher.call("rounds/stop", &[("round_id", &id)]).await);
        assert!(open_rounds(&classmate).await.is_empty());
        let late = answer(&classmate, &round, ["5", "0", ""]).await;
        assert_eq!(app_error(&late), AppError::NotFound);
        let report = rounds_page(&teacher).await["rounds"][0].clone();
        assert_eq!(
            (report["stopped"].clone(), report["responded"].clone()),
            (true.into(), 1.into())
        );
        // Closed with one answer: still no results (they would be that student's).
        assert_eq!(report["results"], serde_json::json!([]));
    }
);

on_both_backends!(
    an_admin_opens_a_school_round_that_waits_for_its_day,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let page = rounds_page(&admin).await;
        assert_eq!(page["school_wide"], true);
        accepted(
            &call_owned(
                &admin,
                "rounds/create",
                &form("school", &day(1), &day(3), ""),
            )
            .await,
        );
        let report = rounds_page(&admin).await["rounds"][0].clone();
        let students = common::count(&app.db, "SELECT COUNT(*) FROM enrolments e JOIN users u ON u.id = e.student_id WHERE u.active = 1").await;
        assert_eq!(report["expected"], students);
        assert!(report["cycle"].is_null());
        assert_eq!(report["open"], false);
        // Tomorrow's round is not shown yet, and an answer today is refused as too early.
        let student = app.logged_in("student").await;
        assert!(open_rounds(&student).await.is_empty());
        let (round_id,): (i64,) = sqlx::query_as("SELECT id FROM feedback_rounds")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let early = student
            .call(
                "rounds/answer",
                &[
                    ("round_id", &round_id.to_string()),
                    ("questions[0]", "1"),
                    ("answers[0]", "5"),
                ],
            )
            .await;
        refused(&early, Field::Feedback, Reason::NotYet);
        // Reminding before it opens is refused too; students and parents cannot manage rounds.
        refused(
            &admin
                .call("rounds/remind", &[("round_id", &round_id.to_string())])
                .await,
            Field::Feedback,
            Reason::WindowClosed,
        );
        for login in ["student", "parent"] {
            let v = app.logged_in(login).await;
            assert_eq!(
                app_error(&v.call("rounds/page", &[]).await),
                AppError::Forbidden
            );
        }
    }
);

on_both_backends!(
    results_wait_for_the_close_and_five_answers_and_hide_their_order,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let class_5a = common::class_id(&app, "5А").await.to_string();
        accepted(
            &call_owned(
                &teacher,
                "rounds/create",
                &form(&class_5a, &day(0), &day(4), "14"),
            )
            .await,
        );
        let logins: Vec<(String,)> = sqlx::query_as(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             JOIN classes c ON c.id = e.class_id WHERE c.name = '5А' ORDER BY u.id LIMIT 5",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        // Answered in the reverse of alphabetical order, one by one: while the round is open
        // the teacher learns nothing but who has answered (an average that moved with one
        // name would be that student's answer), even past five answers.
        let texts = ["Э", "Д", "В", "Б", "А"];
        for (i, ((login,), text)) in logins.iter().zip(texts).enumerate() {
            let student = app.logged_in(login).await;
            let round = open_rounds(&student).await[0].clone();
            accepted(&answer(&student, &round, ["5", "0", text]).await);
            let report = rounds_page(&teacher).await["rounds"][0].clone();
            assert_eq!(report["responded"], i as i64 + 1);
            assert_eq!(report["results"], serde_json::json!([]), "after {}", i + 1);
            assert!(report["results_cycle"].is_null());
        }
        // Closed (here: stopped), the five answers show at once.
        let id = rounds_page(&teacher).await["rounds"][0]["id"].to_string();
        accepted(&teacher.call("rounds/stop", &[("round_id", &id)]).await);
        let report = rounds_page(&teacher).await["rounds"][0].clone();
        assert_eq!(report["results_cycle"], 1);
        let results = &report["results"];
        assert_eq!(results[0]["rating_count"], 5);
        assert_eq!(results[0]["rating_sum"], 25);
        // Alphabetical, not the order of answering (which would match the missing list).
        assert_eq!(
            results[2]["texts"],
            serde_json::json!(["А", "Б", "В", "Д", "Э"])
        );
    }
);
