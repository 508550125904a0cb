//! Timetable through the real HTTP stack, on SQLite and PostgreSQL.

mod common;

use app::error::{AppError, Field, Reason};
use common::{class_id, user_id, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const MONDAY: &str = "2026-11-23";

fn app_error(body: &Value) -> AppError {
    serde_json::from_value(body.clone()).unwrap_or_else(|_| panic!("not an AppError: {body}"))
}

/// A lesson of `teacher` on Monday, with its class name.
async fn monday_lesson_of(app: &TestApp, teacher: &str) -> (i64, String) {
    let (id, class): (i64, String) = sqlx::query_as(
        "SELECT l.id, c.name FROM lessons l JOIN users u ON u.id = l.teacher_id JOIN classes c ON c.id = l.class_id
         WHERE u.login = $1 AND l.weekday = 0 ORDER BY l.period, l.id LIMIT 1",
    )
    .bind(teacher)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (id, class)
}

async fn set_link(
    v: &common::Visitor,
    lesson: &str,
    date: &str,
    link: &str,
    reuse: bool,
) -> common::Answer {
    let mut form = vec![
        ("lesson_id", lesson),
        ("date", date),
        ("link", link),
        ("topic", "Бөлчөктөр"),
    ];
    if reuse {
        form.push(("reuse", "1"));
    }
    v.call("timetable/occurrence", &form).await
}

fn lessons_of_day(plan: &Value, day: usize) -> Vec<Value> {
    plan["days"][day]["lessons"].as_array().unwrap().clone()
}

on_both_backends!(
    a_student_sees_only_their_class_week,
    |app: TestApp| async move {
        let student = app.logged_in("student").await;
        let week = student
            .call("timetable/week", &[("whose", ""), ("week_of", MONDAY)])
            .await;
        assert_eq!(week.status, StatusCode::OK, "{}", week.text);
        let plan = week.body;
        assert_eq!(plan["title"], "5А");
        assert_eq!(
            plan["days"].as_array().unwrap().len(),
            6,
            "Monday to Saturday"
        );
        assert_eq!(plan["days"][0]["iso"], MONDAY);
        for day in 0..5 {
            let lessons = lessons_of_day(&plan, day);
            assert_eq!(lessons.len(), 5, "grade 5 has five lessons a day");
            assert!(lessons.iter().all(|l| l["class_name"] == "5А"));
            let starts: Vec<i64> = lessons
                .iter()
                .map(|l| l["starts"].as_i64().unwrap())
                .collect();
            assert!(
                starts.windows(2).all(|w| w[0] < w[1]),
                "in time order: {starts:?}"
            );
            assert!(
                lessons
                    .iter()
                    .all(|l| l["ends"].as_i64().unwrap() - l["starts"].as_i64().unwrap() <= 30),
                "distance lessons ≤ 30 min"
            );
        }
        assert!(lessons_of_day(&plan, 5).is_empty(), "no Saturday lessons");
        assert_eq!(plan["can_join"], true);

        let other = class_id(&app, "6А").await.to_string();
        let refused = student
            .call(
                "timetable/week",
                &[("whose", &format!("class:{other}")), ("week_of", MONDAY)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let some_child = user_id(&app, "student0100").await;
        let refused = student
            .call(
                "timetable/week",
                &[
                    ("whose", &format!("child:{some_child}")),
                    ("week_of", MONDAY),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let bad = student
            .call(
                "timetable/week",
                &[("whose", ""), ("week_of", "2026-02-30")],
            )
            .await;
        assert_eq!(
            app_error(&bad.body),
            AppError::invalid(Field::Date, Reason::BadFormat)
        );
    }
);

on_both_backends!(
    a_parent_sees_their_children_only,
    |app: TestApp| async move {
        let parent = app.logged_in("parent").await;
        let me = parent.me().await;
        for child in me["children"].as_array().unwrap() {
            let whose = format!("child:{}", child["id"]);
            let week = parent
                .call("timetable/week", &[("whose", &whose), ("week_of", MONDAY)])
                .await;
            assert_eq!(week.status, StatusCode::OK, "{}", week.text);
            let class = child["class"]["name"].as_str().unwrap();
            assert!(lessons_of_day(&week.body, 0)
                .iter()
                .all(|l| l["class_name"] == class));
            assert_eq!(
                week.body["can_join"], false,
                "parents open links, they do not join"
            );
        }
        let stranger = user_id(&app, "student0200").await;
        let refused = parent
            .call(
                "timetable/week",
                &[("whose", &format!("child:{stranger}")), ("week_of", MONDAY)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = parent
            .call("timetable/week", &[("whose", ""), ("week_of", MONDAY)])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "a parent has no timetable of their own"
        );
    }
);

on_both_backends!(
    a_teacher_sees_own_lessons_across_classes,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let week = teacher
            .call("timetable/week", &[("whose", ""), ("week_of", MONDAY)])
            .await;
        assert_eq!(week.status, StatusCode::OK, "{}", week.text);
        let all: Vec<Value> = (0..6).flat_map(|d| lessons_of_day(&week.body, d)).collect();
        assert!(all.len() >= 5, "the demo teacher teaches: {}", all.len());
        assert!(all
            .iter()
            .all(|l| l["mine"] == true && l["teacher_name"] == "Осмонова Айгүл"));
        let classes: std::collections::HashSet<&str> = all
            .iter()
            .map(|l| l["class_name"].as_str().unwrap())
            .collect();
        assert!(classes.len() > 1, "across classes: {classes:?}");
        // No two lessons at the same time: the seed follows the clash rule.
        for d in 0..6 {
            let starts: Vec<i64> = lessons_of_day(&week.body, d)
                .iter()
                .map(|l| l["starts"].as_i64().unwrap())
                .collect();
            let unique: std::collections::HashSet<_> = starts.iter().collect();
            assert_eq!(unique.len(), starts.len(), "day {d}: {starts:?}");
        }
        // The class teacher may open the class they lead; another class they do not teach, not.
        let own = class_id(&app, "5А").await;
        let led = teacher
            .call(
                "timetable/week",
                &[("whose", &format!("class:{own}")), ("week_of", MONDAY)],
            )
            .await;
        assert_eq!(led.status, StatusCode::OK);
        let admin = app.logged_in("admin").await;
        let any = class_id(&app, "ПИ-1-24").await;
        let seen = admin
            .call(
                "timetable/week",
                &[("whose", &format!("class:{any}")), ("week_of", MONDAY)],
            )
            .await;
        assert_eq!(seen.status, StatusCode::OK);
        assert_eq!(
            lessons_of_day(&seen.body, 0).len(),
            3,
            "university groups have three pairs a day"
        );
    }
);

on_both_backends!(
    only_the_lessons_teacher_sets_its_link,
    |app: TestApp| async move {
        let (lesson, class) = monday_lesson_of(&app, "teacher001").await;
        let lesson = lesson.to_string();
        let owner = app.logged_in("teacher001").await;
        let other = app.logged_in("teacher002").await;
        let refused = set_link(
            &other,
            &lesson,
            MONDAY,
            "https://meet.google.com/aaa-bbbb-ccc",
            false,
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "another teacher's lesson"
        );
        let student = app.logged_in("student").await;
        assert_eq!(
            set_link(
                &student,
                &lesson,
                MONDAY,
                "https://meet.google.com/aaa-bbbb-ccc",
                false
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let wrong_day = set_link(
            &owner,
            &lesson,
            "2026-11-24",
            "https://meet.google.com/aaa-bbbb-ccc",
            false,
        )
        .await;
        assert_eq!(
            app_error(&wrong_day.body),
            AppError::invalid(Field::Date, Reason::NotThatDay)
        );
        let bad_link = set_link(&owner, &lesson, MONDAY, "javascript:alert(1)", false).await;
        assert_eq!(
            app_error(&bad_link.body),
            AppError::invalid(Field::Link, Reason::BadFormat)
        );
        let nothing = set_link(&owner, &lesson, MONDAY, "", true).await;
        assert_eq!(
            app_error(&nothing.body),
            AppError::invalid(Field::Link, Reason::NothingToReuse)
        );

        let ok = set_link(
            &owner,
            &lesson,
            MONDAY,
            "https://meet.google.com/aaa-bbbb-ccc",
            false,
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
        // The class sees it; a week later "reuse" carries the standing room over.
        let (reader_class,): (i64,) = sqlx::query_as("SELECT id FROM classes WHERE name = $1")
            .bind(&class)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let admin = app.logged_in("admin").await;
        let week = admin
            .call(
                "timetable/week",
                &[
                    ("whose", &format!("class:{reader_class}")),
                    ("week_of", MONDAY),
                ],
            )
            .await;
        let card = lessons_of_day(&week.body, 0)
            .into_iter()
            .find(|l| l["lesson_id"].as_i64() == lesson.parse::<i64>().ok())
            .unwrap();
        assert_eq!(card["link"], "https://meet.google.com/aaa-bbbb-ccc");
        assert_eq!(card["topic"], "Бөлчөктөр");
        assert_eq!(
            set_link(&owner, &lesson, "2026-11-30", "", true)
                .await
                .status,
            StatusCode::OK
        );
        let (link,): (Option<String>,) = sqlx::query_as(
            "SELECT link FROM lesson_occurrences WHERE lesson_id = $1 AND date = '2026-11-30'",
        )
        .bind(lesson.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            link.as_deref(),
            Some("https://meet.google.com/aaa-bbbb-ccc")
        );
    }
);

on_both_backends!(
    join_is_recorded_and_goes_to_the_link,
    |app: TestApp| async move {
        let (lesson,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM lessons l JOIN classes c ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 2 AND l.period = 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
        // Today's (Wednesday's) first lesson, going on now (08:35): a Join counts as present.
        // (`security.rs` checks that a Join at any other time does not.)
        let today = app::timetable::rules::iso_date(app::db::today());
        let id = lesson.to_string();
        let student = app.logged_in("student").await;
        // A lesson without a link this week (Monday's third) has nothing to join.
        let (unlinked,): (i64,) = sqlx::query_as(
            "SELECT l.id FROM lessons l JOIN classes c ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 0 AND l.period = 3",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let no_link = student
            .call(
                "timetable/join",
                &[("lesson_id", &unlinked.to_string()), ("date", MONDAY)],
            )
            .await;
        assert_eq!(
            app_error(&no_link.body),
            AppError::invalid(Field::Link, Reason::Empty)
        );
        app::timetable::store::save_occurrence(
            &app.db,
            lesson,
            &today,
            Some("https://zoom.us/j/123456"),
            None,
            1,
        )
        .await
        .unwrap();
        let joined = student
            .submit("timetable/join", &[("lesson_id", &id), ("date", &today)])
            .await;
        assert_eq!(joined.status, StatusCode::FOUND);
        assert_eq!(joined.location.as_deref(), Some("https://zoom.us/j/123456"));
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM lesson_joins WHERE lesson_id = $1 AND date = $2 AND student_id = $3")
        .bind(lesson)
        .bind(&today)
        .bind(user_id(&app, "student").await)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(n, 1);
        let outsider = app.logged_in("student0100").await; // not in 5А
        let refused = outsider
            .call("timetable/join", &[("lesson_id", &id), ("date", &today)])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

on_both_backends!(
    the_timetable_page_renders_without_javascript,
    |app: TestApp| async move {
        let student = app.logged_in("student").await;
        let page = student
            .get(&format!("/timetable?week={MONDAY}&day=0"), "ky")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Сабак жадыбалы: 5А"), "title");
        assert!(page.text.contains("Дүйшөмбү"), "Monday in Kyrgyz");
        let page = student
            .get(&format!("/timetable?week={MONDAY}&day=0"), "ru")
            .await;
        assert!(page.text.contains("Расписание: 5А"));
    }
);

on_both_backends!(
    printable_weeks_of_classes_and_teachers_follow_the_week_rules,
    |app: TestApp| async move {
        let class = class_id(&app, "5А").await;
        let teacher = user_id(&app, "teacher").await;
        let lessons_of = |sql: &'static str, id: i64| {
            let pool = app.db.pool.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(&pool).await.unwrap();
                n
            }
        };
        let sheet = |v: &common::Visitor, whose: String| {
            let v = v.client.clone();
            let base = app.base.clone();
            async move {
                let r = v
                    .post(format!("{base}/api/timetable/print"))
                    .header("accept", "application/json")
                    .form(&[("whose", whose)])
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        // The admin prints any class and any teacher; each lesson is one cell.
        let admin = app.logged_in("admin").await;
        let (status, class_sheet) = sheet(&admin, format!("class:{class}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(class_sheet["of_class"], true);
        let cells = class_sheet["cells"].as_array().unwrap();
        assert_eq!(
            cells.len() as i64,
            lessons_of("SELECT COUNT(*) FROM lessons WHERE class_id = $1", class).await
        );
        // A class's cell names the teacher; a teacher's names the class.
        let (teacher_name,): (String,) =
            sqlx::query_as("SELECT full_name FROM users WHERE id = $1")
                .bind(teacher)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, teacher_sheet) = sheet(&admin, format!("teacher:{teacher}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(teacher_sheet["title"], teacher_name.as_str());
        assert_eq!(
            teacher_sheet["cells"].as_array().unwrap().len() as i64,
            lessons_of(
                "SELECT COUNT(*) FROM lessons WHERE teacher_id = $1",
                teacher
            )
            .await
        );
        assert!(teacher_sheet["cells"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["who"] == "5А"));
        let periods = class_sheet["periods"].as_array().unwrap();
        assert!(periods
            .windows(2)
            .all(|w| w[0][0].as_i64() < w[1][0].as_i64()));

        // A student prints their own class only; a teacher their own week only.
        let student = app.logged_in("student").await;
        let (status, own) = sheet(&student, String::new()).await;
        assert_eq!(
            (status, own["title"].clone()),
            (StatusCode::OK, Value::from("5А"))
        );
        let other = class_id(&app, "6А").await;
        let (status, body) = sheet(&student, format!("class:{other}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let stranger = app.logged_in("teacher030").await;
        let (status, _) = sheet(&stranger, format!("teacher:{teacher}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The page itself is a table a printer can take.
        let page = admin
            .get(&format!("/timetable/print?whose=class:{class}"), "ky")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("5А классынын сабак жадыбалы"),
            "{}",
            page.text
        );
        assert!(page.text.contains("print-grid"));
    }
);

on_both_backends!(
    a_stand_in_gives_the_lesson_on_their_day_only,
    |app: TestApp| async move {
        let (lesson, class) = monday_lesson_of(&app, "teacher").await;
        let class = class_id(&app, &class).await;
        let lesson_text = lesson.to_string();
        let admin_id = user_id(&app, "admin").await;
        let stand_in_id = user_id(&app, "teacher030").await;
        let stand_in = app.logged_in("teacher030").await;
        let link = "https://meet.example/stand-in";
        // Before anyone asks them: not their lesson.
        let before = set_link(&stand_in, &lesson_text, MONDAY, link, false).await;
        assert_eq!(before.status, StatusCode::FORBIDDEN, "{}", before.text);
        sqlx::query(
            "INSERT INTO lesson_changes (lesson_id, date, kind, substitute_id, note, set_by, set_at)
             VALUES ($1, $2, 'substitute', $3, '', $4, 1764000000)",
        )
        .bind(lesson)
        .bind(MONDAY)
        .bind(stand_in_id)
        .bind(admin_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let saved = set_link(&stand_in, &lesson_text, MONDAY, link, false).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        // The same lesson a week later is its own teacher's again.
        let later = set_link(&stand_in, &lesson_text, "2026-11-30", link, false).await;
        assert_eq!(later.status, StatusCode::FORBIDDEN, "{}", later.text);
        // Their week shows the lesson as theirs, with the link they gave; so does the class's.
        let week = stand_in
            .call("timetable/week", &[("whose", ""), ("week_of", MONDAY)])
            .await;
        let card = lessons_of_day(&week.body, 0)
            .into_iter()
            .find(|l| l["lesson_id"].as_i64() == Some(lesson))
            .unwrap_or_else(|| panic!("no stand-in lesson: {}", week.text));
        assert_eq!(
            (card["mine"].as_bool(), card["link"].as_str()),
            (Some(true), Some(link))
        );
        let admin = app.logged_in("admin").await;
        let class_week = admin
            .call(
                "timetable/week",
                &[("whose", &format!("class:{class}")), ("week_of", MONDAY)],
            )
            .await;
        let seen = lessons_of_day(&class_week.body, 0)
            .into_iter()
            .find(|l| l["lesson_id"].as_i64() == Some(lesson))
            .unwrap();
        assert_eq!(seen["link"], link);
    }
);

on_both_backends!(
    a_weeks_records_in_one_query_match_the_separate_ones,
    |app: TestApp| async move {
        use app::timetable::{store, MaterialRef};
        let db = &app.db;
        let (lesson, class) = monday_lesson_of(&app, "teacher").await;
        let class = class_id(&app, &class).await;
        let teacher = user_id(&app, "teacher").await;
        let stand_in = user_id(&app, "teacher030").await;
        let now = 1_764_000_000_i64;
        sqlx::query(
            "INSERT INTO lesson_occurrences (lesson_id, date, link, topic, updated_by, updated_at)
             VALUES ($1, $2, 'https://meet.example/5a', 'Бөлчөктөр', $3, $4)
             ON CONFLICT (lesson_id, date) DO UPDATE SET link = excluded.link, topic = excluded.topic",
        )
        .bind(lesson)
        .bind(MONDAY)
        .bind(teacher)
        .bind(now)
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO lesson_changes (lesson_id, date, kind, substitute_id, note, set_by, set_at)
             VALUES ($1, $2, 'substitute', $3, 'Мугалим ооруп калды', $4, $5)
             ON CONFLICT (lesson_id, date) DO NOTHING",
        )
        .bind(lesson)
        .bind(MONDAY)
        .bind(stand_in)
        .bind(teacher)
        .bind(now)
        .execute(&db.pool)
        .await
        .unwrap();
        let mut uploaded = Vec::new();
        for (name, size) in [("b-tapshyrma.pdf", 2048_i64), ("a-sabak.pdf", 512)] {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO lesson_materials (lesson_id, date, file_name, mime, size, data, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6, $7) RETURNING id",
            )
            .bind(lesson)
            .bind(MONDAY)
            .bind(name)
            .bind(size)
            .bind(vec![0u8; 4])
            .bind(teacher)
            .bind(now)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            uploaded.push(MaterialRef {
                id,
                name: name.into(),
                size,
            });
        }
        let to = "2026-11-28";
        // The stand-in gives the lesson that day: their week holds its link and materials too.
        let stranger = user_id(&app, "teacher031").await;
        for (who, class_id, teacher_id, gives) in [
            ("the class", Some(class), None, true),
            ("its teacher", None, Some(teacher), true),
            ("the stand-in", None, Some(stand_in), true),
            ("another teacher", None, Some(stranger), false),
        ] {
            let week = store::week_records(db, class_id, teacher_id, MONDAY, to)
                .await
                .unwrap();
            let occurrences = store::occurrences(db, class_id, teacher_id, MONDAY, to)
                .await
                .unwrap();
            let changes = store::changes_between(db, class_id, teacher_id, MONDAY, to)
                .await
                .unwrap();
            assert_eq!(week.occurrences, occurrences, "{who}");
            assert_eq!(week.changes, changes, "{who}");
            let given = week.occurrences.get(&(lesson, MONDAY.to_string()));
            let materials = week.materials.get(&(lesson, MONDAY.to_string()));
            if !gives {
                assert_eq!((given, materials), (None, None), "{who}");
                assert!(
                    !week.changes.contains_key(&(lesson, MONDAY.to_string())),
                    "{who}"
                );
                continue;
            }
            let change = &week.changes[&(lesson, MONDAY.to_string())];
            assert_eq!(
                (
                    change.kind.as_str(),
                    change.substitute_id,
                    change.note.as_str()
                ),
                ("substitute", Some(stand_in), "Мугалим ооруп калды"),
                "{who}"
            );
            assert!(change.substitute_name.is_some(), "{who}");
            assert_eq!(
                given,
                Some(&(
                    Some("https://meet.example/5a".to_string()),
                    Some("Бөлчөктөр".to_string())
                )),
                "{who}"
            );
            // In upload order, not by name.
            assert_eq!(materials, Some(&uploaded), "{who}");
        }
    }
);

on_both_backends!(
    a_kept_week_follows_every_change_and_language,
    |app: TestApp| async move {
        // The week's navigation and day are HTML kept per class, week, day and language while
        // what they show stays equal: the next page after a change must show it at once.
        let student = app.logged_in("student").await; // 5А
        let (lesson, weekday): (i64, i64) = sqlx::query_as(
            "SELECT l.id, l.weekday FROM lessons l JOIN users u ON u.id = l.teacher_id
             JOIN classes c ON c.id = l.class_id
             WHERE u.login = 'teacher' AND c.name = '5А' ORDER BY l.weekday, l.period LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let date = format!("2026-11-{}", 23 + weekday);
        let page = format!("/timetable?week={MONDAY}&day={weekday}");
        let topic = "Жөнөкөй бөлчөктөрдү салыштыруу";
        for _ in 0..2 {
            let before = student.get(&page, "ky").await;
            assert_eq!(before.status, StatusCode::OK);
            assert!(!before.text.contains(topic));
        }
        let teacher = app.logged_in("teacher").await;
        let lesson = lesson.to_string();
        let saved = teacher
            .call(
                "timetable/occurrence",
                &[
                    ("lesson_id", lesson.as_str()),
                    ("date", date.as_str()),
                    ("link", "https://meet.example/kept"),
                    ("topic", topic),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        let after = student.get(&page, "ky").await;
        assert!(after.text.contains(topic), "the new topic at once");
        // Each language its own copy; the Kyrgyz one is still there afterwards.
        let russian = student.get(&page, "ru").await;
        assert!(russian.text.contains("Понедельник"), "Russian day tabs");
        assert!(!russian.text.contains("Дүйшөмбү"));
        let kyrgyz = student.get(&page, "ky").await;
        assert!(kyrgyz.text.contains("Дүйшөмбү") && kyrgyz.text.contains(topic));
        // Another day of the same week is another copy, with that day's lessons.
        let other_day = student
            .get(
                &format!("/timetable?week={MONDAY}&day={}", (weekday + 1) % 6),
                "ky",
            )
            .await;
        assert!(
            !other_day.text.contains(topic),
            "the topic on its own day only"
        );
    }
);
