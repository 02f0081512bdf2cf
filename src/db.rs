//! The one way to open a Redline library. Nobody else creates connections.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};

use crate::error::{Error, Result};

/// A statement with its bound values, as the writers that build one
/// round trip from several modules' statements pass it along.
pub(crate) type SqliteQuery<'q> =
    sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// The identifier in `tauri.conf.json`; the data directory is named after it.
pub const APP_IDENTIFIER: &str = "org.redline.app";

/// How often opening retries when another process holds the new file's lock
/// (backing off 25 ms more each time: about 5 s in all).
const OPEN_RETRIES: u64 = 20;

/// SQLite's process-wide soft heap limit, in bytes (see [`Db::open`]).
pub const SOFT_HEAP_LIMIT: i64 = 48 << 20;

/// The migrations this build carries, embedded at compile time.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// SQLite's primary result code of a database error (extended codes folded).
fn primary_code(e: &sqlx::Error) -> Option<i32> {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok())
        .map(|c| c & 0xff)
}

/// Why a library cannot be opened for writing when SQLite answers
/// SQLITE_READONLY (its file, or the folder its `-wal`/`-shm` go in).
const READ_ONLY: &str = "the library is read-only here (its file or its folder cannot be written)";

/// True for SQLITE_READONLY, including its extended codes.
fn is_read_only(e: &sqlx::Error) -> bool {
    primary_code(e) == Some(8)
}

fn sidecar_exists(path: &Path, suffix: &str) -> bool {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    Path::new(&name).exists()
}

/// True for SQLITE_BUSY / SQLITE_LOCKED, including their extended codes.
fn is_busy(e: &sqlx::Error) -> bool {
    matches!(primary_code(e), Some(5 | 6))
}

/// True when a migration failed because another process applied it at the
/// same moment (its table exists, its row is recorded, or the file is busy).
/// Anything else (a read-only file, a full disk) fails at once: retrying only
/// made a doomed open take five seconds.
fn is_migration_race(e: &MigrateError) -> bool {
    let (MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _)) = e else {
        return false;
    };
    match primary_code(e) {
        Some(5 | 6 | 19) => true,
        // A migration's CREATE or ALTER … ADD COLUMN that the other process
        // has just committed.
        Some(1) => {
            let msg = e.to_string();
            msg.contains("already exists") || msg.contains("duplicate column name")
        }
        _ => false,
    }
}

/// Where a library's recorded migrations stand against this build's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Schema {
    /// Every migration of this build is applied: opening writes nothing.
    Current,
    /// The first `applied` of this build's migrations are applied, in order and
    /// unchanged (an older Redline's library, or a new file): migrating upgrades it.
    Behind { applied: usize },
}

/// Reads the library's migration record and compares it with this build's.
/// A migration this build does not know (a newer Redline made the library),
/// a changed or failed one, or a gap is an error: migrating cannot fix those.
pub(crate) async fn schema(conn: &mut SqliteConnection) -> Result<Schema> {
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if recorded == 0 {
        return Ok(Schema::Behind { applied: 0 });
    }
    let rows: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    let ours = &MIGRATOR.migrations;
    for (i, (version, success, checksum)) in rows.iter().enumerate() {
        let Some(known) = ours.iter().find(|m| m.version == *version) else {
            return Err(Error::Migrate(format!(
                "the library was made by a newer Redline (it has migration {version}, \
                 which this version does not know); update Redline"
            )));
        };
        if !success {
            return Err(Error::Migrate(format!(
                "migration {version} failed part-way in this library"
            )));
        }
        if known.checksum.as_ref() != checksum.as_slice() {
            return Err(Error::Migrate(format!(
                "migration {version} in this library differs from this version's"
            )));
        }
        if ours[i].version != *version {
            return Err(Error::Migrate(format!(
                "the library lacks migration {} but has later ones",
                ours[i].version
            )));
        }
    }
    Ok(if rows.len() == ours.len() {
        Schema::Current
    } else {
        Schema::Behind {
            applied: rows.len(),
        }
    })
}

/// One schema object as `sqlite_master` records it: (type, name, table, SQL).
pub(crate) type SchemaObject = (String, String, String, Option<String>);

