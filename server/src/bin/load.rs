//! `sabak-load ADDR USERS SECONDS`: a mixed load of our own against a running demo school (the
//! server's clock on a school day, as `scripts/bench.py` and the reliability test start it).
//!
//! USERS virtual users, each on one kept-alive connection, for SECONDS: students open their
//! timetable page (server-rendered) and week, give feedback on a lesson that ended; parents read
//! their notices; teachers read their week; experts save draft scores of an entry assigned to
//! them (when judging is open; else they read their contest page). Sessions are shared by several users (a student on
//! two phones), so a thousand users need only a hundred logins. Prints one JSON line: users,
//! requests, errors (any transport failure or status >= 400), p50/p99 in ms, requests/s.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const PASSWORD: &str = "sabak2026";

/// One kept-alive HTTP/1.1 connection.
struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
        }
    }

    /// Sends a request and reads the whole answer: (status, set-cookie session, body).
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: &str,
        accept: &str,
        form: &str,
    ) -> std::io::Result<(u16, Option<String>, String)> {
        if self.stream.is_none() {
            let tcp = TcpStream::connect(&self.addr).await?;
            tcp.set_nodelay(true)?;
            self.stream = Some(BufReader::new(tcp));
        }
        let stream = self.stream.as_mut().expect("connected");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\nAccept-Language: ky\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            self.addr,
            form.len()
        );
        let result = async {
            stream.get_mut().write_all(request.as_bytes()).await?;
            let mut line = String::new();
            stream.read_line(&mut line).await?;
            let status: u16 = line
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
            let (mut length, mut chunked, mut session, mut close) = (None, false, None, false);
            loop {
                line.clear();
                stream.read_line(&mut line).await?;
                let header = line.trim_end();
                if header.is_empty() {
                    break;
                }
                let lower = header.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse::<usize>().ok();
                } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                    chunked = true;
                } else if lower.starts_with("connection:") && lower.contains("close") {
                    close = true;
                } else if lower.starts_with("set-cookie: sabak_session=") {
                    session = header[12..].split(';').next().map(str::to_string);
                }
            }
            let mut body = Vec::new();
            if chunked {
                loop {
                    line.clear();
                    stream.read_line(&mut line).await?;
                    let size = usize::from_str_radix(line.trim(), 16)
                        .map_err(|_| std::io::Error::other("bad chunk size"))?;
                    let mut chunk = vec![0; size + 2];
                    stream.read_exact(&mut chunk).await?;
                    if size == 0 {
                        break;
                    }
                    body.extend_from_slice(&chunk[..size]);
                }
            } else if let Some(n) = length {
                body.resize(n, 0);
                stream.read_exact(&mut body).await?;
            }
            Ok::<_, std::io::Error>((
                status,
                session,
                String::from_utf8_lossy(&body).to_string(),
                close,
            ))
        }
        .await;
        match result {
            Ok((status, session, body, close)) => {
                if close {
                    self.stream = None;
                }
                Ok((status, session, body))
            }
            Err(err) => {
                self.stream = None;
                Err(err)
            }
        }
    }
}

async fn log_in(addr: &str, login: &str) -> String {
    let mut conn = Conn::new(addr);
    let (_, session, _) = conn
        .send(
            "POST",
            "/api/login",
            "",
            "application/json",
            &format!("login={login}&password={PASSWORD}"),
        )
        .await
        .expect("login request");
    session.unwrap_or_else(|| panic!("login {login} failed"))
}

#[derive(Clone)]
enum Who {
    /// A student's session and a lesson of theirs that ended (lesson id, date) to give feedback on.
    Student(String, Option<(i64, String)>),
    Parent(String),
    Teacher(String),
    /// An expert's session and the fields of a draft evaluation of an entry assigned to them
    /// (without the scores, which each request varies).
    Expert(String, Option<(i64, Vec<i64>)>),
}

/// The first entry assigned to the expert and its criteria, from their contest page and the entry.
async fn expert_entry(addr: &str, cookie: &str) -> Option<(i64, Vec<i64>)> {
    let mut conn = Conn::new(addr);
    let (_, _, home) = conn
        .send("POST", "/api/contest/home", cookie, "application/json", "")
        .await
        .ok()?;
    let home: serde_json::Value = serde_json::from_str(&home).ok()?;
    let entry = home["assigned"].as_array()?.first()?["application_id"].as_i64()?;
    let (_, _, body) = conn
        .send(
            "POST",
            "/api/contest/entry",
            cookie,
            "application/json",
            &format!("application_id={entry}"),
        )
        .await
        .ok()?;
    let body: serde_json::Value = serde_json::from_str(&body).ok()?;
    let criteria = body["scores"]
        .as_array()?
        .iter()
        .filter_map(|s| s["criterion"]["id"].as_i64())
        .collect();
    Some((entry, criteria))
}

