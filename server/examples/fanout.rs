//! Live-timer fan-out benchmark (run by `make bench`): N students follow one class's timer over
//! server-sent events; the teacher pauses and resumes a few times; we measure how long each pause
//! takes to reach every subscriber, and the server's memory with N streams open.
//!
//! `fanout ADDR SERVER_PID SUBSCRIBERS` prints one JSON line. The server must run the demo
//! school with a clock on a school day (SABAK_CLOCK_START), as `scripts/bench.py` starts it.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Barrier};

const PASSWORD: &str = "sabak2026";
const ROUNDS: usize = 5;

/// One HTTP/1.1 request on a fresh connection; returns (head, body).
async fn http(addr: &str, method: &str, path: &str, cookie: &str, form: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

async fn log_in(addr: &str, login: &str) -> String {
    let (head, _) = http(
        addr,
        "POST",
        "/api/login",
        "",
        &format!("login={login}&password={PASSWORD}"),
    )
    .await;
    head.lines()
        .find_map(|l| {
            let lower = l.to_ascii_lowercase();
            lower
                .starts_with("set-cookie: sabak_session=")
                .then(|| l[12..].split(';').next().unwrap_or("").to_string())
        })
        .unwrap_or_else(|| panic!("login {login} failed: {head}"))
}

fn rss_mib(pid: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| (kib / 1024.0 * 10.0).round() / 10.0)
        .unwrap_or(0.0)
}

/// Follows the stream; reports the arrival time of every event after the first.
async fn subscribe(
    addr: String,
    cookie: String,
    ready: Arc<Barrier>,
    seen: mpsc::UnboundedSender<(Instant, bool)>,
) {
    let mut stream = loop {
        match TcpStream::connect(&addr).await {
            Ok(s) => break s,
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let request = format!(
        "GET /live/timer HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut first = true;
    loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        let at = Instant::now();
        buffer.extend_from_slice(&chunk[..n]);
        while let Some(end) = find(&buffer, b"\n\n") {
            let event: Vec<u8> = buffer.drain(..end + 2).collect();
            let text = String::from_utf8_lossy(&event);
            if !text.contains("data:") {
                continue;
            }
            if first {
                first = false;
                ready.wait().await;
            } else {
                let paused = text.contains("\"paused_at_ms\":1");
                let _ = seen.send((at, paused));
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    (sorted[index] * 100.0).round() / 100.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:3000".into());
    let pid = args.get(2).cloned().unwrap_or_default();
    let subscribers: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10_000);

    // Who runs the timer and who follows it: a teacher with a lesson of that class today (the
    // bench picks them from its dataset; the demo school's by default).
    let teacher_login = args.get(4).cloned().unwrap_or_else(|| "teacher018".into());
    let student_login = args.get(5).cloned().unwrap_or_else(|| "student0078".into());
    let class_name = args.get(6).cloned().unwrap_or_else(|| "3А".into());
    let teacher = log_in(&addr, &teacher_login).await;
    let student = log_in(&addr, &student_login).await;
    let (_, page) = http(&addr, "POST", "/api/timer/page", &teacher, "").await;
    let page: serde_json::Value = serde_json::from_str(&page).expect("timer page JSON");
    let lesson = page["Teacher"]["lessons"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["class_name"] == class_name.as_str()))
        .and_then(|l| l["lesson_id"].as_i64())
        .unwrap_or_else(|| {
            panic!("{teacher_login} has a {class_name} lesson today (is SABAK_CLOCK_START a school day?)")
        });
    http(
        &addr,
        "POST",
        "/api/timer/start",
        &teacher,
        &format!("lesson_id={lesson}&minutes=25"),
    )
    .await;
    let (_, page) = http(&addr, "POST", "/api/timer/page", &student, "").await;
    let page: serde_json::Value = serde_json::from_str(&page).expect("class timer JSON");
    let run = page["Class"]["current"]["run_id"].as_i64().expect("a run");

    let rss_before = rss_mib(&pid);
    let ready = Arc::new(Barrier::new(subscribers + 1));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let connecting = Instant::now();
    for _ in 0..subscribers {
        tokio::spawn(subscribe(
            addr.clone(),
            student.clone(),
            ready.clone(),
            tx.clone(),
        ));
    }
    drop(tx);
    ready.wait().await;
    let connect_seconds = connecting.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_open = rss_mib(&pid);

    let mut delays = Vec::with_capacity(subscribers * ROUNDS);
    let mut missing = 0;
    for round in 0..ROUNDS * 2 {
        let pause = round % 2 == 0;
        let endpoint = if pause { "pause" } else { "resume" };
        let sent = Instant::now();
        http(
            &addr,
            "POST",
            &format!("/api/timer/{endpoint}"),
            &teacher,
            &format!("run_id={run}"),
        )
        .await;
        let mut got = 0;
        while got < subscribers {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Some((at, paused))) => {
                    if paused == pause {
                        got += 1;
                        if pause {
                            delays.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                        }
                    }
                }
                _ => break,
            }
        }
        if pause {
            missing += subscribers - got;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    delays.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let report = serde_json::json!({
        "live_subscribers": subscribers,
        "live_connect_seconds": (connect_seconds * 10.0).round() / 10.0,
        "live_rss_mib_before": rss_before,
        "live_rss_mib": rss_open,
        "live_fanout_p50_ms": percentile(&delays, 50.0),
        "live_fanout_p99_ms": percentile(&delays, 99.0),
        "live_fanout_max_ms": percentile(&delays, 100.0),
        "live_fanout_samples": delays.len(),
        "live_fanout_missing": missing,
    });
    println!("{report}");
    std::process::exit(0);
}
