//! Notices to parents through the real HTTP stack, on SQLite and PostgreSQL: every refusal
//! changes nothing; each parent sees only their family's notices and parts; reading is confirmed
//! and counted; reminders; and the mail outbox against a real SMTP server (a sink on loopback):
//! a failed send is retried, the outbox survives a restart, two senders never send one mail, and
//! each parent's mail is in their language.

mod common;

use app::error::{AppError, Field, Reason};
use common::smtp::SmtpSink;
use common::{accepted, app_error, refused, user_id, TestApp, Visitor};
use reqwest::StatusCode;
use sabak_server::mailer::{deliver_due, Mailer};
use serde_json::Value;

async fn page(v: &Visitor) -> Value {
    let answer = v.call("notices/page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body
}

/// Sends a notice as a JSON caller, with owned field names (`pick[12]`, `summary[12]`).
async fn send(v: &Visitor, form: &[(String, String)]) -> common::Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.call("notices/send", &pairs).await
}

fn base(body: &str) -> Vec<(String, String)> {
    vec![
        ("subject".into(), "Ата-энелер чогулушу".into()),
        ("body".into(), body.into()),
        ("audience".into(), "class".into()),
    ]
}

/// The demo parent's child in 5А, and a 5А child whose parents are another family.
async fn children(app: &TestApp) -> (i64, i64) {
    let parent = user_id(app, "parent").await;
    let (mine,): (i64,) = sqlx::query_as(
        "SELECT pl.student_id FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id
         JOIN classes c ON c.id = e.class_id WHERE pl.parent_id = $1 AND c.name = '5А'",
    )
    .bind(parent)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (other,): (i64,) = sqlx::query_as(
        "SELECT pl.student_id FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id
         JOIN classes c ON c.id = e.class_id
         WHERE c.name = '5А' AND pl.parent_id <> $1 AND pl.student_id <> $2
         ORDER BY pl.student_id LIMIT 1",
    )
    .bind(parent)
    .bind(mine)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (mine, other)
}

