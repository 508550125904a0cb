//! Self-study tasks through the real HTTP stack, on SQLite and PostgreSQL: a task given, handed
//! in, returned, handed in again and accepted into the journal; every refusal changes nothing;
//! nobody reaches a task, a hand-in or a grade that is not theirs.
//! (The demo's 5А has three tasks; the server's clock reads this week's Wednesday, 08:35.)

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, count, file, post_form, refused, user_id, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;

/// The demo's practical work in 5А, due last Sunday.
const PRACTICAL: &str = "Сын атооч: 5-көнүгүү";

/// What a call answers, which must be 200.
async fn ok(v: &Visitor, endpoint: &str, args: &[(&str, &str)]) -> Value {
    let answer = v.call(endpoint, args).await;
    assert_eq!(answer.status, StatusCode::OK, "{endpoint}: {}", answer.text);
    answer.body
}

async fn tasks_page(v: &Visitor) -> Value {
    ok(v, "tasks/page", &[]).await
}

/// The demo teacher's first (class:subject) choice: 5А, the subject she teaches there.
async fn own_teaching(v: &Visitor) -> String {
    let page = tasks_page(v).await;
    let t = page["Teacher"]["teaching"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["class_name"] == "5А")
        .expect("she teaches her own class");
    format!("{}:{}", t["class_id"], t["subject_id"])
}

/// Tomorrow (Thursday) as the date field sends it: the test clock reads Wednesday.
fn tomorrow() -> String {
    app::timetable::rules::iso_date(app::db::today() + 1)
}

async fn give(
    v: &Visitor,
    teaching: &str,
    title: &str,
    due_date: &str,
    link: &str,
) -> common::Answer {
    v.call(
        "tasks/create",
        &[
            ("teaching", teaching),
            ("title", title),
            ("form", "practical"),
            ("due_date", due_date),
            ("due_time", "18:00"),
            ("instructions", "48-беттеги 5-көнүгүү"),
            ("link", link),
            ("graded", "1"),
        ],
    )
    .await
}

/// The student's entry for the task with this title on their tasks page.
fn entry<'a>(page: &'a Value, role: &str, title: &str) -> &'a Value {
    page[role]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"]["title"] == title)
        .unwrap_or_else(|| panic!("no task {title:?} in {page}"))
}

