//! The load model of Sabak, on Goose (a maintained, Locust-style load-testing library): who
//! does what, with which weight, and the figures a run gives. Shared by `examples/load` (what
//! `make bench` runs) and the short run in `tests/reliability.rs` (what `make test` runs).
//!
//! People: students open their server-rendered timetable page and their week, and give
//! feedback on a lesson that ended; teachers read their week and their timer page; parents read
//! their notices; experts save draft scores of an entry assigned to them during judging (else
//! they read their contest page). Sessions are made once before the run, a student on several
//! phones sharing one (a thousand users need a hundred logins: the run measures pages, not
//! argon2).

use goose::prelude::*;
use std::sync::Arc;
use std::time::Duration;

pub const PASSWORD: &str = "sabak2026";

/// One signed-in person of the run and what they act on.
#[derive(Clone, Debug)]
pub enum Who {
    /// A student's session and a lesson of theirs that ended (lesson id, date) to rate.
    Student(String, Option<(i64, String)>),
    Parent(String),
    Teacher(String),
    /// An expert's session and an entry assigned to them with its criteria.
    Expert(String, Option<(i64, Vec<i64>)>),
}

/// Everyone of the run, by role.
#[derive(Debug, Default)]
pub struct People {
    pub students: Vec<Who>,
    pub parents: Vec<Who>,
    pub teachers: Vec<Who>,
    pub experts: Vec<Who>,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn log_in(base: &str, login: &str) -> String {
    let answer = client()
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("login", login), ("password", PASSWORD)])
        .send()
        .await
        .unwrap_or_else(|err| panic!("login {login}: {err}"));
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sabak_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("login {login} failed: {}", answer.status()))
}

async fn call(
    base: &str,
    cookie: &str,
    endpoint: &str,
    form: &[(&str, String)],
) -> serde_json::Value {
    let answer = client()
        .post(format!("{base}/api/{endpoint}"))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .form(form)
        .send()
        .await;
    match answer {
        Ok(answer) => answer.json().await.unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    }
}

/// A lesson of the student's class that ended and takes feedback, from their feedback page.
async fn feedback_lesson(base: &str, cookie: &str) -> Option<(i64, String)> {
    let page = call(base, cookie, "feedback/page", &[]).await;
    let text = page.to_string();
    let id = text
        .split("\"lesson_id\":")
        .nth(1)?
        .split([',', '}'])
        .next()?
        .trim()
        .parse()
        .ok()?;
    let date = text
        .split("\"date\":\"")
        .nth(1)?
        .split('"')
        .next()?
        .to_string();
    Some((id, date))
}

/// The first entry assigned to the expert and its criteria.
async fn expert_entry(base: &str, cookie: &str) -> Option<(i64, Vec<i64>)> {
    let home = call(base, cookie, "contest/home", &[]).await;
    let entry = home["assigned"].as_array()?.first()?["application_id"].as_i64()?;
    let page = call(
        base,
        cookie,
        "contest/entry",
        &[("application_id", entry.to_string())],
    )
    .await;
    let criteria = page["scores"]
        .as_array()?
        .iter()
        .filter_map(|s| s["criterion"]["id"].as_i64())
        .collect();
    Some((entry, criteria))
}

/// Signs in `sessions` people of the demo (or big) school: seven in ten students, one parent,
/// one teacher and one expert in ten.
pub async fn sign_in(base: &str, sessions: usize) -> People {
    let mut people = People::default();
    for i in 0..sessions.max(4) {
        match i % 10 {
            0..=6 => {
                let cookie = log_in(base, &format!("student{:04}", 1 + (i * 7) % 300)).await;
                let lesson = feedback_lesson(base, &cookie).await;
                people.students.push(Who::Student(cookie, lesson));
            }
            7 => people.parents.push(Who::Parent(
                log_in(base, &format!("parent{:03}", 1 + i % 60)).await,
            )),
            8 => people.teachers.push(Who::Teacher(
                log_in(base, &format!("teacher{:03}", 1 + i % 30)).await,
            )),
            _ => {
                let n = (i / 10) % 15;
                let login = if n == 0 {
                    "expert".to_string()
                } else {
                    format!("expert{n:02}")
                };
                let cookie = log_in(base, &login).await;
                let entry = expert_entry(base, &cookie).await;
                people.experts.push(Who::Expert(cookie, entry));
            }
        }
    }
    // A run with few sessions still has one of each.
    for (list, fallback) in [
        (
            &mut people.parents,
            Who::Parent(log_in(base, "parent").await),
        ),
        (
            &mut people.teachers,
            Who::Teacher(log_in(base, "teacher").await),
        ),
    ] {
        if list.is_empty() {
            list.push(fallback);
        }
    }
    if people.experts.is_empty() {
        let cookie = log_in(base, "expert").await;
        let entry = expert_entry(base, &cookie).await;
        people.experts.push(Who::Expert(cookie, entry));
    }
    people
}

