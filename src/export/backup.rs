//! Whole-library backup and restore.
//!
//! A backup is `VACUUM INTO` on the live library: SQLite copies a consistent
//! snapshot inside one read transaction, so the app and the CLI may keep
//! reading and writing while it runs.
//!
//! A restore never writes into a library in place. It copies the backup next
//! to the target and checks the copy: `PRAGMA integrity_check`; this build's
//! migrations recorded unchanged (an older Redline's prefix is accepted and
//! upgraded on the next open, a newer one refused); exactly the tables,
//! indexes and triggers those migrations make, nothing foreign; and every
//! raw capture's bytes matching their SHA-256. Then it renames the copy over
//! the target, which is atomic on one filesystem. The previous file is kept
//! beside it as `<name>.before-restore-<time>`.
//!
//! It refuses while any connection (the app, a CLI) has the target open:
//! renaming a file under open connections, or next to a WAL that SQLite would
//! replay into the restored file, would corrupt it. "Open" is a lock test
//! (see [`quiesce`]), and a refusal leaves the target as it was.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::db::{self, Db, Schema};
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
    let result = check_library(&mut conn, backup).await;
    conn.close().await?;
    result
}

/// A restore must bring back only what Redline itself would have written: a
/// planted trigger would run on the next clip, a forged hash would pass as
/// evidence, and a file a newer Redline made would not open afterwards.
async fn check_library(conn: &mut SqliteConnection, backup: &Path) -> Result<(i64, i64, i64)> {
    let refuse =
        |why: String| Error::Invalid(format!("{} cannot be restored: {why}", backup.display()));
    let not_ours = |why: String| {
        Error::Invalid(format!(
            "{} is not a Redline library: {why}",
            backup.display()
        ))
    };
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| Error::Invalid(format!("{} is damaged: {e}", backup.display())))?;
    if rows.len() != 1 || rows[0] != "ok" {
        return Err(Error::Invalid(format!(
            "{} fails its integrity check: {}",
            backup.display(),
            rows.join("; ")
        )));
    }
    // An older Redline's library is accepted (opening it runs the rest of the
    // migrations); its schema must then be exactly what those migrations made.
    let applied = match db::schema(conn).await {
        Ok(Schema::Current) => db::reference_objects(usize::MAX).await,
        Ok(Schema::Behind { applied: 0 }) => {
            return Err(not_ours("it records no Redline migrations".into()))
        }
        Ok(Schema::Behind { applied }) => db::reference_objects(applied).await,
        Err(Error::Migrate(why)) => return Err(refuse(why)),
        Err(e) => return Err(not_ours(e.to_string())),
    };
    let expected = applied?;
    let found = db::schema_objects(conn).await?;
    if let Some((kind, name, ..)) = found.difference(&expected).next() {
        let differs = expected.iter().any(|(k, n, ..)| k == kind && n == name);
        return Err(not_ours(if differs {
            format!("its {kind} \"{}\" differs from Redline's", escape(name))
        } else {
            format!(
                "it holds a {kind} \"{}\" that Redline does not make",
                escape(name)
            )
        }));
    }
    if let Some((kind, name, ..)) = expected.difference(&found).next() {
        return Err(not_ours(format!("it lacks the {kind} \"{name}\"")));
    }
    check_raw_hashes(conn).await.map_err(refuse)?;
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
                (SELECT COUNT(*) FROM notes)",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| not_ours(e.to_string()))
}

/// Decompresses every capture's raw bytes (each shared blob once, bounded
/// by its recorded size) and checks their size and SHA-256 against what the
/// capture claims: the raw bytes are the evidence, and a restore must not
/// launder a forged hash into the library.
async fn check_raw_hashes(conn: &mut SqliteConnection) -> std::result::Result<(), String> {
    use std::collections::HashMap;
    type Row = (
        i64,
        Option<Vec<u8>>,
        Option<i64>,
        Option<String>,
        Option<i64>,
    );
    // Captures from before the blobs table carry their own bytes and claims;
    // the others claim what their blob records. A backup made by an older
    // Redline has no blobs table at all.
    let blobs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'blobs'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| e.to_string())?;
    let sql = if blobs == 0 {
        "SELECT id, raw_zstd, raw_size, raw_sha256, NULL FROM captures WHERE raw_zstd IS NOT NULL"
    } else {
        "SELECT k.id, k.raw_zstd, COALESCE(k.raw_size, b.size), \
                COALESCE(k.raw_sha256, b.sha256), k.blob_id \
         FROM captures k LEFT JOIN blobs b ON b.id = k.blob_id \
         WHERE k.raw_zstd IS NOT NULL OR k.blob_id IS NOT NULL"
    };
    let rows: Vec<Row> = sqlx::query_as(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    // Blob id -> (size, SHA-256) of the bytes it really holds.
    let mut read: HashMap<i64, Option<(i64, String)>> = HashMap::new();
    for (id, zstd, size, sha, blob) in rows {
        let bad = || format!("the raw bytes of capture {id} do not match their recorded hash");
        let (Some(size), Some(sha)) = (size, sha) else {
            return Err(bad());
        };
        let actual = match (zstd, blob) {
            (Some(zstd), _) => crate::versions::blob::inflate(&zstd, None, size)
                .ok()
                .map(|raw| (raw.len() as i64, crate::hash::sha256_hex(&raw))),
            (None, Some(blob)) => match read.get(&blob) {
                Some(known) => known.clone(),
                None => {
                    let got = crate::versions::blob::read(conn, blob)
                        .await
                        .ok()
                        .map(|raw| (raw.len() as i64, crate::hash::sha256_hex(&raw)));
                    read.insert(blob, got.clone());
                    got
                }
            },
            (None, None) => None,
        };
        if actual != Some((size, sha.to_ascii_lowercase())) {
            return Err(bad());
        }
    }
    Ok(())
}

/// A name read from a foreign file, fit to print: control characters escaped.
fn escape(name: &str) -> String {
    name.chars().flat_map(char::escape_debug).collect()
}

/// Makes sure nobody has the library at `target` open, and folds any WAL
/// left by a crash into the file so the kept copy is complete. Changes
/// nothing else: the journal mode and every file beside it stay as they were.
///
/// "Open" is a lock, not the presence of files: the first read with exclusive
/// locking takes SQLite's exclusive lock on the file, which every open
/// connection in any process blocks. In that mode SQLite keeps the WAL index
/// in its own memory, so a stale `-shm` a `kill -9` left behind is ignored.
async fn quiesce(target: &Path) -> Result<()> {
    let open = || {
        Error::Invalid(format!(
            "the library at {} is open; close Redline and try again",
            target.display()
        ))
    };
    if !target.exists() {
        return Ok(());
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(target)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::from_secs(2))
        .connect()
        .await
        .map_err(|_| open())?;
    let taken = async {
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&mut conn)
            .await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await
    }
    .await;
    conn.close().await?;
    taken.map_err(|_| open())?;
    // Closing the only connection removed the WAL; one with frames now means
    // someone opened the library in between.
    let wal = sidecar(target, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
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
