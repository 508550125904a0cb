//! Lesson materials through the real HTTP stack, on SQLite and PostgreSQL: the teacher uploads a
//! PDF for a lesson's date (also as a plain browser form); the type comes from the content, the
//! size is capped; the class's students and parents read it, nobody else does.

mod common;

use app::error::{AppError, Field, Reason};
use common::{app_error, TestApp, Visitor};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts an upload as a script would (JSON back) or as a browser form (a redirect back).
async fn upload(
    v: &Visitor,
    lesson: i64,
    date: &str,
    name: &str,
    bytes: Vec<u8>,
    browser: bool,
) -> common::Answer {
    let form = Form::new()
        .text("lesson_id", lesson.to_string())
        .text("date", date.to_string())
        .text("back", "/timetable")
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    let accept = if browser {
        "text/html"
    } else {
        "application/json"
    };
    let response = v
        .client
        .post(format!("{}/materials/upload", v.base))
        .header("accept", accept)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.unwrap_or_default();
    common::Answer {
        status,
        location,
        set_cookie: Vec::new(),
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        text,
    }
}

async fn fetch(v: &Visitor, id: i64) -> reqwest::Response {
    v.client
        .get(format!("{}/materials/{id}", v.base))
        .send()
        .await
        .expect("download")
}

fn refused_as(answer: &common::Answer, field: Field, reason: Reason) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text);
    assert_eq!(app_error(answer), AppError::invalid(field, reason));
}

