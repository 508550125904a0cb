//! The contest through the real HTTP stack, on SQLite and PostgreSQL: applications in their
//! window, the organiser's dates, assignment with conflicts, scoring with every refusal, the
//! live scoreboard, frozen results with their SHA-256, and the public results page.

// Test tables are spelled out where they are used.
#![allow(clippy::type_complexity)]

mod common;

use app::error::{AppError, Field, Reason};
use common::{accepted, app_error, refused, user_id, Answer, TestApp, Visitor};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

async fn home(v: &Visitor) -> Value {
    let answer = v.call("contest/home", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

/// The nomination ids in order, and today's day number on the server.
async fn nominations(v: &Visitor) -> (Vec<i64>, i64) {
    let home = home(v).await;
    let ids = home["nominations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    (ids, home["edition"]["today"].as_i64().unwrap())
}

fn iso(day: i64) -> String {
    app::timetable::rules::iso_date(day)
}

/// The organiser moves the edition so that `today` falls in a phase: dates relative to today.
async fn set_dates(organiser: &Visitor, offsets: [i64; 8], today: i64) -> Answer {
    let form = common::contest_settings_form(today, offsets, "3", "5");
    common::call_owned(organiser, "contest/settings", &form).await
}

/// After the freeze only the announcement and award dates may move: announce today, keeping
/// every date up to the end of judging as it is.
async fn announce_today(app: &TestApp, organiser: &Visitor, today: i64) -> Answer {
    let kept: (String, String, String, String, String) = sqlx::query_as(
        "SELECT apply_opens, apply_closes, experts_by, judging_opens, judging_closes
         FROM contest_editions ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (announce, from, until) = (iso(today), iso(today + 10), iso(today + 20));
    let form = [
        ("apply_opens", kept.0.as_str()),
        ("apply_closes", &kept.1),
        ("experts_by", &kept.2),
        ("judging_opens", &kept.3),
        ("judging_closes", &kept.4),
        ("announce_on", &announce),
        ("awards_from", &from),
        ("awards_until", &until),
        ("min_experts", "3"),
        ("experts_per_nomination", "5"),
        ("spread_limit", "10"),
    ];
    organiser.call("contest/settings", &form).await
}

const APPOINTING: [i64; 8] = [-20, -1, 0, 1, 20, 30, 40, 50];
const JUDGING: [i64; 8] = [-20, -10, -9, -1, 10, 20, 30, 40];
const ANNOUNCED: [i64; 8] = [-60, -50, -49, -48, -20, 0, 10, 20];

fn application<'a>(nomination: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("nomination_id", nomination),
        ("faculty", "Педагогика факультети"),
        ("department", "Физика кафедрасы"),
        ("position", "Улук окутуучу"),
        ("full_name", "Осмонова Айгүл"),
        ("email", email),
        ("phone", "+996 700 123 456"),
        ("social_link", "https://facebook.com/aigul"),
        ("lesson_title", "Ньютондун мыйзамдары"),
        ("plan_link", "https://sabak.kg/plan.pdf"),
        ("confirmed", "1"),
    ]
}

fn with<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

/// The scoring form of `n` criteria with these scores (one per criterion).
fn score_form(
    entry: &str,
    criteria: &[i64],
    scores: &[&str],
    submit: bool,
) -> Vec<(String, String)> {
    let mut form = vec![("application_id".to_string(), entry.to_string())];
    for (i, (c, s)) in criteria.iter().zip(scores).enumerate() {
        form.push((format!("criteria[{i}]"), c.to_string()));
        form.push((format!("scores[{i}]"), s.to_string()));
        form.push((format!("comments[{i}]"), format!("пикир {i}")));
    }
    if submit {
        form.push(("submit".into(), "1".into()));
    }
    form
}

async fn score(v: &Visitor, form: &[(String, String)]) -> Answer {
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.call("contest/score", &borrowed).await
}

on_both_backends!(
    applications_are_checked_and_kept_to_their_window,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let organiser = app.logged_in("organiser").await;
        let home0 = home(&teacher).await;
        assert_eq!(home0["edition"]["phase"], "Applications");
        let counts: Vec<usize> = home0["nominations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["criteria"].as_array().unwrap().len())
            .collect();
        assert_eq!(counts, vec![8, 6, 9], "the regulation's criteria");
        let (noms, today) = nominations(&teacher).await;
        let first = noms[0].to_string();
        let video = noms[2].to_string();

        // Every bad input is refused with its field, and nothing is saved.
        let form = application(&first, "aigul@sabak.kg");
        let long_title = "ы".repeat(301);
        let cases: Vec<(Vec<(&str, &str)>, Field, Reason)> = vec![
            (
                with(form.clone(), "confirmed", ""),
                Field::Confirmation,
                Reason::Empty,
            ),
            (
                with(form.clone(), "plan_link", "javascript:alert(1)"),
                Field::PlanLink,
                Reason::BadFormat,
            ),
            (
                with(form.clone(), "plan_link", ""),
                Field::PlanLink,
                Reason::Empty,
            ),
            (
                with(form.clone(), "email", "not-an-email"),
                Field::Email,
                Reason::BadFormat,
            ),
            (with(form.clone(), "phone", ""), Field::Phone, Reason::Empty),
            (
                with(form.clone(), "faculty", "   "),
                Field::Faculty,
                Reason::Empty,
            ),
            (
                with(form.clone(), "lesson_title", &long_title),
                Field::LessonTitle,
                Reason::TooLong,
            ),
            (
                with(form.clone(), "nomination_id", "999999"),
                Field::Nomination,
                Reason::OutOfRange,
            ),
            (
                application(&video, "aigul@sabak.kg"),
                Field::VideoLink,
                Reason::Empty,
            ),
        ];
        for (bad, field, reason) in cases {
            refused(&teacher.call("contest/apply", &bad).await, field, reason);
        }
        assert!(home(&teacher).await["mine"].as_array().unwrap().is_empty());

        // A good application is kept; a second one in the same nomination is refused.
        accepted(&teacher.call("contest/apply", &form).await);
        let mine = home(&teacher).await["mine"].as_array().unwrap().clone();
        assert_eq!(mine.len(), 1);
        let id = mine[0]["id"].as_i64().unwrap().to_string();
        refused(
            &teacher.call("contest/apply", &form).await,
            Field::Nomination,
            Reason::AlreadyTaken,
        );
        // Editing is allowed to the owner only.
        let edit = with(form.clone(), "lesson_title", "Ньютондун үч мыйзамы");
        let edit = with(edit, "application_id", &id);
        accepted(&teacher.call("contest/apply", &edit).await);
        let other = app.logged_in("teacher010").await;
        assert_eq!(
            other.call("contest/apply", &edit).await.status,
            StatusCode::FORBIDDEN
        );
        let page = teacher
            .call("contest/application", &[("nomination_id", &first)])
            .await;
        assert_eq!(page.body["form"]["lesson_title"], "Ньютондун үч мыйзамы");
        // Students cannot apply.
        let student = app.logged_in("student").await;
        assert_eq!(
            student.call("contest/apply", &form).await.status,
            StatusCode::FORBIDDEN
        );

        // The organiser words a criterion anew (three languages, none empty) before judging.
        let criterion = home0["nominations"][0]["criteria"][0]["id"]
            .as_i64()
            .unwrap()
            .to_string();
        let rename = |ky: &'static str| {
            let criterion = criterion.clone();
            let organiser = &organiser;
            async move {
                organiser
                    .call(
                        "contest/titles",
                        &[
                            ("kind", "criterion"),
                            ("id", criterion.as_str()),
                            ("title_ky", ky),
                            ("title_ru", "Платформы"),
                            ("title_en", "Platforms"),
                        ],
                    )
                    .await
            }
        };
        refused(&rename(" ").await, Field::Setting, Reason::Empty);
        accepted(&rename("Платформалар").await);
        assert_eq!(
            home(&teacher).await["nominations"][0]["criteria"][0]["title"]["ky"],
            "Платформалар"
        );

        // Dates out of the regulation's order are refused.
        let wrong = set_dates(&organiser, [0, 5, 5, 6, 10, 20, 30, 40], today).await;
        refused(&wrong, Field::Date, Reason::OutOfOrder { position: 2 });
        // After the close, applications are refused with the window's dates.
        accepted(&set_dates(&organiser, APPOINTING, today).await);
        let late = teacher
            .call(
                "contest/apply",
                &application(&noms[1].to_string(), "a@sabak.kg"),
            )
            .await;
        refused(
            &late,
            Field::Nomination,
            Reason::OutOfPhase {
                from: (today - 20) as i32,
                until: (today - 1) as i32,
            },
        );
        // The same refusal from a plain form goes back to the form with the reason.
        let plain = teacher
            .submit(
                "contest/apply",
                &application(&noms[1].to_string(), "a@sabak.kg"),
            )
            .await;
        assert!(plain.status.is_redirection());
        let location = plain.location.clone().unwrap_or_default();
        assert!(
            location.starts_with("/contest/apply?nomination="),
            "{location}"
        );
        assert!(matches!(
            common::error_in_location(&location),
            Some(AppError::Invalid {
                reason: Reason::OutOfPhase { .. },
                ..
            })
        ));
    }
);

/// The experts of an entry in the organiser's view.
async fn experts_of(organiser: &Visitor) -> Vec<(i64, i64, Vec<i64>)> {
    let page = organiser.call("contest/manage", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["nomination_id"].as_i64().unwrap(),
                e["experts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["expert_id"].as_i64().unwrap())
                    .collect(),
            )
        })
        .collect()
}