/// Every table, index, trigger and view in the library, except SQLite's own
/// statistics tables (ANALYZE makes those; they hold no data of ours).
pub(crate) async fn schema_objects(conn: &mut SqliteConnection) -> Result<BTreeSet<SchemaObject>> {
    let rows: Vec<SchemaObject> = sqlx::query_as(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The schema objects of a new library after this build's first `applied`
/// migrations: what a sound library at that point holds, and nothing else.
pub(crate) async fn reference_objects(applied: usize) -> Result<BTreeSet<SchemaObject>> {
    let mut conn = SqliteConnectOptions::from_str("sqlite::memory:")?
        .connect()
        .await?;
    let migrator = Migrator {
        migrations: Cow::Owned(
            MIGRATOR.migrations[..applied.min(MIGRATOR.migrations.len())].to_vec(),
        ),
        ignore_missing: false,
        locking: false,
        no_tx: false,
    };
    migrator
        .run_direct(&mut conn)
        .await
        .map_err(|e| Error::Migrate(e.to_string()))?;
    let objects = schema_objects(&mut conn).await;
    conn.close().await?;
    objects
}

/// How many connections a handle may hold at once.
///
/// Each connection parses the whole schema on its first statement (about
/// 1.3 ms of CPU for Redline's 170-odd tables, indexes and triggers), and a
/// connection handed back to the pool returns through a background task, so
/// a query right after another opened a second connection. A short command
/// that runs one query after another needs one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Connections {
    /// Up to eight, for the app and long commands that work side by side.
    #[default]
    Pool,
    /// One, reused: for a command that reads and exits.
    One,
}

impl Connections {
    fn max(self) -> u32 {
        match self {
            Connections::Pool => 8,
            Connections::One => 1,
        }
    }
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
        Self::connect(path, true, Connections::Pool).await
    }

    /// Opens the library at `path` only if it is already there: for commands
    /// that only read, so a mistyped `--db` is an error instead of a new
    /// empty library (and the directories leading to it).
    ///
    /// A library this user cannot write (a read-only file or folder: a
    /// colleague's copy, a mounted archive) still opens, read-only: reading
    /// needs no write, and a writing command then fails at once, clearly.
    pub async fn open_existing(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_existing_with(path, Connections::Pool).await
    }

    /// [`Db::open_existing`] with at most `connections` open at once.
    pub async fn open_existing_with(
        path: impl AsRef<Path>,
        connections: Connections,
    ) -> Result<Self> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(Error::Open {
                path: path.display().to_string(),
                reason: "there is no library there".into(),
            });
        }
        match Self::connect(path, false, connections).await {
            Err(Error::Open { reason, .. }) if reason == READ_ONLY => {
                Self::connect_read_only(path, connections).await
            }
            other => other,
        }
    }

    /// Opens a library that cannot be written here. With no `-wal`/`-shm`
    /// beside it (a cleanly closed library) and a folder where SQLite cannot
    /// make them, the file is opened as immutable: nobody without write
    /// access can change it meanwhile, and WAL mode cannot read it otherwise.
    async fn connect_read_only(path: &Path, connections: Connections) -> Result<Self> {
        let quiet = !sidecar_exists(path, "-wal") && !sidecar_exists(path, "-shm");
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(quiet)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-32768")
            .pragma("soft_heap_limit", SOFT_HEAP_LIMIT.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max())
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .map_err(|e| Error::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        let state = {
            let mut conn = pool.acquire().await?;
            schema(&mut conn).await
        };
        match state {
            Ok(Schema::Current) => Ok(Self {
                pool,
                path: Some(path.to_path_buf()),
            }),
            Ok(Schema::Behind { .. }) => {
                pool.close().await;
                Err(Error::Open {
                    path: path.display().to_string(),
                    reason: format!(
                        "{READ_ONLY}, and it was made by an older Redline: \
                         open it once where it can be written to upgrade it"
                    ),
                })
            }
            Err(e) => {
                pool.close().await;
                Err(e)
            }
        }
    }

    async fn connect(path: &Path, create: bool, connections: Connections) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
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
                .max_connections(connections.max())
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
                Err(e) if is_read_only(&e) => return Err(open_error(&READ_ONLY)),
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
            // A current library is left alone (a read-only file opens), and a
            // newer Redline's library is refused before anything is written.
            let state = {
                let mut conn = pool.acquire().await?;
                schema(&mut conn).await
            };
            match state {
                Ok(Schema::Current) => break,
                Ok(Schema::Behind { .. }) => {}
                Err(e) => {
                    pool.close().await;
                    return Err(e);
                }
            }
            match MIGRATOR.run(&pool).await {
                Ok(()) => break,
                Err(e) if attempt < OPEN_RETRIES && is_migration_race(&e) => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "migration raced, retrying");
                    tokio::time::sleep(Duration::from_millis(25 * attempt)).await;
                }
                Err(e) => {
                    pool.close().await;
                    return Err(Error::Migrate(e.to_string()));
                }
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

    /// Waits for pending writes and closes every connection, so the last
    /// close checkpoints the WAL and removes `-wal`/`-shm`.
    ///
    /// A connection a query just let go is handed back to the pool by a
    /// background task; sqlx's `close` can finish before that task does, and
    /// the straggler then closed after the process had exited (leaving the
    /// WAL behind in 13 of 30 runs). So first wait, briefly, for every
    /// connection to be back.
    pub async fn close(&self) {
        let deadline = Instant::now() + Duration::from_secs(1);
        while self.pool.num_idle() < self.pool.size() as usize && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
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
