//! The revision history end to end: a story published, revised and re-served
//! with only its page furniture changed, clipped from a real loopback server,
//! stored, and compared. The summary must name exactly the known edits.

mod common;

use common::server::{Response, TestServer};
use common::wire;
use redline::clip::{CheckStatus, ClipInput, Clipper};
use redline::diff::{diff_articles, render, NumberChange, QuoteChange, Summary, TextChange};
use redline::fetch::FetchLimits;
use redline::versions;
use redline::Db;

fn expected_summary() -> Summary {
    Summary {
        headline: Some(TextChange {
            from: wire::TITLE_V1.into(),
            to: wire::TITLE_V2.into(),
        }),
        byline: None,
        paragraphs_added: 1,
        paragraphs_removed: 1,
        paragraphs_edited: 4,
        paragraphs_moved: 2,
        quotes_altered: vec![QuoteChange {
            speaker: Some("Foreign Minister Choe Son Hui".into()),
            old_speaker: Some("Foreign Minister Choe Son Hui".into()),
            from: wire::QUOTE_V1.into(),
            to: wire::QUOTE_V2.into(),
        }],
        numbers_changed: vec![
            NumberChange {
                from: "30,000".into(),
                to: "10,000".into(),
            },
            NumberChange {
                from: "$500 million".into(),
                to: "$350 million".into(),
            },
        ],
        corrections: vec![wire::CORRECTION.into()],
    }
}

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
    assert_eq!(d.summary, expected_summary());

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
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    run(&["clip", &server.url("/world/pact")]);
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v2(), 5)),
    );
    run(&["check", "1"]);
    let json: serde_json::Value = serde_json::from_slice(&run(&["diff", "1", "--json"])).unwrap();
    let summary: Summary = serde_json::from_value(json["summary"].clone()).unwrap();
    assert_eq!(summary, expected_summary());
    let from_to: serde_json::Value = serde_json::from_slice(&run(&[
        "diff", "1", "--from", "1", "--to", "2", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(from_to, json);
    let text = String::from_utf8(run(&["diff", "1"])).unwrap();
    assert!(text.contains("$500 million → $350 million"), "{text}");
    assert!(!text.contains("\u{1b}["), "no colour when not a terminal");
}
