//! The `redline` binary: output shapes, error lines, and several processes
//! writing one library at once.

mod common;

use std::process::{Command, Output};

use common::cli::{json, redline, redline_stdin};
use common::server::{Response, TestServer};
use common::wire;

/// Errors are one clear line on stderr and a failing exit status, never a panic.
fn assert_clean_error(out: &Output, needle: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("redline: "), "{err}");
    assert!(err.contains(needle), "{err} does not mention {needle}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn clip_check_versions_show_round_trip_as_json() {
    let server = TestServer::start_in_thread();
    server.set("/story", Response::html(wire::page(&wire::story_v1(), 1)));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");

    let clip = json(&redline(&db, &["clip", &server.url("/story"), "--json"]));
    assert_eq!(clip["sourceId"], 1);
    assert_eq!(clip["newSource"], true);
    assert_eq!(clip["newVersion"], true);
    assert_eq!(clip["title"], wire::story_v1().title.as_str());

    server.set("/story", Response::html(wire::page(&wire::story_v2(), 2)));
    let check = json(&redline(&db, &["check", "1", "--json"]));
    assert_eq!(check[0]["status"], "new_version");
    assert_eq!(check[0]["versionSeq"], 2);

    let versions = json(&redline(&db, &["versions", "1", "--json"]));
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);
    assert_eq!(versions["captures"].as_array().unwrap().len(), 2);

    let show = json(&redline(&db, &["show", "1", "--version", "1", "--json"]));
    assert_eq!(show["title"], wire::story_v1().title.as_str());
    assert!(show["blocks"].as_array().unwrap().len() >= 5);

    let sources = json(&redline(&db, &["sources", "--json"]));
    assert_eq!(sources[0]["versionCount"], 2);

    let human = redline(&db, &["show", "1"]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains(&wire::story_v2().title));
}

#[test]
fn bad_arguments_give_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    assert_clean_error(&redline(&db, &["clip", "file:///etc/passwd"]), "http");
    assert_clean_error(&redline(&db, &["clip", "javascript:alert(1)"]), "http");
    assert_clean_error(&redline(&db, &["clip", "not a url"]), "not a url");
    assert_clean_error(&redline(&db, &["show", "99"]), "source 99 not found");
    assert_clean_error(&redline(&db, &["check"]), "--all");
    let sources = json(&redline(&db, &["sources", "--json"]));
    assert_eq!(
        sources.as_array().unwrap().len(),
        0,
        "failed clips changed the library"
    );
}

#[test]
fn stdin_is_clipped_with_an_attributed_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let out = redline_stdin(
        &db,
        &[
            "clip",
            "-",
            "--url",
            "https://news.example.org/world/summit",
            "--json",
        ],
        wire::page(&wire::story_v1(), 4).as_bytes(),
    );
    let clip = json(&out);
    assert_eq!(clip["title"], wire::story_v1().title.as_str());
    let versions = json(&redline(&db, &["versions", "1", "--json"]));
    assert_eq!(versions["captures"][0]["method"], "paste");
}

#[test]
fn extract_needs_no_library() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, wire::page(&wire::story_v1(), 1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["extract", page.to_str().unwrap(), "--json"])
        .env("REDLINE_DB", dir.path().join("never-created.db"))
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["title"], wire::story_v1().title.as_str());
    assert_eq!(v["dir"], "ltr");
    assert!(!dir.path().join("never-created.db").exists());
}

/// Several processes clipping and checking into one library at the same time
/// lose nothing: every clip lands, every check is recorded.
#[test]
fn concurrent_processes_lose_nothing() {
    let server = TestServer::start_in_thread();
    let n = 6;
    for i in 0..n {
        let mut story = wire::story_v1();
        story.title = format!("{} (part {i})", story.title);
        // Each story declares its own canonical URL, as distinct articles do.
        let page = wire::page(&story, i).replace(
            "north-korea-russia-pact-2026-11-26",
            &format!("north-korea-russia-pact-part-{i}"),
        );
        server.set(&format!("/s{i}"), Response::html(page));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    // Seed one source that the checkers will re-check while clippers write.
    json(&redline(&db, &["clip", &server.url("/s0"), "--json"]));

    // Run the clips and checks truly in parallel.
    let handles: Vec<_> = (1..n)
        .map(|i| {
            let db = db.clone();
            let url = server.url(&format!("/s{i}"));
            std::thread::spawn(move || redline(&db, &["clip", &url, "--json"]))
        })
        .chain((0..3).map(|_| {
            let db = db.clone();
            std::thread::spawn(move || redline(&db, &["check", "1", "--json"]))
        }))
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sources = json(&redline(&db, &["sources", "--json"]));
    assert_eq!(sources.as_array().unwrap().len(), n as usize);
    let versions = json(&redline(&db, &["versions", "1", "--json"]));
    // 1 clip + 3 checks of source 1, every one recorded.
    assert_eq!(versions["captures"].as_array().unwrap().len(), 4);
    assert_eq!(versions["versions"].as_array().unwrap().len(), 1);
    for s in sources.as_array().unwrap() {
        let id = s["id"].to_string();
        let v = json(&redline(&db, &["versions", &id, "--json"]));
        assert_eq!(v["versions"].as_array().unwrap().len(), 1);
    }
}