async fn task_id(app: &TestApp, title: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM assignments WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

async fn latest_hand_in(app: &TestApp, task: i64, student: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM hand_ins WHERE assignment_id = $1 AND student_id = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(task)
    .bind(student)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    id
}

async fn review(
    v: &Visitor,
    hand_in: i64,
    verdict: &str,
    grade: &str,
    text: &str,
) -> common::Answer {
    v.call(
        "tasks/review",
        &[
            ("hand_in_id", &hand_in.to_string()),
            ("verdict", verdict),
            ("grade", grade),
            ("review", text),
        ],
    )
    .await
}

async fn reviews(app: &TestApp) -> i64 {
    count(
        &app.db,
        "SELECT COUNT(*) FROM hand_ins WHERE verdict IS NOT NULL",
    )
    .await
}

on_both_backends!(
    a_task_is_given_handed_in_returned_and_accepted_into_the_journal,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let student = app.logged_in("student").await;
        let teaching = own_teaching(&teacher).await;
        let due = tomorrow();
        let title = "Сын атооч: 6-көнүгүү";

        // Refusals, each with its field and reason; none adds a task.
        let before = count(&app.db, "SELECT COUNT(*) FROM assignments").await;
        refused(
            &give(&teacher, &teaching, " ", &due, "").await,
            Field::Title,
            Reason::Empty,
        );
        refused(
            &give(&teacher, &teaching, title, "2026-02-30", "").await,
            Field::Due,
            Reason::BadFormat,
        );
        refused(
            &give(&teacher, &teaching, title, "2020-01-01", "").await,
            Field::Due,
            Reason::OutOfRange,
        );
        refused(
            &give(&teacher, &teaching, title, &due, "javascript:alert(1)").await,
            Field::Link,
            Reason::BadFormat,
        );
        // A class she does not teach (11Б), or a subject she does not teach in 5А.
        let other_class = common::class_id(&app, "11Б").await;
        let (class, subject) = teaching.split_once(':').unwrap();
        for wrong in [
            format!("{other_class}:{subject}"),
            format!("{class}:999999"),
        ] {
            refused(
                &give(&teacher, &wrong, title, &due, "").await,
                Field::Class,
                Reason::UnknownClass,
            );
        }
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM assignments").await,
            before
        );
        accepted(&give(&teacher, &teaching, title, &due, "https://bilim.kg/5-klass").await);
        let task = task_id(&app, title).await;

        // The student sees it to do, and hands it in.
        let page = tasks_page(&student).await;
        assert_eq!(entry(&page, "Student", title)["state"], "ToDo");
        let hand_in = |body: &'static str| {
            let student = &student;
            async move {
                student
                    .call(
                        "tasks/hand_in",
                        &[("task_id", &task.to_string()), ("body", body)],
                    )
                    .await
            }
        };
        refused(&hand_in("   ").await, Field::Work, Reason::Empty);
        accepted(&hand_in("Көк асман, бийик тоо, таза суу.").await);
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", title);
        assert_eq!(mine["state"], "HandedIn");
        assert_eq!(mine["versions"][0]["late"], false);

        // The teacher's queue: one to review.
        let queue = teacher
            .call("tasks/queue", &[("task_id", &task.to_string())])
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
        assert_eq!(queue.body["summary"]["to_review"], 1);
        assert_eq!(queue.body["may_review"], true);

        // A negative result is never graded; a return needs a reason and takes no grade.
        let student_id = user_id(&app, "student").await;
        let first = latest_hand_in(&app, task, student_id).await;
        let reviewed = reviews(&app).await;
        refused(
            &review(&teacher, first, "accepted", "2", "").await,
            Field::Mark,
            Reason::NotPositive,
        );
        refused(
            &review(&teacher, first, "accepted", "", "").await,
            Field::Mark,
            Reason::Empty,
        );
        refused(
            &review(&teacher, first, "returned", "2", "Кайра").await,
            Field::Mark,
            Reason::NotPositive,
        );
        refused(
            &review(&teacher, first, "returned", "", " ").await,
            Field::Review,
            Reason::Empty,
        );
        refused(
            &review(&teacher, first, "maybe", "", "").await,
            Field::Verdict,
            Reason::BadFormat,
        );
        assert_eq!(
            reviews(&app).await,
            reviewed,
            "the refusals changed nothing"
        );
        accepted(&review(&teacher, first, "returned", "", "Дагы эки сүйлөм жазыңыз.").await);
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", title);
        assert_eq!(mine["state"], "Returned");
        assert_eq!(mine["versions"][0]["review"], "Дагы эки сүйлөм жазыңыз.");
        assert!(mine["versions"][0]["grade"].is_null());

        // Handed in again: a new version; the old one can no longer be reviewed.
        accepted(&hand_in("Көк асман, бийик тоо, таза суу. Жашыл талаа, кең жайыт.").await);
        let second = latest_hand_in(&app, task, student_id).await;
        assert_ne!(first, second);
        refused(
            &review(&teacher, first, "accepted", "5", "").await,
            Field::Task,
            Reason::Changed,
        );
        accepted(&review(&teacher, second, "accepted", "5", "Азаматсың!").await);
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", title);
        assert_eq!(mine["state"], "Accepted");
        assert_eq!(
            mine["versions"].as_array().unwrap().len(),
            2,
            "every version is kept"
        );
        assert_eq!(mine["versions"][0]["grade"], 5);
        refused(&hand_in("дагы").await, Field::Task, Reason::AlreadyAccepted);

        // The grade is in the journal of 5А's subject, and the parent sees it.
        let journal = teacher
            .call(
                "journal/page",
                &[("class_id", class), ("subject_id", subject)],
            )
            .await;
        assert_eq!(journal.status, StatusCode::OK, "{}", journal.text);
        let marks = journal.body["marks"].as_array().unwrap();
        assert!(
            marks
                .iter()
                .any(|m| m["student_id"] == student_id && m["grade"] == 5 && m["title"] == title),
            "{marks:?}"
        );
        // The student's and the parent's grade books have it under its subject.
        let parent = app.logged_in("parent").await;
        for v in [&student, &parent] {
            let page = v.call("journal/page", &[]).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            let book = page.body["books"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["student"]["id"] == student_id)
                .expect("the student's book");
            let row = book["subjects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["subject_id"].as_i64() == subject.parse().ok())
                .expect("the task's subject");
            assert!(
                row["marks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["grade"] == 5 && m["title"] == title),
                "{row}"
            );
        }
        let page = tasks_page(&parent).await;
        let child = page["Parent"]["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["child"]["id"] == student_id)
            .expect("the parent's child");
        let theirs = child["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["task"]["title"] == title)
            .unwrap();
        assert_eq!(theirs["versions"][0]["grade"], 5);

        // Withdrawn: gone from the students' list, no more hand-ins, out of the journal.
        accepted(
            &teacher
                .call("tasks/withdraw", &[("task_id", &task.to_string())])
                .await,
        );
        let page = tasks_page(&student).await;
        assert!(!page.to_string().contains(title));
        let journal = teacher
            .call(
                "journal/page",
                &[("class_id", class), ("subject_id", subject)],
            )
            .await;
        assert!(!journal.text.contains(title));
    }
);

on_both_backends!(
    a_late_hand_in_is_accepted_and_marked_late,
    |app: TestApp| async move {
        // The demo's "5-көнүгүү" was due three days ago; student0006 has not handed it in.
        let student = app.logged_in("student0006").await;
        let task = task_id(&app, PRACTICAL).await;
        let page = tasks_page(&student).await;
        assert_eq!(entry(&page, "Student", PRACTICAL)["state"], "ToDo");
        accepted(
            &student
                .call(
                    "tasks/hand_in",
                    &[("task_id", &task.to_string()), ("body", "Кеч болсо да")],
                )
                .await,
        );
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", PRACTICAL);
        assert_eq!(mine["state"], "HandedIn");
        assert_eq!(mine["versions"][0]["late"], true);
    }
);

on_both_backends!(
    nobody_reaches_a_task_hand_in_or_grade_that_is_not_theirs,
    |app: TestApp| async move {
        let essay = task_id(&app, "Дил баян: «Менин айылым»").await;
        let maths = task_id(&app, "Бөлчөктөр: видеосабакты көрүү").await;
        let not_found = |answer: &common::Answer| {
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.text);
            assert_eq!(app_error(answer), AppError::NotFound);
        };
        let essay_form = [("task_id", essay.to_string())];

        // Another class's student: 5А's task is "not found", as a missing one is.
        let other = app.logged_in("student0300").await;
        let body = [("task_id", essay.to_string()), ("body", "мен".into())];
        not_found(&common::call_owned(&other, "tasks/hand_in", &owned(&body)).await);
        not_found(
            &common::call_owned(
                &other,
                "tasks/hand_in",
                &owned(&[("task_id", "999999".into()), ("body", "мен".into())]),
            )
            .await,
        );
        assert!(!tasks_page(&other)
            .await
            .to_string()
            .contains("Менин айылым"));

        // A classmate never sees another student's work or review.
        let student = app.logged_in("student").await;
        let page = tasks_page(&student).await.to_string();
        assert!(page.contains("Менин айылым"), "the class's task is listed");
        assert!(
            !page.contains("Дил баян өтө кыска"),
            "student0002's review stays theirs"
        );
        assert!(
            !page.contains("Абдан жакшы"),
            "student0001's review stays theirs"
        );
        not_found(&common::call_owned(&student, "tasks/queue", &owned(&essay_form)).await);

        // Another teacher: neither the queue, nor a review, nor a withdrawal.
        let stranger = app.logged_in("teacher030").await;
        let student1 = user_id(&app, "student0003").await;
        let waiting = latest_hand_in(&app, essay, student1).await;
        not_found(&common::call_owned(&stranger, "tasks/queue", &owned(&essay_form)).await);
        not_found(&review(&stranger, waiting, "accepted", "5", "").await);
        not_found(&common::call_owned(&stranger, "tasks/withdraw", &owned(&essay_form)).await);
        assert_eq!(
            count(
                &app.db,
                &format!("SELECT COUNT(*) FROM hand_ins WHERE id = {waiting} AND verdict IS NULL")
            )
            .await,
            1,
            "still waiting for its own teacher"
        );
        assert_eq!(
            count(
                &app.db,
                &format!(
                    "SELECT COUNT(*) FROM assignments WHERE id = {essay} AND withdrawn_at IS NULL"
                )
            )
            .await,
            1
        );

        // The class teacher of 5А reads a colleague's queue but does not review it.
        let class_teacher = app.logged_in("teacher").await;
        let queue = common::call_owned(
            &class_teacher,
            "tasks/queue",
            &owned(&[("task_id", maths.to_string())]),
        )
        .await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
        assert_eq!(queue.body["may_review"], false);

        // Parents: their children only; no hand-ins of their own.
        let parent = app.logged_in("parent").await;
        let answer = common::call_owned(&parent, "tasks/hand_in", &owned(&body)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let page = tasks_page(&parent).await.to_string();
        assert!(
            !page.contains("Дил баян өтө кыска"),
            "another family's review"
        );
        not_found(&common::call_owned(&parent, "tasks/queue", &owned(&essay_form)).await);

        // The journal: a class and subject one neither teaches nor leads is "not found".
        let (class, subject): (i64, i64) =
            sqlx::query_as("SELECT class_id, subject_id FROM assignments WHERE id = $1")
                .bind(essay)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let pair = owned(&[
            ("class_id", class.to_string()),
            ("subject_id", subject.to_string()),
        ]);
        not_found(&common::call_owned(&stranger, "journal/page", &pair).await);
        let journal = common::call_owned(&class_teacher, "journal/page", &pair).await;
        assert_eq!(journal.status, StatusCode::OK, "{}", journal.text);
        assert!(
            !journal.body["marks"].as_array().unwrap().is_empty(),
            "the demo's grades"
        );
        // A student or a parent asking for the class's journal gets only their own grade books:
        // no classmate's name, no classmate's grade.
        for who in ["student", "parent"] {
            let v = app.logged_in(who).await;
            // Whose books: the student's own; each of the parent's children, in their order.
            let me = v.call("me", &[]).await.body;
            let own: Vec<i64> = match me["children"].as_array() {
                Some(children) if !children.is_empty() => {
                    children.iter().map(|c| c["id"].as_i64().unwrap()).collect()
                }
                _ => vec![me["id"].as_i64().unwrap()],
            };
            let page = common::call_owned(&v, "journal/page", &pair).await;
            assert_eq!(page.status, StatusCode::OK, "{who}: {}", page.text);
            for field in ["choices", "students", "marks", "dates"] {
                assert_eq!(page.body[field], serde_json::json!([]), "{who}: {field}");
            }
            let books = page.body["books"].as_array().unwrap();
            let whose: Vec<i64> = books
                .iter()
                .map(|b| b["student"]["id"].as_i64().unwrap())
                .collect();
            assert_eq!(whose, own, "{who}");
            for book in books {
                for row in book["subjects"].as_array().unwrap() {
                    for mark in row["marks"].as_array().unwrap() {
                        assert_eq!(mark["student_id"], book["student"]["id"], "{who}");
                    }
                }
            }
        }
        // The CSV stays the staff's.

        // Its CSV: the same grades for the same people; the same refusals for the others.
        let csv_url = format!("/journal/export.csv?class={class}&subject={subject}&lang=ru");
        let download = |v: &Visitor| {
            let request = v.client.get(format!("{}{csv_url}", v.base));
            async move { request.send().await.unwrap() }
        };
        let answer = download(&class_teacher).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.headers()["content-type"], "text/csv; charset=utf-8");
        let disposition = answer.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"journal-{class}-{subject}.csv\"")
        );
        let csv = answer.text().await.unwrap();
        let demo_row = csv
            .lines()
            .find(|l| l.starts_with("\"Асанов Бектур\""))
            .unwrap_or_else(|| panic!("no row of the demo student in {csv}"));
        // The practical work, accepted with 5; the average column says so too.
        assert!(
            demo_row.contains("\"5\"") && demo_row.ends_with("\"5.0\""),
            "{demo_row}"
        );
        assert!(
            csv.lines().nth(1).unwrap().starts_with("\"Ученик\""),
            "{csv}"
        );
        let rows = csv.lines().count() as i64 - 2;
        assert_eq!(
            rows,
            count(&app.db, &format!("SELECT COUNT(*) FROM enrolments e JOIN users u ON u.id = e.student_id WHERE e.class_id = {class} AND u.active = 1")).await
        );
        assert_eq!(download(&stranger).await.status(), StatusCode::NOT_FOUND);
        for who in ["student", "parent"] {
            let v = app.logged_in(who).await;
            assert_eq!(download(&v).await.status(), StatusCode::FORBIDDEN);
        }
        assert_eq!(
            download(&app.visitor()).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
);

fn owned(form: &[(&str, String)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const WEBM: &[u8] = &[
    0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81,
];

async fn get_file(v: &Visitor, id: i64) -> reqwest::Response {
    v.client
        .get(format!("{}/tasks/files/{id}", v.base))
        .send()
        .await
        .expect("download")
}

on_both_backends!(
    hand_ins_carry_photos_and_audio_judged_by_content_and_seen_only_by_their_people,
    |app: TestApp| async move {
        use reqwest::multipart::Form;
        let task = task_id(&app, "Дил баян: «Менин айылым»").await;
        let student = app.logged_in("student").await;
        let files_before = count(&app.db, "SELECT COUNT(*) FROM hand_in_files").await;
        let hand_ins_before = count(&app.db, "SELECT COUNT(*) FROM hand_ins").await;

        // Refused, with nothing stored: a page named photo.png, an oversized photo, nothing at all.
        let fake = Form::new()
            .text("task_id", task.to_string())
            .text("body", "")
            .part(
                "files",
                file("photo.png", b"<html><script>alert(1)</script>"),
            );
        refused(
            &post_form(&student, "/tasks/submit", fake).await,
            Field::File,
            Reason::BadFormat,
        );
        let mut big = PNG.to_vec();
        big.resize(app::assignments::rules::FILE_MAX_BYTES + 1, 0);
        let oversized = Form::new()
            .text("task_id", task.to_string())
            .part("files", file("big.png", &big));
        refused(
            &post_form(&student, "/tasks/submit", oversized).await,
            Field::File,
            Reason::TooLong,
        );
        let empty = Form::new()
            .text("task_id", task.to_string())
            .text("body", " ");
        refused(
            &post_form(&student, "/tasks/submit", empty).await,
            Field::Work,
            Reason::Empty,
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM hand_in_files").await,
            files_before
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM hand_ins").await,
            hand_ins_before
        );

        // A photo of the notebook page and an audio answer, no text.
        let work = Form::new()
            .text("task_id", task.to_string())
            .text("body", "")
            .part("files", file("дептер.png", PNG))
            .part("audio", file("жооп.webm", WEBM));
        let answer = post_form(&student, "/tasks/submit", work).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", "Дил баян: «Менин айылым»");
        let files = mine["versions"][0]["files"].as_array().unwrap().clone();
        let mimes: Vec<&str> = files.iter().map(|f| f["mime"].as_str().unwrap()).collect();
        assert_eq!(mimes, ["image/png", "audio/webm"]);
        let photo = files[0]["id"].as_i64().unwrap();

        // The student, her teacher, her parent and her class teacher open it; nobody else does.
        let response = get_file(&student, photo).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/png");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox"));
        assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);
        for who in ["teacher", "parent"] {
            let v = app.logged_in(who).await;
            assert_eq!(get_file(&v, photo).await.status(), StatusCode::OK, "{who}");
        }
        for who in ["student0001", "student0300", "teacher030", "expert"] {
            let v = app.logged_in(who).await;
            assert_eq!(
                get_file(&v, photo).await.status(),
                StatusCode::NOT_FOUND,
                "{who}"
            );
        }
        assert_eq!(
            app.visitor()
                .client
                .get(format!("{}/tasks/files/{photo}", app.base))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );

        // The teacher returns it with an audio review only: the recording says why.
        let teacher = app.logged_in("teacher").await;
        let hand_in = latest_hand_in(&app, task, user_id(&app, "student").await).await;
        let review_form = |audio: &[u8]| {
            Form::new()
                .text("hand_in_id", hand_in.to_string())
                .text("verdict", "returned")
                .text("grade", "")
                .text("review", "")
                .part("audio", file("пикир.webm", audio))
        };
        refused(
            &post_form(
                &teacher,
                "/tasks/review",
                review_form(b"%PDF-1.7 not audio"),
            )
            .await,
            Field::File,
            Reason::BadFormat,
        );
        let answer = post_form(&teacher, "/tasks/review", review_form(WEBM)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let page = tasks_page(&student).await;
        let mine = entry(&page, "Student", "Дил баян: «Менин айылым»");
        assert_eq!(mine["state"], "Returned");
        assert_eq!(mine["versions"][0]["review_audio"]["mime"], "audio/webm");
        let audio = mine["versions"][0]["review_audio"]["id"].as_i64().unwrap();
        assert_eq!(get_file(&student, audio).await.status(), StatusCode::OK);
        let classmate = app.logged_in("student0001").await;
        assert_eq!(
            get_file(&classmate, audio).await.status(),
            StatusCode::NOT_FOUND
        );
    }
);

/// Titles in a digest list (`overdue` or `today`) of a home page's JSON.
fn titles(digest: &Value, list: &str) -> Vec<String> {
    digest[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {digest}"))
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

async fn home(v: &Visitor) -> Value {
    ok(v, "home", &[]).await
}

on_both_backends!(
    home_pages_and_the_roster_say_what_is_overdue_or_due_today,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let late_one = app.logged_in("student0006").await;

        // student0006 never handed in Sunday's practical work: it is overdue on their home.
        let mine = home(&late_one).await;
        assert_eq!(titles(&mine["tasks"], "overdue"), [PRACTICAL]);
        assert!(titles(&mine["tasks"], "today").is_empty());
        assert_eq!(
            mine["tasks"]["later"], 2,
            "the essay and the fractions video"
        );
        // The demo student handed it in and had it accepted: nothing overdue.
        let demo = home(&app.logged_in("student").await).await;
        assert!(titles(&demo["tasks"], "overdue").is_empty(), "{demo}");

        // A task due today (the teacher's own, at 18:00) joins "today" for every 5А student.
        let teaching = own_teaching(&teacher).await;
        let today = app::timetable::rules::iso_date(app::db::today());
        accepted(&give(&teacher, &teaching, "Бүгүнкү көнүгүү", &today, "").await);
        let mine = home(&late_one).await;
        assert_eq!(titles(&mine["tasks"], "today"), ["Бүгүнкү көнүгүү"]);

        // The class teacher's roster: the same, student by student.
        let roster = teacher.call("class/roster", &[]).await;
        assert_eq!(roster.status, StatusCode::OK, "{}", roster.text);
        let row_of = |login: &str| {
            roster.body["students"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["login"] == login)
                .unwrap_or_else(|| panic!("{login} not in the roster"))
                .clone()
        };
        assert_eq!(
            titles(&row_of("student0006")["tasks"], "overdue"),
            [PRACTICAL]
        );
        assert!(titles(&row_of("student")["tasks"], "overdue").is_empty());

        // Handed in (late): off the overdue list; waiting for the teacher's review on her home.
        let waiting = home(&teacher).await["to_review"].as_i64().unwrap();
        let practical = task_id(&app, PRACTICAL).await;
        accepted(
            &late_one
                .call(
                    "tasks/hand_in",
                    &[("task_id", &practical.to_string()), ("body", "Аткардым.")],
                )
                .await,
        );
        assert!(titles(&home(&late_one).await["tasks"], "overdue").is_empty());
        assert_eq!(home(&teacher).await["to_review"], waiting + 1);

        // Returned for rework: overdue again, marked returned.
        let hand_in = latest_hand_in(&app, practical, user_id(&app, "student0006").await).await;
        accepted(&review(&teacher, hand_in, "returned", "", "Дагы бир жолу.").await);
        let mine = home(&late_one).await;
        assert_eq!(titles(&mine["tasks"], "overdue"), [PRACTICAL]);
        assert_eq!(mine["tasks"]["overdue"][0]["returned"], true);
        assert_eq!(home(&teacher).await["to_review"], waiting);

        // A parent's home: each child's own digest (the demo parent's 5А child handed it in).
        let parent = home(&app.logged_in("parent").await).await;
        let children = parent["children"].as_array().unwrap();
        assert_eq!(children.len(), 2);
        for child in children {
            assert!(
                !titles(&child["tasks"], "overdue").contains(&PRACTICAL.to_string()),
                "{child}"
            );
        }
        assert!(parent["tasks"].is_null() && parent["to_review"].is_null());
    }
);

on_both_backends!(
    admins_see_completion_per_class_and_teacher,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        // The default period ends today: of 5А's tasks only Sunday's practical work is due in
        // it. 5А's students each owe it; four handed it in, one late; the three accepted were
        // reviewed half an hour after (the demo's reviews); the fourth waits.
        let answer = admin.call("tasks/completion", &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let page = answer.body;
        let line = |list: &str, name: &str| {
            page[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["name"] == name)
                .unwrap_or_else(|| panic!("no {name} in {page}"))
                .clone()
        };
        let students = count(
            &app.db,
            "SELECT COUNT(*) FROM enrolments e JOIN classes c ON c.id = e.class_id JOIN users u ON u.id = e.student_id WHERE c.name = '5А' AND u.active = 1",
        )
        .await;
        let class = line("by_class", "5А");
        assert_eq!(class["given"], 1);
        assert_eq!(class["expected"], students);
        assert_eq!(class["handed_in"], 4);
        assert_eq!(class["on_time"], 3);
        assert_eq!(class["reviewed"], 3);
        assert_eq!(class["median_review_secs"], 1800);
        let teacher = line("by_teacher", "Осмонова Айгүл");
        assert_eq!(teacher["given"], 1);
        assert_eq!(teacher["handed_in"], 4);

        // A wider period takes in the essay (due on Friday) too: two tasks, more hand-ins.
        let to = app::timetable::rules::iso_date(app::db::today() + 7);
        let from = app::timetable::rules::iso_date(app::db::today() - 20);
        let wider = admin
            .call("tasks/completion", &[("from", &from), ("to", &to)])
            .await;
        assert_eq!(wider.status, StatusCode::OK, "{}", wider.text);
        let class = wider.body["by_class"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == "5А")
            .unwrap()
            .clone();
        assert_eq!(class["given"], 3, "the essay and the fractions video too");
        assert_eq!(class["expected"], 3 * students);
        assert_eq!(class["handed_in"], 4 + 3);

        // A period the wrong way round or a bad date is refused, and only admins see this.
        refused(
            &admin
                .call("tasks/completion", &[("from", &to), ("to", &from)])
                .await,
            Field::Date,
            Reason::OutOfRange,
        );
        refused(
            &admin
                .call("tasks/completion", &[("from", "2026-13-01"), ("to", "")])
                .await,
            Field::Date,
            Reason::BadFormat,
        );
        for who in ["teacher", "student", "parent"] {
            let v = app.logged_in(who).await;
            assert_eq!(
                v.call("tasks/completion", &[]).await.status,
                StatusCode::FORBIDDEN
            );
        }
    }
);

/// A task form's fields for `tasks/update`.
async fn change(v: &Visitor, task: i64, title: &str, due_date: &str) -> common::Answer {
    v.call(
        "tasks/update",
        &[
            ("task_id", &task.to_string()),
            ("title", title),
            ("form", "test"),
            ("due_date", due_date),
            ("due_time", "17:30"),
            ("instructions", "Жаңы көрсөтмө"),
            ("link", ""),
        ],
    )
    .await
}

on_both_backends!(
    a_task_changes_until_its_first_hand_in,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let teaching = own_teaching(&teacher).await;
        accepted(&give(&teacher, &teaching, "Биринчи аталыш", &tomorrow(), "").await);
        let task = task_id(&app, "Биринчи аталыш").await;
        let row = |app: &TestApp| {
            let pool = app.db.pool.clone();
            async move {
                let r: (String, String, i64, i64) = sqlx::query_as(
                    "SELECT title, form, due_at, graded FROM assignments WHERE id = $1",
                )
                .bind(task)
                .fetch_one(&pool)
                .await
                .unwrap();
                r
            }
        };

        // Changed: title, form, due time, instructions; no "graded" box is ungraded.
        let day_after = app::timetable::rules::iso_date(app::db::today() + 2);
        accepted(&change(&teacher, task, "Өзгөргөн аталыш", &day_after).await);
        let (title, form, due_at, graded) = row(&app).await;
        assert_eq!(
            (title.as_str(), form.as_str(), graded),
            ("Өзгөргөн аталыш", "test", 0)
        );
        assert_eq!(app::ui::format::when(due_at), format!("{day_after} 17:30"));

        // Refusals change nothing: a bad due date, an empty title, another teacher's task.
        let before = row(&app).await;
        refused(
            &change(&teacher, task, "Х", "2020-01-01").await,
            Field::Due,
            Reason::OutOfRange,
        );
        refused(
            &change(&teacher, task, "  ", &day_after).await,
            Field::Title,
            Reason::Empty,
        );
        let stranger = app.logged_in("teacher030").await;
        assert_eq!(
            change(&stranger, task, "Чоочун", &day_after).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(row(&app).await, before);

        // Once a student hands it in, it stays what they answered.
        let student = app.logged_in("student").await;
        accepted(
            &student
                .call(
                    "tasks/hand_in",
                    &[("task_id", &task.to_string()), ("body", "Жооп")],
                )
                .await,
        );
        refused(
            &change(&teacher, task, "Кечиккен өзгөртүү", &day_after).await,
            Field::Task,
            Reason::AlreadyHandedIn,
        );
        assert_eq!(row(&app).await, before);

        // A withdrawn task is not changed either.
        accepted(&give(&teacher, &teaching, "Алынчу тапшырма", &tomorrow(), "").await);
        let withdrawn = task_id(&app, "Алынчу тапшырма").await;
        accepted(
            &teacher
                .call("tasks/withdraw", &[("task_id", &withdrawn.to_string())])
                .await,
        );
        refused(
            &change(&teacher, withdrawn, "Кайра", &day_after).await,
            Field::Task,
            Reason::Withdrawn,
        );
    }
);

on_both_backends!(
    a_school_that_counts_only_4_and_5_as_positive_refuses_a_3,
    |app: TestApp| async move {
        let (admin, teacher, student) = (
            app.logged_in("admin").await,
            app.logged_in("teacher").await,
            app.logged_in("student").await,
        );
        let title = "Сын атоочтор: оң баалар";
        let teaching = own_teaching(&teacher).await;
        accepted(&give(&teacher, &teaching, title, &tomorrow(), "").await);
        let task = task_id(&app, title).await;
        accepted(
            &student
                .call(
                    "tasks/hand_in",
                    &[
                        ("task_id", &task.to_string()),
                        ("body", "Кызыл алма, бийик тоо."),
                    ],
                )
                .await,
        );
        let hand_in = latest_hand_in(&app, task, user_id(&app, "student").await).await;
        // The lowest grade the teacher's review form offers.
        let offered = || async {
            let queue = teacher
                .call("tasks/queue", &[("task_id", &task.to_string())])
                .await;
            queue.body["positive"]["lowest"].as_i64()
        };
        assert_eq!(offered().await, Some(3), "the default: 3, 4, 5");

        // Only 3, 4 or 5 may be the lowest positive grade.
        for bad in ["2", "6", "", "4,5"] {
            let answer = admin.call("tasks/grading", &[("lowest", bad)]).await;
            assert_eq!(
                answer.status,
                StatusCode::BAD_REQUEST,
                "{bad:?}: {}",
                answer.text
            );
            assert!(matches!(
                app_error(&answer),
                AppError::Invalid {
                    field: Field::Mark,
                    ..
                }
            ));
        }
        assert_eq!(offered().await, Some(3), "the refusals changed nothing");
        accepted(&admin.call("tasks/grading", &[("lowest", "4")]).await);
        assert_eq!(offered().await, Some(4));
        assert_eq!(
            admin.call("tasks/completion", &[]).await.body["positive"]["lowest"],
            4
        );

        let reviewed = reviews(&app).await;
        refused(
            &review(&teacher, hand_in, "accepted", "3", "").await,
            Field::Mark,
            Reason::NotPositive,
        );
        assert_eq!(reviews(&app).await, reviewed, "a 3 is not recorded");
        accepted(&review(&teacher, hand_in, "accepted", "4", "Жакшы.").await);
        let page = tasks_page(&student).await;
        assert_eq!(entry(&page, "Student", title)["versions"][0]["grade"], 4);
    }
);

async fn week(v: &Visitor, whose: String, week_of: String) -> Value {
    ok(
        v,
        "timetable/week",
        &[("whose", &whose), ("week_of", &week_of)],
    )
    .await
}

on_both_backends!(
    todays_timetable_tab_lists_what_is_overdue_or_due_today,
    |app: TestApp| async move {
        // student0006 never handed in Sunday's practical work.
        let late_one = app.logged_in("student0006").await;
        let plan = week(&late_one, String::new(), String::new()).await;
        assert_eq!(titles(&plan["tasks"], "overdue"), [PRACTICAL]);
        // A week without today lists nothing.
        let next_week = app::timetable::rules::iso_date(app::db::today() + 7);
        assert!(week(&late_one, String::new(), next_week).await["tasks"].is_null());

        // A parent reads their child's list on the child's timetable.
        let parent = app.logged_in("parent").await;
        let me = parent.me().await;
        let child = me["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["class"]["name"] == "5А")
            .expect("a child in 5А")["id"]
            .as_i64()
            .unwrap();
        let plan = week(&parent, format!("child:{child}"), String::new()).await;
        assert!(plan["tasks"]["overdue"].is_array(), "{}", plan["tasks"]);
        // Nobody's tasks on a class's timetable, nor on a teacher's own.
        let class = common::class_id(&app, "5А").await;
        let admin = app.logged_in("admin").await;
        assert!(week(&admin, format!("class:{class}"), String::new()).await["tasks"].is_null());
        let teacher = app.logged_in("teacher").await;
        assert!(week(&teacher, String::new(), String::new()).await["tasks"].is_null());
    }
);
