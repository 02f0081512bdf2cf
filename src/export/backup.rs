//! Whole-library backup and restore.
//!
//! A backup is `VACUUM INTO` on the live library: SQLite copies a consistent
//! snapshot inside one read transaction, so the app and the CLI may keep
//! reading and writing while it runs.
//!
//! A restore never writes into a library in place. It copies the backup next
//! to the target, checks the copy (`PRAGMA integrity_check`, and that it is a
//! Redline library) and renames it over the target, which is atomic on one
//! filesystem. The previous file is kept beside it as
//! `<name>.before-restore-<time>`.
//!
//! It refuses while any connection (the app, a CLI) has the target open:
//! renaming a file under open connections, or next to a WAL that SQLite would
//! replay into the restored file, would corrupt it. "Open" is tested by taking
//! an exclusive lock on the target (waiting up to 2 s); a WAL left by a crash
//! is folded into the old file first, so the kept copy is complete.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::db::Db;
use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub sources: i64,
    pub versions: i64,
    pub notes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreReport {
    pub path: String,
    /// Where the library that was replaced now lives, if there was one.
    pub previous: Option<String>,
    pub sources: i64,
    pub versions: i64,
    pub notes: i64,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Copies the whole library, while in use, to a new file at `target`.
pub async fn backup(db: &Db, target: &Path) -> Result<BackupReport> {
    if target.exists() {
        return Err(Error::Invalid(format!(
            "{} already exists; choose a new file for the backup",
            target.display()
        )));
    }
    if db.path().is_some_and(|p| p == target) {
        return Err(Error::Invalid(
            "cannot back up a library onto itself".into(),
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    let target_str = target
        .to_str()
        .ok_or_else(|| Error::Invalid(format!("{} is not a UTF-8 path", target.display())))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target_str)
        .execute(db.pool())
        .await?;
    // Check what was written, and count what the snapshot holds.
    let (sources, versions, notes) = check_staged(target, target).await?;
    let bytes = std::fs::metadata(target)
        .map_err(|e| io_err(target, e))?
        .len();
    Ok(BackupReport {
        path: target.display().to_string(),
        bytes,
        sources,
        versions,
        notes,
    })
}

/// A single connection for checking a file that is not (yet) the open
/// library: exclusive locking and a rollback journal, so closing it leaves no
/// `-wal`/`-shm` beside the file and fails fast if anyone else has it open.
async fn exclusive(
    path: &Path,
    create: bool,
) -> std::result::Result<SqliteConnection, sqlx::Error> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .locking_mode(SqliteLockingMode::Exclusive)
        .journal_mode(SqliteJournalMode::Delete)
        .busy_timeout(Duration::from_secs(2))
        .connect()
        .await
}

/// Checks a staged copy: sound, and a Redline library. Returns its counts.
async fn check_staged(staged: &Path, backup: &Path) -> Result<(i64, i64, i64)> {
    let mut conn = exclusive(staged, false)
        .await
        .map_err(|e| Error::Invalid(format!("{} cannot be opened: {e}", backup.display())))?;
    let result = async {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| Error::Invalid(format!("{} is damaged: {e}", backup.display())))?;
        if rows.len() != 1 || rows[0] != "ok" {
            return Err(Error::Invalid(format!(
                "{} fails its integrity check: {}",
                backup.display(),
                rows.join("; ")
            )));
        }
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
                    (SELECT COUNT(*) FROM notes)",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|_| Error::Invalid(format!("{} is not a Redline library", backup.display())))
    }
    .await;
    conn.close().await?;
    result
}

/// Makes sure nobody has the library at `target` open, and folds any WAL
/// left by a crash into the file so the kept copy is complete.
async fn quiesce(target: &Path) -> Result<()> {
    let open = || {
        Error::Invalid(format!(
            "the library at {} is open; close Redline and try again",
            target.display()
        ))
    };
    if target.exists() {
        let conn = exclusive(target, false).await.map_err(|_| open())?;
        conn.close().await?;
    }
    if ["-wal", "-shm"].iter().any(|s| sidecar(target, s).exists()) {
        return Err(open());
    }
    Ok(())
}

/// Replaces the library at `target` with the backup at `backup` (see the
/// module notes for when it refuses). `target` need not exist. The restored
/// file's schema is brought up to date the next time it is opened.
pub async fn restore(backup: &Path, target: &Path) -> Result<RestoreReport> {
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(backup).map_err(|e| io_err(backup, e))?;
        f.read_exact(&mut head).map_err(|_| {
            Error::Invalid(format!("{} is not a SQLite database", backup.display()))
        })?;
    }
    if &head != b"SQLite format 3\0" {
        return Err(Error::Invalid(format!(
            "{} is not a SQLite database",
            backup.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    let staged = sidecar(target, ".restoring");
    let clean = |p: &Path| {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(p, suffix));
        }
    };
    clean(&staged);
    std::fs::copy(backup, &staged).map_err(|e| io_err(&staged, e))?;
    let checked = match check_staged(&staged, backup).await {
        Ok(c) => quiesce(target).await.map(|()| c),
        Err(e) => Err(e),
    };
    let (sources, versions, notes) = match checked {
        Ok(c) => c,
        Err(e) => {
            clean(&staged);
            return Err(e);
        }
    };
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_err(&staged, e))?;

    let previous = if target.exists() {
        let stamp = crate::time::now().replace([':', '.'], "-");
        let aside = sidecar(target, &format!(".before-restore-{stamp}"));
        // A hard link keeps the old library without a moment where `target` is missing.
        std::fs::hard_link(target, &aside)
            .or_else(|_| std::fs::copy(target, &aside).map(|_| ()))
            .map_err(|e| io_err(&aside, e))?;
        Some(aside.display().to_string())
    } else {
        None
    };
    std::fs::rename(&staged, target).map_err(|e| io_err(target, e))?;
    Ok(RestoreReport {
        path: target.display().to_string(),
        previous,
        sources,
        versions,
        notes,
    })
}
