//! Command line and environment. Every setting has a flag and an env variable; `--help` explains
//! each, and nonsense is refused before anything starts, with a one-line reason.

use clap::{ArgAction, Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "sabak",
    version,
    about = "Sabak (Сабак): distance-learning hub for schools and universities"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Fill an empty database.
    Seed {
        /// The demo school: grades 1-11, a university faculty, teachers, students, parents.
        #[arg(long)]
        demo: bool,
        /// A big school for tests and benchmarks: 80 classes, 2,000 students, 150 teachers, a
        /// full week (the demo's accounts included).
        #[arg(long, conflicts_with = "demo")]
        big: bool,
    },
    /// Write a consistent copy of the database to FILE while the server runs (SQLite: VACUUM
    /// INTO; PostgreSQL: pg_dump --format=custom).
    Backup { file: PathBuf },
    /// Replace the database with the backup in FILE and migrate it. Stop the server first. SQLite
    /// keeps the replaced file beside it as *.before-restore-<time>.
    Restore { file: PathBuf },
}

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "SABAK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB for
    /// several replicas. Default: sqlite in the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Folder for the SQLite file and uploads.
    #[arg(long, env = "SABAK_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Folder with the built site (pkg/*.wasm, js, css), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Seed the demo school (well-known passwords!) when the database is empty at start-up;
    /// `make run` turns it on. Off, an empty database gets a first administrator with a
    /// random password printed once.
    #[arg(long, env = "SABAK_DEMO", default_value_t = false, action = ArgAction::Set)]
    pub demo: bool,

    /// Mark cookies Secure (set this when Sabak is served over HTTPS).
    #[arg(long, env = "SABAK_SECURE_COOKIES", default_value_t = false, action = ArgAction::Set)]
    pub secure_cookies: bool,

    /// Take the client address from X-Forwarded-For (only behind your own reverse proxy).
    #[arg(long, env = "SABAK_TRUST_PROXY", default_value_t = false, action = ArgAction::Set)]
    pub trust_proxy: bool,

    /// SMTP server for e-mail to parents, e.g. smtp://user:pass@mail.example.kg:587 (optional).
    #[arg(long, env = "SABAK_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender address for e-mail, e.g. "Sabak <noreply@school.kg>"; needed with --smtp-url.
    #[arg(long, env = "SABAK_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// Demos and tests only: start the clock at this Bishkek time (YYYY-MM-DDTHH:MM) and let it
    /// run on from there, so a weekend demo still shows a school day. Needs --demo.
    #[arg(long, env = "SABAK_CLOCK_START")]
    pub clock_start: Option<String>,

    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "SABAK_LOG_JSON", default_value_t = false, action = ArgAction::Set)]
    pub log_json: bool,

    /// Keep what pages read on every request (people, calendar, bells, weekly lessons) in
    /// memory, checked against the database's version on each request; `false` reads it all
    /// from the database every time (to measure the difference).
    #[arg(long, env = "SABAK_READ_CACHE", default_value_t = true, action = ArgAction::Set)]
    pub read_cache: bool,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("sabak.db").display()
            )
        })
    }

    /// Refuses settings that cannot work, with a reason a person can act on.
    pub fn validate(&self) -> Result<(), String> {
        let url = self.database_url();
        if app::db::Backend::from_url(&url).is_none() {
            return Err(format!(
                "DATABASE_URL must start with sqlite:// or postgres://, got {:?}",
                scheme_of(&url)
            ));
        }
        if self.data_dir.is_file() {
            return Err(format!(
                "SABAK_DATA_DIR {} is a file, not a folder",
                self.data_dir.display()
            ));
        }
        if let Some(start) = &self.clock_start {
            if !self.demo {
                return Err("SABAK_CLOCK_START is for demos and tests; it needs --demo".into());
            }
            if app::db::parse_bishkek_minute(start).is_none() {
                return Err(format!(
                    "SABAK_CLOCK_START must look like 2026-11-25T08:35, got {start:?}"
                ));
            }
        }
        match (&self.smtp_url, &self.smtp_from) {
            (Some(smtp), _) if !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://")) => {
                Err("SABAK_SMTP_URL must start with smtp:// or smtps://".into())
            }
            (Some(_), None) => Err("SABAK_SMTP_FROM is needed when SABAK_SMTP_URL is set".into()),
            (Some(_), Some(from)) if !from.contains('@') => {
                Err("SABAK_SMTP_FROM must contain an e-mail address".into())
            }
            _ => Ok(()),
        }
    }
}

fn scheme_of(url: &str) -> &str {
    url.split(':').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let mut all = vec!["sabak"];
        all.extend(args);
        let cli = Cli::try_parse_from(all).map_err(|e| e.to_string())?;
        cli.config.validate()?;
        Ok(cli.config)
    }

    #[test]
    fn defaults_are_sqlite_in_data() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.database_url(), "sqlite://data/sabak.db?mode=rwc");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        assert!(parse(&["--addr", "not-an-address"]).is_err());
        assert!(parse(&["--database-url", "mysql://x"])
            .unwrap_err()
            .contains("DATABASE_URL"));
        assert!(parse(&["--smtp-url", "http://x"])
            .unwrap_err()
            .contains("smtp://"));
        assert!(parse(&["--smtp-url", "smtp://x"])
            .unwrap_err()
            .contains("SABAK_SMTP_FROM"));
        assert!(parse(&["--smtp-url", "smtp://x", "--smtp-from", "a@b.kg"]).is_ok());
        assert!(parse(&["--clock-start", "tomorrow"])
            .unwrap_err()
            .contains("SABAK_CLOCK_START"));
        assert!(
            parse(&["--clock-start", "2026-11-25T08:35", "--demo", "false"])
                .unwrap_err()
                .contains("--demo")
        );
        assert!(parse(&["--clock-start", "2026-11-25T08:35", "--demo", "true"]).is_ok());
        // The demo school (with its well-known passwords) is never the default.
        if std::env::var_os("SABAK_DEMO").is_none() {
            assert!(!parse(&[]).unwrap().demo);
        }
    }
}
