//! Who may call what: every server function against every kind of caller, in one table.
//! A server function registered without a row here fails `every_server_function_has_a_row`.

mod common;

use common::{user_id, TestApp, Visitor};
use reqwest::StatusCode;
use std::collections::BTreeSet;

/// Callers, in the column order of `MATRIX`. `teacher` leads 5А; `teacher030` leads no class.
const CALLERS: [&str; 8] = [
    "anonymous",
    "admin",
    "organiser",
    "teacher",
    "teacher030",
    "student",
    "parent",
    "expert",
];

/// `A` = allowed (any answer but 401/403: it may still be refused as bad input), `D` = denied.
const MATRIX: &[(&str, &str)] = &[
    //                            anon admin org teach t030 stud par exp
    ("login", "AAAAAAAA"),
    ("logout", "AAAAAAAA"),
    ("me", "AAAAAAAA"),
    ("register", "AAAAAAAA"),
    ("home", "DAAAAAAA"),
    ("admin/users", "DADDDDDD"),
    ("admin/user", "DADDDDDD"),
    ("admin/create_user", "DADDDDDD"),
    ("admin/update_user", "DADDDDDD"),
    ("admin/set_active", "DADDDDDD"),
    ("admin/set_role", "DADDDDDD"),
    ("admin/classes", "DADDDDDD"),
    ("admin/create_class", "DADDDDDD"),
    ("admin/create_group", "DADDDDDD"),
    ("admin/class_teacher", "DADDDDDD"),
    ("admin/link_parent", "DADDDDDD"),
    ("admin/unlink_parent", "DADDDDDD"),
    ("admin/import", "DADDDDDD"),
    ("class/roster", "DDDADDDD"),
    ("class/join_code", "DADADDDD"),
    // A join code waiting in one's own session after a plain form's post: anyone logged in.
    ("class/issued_code", "DAAAAAAA"),
    // Own timetable: students and teachers (the expert also teaches); admins pick a class.
    ("timetable/week", "DDDAAADA"),
    // The printable week: the same people, the same rule.
    ("timetable/print", "DDDAAADA"),
    ("timetable/occurrence", "DADADDDD"),
    ("timetable/join", "DDDDDADD"),
    // A secret calendar address for one's own timetable (as `timetable/week`).
    ("timetable/feed", "DDDAAADA"),
    // The timetable editor: admins only.
    ("timetable/editor", "DADDDDDD"),
    ("timetable/save_lesson", "DADDDDDD"),
    ("timetable/terms", "DADDDDDD"),
    ("timetable/save_terms", "DADDDDDD"),
    ("timetable/save_year_start", "DADDDDDD"),
    ("timetable/delete_lesson", "DADDDDDD"),
    ("timetable/change", "DADDDDDD"),
    ("timetable/import", "DADDDDDD"),
    // The other schedules: everyone signed in reads them; admins keep them.
    ("schedules/page", "DAAAAAAA"),
    ("schedules/add_tv", "DADDDDDD"),
    ("schedules/add_duty", "DADDDDDD"),
    ("schedules/add_methodical", "DADDDDDD"),
    ("schedules/remove", "DADDDDDD"),
    // Timer page: teachers get their day, students and parents their class; others "no class".
    ("timer/page", "DAAAAAAA"),
    // Only the lesson's own teacher starts and controls its timer (admins neither).
    ("timer/start", "DDDADDDD"),
    ("timer/pause", "DDDADDDD"),
    ("timer/resume", "DDDADDDD"),
    ("timer/extend", "DDDADDDD"),
    ("timer/stop", "DADADDDD"),
    // The school's compliance for admins, one's own for teachers (the expert teaches too).
    ("timer/report", "DADAADDA"),
    ("timer/settings", "DADDDDDD"),
    // Feedback: students give it; teachers answer it and mark attendance of their own lessons.
    ("feedback/page", "DDDAAADA"),
    ("feedback/give", "DDDDDADD"),
    // Any teacher may call it; only the lesson's own teacher gets past "not found" (feedback.rs).
    ("feedback/answer", "DDDAADDA"),
    ("attendance/mark", "DDDADDDD"),
    // Surveys: admins and teachers open and manage them (another's round is "not found");
    // students answer those of their class.
    ("rounds/page", "DADAADDA"),
    ("rounds/create", "DADAADDA"),
    ("rounds/answer", "DDDDDADD"),
    ("rounds/remind", "DADAADDA"),
    ("rounds/stop", "DADAADDA"),
    // Notices: the class teacher writes and reminds; parents read and confirm their own.
    ("notices/page", "DDDADDAD"),
    ("notices/send", "DDDADDDD"),
    // No such notice: 404 for parents, 401/403 for the rest.
    ("notices/read", "DDDDDDAD"),
    ("notices/nudge", "DDDADDDD"),
    // Tasks: teachers give and review their own; students hand in; parents follow their
    // children. A task or hand-in that is not one's own is "not found" (404), like a missing one.
    ("tasks/page", "DDDAAAAA"),
    ("tasks/create", "DDDAADDA"),
    ("tasks/withdraw", "DDDAADDA"),
    ("tasks/update", "DDDAADDA"),
    ("tasks/queue", "DAAAAAAA"),
    ("tasks/hand_in", "DDDDDADD"),
    ("tasks/review", "DDDAADDA"),
    // The journal: teachers (their subjects, the class they lead) and admins open a class's;
    // a student reads their own grade book, a parent their children's.
    ("journal/page", "DADAAAAA"),
    // Completion figures per class and teacher (the deputy director's): admins only.
    ("tasks/completion", "DADDDDDD"),
    ("tasks/grading", "DADDDDDD"),
    // The contest's front page is public; applications are for teachers (the expert teaches).
    ("contest/home", "AAAAAAAA"),
    ("contest/application", "DDDAADDA"),
    ("contest/apply", "DDDAADDA"),
    // The organiser's functions.
    ("contest/manage", "DDADDDDD"),
    ("contest/settings", "DDADDDDD"),
    ("contest/appoint", "DDADDDDD"),
    ("contest/assign", "DDADDDDD"),
    ("contest/bar", "DDADDDDD"),
    ("contest/reopen", "DDADDDDD"),
    ("contest/close", "DDADDDDD"),
    ("contest/assign_one", "DDADDDDD"),
    ("contest/unassign", "DDADDDDD"),
    ("contest/correct", "DDADDDDD"),
    ("contest/titles", "DDADDDDD"),
    // Only the expert assigned to the entry (here: `expert`) opens, scores or leaves it.
    ("contest/entry", "DDDDDDDA"),
    ("contest/score", "DDDDDDDA"),
    ("contest/declare", "DDDDDDDA"),
    // Before the announcement: the organiser sees them; anyone logged in is told the date (400);
    // the anonymous must log in.
    ("contest/results", "DAAAAAAA"),
];