on_both_backends!(
    class_teacher_writes_parents_confirm_and_refusals_change_nothing,
    |app: TestApp| async move {
        let teacher = app.logged_in("teacher").await;
        let (mine, other) = children(&app).await;
        let (mine_key, other_key) = (format!("summary[{mine}]"), format!("pick[{other}]"));

        // The form: every child of 5А with an auto-filled summary in their parent's language.
        let body = page(&teacher).await;
        let t = &body["teacher"];
        assert_eq!(t["class_name"], "5А");
        assert!(body["parent"].is_null());
        let drafts = t["drafts"].as_array().unwrap();
        let roster = common::count(&app.db, "SELECT COUNT(*) FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.name = '5А'").await;
        assert_eq!(drafts.len() as i64, roster);
        let draft = drafts.iter().find(|d| d["student_id"] == mine).unwrap();
        let summary = draft["summary"].as_str().unwrap();
        // The clock is Wednesday 08:35: Monday's and Tuesday's lessons are held and counted.
        assert!(
            summary.contains("сабактын") && summary.contains("(0\u{a0}%)"),
            "{summary}"
        );
        assert!(draft["parents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "Асанова Жылдыз"));
        assert!(summary.contains("жокко чыгарылганы: 0"), "{summary}");
        // Tasks, the summary's last three figures (given, handed in, on time): of 5А's one task
        // due in the period (the practical work, due on Sunday), this child handed theirs in on
        // time; student0005 handed it in on Tuesday, late; student0006 not at all.
        let tasks_of = |login_id: i64| -> Vec<i64> {
            let text = drafts
                .iter()
                .find(|d| d["student_id"] == login_id)
                .and_then(|d| d["summary"].as_str())
                .unwrap();
            let figures: Vec<i64> = text
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            figures[figures.len() - 3..].to_vec()
        };
        assert!(
            summary.contains("тапшырмалар: 1, тапшырганы: 1"),
            "{summary}"
        );
        assert_eq!(tasks_of(mine), [1, 1, 1]);
        assert_eq!(
            tasks_of(common::user_id(&app, "student0005").await),
            [1, 1, 0]
        );
        assert_eq!(
            tasks_of(common::user_id(&app, "student0006").await),
            [1, 0, 0]
        );
        // A lesson cancelled on Monday: one lesson fewer scheduled, and the change is counted.
        let scheduled = |s: &str| -> i64 {
            let head = s.split(" сабактын").next().unwrap();
            head.rsplit(' ').next().unwrap().parse().unwrap()
        };
        let before = scheduled(summary);
        sqlx::query(
            "INSERT INTO lesson_changes (lesson_id, date, kind, set_by, set_at)
             SELECT l.id, $1, 'cancelled', l.teacher_id, 0 FROM lessons l
             JOIN classes c ON c.id = l.class_id WHERE c.name = '5А' AND l.weekday = 0
             ORDER BY l.period LIMIT 1",
        )
        .bind(common::clock_monday())
        .execute(&app.db.pool)
        .await
        .unwrap();
        let body = page(&teacher).await;
        let draft = body["teacher"]["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["student_id"] == mine)
            .unwrap()
            .clone();
        let summary = draft["summary"].as_str().unwrap();
        assert_eq!(scheduled(summary), before - 1, "{summary}");
        assert!(
            summary.contains("өзгөрүүлөр: 1") && summary.contains("жокко чыгарылганы: 1"),
            "{summary}"
        );
        // A summary period the wrong way round, or a bad date, is refused.
        let bad = teacher
            .call(
                "notices/page",
                &[("from", "2026-11-20"), ("to", "2026-11-01")],
            )
            .await;
        refused(&bad, Field::Date, Reason::OutOfRange);
        let bad = teacher
            .call("notices/page", &[("from", "31.11.2026")])
            .await;
        refused(&bad, Field::Date, Reason::BadFormat);
        // The date fields show 20.11.2026 and take it back as typed (or ISO).
        let typed = teacher
            .call(
                "notices/page",
                &[("from", "20.11.2026"), ("to", "02.12.2026")],
            )
            .await;
        assert_eq!(typed.status, StatusCode::OK, "{}", typed.text);
        assert_eq!(typed.body["teacher"]["from"], "2026-11-20");
        assert_eq!(typed.body["teacher"]["to"], "2026-12-02");

        // Refusals, each with its field and reason; none leaves a notice behind.
        refused(
            &send(&teacher, &base("   ")).await,
            Field::NoticeText,
            Reason::Empty,
        );
        refused(
            &send(&teacher, &base(&"ы".repeat(4001))).await,
            Field::NoticeText,
            Reason::TooLong,
        );
        let mut long_subject = base("Текст");
        long_subject[0].1 = "Т".repeat(151);
        refused(
            &send(&teacher, &long_subject).await,
            Field::Subject,
            Reason::TooLong,
        );
        let mut nowhere = base("Текст");
        nowhere[2].1 = "everyone".into();
        refused(
            &send(&teacher, &nowhere).await,
            Field::Recipients,
            Reason::BadFormat,
        );
        let mut nobody = base("Текст");
        nobody[2].1 = "chosen".into();
        refused(
            &send(&teacher, &nobody).await,
            Field::Recipients,
            Reason::NoRecipients,
        );
        // A child of another class cannot be chosen, nor get a part.
        let (stranger,): (i64,) = sqlx::query_as(
            "SELECT e.student_id FROM enrolments e JOIN classes c ON c.id = e.class_id WHERE c.name = '2Б' LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let mut foreign = base("Текст");
        foreign[2].1 = "chosen".into();
        foreign.push((format!("pick[{stranger}]"), "1".into()));
        refused(
            &send(&teacher, &foreign).await,
            Field::Student,
            Reason::UnknownUser,
        );
        let mut long_part = base("Текст");
        long_part.push(("with_summary".into(), "1".into()));
        long_part.push((mine_key.clone(), "ы".repeat(2001)));
        refused(
            &send(&teacher, &long_part).await,
            Field::Summary,
            Reason::TooLong,
        );
        // Only a class teacher may send: another teacher, a parent, nobody logged in.
        let form = [
            ("subject", "Тема"),
            ("body", "Текст"),
            ("audience", "class"),
        ];
        let t030 = app.logged_in("teacher030").await;
        assert_eq!(
            app_error(&t030.call("notices/send", &form).await),
            AppError::Forbidden
        );
        let parent = app.logged_in("parent").await;
        assert_eq!(
            app_error(&parent.call("notices/send", &form).await),
            AppError::Forbidden
        );
        assert_eq!(
            app.visitor().call("notices/send", &form).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM notices").await,
            0
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM notice_recipients").await,
            0
        );
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await,
            0,
            "no SMTP: nothing queued"
        );

        // A class-wide notice with an edited part about the demo parent's child.
        let custom = "Айгерим бул жумада бардык сабактарга катышты. Рахмат!";
        let mut form = base("Жума күнү саат 18:00дө ата-энелер чогулушу болот.");
        form.push(("with_summary".into(), "1".into()));
        form.push((mine_key, custom.into()));
        accepted(&send(&teacher, &form).await);
        let families = common::count(&app.db, "SELECT COUNT(*) FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id JOIN classes c ON c.id = e.class_id WHERE c.name = '5А'").await;
        assert!(families >= 2);
        assert_eq!(
            common::count(&app.db, "SELECT COUNT(*) FROM notice_recipients").await,
            families
        );
        // And one to another family only (a plain form, as without JavaScript).
        let private = teacher
            .submit(
                "notices/send",
                &[
                    ("subject", "Жеке маек"),
                    ("body", "Сизди мектепке чакырабыз."),
                    ("audience", "chosen"),
                    (other_key.as_str(), "1"),
                ],
            )
            .await;
        assert_eq!(private.location.as_deref(), Some("/notices?sent=1"));

        // The demo parent sees the class notice with only their own child's part, not the other.
        let mine_page = page(&parent).await;
        assert!(mine_page["teacher"].is_null());
        let notices = mine_page["parent"].as_array().unwrap();
        assert_eq!(
            notices.len(),
            1,
            "another family's notice never shows: {notices:?}"
        );
        let notice = &notices[0];
        assert_eq!(notice["subject"], "Ата-энелер чогулушу");
        assert_eq!(notice["read"], false);
        let parts = notice["personal"].as_array().unwrap();
        assert_eq!(parts.len(), 1, "only the 5А child: {parts:?}");
        assert_eq!(parts[0][1], custom);
        let notice_id = notice["id"].as_i64().unwrap();
        let (private_id,): (i64,) =
            sqlx::query_as("SELECT id FROM notices WHERE subject = 'Жеке маек'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        // Confirming another family's notice is refused as if it did not exist.
        assert_eq!(
            app_error(
                &parent
                    .call("notices/read", &[("notice_id", &private_id.to_string())])
                    .await
            ),
            AppError::NotFound
        );
        assert_eq!(
            app_error(
                &teacher
                    .call("notices/read", &[("notice_id", &notice_id.to_string())])
                    .await
            ),
            AppError::Forbidden
        );

        // Reading is confirmed once and counted: 1 of N on the teacher's side.
        let read = parent
            .submit("notices/read", &[("notice_id", &notice_id.to_string())])
            .await;
        assert_eq!(read.location.as_deref(), Some("/notices?read=1"));
        assert_eq!(page(&parent).await["parent"][0]["read"], true);
        let sent = page(&teacher).await["teacher"]["sent"].clone();
        let class_notice = sent
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == notice_id)
            .unwrap()
            .clone();
        let readers = class_notice["readers"].as_array().unwrap();
        let parents: std::collections::BTreeSet<i64> = readers
            .iter()
            .map(|r| r["parent_id"].as_i64().unwrap())
            .collect();
        let read_by: Vec<&Value> = readers.iter().filter(|r| !r["read_at"].is_null()).collect();
        assert_eq!(read_by.len(), 1);
        assert_eq!(read_by[0]["parent_name"], "Асанова Жылдыз");
        assert!(
            readers.iter().all(|r| r["mail"].is_null()),
            "in the app only"
        );
        // The page the browser gets without JavaScript says so too.
        let html = teacher.get("/notices", "ky").await.text;
        assert!(
            html.contains(&format!("Окуду: 1 / {}", parents.len())),
            "read count on the page"
        );

        // Reminders go to those who have not read, at most once an hour.
        let nudge = teacher
            .call("notices/nudge", &[("notice_id", &notice_id.to_string())])
            .await;
        accepted(&nudge);
        assert_eq!(
            common::count(&app.db, &format!("SELECT COUNT(*) FROM notice_recipients WHERE notice_id = {notice_id} AND nudges = 1")).await,
            families - 1
        );
        refused(
            &teacher
                .call("notices/nudge", &[("notice_id", &notice_id.to_string())])
                .await,
            Field::Recipients,
            Reason::TooSoon,
        );
        // Another class's teacher cannot remind this class, and a notice that is not there is 404.
        assert_eq!(
            app_error(
                &t030
                    .call("notices/nudge", &[("notice_id", &notice_id.to_string())])
                    .await
            ),
            AppError::Forbidden
        );
        assert_eq!(
            app_error(
                &teacher
                    .call("notices/nudge", &[("notice_id", "999999")])
                    .await
            ),
            AppError::NotFound
        );
        // The reminded family sees the request; the demo parent (who read) does not.
        let other_parent: (String,) = sqlx::query_as(
            "SELECT u.login FROM parent_links pl JOIN users u ON u.id = pl.parent_id WHERE pl.student_id = $1 LIMIT 1",
        )
        .bind(other)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let reminded = app.logged_in(&other_parent.0).await;
        let theirs = page(&reminded).await["parent"].clone();
        let theirs = theirs.as_array().unwrap();
        assert_eq!(theirs.len(), 2, "the class notice and their own");
        let class_one = theirs.iter().find(|n| n["id"] == notice_id).unwrap();
        assert_eq!(class_one["reminded"], true);
        assert_eq!(page(&parent).await["parent"][0]["reminded"], false);
    }
);

/// The outbox scenario on one backend (it starts its own server, with mail).
async fn outbox_scenario(backend: common::Backend) {
    // An SMTP port with nothing listening yet: the mail server is down when notices go out.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let Some(app) = common::spawn_with_mail(backend, &smtp_url).await else {
        return;
    };
    let (mine, other) = children(&app).await;
    // One parent reads English; one has an address the mail server refuses for good.
    sqlx::query("UPDATE users SET language = 'en' WHERE login = 'parent'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET email = 'bounce@example.org' WHERE id IN (SELECT parent_id FROM parent_links WHERE student_id = $1)")
            .bind(other)
            .execute(&app.db.pool)
            .await
            .unwrap();
    let teacher = app.logged_in("teacher").await;
    let part = format!("summary[{mine}]");
    accepted(
        &teacher
            .call(
                "notices/send",
                &[
                    ("subject", "Экскурсия"),
                    ("body", "Ишемби күнү тарых музейине барабыз."),
                    ("audience", "class"),
                    ("with_summary", "1"),
                    (part.as_str(), "Part about the child"),
                ],
            )
            .await,
    );
    let queued = common::count(
        &app.db,
        "SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued'",
    )
    .await;
    let parents = common::count(&app.db, "SELECT COUNT(DISTINCT pl.parent_id) FROM parent_links pl JOIN enrolments e ON e.student_id = pl.student_id JOIN classes c ON c.id = e.class_id WHERE c.name = '5А'").await;
    assert_eq!(
        queued, parents,
        "one mail per parent, with every child's part in it"
    );

    // The server is down: every attempt fails and waits a minute; nothing is lost.
    let mailer = Mailer::new(&smtp_url, common::MAIL_FROM).unwrap();
    let now = app::db::now();
    let round = deliver_due(&app.db, &mailer, now).await.unwrap();
    assert_eq!(
        (round.sent, round.retrying, round.failed),
        (0, parents as usize, 0)
    );
    assert_eq!(common::count(&app.db, "SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued' AND attempts = 1 AND last_error IS NOT NULL").await, parents);
    // Not due again before the backoff.
    assert_eq!(
        deliver_due(&app.db, &mailer, now + 30).await.unwrap().sent,
        0
    );

    // "Restart": a new server process on the same database, and the mail server is back,
    // answering "try later" to one message. Two senders (replicas) run the same round.
    let restarted = common::replica(&app).await;
    let sink = SmtpSink::start_on(port).await;
    sink.refuse_next(1);
    let other_sender = common::replica(&app).await;
    let (a, b) = tokio::join!(
        deliver_due(&restarted.db, &mailer, now + 61),
        deliver_due(&other_sender.db, &mailer, now + 61)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.sent + b.sent,
        parents as usize - 2,
        "all but the refused-for-now and the bounce"
    );
    assert_eq!(a.retrying + b.retrying, 1);
    assert_eq!(a.failed + b.failed, 1, "550 is permanent");
    let round = deliver_due(&restarted.db, &mailer, now + 61 + 121)
        .await
        .unwrap();
    assert_eq!((round.sent, round.retrying, round.failed), (1, 0, 0));
    assert_eq!(
        deliver_due(&restarted.db, &mailer, now + 4000)
            .await
            .unwrap()
            .sent,
        0,
        "nothing sent twice"
    );

    let received = sink.received();
    assert_eq!(received.len(), parents as usize - 1);
    let mut to: Vec<&String> = received.iter().flat_map(|r| &r.to).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), received.len(), "each parent got one mail");
    // Each mail in its reader's language; the English reader's has their child's part.
    let english = received
        .iter()
        .find(|r| r.to[0].contains("<parent@example.org>"))
        .expect("the demo parent's mail");
    let message = mail_parser::MessageParser::default()
        .parse(english.data.as_bytes())
        .unwrap();
    assert_eq!(message.subject(), Some("Sabak · 5А: Экскурсия"));
    // A Message-ID of its own (issue 16), kept by retries of the same outbox row.
    assert!(
        message
            .message_id()
            .is_some_and(|id| id.starts_with("sabak-outbox-") && id.ends_with("@sabak.test")),
        "{:?}",
        message.message_id()
    );
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains("Part about the child") && text.contains("class teacher of 5А"),
        "{text}"
    );
    let kyrgyz = received
        .iter()
        .find(|r| !r.to[0].contains("<parent@example.org>"))
        .unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(kyrgyz.data.as_bytes())
        .unwrap();
    assert!(message
        .body_text(0)
        .unwrap()
        .contains("классынын жетекчиси"));
    assert!(
        !message
            .body_text(0)
            .unwrap()
            .contains("Part about the child"),
        "another family's part"
    );

    // The teacher sees each parent's mail state, the bounce as refused.
    let readers = page(&teacher).await["teacher"]["sent"][0]["readers"].clone();
    let with = |state: &str| {
        let mut ids: Vec<i64> = readers
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["mail"] == state)
            .map(|r| r["parent_id"].as_i64().unwrap())
            .collect();
        ids.dedup();
        ids.len() as i64
    };
    assert_eq!(with("Rejected"), 1, "{readers}");
    assert_eq!(with("Sent"), parents - 1);
}

mod the_outbox_retries_survives_a_restart_and_mails_each_parent_in_their_language {
    #[tokio::test]
    async fn sqlite() {
        tokio::time::timeout(
            super::common::SCENARIO_LIMIT,
            super::outbox_scenario(super::common::Backend::Sqlite),
        )
        .await
        .expect("the scenario did not finish in time (SQLite)");
    }
    #[tokio::test]
    async fn postgres() {
        tokio::time::timeout(
            super::common::SCENARIO_LIMIT,
            super::outbox_scenario(super::common::Backend::Postgres),
        )
        .await
        .expect("the scenario did not finish in time (PostgreSQL)");
    }
}
