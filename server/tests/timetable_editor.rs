//! The admin's timetable editor through the real HTTP stack, on SQLite and PostgreSQL: every
//! clash refused with what clashes and when, every bad value refused, nothing changed by a
//! refusal, and a lesson added, changed and removed (and kept when it has a record).

mod common;

use app::error::{AppError, Field, Reason};
use app::timetable::rules::ClashKind;
use common::{accepted, app_error, class_id, refused, user_id, TestApp, Visitor};
use reqwest::StatusCode;

/// A teacher with no lesson at that weekday and period anywhere.
async fn free_teacher(app: &TestApp, weekday: i64, period: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT u.id FROM users u JOIN role_grants g ON g.user_id = u.id AND g.role = 'teacher'
         WHERE u.active = 1 AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.teacher_id = u.id
           AND l.weekday = $1 AND l.period = $2)
         ORDER BY u.id LIMIT 1",
    )
    .bind(weekday)
    .bind(period)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    id
}

async fn save(admin: &Visitor, fields: &[(&str, String)]) -> common::Answer {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    admin.call("timetable/save_lesson", &pairs).await
}

fn lesson(
    class: i64,
    weekday: i64,
    period: i64,
    subject: i64,
    teacher: i64,
    room: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("class_id", class.to_string()),
        ("weekday", weekday.to_string()),
        ("period", period.to_string()),
        ("subject_id", subject.to_string()),
        ("teacher_id", teacher.to_string()),
        ("form", "practice".into()),
        ("mode", "in_school".into()),
        ("room", room.into()),
        ("weeks", "all".into()),
    ]
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    match form.iter_mut().find(|(k, _)| *k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => form.push((key, value.to_string())),
    }
    form
}

fn clash(kind: ClashKind, weekday: u8, period: u8) -> Reason {
    Reason::Clash {
        kind,
        weekday,
        period,
    }
}

