//! The one way to open a Redline library. Nobody else creates connections.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

use crate::error::{Error, Result};

/// The identifier in `tauri.conf.json`; the data directory is named after it.
pub const APP_IDENTIFIER: &str = "org.redline.app";

/// How often opening retries when another process holds the new file's lock
/// (backing off 25 ms more each time: about 5 s in all).
const OPEN_RETRIES: u64 = 20;

/// SQLite's process-wide soft heap limit, in bytes (see [`Db::open`]).
pub const SOFT_HEAP_LIMIT: i64 = 48 << 20;

/// True for SQLITE_BUSY / SQLITE_LOCKED, including their extended codes.
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// A handle on one library database. Cheap to clone (it wraps a pool).
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    /// None for an in-memory library.
    path: Option<PathBuf>,
}

impl Db {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| Error::Open {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // 32 MB of page cache per connection instead of 2 MB: a search
            // touches a few thousand pages (index segments, version rows);
            // measured −35 % on the ranking query (BENCHMARKS-search.md).
            .pragma("cache_size", "-32768")
            // …but at most 48 MB of SQLite memory in the whole process. The
            // limit is process-wide: past it, each connection recycles its own
            // least-recently-used pages instead of growing. Without it, the app's
            // eight pooled connections each kept up to 32 MB of mostly the same
            // pages (about 115 MB idle with 10,000 sources, BENCHMARKS-app.md).
            .pragma("soft_heap_limit", SOFT_HEAP_LIMIT.to_string());
        let open_error = |e: &dyn std::fmt::Display| Error::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        // Switching a brand-new file to WAL needs an exclusive lock, and SQLite
        // answers SQLITE_BUSY at once (no busy handler) when another process is
        // doing the same first open. That is a race, not a fault: try again.
        let mut attempt = 0u64;
        let pool = loop {
            match SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(options.clone())
                .await
            {
                Ok(pool) => break pool,
                Err(e) if attempt < OPEN_RETRIES && is_busy(&e) => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "library busy while opening, retrying");
                    tokio::time::sleep(Duration::from_millis(25 * attempt)).await;
                }
                Err(e) => return Err(open_error(&e)),
            }
        };
        Self::migrate(pool, Some(path.to_path_buf())).await
    }

    async fn migrate(pool: SqlitePool, path: Option<PathBuf>) -> Result<Self> {
        // SQLite migrations take no lock in sqlx: when two processes open a new
        // library at once, one may fail on a migration the other just applied
        // (each is applied in its own transaction). Trying again then finds it done.
        let mut attempt = 0;
        loop {
            match sqlx::migrate!("./migrations").run(&pool).await {
                Ok(()) => break,
                Err(e) if attempt < OPEN_RETRIES => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "migration raced, retrying");
                    tokio::time::sleep(Duration::from_millis(25 * attempt)).await;
                }
                Err(e) => return Err(Error::Migrate(e.to_string())),
            }
        }
        crate::search::backfill(&pool).await?;
        Ok(Self { pool, path })
    }

    /// The database file, or None for an in-memory library.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A watcher that notices writes made by *other* connections or processes
    /// (the CLI while the app is open). None for an in-memory library.
    pub async fn change_watcher(&self) -> Result<Option<ChangeWatcher>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let conn = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .busy_timeout(Duration::from_secs(5))
            .connect()
            .await?;
        let mut w = ChangeWatcher { conn, last: 0 };
        w.last = w.data_version().await?;
        Ok(Some(w))
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction. `BEGIN IMMEDIATE` takes the write lock up
    /// front, so two processes writing at once wait for each other (busy
    /// timeout) instead of failing on a read-to-write upgrade.
    pub async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Waits for pending writes and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Notices commits made through other connections, via `PRAGMA data_version`
/// (which only changes for a connection when *another* one commits).
pub struct ChangeWatcher {
    conn: sqlx::SqliteConnection,
    last: i64,
}

impl ChangeWatcher {
    async fn data_version(&mut self) -> Result<i64> {
        Ok(sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut self.conn)
            .await?)
    }

    /// True when the library changed since the last call.
    pub async fn changed(&mut self) -> Result<bool> {
        let v = self.data_version().await?;
        let changed = v != self.last;
        self.last = v;
        Ok(changed)
    }
}

/// Where the library lives when neither `--db` nor `REDLINE_DB` says otherwise:
/// `<data dir>/org.redline.app/redline.db` (on Linux `~/.local/share/org.redline.app/`),
/// the same directory Tauri's `app_data_dir()` gives the desktop app.
pub fn default_path() -> PathBuf {
    let base = directories::BaseDirs::new()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."));
    base.join(APP_IDENTIFIER).join("redline.db")
}
