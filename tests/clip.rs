//! Clipping and re-checking against a real loopback server and a real SQLite file.

mod common;

use std::time::Duration;

use common::server::{Behaviour, Response, TestServer};
use common::wire;
use redline::clip::{CheckStatus, ClipInput, Clipper, TextFormat};
use redline::fetch::FetchLimits;
use redline::versions::{self, CaptureMethod, CaptureOutcome};
use redline::Db;

struct Lib {
    _dir: tempfile::TempDir,
    db: Db,
    clipper: Clipper,
}

async fn library() -> Lib {
    let (dir, db) = common::seed::library().await;
    let limits = FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(3),
        max_bytes: 2 * 1024 * 1024,
        max_redirects: 10,
        read_timeout: Duration::from_secs(2),
    };
    let clipper = Clipper::new(db.clone(), limits).unwrap();
    Lib {
        _dir: dir,
        db,
        clipper,
    }
}

async fn counts(db: &Db) -> (usize, usize, usize) {
    let mut c = db.pool().acquire().await.unwrap();
    let sources = versions::list_sources(&mut c).await.unwrap();
    let mut v = 0;
    let mut k = 0;
    for s in &sources {
        v += versions::list_versions(&mut c, s.id).await.unwrap().len();
        k += versions::list_captures(&mut c, s.id).await.unwrap().len();
    }
    (sources.len(), v, k)
}

#[tokio::test]
async fn clipping_a_url_stores_the_article_and_the_evidence() {
    let lib = library().await;
    let server = TestServer::start().await;
    let page = wire::page(&wire::story_v1(), 1);
    server.set(
        "/world/summit",
        Response::html(page.clone()).header("ETag", "\"v1\""),
    );

    let out = lib
        .clipper
        .clip(ClipInput::Url(server.url("/world/summit")))
        .await
        .unwrap();
    assert!(out.new_source && out.new_version);
    assert_eq!(out.version_seq, 1);
    assert_eq!(out.title, wire::story_v1().title);

    let mut c = lib.db.pool().acquire().await.unwrap();
    let v = versions::get_version(&mut c, out.version_id).await.unwrap();
    let story = wire::story_v1();
    assert_eq!(v.byline.as_deref(), story.byline.strip_prefix("By "));
    for block in &story.blocks {
        assert!(
            v.blocks.iter().any(|b| b.text == block.text),
            "missing block: {}",
            block.text
        );
    }
    for noise in ["Advertisement", "Sign up for our newsletter", "minutes ago"] {
        assert!(!v.text.contains(noise), "noise kept: {noise}");
    }

    let caps = versions::list_captures(&mut c, out.source_id)
        .await
        .unwrap();
    assert_eq!(caps.len(), 1);
    let cap = &caps[0];
    assert_eq!(cap.http_status, Some(200));
    assert_eq!(cap.etag.as_deref(), Some("\"v1\""));
    assert_eq!(cap.method, "fetch");
    assert_eq!(cap.outcome(), CaptureOutcome::NewVersion);
    assert_eq!(
        cap.raw_sha256.as_deref(),
        Some(redline::hash::sha256_hex(page.as_bytes()).as_str())
    );
    let raw = versions::capture_raw(&mut c, cap.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw, page.as_bytes());
}

