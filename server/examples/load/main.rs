//! `load`: Sabak under load, on Goose. Against a running server whose clock is on a school day
//! (as `scripts/bench.py` starts it):
//!
//! - `load ADDR USERS SECONDS`: the mixed load as a closed loop (every user sends its next request
//!   when the last is answered): one JSON line of `mixed_load_*` figures;
//! - `load ADDR --max-rate [SERVER_PID]`: the open model. Requests arrive at a set rate (Goose's
//!   throttle over a pool of users large enough never to wait for each other), raised step by
//!   step by a quarter until p99 passes 200 ms, a request fails, or the server no longer keeps
//!   up with the rate (under three quarters of it). One JSON line: every step (rate, achieved, p50/p99, errors, the CPU taken
//!   by the server and by the whole machine) and `load_max_rps_p99_200`, the highest rate that
//!   held.
//!
//! `BENCH_STEP_SECONDS` (10) and `BENCH_START_RATE` (100) shape the steps; a first step at the
//! start rate warms the server and is not counted.

mod model;

use std::time::Duration;

/// Busy and total jiffies of the whole machine, from /proc/stat.
fn machine_jiffies() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = fields.iter().sum();
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

/// User and system jiffies of one process, from /proc/PID/stat.
fn process_jiffies(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command's closing parenthesis: state, ppid, ... utime is the 12th field from
    // there (index 11), stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

#[tokio::main]
async fn main() -> Result<(), goose::GooseError> {
    let args: Vec<String> = std::env::args().collect();
    let addr = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:3000".into());
    let base = format!("http://{addr}");
    if args.get(2).map(String::as_str) == Some("--max-rate") {
        let server_pid = args.get(3).cloned().unwrap_or_else(|| "self".into());
        let step_seconds = env_number("BENCH_STEP_SECONDS", 10);
        let mut rate = env_number("BENCH_START_RATE", 100);
        let people = model::sign_in(&base, 100).await;
        let mut steps = Vec::new();
        let mut best: Option<f64> = None;
        let shape_at = |rate: usize| model::Shape {
            // Enough users that none waits for another at p99 = 200 ms.
            users: (rate / 4).clamp(64, 1024),
            seconds: step_seconds,
            rate: Some(rate),
            think: (Duration::ZERO, Duration::ZERO),
        };
        // One step at the first rate, not counted: a cold server (PostgreSQL's connections
        // still opening, statements not yet prepared, caches empty) kept up with only 0.70 of
        // 195 req/s and ended the PostgreSQL steps at 122, though its p99 was 99 ms.
        model::run(&base, &people, &shape_at(rate)).await?;
        loop {
            let shape = shape_at(rate);
            let (busy0, total0) = machine_jiffies();
            let server0 = process_jiffies(&server_pid);
            let loader0 = process_jiffies("self");
            let figures = model::run(&base, &people, &shape).await?;
            let (busy1, total1) = machine_jiffies();
            let server1 = process_jiffies(&server_pid);
            let loader1 = process_jiffies("self");
            let span = (total1 - total0).max(1) as f64;
            let machine_pct = (busy1 - busy0) as f64 / span * 100.0;
            // /proc/stat counts every core; a process's jiffies count one core at a time.
            let server_cores = (server1 - server0) as f64 / (span / cores());
            let loader_cores = (loader1 - loader0) as f64 / (span / cores());
            // Goose's throttle starts requests a little below its rate (about 0.9 of it on an idle
            // server, measured); well below means the server no longer keeps up.
            let kept_up = figures.rps >= 0.75 * rate as f64;
            let held = figures.errors == 0 && figures.p99_ms <= 200.0 && kept_up;
            eprintln!(
                "rate {rate}/s: {} req/s, p50 {} ms, p99 {} ms, errors {}, machine {machine_pct:.0} %, server {server_cores:.2} cores, Goose {loader_cores:.2} cores",
                figures.rps, figures.p50_ms, figures.p99_ms, figures.errors
            );
            for sample in &figures.error_samples {
                eprintln!("  error: {sample}");
            }
            steps.push(serde_json::json!({
                "target_rps": rate, "rps": figures.rps, "p50_ms": figures.p50_ms,
                "p99_ms": figures.p99_ms, "max_ms": figures.max_ms, "errors": figures.errors,
                "requests": figures.requests, "users": figures.users,
                "machine_busy_pct": machine_pct.round(), "server_cores": (server_cores * 100.0).round() / 100.0,
                "loader_cores": (loader_cores * 100.0).round() / 100.0,
                "held": held, "by_request": figures.by_request,
            }));
            if !held {
                break;
            }
            best = Some(figures.rps);
            rate += rate / 4;
        }
        println!(
            "{}",
            serde_json::json!({"load_max_rps_p99_200": best, "load_steps": steps, "load_cores": cores()})
        );
        return Ok(());
    }
    let users: usize = args.get(2).and_then(|u| u.parse().ok()).unwrap_or(1000);
    let seconds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60);
    let people = model::sign_in(&base, users.div_ceil(10)).await;
    let figures = model::run(
        &base,
        &people,
        &model::Shape {
            users,
            seconds,
            rate: None,
            think: (Duration::ZERO, Duration::ZERO),
        },
    )
    .await?;
    for sample in &figures.error_samples {
        eprintln!("error: {sample}");
    }
    println!(
        "{}",
        serde_json::json!({
            "mixed_load_users": users, "mixed_load_seconds": seconds,
            "mixed_load_requests": figures.requests, "mixed_load_errors": figures.errors,
            "mixed_load_p50_ms": figures.p50_ms, "mixed_load_p99_ms": figures.p99_ms,
            "mixed_load_rps": figures.rps, "mixed_load_by_request": figures.by_request,
            "mixed_load_tool": "goose 0.19",
        })
    );
    Ok(())
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