on_both_backends!(
    the_editor_refuses_clashes_and_bad_values_and_edits_the_week,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let class = class_id(&app, "5А").await;
        let page = admin
            .call("timetable/editor", &[("class_id", &class.to_string())])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let in_db = common::count(
            &app.db,
            &format!("SELECT COUNT(*) FROM lessons WHERE class_id = {class}"),
        )
        .await;
        assert_eq!(page.body["lessons"].as_array().unwrap().len() as i64, in_db);
        assert_eq!(page.body["class_name"], "5А");
        assert_eq!(page.body["days"], 5);
        assert_eq!(page.body["periods"].as_array().unwrap().len(), 6);
        let subject = page.body["subjects"][0][0].as_i64().unwrap();
        // Only admins: a teacher is refused.
        let teacher = app.logged_in("teacher").await;
        assert_eq!(
            app_error(&teacher.call("timetable/editor", &[]).await),
            AppError::Forbidden
        );

        let before = common::count(&app.db, "SELECT COUNT(*) FROM lessons").await;
        // The class has a lesson on Monday, period 1.
        let free_mon_1 = free_teacher(&app, 0, 1).await;
        refused(
            &save(&admin, &lesson(class, 0, 1, subject, free_mon_1, "")).await,
            Field::Lesson,
            clash(ClashKind::Class, 0, 1),
        );
        // 5А has five periods: the sixth is free, but this teacher teaches another class then.
        let (busy_mon_6, other_lesson): (i64, i64) = sqlx::query_as("SELECT teacher_id, id FROM lessons WHERE weekday = 0 AND period = 6 ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        refused(
            &save(&admin, &lesson(class, 0, 6, subject, busy_mon_6, "")).await,
            Field::Lesson,
            clash(ClashKind::Teacher, 0, 6),
        );
        // A room taken then by that other lesson (rooms compare without case or spaces around).
        sqlx::query("UPDATE lessons SET room = 'Б-201' WHERE id = $1")
            .bind(other_lesson)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let free_mon_6 = free_teacher(&app, 0, 6).await;
        refused(
            &save(&admin, &lesson(class, 0, 6, subject, free_mon_6, " б-201 ")).await,
            Field::Lesson,
            clash(ClashKind::Room, 0, 6),
        );
        // Values that cannot be.
        let good = lesson(class, 0, 6, subject, free_mon_6, "Б-202");
        refused(
            &save(&admin, &with(good.clone(), "weekday", "5")).await,
            Field::Weekday,
            Reason::OutOfRange,
        );
        refused(
            &save(&admin, &with(good.clone(), "weekday", "пн")).await,
            Field::Weekday,
            Reason::BadFormat,
        );
        refused(
            &save(&admin, &with(good.clone(), "period", "9")).await,
            Field::Period,
            Reason::OutOfRange,
        );
        let student = user_id(&app, "student").await.to_string();
        refused(
            &save(&admin, &with(good.clone(), "teacher_id", &student)).await,
            Field::Teacher,
            Reason::NotATeacher,
        );
        refused(
            &save(&admin, &with(good.clone(), "subject_id", "999999")).await,
            Field::Subject,
            Reason::OutOfRange,
        );
        refused(
            &save(&admin, &with(good.clone(), "weeks", "13-2")).await,
            Field::Weeks,
            Reason::BadFormat,
        );
        refused(
            &save(&admin, &with(good.clone(), "room", &"Б".repeat(21))).await,
            Field::Room,
            Reason::TooLong,
        );
        refused(
            &save(&admin, &with(good.clone(), "class_id", "999999")).await,
            Field::Class,
            Reason::UnknownClass,
        );
        assert_eq!(
            app_error(&save(&admin, &with(good.clone(), "lesson_id", "999999")).await),
            AppError::NotFound
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lessons").await,
            before,
            "refusals change nothing"
        );

        // Without JavaScript a clash comes back to the class's editor with the reason.
        let plain = admin
            .submit(
                "timetable/save_lesson",
                &lesson(class, 0, 1, subject, free_mon_1, "")
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>(),
            )
            .await;
        let location = plain.location.unwrap();
        assert!(
            location.starts_with(&format!("/admin/timetable?class={class}&error=")),
            "{location}"
        );

        // Added in the free sixth period: the class's students see it on Monday.
        accepted(&save(&admin, &good).await);
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lessons").await,
            before + 1
        );
        let (added,): (i64,) = sqlx::query_as(
            "SELECT id FROM lessons WHERE class_id = $1 AND weekday = 0 AND period = 6",
        )
        .bind(class)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let pupil = app.logged_in("student").await;
        let week = pupil
            .call("timetable/week", &[("whose", ""), ("week_of", "")])
            .await;
        assert!(
            week.body["days"][0]["lessons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["lesson_id"] == added),
            "{}",
            week.text
        );
        // Changed (moved to Tuesday, odd weeks), then removed: it has no record yet.
        let free_tue_6 = free_teacher(&app, 1, 6).await;
        let moved = with(
            with(
                lesson(class, 1, 6, subject, free_tue_6, "Б-202"),
                "weeks",
                "odd",
            ),
            "lesson_id",
            &added.to_string(),
        );
        accepted(&save(&admin, &moved).await);
        let (weekday, weeks): (i64, String) =
            sqlx::query_as("SELECT weekday, weeks FROM lessons WHERE id = $1")
                .bind(added)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((weekday, weeks.as_str()), (1, "odd"));
        accepted(
            &admin
                .call(
                    "timetable/delete_lesson",
                    &[("lesson_id", &added.to_string())],
                )
                .await,
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lessons").await,
            before
        );
        // A lesson with a record is kept: change it instead.
        let (first,): (i64,) = sqlx::query_as(
            "SELECT id FROM lessons WHERE class_id = $1 AND weekday = 0 AND period = 1",
        )
        .bind(class)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO lesson_joins (lesson_id, date, student_id, at) VALUES ($1, '2026-11-16', $2, 0)")
            .bind(first)
            .bind(user_id(&app, "student").await)
            .execute(&app.db.pool)
            .await
            .unwrap();
        refused(
            &admin
                .call(
                    "timetable/delete_lesson",
                    &[("lesson_id", &first.to_string())],
                )
                .await,
            Field::Lesson,
            Reason::HasHistory,
        );
        assert_eq!(
            app_error(
                &admin
                    .call("timetable/delete_lesson", &[("lesson_id", "999999")])
                    .await
            ),
            AppError::NotFound
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lessons").await,
            before
        );
    }
);

