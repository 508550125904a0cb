//! `sabak seed --big`, the dataset tests and benchmarks load: 80 classes, 2,000 students, 150
//! teachers and a full week without a clash, on SQLite and PostgreSQL, through the real binary;
//! then the server starts on it and a student of the last class reads their week.

mod common;

use common::process::{run, Sabak};
use common::{count, Backend, Visitor};

async fn big_school(backend: Backend) {
    let Some((url, _dir)) = common::database_url(backend).await else {
        return;
    };
    let seeded = run(&url, &["seed", "--big"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    // A second seed is refused: the database is no longer empty.
    assert!(!run(&url, &["seed", "--big"]).status.success());

    let db = app::db::Db::connect(&url).await.unwrap();
    let students = "SELECT COUNT(*) FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.kind = 'class'";
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM classes WHERE kind = 'class'").await,
        80
    );
    // 25 a class, and the demo student of 5А.
    assert_eq!(count(&db, students).await, 2_001);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM role_grants WHERE role = 'teacher'"
        )
        .await,
        151
    );
    // A full week: every class has lessons every weekday, and nobody is in two places at once.
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM (SELECT class_id FROM lessons GROUP BY class_id HAVING COUNT(DISTINCT weekday) = 5) x").await,
        82
    );
    for (what, column) in [("class", "class_id"), ("teacher", "teacher_id")] {
        let clashes = count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM (SELECT {column} FROM lessons
                 GROUP BY {column}, weekday, period HAVING COUNT(*) > 1) x"
            ),
        )
        .await;
        assert_eq!(clashes, 0, "a {what} is in two lessons at once");
    }

    // The server runs on it: a student of the last class reads their week.
    let sabak = Sabak::start(&url).await;
    let (login,): (String,) = sqlx::query_as(
        "SELECT u.login FROM users u JOIN enrolments e ON e.student_id = u.id
         JOIN classes c ON c.id = e.class_id WHERE c.kind = 'class' ORDER BY c.id DESC, u.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let student = Visitor::new(&sabak.base);
    let login_answer = student.login(&login, common::PASSWORD).await;
    assert_eq!(login_answer.location.as_deref(), Some("/"));
    let week = student
        .call("timetable/week", &[("whose", ""), ("week_of", "")])
        .await;
    assert_eq!(week.status, reqwest::StatusCode::OK, "{}", week.text);
    let lessons: usize = week.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["lessons"].as_array().unwrap().len())
        .sum();
    assert!(lessons >= 20, "a full week has {lessons} lessons");
}

#[tokio::test]
async fn the_big_school_on_sqlite() {
    big_school(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_big_school_on_postgres() {
    big_school(Backend::Postgres).await;
}