#[tokio::test]
async fn the_same_story_again_adds_to_its_source_without_a_new_version() {
    let lib = library().await;
    let server = TestServer::start().await;
    server.set(
        "/world/summit",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    server.set(
        "/world/summit?utm_source=twitter&utm_medium=social",
        Response::html(wire::page(&wire::story_v1(), 7)),
    );
    let first = lib
        .clipper
        .clip(ClipInput::Url(server.url("/world/summit")))
        .await
        .unwrap();
    let again = lib
        .clipper
        .clip(ClipInput::Url(
            server.url("/world/summit?utm_source=twitter&utm_medium=social"),
        ))
        .await
        .unwrap();
    assert_eq!(again.source_id, first.source_id);
    assert!(!again.new_source);
    assert!(!again.new_version, "page noise made a version");
    assert_eq!(again.version_id, first.version_id);
    assert_eq!(counts(&lib.db).await, (1, 1, 2));
}

#[tokio::test]
async fn check_finds_revisions_ignores_noise_and_survives_failures() {
    let lib = library().await;
    let server = TestServer::start().await;
    server.set("/story", Response::html(wire::page(&wire::story_v1(), 1)));
    let first = lib
        .clipper
        .clip(ClipInput::Url(server.url("/story")))
        .await
        .unwrap();

    // The outlet revises the story.
    server.set("/story", Response::html(wire::page(&wire::story_v2(), 2)));
    let checked = lib.clipper.check(first.source_id).await.unwrap();
    assert_eq!(checked.status, CheckStatus::NewVersion);
    assert_eq!(checked.version_seq, Some(2));
    assert_eq!(
        checked.title.as_deref(),
        Some(wire::story_v2().title.as_str())
    );

    // Only the page furniture changes: no version.
    server.set(
        "/story",
        Response::html(wire::page(&wire::story_v2_noise(), 3)),
    );
    let checked = lib.clipper.check(first.source_id).await.unwrap();
    assert_eq!(checked.status, CheckStatus::Unchanged);
    assert_eq!(checked.version_seq, Some(2));

    // The server fails: recorded, nothing hidden or replaced.
    server.set(
        "/story",
        Response::new(500, "text/html", "<h1>Internal error</h1>"),
    );
    let checked = lib.clipper.check(first.source_id).await.unwrap();
    assert_eq!(checked.status, CheckStatus::Failed);
    assert_eq!(checked.error_code.as_deref(), Some("http_status"));
    assert_eq!(
        checked.version_seq,
        Some(2),
        "a failure must not hide the last good version"
    );

    // The page vanishes: a failure, never "removed".
    server.set("/story", Response::new(404, "text/html", "gone"));
    let checked = lib.clipper.check(first.source_id).await.unwrap();
    assert_eq!(checked.status, CheckStatus::Failed);

    let mut c = lib.db.pool().acquire().await.unwrap();
    let vs = versions::list_versions(&mut c, first.source_id)
        .await
        .unwrap();
    assert_eq!(vs.len(), 2);
    let latest = versions::latest_version(&mut c, first.source_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.title, wire::story_v2().title);
    let outcomes: Vec<_> = versions::list_captures(&mut c, first.source_id)
        .await
        .unwrap()
        .iter()
        .map(|k| (k.outcome(), k.http_status))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (CaptureOutcome::NewVersion, Some(200)),
            (CaptureOutcome::NewVersion, Some(200)),
            (CaptureOutcome::Unchanged, Some(200)),
            (CaptureOutcome::Failed, Some(500)),
            (CaptureOutcome::Failed, Some(404)),
        ]
    );
}

#[tokio::test]
async fn check_sends_validators_and_treats_304_as_unchanged() {
    let lib = library().await;
    let server = TestServer::start().await;
    let page = wire::page(&wire::story_v1(), 1);
    server.set_handler("/cond", move |req| {
        if req.header("If-None-Match") == Some("\"abc\"") {
            Response::new(304, "text/html", Vec::new()).header("ETag", "\"abc\"")
        } else {
            Response::html(page.clone())
                .header("ETag", "\"abc\"")
                .header("Last-Modified", "Thu, 26 Nov 2026 08:00:00 GMT")
        }
    });
    let first = lib
        .clipper
        .clip(ClipInput::Url(server.url("/cond")))
        .await
        .unwrap();
    let checked = lib.clipper.check(first.source_id).await.unwrap();
    assert_eq!(checked.status, CheckStatus::Unchanged);
    assert_eq!(checked.version_id, Some(first.version_id));

    let reqs = server.requests();
    let last = reqs.last().unwrap();
    assert_eq!(last.header("If-None-Match"), Some("\"abc\""));
    assert_eq!(
        last.header("If-Modified-Since"),
        Some("Thu, 26 Nov 2026 08:00:00 GMT")
    );

    let mut c = lib.db.pool().acquire().await.unwrap();
    let caps = versions::list_captures(&mut c, first.source_id)
        .await
        .unwrap();
    assert_eq!(caps[1].outcome(), CaptureOutcome::NotModified);
    assert_eq!(caps[1].http_status, Some(304));
    assert_eq!(caps[1].raw_sha256, None);
}