on_both_backends!(
    changes_on_a_date_show_to_students_and_teachers_and_notify_parents,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let class = class_id(&app, "5А").await;
        // A Friday lesson of 5А whose teacher is free in the sixth period (5А has five).
        let (lesson, teacher, teacher_name, period): (i64, i64, String, i64) = sqlx::query_as(
            "SELECT l.id, l.teacher_id, u.full_name, l.period FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE l.class_id = $1 AND l.weekday = 4 AND NOT EXISTS (SELECT 1 FROM lessons o
               WHERE o.teacher_id = l.teacher_id AND o.weekday = 4 AND o.period = 6)
             ORDER BY l.period LIMIT 1",
        )
        .bind(class)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let monday = app::timetable::rules::monday_of(app::db::today());
        let friday = app::timetable::rules::iso_date(monday + 4);
        let change = |date: &str, kind: &str, substitute: &str, moved_to: &str| {
            vec![
                ("lesson_id", lesson.to_string()),
                ("date", date.to_string()),
                ("kind", kind.to_string()),
                ("substitute_id", substitute.to_string()),
                ("moved_to", moved_to.to_string()),
                ("note", "Мугалим семинарда".to_string()),
            ]
        };
        // Refusals: a past date, a day the lesson does not run, the regular teacher as the
        // substitute, a busy substitute, a move onto another lesson of the class.
        let past = app::timetable::rules::iso_date(monday);
        refused(
            &save_as(
                &admin,
                "timetable/change",
                &change(&past, "cancelled", "", ""),
            )
            .await,
            Field::Date,
            Reason::OutOfRange,
        );
        let thursday = app::timetable::rules::iso_date(monday + 3);
        refused(
            &save_as(
                &admin,
                "timetable/change",
                &change(&thursday, "cancelled", "", ""),
            )
            .await,
            Field::Date,
            Reason::NotThatDay,
        );
        refused(
            &save_as(
                &admin,
                "timetable/change",
                &change(&friday, "substitute", &teacher.to_string(), ""),
            )
            .await,
            Field::Teacher,
            Reason::OutOfRange,
        );
        let (busy,): (i64,) = sqlx::query_as("SELECT teacher_id FROM lessons WHERE weekday = 4 AND period = $1 AND teacher_id <> $2 LIMIT 1")
            .bind(period)
            .bind(teacher)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        refused(
            &save_as(
                &admin,
                "timetable/change",
                &change(&friday, "substitute", &busy.to_string(), ""),
            )
            .await,
            Field::Lesson,
            clash(ClashKind::Teacher, 4, period as u8),
        );
        let other_period = if period == 1 { 2 } else { 1 };
        refused(
            &save_as(
                &admin,
                "timetable/change",
                &change(&friday, "moved", "", &other_period.to_string()),
            )
            .await,
            Field::Lesson,
            clash(ClashKind::Class, 4, other_period as u8),
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM lesson_changes").await,
            0
        );

        // A free substitute: the student's Friday shows it, the substitute teaches it that day.
        let free = free_teacher(&app, 4, period).await;
        accepted(
            &save_as(
                &admin,
                "timetable/change",
                &change(&friday, "substitute", &free.to_string(), ""),
            )
            .await,
        );
        let student = app.logged_in("student").await;
        let card = |week: serde_json::Value| {
            week["days"][4]["lessons"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["lesson_id"] == lesson)
                .cloned()
        };
        let seen = card(
            student
                .call("timetable/week", &[("whose", ""), ("week_of", "")])
                .await
                .body,
        )
        .unwrap();
        assert_eq!(seen["change"]["kind"], "Substitute");
        assert_eq!(seen["change"]["regular_teacher"], teacher_name.as_str());
        let (free_login, free_name): (String, String) =
            sqlx::query_as("SELECT login, full_name FROM users WHERE id = $1")
                .bind(free)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(seen["teacher_name"], free_name.as_str());
        let substitute = app.logged_in(&free_login).await;
        let theirs = card(
            substitute
                .call("timetable/week", &[("whose", ""), ("week_of", "")])
                .await
                .body,
        )
        .expect("in the substitute's week");
        assert_eq!(theirs["mine"], true);
        // The week after, the lesson is back to normal and not in the substitute's week.
        let next_week = app::timetable::rules::iso_date(monday + 7);
        assert!(card(
            substitute
                .call("timetable/week", &[("whose", ""), ("week_of", &next_week)])
                .await
                .body
        )
        .is_none());

        // Moved to the free sixth period: the card moves; the regular teacher teaches it.
        accepted(
            &save_as(
                &admin,
                "timetable/change",
                &change(&friday, "moved", "", "6"),
            )
            .await,
        );
        let moved = card(
            student
                .call("timetable/week", &[("whose", ""), ("week_of", "")])
                .await
                .body,
        )
        .unwrap();
        assert_eq!(
            (
                moved["period"].as_i64(),
                moved["change"]["regular_period"].as_i64()
            ),
            (Some(6), Some(period))
        );

        // Cancelled, with a notice to the parents in their language.
        let notices_before = common::count(&app.db, "SELECT COUNT(*) FROM notices").await;
        let mut cancel = change(&friday, "cancelled", "", "");
        cancel.push(("notify", "1".into()));
        accepted(&save_as(&admin, "timetable/change", &cancel).await);
        let families = common::count(&app.db, &format!("SELECT COUNT(*) FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id WHERE e.class_id = {class}")).await;
        assert!(common::count(&app.db, "SELECT COUNT(*) FROM notices").await > notices_before);
        assert_eq!(
            common::count(&app.db, &format!("SELECT COUNT(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id WHERE n.subject LIKE '%{friday}%'")).await,
            families
        );
        let parent = app.logged_in("parent").await;
        let notices = parent.call("notices/page", &[]).await.body["parent"].clone();
        let first = &notices[0];
        assert_eq!(first["subject"], format!("Жадыбалда өзгөрүү: {friday}"));
        assert!(
            first["body"].as_str().unwrap().contains("болбойт"),
            "{first}"
        );
        let cancelled = card(
            student
                .call("timetable/week", &[("whose", ""), ("week_of", "")])
                .await
                .body,
        )
        .unwrap();
        assert_eq!(cancelled["change"]["kind"], "Cancelled");
        // Taken back: the lesson is as the timetable says.
        accepted(&save_as(&admin, "timetable/change", &change(&friday, "none", "", "")).await);
        let normal = card(
            student
                .call("timetable/week", &[("whose", ""), ("week_of", "")])
                .await
                .body,
        )
        .unwrap();
        assert!(normal["change"].is_null());
        // Only admins change the timetable.
        let teacher_visitor = app.logged_in("teacher").await;
        assert_eq!(
            app_error(
                &save_as(
                    &teacher_visitor,
                    "timetable/change",
                    &change(&friday, "cancelled", "", "")
                )
                .await
            ),
            AppError::Forbidden
        );
    }
);