/// A lesson of the student's class that ended and takes feedback, from their feedback page.
async fn feedback_lesson(addr: &str, cookie: &str) -> Option<(i64, String)> {
    let mut conn = Conn::new(addr);
    let (_, _, body) = conn
        .send("POST", "/api/feedback/page", cookie, "application/json", "")
        .await
        .ok()?;
    let id = body
        .split("\"lesson_id\":")
        .nth(1)?
        .split(',')
        .next()?
        .trim()
        .parse()
        .ok()?;
    let date = body
        .split("\"date\":\"")
        .nth(1)?
        .split('"')
        .next()?
        .to_string();
    Some((id, date))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:3000".into());
    let users: usize = args.get(2).and_then(|u| u.parse().ok()).unwrap_or(1000);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60);
    // Sessions: a tenth as many as users, mostly students (the demo has 300), some parents,
    // teachers and experts (the contest's 15, when its judging is open).
    let sessions = users.div_ceil(10).max(4);
    let mut people = Vec::new();
    for i in 0..sessions {
        let who = match i % 10 {
            0..=6 => {
                let login = format!("student{:04}", 1 + (i * 7) % 300);
                let cookie = log_in(&addr, &login).await;
                let lesson = feedback_lesson(&addr, &cookie).await;
                Who::Student(cookie, lesson)
            }
            7 => Who::Parent(log_in(&addr, &format!("parent{:03}", 1 + i % 60)).await),
            8 => Who::Teacher(log_in(&addr, &format!("teacher{:03}", 1 + i % 30)).await),
            _ => {
                let n = (i / 10) % 15;
                let login = if n == 0 {
                    "expert".to_string()
                } else {
                    format!("expert{n:02}")
                };
                let cookie = log_in(&addr, &login).await;
                let entry = expert_entry(&addr, &cookie).await;
                Who::Expert(cookie, entry)
            }
        };
        people.push(who);
    }
    let latencies: Arc<Mutex<Vec<u32>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for user in 0..users {
        let who = people[user % people.len()].clone();
        let (addr, latencies, errors) = (addr.clone(), latencies.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(&addr);
            let mut mine = Vec::new();
            let mut step = user;
            while Instant::now() < until {
                step += 1;
                let (method, path, cookie, accept, form) = match &who {
                    Who::Student(cookie, lesson) => match (step % 10, lesson) {
                        (0..=4, _) => ("GET", "/timetable".to_string(), cookie, "text/html", String::new()),
                        (5..=7, _) | (_, None) => ("POST", "/api/timetable/week".to_string(), cookie, "application/json", "whose=&week_of=".to_string()),
                        (_, Some((id, date))) => ("POST", "/api/feedback/give".to_string(), cookie, "application/json",
                            format!("lesson_id={id}&date={date}&rating={}&clear_text=&unclear_text=&comment=load", 1 + step % 5)),
                    },
                    Who::Parent(cookie) => ("POST", "/api/notices/page".to_string(), cookie, "application/json", String::new()),
                    Who::Teacher(cookie) => ("POST", "/api/timetable/week".to_string(), cookie, "application/json", "whose=&week_of=".to_string()),
                    // A draft save (never submitted, so it can repeat): every criterion scored.
                    Who::Expert(cookie, Some((entry, criteria))) if step % 2 == 0 => {
                        let mut form = format!("application_id={entry}");
                        for (i, c) in criteria.iter().enumerate() {
                            form.push_str(&format!("&criteria[{i}]={c}&scores[{i}]={}&comments[{i}]=", (step + i) % 6));
                        }
                        ("POST", "/api/contest/score".to_string(), cookie, "application/json", form)
                    }
                    Who::Expert(cookie, _) => ("POST", "/api/contest/home".to_string(), cookie, "application/json", String::new()),
                };
                let began = Instant::now();
                match conn.send(method, &path, cookie, accept, &form).await {
                    Ok((status, _, _)) if status < 400 => mine.push(began.elapsed().as_micros() as u32),
                    Ok((status, _, body)) => errors.lock().await.push(format!("{path}: {status} {}", body.chars().take(80).collect::<String>())),
                    Err(err) => errors.lock().await.push(format!("{path}: {err}")),
                }
            }
            latencies.lock().await.extend(mine);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut all = latencies.lock().await.clone();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |us| (*us as f64 / 100.0).round() / 10.0)
    };
    let errors = errors.lock().await.clone();
    for sample in errors.iter().take(5) {
        eprintln!("error: {sample}");
    }
    println!(
        "{{\"mixed_load_users\": {users}, \"mixed_load_seconds\": {seconds}, \"mixed_load_requests\": {}, \"mixed_load_errors\": {}, \"mixed_load_p50_ms\": {}, \"mixed_load_p99_ms\": {}, \"mixed_load_rps\": {:.0}}}",
        all.len() + errors.len(),
        errors.len(),
        pct(0.50),
        pct(0.99),
        (all.len() + errors.len()) as f64 / elapsed
    );
}
