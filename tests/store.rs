//! Opening the library: migrations, pragmas, and two openers at once.

use redline::Db;
use sqlx::Connection;

#[tokio::test]
async fn two_processes_opening_a_new_library_at_once_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("library.db");
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(async move { Db::open(&path).await.map(|db| db.path().is_some()) })
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().expect("open and migrate"));
    }
}

#[tokio::test]
async fn the_library_uses_wal_and_enforces_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let err = sqlx::query("INSERT INTO versions (source_id, seq, created_at, title, blocks, text, text_sha256) VALUES (999, 1, 'x', 't', '[]', '', 'h')")
        .execute(db.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[tokio::test]
async fn an_unopenable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let err = Db::open(file.join("library.db")).await.unwrap_err();
    assert_eq!(err.code(), "open_failed");
    assert!(err.to_string().contains("cannot open the library"), "{err}");
}

#[tokio::test]
async fn the_change_watcher_sees_writes_from_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.db");
    let app = Db::open(&path).await.unwrap();
    let mut watcher = app.change_watcher().await.unwrap().unwrap();
    assert!(!watcher.changed().await.unwrap());
    // Another process (here: another pool, as the CLI would be) writes.
    let cli = Db::open(&path).await.unwrap();
    let mut tx = cli.write().await.unwrap();
    redline::versions::insert_source(
        &mut tx,
        Some("example.org/a"),
        Some("https://example.org/a"),
        "2026-11-26T00:00:00Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(watcher.changed().await.unwrap());
    assert!(!watcher.changed().await.unwrap());
}

/// Every pooled connection may cache 32 MB, but SQLite's memory in the whole
/// process stays near the soft heap limit: eight connections that each read a
/// 30 MB table do not hold eight copies of it.
#[tokio::test]
async fn many_connections_reading_a_big_library_share_one_memory_budget() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    let mut c = db.pool().acquire().await.unwrap();
    sqlx::query("CREATE TABLE ballast (b BLOB NOT NULL)")
        .execute(&mut *c)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
         INSERT INTO ballast SELECT randomblob(10000) FROM n",
    )
    .execute(&mut *c)
    .await
    .unwrap();
    drop(c);

    let mut conns = Vec::new();
    for _ in 0..8 {
        conns.push(db.pool().acquire().await.unwrap());
    }
    for c in &mut conns {
        c.ping().await.unwrap();
        // hex() reads every byte, so every page passes through this
        // connection's cache.
        let n: i64 = sqlx::query_scalar("SELECT sum(length(hex(b))) FROM ballast")
            .fetch_one(&mut **c)
            .await
            .unwrap();
        assert_eq!(n, 3000 * 20000);
    }
    // SAFETY: a read of SQLite's global counter, safe from any thread.
    let used = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    let slack = 8 << 20;
    assert!(
        used < redline::db::SOFT_HEAP_LIMIT + slack,
        "SQLite holds {} MB with 8 connections open",
        used >> 20
    );
    drop(conns);
    db.close().await;
}
