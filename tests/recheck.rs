//! Re-checking many stories on one site (issue 16.5): the per-site gap is a
//! library setting with a polite floor, and `check --all` says up front how
//! long it will take and shows progress on stderr. Real library files, a
//! real loopback server, the real CLI.

mod common;

use std::time::{Duration, Instant};

use common::cli::{json, redline};
use common::server::{Response, TestServer};
use common::wal::{checkpoint, wal_frames};
use common::wire;
use redline::clip::CheckStatus;
use redline::notebook::{Notebook, Settings};

#[tokio::test]
async fn the_per_site_gap_is_a_library_setting_with_a_polite_floor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.db");
    let nb = Notebook::open(&path, Settings::default()).await.unwrap();
    assert_eq!(nb.host_gap().await.unwrap(), redline::watch::POLITE_GAP);
    let err = nb
        .set_host_gap(Some(Duration::from_millis(300)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
    assert_eq!(
        nb.set_host_gap(Some(Duration::from_secs(12)))
            .await
            .unwrap(),
        Duration::from_secs(12)
    );
    nb.close().await;

    // Kept in the library: another process (or the app) opening it obeys it.
    let nb = Notebook::open(&path, Settings::default()).await.unwrap();
    assert_eq!(nb.host_gap().await.unwrap(), Duration::from_secs(12));
    assert_eq!(
        nb.set_host_gap(None).await.unwrap(),
        redline::watch::POLITE_GAP
    );
    nb.close().await;
}

#[test]
fn check_all_says_how_long_it_will_take_and_shows_progress() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let server = TestServer::start_in_thread();
    for (i, path) in ["/world/a", "/world/b", "/world/c"].iter().enumerate() {
        let mut story = wire::story_v1();
        story.title = format!("{} ({i})", story.title);
        server.set(path, Response::html(wire::page(&story, i as u32)));
        json(&redline(&db, &["clip", &server.url(path), "--json"]));
    }
    assert_eq!(
        json(&redline(&db, &["watch", "gap", "1", "--json"]))["gapSecs"],
        1.0
    );

    let started = Instant::now();
    let out = redline(&db, &["check", "--all"]);
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "Re-checking 3 source(s) on 1 site(s), one request per site every 1 s: at least 2 s."
        ),
        "{stderr}"
    );
    assert!(stderr.contains("checked 1/3"), "{stderr}");
    assert!(
        stderr.contains("checked 3/3: 0 new version(s), 0 failed"),
        "{stderr}"
    );
    // The gap was honoured: three requests to one site, a second apart.
    assert!(took >= Duration::from_secs(2), "{took:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("unchanged").count(), 3, "{stdout}");

    // JSON mode: the outcomes on stdout, nothing chatty on stderr.
    let out = redline(&db, &["check", "--all", "--json"]);
    let outcomes = json(&out);
    assert_eq!(outcomes.as_array().map(Vec::len), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[tokio::test]
async fn a_site_that_ignores_conditional_get_is_asked_head_first() {
    use redline::clip::{CheckStatus, ClipInput, Clipper};
    use redline::versions::{self, CaptureOutcome};
    use std::sync::{Arc, Mutex};

    let (_dir, db) = common::seed::library().await;
    let clipper = Clipper::new(db.clone(), redline::fetch::FetchLimits::default()).unwrap();
    let server = TestServer::start().await;
    // The page and its ETag; the server sends the whole page whatever the
    // request's If-None-Match says.
    let page = Arc::new(Mutex::new((wire::page(&wire::story_v1(), 0), "\"a1\"")));
    let served = page.clone();
    server.set_handler("/story", move |_| {
        let (html, etag) = served.lock().unwrap().clone();
        Response::html(html).header("ETag", etag)
    });
    let clip = clipper
        .clip(ClipInput::Url(server.url("/story")))
        .await
        .unwrap();
    let methods =
        || -> Vec<String> { server.requests().iter().map(|r| r.method.clone()).collect() };
    // The first re-check asks conditionally and gets the whole page back.
    let first = clipper.check(clip.source_id).await.unwrap();
    assert_eq!(first.status, CheckStatus::Unchanged);
    assert_eq!(methods(), ["GET", "GET"]);

    // From now on: headers first, and no body when they match.
    for _ in 0..3 {
        let again = clipper.check(clip.source_id).await.unwrap();
        assert_eq!(again.status, CheckStatus::Unchanged);
    }
    assert_eq!(methods(), ["GET", "GET", "HEAD", "HEAD", "HEAD"]);
    let mut conn = db.pool().acquire().await.unwrap();
    let captures = versions::list_captures(&mut conn, clip.source_id)
        .await
        .unwrap();
    let last = captures.last().unwrap();
    assert_eq!(last.outcome(), CaptureOutcome::NotModified);
    assert_eq!(last.etag.as_deref(), Some("\"a1\""));
    assert_eq!(last.raw_size, None);
    drop(conn);

    // The story is edited: the HEAD's ETag differs, so the page is fetched.
    *page.lock().unwrap() = (wire::page(&wire::story_v2(), 1), "\"b2\"");
    let edited = clipper.check(clip.source_id).await.unwrap();
    assert_eq!(edited.status, CheckStatus::NewVersion);
    assert_eq!(
        methods(),
        ["GET", "GET", "HEAD", "HEAD", "HEAD", "HEAD", "GET"]
    );
}

#[tokio::test]
async fn a_beat_is_rechecked_in_a_few_commits_and_each_result_stands() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.db");
    let nb = Notebook::open(
        &path,
        Settings {
            polite_gap: Duration::ZERO,
            ..Settings::default()
        },
    )
    .await
    .unwrap();
    let server = TestServer::start().await;
    let mut ids = Vec::new();
    for i in 0..24u32 {
        let mut story = wire::story_v1();
        story.title = format!("{} ({i})", story.title);
        let path = format!("/world/beat-{i}");
        server.set(&path, Response::html(wire::page(&story, i)));
        ids.push(nb.clip_url(&server.url(&path)).await.unwrap().source_id);
    }
    // One story revised, one gone: in the same batch as 22 unchanged ones.
    server.set(
        "/world/beat-3",
        Response::html(wire::page(&wire::story_v2(), 3)),
    );
    server.set(
        "/world/beat-7",
        Response::new(404, "text/html", "<h1>Not found</h1>"),
    );
    let before = nb.versions(ids[7]).await.unwrap();
    checkpoint(&path).await;
    assert_eq!(wal_frames(&path), 0);

    let mut seen = Vec::new();
    let outcomes = nb
        .check_many_with(&ids, |o, done| seen.push((o.source_id, done)))
        .await;
    // Each check was told of, in order; the results stand as if checked alone.
    assert_eq!(seen, ids.iter().copied().zip(1..).collect::<Vec<_>>());
    assert_eq!(outcomes.len(), 24);
    for (o, id) in outcomes.iter().zip(&ids) {
        assert_eq!(o.source_id, *id);
        assert!(o.capture_id.is_some(), "{o:?}");
        let want = match *id {
            x if x == ids[3] => CheckStatus::NewVersion,
            x if x == ids[7] => CheckStatus::Failed,
            _ => CheckStatus::Unchanged,
        };
        assert_eq!(o.status, want, "{o:?}");
    }
    assert_eq!(nb.versions(ids[3]).await.unwrap().len(), 2);
    // The failed check hid nothing: the gone story still stands at its version.
    assert_eq!(nb.versions(ids[7]).await.unwrap().len(), before.len());
    assert_eq!(outcomes[7].version_id, Some(before[0].id));
    assert_eq!(nb.captures(ids[7]).await.unwrap().len(), 2);

    // Written together: a commit per check wrote every page it touched
    // (capture rows and index leaves, the source row, heads) again — 193
    // frames here; one batch writes each once (55, most for the new version).
    let frames = wal_frames(&path);
    eprintln!("24 checks: {frames} WAL frames");
    assert!(frames <= 96, "{frames} WAL frames for 24 checks");
}
