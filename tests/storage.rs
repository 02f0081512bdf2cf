//! Content-addressed storage (issue 16.3): raw bytes once per SHA-256, a
//! revised page as a delta of the last, a version's text once, and the
//! upgrade of a library written in the old layout. Real library files, a
//! real loopback server, the real CLI.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use common::server::{Response, TestServer};
use common::wire;
use redline::article::{join_blocks, Block};
use redline::clip::{CheckStatus, ClipInput, Clipper};
use redline::fetch::FetchLimits;
use redline::versions::{self, upgrade};
use redline::Db;
use sqlx::SqliteConnection;

fn clipper(db: &Db) -> Clipper {
    let limits = FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        max_bytes: 2 * 1024 * 1024,
        max_redirects: 10,
        read_timeout: Duration::from_secs(2),
    };
    Clipper::new(db.clone(), limits).unwrap()
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// Logical size of the library in bytes (WAL included): what the file grows to.
async fn bytes(db: &Db) -> i64 {
    scalar(
        db,
        "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
    )
    .await
}

/// Re-checks `source` `n` times and returns the bytes the library grew by per re-check.
async fn growth_per_check(db: &Db, clipper: &Clipper, source: i64, n: i64) -> i64 {
    let before = bytes(db).await;
    for _ in 0..n {
        let outcome = clipper.check(source).await.unwrap();
        assert_eq!(outcome.status, CheckStatus::Unchanged, "{outcome:?}");
    }
    (bytes(db).await - before) / n
}

#[tokio::test]
async fn an_unchanged_recheck_costs_a_capture_row_with_or_without_validators() {
    let (_dir, db) = common::seed::library().await;
    let clipper = clipper(&db);
    let server = TestServer::start().await;
    let page = wire::page(&wire::story_v1(), 0);
    // The same bytes every time, and no validators: the server cannot say 304.
    server.set("/plain", Response::html(page.clone()));
    // The same bytes with an ETag the server honours.
    server.set_handler("/etag", move |req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Response::new(304, "text/html", Vec::new())
        } else {
            Response::html(page.clone()).header("ETag", "\"v1\"")
        }
    });
    let plain = clipper
        .clip(ClipInput::Url(server.url("/plain")))
        .await
        .unwrap();
    let etag = clipper
        .clip(ClipInput::Url(server.url("/etag")))
        .await
        .unwrap();

    let without = growth_per_check(&db, &clipper, plain.source_id, 60).await;
    let with = growth_per_check(&db, &clipper, etag.source_id, 60).await;
    eprintln!("unchanged re-check: {without} B without validators, {with} B with 304");
    assert!(without <= 300, "{without} B per unchanged re-check");
    assert!(with <= 300, "{with} B per 304 re-check");
    // Two sources served the same bytes: one blob, read back whole.
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM blobs").await, 1);
    let mut conn = db.pool().acquire().await.unwrap();
    let captures = versions::list_captures(&mut conn, plain.source_id)
        .await
        .unwrap();
    assert_eq!(captures.len(), 61);
    let last = captures.last().unwrap();
    let raw = versions::capture_raw(&mut conn, last.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw, wire::page(&wire::story_v1(), 0).into_bytes());
    assert_eq!(last.raw_size, Some(raw.len() as i64));
    // The addresses read back whole, though the row stores each only once.
    assert_eq!(last.requested_url, Some(server.url("/plain")));
    assert_eq!(last.final_url, last.requested_url);
    let stored: Option<String> = sqlx::query_scalar("SELECT final_url FROM captures WHERE id = ?")
        .bind(last.id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some("="));
    assert_eq!(
        last.raw_sha256.as_deref(),
        Some(redline::hash::sha256_hex(&raw).as_str())
    );
}