#[tokio::test]
async fn hostile_or_broken_pages_change_nothing() {
    let lib = library().await;
    let server = TestServer::start().await;
    let big = vec![b'a'; 3 * 1024 * 1024];
    server.set("/huge", Response::html(big));
    server.set(
        "/pdf",
        Response::new(200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3".to_vec()),
    );
    server.set("/missing", Response::new(404, "text/html", "not here"));
    server.set("/error", Response::new(500, "text/html", "oops"));
    server.set("/loop", Response::redirect(302, "/loop"));
    server.set("/to-file", Response::redirect(302, "file:///etc/passwd"));
    server.set(
        "/cut",
        Response::html(wire::page(&wire::story_v1(), 1)).behaviour(Behaviour::CutAfter(500)),
    );
    server.set(
        "/slow",
        Response::html(wire::page(&wire::story_v1(), 1))
            .behaviour(Behaviour::DelayHeaders(Duration::from_secs(10))),
    );
    let cases = [
        ("/huge", "too_large"),
        ("/pdf", "unsupported_type"),
        ("/missing", "http_status"),
        ("/error", "http_status"),
        ("/loop", "too_many_redirects"),
        ("/to-file", "redirect_scheme"),
        ("/cut", "truncated"),
        ("/slow", "timeout"),
    ];
    for (path, code) in cases {
        let err = lib
            .clipper
            .clip(ClipInput::Url(server.url(path)))
            .await
            .expect_err(path);
        assert_eq!(err.code(), code, "{path}: {err}");
    }
    for bad in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not a url",
        "ftp://example.org/x",
    ] {
        let err = lib
            .clipper
            .clip(ClipInput::Url(bad.into()))
            .await
            .expect_err(bad);
        assert!(
            matches!(err.code(), "invalid_url" | "unsupported_scheme"),
            "{bad}: {}",
            err.code()
        );
    }
    assert_eq!(counts(&lib.db).await, (0, 0, 0));
}

#[tokio::test]
async fn files_and_pasted_text_are_clipped_and_attributed() {
    let lib = library().await;
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("summit.html");
    std::fs::write(&html, wire::page(&wire::story_v1(), 1)).unwrap();
    let from_file = lib
        .clipper
        .clip(ClipInput::File {
            path: html,
            url: Some("https://news.example.org/world/summit?utm_campaign=x".into()),
        })
        .await
        .unwrap();
    assert_eq!(from_file.title, wire::story_v1().title);

    let md = dir.path().join("memo.md");
    std::fs::write(
        &md,
        "# Briefing memo: summit logistics\n\nDelegations arrive Tuesday.\n\n## Security\n\nRoads close at 6 a.m.\n",
    )
    .unwrap();
    let memo = lib
        .clipper
        .clip(ClipInput::File {
            path: md,
            url: None,
        })
        .await
        .unwrap();
    assert!(memo.new_source);
    assert_eq!(memo.title, "Briefing memo: summit logistics");

    let pasted = lib
        .clipper
        .clip(ClipInput::Text {
            content: "Statement by the spokesperson\n\nThe ministry regrets the delay.".into(),
            format: TextFormat::Text,
            url: None,
            method: CaptureMethod::Paste,
        })
        .await
        .unwrap();
    assert!(pasted.new_source, "text without a URL is its own source");

    let err = lib
        .clipper
        .clip(ClipInput::File {
            path: dir.path().join("photo.png"),
            url: None,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(counts(&lib.db).await, (3, 3, 3));
}