/// One request of a person: method, path, form (for POSTs), the name it is counted under.
struct Step {
    post: bool,
    path: &'static str,
    form: String,
    name: &'static str,
}

fn page(path: &'static str, name: &'static str) -> Step {
    Step {
        post: false,
        path,
        form: String::new(),
        name,
    }
}

fn api(path: &'static str, form: String, name: &'static str) -> Step {
    Step {
        post: true,
        path,
        form,
        name,
    }
}

/// What a person does on their `turn`-th request.
fn step_of(who: &Who, turn: usize) -> Step {
    match who {
        Who::Student(_, lesson) => match (turn % 10, lesson) {
            (0..=4, _) => page("/timetable", "student: timetable page"),
            (5..=7, _) | (_, None) => api(
                "/api/timetable/week",
                "whose=&week_of=".into(),
                "student: week",
            ),
            (_, Some((id, date))) => api(
                "/api/feedback/give",
                format!(
                    "lesson_id={id}&date={date}&rating={}&clear_text=&unclear_text=&comment=load",
                    1 + turn % 5
                ),
                "student: feedback",
            ),
        },
        Who::Parent(_) => match turn % 2 {
            0 => page("/notices", "parent: notices page"),
            _ => api("/api/notices/page", String::new(), "parent: notices"),
        },
        Who::Teacher(_) => match turn % 2 {
            0 => page("/timer", "teacher: timer page"),
            _ => api(
                "/api/timetable/week",
                "whose=&week_of=".into(),
                "teacher: week",
            ),
        },
        // A draft save (never submitted, so it can repeat): every criterion scored.
        Who::Expert(_, Some((entry, criteria))) if turn.is_multiple_of(2) => {
            let mut form = format!("application_id={entry}");
            for (i, c) in criteria.iter().enumerate() {
                form.push_str(&format!(
                    "&criteria[{i}]={c}&scores[{i}]={}&comments[{i}]=",
                    (turn + i) % 6
                ));
            }
            api("/api/contest/score", form, "expert: draft scores")
        }
        Who::Expert(..) => api("/api/contest/home", String::new(), "expert: contest home"),
    }
}

fn cookie_of(who: &Who) -> &str {
    match who {
        Who::Student(c, _) | Who::Parent(c) | Who::Teacher(c) | Who::Expert(c, _) => c,
    }
}

/// Per user: how many requests they made.
#[derive(Clone)]
struct Turns(usize);

/// A scenario for one role: each user is one of `people` and repeats that role's steps, waiting
/// `think` between them.
fn scenario_of(
    name: &'static str,
    people: Vec<Who>,
    weight: usize,
    think: (Duration, Duration),
) -> Scenario {
    let people = Arc::new(people);
    let act: TransactionFunction = Arc::new(move |user| {
        let people = people.clone();
        Box::pin(async move {
            let who = &people[user.weighted_users_index % people.len()];
            let turn = match user.get_session_data_mut::<Turns>() {
                Some(turns) => {
                    turns.0 += 1;
                    turns.0
                }
                None => {
                    // Users of a role start at different points of their round.
                    user.set_session_data(Turns(user.weighted_users_index));
                    user.weighted_users_index
                }
            };
            let step = step_of(who, turn);
            let method = if step.post {
                GooseMethod::Post
            } else {
                GooseMethod::Get
            };
            let mut builder = user
                .get_request_builder(&method, step.path)?
                .header("cookie", cookie_of(who))
                .header("accept-language", "ky");
            builder = if step.post {
                builder
                    .header("accept", "application/json")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(step.form)
            } else {
                builder.header("accept", "text/html")
            };
            let request = GooseRequest::builder()
                .method(method)
                .path(step.path)
                .name(step.name)
                .set_request_builder(builder)
                .build();
            user.request(request).await?;
            Ok(())
        })
    });
    let mut scenario = Scenario::new(name)
        .register_transaction(Transaction::new(act))
        .set_weight(weight)
        .expect("weight");
    if think.1 > Duration::ZERO {
        scenario = scenario.set_wait_time(think.0, think.1).expect("wait time");
    }
    scenario
}