#[tokio::test]
async fn a_revised_page_is_stored_as_a_small_delta_of_the_last() {
    let (_dir, db) = common::seed::library().await;
    let clipper = clipper(&db);
    let server = TestServer::start().await;
    server.set("/story", Response::html(wire::page(&wire::story_v1(), 0)));
    let first = clipper
        .clip(ClipInput::Url(server.url("/story")))
        .await
        .unwrap();
    // The publisher edits the story; the ads and related links rotate.
    server.set("/story", Response::html(wire::page(&wire::story_v2(), 3)));
    let second = clipper.check(first.source_id).await.unwrap();
    assert_eq!(second.status, CheckStatus::NewVersion);

    let sizes: Vec<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, LENGTH(zstd), base_id FROM blobs ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(sizes.len(), 2, "{sizes:?}");
    assert_eq!(sizes[1].2, Some(sizes[0].0), "{sizes:?}");
    assert!(sizes[1].1 * 4 < sizes[0].1, "{sizes:?}");
    let mut conn = db.pool().acquire().await.unwrap();
    let captures = versions::list_captures(&mut conn, first.source_id)
        .await
        .unwrap();
    let raw = versions::capture_raw(&mut conn, captures[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw, wire::page(&wire::story_v2(), 3).into_bytes());
    // The version's text is stored once: the row holds a layout, not the JSON.
    let stored: String = sqlx::query_scalar("SELECT blocks FROM versions WHERE id = ?")
        .bind(second.version_id.unwrap())
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let version = versions::get_version(&mut conn, second.version_id.unwrap())
        .await
        .unwrap();
    assert_eq!(stored.len(), version.blocks.len(), "{stored}");
    assert_eq!(join_blocks(&version.blocks), version.text);
}

#[tokio::test]
async fn deleting_sources_releases_blobs_nothing_else_points_at() {
    let (_dir, db) = common::seed::library().await;
    let clipper = clipper(&db);
    let server = TestServer::start().await;
    server.set("/a", Response::html(wire::page(&wire::story_v1(), 0)));
    server.set("/b", Response::html(wire::page(&wire::story_v1(), 0)));
    let a = clipper
        .clip(ClipInput::Url(server.url("/a")))
        .await
        .unwrap();
    server.set("/a", Response::html(wire::page(&wire::story_v2(), 1)));
    clipper.check(a.source_id).await.unwrap();
    let b = clipper
        .clip(ClipInput::Url(server.url("/b")))
        .await
        .unwrap();
    // a: a full blob (shared with b) and a delta on it.
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM blobs").await, 2);

    let delete = |id: i64| {
        sqlx::query("DELETE FROM sources WHERE id = ?")
            .bind(id)
            .execute(db.pool())
    };
    delete(a.source_id).await.unwrap();
    // The delta went with a; the base stays, b still points at it.
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM blobs").await, 1);
    delete(b.source_id).await.unwrap();
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM blobs").await, 0);
}

/// A site's server as news sites run it: every answer with its own `Date`
/// and `Age`, so no two response heads are the same bytes.
fn dated(n: &std::sync::atomic::AtomicI64, response: Response) -> Response {
    let n = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let at = chrono::DateTime::from_timestamp(1_796_000_000 + n * 3_607, 0).unwrap();
    response
        .header("Date", &at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .header("Server", "nginx")
        .header("Cache-Control", "public, max-age=60")
        .header("Age", &(n % 60).to_string())
        .header("X-Cache", "HIT")
}

#[tokio::test]
async fn an_unchanged_recheck_keeps_its_dated_head_within_300_bytes() {
    use std::sync::{atomic::AtomicI64, Arc};
    let (_dir, db) = common::seed::library().await;
    let clipper = clipper(&db);
    let server = TestServer::start().await;
    let page = wire::page(&wire::story_v1(), 0);
    let served = Arc::new(AtomicI64::new(0));
    let (n, p) = (served.clone(), page.clone());
    server.set_handler("/plain", move |_| dated(&n, Response::html(p.clone())));
    let (n, p) = (served.clone(), page.clone());
    server.set_handler("/etag", move |req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            dated(&n, Response::new(304, "text/html", Vec::new())).header("ETag", "\"v1\"")
        } else {
            dated(&n, Response::html(p.clone())).header("ETag", "\"v1\"")
        }
    });
    let plain = clipper
        .clip(ClipInput::Url(server.url("/plain")))
        .await
        .unwrap();
    let etag = clipper
        .clip(ClipInput::Url(server.url("/etag")))
        .await
        .unwrap();
    let without = growth_per_check(&db, &clipper, plain.source_id, 100).await;
    let plain_last = served.load(std::sync::atomic::Ordering::Relaxed) - 1;
    let with = growth_per_check(&db, &clipper, etag.source_id, 100).await;
    eprintln!("dated heads: {without} B per 200 re-check, {with} B per 304");
    assert!(without <= 300, "{without} B per unchanged re-check");
    assert!(with <= 300, "{with} B per 304 re-check");

    // Every head reads back as served (the last one checked here; the
    // export test compares each).
    let mut conn = db.pool().acquire().await.unwrap();
    let last = versions::list_captures(&mut conn, plain.source_id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let heads = versions::capture_heads(&mut conn, last.id)
        .await
        .unwrap()
        .unwrap();
    let response = String::from_utf8(heads.response).unwrap();
    let at = chrono::DateTime::from_timestamp(1_796_000_000 + plain_last * 3_607, 0).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(
        response.contains(&format!(
            "date: {}\r\n",
            at.format("%a, %d %b %Y %H:%M:%S GMT")
        )),
        "{response}"
    );

    // A head stored whole in the old layout (keyed by 64 hex characters) is
    // still found: the same request head is not stored again.
    let (id, head): (i64, Vec<u8>) = sqlx::query_as(
        "SELECT h.id, h.head FROM http_heads h JOIN capture_heads x ON x.request_id = h.id \
         WHERE x.capture_id = ?",
    )
    .bind(last.id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    sqlx::query("UPDATE http_heads SET sha256 = ? WHERE id = ?")
        .bind(redline::hash::sha256_hex(&head))
        .bind(id)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let heads_before = scalar(&db, "SELECT COUNT(*) FROM http_heads").await;
    clipper.check(plain.source_id).await.unwrap();
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM http_heads").await,
        heads_before + 1,
        "only the new response head is stored"
    );

    // Deleting the sources releases every head, deltas and their bases.
    for id in [plain.source_id, etag.source_id] {
        sqlx::query("DELETE FROM sources WHERE id = ?")
            .bind(id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM http_heads").await, 0);
}

/// A story of the old layout: its page, its blocks as the old JSON.
struct OldStory {
    url: String,
    page: Vec<u8>,
    blocks: Vec<Block>,
}

fn old_stories() -> Vec<OldStory> {
    let mut out = Vec::new();
    for (i, story) in [
        wire::story_v1(),
        wire::story_v2(),
        wire::chinese_v1(),
        wire::arabic_v1(),
        wire::arabic_v2(),
    ]
    .into_iter()
    .enumerate()
    {
        let mut blocks = story.blocks.clone();
        if i == 1 {
            // A block holding the separator: only lengths can cut it back out.
            blocks.push(Block::paragraph(
                "Correction, Nov. 27:\n\nAn earlier version misstated the date.",
            ));
        }
        out.push(OldStory {
            url: format!("https://wire.example/world/story-{}", i % 3),
            page: wire::page(&story, i as u32).into_bytes(),
            blocks,
        });
    }
    out
}

/// A library as Redline wrote it before the `blobs` migration: raw bytes in
/// each capture (twice the same bytes for one story), blocks as JSON, and
/// one capture whose bytes no longer match their hash.
async fn old_library(path: &std::path::Path) {
    use sqlx::{ConnectOptions, Connection};
    let all = sqlx::migrate!("./migrations");
    let older = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version < 20261203002001)
                .cloned()
                .collect(),
        ),
        ignore_missing: false,
        locking: false,
        no_tx: false,
    };
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    older.run_direct(&mut conn).await.unwrap();
    for (i, s) in old_stories().iter().enumerate() {
        let source: i64 = match sqlx::query_scalar("SELECT id FROM sources WHERE url_key = ?")
            .bind(&s.url)
            .fetch_optional(&mut conn)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => sqlx::query("INSERT INTO sources (url_key, url, created_at) VALUES (?, ?, ?)")
                .bind(&s.url)
                .bind(&s.url)
                .bind("2026-11-26T06:00:00Z")
                .execute(&mut conn)
                .await
                .unwrap()
                .last_insert_rowid(),
        };
        let text = join_blocks(&s.blocks);
        let version = sqlx::query(
            "INSERT INTO versions (source_id, seq, created_at, title, blocks, text, text_sha256) \
             VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE source_id = ?), \
                     ?, ?, ?, ?, ?)",
        )
        .bind(source)
        .bind(source)
        .bind(format!("2026-11-26T0{i}:10:00Z"))
        .bind(format!("Story {i}"))
        .bind(serde_json::to_string(&s.blocks).unwrap())
        .bind(&text)
        .bind(redline::hash::sha256_hex(text.as_bytes()))
        .execute(&mut conn)
        .await
        .unwrap()
        .last_insert_rowid();
        // The first story was re-checked once without validators: same bytes again.
        for _ in 0..if i == 0 { 2 } else { 1 } {
            insert_old_capture(&mut conn, source, version, &s.page, &s.url).await;
        }
    }
    // Damaged evidence: the stored bytes of capture 3 are not what its hash says.
    let other = zstd::bulk::compress(b"<html>not what was served</html>", 3).unwrap();
    sqlx::query("UPDATE captures SET raw_zstd = ? WHERE id = 3")
        .bind(other)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

