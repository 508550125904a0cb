//! Feedback and attendance through the real HTTP stack, on SQLite and PostgreSQL: the feedback
//! window, one feedback per student per lesson, anonymity towards the teacher (while the author
//! still gets the answer), the answer, the shares, and attendance marks.
//! (The server's clock reads this week's Wednesday, 08:35: Monday's and Tuesday's lessons ended.)

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, file, post_form, refused, user_id, Answer, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;

async fn page(v: &Visitor) -> Value {
    let answer = v.call("feedback/page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

async fn give(v: &Visitor, lesson: &str, date: &str, rating: &str, anonymous: bool) -> Answer {
    let mut form = vec![
        ("lesson_id", lesson),
        ("date", date),
        ("rating", rating),
        ("clear_text", "Бөлчөктөрдү кошуу"),
        ("unclear_text", "Үй тапшырмасы"),
        ("comment", "Рахмат!"),
    ];
    if anonymous {
        form.push(("anonymous", "1"));
    }
    v.call("feedback/give", &form).await
}

fn day_of(iso: &str) -> i64 {
    app::timetable::rules::parse_date(iso).unwrap()
}

on_both_backends!(
    students_give_feedback_and_teachers_answer_without_knowing_who,
    |app: TestApp| async move {
        let student = app.logged_in("student").await;
        let lessons = page(&student).await["Student"]["lessons"]
            .as_array()
            .unwrap()
            .clone();
        assert!(!lessons.is_empty(), "Monday's and Tuesday's lessons ended");
        let lesson = &lessons[0];
        let lesson_id = lesson["lesson_id"].as_i64().unwrap();
        let id = lesson_id.to_string();
        let date = lesson["date"].as_str().unwrap().to_string();
        let (teacher_login, class_id): (String, i64) = sqlx::query_as(
            "SELECT u.login, l.class_id FROM lessons l JOIN users u ON u.id = l.teacher_id WHERE l.id = $1",
        )
        .bind(lesson_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            class_id,
            common::class_id(&app, "5А").await,
            "only the student's class"
        );

        // Refusals: a bad rating, a day the lesson does not run, too early, too late.
        refused(
            &give(&student, &id, &date, "6", true).await,
            Field::Rating,
            Reason::OutOfRange,
        );
        refused(
            &give(&student, &id, &date, "", true).await,
            Field::Rating,
            Reason::OutOfRange,
        );
        let iso = app::timetable::rules::iso_date;
        refused(
            &give(&student, &id, &iso(day_of(&date) + 1), "4", true).await,
            Field::Date,
            Reason::NotThatDay,
        );
        refused(
            &give(&student, &id, &iso(day_of(&date) + 7), "4", true).await,
            Field::Feedback,
            Reason::NotYet,
        );
        let two_weeks_ago = iso(day_of(&date) - 14);
        let old = give(&student, &id, &two_weeks_ago, "4", true).await;
        assert!(matches!(
            app_error(&old),
            AppError::Invalid {
                reason: Reason::WindowClosed | Reason::NotThatDay,
                ..
            }
        ));
        // Other people cannot give feedback on this class's lesson.
        let other_class = app.logged_in("student0100").await;
        assert_eq!(
            give(&other_class, &id, &date, "4", false).await.status,
            StatusCode::FORBIDDEN
        );
        let teacher = app.logged_in(&teacher_login).await;
        assert_eq!(
            give(&teacher, &id, &date, "4", false).await.status,
            StatusCode::FORBIDDEN
        );

        // Anonymous feedback, then edited: still one.
        accepted(&give(&student, &id, &date, "4", true).await);
        accepted(&give(&student, &id, &date, "5", true).await);
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM lesson_feedback WHERE lesson_id = $1 AND date = $2",
        )
        .bind(lesson_id)
        .bind(&date)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(count, 1, "one feedback per student per lesson");
        // A classmate gives feedback with their name.
        let classmate = app.logged_in("student0001").await;
        accepted(&give(&classmate, &id, &date, "3", false).await);

        // The teacher's inbox: the anonymous one has no author, and nothing the teacher can
        // call names the student.
        let (name, login) = ("Асанов Бектур", "student");
        let student_id = user_id(&app, login).await;
        let inbox_page = teacher.call("feedback/page", &[]).await;
        let inbox = inbox_page.body["Teacher"]["inbox"]
            .as_array()
            .unwrap()
            .clone();
        let anonymous = inbox
            .iter()
            .find(|i| i["rating"] == 5)
            .expect("the anonymous feedback");
        assert!(anonymous["author"].is_null());
        let (classmate_name,): (String,) =
            sqlx::query_as("SELECT full_name FROM users WHERE login = 'student0001'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(inbox.iter().any(|i| i["author"] == classmate_name.as_str()));
        for endpoint in ["feedback/page", "home", "timer/page", "timer/report"] {
            let answer = teacher.call(endpoint, &[]).await;
            // The attendance list names the class's students, but never next to a feedback:
            // the inbox items themselves must not carry the author.
            let items = serde_json::to_string(&answer.body["Teacher"]["inbox"]).unwrap();
            assert!(
                !items.contains(name) && !items.contains(&format!("\"{login}\"")),
                "{endpoint}: {items}"
            );
            assert!(
                !items.contains(&format!(":{student_id},")),
                "{endpoint} carries the student id: {items}"
            );
        }
        let (feedback_id,): (i64,) =
            sqlx::query_as("SELECT id FROM lesson_feedback WHERE student_id = $1")
                .bind(student_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let fid = feedback_id.to_string();

        // Only the lesson's teacher answers: to another teacher the feedback is "not found",
        // as a missing one is, so two calls compared do not tell which ids exist.
        let stranger = app.logged_in("teacher030").await;
        for id in [fid.as_str(), "999999"] {
            assert_eq!(
                stranger
                    .call(
                        "feedback/answer",
                        &[("feedback_id", id), ("answer", "Жооп")]
                    )
                    .await
                    .status,
                StatusCode::NOT_FOUND,
                "{id}"
            );
        }
        // An empty answer is refused.
        refused(
            &teacher
                .call(
                    "feedback/answer",
                    &[("feedback_id", &fid), ("answer", "  ")],
                )
                .await,
            Field::Answer,
            Reason::Empty,
        );
        accepted(
            &teacher
                .call(
                    "feedback/answer",
                    &[
                        ("feedback_id", &fid),
                        ("answer", "Үй тапшырмасын эртең түшүндүрөм."),
                    ],
                )
                .await,
        );
        let after = teacher.call("feedback/page", &[]).await;
        assert_eq!(after.body["Teacher"]["unanswered"], 1);
        let kpi = after.body["Teacher"]["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["class_name"] == "5А")
            .unwrap()
            .clone();
        assert_eq!(kpi["feedback"], 2);
        assert_eq!(kpi["answered"], 1);

        // The anonymous author still sees the answer.
        let mine = page(&student).await["Student"]["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["lesson_id"] == lesson_id && l["date"] == date.as_str())
            .unwrap()["mine"]
            .clone();
        assert_eq!(mine["rating"], 5);
        assert_eq!(mine["anonymous"], true);
        assert_eq!(mine["answer"], "Үй тапшырмасын эртең түшүндүрөм.");
        // The classmate does not see it on theirs.
        let theirs = page(&classmate).await["Student"]["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["lesson_id"] == lesson_id && l["date"] == date.as_str())
            .unwrap()["mine"]
            .clone();
        assert!(theirs["answer"].is_null());

        // An audio answer (the page's multipart form): judged by content, one per feedback;
        // the anonymous author plays it, nobody else does.
        use reqwest::multipart::Form;
        let answer_form = |audio: &[u8]| {
            Form::new()
                .text("feedback_id", fid.clone())
                .text("answer", "")
                .part("audio", file("жооп.webm", audio))
        };
        let fake = post_form(
            &teacher,
            "/feedback/answer",
            answer_form(b"%PDF-1.7 not audio"),
        )
        .await;
        assert_eq!(
            app_error(&fake),
            AppError::invalid(Field::File, Reason::BadFormat)
        );
        let not_his = post_form(&stranger, "/feedback/answer", answer_form(WEBM)).await;
        assert_eq!(not_his.status, StatusCode::NOT_FOUND, "{}", not_his.text);
        let (audio_rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM feedback_answer_audio")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(audio_rows, 0, "a refused answer stores nothing");
        let saved = post_form(&teacher, "/feedback/answer", answer_form(WEBM)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        let mine_now = |body: Value| {
            body["Student"]["lessons"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["lesson_id"] == lesson_id && l["date"] == date.as_str())
                .unwrap()["mine"]
                .clone()
        };
        let mine = mine_now(page(&student).await);
        // Recording only: the text is cleared, the recording is there.
        assert_eq!(mine["answer"], "");
        assert_eq!(mine["answer_audio"]["size"], WEBM.len());
        let href = format!("/feedback/audio/{feedback_id}");
        let play = |v: &Visitor| {
            let request = v.client.get(format!("{}{href}", v.base));
            async move { request.send().await.unwrap() }
        };
        for v in [&student, &teacher] {
            let heard = play(v).await;
            assert_eq!(heard.status(), StatusCode::OK);
            assert_eq!(heard.headers()["content-type"], "audio/webm");
            assert!(heard.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox"));
            assert_eq!(heard.bytes().await.unwrap().as_ref(), WEBM);
        }
        let parent = app.logged_in("parent").await;
        for v in [&classmate, &stranger, &parent] {
            assert_eq!(play(v).await.status(), StatusCode::NOT_FOUND);
        }
        assert_eq!(
            play(&app.visitor()).await.status(),
            StatusCode::UNAUTHORIZED
        );
        // The teacher's inbox shows it, and saving a text later keeps the recording.
        let inbox = teacher.call("feedback/page", &[]).await.body;
        let item = inbox["Teacher"]["inbox"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == feedback_id)
            .unwrap()
            .clone();
        assert_eq!(item["answer_audio"]["feedback_id"], feedback_id);
        assert!(item["author"].is_null(), "still anonymous");
        accepted(
            &teacher
                .call(
                    "feedback/answer",
                    &[("feedback_id", &fid), ("answer", "Жана текст.")],
                )
                .await,
        );
        let mine = mine_now(page(&student).await);
        assert_eq!(mine["answer"], "Жана текст.");
        assert_eq!(mine["answer_audio"]["size"], WEBM.len());
    }
);

const WEBM: &[u8] = &[
    0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81,
];

on_both_backends!(teachers_correct_attendance, |app: TestApp| async move {
    let student = app.logged_in("student").await;
    let lesson = page(&student).await["Student"]["lessons"][0].clone();
    let lesson_id = lesson["lesson_id"].as_i64().unwrap();
    let id = lesson_id.to_string();
    let date = lesson["date"].as_str().unwrap().to_string();
    let (teacher_login,): (String,) = sqlx::query_as(
        "SELECT u.login FROM lessons l JOIN users u ON u.id = l.teacher_id WHERE l.id = $1",
    )
    .bind(lesson_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let teacher = app.logged_in(&teacher_login).await;
    let sid = user_id(&app, "student").await.to_string();
    let status_of = |body: &Value| -> Option<String> {
        body["Teacher"]["held"]
            .as_array()?
            .iter()
            .find(|h| h["lesson_id"] == lesson_id && h["date"] == date.as_str())?["roster"]
            .as_array()?
            .iter()
            .find(|r| {
                r["student_id"].as_i64().map(|i| i.to_string()).as_deref() == Some(sid.as_str())
            })
            .map(|r| r["status"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(
        status_of(&page(&teacher).await).as_deref(),
        Some("Absent"),
        "no Join, no mark"
    );
    let mark = |status: &'static str, who: String| {
        let (id, date) = (id.clone(), date.clone());
        let teacher = &teacher;
        async move {
            teacher
                .call(
                    "attendance/mark",
                    &[
                        ("lesson_id", &id),
                        ("date", &date),
                        ("student_id", &who),
                        ("status", status),
                    ],
                )
                .await
        }
    };
    refused(
        &mark("sick", sid.clone()).await,
        Field::Attendance,
        Reason::BadFormat,
    );
    let other = user_id(&app, "student0100").await.to_string();
    refused(
        &mark("late", other).await,
        Field::Student,
        Reason::UnknownUser,
    );
    accepted(&mark("late", sid.clone()).await);
    assert_eq!(status_of(&page(&teacher).await).as_deref(), Some("Late"));
    // Another teacher may not mark this lesson.
    let stranger = app.logged_in("teacher030").await;
    let answer = stranger
        .call(
            "attendance/mark",
            &[
                ("lesson_id", &id),
                ("date", &date),
                ("student_id", &sid),
                ("status", "present"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
});