/// How one run is shaped.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Goose users (each a person on a connection of their own).
    pub users: usize,
    pub seconds: usize,
    /// Requests started per second across all users (an arrival rate, the open model); `None`:
    /// every user sends its next request as soon as the last one is answered (the closed loop).
    pub rate: Option<usize>,
    /// Think time between one user's requests.
    pub think: (Duration, Duration),
}

/// What one run measured.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Figures {
    pub users: usize,
    pub seconds: usize,
    pub target_rps: Option<usize>,
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Per request name: count, errors, p99 (ms).
    pub by_request: Vec<(String, usize, usize, f64)>,
    pub error_samples: Vec<String>,
}

fn percentile(times: &[(u64, usize)], total: usize, p: f64) -> f64 {
    let wanted = ((total as f64) * p).ceil().max(1.0) as usize;
    let mut seen = 0;
    for (us, count) in times {
        seen += count;
        if seen >= wanted {
            return (*us as f64 / 100.0).round() / 10.0;
        }
    }
    0.0
}

/// Students weigh the most, as on a school morning: 7 students to 1 parent, 1 teacher and 1
/// expert.
pub async fn run(base: &str, people: &People, shape: &Shape) -> Result<Figures, GooseError> {
    let roles = [
        ("students", &people.students, 7),
        ("parents", &people.parents, 1),
        ("teachers", &people.teachers, 1),
        ("experts", &people.experts, 1),
    ];
    let mut attack =
        GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?;
    for (name, who, weight) in roles {
        attack = attack.register_scenario(scenario_of(name, who.clone(), weight, shape.think));
    }
    let mut attack = attack
        .set_default(GooseDefault::Host, base)?
        .set_default(GooseDefault::Users, shape.users)?
        // Everyone is there within the first second; the figures count from then on.
        .set_default(GooseDefault::IncreaseRate, shape.users.to_string().as_str())?
        .set_default(GooseDefault::RunTime, shape.seconds)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoAutoStart, false)?
        .set_default(GooseDefault::Quiet, 1)?
        // A request not answered in 10 s is an error (a stall shows as one).
        .set_default(GooseDefault::Timeout, "10")?;
    if let Some(rate) = shape.rate {
        attack = attack.set_default(GooseDefault::ThrottleRequests, rate)?;
    }
    let metrics = attack.execute().await?;
    let mut times: std::collections::BTreeMap<u64, usize> = Default::default();
    let (mut requests, mut errors, mut max_us) = (0, 0, 0);
    let mut by_request = Vec::new();
    for (key, aggregate) in &metrics.requests {
        let mut mine: Vec<(u64, usize)> = aggregate
            .raw_data
            .times_us
            .iter()
            .map(|(t, c)| (*t, *c))
            .collect();
        mine.sort_unstable();
        let count = aggregate.success_count + aggregate.fail_count;
        by_request.push((
            key.clone(),
            count,
            aggregate.fail_count,
            percentile(&mine, aggregate.raw_data.counter, 0.99),
        ));
        for (t, c) in mine {
            *times.entry(t).or_default() += c;
        }
        requests += count;
        errors += aggregate.fail_count;
        max_us = max_us.max(aggregate.raw_data.maximum_time_us);
    }
    by_request.sort_by(|a, b| a.0.cmp(&b.0));
    let all: Vec<(u64, usize)> = times.into_iter().collect();
    let timed: usize = all.iter().map(|(_, c)| c).sum();
    let error_samples = metrics
        .errors
        .values()
        .take(5)
        .map(|e| format!("{:?} {}: {} ×{}", e.method, e.name, e.error, e.occurrences))
        .collect();
    Ok(Figures {
        users: shape.users,
        seconds: shape.seconds,
        target_rps: shape.rate,
        requests,
        errors,
        rps: (requests as f64 / metrics.duration.max(1) as f64 * 10.0).round() / 10.0,
        p50_ms: percentile(&all, timed, 0.50),
        p99_ms: percentile(&all, timed, 0.99),
        max_ms: (max_us as f64 / 100.0).round() / 10.0,
        by_request,
        error_samples,
    })
}