async fn insert_old_capture(
    conn: &mut SqliteConnection,
    source: i64,
    version: i64,
    raw: &[u8],
    url: &str,
) {
    sqlx::query(
        "INSERT INTO captures (source_id, captured_at, method, requested_url, final_url, \
            http_status, content_type, raw_zstd, raw_size, raw_sha256, outcome, version_id) \
         VALUES (?, '2026-11-26T07:00:00Z', 'fetch', ?, ?, 200, 'text/html', ?, ?, ?, \
                 'new_version', ?)",
    )
    .bind(source)
    .bind(url)
    .bind(url)
    .bind(zstd::bulk::compress(raw, 3).unwrap())
    .bind(raw.len() as i64)
    .bind(redline::hash::sha256_hex(raw))
    .bind(version)
    .execute(conn)
    .await
    .unwrap();
}

/// Everything a reader sees of the library: each capture's facts and bytes,
/// each version's blocks and text.
async fn everything(db: &Db) -> Vec<String> {
    let mut conn = db.pool().acquire().await.unwrap();
    let mut out = Vec::new();
    for s in versions::list_sources(&mut conn).await.unwrap() {
        for c in versions::list_captures(&mut conn, s.id).await.unwrap() {
            let raw = versions::capture_raw(&mut conn, c.id).await.ok().flatten();
            out.push(format!(
                "capture {} {:?} {:?} {:?}",
                c.id,
                c.raw_size,
                c.raw_sha256,
                raw.map(|r| redline::hash::sha256_hex(&r))
            ));
        }
        for v in versions::list_versions(&mut conn, s.id).await.unwrap() {
            let v = versions::get_version(&mut conn, v.id).await.unwrap();
            out.push(format!("version {} {:?} {:?}", v.id, v.blocks, v.text));
        }
    }
    out
}

