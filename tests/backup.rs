//! Whole-library backup while the library is in use, and restore.

mod common;

use common::seed;
use redline::article::Article;
use redline::export;
use redline::versions::CaptureRecord;
use redline::Db;

/// One clipped story in one transaction: a source, its version and capture.
async fn clip(db: &Db, n: usize) -> i64 {
    let url = format!("https://www.dw.com/en/berlin-coalition-talks/a-7{n:06}");
    let article = Article {
        site_name: Some("DW".into()),
        lang: Some("de".into()),
        ..seed::article(
            &format!("Berlin coalition talks, day {n}"),
            &[&format!(
                "„Wir sind noch nicht am Ziel“, sagte Friedrich Merz am Tag {n}."
            )],
        )
    };
    let record = CaptureRecord {
        raw: Some(vec![b'x'; 2048 + n]),
        ..Default::default()
    };
    seed::clip(db, &url, &article, &record, "2026-11-26T12:00:00.000Z").await
}

async fn titles(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT title FROM versions ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_another_task_writes_is_consistent() {
    let (dir, db) = seed::library().await;
    for n in 0..20 {
        clip(&db, n).await;
    }
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for n in 20..120 {
                clip(&db, n).await;
            }
        })
    };
    let target = dir.path().join("backups").join("redline-2026-11-26.db");
    let report = export::backup(&db, &target).await.unwrap();
    writer.await.unwrap();
    assert_eq!(report.path, target.display().to_string());
    assert!(report.bytes > 0);

    let copy = Db::open(&target).await.unwrap();
    let (sources, versions, captures, orphans): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
                (SELECT COUNT(*) FROM captures), \
                (SELECT COUNT(*) FROM sources s WHERE NOT EXISTS \
                   (SELECT 1 FROM versions v WHERE v.source_id = s.id))",
    )
    .fetch_one(copy.pool())
    .await
    .unwrap();
    // A snapshot between two transactions: whole stories only.
    assert!((20..=120).contains(&sources), "{sources}");
    assert_eq!((versions, captures, orphans), (sources, sources, 0));
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    copy.close().await;

    // The live library kept every write.
    assert_eq!(titles(&db).await.len(), 120);
    // A backup never overwrites a file.
    let err = export::backup(&db, &target).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn restore_replaces_a_closed_library_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 1).await;
    clip(&db, 2).await;
    let backup = dir.path().join("monday.db");
    let report = export::backup(&db, &backup).await.unwrap();
    assert_eq!((report.sources, report.versions, report.notes), (2, 2, 0));
    clip(&db, 3).await;

    // While the library is open, restoring over it is refused and changes nothing.
    let err = export::restore(&backup, &live).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        format!(
            "the library at {} is open; close Redline and try again",
            live.display()
        )
    );
    assert_eq!(titles(&db).await.len(), 3);
    db.close().await;

    let restored = export::restore(&backup, &live).await.unwrap();
    assert_eq!((restored.sources, restored.versions), (2, 2));
    let previous = restored.previous.expect("the replaced library is kept");
    let db = Db::open(&live).await.unwrap();
    assert_eq!(
        titles(&db).await,
        [
            "Berlin coalition talks, day 1",
            "Berlin coalition talks, day 2"
        ]
    );
    db.close().await;
    let old = Db::open(&previous).await.unwrap();
    assert_eq!(titles(&old).await.len(), 3);
    old.close().await;

    // Restoring to a path with no library yet works too.
    let fresh = dir.path().join("elsewhere").join("redline.db");
    let r = export::restore(&backup, &fresh).await.unwrap();
    assert_eq!(r.previous, None);
    let db = Db::open(&fresh).await.unwrap();
    assert_eq!(titles(&db).await.len(), 2);
    db.close().await;
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_sound_library() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 7).await;
    db.close().await;

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Kallas: \"strongest package yet\"").unwrap();
    let err = export::restore(&text, &live).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        format!("{} is not a SQLite database", text.display())
    );

    // A SQLite header over garbage: opening or checking it fails.
    let broken = dir.path().join("broken.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5u8, 8192));
    std::fs::write(&broken, bytes).unwrap();
    assert!(export::restore(&broken, &live).await.is_err());

    assert!(export::restore(&dir.path().join("missing.db"), &live)
        .await
        .is_err());

    // The library is untouched and no staging file is left behind.
    let db = Db::open(&live).await.unwrap();
    assert_eq!(titles(&db).await, ["Berlin coalition talks, day 7"]);
    db.close().await;
    let staged: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring") || n.contains("before-restore"))
        .collect();
    assert_eq!(staged, Vec::<String>::new());
}

