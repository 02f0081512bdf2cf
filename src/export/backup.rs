//! Whole-library backup and restore.
//!
//! A backup is `VACUUM INTO` on the live library: SQLite copies a consistent
//! snapshot inside one read transaction, so the app and the CLI may keep
//! reading and writing while it runs.
//!
//! A restore never writes into a library in place. It copies the backup next
//! to the target, opens the copy (bringing an older schema up to date), runs
//! `PRAGMA integrity_check`, closes it and renames it over the target, which
//! is atomic on one filesystem. The previous file is kept beside it as
//! `<name>.before-restore-<time>`. It refuses when the target has a `-wal` or
//! `-shm` file: that means the library is open (or was not closed cleanly),
//! and renaming a file under open connections — or next to a stale WAL that
//! SQLite would replay into the restored file — would corrupt it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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

async fn counts(db: &Db) -> Result<(i64, i64, i64)> {
    let (s, v, n): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
                (SELECT COUNT(*) FROM notes)",
    )
    .fetch_one(db.pool())
    .await?;
    Ok((s, v, n))
}

async fn integrity_ok(db: &Db) -> Result<()> {
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(db.pool())
        .await?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(Error::Export(format!(
            "the backup fails its integrity check: {}",
            rows.join("; ")
        )))
    }
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
    let (sources, versions, notes) = counts(db).await?;
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

/// Replaces the library at `target` with the backup at `backup` (see the
/// module notes for when it refuses). `target` need not exist.
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
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(target, suffix);
        if side.exists() {
            return Err(Error::Invalid(format!(
                "the library at {} looks open ({} exists); close Redline and try again",
                target.display(),
                side.display()
            )));
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    let staged = sidecar(target, ".restoring");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(&staged, suffix));
    }
    std::fs::copy(backup, &staged).map_err(|e| io_err(&staged, e))?;

    let checked = async {
        let db = Db::open(&staged).await?;
        let result = async {
            integrity_ok(&db).await?;
            counts(&db).await
        }
        .await;
        // Closing the last connection checkpoints and removes the WAL.
        db.close().await;
        result
    }
    .await;
    let (sources, versions, notes) = match checked {
        Ok(c) => c,
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(sidecar(&staged, suffix));
            }
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