#[tokio::test]
async fn an_old_library_upgrades_in_batches_and_resumes_after_a_stop() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("last-year.db");
    old_library(&path).await;
    let db = Db::open(&path).await.unwrap();
    // Before any upgrade the library reads as it always did.
    let before = everything(&db).await;
    assert_eq!(before.len(), 6 + 5);
    let stories = old_stories();
    assert!(before.contains(&format!(
        "version 2 {:?} {:?}",
        stories[1].blocks,
        join_blocks(&stories[1].blocks)
    )));
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(upgrade::pending(&mut conn).await.unwrap(), (6, 5));
    drop(conn);

    // Interrupted after the first batch of two captures.
    let mut seen = Vec::new();
    let report = upgrade::upgrade_storage(&db, 2, |p| {
        seen.push(p);
        ControlFlow::Break(())
    })
    .await
    .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].done, seen[0].total), (2, 6));
    assert_eq!(report.captures_moved, 2);
    assert_eq!(report.remaining, 4 + 5);
    assert_eq!(everything(&db).await, before);

    // The next run carries on; progress only goes forward.
    let mut seen = Vec::new();
    let report = upgrade::upgrade_storage(&db, 2, |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .await
    .unwrap();
    let captures: Vec<u64> = seen
        .iter()
        .filter(|p| p.step == upgrade::UpgradeStep::Captures)
        .map(|p| p.done)
        .collect();
    assert_eq!(captures, vec![2, 4]);
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((5, 5)));
    // The damaged capture is kept as it was, not rewritten on a guess.
    assert_eq!(report.captures_moved, 3);
    assert_eq!(report.rows_kept, 1);
    assert_eq!(report.versions_rewritten, 5);
    assert_eq!(everything(&db).await, before);
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(upgrade::pending(&mut conn).await.unwrap(), (1, 0));
    drop(conn);
    // Two captures of the same bytes share a blob; capture 3 kept its own bytes.
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM blobs").await, 4);
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM captures WHERE raw_zstd IS NOT NULL"
        )
        .await,
        1
    );
    let layouts: Vec<String> = sqlx::query_scalar("SELECT blocks FROM versions ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(layouts.iter().all(|l| !l.starts_with('[')), "{layouts:?}");
    assert!(layouts[1].contains(char::is_numeric), "{layouts:?}");
    db.close().await;
}

#[tokio::test]
async fn the_cli_upgrade_shows_progress_on_stderr_and_clean_json_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("last-year.db");
    old_library(&path).await;
    // Opening migrates the schema; the data waits for the command.
    Db::open(&path).await.unwrap().close().await;

    let out = common::cli::redline(&path, &["upgrade-storage"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("raw captures into blobs: 6/6"), "{stderr}");
    assert!(stderr.contains("version texts to layouts: 5/5"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("5 capture(s) moved"), "{stdout}");
    assert!(stdout.contains("1 row(s) kept"), "{stdout}");

    // Nothing left but the damaged capture: a second run in JSON says so, cleanly.
    let again = common::cli::json(&common::cli::redline(&path, &["--json", "upgrade-storage"]));
    assert_eq!(again["capturesMoved"], 0);
    assert_eq!(again["rowsKept"], 1);
    assert_eq!(again["versionsRewritten"], 0);
}