/// Arguments for each call; `n` makes names unique per caller.
async fn args(app: &TestApp, endpoint: &str, n: usize) -> Vec<(String, String)> {
    let student_5a = user_id(app, "student0001").await.to_string();
    let target = user_id(app, "student0300").await.to_string();
    let (lesson, weekday): (i64, i64) = sqlx::query_as(
        "SELECT l.id, l.weekday FROM lessons l JOIN users u ON u.id = l.teacher_id WHERE u.login = 'teacher' ORDER BY l.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (lesson_5a,): (i64,) =
        sqlx::query_as("SELECT l.id FROM lessons l JOIN classes c ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 0 LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let date = format!("2026-11-{}", 23 + weekday);
    let entry = expert_entry(app).await.to_string();
    let run = teacher_run(app, lesson).await.to_string();
    let pairs: Vec<(&str, String)> = match endpoint {
        // The right password: a wrong one is a 401 by design (`security.rs` checks those).
        "login" => vec![
            ("login", "admin".into()),
            ("password", common::PASSWORD.into()),
        ],
        "register" => vec![
            ("code", "AAAA-BBBB".into()),
            ("full_name", "Ата Эне".into()),
            ("login", format!("reg{n}")),
            ("password", "parol-1234".into()),
        ],
        "admin/users" => vec![
            ("query", "".into()),
            ("role", "".into()),
            ("page", "1".into()),
        ],
        "admin/user" => vec![("id", target.clone())],
        "admin/create_user" => vec![
            ("login", format!("made{n}")),
            ("full_name", "Жаңы Адам".into()),
            ("password", "parol-1234".into()),
            ("role", "teacher".into()),
            ("class_id", "".into()),
        ],
        "admin/update_user" => vec![
            ("id", target.clone()),
            ("full_name", "Өзгөргөн Ат".into()),
            ("email", "".into()),
            ("phone", "".into()),
            ("new_password", "".into()),
        ],
        "admin/set_active" => vec![("id", target.clone()), ("active", "true".into())],
        "admin/set_role" => vec![
            ("id", target.clone()),
            ("role", "expert".into()),
            ("granted", "true".into()),
        ],
        "admin/create_class" => vec![
            ("grade", "9".into()),
            ("letter", ["Ж", "З", "И", "К", "Л", "М", "Н", "О"][n].into()),
        ],
        "admin/create_group" => vec![
            ("faculty", "Физика".into()),
            ("course", "1".into()),
            ("name", format!("ФИ-{n}")),
        ],
        "admin/class_teacher" => vec![
            ("class_id", "1".into()),
            ("teacher_login", "teacher".into()),
        ],
        "admin/link_parent" => vec![
            ("parent_login", "parent001".into()),
            ("student_login", "student0300".into()),
        ],
        "admin/unlink_parent" => vec![("parent_id", "1".into()), ("student_id", target.clone())],
        "admin/import" => vec![
            ("kind", "teachers".into()),
            (
                "csv",
                format!("login,full_name,password\nimp{n},Импорт Мугалим,parol-1234"),
            ),
        ],
        "class/join_code" => vec![("student_id", student_5a.clone())],
        "timetable/week" => vec![("whose", "".into()), ("week_of", "2026-11-23".into())],
        "timetable/print" => vec![("whose", "".into())],
        "timetable/occurrence" => vec![
            ("lesson_id", lesson.to_string()),
            ("date", date),
            ("link", "https://meet.google.com/abc-defg-hij".into()),
            ("topic", "".into()),
        ],
        "timetable/join" => vec![
            ("lesson_id", lesson_5a.to_string()),
            ("date", "2026-11-23".into()),
        ],
        "timer/start" => vec![("lesson_id", lesson.to_string()), ("minutes", "10".into())],
        "timer/pause" | "timer/resume" | "timer/stop" => vec![("run_id", run)],
        "timer/extend" => vec![("run_id", run), ("minutes", "1".into())],
        "timer/settings" => vec![
            ("cap_1_2", "20".into()),
            ("cap_3_4", "25".into()),
            ("cap_5_6", "30".into()),
            ("cap_7_9", "30".into()),
            ("cap_10_11", "30".into()),
            ("cap_groups", "".into()),
            ("warn_first", "5".into()),
            ("warn_last", "1".into()),
        ],
        "feedback/give" => vec![
            ("lesson_id", lesson_5a.to_string()),
            ("date", "2026-11-23".into()),
            ("rating", "5".into()),
            ("clear_text", "".into()),
            ("unclear_text", "".into()),
            ("comment", "".into()),
        ],
        // No such feedback: 404 for teachers, 401/403 for the rest.
        "feedback/answer" => vec![("feedback_id", "999999".into()), ("answer", "Жооп".into())],
        "notices/send" => vec![
            ("subject", "Тема".into()),
            ("body", "Текст".into()),
            ("audience", "class".into()),
        ],
        "notices/read" | "notices/nudge" => vec![("notice_id", "999999".into())],
        // No class chosen: refused as bad input, so the matrix opens no round.
        "rounds/create" => vec![
            ("title", "Сурамжылоо".into()),
            ("audience", "".into()),
            ("opens_on", "2026-11-23".into()),
            ("closes_on", "2026-11-27".into()),
            ("repeat_days", "".into()),
            ("kinds[0]", "rating".into()),
            ("prompts[0]", "Кандай?".into()),
            ("choices[0]", "".into()),
        ],
        "rounds/answer" => vec![
            ("round_id", "999999".into()),
            ("questions[0]", "1".into()),
            ("answers[0]", "5".into()),
        ],
        "rounds/remind" | "rounds/stop" => vec![("round_id", "999999".into())],
        // Refused as bad input (no channel, nobody, no association), so the matrix adds nothing.
        "schedules/add_tv" => vec![
            ("channel", "".into()),
            ("date", "2026-11-23".into()),
            ("starts", "10:00".into()),
            ("ends", "10:30".into()),
            ("grade_from", "5".into()),
            ("grade_to", "9".into()),
            ("subject", "Математика".into()),
            ("topic", "".into()),
        ],
        "schedules/add_duty" => vec![
            ("weekday", "0".into()),
            ("person_id", "999999".into()),
            ("starts", "08:00".into()),
            ("ends", "17:00".into()),
        ],
        "schedules/add_methodical" => vec![
            ("association", "".into()),
            ("weekday", "0".into()),
            ("starts", "09:00".into()),
            ("ends", "15:00".into()),
            ("room", "".into()),
        ],
        "schedules/remove" => vec![("kind", "tv".into()), ("id", "999999".into())],
        "timetable/editor" => vec![],
        "timetable/terms" => vec![],
        // Not a date: refused, so the matrix changes nothing.
        "timetable/save_year_start" => vec![("year_start", "2026-02-30".into())],
        // A term that ends before it starts: refused, so the matrix changes nothing.
        "timetable/save_terms" => vec![
            ("kind", "semester".into()),
            ("starts1", "2026-12-01".into()),
            ("ends1", "2026-11-01".into()),
        ],
        "timetable/feed" => vec![("whose", "".into())],
        // Refused as a clash (5А has Monday's first lesson), so the matrix changes nothing.
        "timetable/save_lesson" => vec![
            ("class_id", common::class_id(app, "5А").await.to_string()),
            ("weekday", "0".into()),
            ("period", "1".into()),
            ("subject_id", "1".into()),
            ("teacher_id", user_id(app, "teacher030").await.to_string()),
            ("form", "lecture".into()),
            ("mode", "online".into()),
            ("room", "".into()),
            ("weeks", "all".into()),
        ],
        "timetable/delete_lesson" => vec![("lesson_id", "999999".into())],
        // An unknown class: refused row by row, so the matrix imports nothing.
        "timetable/import" => vec![(
            "csv",
            "class,weekday,period,subject,teacher\n12Я,1,1,Math,teacher".into(),
        )],
        // No title: refused as bad input, so the matrix gives no task.
        "tasks/create" => vec![
            ("teaching", "1:1".into()),
            ("title", "".into()),
            ("form", "test".into()),
            ("due_date", "2026-12-31".into()),
            ("due_time", "18:00".into()),
            ("instructions", "".into()),
            ("link", "".into()),
        ],
        "tasks/withdraw" | "tasks/queue" => vec![("task_id", "999999".into())],
        // Another's or a missing task: "not found" for teachers, refused for the rest.
        "tasks/update" => vec![
            ("task_id", "999999".into()),
            ("title", "Жаңы аталыш".into()),
            ("form", "test".into()),
            ("due_date", "2026-12-31".into()),
            ("due_time", "18:00".into()),
            ("instructions", "".into()),
            ("link", "".into()),
        ],
        "tasks/hand_in" => vec![("task_id", "999999".into()), ("body", "Жооп".into())],
        "tasks/review" => vec![
            ("hand_in_id", "999999".into()),
            ("verdict", "accepted".into()),
            ("grade", "5".into()),
            ("review", "".into()),
        ],
        // The default, so that an allowed call changes nothing.
        "tasks/grading" => vec![("lowest", "3".into())],
        "timetable/change" => vec![
            ("lesson_id", "999999".into()),
            ("date", "2026-11-30".into()),
            ("kind", "cancelled".into()),
            ("substitute_id", "".into()),
            ("moved_to", "".into()),
            ("note", "".into()),
        ],
        "attendance/mark" => vec![
            ("lesson_id", lesson.to_string()),
            ("date", "2026-11-02".into()),
            ("student_id", student_5a.clone()),
            ("status", "present".into()),
        ],
        "contest/application" => vec![("nomination_id", nomination(app, 2).await.to_string())],
        "contest/apply" => vec![
            ("nomination_id", nomination(app, 2).await.to_string()),
            ("faculty", "Педагогика".into()),
            ("department", "Математика".into()),
            ("position", "Окутуучу".into()),
            ("full_name", "Арыз Берүүчү".into()),
            ("email", format!("apply{n}@sabak.kg")),
            ("phone", "+996 555 000 111".into()),
            ("social_link", "".into()),
            ("lesson_title", "Тема".into()),
            ("plan_link", "https://sabak.kg/plan.pdf".into()),
            ("confirmed", "1".into()),
        ],
        // Each refused as bad input (wrong phase or unknown person): nothing changes.
        "contest/settings" => vec![
            ("apply_opens", "".into()),
            ("apply_closes", "".into()),
            ("experts_by", "".into()),
            ("judging_opens", "".into()),
            ("judging_closes", "".into()),
            ("announce_on", "".into()),
            ("awards_from", "".into()),
            ("awards_until", "".into()),
            ("min_experts", "3".into()),
            ("experts_per_nomination", "5".into()),
            ("spread_limit", "10".into()),
        ],
        "contest/appoint" => vec![
            ("nomination_id", nomination(app, 1).await.to_string()),
            ("login", "nobody-here".into()),
            ("department", "".into()),
        ],
        "contest/bar" => vec![("login", "nobody-here".into()), ("reason", "тест".into())],
        "contest/reopen" => vec![
            ("application_id", entry.clone()),
            ("expert_id", user_id(app, "expert").await.to_string()),
        ],
        "contest/assign_one" => vec![
            ("application_id", entry.clone()),
            ("login", "expert02".into()),
        ],
        "contest/unassign" => vec![
            ("application_id", entry.clone()),
            ("expert_id", user_id(app, "expert").await.to_string()),
        ],
        "contest/correct" => vec![
            ("application_id", entry.clone()),
            ("expert_login", "expert".into()),
            ("criterion", "1".into()),
            ("score", "5".into()),
            ("reason", "тест".into()),
        ],
        // An unknown kind: refused as bad input, nothing renamed.
        "contest/titles" => vec![
            ("kind", "neither".into()),
            ("id", "1".into()),
            ("title_ky", "А".into()),
            ("title_ru", "А".into()),
            ("title_en", "A".into()),
        ],
        "contest/entry" => vec![("application_id", entry.clone())],
        "contest/score" => vec![
            ("application_id", entry.clone()),
            ("criteria[0]", "1".into()),
            ("scores[0]", "4".into()),
            ("comments[0]", "".into()),
        ],
        // An empty reason is refused: the expert stays on the entry for the calls after.
        "contest/declare" => vec![("application_id", entry.clone()), ("reason", "".into())],
        _ => vec![],
    };
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A timer run of `teacher`'s lesson, made once, for the control endpoints to act on.
async fn teacher_run(app: &TestApp, lesson: i64) -> i64 {
    let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM timer_runs ORDER BY id LIMIT 1")
        .fetch_optional(&app.db.pool)
        .await
        .unwrap();
    if let Some((id,)) = existing {
        return id;
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO timer_runs (school_id, lesson_id, class_id, teacher_id, date, cap_min, planned_ms, started_ms)
         SELECT l.school_id, l.id, l.class_id, l.teacher_id, '2026-11-25', 30, 1200000, $2
         FROM lessons l WHERE l.id = $1 RETURNING id",
    )
    .bind(lesson)
    .bind(app::db::now_ms())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    id
}

/// The id of the demo contest's nomination at `position` (1-3).
async fn nomination(app: &TestApp, position: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM contest_nominations WHERE position = $1")
        .bind(position)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// A demo application assigned to the demo `expert` (an expert of nomination 1).
async fn expert_entry(app: &TestApp) -> i64 {
    let expert = user_id(app, "expert").await;
    let (entry,): (i64,) = sqlx::query_as(
        "SELECT p.id FROM contest_applications p JOIN contest_experts e
           ON e.nomination_id = p.nomination_id WHERE e.expert_id = $1 ORDER BY p.id LIMIT 1",
    )
    .bind(expert)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO contest_assignments (application_id, expert_id, assigned_at) VALUES ($1, $2, 0)
         ON CONFLICT DO NOTHING",
    )
    .bind(entry)
    .bind(expert)
    .execute(&app.db.pool)
    .await
    .unwrap();
    entry
}

async fn visitor_for(app: &TestApp, caller: &str) -> Visitor {
    if caller == "anonymous" {
        app.visitor()
    } else {
        app.logged_in(caller).await
    }
}

on_both_backends!(
    every_role_gets_exactly_what_the_table_says,
    |app: TestApp| async move {
        let mut wrong = Vec::new();
        for (n, caller) in CALLERS.iter().enumerate() {
            for (endpoint, row) in MATRIX {
                // Logging out ends the session the other calls use: give it a session of its own.
                let visitor = visitor_for(&app, caller).await;
                let form = args(&app, endpoint, n).await;
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let answer = visitor.call(endpoint, &borrowed).await;
                let denied = answer.status == StatusCode::UNAUTHORIZED
                    || answer.status == StatusCode::FORBIDDEN;
                let expected_denied = row.as_bytes()[n] == b'D';
                if denied != expected_denied || answer.status.is_server_error() {
                    wrong.push(format!(
                        "{caller} -> {endpoint}: {} {}",
                        answer.status, answer.text
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "not as the matrix says:\n{}",
            wrong.join("\n")
        );
    }
);

#[test]
fn every_server_function_has_a_row() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = MATRIX.iter().map(|(e, _)| e.to_string()).collect();
    assert_eq!(
        registered, listed,
        "server functions and matrix rows differ"
    );
    assert!(MATRIX.iter().all(|(_, row)| row.len() == CALLERS.len()));
}

/// Values no honest form sends: empty, signs and overflows, not-numbers, markup, SQL, NUL and
/// control characters, paths, look-alike digits, impossible dates, JSON, a 100,000-character text.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        " ",
        "-1",
        "0",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "1e309",
        "NaN",
        "0x10",
        "true",
        "null",
        "[]",
        "{\"a\":1}",
        "<script>alert(1)</script>",
        "'; DROP TABLE users; --",
        "\u{0}",
        "a\u{0}b",
        "%00",
        "\u{202e}\u{200b}",
        "../../etc/passwd",
        "２０２６-１１-２０",
        "2026-02-30",
        "2026-13-01",
        "99999-01-01",
        "child:abc",
        "class:-5",
        "javascript:alert(1)",
        "smtp://x",
    ]
    .iter()
    .map(|v| v.to_string())
    .collect();
    values.push("ы".repeat(100_000));
    values
}

on_both_backends!(
    hostile_input_gets_a_clear_4xx_never_a_5xx,
    |app: TestApp| async move {
        // More rounds with SABAK_FUZZ_ROUNDS (each adds shuffled mixes of hostile values).
        let rounds: usize = std::env::var("SABAK_FUZZ_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(1);
        let values = hostile_values();
        let mut seed: u64 = 2026;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut sent = 0usize;
        let mut wrong = Vec::new();
        // Everyone logs in first: the hostile logins below get the login throttled.
        let mut visitors = Vec::new();
        for caller in CALLERS {
            visitors.push(visitor_for(&app, caller).await);
        }
        for (endpoint, row) in MATRIX {
            if *endpoint == "logout" {
                continue;
            }
            // The first caller the table lets through gets past the role checks, deepest in.
            let n = row.find('A').unwrap_or(1);
            let caller = CALLERS[n];
            let visitor = &visitors[n];
            let base = args(&app, endpoint, n).await;
            let mut forms: Vec<Vec<(String, String)>> = Vec::new();
            for i in 0..base.len() {
                for value in &values {
                    let mut form = base.clone();
                    form[i].1 = value.clone();
                    forms.push(form);
                }
                let mut missing = base.clone();
                missing.remove(i);
                forms.push(missing);
                let mut twice = base.clone();
                twice.push(base[i].clone());
                forms.push(twice);
            }
            for _ in 0..rounds * 8 {
                let form = base
                    .iter()
                    .map(|(k, _)| {
                        (
                            k.clone(),
                            values[(next() % values.len() as u64) as usize].clone(),
                        )
                    })
                    .collect();
                forms.push(form);
            }
            forms.push(vec![("unexpected".into(), "1".into())]);
            for form in forms {
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let answer = visitor.call(endpoint, &borrowed).await;
                sent += 1;
                let clear = answer.status.is_success()
                    || answer.status.is_redirection()
                    || (answer.status.is_client_error()
                        && serde_json::from_value::<app::error::AppError>(answer.body.clone())
                            .is_ok());
                if !clear {
                    let shown: Vec<String> = form
                        .iter()
                        .map(|(k, v)| format!("{k}={:?}", v.chars().take(30).collect::<String>()))
                        .collect();
                    wrong.push(format!(
                        "{caller} -> {endpoint} [{}]: {} {}",
                        shown.join(", "),
                        answer.status,
                        answer.text.chars().take(120).collect::<String>()
                    ));
                }
            }
        }
        assert!(sent > 2_000, "only {sent} hostile requests");
        eprintln!("hostile requests sent: {sent}");
        assert!(
            wrong.is_empty(),
            "{} of {sent} hostile requests were not answered with a clear 4xx:\n{}",
            wrong.len(),
            wrong
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
);

// The plain axum routes (not server functions) get the same hostile values, in their paths,
// queries and forms, as every role: each answer is a 2xx, 3xx or 4xx, never a 5xx.
on_both_backends!(
    hostile_input_to_plain_routes_never_gets_a_5xx,
    |app: TestApp| async move {
        let mut visitors = Vec::new();
        for caller in [
            "anonymous",
            "admin",
            "teacher",
            "student",
            "parent",
            "organiser",
        ] {
            visitors.push((caller, visitor_for(&app, caller).await));
        }
        let mut values = hostile_values();
        values.truncate(values.len() - 1); // 100,000 characters do not fit a URL line
        values.push("ы".repeat(2_000));
        let templates = [
            "/lang/{}?back={}",
            "/ical/{}.ics",
            "/ical/{}",
            "/live/timer?class={}",
            "/contest/export/{}?nomination={}&lang={}",
            "/contest/export/protocol.pdf?nomination={}",
            "/materials/{}",
            "/tasks/files/{}",
            "/tasks/{}",
            "/feedback/audio/{}",
            "/journal?class={}&subject={}",
            "/journal?pick={}",
            "/journal/export.csv?class={}&subject={}&lang={}",
            "/timetable/print?whose={}",
            "/timetable?week={}&day={}",
            "/login?next={}",
        ];
        let mut wrong = Vec::new();
        let mut sent = 0;
        for (caller, visitor) in &visitors {
            for value in &values {
                // Percent-encoded as the app encodes (a slash stays: extra path segments too).
                let value = app::ui::format::url_encode(value);
                for template in templates {
                    let path = template.replace("{}", &value);
                    let status = visitor
                        .client
                        .get(format!("{}{path}", visitor.base))
                        .header("accept", "text/html")
                        .timeout(std::time::Duration::from_secs(30))
                        .send()
                        .await
                        .map(|r| r.status())
                        .unwrap_or(StatusCode::GATEWAY_TIMEOUT);
                    sent += 1;
                    if status.is_server_error() {
                        wrong.push(format!(
                            "{caller} GET {}: {status}",
                            &path[..path.len().min(80)]
                        ));
                    }
                }
                // Uploads and deletions: multipart fields and ids as a form.
                let form = reqwest::multipart::Form::new()
                    .text("lesson_id", value.clone())
                    .text("date", value.clone())
                    .text("back", value.clone())
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(value.clone().into_bytes())
                            .file_name(value.clone()),
                    );
                // A hand-in and a review with every field hostile, the file too.
                let task_form = |names: &[&'static str]| {
                    names
                        .iter()
                        .fold(reqwest::multipart::Form::new(), |f, name| {
                            f.text(*name, value.clone())
                        })
                        .part(
                            "files",
                            reqwest::multipart::Part::bytes(value.clone().into_bytes())
                                .file_name(value.clone()),
                        )
                };
                let hand_in = task_form(&["task_id", "body"]);
                let review = task_form(&["hand_in_id", "verdict", "grade", "review"]);
                let feedback_answer = task_form(&["feedback_id", "answer"]);
                for (path, multipart) in [
                    ("/materials/upload", Some(form)),
                    (&*format!("/materials/{value}/delete"), None),
                    ("/tasks/submit", Some(hand_in)),
                    ("/tasks/review", Some(review)),
                    ("/feedback/answer", Some(feedback_answer)),
                ] {
                    let mut request = visitor.client.post(format!("{}{path}", visitor.base));
                    request = match multipart {
                        Some(form) => request.multipart(form),
                        None => request.form(&[("x", "1")]),
                    };
                    let status = request
                        .send()
                        .await
                        .map(|r| r.status())
                        .unwrap_or(StatusCode::GATEWAY_TIMEOUT);
                    sent += 1;
                    if status.is_server_error() {
                        wrong.push(format!(
                            "{caller} POST {}: {status}",
                            &path[..path.len().min(80)]
                        ));
                    }
                }
            }
        }
        eprintln!("hostile plain-route requests sent: {sent}");
        assert!(sent > 1_000, "only {sent}");
        assert!(
            wrong.is_empty(),
            "answered with a 5xx:\n{}",
            wrong.join("\n")
        );
    }
);

// A session after logout is nobody's: every server function answers it as it answers a
// visitor who never logged in (the "stale caller" of issue 16).
on_both_backends!(
    a_session_after_logout_is_anonymous,
    |app: TestApp| async move {
        let mut wrong = Vec::new();
        for caller in &CALLERS[1..] {
            let visitor = app.logged_in(caller).await;
            let answer = visitor.call("logout", &[]).await;
            assert!(answer.status.is_success() || answer.status.is_redirection());
            for (endpoint, row) in MATRIX {
                if *endpoint == "login" || *endpoint == "register" {
                    continue; // they would start a new session
                }
                let form = args(&app, endpoint, 0).await;
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let answer = visitor.call(endpoint, &borrowed).await;
                let denied = answer.status == StatusCode::UNAUTHORIZED
                    || answer.status == StatusCode::FORBIDDEN;
                if denied != (row.as_bytes()[0] == b'D') {
                    wrong.push(format!(
                        "{caller} after logout -> {endpoint}: {}",
                        answer.status
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
);