on_both_backends!(
    experts_score_assigned_entries_and_results_freeze,
    |app: TestApp| async move {
        let organiser = app.logged_in("organiser").await;
        let (noms, today) = nominations(&organiser).await;

        // Assignment waits for the applications to close.
        // (The demo edition takes applications for another week.)
        let early = organiser.call("contest/assign", &[]).await;
        assert_eq!(
            app_error(&early),
            AppError::invalid(
                Field::Entry,
                Reason::OutOfPhase {
                    from: (today + 8) as i32,
                    until: (today + 38) as i32,
                },
            )
        );
        accepted(&set_dates(&organiser, APPOINTING, today).await);
        accepted(&organiser.call("contest/assign", &[]).await);
        let assigned = experts_of(&organiser).await;
        assert_eq!(assigned.len(), 6, "the six demo applications");
        // Every entry has at least three experts, none from the applicant's department.
        let (departments, council): (Vec<(i64, String)>, Vec<(i64, i64, String)>) = (
            sqlx::query_as("SELECT id, department FROM contest_applications")
                .fetch_all(&app.db.pool)
                .await
                .unwrap(),
            sqlx::query_as("SELECT expert_id, nomination_id, department FROM contest_experts")
                .fetch_all(&app.db.pool)
                .await
                .unwrap(),
        );
        for (entry, nomination, experts) in &assigned {
            assert!(experts.len() >= 3, "entry {entry}: {experts:?}");
            let department = &departments.iter().find(|d| d.0 == *entry).unwrap().1;
            for x in experts {
                let member = council
                    .iter()
                    .find(|c| c.0 == *x && c.1 == *nomination)
                    .expect("an expert of the entry's nomination");
                assert_ne!(&member.2, department, "same department on entry {entry}");
            }
        }

        // Scoring waits for judging.
        let (entry, _, experts) = assigned[0].clone();
        let logins: Vec<String> = {
            let mut out = Vec::new();
            for x in &experts {
                let (login,): (String,) = sqlx::query_as("SELECT login FROM users WHERE id = $1")
                    .bind(x)
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
                out.push(login);
            }
            out
        };
        let first = app.logged_in(&logins[0]).await;
        let opened = first
            .call("contest/entry", &[("application_id", &entry.to_string())])
            .await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
        let criteria: Vec<i64> = opened.body["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["criterion"]["id"].as_i64().unwrap())
            .collect();
        assert_eq!(criteria.len(), 8);
        let entry_s = entry.to_string();
        let full = vec!["5"; criteria.len()];
        let early = score(&first, &score_form(&entry_s, &criteria, &full, true)).await;
        assert!(matches!(
            app_error(&early),
            AppError::Invalid {
                field: Field::Score,
                reason: Reason::OutOfPhase { .. }
            }
        ));
        accepted(&set_dates(&organiser, JUDGING, today).await);
        // From now on the wording is fixed.
        let fixed = organiser
            .call(
                "contest/titles",
                &[
                    ("kind", "nomination"),
                    ("id", &noms[0].to_string()),
                    ("title_ky", "Жаңы"),
                    ("title_ru", "Новое"),
                    ("title_en", "New"),
                ],
            )
            .await;
        refused(&fixed, Field::Setting, Reason::FixedForJudging);

        // The applicant shares their lessons in Sabak: one timed lesson within the cap, joined by
        // 5 of the class's 11 students.
        let (applicant,): (i64,) =
            sqlx::query_as("SELECT applicant_id FROM contest_applications WHERE id = $1")
                .bind(entry)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        sqlx::query("UPDATE contest_applications SET share_evidence = 1 WHERE id = $1")
            .bind(entry)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (lesson, class): (i64, i64) = sqlx::query_as(
            "SELECT id, class_id FROM lessons WHERE teacher_id = $1 ORDER BY id LIMIT 1",
        )
        .bind(applicant)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO timer_runs (school_id, lesson_id, class_id, teacher_id, date, cap_min, planned_ms, started_ms, ended_ms, actual_ms, over_cap_ms)
             SELECT school_id, id, class_id, teacher_id, '2026-11-02', 30, 1200000, 0, 1200000, 1200000, 0 FROM lessons WHERE id = $1",
        )
        .bind(lesson)
        .execute(&app.db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO lesson_joins (lesson_id, date, student_id, at)
             SELECT $1, '2026-11-02', student_id, 0 FROM enrolments WHERE class_id = $2 ORDER BY student_id LIMIT 5",
        )
        .bind(lesson)
        .bind(class)
        .execute(&app.db.pool)
        .await
        .unwrap();
        // Two of those students gave feedback; the teacher answered one.
        sqlx::query(
            "INSERT INTO lesson_feedback (lesson_id, date, class_id, teacher_id, student_id, rating, created_at, updated_at, answer)
             SELECT l.id, '2026-11-02', l.class_id, l.teacher_id, e.student_id, 5, 0, 0,
                    CASE WHEN e.student_id = (SELECT MIN(student_id) FROM enrolments WHERE class_id = $2) THEN 'Рахмат' ELSE NULL END
             FROM lessons l JOIN enrolments e ON e.class_id = l.class_id
             WHERE l.id = $1 ORDER BY e.student_id LIMIT 2",
        )
        .bind(lesson)
        .bind(class)
        .execute(&app.db.pool)
        .await
        .unwrap();
        // Independent work ("Digital teacher", criterion 4): a task with two hand-ins, one
        // reviewed with a recording; a withdrawn task and its hand-in do not count.
        let evidence_now = || async {
            first
                .call("contest/entry", &[("application_id", &entry.to_string())])
                .await
                .body["evidence"]
                .clone()
        };
        let before = evidence_now().await;
        let mut students: Vec<(i64,)> = sqlx::query_as(
            "SELECT student_id FROM enrolments WHERE class_id = $1 ORDER BY student_id LIMIT 2",
        )
        .bind(class)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let (waiting, reviewed) = (students.pop().unwrap().0, students.pop().unwrap().0);
        let mut hand_in_ids = Vec::new();
        for withdrawn in [None, Some(1i64)] {
            let (task,): (i64,) = sqlx::query_as(
                "INSERT INTO assignments (school_id, class_id, subject_id, teacher_id, title, form, due_at, withdrawn_at, created_at)
                 SELECT school_id, class_id, subject_id, teacher_id, 'Далил', 'practical', 0, $2, 0 FROM lessons WHERE id = $1
                 RETURNING id",
            )
            .bind(lesson)
            .bind(withdrawn)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            for (student, done) in [(reviewed, true), (waiting, false)] {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO hand_ins (assignment_id, student_id, version, body, handed_in_at, late, verdict, review, reviewed_at)
                     VALUES ($1, $2, 1, 'иш', 0, 0, $3, $4, $5) RETURNING id",
                )
                .bind(task)
                .bind(student)
                .bind(done.then_some("returned"))
                .bind(done.then_some("Дагы бир жолу"))
                .bind(done.then_some(1i64))
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
                if done {
                    hand_in_ids.push(id);
                }
            }
        }
        for id in hand_in_ids {
            sqlx::query(
                "INSERT INTO hand_in_files (hand_in_id, part, file_name, mime, size, data, created_at)
                 VALUES ($1, 'review', 'пикир.webm', 'audio/webm', 4, $2, 0)",
            )
            .bind(id)
            .bind(vec![0x1Au8, 0x45, 0xDF, 0xA3])
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        let after = evidence_now().await;
        let grew = |key: &str| after[key].as_i64().unwrap() - before[key].as_i64().unwrap();
        assert_eq!(
            [
                grew("tasks_given"),
                grew("hand_ins"),
                grew("reviewed"),
                grew("audio_reviews")
            ],
            [1, 2, 1, 1],
            "{before} → {after}"
        );

        let shown = first
            .call("contest/entry", &[("application_id", &entry.to_string())])
            .await;
        assert_eq!(shown.body["evidence"]["timed_lessons"], 1, "{}", shown.text);
        assert_eq!(shown.body["evidence"]["within_cap"], 1);
        assert_eq!(shown.body["evidence"]["joined"], 5);
        assert_eq!(shown.body["evidence"]["enrolled"], 11);
        assert_eq!(shown.body["evidence"]["feedback"], 2);
        assert_eq!(shown.body["evidence"]["answered"], 1);

        // The expert sees no contact detail of the participant, anywhere they may look.
        let (email, phone): (String, String) =
            sqlx::query_as("SELECT email, phone FROM contest_applications WHERE id = $1")
                .bind(entry)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        for answer in [
            first
                .call("contest/entry", &[("application_id", &entry_s)])
                .await,
            first.call("contest/home", &[]).await,
        ] {
            assert!(
                !answer.text.contains(&email) && !answer.text.contains(&phone),
                "{}",
                answer.text
            );
            assert!(!answer.text.contains("\"email\"") && !answer.text.contains("\"phone\""));
        }
        // An expert not on the entry (also of the same nomination) is refused.
        let (outsider,): (String,) = sqlx::query_as(
            "SELECT u.login FROM contest_experts e JOIN users u ON u.id = e.expert_id
             WHERE e.nomination_id = $1 AND e.expert_id NOT IN (SELECT expert_id FROM contest_assignments WHERE application_id = $2)
             ORDER BY u.login LIMIT 1",
        )
        .bind(noms[0])
        .bind(entry)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let outsider = app.logged_in(&outsider).await;
        assert_eq!(
            outsider
                .call("contest/entry", &[("application_id", &entry_s)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            score(&outsider, &score_form(&entry_s, &criteria, &full, true))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // Out-of-range scores and incomplete submissions are refused; a draft may have blanks.
        let mut six = full.clone();
        six[2] = "6";
        refused(
            &score(&first, &score_form(&entry_s, &criteria, &six, false)).await,
            Field::Score,
            Reason::OutOfRange,
        );
        let mut negative = full.clone();
        negative[0] = "-1";
        refused(
            &score(&first, &score_form(&entry_s, &criteria, &negative, false)).await,
            Field::Score,
            Reason::OutOfRange,
        );
        let mut blank = full.clone();
        blank[7] = "";
        refused(
            &score(&first, &score_form(&entry_s, &criteria, &blank, true)).await,
            Field::Score,
            Reason::Incomplete,
        );
        refused(
            &score(
                &first,
                &score_form(&entry_s, &criteria[1..], &full[1..], true),
            )
            .await,
            Field::Score,
            Reason::BadFormat,
        );
        accepted(&score(&first, &score_form(&entry_s, &criteria, &blank, false)).await);
        let draft = first
            .call("contest/entry", &[("application_id", &entry_s)])
            .await;
        assert_eq!(draft.body["entry"]["state"], "Draft");
        assert!(draft.body["scores"][7]["score"].is_null());
        assert_eq!(draft.body["scores"][0]["score"], 5);

        // Experts do not see results (nor other experts' scores) before the announcement.
        let hidden = first.call("contest/results", &[]).await;
        assert!(matches!(
            app_error(&hidden),
            AppError::Invalid {
                reason: Reason::OutOfPhase { .. },
                ..
            }
        ));
        assert_eq!(
            app.visitor().call("contest/results", &[]).await.status,
            StatusCode::UNAUTHORIZED
        );

        // The organiser's scoreboard hears each submission.
        let mut board = organiser
            .events("/live/contest")
            .await
            .expect("scoreboard stream");
        assert!(
            board.next(Duration::from_secs(5)).await.is_some(),
            "the opening event"
        );
        assert_eq!(
            first.events("/live/contest").await.err(),
            Some(StatusCode::FORBIDDEN)
        );

        // Three experts submit: totals 40, 32 and 24 → mean 32.00.
        let sheets = [vec!["5"; 8], vec!["4"; 8], vec!["3"; 8]];
        for (login, sheet) in logins.iter().zip(sheets.iter()) {
            let expert = app.logged_in(login).await;
            accepted(&score(&expert, &score_form(&entry_s, &criteria, sheet, true)).await);
            let event = board.next(Duration::from_secs(5)).await;
            assert!(event.is_some(), "scoreboard told of {login}'s submission");
        }
        // Submitted means locked.
        refused(
            &score(&first, &score_form(&entry_s, &criteria, &full, false)).await,
            Field::Score,
            Reason::Locked,
        );
        // Leaving the entry would delete the submitted evaluation: locked too (issue 16).
        refused(
            &first
                .call(
                    "contest/declare",
                    &[("application_id", &entry_s), ("reason", "туугандык")],
                )
                .await,
            Field::Score,
            Reason::Locked,
        );
        let results = organiser.call("contest/results", &[]).await;
        assert_eq!(results.status, StatusCode::OK, "{}", results.text);
        let row = results.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entry"] == entry)
            .unwrap()
            .clone();
        assert_eq!(row["score"], "32.00");
        assert_eq!(row["place"], 1);
        assert_eq!(row["evaluations"], 3);
        assert_eq!(row["spread"], 16);
        assert_eq!(
            row["disagreement"], true,
            "spread 16 is above the limit of 10"
        );
        // The other entries have no evaluations: listed, not ranked.
        assert!(results.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["entry"] != entry)
            .all(|r| r["place"].is_null()));
        // The audit log has every score saved (8 for the draft, 8 changed by... all three submit).
        let (logged,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'contest.score'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(logged >= 8 * 3, "{logged} score changes logged");

        // The organiser reopens one evaluation; the expert corrects and submits again.
        let x0 = experts[0].to_string();
        accepted(
            &organiser
                .call(
                    "contest/reopen",
                    &[("application_id", &entry_s), ("expert_id", &x0)],
                )
                .await,
        );
        accepted(&score(&first, &score_form(&entry_s, &criteria, &["4"; 8], true)).await);

        // Closing judging freezes the results; scoring then stops.
        accepted(&organiser.call("contest/close", &[]).await);
        let frozen = organiser.call("contest/results", &[]).await;
        let sha = frozen.body["frozen"]["sha256"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(sha.len(), 64);
        let late = score(&first, &score_form(&entry_s, &criteria, &full, false)).await;
        assert!(matches!(
            app_error(&late),
            AppError::Invalid {
                reason: Reason::OutOfPhase { .. },
                ..
            }
        ));

        // Frozen means frozen: an expert's conflict or the organiser's bar would delete a
        // submitted evaluation; both are refused now, and nothing changes (issue 16).
        let closed = || Reason::OutOfPhase {
            from: (today - 20) as i32,
            until: (today - 1) as i32,
        };
        refused(
            &first
                .call(
                    "contest/declare",
                    &[("application_id", &entry_s), ("reason", "туугандык")],
                )
                .await,
            Field::Reason,
            closed(),
        );
        refused(
            &organiser
                .call(
                    "contest/bar",
                    &[("login", logins[0].as_str()), ("reason", "текшерүү")],
                )
                .await,
            Field::Expert,
            closed(),
        );
        let still = organiser.call("contest/results", &[]).await;
        assert_eq!(still.body["frozen"]["sha256"], sha.as_str());
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM contest_evaluations").await,
            3
        );

        // A correction after the freeze needs a reason and a valid score; it re-freezes the
        // results with a new fingerprint and is listed with the old and new score.
        let fix = |score: &'static str, reason: &'static str| {
            let entry_s = entry_s.clone();
            let login = logins[2].clone();
            let organiser = &organiser;
            async move {
                organiser
                    .call(
                        "contest/correct",
                        &[
                            ("application_id", entry_s.as_str()),
                            ("expert_login", login.as_str()),
                            ("criterion", "1"),
                            ("score", score),
                            ("reason", reason),
                        ],
                    )
                    .await
            }
        };
        refused(&fix("6", "typo").await, Field::Score, Reason::OutOfRange);
        refused(&fix("5", "  ").await, Field::Reason, Reason::Empty);
        accepted(&fix("5", "арифметикалык ката").await);
        let corrected = organiser.call("contest/results", &[]).await;
        let new_sha = corrected.body["frozen"]["sha256"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(new_sha, sha, "a correction gives a new fingerprint");
        let fixes = corrected.body["corrections"].as_array().unwrap();
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0]["old_score"], 3);
        assert_eq!(fixes[0]["new_score"], 5);
        assert_eq!(fixes[0]["criterion"], 1);
        assert_eq!(fixes[0]["sha256_after"], new_sha.as_str());
        let row = corrected.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entry"] == entry)
            .unwrap()
            .clone();
        assert_eq!(row["score"], "30.00", "(32 + 32 + 26) / 3");
        let (logged,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'contest.correction'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(logged, 1);
        let sha = new_sha;

        // After the announcement anyone sees the same frozen results, experts as numbers only.
        // Frozen: the dates that shaped the results no longer move; the announcement may.
        refused(
            &set_dates(&organiser, ANNOUNCED, today).await,
            Field::Setting,
            Reason::OutOfPhase {
                from: (today - 20) as i32,
                until: (today - 1) as i32,
            },
        );
        accepted(&announce_today(&app, &organiser, today).await);
        let public = app.visitor().call("contest/results", &[]).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.text);
        assert_eq!(public.body["frozen"]["sha256"], sha.as_str());
        let row = public.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entry"] == entry)
            .unwrap()
            .clone();
        assert_eq!(
            row["score"], "30.00",
            "(32 + 32 + 26) / 3, after the correction"
        );
        assert_eq!(public.body["corrections"].as_array().unwrap().len(), 1);
        assert!(row["normalised"].is_string());
        let numbers: BTreeSet<String> = public.body["protocol"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["expert"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(numbers.len(), 3);
        assert!(numbers.iter().all(|n| n.parse::<u32>().is_ok()));
        for login in &logins {
            let (name,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE login = $1")
                .bind(login)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            assert!(
                !public.text.contains(&name),
                "expert {name} named in public"
            );
        }
        assert!(!public.text.contains(&email) && !public.text.contains(&phone));
        // The protocol downloads for anyone now, experts numbered; diplomas are the organiser's.
        let nomination = noms[0];
        let csv = app
            .visitor()
            .get(
                &format!("/contest/export/protocol.csv?nomination={nomination}"),
                "ky",
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.text.contains("30.00") && csv.text.contains("\"Эксперт 1\""),
            "{}",
            csv.text
        );
        assert_eq!(
            csv.text.lines().filter(|l| l.contains("30.00")).count(),
            3,
            "one row per expert"
        );
        assert!(!csv.text.contains(&email));
        let anonymous_diplomas = app
            .visitor()
            .get(
                &format!("/contest/export/diplomas.pdf?nomination={nomination}"),
                "ky",
            )
            .await;
        assert_eq!(anonymous_diplomas.status, StatusCode::FORBIDDEN);
        let (winner,): (String,) =
            sqlx::query_as("SELECT full_name FROM contest_applications WHERE id = $1")
                .bind(entry)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let diplomas = pdf(
            &organiser,
            &format!("/contest/export/diplomas.pdf?nomination={nomination}&lang=ru"),
        )
        .await;
        assert!(
            pdf_shows(&diplomas, &winner, app::contest::export::FONT_BOLD),
            "winner's name on the diploma"
        );
        assert!(pdf_shows(
            &diplomas,
            "ДИПЛОМ",
            app::contest::export::FONT_BOLD
        ));
        assert!(
            !pdf_shows(&diplomas, "Жок нерсе", app::contest::export::FONT_BOLD),
            "the check can fail"
        );
        assert!(pdf_shows(
            &diplomas,
            &format!("SHA-256: {sha}"),
            app::contest::export::FONT_REGULAR
        ));
        let protocol = pdf(
            &app.visitor(),
            &format!("/contest/export/protocol.pdf?nomination={nomination}"),
        )
        .await;
        assert!(pdf_shows(
            &protocol,
            "Санариптик мугалим",
            app::contest::export::FONT_BOLD
        ));
        assert!(pdf_shows(
            &protocol,
            "Эксперт 3",
            app::contest::export::FONT_REGULAR
        ));
        // The public page renders without logging in.
        let html = app.visitor().get("/contest/results", "ky").await;
        assert_eq!(html.status, StatusCode::OK);
        assert!(html.text.contains(&sha));
    }
);

/// Downloads a PDF as `v`.
async fn pdf(v: &Visitor, path: &str) -> Vec<u8> {
    let response = v
        .client
        .get(format!("{}{path}", v.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"));
    bytes
}

/// Whether any page draws `text` in the embedded font: the strings shown are glyph ids of that
/// font (Identity-H), so the text is looked for as the font's glyph ids, as a reader would map them.
fn pdf_shows(pdf: &[u8], text: &str, font: &[u8]) -> bool {
    let face = ttf_parser::Face::parse(font, 0).unwrap();
    let wanted: Vec<u8> = text
        .chars()
        .flat_map(|c| {
            face.glyph_index(c)
                .expect("the font has the letter")
                .0
                .to_be_bytes()
        })
        .collect();
    let doc = lopdf::Document::load_mem(pdf).expect("a valid PDF");
    doc.get_pages().values().any(|page| {
        let content = doc.get_page_content(*page).unwrap();
        let ops = lopdf::content::Content::decode(&content)
            .unwrap()
            .operations;
        ops.iter().any(|op| {
            op.operator == "Tj"
                && op.operands.iter().any(|o| match o {
                    lopdf::Object::String(bytes, _) => {
                        bytes.windows(wanted.len()).any(|w| w == wanted)
                    }
                    _ => false,
                })
        })
    })
}

on_both_backends!(
    conflicts_keep_experts_off_entries,
    |app: TestApp| async move {
        let organiser = app.logged_in("organiser").await;
        let (_, today) = nominations(&organiser).await;
        accepted(&set_dates(&organiser, APPOINTING, today).await);
        accepted(&organiser.call("contest/assign", &[]).await);
        let before = experts_of(&organiser).await;
        let (entry, _, experts) = before[0].clone();
        let expert = experts[0];
        let (login,): (String,) = sqlx::query_as("SELECT login FROM users WHERE id = $1")
            .bind(expert)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();

        // The expert declares a conflict (a reason is required): they leave the entry.
        let v = app.logged_in(&login).await;
        let entry_s = entry.to_string();
        refused(
            &v.call(
                "contest/declare",
                &[("application_id", &entry_s), ("reason", " ")],
            )
            .await,
            Field::Reason,
            Reason::Empty,
        );
        accepted(
            &v.call(
                "contest/declare",
                &[("application_id", &entry_s), ("reason", "менин тууганым")],
            )
            .await,
        );
        assert_eq!(
            v.call("contest/entry", &[("application_id", &entry_s)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Reassignment fills the place with someone else, never the conflicted expert.
        accepted(&organiser.call("contest/assign", &[]).await);
        let after = experts_of(&organiser).await;
        let now = &after.iter().find(|e| e.0 == entry).unwrap().2;
        assert!(!now.contains(&expert));

        // By hand: never a conflicted expert, never one of another nomination, never below 3.
        refused(
            &organiser
                .call(
                    "contest/assign_one",
                    &[("application_id", &entry_s), ("login", &login)],
                )
                .await,
            Field::Expert,
            Reason::Conflicted,
        );
        let other_nomination = if before[0].1 == before[5].1 {
            "expert01"
        } else {
            "expert12"
        };
        refused(
            &organiser
                .call(
                    "contest/assign_one",
                    &[("application_id", &entry_s), ("login", other_nomination)],
                )
                .await,
            Field::Expert,
            Reason::OutOfRange,
        );
        let three = now.clone();
        assert_eq!(three.len(), 3);
        refused(
            &organiser
                .call(
                    "contest/unassign",
                    &[
                        ("application_id", &entry_s),
                        ("expert_id", &three[0].to_string()),
                    ],
                )
                .await,
            Field::Expert,
            Reason::TooFew { min: 3 },
        );
        // A fourth expert, newly appointed (the council may grow to 6), may join; then one may leave.
        sqlx::query("UPDATE contest_editions SET experts_per_nomination = 6")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (nomination_of_entry,): (i64,) =
            sqlx::query_as("SELECT nomination_id FROM contest_applications WHERE id = $1")
                .bind(entry)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let fourth = "teacher020".to_string();
        accepted(
            &organiser
                .call(
                    "contest/appoint",
                    &[
                        ("nomination_id", &nomination_of_entry.to_string()),
                        ("login", &fourth),
                        ("department", "Жаңы кафедра"),
                    ],
                )
                .await,
        );
        accepted(
            &organiser
                .call(
                    "contest/assign_one",
                    &[("application_id", &entry_s), ("login", &fourth)],
                )
                .await,
        );
        assert_eq!(
            experts_of(&organiser)
                .await
                .iter()
                .find(|e| e.0 == entry)
                .unwrap()
                .2
                .len(),
            4
        );
        accepted(
            &organiser
                .call(
                    "contest/unassign",
                    &[
                        ("application_id", &entry_s),
                        ("expert_id", &three[0].to_string()),
                    ],
                )
                .await,
        );
        let now = experts_of(&organiser)
            .await
            .iter()
            .find(|e| e.0 == entry)
            .unwrap()
            .2
            .clone();
        assert_eq!(now.len(), 3);

        // The organiser bars an expert from the whole contest: they lose every entry.
        let (other,): (String,) = sqlx::query_as("SELECT login FROM users WHERE id = $1")
            .bind(now[0])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        // Logged in before the bar: the session outlives it, the access does not.
        let stale = app.logged_in(&other).await;
        accepted(
            &organiser
                .call(
                    "contest/bar",
                    &[("login", &other), ("reason", "конкурстун эрежесин бузду")],
                )
                .await,
        );
        accepted(&organiser.call("contest/assign", &[]).await);
        assert_eq!(
            stale
                .call("contest/entry", &[("application_id", &entry.to_string())])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let barred = user_id(&app, &other).await;
        assert!(experts_of(&organiser)
            .await
            .iter()
            .all(|e| !e.2.contains(&barred)));
        let manage = organiser.call("contest/manage", &[]).await;
        assert!(manage.body["experts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["expert_id"] == barred && x["barred"] == true));
        // With a nomination's council this small, entries report the shortfall, not a silent 2.
        for e in manage.body["entries"].as_array().unwrap() {
            let n = e["experts"].as_array().unwrap().len() as i64;
            assert!(n >= 3 || e["eligible"].as_i64().unwrap() < 3, "{e}");
        }

        // Appointing: unknown people are refused, and a full council takes nobody more.
        let nomination = before[0].1.to_string();
        refused(
            &organiser
                .call(
                    "contest/appoint",
                    &[
                        ("nomination_id", &nomination),
                        ("login", "nobody"),
                        ("department", ""),
                    ],
                )
                .await,
            Field::Login,
            Reason::UnknownUser,
        );
        refused(
            &organiser
                .call(
                    "contest/appoint",
                    &[
                        ("nomination_id", &nomination),
                        ("login", "teacher021"),
                        ("department", ""),
                    ],
                )
                .await,
            Field::Expert,
            Reason::CouncilFull,
        );
    }
);
