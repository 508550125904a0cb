//! The real `sabak` binary as a separate process, for what only a process can show: SIGKILL in
//! the middle of writes, SIGTERM with live streams open, and the backup/restore commands.

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Sabak {
    pub child: Child,
    pub base: String,
    _data: tempfile::TempDir,
}

fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// `sabak` with these arguments after the database URL (a fresh data folder each time).
pub fn command(database_url: &str, data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sabak"));
    command
        .args(["--database-url", database_url, "--data-dir"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .env("SABAK_DEMO", "true")
        .env("SABAK_CLOCK_START", wednesday_morning())
        .env_remove("SABAK_SMTP_URL");
    command
}

/// This week's Wednesday 08:35 in Bishkek: a school day with lessons held and to come, as the
/// in-process test servers see it.
fn wednesday_morning() -> String {
    use app::timetable::rules;
    let wednesday = rules::monday_of(app::db::day_number(app::db::now())) + 2;
    format!("{}T08:35", rules::iso_date(wednesday))
}

/// Runs a one-shot command (`backup FILE`, `restore FILE`) to its end.
pub fn run(database_url: &str, args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    command(database_url, data.path())
        .args(args)
        .output()
        .expect("run sabak")
}

impl Sabak {
    /// Starts the server (seeding the demo school into an empty database) and waits until it
    /// answers `/healthz`.
    pub async fn start(database_url: &str) -> Sabak {
        let data = tempfile::tempdir().unwrap();
        let addr = format!("127.0.0.1:{}", free_port());
        let child = command(database_url, data.path())
            .args(["--addr", &addr])
            .stdout(Stdio::null())
            .spawn()
            .expect("start sabak");
        let sabak = Sabak {
            child,
            base: format!("http://{addr}"),
            _data: data,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(answer) = client.get(format!("{}/healthz", sabak.base)).send().await {
                if answer.status().is_success() {
                    return sabak;
                }
            }
            assert!(Instant::now() < deadline, "sabak did not start on {addr}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `host:port` of the server.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// SIGKILL: the process ends at once, in the middle of whatever it was doing.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// SIGTERM, then the exit status once the process has ended (or `None` after `limit`).
    pub async fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for Sabak {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
