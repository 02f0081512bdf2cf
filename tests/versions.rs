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

/// A clip carries up to three keys (canonical, final, requested address):
/// the source is the one filed under the first key that has one, found in
/// the same round trip that would otherwise create it under the first key.
#[tokio::test]
async fn a_source_is_found_by_its_most_preferred_key_or_made_under_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    let mut tx = db.pool().begin().await.unwrap();
    let now = "2026-12-03T06:00:00.000Z";
    let keys = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    let wire = "https://wire.example/2026/12/03/strait-talks";
    let paper = "https://paper.example/world/strait-talks";

    // Nothing filed yet: made under the first key.
    let (made, key, new) =
        versions::find_or_insert_source(&mut tx, &keys(&[wire, paper]), Some(wire), now)
            .await
            .unwrap();
    assert!(new);
    assert_eq!(key.as_deref(), Some(wire));

    // Found by a later key when the first has none, and not made again.
    let (found, key, new) = versions::find_or_insert_source(
        &mut tx,
        &keys(&["https://other.example/x", wire]),
        None,
        now,
    )
    .await
    .unwrap();
    assert_eq!((found, key.as_deref(), new), (made, Some(wire), false));

    // With two sources, the first key's wins whatever the ids' order.
    let (second, _, _) = versions::find_or_insert_source(&mut tx, &keys(&[paper]), None, now)
        .await
        .unwrap();
    assert_ne!(second, made);
    let (found, key, new) =
        versions::find_or_insert_source(&mut tx, &keys(&[paper, wire]), None, now)
            .await
            .unwrap();
    assert_eq!((found, key.as_deref(), new), (second, Some(paper), false));

    // No key: always a new source, filed under none.
    let (a, key, new) = versions::find_or_insert_source(&mut tx, &[], None, now)
        .await
        .unwrap();
    assert!(new && key.is_none());
    let (b, _, _) = versions::find_or_insert_source(&mut tx, &[], None, now)
        .await
        .unwrap();
    assert_ne!(a, b);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sources")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(count, 4);
}