/// A live library with two clipped stories, and a sound backup of it that the
/// caller may tamper with through a plain SQLite connection (not ours).
async fn library_and_backup(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let live = dir.join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 1).await;
    clip(&db, 2).await;
    let backup = dir.join("friday.db");
    export::backup(&db, &backup).await.unwrap();
    db.close().await;
    (live, backup)
}

async fn tamper(file: &std::path::Path, sql: &str) {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

/// The refusal names the reason, and the library is byte for byte as it was.
async fn assert_refused(backup: &std::path::Path, live: &std::path::Path, reason: &str) {
    let before = std::fs::read(live).unwrap();
    let err = export::restore(backup, live).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string().starts_with(&backup.display().to_string())
            && err.to_string().contains(reason),
        "{err}"
    );
    assert!(
        std::fs::read(live).unwrap() == before,
        "the library changed"
    );
    let db = Db::open(live).await.unwrap();
    assert_eq!(titles(&db).await.len(), 2);
    db.close().await;
}

#[tokio::test]
async fn restore_refuses_a_backup_with_a_planted_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let (live, backup) = library_and_backup(dir.path()).await;
    // Would silently delete the first version of a story on its next capture.
    tamper(
        &backup,
        "CREATE TRIGGER tidy_up AFTER INSERT ON captures BEGIN \
           DELETE FROM versions WHERE source_id = NEW.source_id AND seq = 1; \
         END;",
    )
    .await;
    assert_refused(
        &backup,
        &live,
        "is not a Redline library: it holds a trigger \"tidy_up\" that Redline does not make",
    )
    .await;

    // A view, or a Redline trigger rewritten, is refused the same way.
    let (_, backup) = library_and_backup(&dir.path().join("b")).await;
    tamper(
        &backup,
        "DROP TRIGGER versions_search_delete; \
         CREATE TRIGGER versions_search_delete AFTER DELETE ON versions BEGIN \
           DELETE FROM notes; \
         END;",
    )
    .await;
    assert_refused(
        &backup,
        &live,
        "its trigger \"versions_search_delete\" differs from Redline's",
    )
    .await;
}

#[tokio::test]
async fn restore_refuses_a_forged_capture_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (live, backup) = library_and_backup(dir.path()).await;
    // The hash of other bytes: what a forger who swapped the evidence would write.
    let forged = redline::hash::sha256_hex(b"<html>Kallas never said this</html>");
    tamper(
        &backup,
        &format!("UPDATE captures SET raw_sha256 = '{forged}' WHERE id = 2"),
    )
    .await;
    assert_refused(
        &backup,
        &live,
        "the raw bytes of capture 2 do not match their recorded hash",
    )
    .await;

    // Swapped bytes under the old hash are caught too.
    let (_, backup) = library_and_backup(&dir.path().join("b")).await;
    let swapped = zstd::bulk::compress(&vec![b'y'; 2050], 3).unwrap();
    let hex: String = swapped.iter().map(|b| format!("{b:02x}")).collect();
    tamper(
        &backup,
        &format!("UPDATE captures SET raw_zstd = x'{hex}' WHERE id = 1"),
    )
    .await;
    assert_refused(
        &backup,
        &live,
        "the raw bytes of capture 1 do not match their recorded hash",
    )
    .await;
}

#[tokio::test]
async fn restore_refuses_three_empty_tables_with_redline_names() {
    let dir = tempfile::tempdir().unwrap();
    let (live, _) = library_and_backup(dir.path()).await;
    let impostor = dir.path().join("impostor.db");
    tamper(
        &impostor,
        "CREATE TABLE sources (id INTEGER PRIMARY KEY); \
         CREATE TABLE versions (id INTEGER PRIMARY KEY); \
         CREATE TABLE notes (id INTEGER PRIMARY KEY);",
    )
    .await;
    assert_refused(
        &impostor,
        &live,
        "is not a Redline library: it records no Redline migrations",
    )
    .await;
}

#[tokio::test]
async fn restore_refuses_a_library_from_a_newer_redline() {
    let dir = tempfile::tempdir().unwrap();
    let (live, backup) = library_and_backup(dir.path()).await;
    tamper(
        &backup,
        "INSERT INTO _sqlx_migrations \
           (version, description, installed_on, success, checksum, execution_time) \
         VALUES (20991231000001, 'from the future', '2099-12-31 00:00:00', 1, x'00', 1)",
    )
    .await;
    assert_refused(
        &backup,
        &live,
        "cannot be restored: the library was made by a newer Redline (it has migration 20991231000001",
    )
    .await;
}

