//! Where a capture came from decides which story it joins. A page Redline
//! did not fetch from its declared address (a saved file, a paste) must not
//! become a revision of the story at that address.

mod common;

use std::path::Path;

use common::cli::{self, json};
use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

/// `redline … --json` with `stdin` (empty if None); its JSON, or a failed test.
fn redline(db: &Path, args: &[&str], stdin: Option<&[u8]>) -> Value {
    let args = [args, &["--json"]].concat();
    json(&cli::redline_stdin(db, &args, stdin.unwrap_or_default()))
}

/// A different story that claims the fetched story's address as its own.
fn impostor(canonical: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Pyongyang denies pact with Moscow</title>\
         <link rel=\"canonical\" href=\"{canonical}\"></head><body><article>\
         <h1>Pyongyang denies pact with Moscow</h1><p>By Staff Reporter</p>\
         <p>“There is no such agreement,” a foreign ministry spokesman told KCNA on Thursday.</p>\
         <p>The statement contradicted reports from Seoul and Tokyo earlier in the week.</p>\
         </article></body></html>"
    )
}

#[test]
fn a_pasted_or_saved_page_never_joins_the_story_it_names() {
    let server = TestServer::start_in_thread();
    let url = server.url("/world/asia/pact");
    server.set(
        "/world/asia/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let fetched = redline(&db, &["clip", &url], None);
    assert_eq!(fetched["sourceId"], 1);

    let page = impostor(&url);
    let pasted = redline(&db, &["clip", "-"], Some(page.as_bytes()));
    assert_eq!(pasted["newSource"], true, "{pasted}");
    assert_eq!(pasted["sourceId"], 2);
    assert_eq!(pasted["url"], Value::Null);
    assert_eq!(pasted["suggestedUrl"], url.as_str());

    let file = dir.path().join("pact.html");
    std::fs::write(&file, &page).unwrap();
    let saved = redline(&db, &["clip", file.to_str().unwrap()], None);
    assert_eq!(saved["newSource"], true, "{saved}");
    assert_eq!(saved["suggestedUrl"], url.as_str());

    // The fetched story still has its one version, so no diff shows the
    // impostor's text as the publisher's edit.
    let story = redline(&db, &["versions", "1"], None);
    assert_eq!(story["versions"].as_array().unwrap().len(), 1);
    let methods = |id: &str| -> Vec<Value> {
        redline(&db, &["versions", id, "--captures"], None)["captures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["method"].clone())
            .collect()
    };
    assert_eq!(methods("1"), ["fetch"]);
    assert_eq!(methods("2"), ["paste"]);
    assert_eq!(methods("3"), ["file"]);
    // The declared address is kept with the capture as evidence.
    let capture = &redline(&db, &["versions", "2", "--captures"], None)["captures"][0];
    assert_eq!(capture["canonicalUrl"], url.as_str());
}

#[test]
fn an_address_the_reporter_gives_files_the_clip_and_shows_its_method() {
    let server = TestServer::start_in_thread();
    let url = server.url("/world/asia/pact");
    server.set(
        "/world/asia/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    redline(&db, &["clip", &url], None);
    // The reporter saved the page from the browser and says where it is from.
    let file = dir.path().join("pact.html");
    std::fs::write(&file, wire::page(&wire::story_v2(), 3)).unwrap();
    let saved = redline(&db, &["clip", file.to_str().unwrap(), "--url", &url], None);
    assert_eq!(saved["sourceId"], 1);
    assert_eq!(saved["versionSeq"], 2);

    let text = cli::ok(cli::redline(&db, &["versions", "1", "--captures"]));
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("new version")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains(" fetch "), "{text}");
    assert!(lines[1].contains(" file "), "{text}");
}
