//! Seeding a temp library for tests: sources, versions and captures written
//! straight through `redline::versions`, without fetching or extracting.
#![allow(dead_code)]

use redline::article::{Article, Block};
use redline::versions::{self, CaptureOutcome, CaptureRecord, Version};
use redline::Db;
use sqlx::SqliteConnection;

/// A fresh library file in a temp dir; keep the dir alive as long as the `Db`.
pub async fn library() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    (dir, db)
}

/// An article with a title and one paragraph per string; set other fields
/// with struct update syntax.
pub fn article(title: &str, paragraphs: &[&str]) -> Article {
    Article {
        title: title.into(),
        blocks: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
        ..Default::default()
    }
}

/// A source keyed by `url`, created at `at`.
pub async fn insert_source(conn: &mut SqliteConnection, url: &str, at: &str) -> i64 {
    versions::insert_source(conn, Some(url), Some(url), at)
        .await
        .unwrap()
}

/// The next version of `source`, fingerprinted as clipping does.
pub async fn insert_version(
    conn: &mut SqliteConnection,
    source: i64,
    article: &Article,
    at: &str,
) -> Version {
    let fp = redline::normalize::fingerprint(&article.title, &article.blocks);
    versions::insert_version(conn, source, article, &fp, at)
        .await
        .unwrap()
}

/// The next version of `source` and the capture that produced it.
pub async fn insert_captured_version(
    conn: &mut SqliteConnection,
    source: i64,
    article: &Article,
    record: &CaptureRecord,
    at: &str,
) -> Version {
    let v = insert_version(conn, source, article, at).await;
    versions::insert_capture(
        conn,
        source,
        record,
        CaptureOutcome::NewVersion,
        None,
        Some(v.id),
        at,
    )
    .await
    .unwrap();
    v
}

/// A clipped story in one transaction: a source, one version, one capture.
pub async fn clip(db: &Db, url: &str, article: &Article, record: &CaptureRecord, at: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let id = insert_source(&mut tx, url, at).await;
    insert_captured_version(&mut tx, id, article, record, at).await;
    tx.commit().await.unwrap();
    id
}

/// A source in its own transaction, with no versions yet.
pub async fn source(db: &Db, url: &str, at: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let id = insert_source(&mut tx, url, at).await;
    tx.commit().await.unwrap();
    id
}

/// A version of `source` in its own transaction, without a capture.
pub async fn version(db: &Db, source: i64, article: &Article, at: &str) -> Version {
    let mut tx = db.write().await.unwrap();
    let v = insert_version(&mut tx, source, article, at).await;
    tx.commit().await.unwrap();
    v
}

/// An empty note, written straight to the table.
pub async fn note(db: &Db, title: &str) -> i64 {
    sqlx::query("INSERT INTO notes (title, body, created_at, updated_at) VALUES (?, '', ?, ?)")
        .bind(title)
        .bind("2026-11-26T10:00:00.000Z")
        .bind("2026-11-26T10:00:00.000Z")
        .execute(db.pool())
        .await
        .unwrap()
        .last_insert_rowid()
}

/// A project, written straight to the table.
pub async fn project(db: &Db, name: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let id = sqlx::query("INSERT INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)")
        .bind(name)
        .bind("2026-11-26T21:00:00.000Z")
        .bind("2026-11-26T21:00:00.000Z")
        .execute(&mut *tx)
        .await
        .unwrap()
        .last_insert_rowid();
    tx.commit().await.unwrap();
    id
}