async fn save_as(v: &Visitor, endpoint: &str, fields: &[(&str, String)]) -> common::Answer {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    v.call(endpoint, &pairs).await
}

on_both_backends!(
    a_substitute_runs_the_timer_of_the_lesson_they_stand_in_for,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let today = app::db::today();
        let weekday = app::timetable::rules::weekday_of(today) as i64;
        // Two of the demo teacher's lessons today: one given to a substitute, one cancelled.
        let own: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT l.id, l.period FROM lessons l JOIN users u ON u.id = l.teacher_id
             WHERE u.login = 'teacher' AND l.weekday = $1 ORDER BY l.period",
        )
        .bind(weekday)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert!(own.len() >= 2, "the demo teacher has two lessons today");
        let ((given, period), (cancelled, _)) = (own[0], own[1]);
        let free = free_teacher(&app, weekday, period).await;
        let iso = app::timetable::rules::iso_date(today);
        let change = |lesson: i64, kind: &str, substitute: String| {
            vec![
                ("lesson_id", lesson.to_string()),
                ("date", iso.clone()),
                ("kind", kind.to_string()),
                ("substitute_id", substitute),
                ("moved_to", String::new()),
                ("note", String::new()),
            ]
        };
        accepted(
            &save_as(
                &admin,
                "timetable/change",
                &change(given, "substitute", free.to_string()),
            )
            .await,
        );
        accepted(
            &save_as(
                &admin,
                "timetable/change",
                &change(cancelled, "cancelled", String::new()),
            )
            .await,
        );

        let lessons_of = |page: serde_json::Value| -> Vec<i64> {
            page["Teacher"]["lessons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["lesson_id"].as_i64().unwrap())
                .collect()
        };
        // The regular teacher's day has neither lesson, and their start is refused.
        let regular = app.logged_in("teacher").await;
        let day = lessons_of(regular.call("timer/page", &[]).await.body);
        assert!(
            !day.contains(&given) && !day.contains(&cancelled),
            "{day:?}"
        );
        let start = |lesson: i64| {
            vec![
                ("lesson_id", lesson.to_string()),
                ("minutes", "20".to_string()),
            ]
        };
        let refused_start = save_as(&regular, "timer/start", &start(given)).await;
        refused(&refused_start, Field::Timer, Reason::NotToday);

        // The substitute has it today and starts its timer; nobody can start the cancelled one.
        let (free_login,): (String,) = sqlx::query_as("SELECT login FROM users WHERE id = $1")
            .bind(free)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let substitute = app.logged_in(&free_login).await;
        assert!(lessons_of(substitute.call("timer/page", &[]).await.body).contains(&given));
        let started = save_as(&substitute, "timer/start", &start(given)).await;
        accepted(&started);
        let (runner,): (i64,) =
            sqlx::query_as("SELECT teacher_id FROM timer_runs WHERE lesson_id = $1")
                .bind(given)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(runner, free);
        let cancelled_start = save_as(&regular, "timer/start", &start(cancelled)).await;
        refused(&cancelled_start, Field::Timer, Reason::NotToday);
    }
);

