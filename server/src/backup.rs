//! `sabak backup FILE` and `sabak restore FILE`.
//!
//! SQLite: the backup is `VACUUM INTO`, a consistent copy taken while the server runs (readers
//! and writers go on). A restore checks the file (integrity, Sabak's migrations), keeps the
//! current database beside it as `*.before-restore-<unix time>`, puts the copy in place and
//! migrates it; stop the server first. PostgreSQL: `pg_dump --format=custom` and `pg_restore
//! --clean --single-transaction`, so a failed restore changes nothing.

use app::db::{Backend, Db};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The file of a `sqlite://FILE?mode=rwc` URL.
fn sqlite_path(url: &str) -> PathBuf {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e} (is the PostgreSQL client installed?)"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Writes a consistent copy of the database to `file` (which must not exist yet).
pub async fn backup(db: &Db, url: &str, file: &Path) -> Result<(), String> {
    if file.exists() {
        return Err(format!(
            "{} already exists; choose a new file",
            file.display()
        ));
    }
    match db.backend {
        Backend::Sqlite => {
            let target = file
                .to_str()
                .ok_or_else(|| format!("{} is not a valid path", file.display()))?;
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(&db.pool)
                .await
                .map_err(|e| format!("backup failed: {e}"))?;
            Ok(())
        }
        Backend::Postgres => {
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(file)
                .arg("--dbname")
                .arg(url);
            run(dump, "pg_dump")
        }
    }
}

/// Checks that `file` is a sound Sabak SQLite backup.
async fn check_sqlite_backup(file: &Path) -> Result<(), String> {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .map_err(|e| format!("{} is not a SQLite database: {e}", file.display()))?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| format!("{} cannot be read: {e}", file.display()))?;
    if check != "ok" {
        return Err(format!("{} is damaged: {check}", file.display()));
    }
    sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| format!("{} is not a Sabak backup", file.display()))?;
    conn.close().await.ok();
    Ok(())
}

/// Replaces the database at `url` with the backup in `file`, then migrates it.
pub async fn restore(url: &str, file: &Path) -> Result<Db, String> {
    if !file.is_file() {
        return Err(format!("{} does not exist", file.display()));
    }
    match Backend::from_url(url) {
        Some(Backend::Sqlite) => {
            check_sqlite_backup(file).await?;
            let target = sqlite_path(url);
            if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)
                    .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
            }
            let staged = target.with_extension("restoring");
            std::fs::copy(file, &staged).map_err(|e| format!("cannot copy the backup: {e}"))?;
            // The current database (and its WAL) is kept beside, not lost.
            let stamp = app::db::now();
            for suffix in ["", "-wal", "-shm"] {
                let current = PathBuf::from(format!("{}{suffix}", target.display()));
                if current.exists() {
                    let kept = format!("{}.before-restore-{stamp}{suffix}", target.display());
                    std::fs::rename(&current, &kept)
                        .map_err(|e| format!("cannot move {} aside: {e}", current.display()))?;
                }
            }
            std::fs::rename(&staged, &target)
                .map_err(|e| format!("cannot put the backup in place: {e}"))?;
        }
        Some(Backend::Postgres) => {
            let mut restore = Command::new("pg_restore");
            restore
                .args(["--clean", "--if-exists", "--no-owner", "--no-privileges"])
                .arg("--single-transaction")
                .arg("--dbname")
                .arg(url)
                .arg(file);
            run(restore, "pg_restore")?;
        }
        None => return Err("DATABASE_URL must start with sqlite:// or postgres://".into()),
    }
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}
