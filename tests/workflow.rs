//! A reporter's day through the `redline` command line: clip, organise,
//! highlight, cite, watch the story change under the citation, export the
//! evidence and back up — all against a real loopback server and SQLite file.

mod common;

use std::path::{Path, PathBuf};

use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

struct Cli {
    db: PathBuf,
}

impl Cli {
    fn run(&self, args: &[&str]) -> std::process::Output {
        common::cli::redline(&self.db, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "redline {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn clip_organise_cite_and_see_the_passage_change() {
    let server = TestServer::start_in_thread();
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        db: dir.path().join("library.db"),
    };

    let clip = cli.json(&["clip", &server.url("/world/pact")]);
    let version_id = clip["versionId"].as_i64().unwrap().to_string();

    cli.ok(&["project", "new", "Korea–Russia pact"]);
    cli.ok(&["project", "add", "Korea–Russia pact", "1"]);
    cli.ok(&["tag", "add", "sanctions", "1"]);
    let in_project = cli.json(&[
        "sources",
        "--project",
        "Korea–Russia pact",
        "--tag",
        "sanctions",
    ]);
    assert_eq!(in_project.as_array().unwrap().len(), 1);
    let elsewhere = cli.json(&["sources", "--tag", "weather"]);
    assert_eq!(elsewhere.as_array().unwrap().len(), 0);

    // Highlight the quote and cite it in a note.
    let h = cli.json(&["highlight", "add", &version_id, "--find", wire::QUOTE_V1]);
    let hid = h["id"].as_i64().unwrap();
    let body = format!("Choe was defiant:\n\n[@h{hid}]\n");
    let note = cli.json(&["note", "new", "Pact draft", "--body", &body]);
    let note_id = note["id"].as_i64().unwrap().to_string();
    let before = cli.ok(&["note", "render", &note_id]);
    assert!(before.contains(wire::QUOTE_V1), "{before}");
    assert!(!before.contains("changed after you cited it"), "{before}");

    // The outlet softens the quote; the note notices.
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v2(), 2)),
    );
    let check = cli.json(&["check", "1"]);
    assert_eq!(check[0]["status"], "new_version");
    let after = cli.ok(&["note", "render", &note_id]);
    assert!(after.contains("changed after you cited it"), "{after}");
    let statuses = cli.json(&["cite", "check", &note_id]);
    assert_eq!(statuses.as_array().unwrap().len(), 1);

    // Evidence: a bundle that verifies, and names a tampered file.
    let bundle = dir.path().join("pact-evidence.zip");
    cli.ok(&["export", "bundle", "1", "-o", path(&bundle)]);
    let report = cli.json(&["verify-bundle", path(&bundle)]);
    assert_eq!(report["ok"], true, "{report}");

    let md = cli.ok(&["export", "note", &note_id]);
    assert!(md.contains("[^1]"), "{md}");
    assert!(md.contains("Redline Wire"), "{md}");

    let bib = cli.ok(&["export", "sources", "1", "--format", "bibtex"]);
    assert!(bib.contains("@online{"), "{bib}");

    // Backup while the library is in use, then restore it elsewhere.
    let backup = dir.path().join("backup.db");
    cli.ok(&["backup", path(&backup)]);
    let restored = Cli {
        db: dir.path().join("restored.db"),
    };
    restored.ok(&["restore", path(&backup)]);
    let sources = restored.json(&["sources"]);
    assert_eq!(sources[0]["versionCount"], 2);
}

#[test]
fn search_and_the_quote_index_find_what_was_clipped() {
    let server = TestServer::start_in_thread();
    server.set(
        "/world/pact",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        db: dir.path().join("library.db"),
    };
    cli.ok(&["clip", &server.url("/world/pact")]);
    cli.ok(&[
        "note",
        "new",
        "Lukin on the bargain",
        "--body",
        "Call Lukin about hard currency.",
    ]);

    let hits = cli.json(&["search", "Vladivostok"]);
    assert!(
        hits.as_array().unwrap().iter().any(|h| h["sourceId"] == 1),
        "{hits}"
    );
    let notes = cli.json(&["search", "\"hard currency\""]);
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "note"),
        "{notes}"
    );

    let quotes = cli.json(&["quotes", "--speaker", "Lukin"]);
    let list = quotes.as_array().unwrap();
    assert!(!list.is_empty(), "no quote by Lukin found");
    assert!(list[0]["text"]
        .as_str()
        .unwrap()
        .contains("Moscow needs shells and men"));
    let speakers = cli.json(&["quotes", "--speakers"]);
    assert!(speakers
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["speaker"] == "Foreign Minister Choe Son Hui"));
}