#[tokio::test]
async fn restore_accepts_an_older_redline_library_and_upgrades_it() {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let (live, _) = library_and_backup(dir.path()).await;
    // A library as the previous Redline left it: every migration but the newest.
    let all = sqlx::migrate!("./migrations");
    let older = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(all.migrations[..all.migrations.len() - 1].to_vec()),
        ignore_missing: false,
        locking: false,
        no_tx: false,
    };
    let backup = dir.path().join("last-year.db");
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&backup)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    older.run_direct(&mut conn).await.unwrap();
    sqlx::query("INSERT INTO sources (url_key, url, created_at) VALUES (?, ?, ?)")
        .bind("https://www.lemonde.fr/international/article/2025/03/02/ukraine")
        .bind("https://www.lemonde.fr/international/article/2025/03/02/ukraine")
        .bind("2025-03-02T08:00:00Z")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    let report = export::restore(&backup, &live).await.unwrap();
    assert_eq!((report.sources, report.versions), (1, 0));
    let db = Db::open(&live).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(applied as usize, all.migrations.len());
    db.close().await;
}

fn sidecars(db: &std::path::Path) -> Vec<String> {
    ["-wal", "-shm"]
        .iter()
        .map(|s| format!("{}{s}", db.display()))
        .filter(|p| std::path::Path::new(p).exists())
        .collect()
}

#[tokio::test]
async fn a_finished_command_leaves_no_wal_or_shm_behind() {
    let (dir, db) = seed::library().await;
    for n in 0..30 {
        clip(&db, n).await;
    }
    let path = db.path().unwrap().to_path_buf();
    db.close().await;
    assert_eq!(sidecars(&path), Vec::<String>::new());
    // `sources` reads through several pooled connections at once; every one
    // must be closed (and the WAL checkpointed away) before the process exits.
    for run in 0..30 {
        let out = common::cli::redline(&path, &["sources"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(sidecars(&path), Vec::<String>::new(), "after run {run}");
        // …so a restore right after is not refused as "open".
        if run % 10 == 9 {
            let backup = dir.path().join(format!("copy-{run}.db"));
            std::fs::copy(&path, &backup).unwrap();
            export::restore(&backup, &path).await.unwrap();
        }
    }
}

#[tokio::test]
async fn restore_after_a_crash_ignores_the_stale_shm_and_keeps_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 1).await;
    let backup = dir.path().join("monday.db");
    export::backup(&db, &backup).await.unwrap();
    clip(&db, 2).await;
    clip(&db, 3).await;
    // The files exactly as a `kill -9` leaves them: the WAL holds the last
    // clips, the -shm is stale, and no process holds a lock.
    let crashed: Vec<(std::path::PathBuf, Vec<u8>)> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let p = std::path::PathBuf::from(format!("{}{s}", live.display()));
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    db.close().await;
    for (p, bytes) in &crashed {
        std::fs::write(p, bytes).unwrap();
    }
    assert_eq!(sidecars(&live).len(), 2);

    let report = export::restore(&backup, &live).await.unwrap();
    assert_eq!(report.versions, 1);
    let db = Db::open(&live).await.unwrap();
    assert_eq!(titles(&db).await, ["Berlin coalition talks, day 1"]);
    db.close().await;
    // The replaced library kept what only its WAL held.
    let old = Db::open(report.previous.unwrap()).await.unwrap();
    assert_eq!(titles(&old).await.len(), 3);
    old.close().await;

    // A reader killed after the last checkpoint leaves a -shm and no WAL.
    let stale_shm = &crashed[2];
    std::fs::write(&stale_shm.0, &stale_shm.1).unwrap();
    assert_eq!(sidecars(&live).len(), 1);
    let again = export::restore(&backup, &live).await.unwrap();
    assert_eq!(again.versions, 1);
    let db = Db::open(&live).await.unwrap();
    assert_eq!(titles(&db).await.len(), 1);
    db.close().await;
}

#[tokio::test]
async fn a_refused_restore_changes_nothing_in_the_open_library() {
    let dir = tempfile::tempdir().unwrap();
    let (live, backup) = library_and_backup(dir.path()).await;
    let db = Db::open(&live).await.unwrap();
    clip(&db, 3).await;
    let before: Vec<Vec<u8>> = ["", "-wal"]
        .iter()
        .map(|s| std::fs::read(format!("{}{s}", live.display())).unwrap())
        .collect();
    let err = export::restore(&backup, &live).await.unwrap_err();
    assert!(err.to_string().contains("is open"), "{err}");
    let after: Vec<Vec<u8>> = ["", "-wal"]
        .iter()
        .map(|s| std::fs::read(format!("{}{s}", live.display())).unwrap())
        .collect();
    assert!(before == after, "the refused restore wrote to the library");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(titles(&db).await.len(), 3);
    db.close().await;
}