on_both_backends!(
    a_teacher_gives_a_pdf_that_only_the_class_reads,
    |app: TestApp| async move {
        let today = app::db::today();
        let weekday = app::timetable::rules::weekday_of(today) as i64;
        let (lesson, class): (i64, i64) = sqlx::query_as(
            "SELECT l.id, l.class_id FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE u.login = 'teacher' AND l.weekday = $1 ORDER BY l.period LIMIT 1",
        )
        .bind(weekday)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let date = app::timetable::rules::iso_date(today);
        let count = || common::count(&app.db, "SELECT COUNT(*) FROM lesson_materials");
        let teacher = app.logged_in("teacher").await;

        // Refusals: a web page named .pdf, an empty file, one over 5 MB, a day the lesson does
        // not run, another teacher's lesson. Nothing is stored.
        let page = b"<html><script>alert(1)</script></html>".to_vec();
        refused_as(
            &upload(&teacher, lesson, &date, "lesson.pdf", page, false).await,
            Field::Material,
            Reason::BadFormat,
        );
        refused_as(
            &upload(&teacher, lesson, &date, "empty.pdf", Vec::new(), false).await,
            Field::Material,
            Reason::Empty,
        );
        let mut big = PDF.to_vec();
        big.resize(app::timetable::rules::MATERIAL_MAX_BYTES + 1, b' ');
        refused_as(
            &upload(&teacher, lesson, &date, "big.pdf", big, false).await,
            Field::Material,
            Reason::TooLong,
        );
        let tomorrow = app::timetable::rules::iso_date(today + 1);
        refused_as(
            &upload(&teacher, lesson, &tomorrow, "a.pdf", PDF.to_vec(), false).await,
            Field::Date,
            Reason::NotThatDay,
        );
        let stranger = app.logged_in("teacher030").await;
        let theirs = upload(&stranger, lesson, &date, "a.pdf", PDF.to_vec(), false).await;
        assert_eq!(app_error(&theirs), AppError::Forbidden);
        assert_eq!(
            upload(&app.visitor(), lesson, &date, "a.pdf", PDF.to_vec(), false)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(count().await, 0);

        // A browser form's refusal goes back to the page with the reason.
        let back = upload(&teacher, lesson, &date, "x.pdf", b"MZ\x90".to_vec(), true).await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        let location = back.location.unwrap();
        assert!(location.starts_with("/timetable?error="), "{location}");

        // The teacher's PDF (as a browser form) is stored under a clean name.
        let saved = upload(
            &teacher,
            lesson,
            &date,
            "C:\\Users\\Айгүл\\Бөлчөктөр.pdf",
            PDF.to_vec(),
            true,
        )
        .await;
        assert_eq!(saved.location.as_deref(), Some("/timetable?saved=1"));
        let (id, name, mime): (i64, String, String) =
            sqlx::query_as("SELECT id, file_name, mime FROM lesson_materials")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            (name.as_str(), mime.as_str()),
            ("Бөлчөктөр.pdf", "application/pdf")
        );

        // The class's student sees it on the lesson's card and reads it as a PDF.
        let login_in_class = |sql: &'static str| {
            let pool = app.db.pool.clone();
            async move {
                let (login,): (String,) = sqlx::query_as(sql)
                    .bind(class)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                login
            }
        };
        let student = login_in_class(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             WHERE e.class_id = $1 ORDER BY u.id LIMIT 1",
        )
        .await;
        let student = app.logged_in(&student).await;
        let week = student
            .call("timetable/week", &[("whose", ""), ("week_of", "")])
            .await
            .body;
        let card = week["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["lessons"].as_array().unwrap().clone())
            .find(|l| l["lesson_id"] == lesson && l["date"] == date.as_str())
            .unwrap();
        assert_eq!(card["materials"][0]["name"], "Бөлчөктөр.pdf");
        let read = fetch(&student, id).await;
        assert_eq!(read.status(), StatusCode::OK);
        assert_eq!(read.headers()["content-type"], "application/pdf");
        assert!(read.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox"));
        assert_eq!(read.bytes().await.unwrap().as_ref(), PDF);

        // A parent of a child of the class reads it; a student of another class and the
        // anonymous do not.
        let parent = login_in_class(
            "SELECT p.login FROM users p JOIN parent_links pl ON pl.parent_id = p.id
             JOIN enrolments e ON e.student_id = pl.student_id WHERE e.class_id = $1
             ORDER BY p.id LIMIT 1",
        )
        .await;
        assert_eq!(
            fetch(&app.logged_in(&parent).await, id).await.status(),
            StatusCode::OK
        );
        let outsider = login_in_class(
            "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
             WHERE e.class_id <> $1 ORDER BY u.id LIMIT 1",
        )
        .await;
        assert_eq!(
            fetch(&app.logged_in(&outsider).await, id).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            fetch(&app.visitor(), id).await.status(),
            StatusCode::UNAUTHORIZED
        );

        // Only its teacher removes it.
        let remove = |v: &Visitor| {
            let url = format!("{}/materials/{id}/delete", v.base);
            let client = v.client.clone();
            async move {
                client
                    .post(url)
                    .header("accept", "application/json")
                    .form(&[("back", "/timetable")])
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(remove(&stranger).await, StatusCode::FORBIDDEN);
        assert_eq!(remove(&teacher).await, StatusCode::OK);
        assert_eq!(fetch(&student, id).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(count().await, 0);
    }
);

on_both_backends!(
    a_stand_in_gives_materials_on_their_day_only,
    |app: TestApp| async move {
        let today = app::db::today();
        let weekday = app::timetable::rules::weekday_of(today) as i64;
        let (lesson, teacher): (i64, i64) = sqlx::query_as(
            "SELECT l.id, l.teacher_id FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE u.login = 'teacher' AND l.weekday = $1 AND l.weeks = 'all' ORDER BY l.period LIMIT 1",
        )
        .bind(weekday)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let date = app::timetable::rules::iso_date(today);
        let next_week = app::timetable::rules::iso_date(today + 7);
        let stand_in_id = common::user_id(&app, "teacher030").await;
        let stand_in = app.logged_in("teacher030").await;
        let refused = upload(&stand_in, lesson, &date, "a.pdf", PDF.to_vec(), false).await;
        assert_eq!(app_error(&refused), AppError::Forbidden);
        sqlx::query(
            "INSERT INTO lesson_changes (lesson_id, date, kind, substitute_id, note, set_by, set_at)
             VALUES ($1, $2, 'substitute', $3, '', $4, 1764000000)",
        )
        .bind(lesson)
        .bind(&date)
        .bind(stand_in_id)
        .bind(teacher)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let saved = upload(&stand_in, lesson, &date, "a.pdf", PDF.to_vec(), false).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM lesson_materials")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(fetch(&stand_in, id).await.status(), StatusCode::OK);
        // A week later the lesson is its own teacher's again.
        let later = upload(&stand_in, lesson, &next_week, "b.pdf", PDF.to_vec(), false).await;
        assert_eq!(app_error(&later), AppError::Forbidden);
    }
);