/// A lesson as `class_as_csv` reads it.
type LessonCells = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

/// A class's weekly lessons as import rows (weekday 1-6, subject in English, teacher login).
async fn class_as_csv(app: &TestApp, class: &str) -> Vec<String> {
    let rows: Vec<LessonCells> = sqlx::query_as(
        "SELECT l.weekday, l.period, s.name_en, u.login, l.form, l.mode, l.room, l.weeks
         FROM lessons l JOIN classes c ON c.id = l.class_id JOIN subjects s ON s.id = l.subject_id
         JOIN users u ON u.id = l.teacher_id WHERE c.name = $1 ORDER BY l.weekday, l.period",
    )
    .bind(class)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(d, p, subject, teacher, form, mode, room, weeks)| {
            format!(
                "{class},{},{p},{subject},{teacher},{form},{mode},{},{weeks}",
                d + 1,
                room.unwrap_or_default()
            )
        })
        .collect()
}

on_both_backends!(
    a_whole_timetable_is_imported_all_or_nothing,
    |app: TestApp| async move {
        let admin = app.logged_in("admin").await;
        let header = "class,weekday,period,subject,teacher,form,mode,room,weeks";
        let lessons = || common::count(&app.db, "SELECT COUNT(*) FROM lessons");
        let before = lessons().await;
        let mut rows = class_as_csv(&app, "11Б").await;
        assert!(rows.len() > 5, "11Б has a week of lessons");

        // Without "replace", 11Б's own lessons clash with the file; bad rows are named too.
        let mut bad = vec![header.to_string(), rows[0].clone()];
        bad.push("12Я,1,1,Mathematics,teacher,lecture,online,,all".into());
        bad.push(rows[1].replace(",all", ",sometimes"));
        let csv = bad.join("\n");
        let refused_import = admin.call("timetable/import", &[("csv", &csv)]).await;
        let AppError::Import(errors) = app_error(&refused_import) else {
            panic!("not an import refusal: {}", refused_import.text)
        };
        let found: Vec<(usize, Field)> = errors.iter().map(|e| (e.line, e.field)).collect();
        assert_eq!(
            found,
            vec![(2, Field::Lesson), (3, Field::Class), (4, Field::Weeks)],
            "{errors:?}"
        );
        assert!(matches!(
            errors[0].reason,
            Reason::Clash {
                kind: ClashKind::Class,
                ..
            }
        ));
        assert_eq!(lessons().await, before);

        // With "replace": 11Б's week gives way to the file's (one room changed); all or nothing.
        rows[0] = {
            let mut cells: Vec<&str> = rows[0].split(',').collect();
            cells[7] = "204";
            cells.join(",")
        };
        let csv = std::iter::once(header.to_string())
            .chain(rows.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        let done = admin
            .call("timetable/import", &[("csv", &csv), ("replace", "1")])
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert_eq!(done.body["created"], rows.len());
        assert_eq!(done.body["removed"], rows.len());
        assert_eq!(lessons().await, before);
        assert_eq!(class_as_csv(&app, "11Б").await, rows);

        // A class whose lessons have a record (a Join) is not replaced; nothing changes.
        sqlx::query(
            "INSERT INTO lesson_joins (lesson_id, date, student_id, at)
             SELECT l.id, '2026-11-23', e.student_id, 0 FROM lessons l
             JOIN classes c ON c.id = l.class_id JOIN enrolments e ON e.class_id = c.id
             WHERE c.name = '11Б' ORDER BY l.id, e.student_id LIMIT 1",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let kept = admin
            .call("timetable/import", &[("csv", &csv), ("replace", "1")])
            .await;
        let AppError::Import(errors) = app_error(&kept) else {
            panic!("not an import refusal: {}", kept.text)
        };
        assert_eq!(
            (errors[0].line, errors[0].field, errors[0].reason),
            (2, Field::Class, Reason::HasHistory)
        );
        assert_eq!(class_as_csv(&app, "11Б").await, rows);

        // Only admins import.
        let teacher = app.logged_in("teacher").await;
        assert_eq!(
            app_error(&teacher.call("timetable/import", &[("csv", &csv)]).await),
            AppError::Forbidden
        );
    }
);
