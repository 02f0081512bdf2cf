//! The revision history end to end: a story published, revised and re-served
//! with only its page furniture changed, clipped from a real loopback server,
//! stored, and compared. The summary must name exactly the known edits.

mod common;

use common::server::{Response, TestServer};
use common::wire;
use redline::clip::{CheckStatus, ClipInput, Clipper};
use redline::diff::{diff_articles, render, Summary};
use redline::fetch::FetchLimits;
use redline::versions;
use redline::Db;

#[tokio::test]
async fn a_revised_story_is_stored_and_its_changes_named_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    let clipper = Clipper::new(db.clone(), FetchLimits::default()).unwrap();
    let server = TestServer::start().await;

    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let first = clipper
        .clip(ClipInput::Url(
            server.url("/world/pact?utm_source=newsletter"),
        ))
        .await
        .unwrap();

    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v2(), 2)),
    );
    let revised = clipper.check(first.source_id).await.unwrap();
    assert_eq!(revised.status, CheckStatus::NewVersion);

    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v2_noise(), 3)),
    );
    let noise = clipper.check(first.source_id).await.unwrap();
    assert_eq!(
        noise.status,
        CheckStatus::Unchanged,
        "page noise made a version"
    );

    let mut c = db.pool().acquire().await.unwrap();
    let v1 = versions::get_version_by_seq(&mut c, first.source_id, 1)
        .await
        .unwrap();
    let v2 = versions::get_version_by_seq(&mut c, first.source_id, 2)
        .await
        .unwrap();
    assert!(versions::get_version_by_seq(&mut c, first.source_id, 3)
        .await
        .is_err());

    let d = diff_articles(&v1.article(), &v2.article());
    assert_eq!(d.summary, wire::expected_summary());

    let text = render::text(&d, false);
    assert!(text.contains("30,000 → 10,000"), "{text}");
    let html = render::html(&d);
    assert!(html.contains("<ins>") && html.contains("<del>"), "{html}");
}

#[test]
fn the_cli_diff_reports_the_same_summary_in_json() {
    let server = TestServer::start_in_thread();
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let run = |args: &[&str]| common::cli::ok(common::cli::redline(&db, args)).into_bytes();
    run(&["clip", &server.url("/world/pact")]);
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v2(), 5)),
    );
    run(&["check", "1"]);
    let json: serde_json::Value = serde_json::from_slice(&run(&["diff", "1", "--json"])).unwrap();
    let summary: Summary = serde_json::from_value(json["summary"].clone()).unwrap();
    assert_eq!(summary, wire::expected_summary());
    let from_to: serde_json::Value = serde_json::from_slice(&run(&[
        "diff", "1", "--from", "1", "--to", "2", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(from_to, json);
    let text = String::from_utf8(run(&["diff", "1"])).unwrap();
    assert!(text.contains("$500 million → $350 million"), "{text}");
    assert!(!text.contains("\u{1b}["), "no colour when not a terminal");
}
