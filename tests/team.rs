//! Team libraries end to end: a private PostgreSQL, a real `redline serve`,
//! and three desktop libraries driven by the real `redline` binary. After
//! every scenario the libraries and the server agree, checked by hash.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::cli::{ok, redline};
use common::postgres::Postgres;
use common::server::{Response, TestServer};
use serde_json::Value;
use sqlx::Row;

/// A running `redline serve`; killed on drop.
struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(pg: &Postgres, listen: &str) -> Self {
        Self::start_with(pg, listen, &[])
    }

    /// With more arguments for `redline serve` (a rate limit).
    fn start_with(pg: &Postgres, listen: &str, more: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(["serve", "--database-url", &pg.url(), "--listen", listen])
            .arg("--print-port")
            .args(more)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redline serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line.trim().to_string();
        assert!(!addr.is_empty(), "redline serve printed no address");
        Serve { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the service the hard way (SIGKILL): no graceful anything.
    fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.addr.clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json(out: Output) -> Value {
    common::cli::json(&out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An invented wire story as a news site serves it: page noise around the
/// article, a byline, a caption and attributed quotes.
fn story(headline: &str, byline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{headline} | The Courier</title></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/subscribe\">Subscribe</a></nav>\
         <article><h1>{headline}</h1><p class=\"byline\">By {byline}</p>\
         <figure><img src=\"/p.jpg\" alt=\"\"><figcaption>Rescue workers at the site on Tuesday. (Photo: Courier staff)</figcaption></figure>\
         {body}</article><footer>© 2026 The Courier. All rights reserved. Cookie settings.</footer></body></html>"
    )
}

fn ferry_story() -> String {
    story(
        "Ferry service suspended as rivers rise",
        "Jonas Aalto",
        &[
            "The ferry operator said crossings would stay suspended until Friday.",
            "\u{201c}Safety comes first,\u{201d} a spokeswoman said.",
        ],
    )
}

fn storm_story(extra: &str) -> String {
    story(
        "Storm surge floods coastal districts, 14 dead",
        "Mara Lindqvist",
        &[
            "Officials said on Tuesday that at least 14 people had died after a storm surge swept through three coastal districts overnight, forcing thousands from their homes.",
            "\u{201c}We have never seen water this high,\u{201d} said Teodor Vasquez, the regional emergency coordinator, speaking at a briefing in the port city.",
            "The national weather service said wind gusts reached 160 kilometres an hour before the storm weakened over land early on Wednesday.",
            extra,
        ],
    )
}

/// One desktop library in a temp dir.
struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Desk {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("library.db");
        Desk { _dir: dir, db }
    }

    fn run(&self, args: &[&str]) -> Output {
        redline(&self.db, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(self.run(args))
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        json(self.run(&all))
    }

    fn sync(&self) -> Value {
        self.json(&["team", "sync"])
    }

    fn clip(&self, url: &str) -> i64 {
        self.json(&["clip", url])["sourceId"].as_i64().unwrap()
    }

    /// (URL key, text hash) of every version in the library.
    fn versions(&self) -> BTreeSet<(String, String)> {
        query(
            &self.db,
            |row| {
                (
                    row.get::<Option<String>, _>(0).unwrap_or_default(),
                    row.get::<String, _>(1),
                )
            },
            "SELECT s.url_key, v.text_sha256 FROM versions v JOIN sources s ON s.id = v.source_id",
        )
    }

    /// Raw hashes of every capture with bytes, checked against the bytes.
    /// The SHA-256 of every capture's bytes, each checked against the bytes
    /// stored (a blob, or a delta on its base blob).
    fn captures(&self) -> BTreeSet<String> {
        type Row = (String, i64, Vec<u8>, Option<Vec<u8>>);
        let rows: BTreeSet<Row> = query(
            &self.db,
            |row| (row.get(0), row.get(1), row.get(2), row.get(3)),
            "SELECT b.sha256, b.size, b.zstd, base.zstd FROM captures k \
             JOIN blobs b ON b.id = k.blob_id LEFT JOIN blobs base ON base.id = b.base_id",
        );
        rows.into_iter()
            .map(|(sha, size, z, base)| {
                let raw = match base {
                    None => zstd::stream::decode_all(&z[..]).unwrap(),
                    Some(base) => {
                        let base = zstd::stream::decode_all(&base[..]).unwrap();
                        zstd::bulk::Decompressor::with_dictionary(&base)
                            .unwrap()
                            .decompress(&z, size as usize)
                            .unwrap()
                    }
                };
                assert_eq!(redline::hash::sha256_hex(&raw), sha, "stored bytes changed");
                sha
            })
            .collect()
    }

    fn note_body(&self, id: i64) -> String {
        self.json(&["note", "show", &id.to_string()])["body"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| self.ok(&["note", "show", &id.to_string()]))
    }

    /// Notes by title → (id, body).
    fn notes(&self) -> Vec<(i64, String, String)> {
        query(
            &self.db,
            |row| {
                (
                    row.get::<i64, _>(0),
                    row.get::<String, _>(1),
                    row.get::<String, _>(2),
                )
            },
            "SELECT id, title, body FROM notes",
        )
        .into_iter()
        .collect()
    }

    /// (source URL, tag name folded) of every tagged source.
    fn tags(&self) -> BTreeSet<(String, String)> {
        query(
            &self.db,
            |row| {
                (
                    row.get::<String, _>(0),
                    row.get::<String, _>(1).to_ascii_lowercase(),
                )
            },
            "SELECT s.url, t.name FROM source_tags st JOIN sources s ON s.id = st.source_id \
             JOIN tags t ON t.id = st.tag_id",
        )
    }

    /// (passage, comment, label, created at) of every highlight.
    fn highlights(&self) -> BTreeSet<(String, String, String, String)> {
        query(
            &self.db,
            |row| (row.get(0), row.get(1), row.get(2), row.get(3)),
            "SELECT text, comment, label, created_at FROM highlights",
        )
    }

    /// The id of this desk's first version.
    fn first_version(&self) -> String {
        let ids = query(
            &self.db,
            |row| row.get::<i64, _>(0),
            "SELECT id FROM versions",
        );
        ids.into_iter().next().expect("a version").to_string()
    }

    /// The id of the one source this desk has.
    fn only_source(&self) -> String {
        let ids = query(
            &self.db,
            |row| row.get::<i64, _>(0),
            "SELECT id FROM sources",
        );
        assert_eq!(ids.len(), 1, "{ids:?}");
        ids.into_iter().next().unwrap().to_string()
    }
}

fn query<T: Ord>(db: &Path, f: impl Fn(&sqlx::sqlite::SqliteRow) -> T, sql: &str) -> BTreeSet<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .unwrap();
        let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows.iter().map(f).collect()
    })
}

/// What the server holds: (URL key, text hash) of every version, and every
/// capture's blob hash, with the blob's bytes checked against it when
/// PostgreSQL holds them (a bucket's are checked by the test that uses one).
fn server_state(pg: &Postgres) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(&pg.url()).await.unwrap();
        let versions = sqlx::query(
            "SELECT key, body->>'text_sha256' FROM objects WHERE kind = 'version'",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let key: String = r.get(0);
            let source = key.rsplit_once('#').unwrap().0;
            (
                source.strip_prefix("url:").unwrap_or_default().to_string(),
                r.get::<String, _>(1),
            )
        })
        .collect();
        let blobs = sqlx::query(
            "SELECT b.sha256, b.bytes FROM objects o JOIN blobs b ON b.sha256 = o.body->>'raw_sha256' \
             WHERE o.kind = 'capture'",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let sha: String = r.get(0);
            if let Some(bytes) = r.get::<Option<Vec<u8>>, _>(1) {
                assert_eq!(redline::hash::sha256_hex(&bytes), sha);
            }
            sha
        })
        .collect();
        pool.close().await;
        (versions, blobs)
    })
}

/// A team library with an owner (A), two editors (B, C): all joined.
/// A TCP relay between one desk and the team server, whose link can fail
/// the worst way: the desk's push reaches the server and is committed, and
/// the answer is lost with the connection (a network partition as the desk
/// sees it).
struct Relay {
    addr: String,
    lose_push_answers: Arc<AtomicBool>,
}

impl Relay {
    fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let lose = Arc::new(AtomicBool::new(false));
        let lose_push_answers = lose.clone();
        std::thread::spawn(move || {
            for desk in listener.incoming() {
                let (Ok(desk), Ok(server)) = (desk, TcpStream::connect(&upstream)) else {
                    continue;
                };
                let pushing = Arc::new(AtomicBool::new(false));
                let (mut desk_in, mut server_out) =
                    (desk.try_clone().unwrap(), server.try_clone().unwrap());
                let (flag, lose) = (pushing.clone(), lose.clone());
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n @ 1..) = desk_in.read(&mut buf) {
                        let chunk = &buf[..n];
                        if lose.load(Ordering::SeqCst)
                            && chunk.starts_with(b"POST ")
                            && chunk.windows(6).any(|w| w == b"/push ")
                        {
                            flag.store(true, Ordering::SeqCst);
                        }
                        if server_out.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    let _ = server_out.shutdown(Shutdown::Write);
                });
                let (mut server_in, mut desk_out) = (server, desk);
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n @ 1..) = server_in.read(&mut buf) {
                        if pushing.load(Ordering::SeqCst) {
                            // The server has answered the push: drop the answer.
                            break;
                        }
                        if desk_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = desk_out.shutdown(Shutdown::Both);
                });
            }
        });
        Relay {
            addr,
            lose_push_answers,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lose_push_answers(&self, lose: bool) {
        self.lose_push_answers.store(lose, Ordering::SeqCst);
    }
}

struct Team {
    pg: Postgres,
    serve: Option<Serve>,
    web: TestServer,
    a: Desk,
    b: Desk,
    c: Desk,
    /// Between desk A and the server, when the scenario needs one.
    relay: Option<Relay>,
}

impl Team {
    /// The storm story served, clipped by A and put in A's project "Storm
    /// coverage" (not shared yet); A's source id.
    fn storm_in_a_project(&self) -> String {
        self.web.set(
            "/world/storm",
            Response::html(storm_story("Power was cut to 80,000 homes.")),
        );
        let storm = self.a.clip(&self.web.url("/world/storm")).to_string();
        self.a.ok(&["project", "new", "Storm coverage"]);
        self.a.ok(&["project", "add", "Storm coverage", &storm]);
        storm
    }

    /// Runs `f` on a connection to the server's database.
    fn pg<T>(&self, f: impl AsyncFnOnce(&sqlx::PgPool) -> T) -> T {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let pool = sqlx::PgPool::connect(&self.pg.url()).await.unwrap();
            f(&pool).await
        })
    }

    /// (key, library version that last wrote it) of the server's objects of `kind`.
    fn pg_objects(&self, kind: &str) -> BTreeSet<(String, i64)> {
        self.pg(async |pool| {
            sqlx::query_as("SELECT key, version FROM objects WHERE kind = $1")
                .bind(kind)
                .fetch_all(pool)
                .await
                .unwrap()
                .into_iter()
                .collect()
        })
    }

    /// The bodies of the server's objects of `kind`.
    fn pg_bodies(&self, kind: &str) -> Vec<Value> {
        self.pg(async |pool| {
            sqlx::query_scalar("SELECT body FROM objects WHERE kind = $1 ORDER BY key")
                .bind(kind)
                .fetch_all(pool)
                .await
                .unwrap()
        })
    }

    fn new() -> Self {
        Self::start(false)
    }

    /// A team whose desk A reaches the server through a [`Relay`].
    fn with_a_behind_relay() -> Self {
        Self::start(true)
    }

    fn start(relay_a: bool) -> Self {
        let pg = Postgres::start();
        let serve = Serve::start(&pg, "127.0.0.1:0");
        let relay = relay_a.then(|| Relay::start(serve.addr.clone()));
        let owner = ok(redline(
            Path::new("/nonexistent/unused.db"),
            &[
                "team",
                "init",
                "--database-url",
                &pg.url(),
                "Foreign desk",
                "--owner",
                "ana",
            ],
        ));
        let owner = owner.trim().to_string();
        let (a, b, c) = (Desk::new(), Desk::new(), Desk::new());
        let a_url = relay.as_ref().map_or_else(|| serve.url(), Relay::url);
        a.ok(&["team", "join", &a_url, &owner]);
        for (desk, name) in [(&b, "ben"), (&c, "chloe")] {
            let token = a.ok(&["team", "invite", name, "--role", "editor"]);
            desk.ok(&["team", "join", &serve.url(), token.trim()]);
        }
        Team {
            pg,
            serve: Some(serve),
            web: TestServer::start_in_thread(),
            a,
            b,
            c,
            relay,
        }
    }

    fn url(&self) -> String {
        self.serve.as_ref().unwrap().url()
    }

    /// A note in the shared project, synced to everyone; its id on A, B, C.
    fn shared_note(&self, title: &str, body: &str) -> (i64, i64, i64) {
        self.a.ok(&["project", "new", "Desk notes"]);
        self.a.ok(&["team", "share", "Desk notes"]);
        let id = self.a.json(&["note", "new", title, "--body", body])["id"]
            .as_i64()
            .unwrap();
        let project = self.a.json(&["project", "list"])[0]["id"].as_i64().unwrap();
        self.a
            .ok(&["note", "projects", &id.to_string(), &project.to_string()]);
        self.sync_all();
        let find = |d: &Desk| {
            d.notes()
                .into_iter()
                .find(|(_, t, _)| t == title)
                .expect("the shared note arrived")
                .0
        };
        (id, find(&self.b), find(&self.c))
    }

    fn sync_all(&self) {
        for d in [&self.a, &self.b, &self.c, &self.a, &self.b, &self.c] {
            d.sync();
        }
    }

    fn assert_agree(&self) {
        let (versions, blobs) = server_state(&self.pg);
        for d in [&self.a, &self.b, &self.c] {
            assert_eq!(d.versions(), versions, "a library and the server differ");
            assert_eq!(
                d.captures(),
                blobs,
                "a library's captures and the server differ"
            );
        }
    }
}

#[test]
fn shared_project_reaches_everyone_and_offline_clips_merge() {
    let mut t = Team::new();
    t.web.set(
        "/world/storm",
        Response::html(storm_story("Power was cut to 80,000 homes.")),
    );
    let storm = t.a.clip(&t.web.url("/world/storm"));
    t.web.set(
        "/world/storm",
        Response::html(storm_story(
            "Power was cut to 120,000 homes, the utility said in a revised statement.",
        )),
    );
    t.a.ok(&["check", &storm.to_string()]);
    t.a.ok(&["project", "new", "Storm coverage"]);
    t.a.ok(&["project", "add", "Storm coverage", &storm.to_string()]);
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    assert_eq!(t.a.versions().len(), 2);
    t.assert_agree();
    let projects = t.b.json(&["project", "list"]);
    assert_eq!(projects[0]["name"], "Storm coverage");
    assert_eq!(projects[0]["sourceCount"], 1);
    // Quotes are derived on arrival: B finds the coordinator's words in
    // both synced versions, as A does in its own clips.
    for d in [&t.a, &t.b] {
        let quotes = d.json(&["quotes", "--speaker", "Vasquez"]);
        let texts: Vec<&str> = quotes
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts.len(), 2, "{quotes}");
        assert!(
            texts
                .iter()
                .all(|t| t.contains("never seen water this high")),
            "{quotes}"
        );
    }

    // The server goes away; B and C keep clipping into the shared project.
    let addr = t.serve.take().unwrap().kill();
    t.web.set("/world/ferry", Response::html(ferry_story()));
    t.web.set(
        "/world/aid",
        Response::html(story(
            "Aid convoy reaches cut-off villages",
            "Priya Raman",
            &[
                "A convoy of 40 trucks reached the villages on Thursday, the Red Cross said.",
                "Residents described three days without clean water.",
            ],
        )),
    );
    let ferry = t.b.clip(&t.web.url("/world/ferry"));
    t.b.ok(&["project", "add", "Storm coverage", &ferry.to_string()]);
    let aid = t.c.clip(&t.web.url("/world/aid"));
    t.c.ok(&["project", "add", "Storm coverage", &aid.to_string()]);
    let offline = t.b.run(&["team", "sync"]);
    assert!(!offline.status.success());
    assert!(
        stderr(&offline).contains("cannot reach the team server"),
        "{}",
        stderr(&offline)
    );
    // The failed attempt is on record (the app's sidebar says "offline"),
    // next to the last sync that went through.
    let link = &t.b.json(&["team", "status"])["link"];
    assert!(
        link["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("cannot reach the team server")),
        "{link}"
    );
    assert!(link["lastSyncAt"].is_string() && link["lastAttemptAt"].is_string());

    t.serve = Some(Serve::start(&t.pg, &addr));
    t.sync_all();
    let link = &t.b.json(&["team", "status"])["link"];
    assert!(
        link["lastError"].is_null(),
        "a sync that went through clears the error: {link}"
    );
    assert_eq!(
        t.a.versions().len(),
        4,
        "the offline clips of B and C are everywhere"
    );
    t.assert_agree();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(d.json(&["project", "list"])[0]["sourceCount"], 3);
    }
}

#[test]
fn concurrent_note_edits_keep_both_texts_as_a_visible_conflict() {
    let t = Team::new();
    let (a, b, _) = t.shared_note("Casualty figures", "Officials: 14 dead (Tuesday briefing).");
    // A and B edit the same note before either syncs again.
    t.a.ok(&[
        "note",
        "save",
        &a.to_string(),
        "--body",
        "Officials: 14 dead; hospital says 17 (Ana, 10:40).",
    ]);
    t.b.ok(&[
        "note",
        "save",
        &b.to_string(),
        "--body",
        "Officials: 14 dead; coastguard reports 2 missing (Ben, 10:42).",
    ]);
    t.a.sync();
    let report = t.b.sync();
    assert_eq!(report["conflicts"].as_array().unwrap().len(), 1, "{report}");
    t.a.sync();
    for (desk, id) in [(&t.a, a), (&t.b, b)] {
        let body = desk.note_body(id);
        assert!(body.contains("hospital says 17"), "A's text lost: {body}");
        assert!(
            body.contains("coastguard reports 2 missing"),
            "B's text lost: {body}"
        );
        assert!(body.contains("CONFLICT"), "{body}");
        let status = desk.json(&["team", "status"]);
        assert_eq!(status["conflicts"].as_array().unwrap().len(), 1, "{status}");
    }
    // B resolves by saving; everyone gets the resolution and the flag clears.
    t.b.ok(&[
        "note",
        "save",
        &b.to_string(),
        "--body",
        "Officials: 14 dead; hospital says 17; 2 missing.",
    ]);
    t.sync_all();
    for (desk, id) in [(&t.a, a), (&t.b, b)] {
        assert_eq!(
            desk.note_body(id),
            "Officials: 14 dead; hospital says 17; 2 missing."
        );
        let status = desk.json(&["team", "status"]);
        assert!(
            status["conflicts"].as_array().unwrap().is_empty(),
            "{status}"
        );
    }
}

#[test]
fn tags_on_shared_sources_sync_as_add_remove_sets() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    let url = t.web.url("/world/storm");
    t.a.ok(&["tag", "add", "Flooding", &storm]);
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    let tagged = |names: &[&str]| -> BTreeSet<(String, String)> {
        names.iter().map(|n| (url.clone(), n.to_string())).collect()
    };
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(d.tags(), tagged(&["flooding"]));
    }
    // Offline on two desks: B takes "Flooding" off, C adds "Casualties" in
    // its own spelling of a tag name.
    t.b.ok(&["tag", "remove", "flooding", &t.b.only_source()]);
    t.c.ok(&["tag", "add", "Casualties", &t.c.only_source()]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(
            d.tags(),
            tagged(&["casualties"]),
            "the removal is a tombstone that syncs"
        );
    }
    // Tagging again undoes the removal everywhere.
    t.a.ok(&["tag", "add", "FLOODING", &storm]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(d.tags(), tagged(&["casualties", "flooding"]));
    }
    // Nothing is left to push: a second round moves no tag.
    let before = t.pg_objects("source_tag");
    t.sync_all();
    assert_eq!(t.pg_objects("source_tag"), before);
}

#[test]
fn watching_a_shared_story_is_the_teams() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    let watched = |d: &Desk| {
        query(
            &d.db,
            |r| r.get::<bool, _>(0),
            "SELECT watched FROM sources",
        )
    };
    // A watches the story: every desk has it due (the lease then gives its
    // re-check to one of them).
    t.a.ok(&["watch", &storm]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(watched(d), BTreeSet::from([true]));
    }
    // B stops watching it; that is the team's choice too.
    t.b.ok(&["watch", "--off", &t.b.only_source()]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(watched(d), BTreeSet::from([false]));
    }
    // Nothing is left to push.
    let before = t.pg_objects("source");
    t.sync_all();
    assert_eq!(t.pg_objects("source"), before);
}

/// A sync with nothing new on either side does not look through the shared
/// rows, and every kind of write here makes the next one look and push it.
#[test]
fn an_idle_sync_does_not_look_and_every_write_here_is_pushed() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    let looked = |r: &Value| r["looked"].as_bool().expect("looked in the report");
    // Settle: the first sync may still find nothing after the others'
    // rounds; from then on A is idle.
    t.a.sync();
    let idle = t.a.sync();
    assert!(!looked(&idle), "nothing written anywhere: no look {idle}");
    assert_eq!(idle["pushed"], 0);

    let version = t.a.first_version();
    let project = t.a.json(&["project", "list"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let note =
        t.a.json(&["note", "new", "Toll", "--body", "Check with the coroner."])["id"]
            .as_i64()
            .unwrap()
            .to_string();
    t.a.ok(&["note", "projects", &note, &project]);
    let highlight =
        t.a.json(&["highlight", "add", &version, "--find", "160 kilometres"])["id"]
            .as_i64()
            .unwrap()
            .to_string();
    t.web.set(
        "/world/ferry",
        Response::html(story(
            "Ferry service suspended along the coast",
            "Ilse Marchetti",
            &["The port authority suspended all ferry crossings until Friday, citing debris in the channel."],
        )),
    );
    let ferry = t.a.clip(&t.web.url("/world/ferry")).to_string();
    let writes: Vec<(&str, Vec<&str>)> = vec![
        ("a note put in the project", vec![]),
        (
            "a note's new text",
            vec!["note", "save", &note, "--body", "The coroner confirms 14."],
        ),
        ("a tag", vec!["tag", "add", "Flooding", &storm]),
        ("a tag taken off", vec!["tag", "remove", "Flooding", &storm]),
        ("watching", vec!["watch", &storm]),
        (
            "a highlight's comment",
            vec![
                "highlight",
                "edit",
                &highlight,
                "--comment",
                "Gusts, not sustained",
            ],
        ),
        (
            "a highlight deleted",
            vec!["highlight", "delete", &highlight],
        ),
        (
            "a project renamed",
            vec!["project", "rename", "Storm coverage", "Storm desk"],
        ),
        (
            "a story added to the project",
            vec!["project", "add", "Storm desk", &ferry],
        ),
        (
            "a story taken out",
            vec!["project", "remove", "Storm desk", &ferry],
        ),
        (
            "a note taken out of the project",
            vec!["note", "projects", &note],
        ),
    ];
    for (what, args) in writes {
        if !args.is_empty() {
            t.a.ok(&args);
        }
        let after = t.a.sync();
        assert!(looked(&after), "{what}: the sync looked {after}");
        assert!(
            after["pushed"].as_u64().unwrap() > 0,
            "{what}: pushed {after}"
        );
        let idle = t.a.sync();
        assert!(!looked(&idle), "{what}: then idle again {idle}");
    }

    // A re-check that finds a new version is a write here too.
    t.web.set(
        "/world/storm",
        Response::html(storm_story("Power was cut to 95,000 homes.")),
    );
    t.a.ok(&["check", &storm]);
    let after = t.a.sync();
    assert!(
        looked(&after) && after["pushed"].as_u64().unwrap() >= 2,
        "{after}"
    );

    // What comes from the team makes a desk look (a pull may leave a rival
    // edit here to push); so does an hour without a look.
    t.b.sync();
    let b_storm = query(
        &t.b.db,
        |r| r.get::<i64, _>(0),
        "SELECT id FROM sources WHERE url LIKE '%/world/storm'",
    );
    let b_storm = b_storm.first().expect("B has the storm story").to_string();
    t.b.ok(&["tag", "add", "Casualties", &b_storm]);
    t.b.sync();
    let pulled = t.a.sync();
    assert!(
        pulled["pulled"].as_u64().unwrap() > 0 && looked(&pulled),
        "{pulled}"
    );
    assert!(!looked(&t.a.sync()));
    let last_look_at = |at: &str| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", t.a.db.display()))
                .await
                .unwrap();
            sqlx::query("UPDATE team_link SET clean_at = ?")
                .bind(at)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        })
    };
    last_look_at("2026-01-01T00:00:00Z");
    assert!(looked(&t.a.sync()), "an hour-old look is not trusted");
    assert!(!looked(&t.a.sync()));
    last_look_at("2999-01-01T00:00:00Z");
    assert!(looked(&t.a.sync()), "nor one from a clock set back");
    t.sync_all();
    t.assert_agree();
}

#[test]
fn highlights_sync_with_their_comments_and_deletions_leave_tombstones() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    let version = t.a.first_version();
    let added = |d: &Desk, find: &str, comment: &str| -> i64 {
        d.json(&[
            "highlight",
            "add",
            &version,
            "--find",
            find,
            "--comment",
            comment,
        ])["id"]
            .as_i64()
            .unwrap()
    };
    added(
        &t.a,
        "at least 14 people had died",
        "Check the toll with the coroner",
    );
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    let everywhere = t.a.highlights();
    assert_eq!(everywhere.len(), 1);
    for d in [&t.b, &t.c] {
        assert_eq!(d.highlights(), everywhere, "same passage, comment and time");
    }
    // Who did it travels with it: B's reader and timeline name ana.
    let b_source = t.b.only_source();
    let on_b = t.b.json(&["highlight", "list", "--source", &b_source]);
    assert_eq!(on_b[0]["highlightedBy"], "ana", "{on_b}");
    let timeline = t.b.json(&["versions", &b_source]);
    let captures = timeline["captures"].as_array().unwrap();
    assert!(!captures.is_empty());
    assert!(
        captures.iter().all(|c| c["capturedBy"] == "ana"),
        "{timeline}"
    );
    let own = t.a.json(&["versions", &storm]);
    assert!(own["captures"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["capturedBy"].is_null()));
    // B answers in the comment; C, offline, highlights another passage.
    let on_b = query(&t.b.db, |r| r.get::<i64, _>(0), "SELECT id FROM highlights");
    let on_b = on_b.into_iter().next().unwrap().to_string();
    t.b.ok(&[
        "highlight",
        "edit",
        &on_b,
        "--comment",
        "Coroner confirms 14; two still missing",
    ]);
    let c_version = t.c.first_version();
    t.c.json(&[
        "highlight",
        "add",
        &c_version,
        "--find",
        "wind gusts reached 160 kilometres an hour",
        "--label",
        "figure",
    ]);
    t.sync_all();
    let both = t.a.highlights();
    let comments: BTreeSet<&str> = both.iter().map(|h| h.1.as_str()).collect();
    assert_eq!(
        comments,
        BTreeSet::from(["Coroner confirms 14; two still missing", ""]),
        "{both:?}"
    );
    for d in [&t.b, &t.c] {
        assert_eq!(d.highlights(), both);
    }
    // A deletes the wind highlight: gone everywhere, and the server keeps
    // its passage in the tombstone.
    let wind = query(
        &t.a.db,
        |r| r.get::<i64, _>(0),
        "SELECT id FROM highlights WHERE label = 'figure'",
    );
    t.a.ok(&[
        "highlight",
        "delete",
        &wind.into_iter().next().unwrap().to_string(),
    ]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        let left = d.highlights();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left.iter().all(|h| h.0.contains("14 people")));
    }
    let tombstones = t.pg_bodies("highlight");
    assert!(
        tombstones
            .iter()
            .any(|b| b["deleted"] == true
                && b["text"] == "wind gusts reached 160 kilometres an hour"),
        "{tombstones:?}"
    );
    // Settled: another round pushes nothing.
    let before = t.pg_objects("highlight");
    t.sync_all();
    assert_eq!(t.pg_objects("highlight"), before);
    // C lists the deletion and undoes it: the highlight is back everywhere,
    // with its label and its author's creation time.
    let status = t.c.json(&["team", "status"]);
    let deleted = status["deletedHighlights"].as_array().unwrap();
    assert_eq!(deleted.len(), 1, "{status}");
    assert_eq!(
        deleted[0]["text"],
        "wind gusts reached 160 kilometres an hour"
    );
    let key = deleted[0]["key"].as_str().unwrap().to_string();
    t.c.ok(&["team", "undelete", &key]);
    // Restored here before any sync: no longer listed, and a second undo
    // makes no second highlight.
    assert_eq!(
        t.c.json(&["team", "status"])["deletedHighlights"],
        serde_json::json!([])
    );
    t.c.ok(&["team", "undelete", &key]);
    assert_eq!(t.c.highlights().len(), 2);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert_eq!(
            d.highlights(),
            both,
            "the undone deletion reached every desk"
        );
        let status = d.json(&["team", "status"]);
        assert_eq!(
            status["deletedHighlights"],
            serde_json::json!([]),
            "{status}"
        );
    }
}

#[test]
fn a_push_whose_answer_is_lost_is_not_pushed_twice() {
    let t = Team::with_a_behind_relay();
    let storm = t.storm_in_a_project();
    t.a.ok(&["tag", "add", "Flooding", &storm]);
    let version = t.a.first_version();
    t.a.ok(&[
        "highlight",
        "add",
        &version,
        "--find",
        "at least 14 people had died",
        "--comment",
        "Check the toll",
    ]);
    let note =
        t.a.json(&["note", "new", "Storm toll", "--body", "Officials: 14 dead."]);
    let note = note["id"].to_string();
    let project = t.a.json(&["project", "list"])[0]["id"].to_string();
    t.a.ok(&["note", "projects", &note, &project]);
    t.a.ok(&["team", "share", "Storm coverage"]);

    // The push lands; its answer does not.
    let relay = t.relay.as_ref().unwrap();
    relay.lose_push_answers(true);
    let lost = t.a.run(&["team", "sync"]);
    assert!(!lost.status.success(), "the desk saw its push fail");
    let landed = |kind| t.pg_objects(kind).len();
    assert_eq!(
        (
            landed("note"),
            landed("note_revision"),
            landed("highlight"),
            landed("source_tag")
        ),
        (1, 1, 1, 1),
        "the push was committed before its answer was lost"
    );
    // An edit while the desk believes the push failed, then the network heals.
    t.a.ok(&[
        "note",
        "save",
        &note,
        "--body",
        "Officials: 14 dead; 2 missing.",
    ]);
    relay.lose_push_answers(false);
    t.sync_all();
    t.assert_agree();
    assert_eq!(
        (
            landed("note"),
            landed("note_revision"),
            landed("highlight"),
            landed("source_tag")
        ),
        (1, 2, 1, 1),
        "nothing went up twice: one note with two saves, one highlight, one tag"
    );
    for d in [&t.a, &t.b, &t.c] {
        let notes = d.notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes
                .iter()
                .all(|n| n.2 == "Officials: 14 dead; 2 missing."),
            "{notes:?}"
        );
        assert_eq!(d.highlights().len(), 1);
        let status = d.json(&["team", "status"]);
        assert!(
            status["conflicts"].as_array().unwrap().is_empty(),
            "{status}"
        );
    }
}

#[test]
fn a_shared_story_is_re_checked_once_for_the_whole_team() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    t.a.ok(&["watch", &storm]);
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    // The utility revises its figure; all three desks re-check everything.
    t.web.set(
        "/world/storm",
        Response::html(storm_story("Power was cut to 120,000 homes.")),
    );
    let fetches = || {
        t.web
            .requests()
            .iter()
            .filter(|r| r.path == "/world/storm")
            .count()
    };
    let before = fetches();
    t.a.ok(&["check", "--all"]);
    for d in [&t.b, &t.c] {
        let out = d.run(&["check", "--all"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("left to the team"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        fetches() - before,
        1,
        "one request for the team, not one per desk"
    );
    // A's result reaches the others by sync, with who checked.
    t.sync_all();
    t.assert_agree();
    let b_source = t.b.only_source();
    let timeline = t.b.json(&["versions", &b_source]);
    assert_eq!(
        timeline["versions"].as_array().unwrap().len(),
        2,
        "{timeline}"
    );
    // B's schedule (the story is watched by the team) runs from A's find,
    // as if B had found it.
    let found = t.b.json(&["versions", &b_source])["versions"][1]["createdAt"]
        .as_str()
        .unwrap()
        .to_string();
    let b_schedule = query(
        &t.b.db,
        |r| r.get::<Option<String>, _>(0),
        "SELECT changed_at FROM story_schedules",
    );
    assert_eq!(b_schedule, BTreeSet::from([Some(found)]));
    // A source named on its own is checked as asked.
    t.b.ok(&["check", &b_source]);
    assert_eq!(fetches() - before, 2);
    // The watch scheduler asks too: C watches its copy of the story, due at
    // once, but A holds its re-check.
    t.c.ok(&["watch", &t.c.only_source()]);
    let report = t.c.json(&["watch", "run", "--for", "2"]);
    assert_eq!(report["teamChecks"], 1, "{report}");
    assert_eq!(report["storyChecks"], 0, "{report}");
    assert_eq!(fetches() - before, 2, "C did not fetch it");
}

#[test]
fn citations_in_a_shared_note_point_at_each_desks_own_copies() {
    let t = Team::new();
    // C has a story and a highlight of its own first, so its ids for what
    // arrives from A differ from A's.
    t.web.set(
        "/local/ferry",
        Response::html(story(
            "Ferry service suspended as rivers rise",
            "Jonas Aalto",
            &["The ferry operator said crossings would stay suspended until Friday."],
        )),
    );
    let ferry = t.c.clip(&t.web.url("/local/ferry")).to_string();
    let ferry_version = t.c.json(&["versions", &ferry])["versions"][0]["id"].to_string();
    t.c.ok(&["highlight", "add", &ferry_version, "--find", "until Friday"]);

    let storm = t.storm_in_a_project();
    let version = t.a.json(&["versions", &storm])["versions"][0]["id"].to_string();
    let hl = t.a.json(&[
        "highlight",
        "add",
        &version,
        "--find",
        "at least 14 people had died",
    ])["id"]
        .to_string();
    let body = format!("The toll: [@h{hl}]\n\nSee the wire [@v{version}], and [@s999].");
    let note = t.a.json(&["note", "new", "Storm toll", "--body", &body])["id"].to_string();
    let project = t.a.json(&["project", "list"])[0]["id"].to_string();
    t.a.ok(&["note", "projects", &note, &project]);
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();

    for d in [&t.b, &t.c] {
        let local_hl = query(
            &d.db,
            |r| r.get::<i64, _>(0),
            "SELECT id FROM highlights WHERE text = 'at least 14 people had died'",
        );
        let local_v = query(
            &d.db,
            |r| r.get::<i64, _>(0),
            "SELECT v.id FROM versions v JOIN sources s ON s.id = v.source_id \
             WHERE s.url LIKE '%/world/storm'",
        );
        let (h, v) = (local_hl.first().unwrap(), local_v.first().unwrap());
        let notes = d.notes();
        let (_, _, text) = notes.iter().find(|n| n.1 == "Storm toll").unwrap();
        assert_eq!(
            text,
            &format!("The toll: [@h{h}]\n\nSee the wire [@v{v}], and \\[@s999]."),
            "citations name this desk's own copies; one to nothing shared is escaped"
        );
    }
    let c_storm = query(
        &t.c.db,
        |r| r.get::<i64, _>(0),
        "SELECT id FROM highlights WHERE text = 'at least 14 people had died'",
    );
    assert_ne!(
        c_storm.first().unwrap().to_string(),
        hl,
        "the ids differ on C"
    );
}

#[test]
fn an_edit_wins_over_a_deletion_that_had_not_seen_it_and_deletions_can_be_undone() {
    let t = Team::new();
    let (a, b, c) = t.shared_note("Ferry timeline", "06:10 first call to coastguard.");
    // A deletes the note while B, not knowing, adds to it.
    t.a.ok(&["note", "delete", &a.to_string()]);
    t.b.ok(&[
        "note",
        "save",
        &b.to_string(),
        "--body",
        "06:10 first call to coastguard.\n06:45 ferry grounded.",
    ]);
    // B's edit reaches the server first; A's deletion, made on the text
    // before it, arrives after and must not remove it.
    t.b.sync();
    t.a.sync();
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        let notes = d.notes();
        let note = notes.iter().find(|(_, title, _)| title == "Ferry timeline");
        assert!(
            note.is_some_and(|(_, _, body)| body.contains("06:45 ferry grounded")),
            "B's edit was lost: {notes:?}"
        );
    }
    // A deletion everyone had seen the latest text for goes through; it is
    // listed and can be undone.
    let c_now =
        t.c.notes()
            .into_iter()
            .find(|(_, title, _)| title == "Ferry timeline")
            .unwrap()
            .0;
    assert_eq!(c_now, c);
    t.c.ok(&["note", "delete", &c.to_string()]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        assert!(d
            .notes()
            .iter()
            .all(|(_, title, _)| title != "Ferry timeline"));
    }
    let status = t.a.json(&["team", "status"]);
    let deleted = status["deletedNotes"].as_array().unwrap();
    assert_eq!(deleted.len(), 1, "{status}");
    assert_eq!(deleted[0]["title"], "Ferry timeline");
    let key = deleted[0]["key"].as_str().unwrap().to_string();
    t.a.ok(&["team", "undelete", &key]);
    t.sync_all();
    for d in [&t.a, &t.b, &t.c] {
        let notes = d.notes();
        assert!(
            notes
                .iter()
                .any(|(_, title, body)| title == "Ferry timeline" && body.contains("06:45")),
            "undelete did not bring the note back: {notes:?}"
        );
    }
}

#[test]
fn viewers_cannot_write_and_a_revoked_member_is_refused_at_once() {
    let t = Team::new();
    let viewer = Desk::new();
    let token = t.a.ok(&["team", "invite", "vera", "--role", "viewer"]);
    viewer.ok(&["team", "join", &t.url(), token.trim()]);
    let (_, b, _) = t.shared_note("Sources to call", "Harbour master; Red Cross press desk.");
    viewer.sync();
    let note = viewer.notes()[0].0;
    viewer.ok(&[
        "note",
        "save",
        &note.to_string(),
        "--body",
        "Vera was here.",
    ]);
    let refused = viewer.run(&["team", "sync"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("viewers cannot write"),
        "{}",
        stderr(&refused)
    );

    // An editor's token stops working the moment the owner revokes it.
    t.a.ok(&["team", "revoke", "ben"]);
    t.b.ok(&[
        "note",
        "save",
        &b.to_string(),
        "--body",
        "Harbour master; Red Cross; mayor's office.",
    ]);
    let revoked = t.b.run(&["team", "sync"]);
    assert!(!revoked.status.success());
    assert!(
        stderr(&revoked).contains("refused the token"),
        "{}",
        stderr(&revoked)
    );
    // The note is still in B's library: nothing here is lost by the revocation.
    assert!(t.b.note_body(b).contains("mayor's office"));
    let members = t.a.json(&["team", "members"]);
    let ben = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "ben")
        .unwrap();
    assert_eq!(ben["revoked"], true);
}

#[test]
fn the_server_refuses_objects_whose_hashes_lie() {
    let t = Team::new();
    let token = t.a.ok(&["team", "invite", "mallory", "--role", "editor"]);
    let token = token.trim().to_string();
    let url = t.url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let me: Value = http.get(format!("{url}/v1/me")).bearer_auth(&token).send().await.unwrap().bytes().await.map(|b| serde_json::from_slice(&b).unwrap()).unwrap();
        let lib = me["library_id"].as_i64().unwrap();
        let page = b"<html><body><h1>Genuine page</h1></body></html>".to_vec();
        let real = redline::hash::sha256_hex(&page);
        let fake = redline::hash::sha256_hex(b"another page");
        // Bytes that do not hash to the name they are sent under.
        let res = http.put(format!("{url}/v1/libraries/{lib}/blobs/{fake}")).bearer_auth(&token).body(page.clone()).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        // A capture whose bytes never arrived.
        let capture = serde_json::json!({"objects": [{
            "key": format!("url:example.org/a#{fake}#2026-11-30T10:00:00.000Z"),
            "item": {"kind": "capture", "source": "url:example.org/a", "captured_at": "2026-11-30T10:00:00.000Z",
                     "method": "fetch", "requested_url": null, "final_url": null, "canonical_url": null,
                     "http_status": 200, "etag": null, "last_modified": null, "content_type": "text/html",
                     "charset": "utf-8", "raw_size": 12, "raw_sha256": fake, "outcome": "new_version",
                     "version_sha256": null}}]});
        let res = http.post(format!("{url}/v1/libraries/{lib}/push")).bearer_auth(&token)
            .header("If-Unmodified-Since-Version", "0").header("content-type", "application/json").body(serde_json::to_vec(&capture).unwrap()).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        // A version whose text does not hash to its claimed hash.
        let version = serde_json::json!({"objects": [{
            "key": format!("url:example.org/a#{real}"),
            "item": {"kind": "version", "source": "url:example.org/a", "created_at": "2026-11-30T10:00:00.000Z",
                     "title": "Genuine page", "byline": null, "site_name": null, "lang": "en", "dir": "ltr",
                     "published_at": null, "modified_at": null, "excerpt": null,
                     "blocks": [{"kind": "paragraph", "text": "Altered after the fact."}],
                     "text_sha256": real}}]});
        let res = http.post(format!("{url}/v1/libraries/{lib}/push")).bearer_auth(&token)
            .header("If-Unmodified-Since-Version", "0").header("content-type", "application/json").body(serde_json::to_vec(&version).unwrap()).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        // A push on a stale version is refused with the version to pull from.
        let res = http.post(format!("{url}/v1/libraries/{lib}/push")).bearer_auth(&token)
            .header("If-Unmodified-Since-Version", "-1").header("content-type", "application/json").body(serde_json::to_vec(&serde_json::json!({"objects": []})).unwrap()).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 412);
        // Someone with no token, or another library's id, reads nothing.
        let res = http.get(format!("{url}/v1/libraries/{lib}/changes?since=0")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401);
        let res = http.get(format!("{url}/v1/libraries/{}/changes?since=0", lib + 1)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
    });
    let (versions, blobs) = server_state(&t.pg);
    assert!(versions.is_empty() && blobs.is_empty());
    // A desktop never sends an insecure URL a token.
    let d = Desk::new();
    let out = d.run(&["team", "join", "http://team.example.org", &token]);
    assert!(
        stderr(&out).contains("refusing plain http://"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_server_killed_mid_push_loses_nothing() {
    let mut t = Team::new();
    // A large capture (about 4 MB of page) makes the upload take a while.
    let mut noise = String::with_capacity(4 << 20);
    let mut x: u64 = 0x9e3779b97f4a7c15;
    while noise.len() < 4 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.push_str(&format!("{x:016x}"));
    }
    let page = storm_story("The full list of shelters is below.").replace(
        "</body>",
        &format!("<script>var tracking = \"{noise}\";</script></body>"),
    );
    t.web.set("/world/storm-live", Response::html(page));
    let live = t.a.clip(&t.web.url("/world/storm-live"));
    t.a.ok(&["project", "new", "Storm live"]);
    t.a.ok(&["project", "add", "Storm live", &live.to_string()]);
    t.a.ok(&["team", "share", "Storm live"]);
    let mut interrupted = 0;
    for delay in [20, 60, 150, 400] {
        let mut sync = Command::new(env!("CARGO_BIN_EXE_redline"))
            .arg("--db")
            .arg(&t.a.db)
            .args(["team", "sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let addr = t.serve.take().unwrap().kill();
        if !sync.wait().unwrap().success() {
            interrupted += 1;
        }
        t.serve = Some(Serve::start(&t.pg, &addr));
    }
    assert!(interrupted > 0, "no kill landed during a sync");
    t.sync_all();
    assert_eq!(t.b.versions().len(), 1);
    t.assert_agree();
    assert_eq!(t.c.captures().len(), 1);
}

/// Captures' bytes travel in batches: sharing 60 stories takes a few
/// requests, not two per capture, so a desk under a tight rate limit still
/// shares and pulls a whole project; every blob in a batch is checked
/// against its name and a batch with one lie stores nothing.
#[test]
fn blobs_travel_in_batches_each_checked_against_its_hash() {
    use redline::team::client::Client;
    use redline::team::TeamError;
    let pg = Postgres::start();
    let owner = ok(redline(
        Path::new("/nonexistent/unused.db"),
        &[
            "team",
            "init",
            "--database-url",
            &pg.url(),
            "Wire desk",
            "--owner",
            "ana",
        ],
    ));
    // 40 requests, refilled at one a second: one request per capture (120
    // for the share and the pull below) would be refused.
    let serve = Serve::start_with(
        &pg,
        "127.0.0.1:0",
        &["--rate-burst", "40", "--rate-per-second", "1"],
    );
    let (a, b) = (Desk::new(), Desk::new());
    a.ok(&["team", "join", &serve.url(), owner.trim()]);
    let ben = a.ok(&["team", "invite", "ben", "--role", "editor"]);
    b.ok(&["team", "join", &serve.url(), ben.trim()]);
    let pages = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let html = story(
            &format!("Grain convoy {i} clears the Bosphorus"),
            "Defne Arslan",
            &[
                &format!("The {i}th convoy of the season, carrying {} tonnes of wheat, passed Istanbul on Monday, the port authority said.", 30_000 + i * 250),
                "\u{201c}Insurers are watching every crossing,\u{201d} said Kerem Aydin, a broker in the city.",
            ],
        );
        std::fs::write(pages.path().join(format!("convoy-{i:02}.html")), html).unwrap();
    }
    a.ok(&["import", pages.path().to_str().unwrap()]);
    let ids = query(&a.db, |r| r.get::<i64, _>(0), "SELECT id FROM sources");
    assert_eq!(ids.len(), 60);
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    a.ok(&["project", "new", "Black Sea grain"]);
    a.ok(&["project", "add", "Black Sea grain", &ids.join(",")]);
    a.ok(&["team", "share", "Black Sea grain"]);
    let up = a.sync();
    assert_eq!(up["blobsUp"], 60, "{up}");
    let down = b.sync();
    assert_eq!(down["blobsDown"], 60, "{down}");
    let (_, on_server) = server_state(&pg);
    assert_eq!(on_server.len(), 60);
    assert_eq!(a.captures(), on_server);
    assert_eq!(
        b.captures(),
        on_server,
        "B has every capture's bytes, checked by hash"
    );

    let vera = a.ok(&["team", "invite", "vera", "--role", "viewer"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ben = Client::new(&serve.url(), ben.trim()).unwrap();
        let lib = ben.me().await.unwrap().library_id;
        let page = b"<html><body><h1>Convoy halted</h1></body></html>".to_vec();
        let real = redline::hash::sha256_hex(&page);
        let fake = redline::hash::sha256_hex(b"another page");
        let lie = vec![(real.clone(), page.clone()), (fake.clone(), page.clone())];
        let refused = ben.put_blobs(lib, &lie).await;
        assert!(matches!(refused, Err(TeamError::Refused(_))), "{refused:?}");
        let names = vec![real.clone(), fake.clone()];
        assert_eq!(
            ben.missing_blobs(lib, &names).await.unwrap(),
            names,
            "nothing of the batch stored"
        );
        ben.put_blobs(lib, &[(real.clone(), page.clone())])
            .await
            .unwrap();
        assert_eq!(
            ben.missing_blobs(lib, &names).await.unwrap(),
            vec![fake.clone()]
        );
        // Stored, but no capture of the library names it: not served.
        assert!(ben
            .fetch_blobs(lib, std::slice::from_ref(&real))
            .await
            .unwrap()
            .0
            .is_empty());
        // A capture's bytes are served, and only what was asked.
        let shared: Vec<String> = on_server.iter().take(3).cloned().collect();
        let (got, _) = ben.fetch_blobs(lib, &shared).await.unwrap();
        assert_eq!(
            got.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(),
            shared
        );
        // The one-blob fetch an older desk uses follows the same rule.
        assert_eq!(ben.blob(lib, &shared[0]).await.unwrap(), got[0].1);
        let unnamed = ben.blob(lib, &real).await;
        assert!(matches!(unnamed, Err(TeamError::Server(_))), "{unnamed:?}");
        // A viewer sends nothing, and asks nothing of a push.
        let vera = Client::new(&serve.url(), vera.trim()).unwrap();
        let forbidden = vera.put_blobs(lib, &[(real.clone(), page.clone())]).await;
        assert!(
            matches!(forbidden, Err(TeamError::Forbidden(_))),
            "{forbidden:?}"
        );
        assert!(matches!(
            vera.missing_blobs(lib, &names).await,
            Err(TeamError::Forbidden(_))
        ));
        assert_eq!(
            vera.fetch_blobs(lib, &shared).await.unwrap().0.len(),
            3,
            "a viewer reads"
        );
        // More names than a batch takes.
        let many = vec![real.clone(); 1_001];
        assert!(matches!(
            ben.missing_blobs(lib, &many).await,
            Err(TeamError::Refused(_))
        ));
    });
}

#[test]
fn a_token_past_its_rate_is_refused_then_served_again() {
    let pg = Postgres::start();
    let owner = ok(redline(
        Path::new("/nonexistent/unused.db"),
        &["team", "init", "--database-url", &pg.url(), "Night desk"],
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args([
            "serve",
            "--database-url",
            &pg.url(),
            "--listen",
            "127.0.0.1:0",
            "--print-port",
        ])
        // A slow refill (one token every 2 s), so the eight requests below
        // meet an empty bucket however slowly a loaded machine serves them.
        .args(["--rate-burst", "5", "--rate-per-second", "0.5"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut addr = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut addr)
        .unwrap();
    let serve = Serve {
        child,
        addr: addr.trim().to_string(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let statuses: Vec<u16> = rt.block_on(async {
        let http = reqwest::Client::new();
        let mut out = Vec::new();
        for _ in 0..8 {
            let res = http
                .get(format!("{}/v1/me", serve.url()))
                .bearer_auth(owner.trim())
                .send()
                .await
                .unwrap();
            out.push(res.status().as_u16());
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let res = http
            .get(format!("{}/v1/me", serve.url()))
            .bearer_auth(owner.trim())
            .send()
            .await
            .unwrap();
        out.push(res.status().as_u16());
        out
    });
    assert_eq!(&statuses[..5], &[200; 5]);
    assert!(statuses[5..8].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(statuses[8], 200, "the bucket refills");
}

/// A blob goes only to members of a library with a capture naming it; that
/// check must find the capture by index. Scanning the library's captures
/// instead cost seconds per blob at 1,000,000 versions, for every member
/// pulling a new story (BENCHMARKS.md, "Team library at scale").
#[test]
fn a_blob_is_matched_to_its_capture_by_index() {
    let t = Team::new();
    let storm = t.storm_in_a_project();
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.sync_all();
    assert_eq!(
        t.b.captures(),
        t.a.captures(),
        "B fetched the story's bytes"
    );
    let sha = t.a.captures().into_iter().next().expect("a capture");
    let plan = t.pg(async |pool| {
        let mut conn = pool.acquire().await.unwrap();
        // A library this small would be scanned anyway; ask what the
        // planner can do when a scan is the expensive choice.
        sqlx::query("SET enable_seqscan = off")
            .execute(&mut *conn)
            .await
            .unwrap();
        let lines: Vec<String> = sqlx::query_scalar(&format!(
            "EXPLAIN SELECT 1 FROM objects o WHERE o.library_id = 1 \
             AND o.kind = 'capture' AND o.body->>'raw_sha256' = '{sha}'"
        ))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        lines.join("\n")
    });
    assert!(
        plan.contains("objects_capture_raw"),
        "the blob check of story {storm} does not use the capture index:\n{plan}"
    );
}

/// Incremental sync cost (BENCHMARKS.md): B, in sync, pulls 100 new
/// versions A clipped into a shared project. Run with
/// `cargo test --test team bench_ -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_incremental_sync_of_100_versions() {
    let t = Team::new();
    t.a.ok(&["project", "new", "Elections"]);
    t.a.ok(&["team", "share", "Elections"]);
    let clip_batch = |from: usize| {
        let mut ids = Vec::new();
        for i in from..from + 100 {
            let path = format!("/politics/district-{i}");
            t.web.set(&path, Response::html(story(
                &format!("District {i} count: turnout at {}%", 40 + i % 30),
                "Elena Marsh",
                &[
                    &format!("Counting in district {i} finished shortly after midnight, the electoral commission said."),
                    "\u{201c}The count was orderly,\u{201d} said observer Luis Ortega, who watched from the gallery.",
                    &format!("Turnout rose {} points from the last election; {} ballots were spoiled.", i % 7, 100 + i),
                ],
            )));
            ids.push(t.a.clip(&t.web.url(&path)).to_string());
        }
        t.a.ok(&["project", "add", "Elections", &ids.join(",")]);
    };
    clip_batch(0);
    t.sync_all();
    clip_batch(100);
    let started = std::time::Instant::now();
    let push = t.a.sync();
    let push_time = started.elapsed();
    let started = std::time::Instant::now();
    let pull = t.b.sync();
    let pull_time = started.elapsed();
    println!(
        "push of 100 new versions: {:.0} ms, {} bytes up ({} objects); \
         pull: {:.0} ms, {} bytes down ({} objects)",
        push_time.as_secs_f64() * 1000.0,
        push["bytesUp"],
        push["pushed"],
        pull_time.as_secs_f64() * 1000.0,
        pull["bytesDown"],
        pull["pulled"],
    );
    t.sync_all();
    t.assert_agree();
    let started = std::time::Instant::now();
    let idle = t.b.sync();
    println!(
        "sync with nothing new: {:.0} ms, {} bytes down, {} up",
        started.elapsed().as_secs_f64() * 1000.0,
        idle["bytesDown"],
        idle["bytesUp"]
    );
}

/// moto's S3 server (PyPI's AWS emulator: a real S3 wire protocol) on a
/// free loopback port; killed on drop.
struct S3 {
    child: Child,
    url: String,
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl S3 {
    fn start() -> Self {
        let mut child = Command::new(common::cli::pytool("moto_server"))
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start moto_server");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("moto_server exited before listening")
                .unwrap();
            if let Some(at) = line.find("http://") {
                break line[at..].trim().to_string();
            }
        };
        // Its request log goes on stderr: keep draining it.
        std::thread::spawn(move || lines.for_each(drop));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        S3 {
            child,
            url,
            rt,
            http: reqwest::Client::new(),
        }
    }

    fn send(&self, req: reqwest::RequestBuilder) -> (u16, Vec<u8>) {
        self.rt.block_on(async {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
        })
    }

    fn create_bucket(&self, bucket: &str) {
        let (status, _) = self.send(self.http.put(format!("{}/{bucket}", self.url)));
        assert_eq!(status, 200, "create bucket {bucket}");
    }

    /// A signed client of `bucket` (moto refuses unsigned reads of objects).
    fn client(&self, bucket: &str) -> object_store::aws::AmazonS3 {
        object_store::aws::AmazonS3Builder::new()
            .with_endpoint(&self.url)
            .with_allow_http(true)
            .with_bucket_name(bucket)
            .with_region("us-east-1")
            .with_access_key_id("newsroom")
            .with_secret_access_key("not-a-real-secret")
            .build()
            .unwrap()
    }

    /// The bytes at `key`, if the bucket has it.
    fn object(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        use object_store::ObjectStoreExt;
        let store = self.client(bucket);
        self.rt.block_on(async {
            match store.get(&object_store::path::Path::from(key)).await {
                Ok(got) => Some(got.bytes().await.unwrap().to_vec()),
                Err(object_store::Error::NotFound { .. }) => None,
                Err(e) => panic!("reading {key}: {e}"),
            }
        })
    }

    fn put_object(&self, bucket: &str, key: &str, bytes: &[u8]) {
        use object_store::ObjectStoreExt;
        let store = self.client(bucket);
        self.rt.block_on(async {
            store
                .put(&object_store::path::Path::from(key), bytes.to_vec().into())
                .await
                .unwrap();
        });
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// With `--s3-bucket`, captures' bytes go to an S3-compatible bucket and
/// PostgreSQL keeps only their rows; bytes stored in PostgreSQL before are
/// still served, `team move-blobs` moves them; a bucket copy that no longer
/// matches its hash is refused, never served.
#[test]
fn captures_bytes_live_in_an_s3_bucket_when_one_is_configured() {
    let mut t = Team::new();
    let s3 = S3::start();
    s3.create_bucket("desk-captures");
    let bucket_args = [
        "--s3-bucket",
        "desk-captures",
        "--s3-endpoint",
        s3.url.as_str(),
        "--s3-access-key-id",
        "newsroom",
        "--s3-secret-access-key",
        "not-a-real-secret",
    ];
    // Before the bucket: the storm story's bytes go to PostgreSQL.
    t.storm_in_a_project();
    t.a.ok(&["team", "share", "Storm coverage"]);
    t.a.sync();
    let in_database = |t: &Team| -> BTreeSet<String> {
        t.pg(async |pool| {
            sqlx::query_scalar("SELECT sha256 FROM blobs WHERE bytes IS NOT NULL")
                .fetch_all(pool)
                .await
                .unwrap()
                .into_iter()
                .collect()
        })
    };
    let storm_blobs = in_database(&t);
    assert_eq!(storm_blobs.len(), 1);

    // A bucket that does not exist stops the service at start, saying so.
    let wrong = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args([
            "serve",
            "--database-url",
            &t.pg.url(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--s3-bucket", "no-such-bucket", "--s3-endpoint", &s3.url])
        .args([
            "--s3-access-key-id",
            "newsroom",
            "--s3-secret-access-key",
            "x",
        ])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("no-such-bucket"),
        "{}",
        stderr(&wrong)
    );

    // The same service, restarted with the bucket.
    let addr = t.serve.take().unwrap().kill();
    t.serve = Some(Serve::start_with(&t.pg, &addr, &bucket_args));
    let quake = story(
        "Aftershocks rattle coastal towns as rescuers reach cut-off villages",
        "By Lena Ortiz, Manila",
        &[
            "Rescuers reached three villages cut off since Sunday's magnitude 6.8 earthquake, the provincial disaster office said on Tuesday.",
            "\"We are still finding families who slept outside for two nights,\" said Ramon Dizon, the office's spokesman.",
            "At least 41 people were killed and 212 injured, according to the latest count.",
        ],
    );
    t.web.set("/world/quake", Response::html(quake.clone()));
    let quake_id = t.a.clip(&t.web.url("/world/quake"));
    t.a.ok(&["project", "add", "Storm coverage", &quake_id.to_string()]);
    t.a.sync();
    let quake_sha = redline::hash::sha256_hex(quake.as_bytes());
    assert!(t.a.captures().contains(&quake_sha));
    assert_eq!(
        in_database(&t),
        storm_blobs,
        "the new bytes went to PostgreSQL"
    );
    let key = format!("blobs/{quake_sha}");
    assert!(
        s3.object("desk-captures", &key).as_deref() == Some(quake.as_bytes()),
        "the bucket does not hold the new capture's bytes"
    );
    // B gets both: one blob from PostgreSQL, one from the bucket.
    t.b.sync();
    assert!(t.b.captures().contains(&quake_sha));
    assert!(t.b.captures().is_superset(&storm_blobs));

    // The older bytes move to the bucket; PostgreSQL keeps only rows.
    let moved = json(redline(
        Path::new("/nonexistent/unused.db"),
        &[
            &[
                "--json",
                "team",
                "move-blobs",
                "--database-url",
                &t.pg.url(),
            ][..],
            &bucket_args[..],
        ]
        .concat(),
    ));
    assert_eq!(moved["moved"], 1, "{moved}");
    assert!(in_database(&t).is_empty());
    let storm_sha = storm_blobs.iter().next().unwrap();
    let storm_bytes = s3
        .object("desk-captures", &format!("blobs/{storm_sha}"))
        .expect("the storm blob moved to the bucket");
    assert_eq!(&redline::hash::sha256_hex(&storm_bytes), storm_sha);

    // A bucket copy altered behind the service's back is refused.
    let altered = quake.replace("41 people", "14 people");
    s3.put_object("desk-captures", &key, altered.as_bytes());
    let refused = t.c.run(&["team", "sync"]);
    assert!(!refused.status.success(), "a corrupt blob was served");
    assert!(
        stderr(&refused).contains("does not match its hash"),
        "{}",
        stderr(&refused)
    );
    assert!(!t.c.captures().contains(&quake_sha));
    // Put right, C gets everything and all agree.
    s3.put_object("desk-captures", &key, quake.as_bytes());
    t.sync_all();
    assert!(t.c.captures().contains(&quake_sha));
    t.assert_agree();
    assert_eq!(t.c.captures().len(), 2);
}

/// Versions of `desk` (or the server) whose URL key ends with one of `paths`.
fn of_paths(versions: &BTreeSet<(String, String)>, paths: &[&str]) -> BTreeSet<(String, String)> {
    versions
        .iter()
        .filter(|(k, _)| paths.iter().any(|p| k.ends_with(p)))
        .cloned()
        .collect()
}

#[test]
fn a_desk_that_follows_projects_pulls_only_those_and_a_story_added_later_brings_its_history() {
    let t = Team::new();
    // A: the storm story in two versions in "Storm coverage"; an election
    // story in "Election desk"; both shared.
    t.web.set(
        "/world/storm",
        Response::html(storm_story("Power was cut to 80,000 homes.")),
    );
    let storm = t.a.clip(&t.web.url("/world/storm")).to_string();
    t.web.set(
        "/world/storm",
        Response::html(storm_story(
            "Power was cut to 120,000 homes, the utility said in a revised statement.",
        )),
    );
    t.a.ok(&["check", &storm]);
    t.web.set(
        "/politics/runoff",
        Response::html(story(
            "Runoff called after no candidate clears 50 per cent",
            "Ilse Brandt",
            &[
                "The electoral commission said on Monday that the two leading candidates would meet in a runoff on 14 December after neither won a majority.",
                "\u{201c}The count was clean and the margins are clear,\u{201d} said Amara Osei, the commission's chair, at a press conference in the capital.",
                "Turnout was 61.4 per cent, down from 67 per cent at the last election.",
            ],
        )),
    );
    let runoff = t.a.clip(&t.web.url("/politics/runoff")).to_string();
    for (name, source) in [("Storm coverage", &storm), ("Election desk", &runoff)] {
        t.a.ok(&["project", "new", name]);
        t.a.ok(&["project", "add", name, source]);
        t.a.ok(&["team", "share", name]);
    }
    t.a.sync();
    let all = t.a.versions();
    assert_eq!(all.len(), 3);

    // B follows the election desk only, before its first sync.
    let followed = t.b.json(&["team", "follow", "election desk"]);
    assert_eq!(followed["name"], "Election desk");
    let listed = t.b.json(&["team", "projects"]);
    let marks: BTreeSet<(String, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["followed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        BTreeSet::from([
            ("Election desk".to_string(), true),
            ("Storm coverage".to_string(), false)
        ])
    );
    let pulled_b = t.b.sync()["pulled"].as_i64().unwrap();
    assert_eq!(t.b.versions(), of_paths(&all, &["/politics/runoff"]));
    let names: Vec<Value> = t.b.json(&["project", "list"]).as_array().unwrap().clone();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(names[0]["name"], "Election desk");
    // C pulls the whole library, as desks do by default.
    let pulled_c = t.c.sync()["pulled"].as_i64().unwrap();
    assert_eq!(t.c.versions(), all);
    assert!(pulled_b < pulled_c, "B {pulled_b}, C {pulled_c}");

    // A puts the storm story in the election desk too: B gets the story
    // with both its versions and their captures, though they were written
    // before B followed anything.
    t.a.ok(&["project", "add", "Election desk", &storm]);
    t.a.sync();
    t.b.sync();
    assert_eq!(t.b.versions(), all);
    let (_, blobs) = server_state(&t.pg);
    assert_eq!(t.b.captures(), blobs);
    assert_eq!(
        t.b.json(&["project", "list"])[0]["sourceCount"],
        2,
        "the election desk holds both stories on B"
    );

    // A story only in the storm project does not reach B…
    t.web.set("/world/ferry", Response::html(ferry_story()));
    let ferry = t.a.clip(&t.web.url("/world/ferry")).to_string();
    t.a.ok(&["project", "add", "Storm coverage", &ferry]);
    t.a.sync();
    t.b.sync();
    assert_eq!(t.b.versions(), all, "B does not follow the storm project");

    // …until B follows it; then every library agrees with the server.
    t.b.ok(&["team", "follow", "Storm coverage"]);
    t.sync_all();
    t.assert_agree();

    // B shares a project of its own: the push goes up and is not pulled
    // back, in this sync or the next (nothing older came into a scope with it).
    t.web.set(
        "/world/levee-plan",
        Response::html(story(
            "Engineers draw up levee repair plan",
            "Jonas Aalto",
            &["The plan would raise the levee by 1.2 metres over 18 months, officials said."],
        )),
    );
    let plan = t.b.clip(&t.web.url("/world/levee-plan")).to_string();
    t.b.ok(&["project", "new", "Ben's leads"]);
    t.b.ok(&["project", "add", "Ben's leads", &plan]);
    t.b.ok(&["team", "share", "Ben's leads"]);
    let shared = t.b.sync();
    assert!(shared["pushed"].as_i64().unwrap() >= 4, "{shared}");
    assert_eq!(shared["pulled"], 0, "the push came back: {shared}");
    let again = t.b.sync();
    assert_eq!(again["pulled"], 0, "the push came back: {again}");
    t.sync_all();
    t.assert_agree();

    // A desk joining for one project pulls that project alone.
    let d = Desk::new();
    let token = t.a.ok(&["team", "invite", "dana", "--role", "viewer"]);
    let link = d.json(&[
        "team",
        "join",
        &t.url(),
        token.trim(),
        "--project",
        "Election desk",
    ]);
    assert_eq!(link["followsProjects"], true, "{link}");
    d.sync();
    assert_eq!(
        d.versions(),
        of_paths(&t.a.versions(), &["/politics/runoff", "/world/storm"])
    );
    let unknown = d.run(&["team", "follow", "Sports"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no project \"Sports\""),
        "{}",
        stderr(&unknown)
    );

    // A note in both projects, on every desk.
    let pid = |d: &Desk, name: &str| -> String {
        d.json(&["project", "list"])
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["id"]
            .to_string()
    };
    let note = t.a.json(&[
        "note",
        "new",
        "Runoff and storm",
        "--body",
        "Turnout 61.4 per cent; storm toll 14.",
    ])["id"]
        .to_string();
    t.a.ok(&[
        "note",
        "projects",
        &note,
        &pid(&t.a, "Election desk"),
        &pid(&t.a, "Storm coverage"),
    ]);
    t.a.sync();
    t.b.sync();

    // B stops following the storm project: a new story there stays away,
    // and B's shared projects say so.
    t.b.ok(&["team", "unfollow", "Storm coverage"]);
    t.web.set(
        "/world/levee",
        Response::html(story(
            "Levee breach forces second evacuation",
            "Mara Lindqvist",
            &["Engineers said the breach was 30 metres wide by Thursday evening."],
        )),
    );
    let levee = t.a.clip(&t.web.url("/world/levee")).to_string();
    t.a.ok(&["project", "add", "Storm coverage", &levee]);
    t.a.sync();
    let before = t.b.versions();
    t.b.sync();
    assert_eq!(t.b.versions(), before);
    assert!(!before.iter().any(|(k, _)| k.ends_with("/world/levee")));
    let shared: Vec<String> = t.b.json(&["team", "status"])["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        shared,
        vec!["Ben's leads".to_string(), "Election desk".to_string()]
    );
    // B edits the note it shares with a project it no longer follows: the
    // edit reaches A, and the note stays in both projects.
    let b_note =
        t.b.notes()
            .into_iter()
            .find(|(_, title, _)| title == "Runoff and storm")
            .expect("the note reached B")
            .0
            .to_string();
    t.b.ok(&[
        "note",
        "save",
        &b_note,
        "--body",
        "Turnout 61.4 per cent; storm toll revised to 16.",
    ]);
    t.b.sync();
    t.a.sync();
    let on_a = t.a.json(&["note", "show", &note]);
    assert_eq!(
        on_a["body"], "Turnout 61.4 per cent; storm toll revised to 16.",
        "{on_a}"
    );
    assert_eq!(on_a["projectIds"].as_array().unwrap().len(), 2, "{on_a}");
    assert_eq!(
        t.pg_bodies("note")[0]["projects"].as_array().unwrap().len(),
        2
    );
    // Nothing was lost on the server or on A.
    let (server, _) = server_state(&t.pg);
    assert_eq!(t.a.versions(), server);
    assert_eq!(server.len(), 6);

    // A library from before per-project pull gets the same scopes from the
    // migration's backfill as these pushes built one write at a time.
    let scopes = || -> BTreeSet<(String, String, String)> {
        t.pg(async |pool| {
            sqlx::query_as("SELECT project, kind, key FROM object_scopes")
                .fetch_all(pool)
                .await
                .unwrap()
                .into_iter()
                .collect()
        })
    };
    let built = scopes();
    assert!(built.len() > 20, "{built:?}");
    t.pg(async |pool| {
        for sql in [
            "DELETE FROM object_scopes",
            "DELETE FROM project_links",
            "UPDATE objects SET owner = NULL",
        ] {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        let statements = redline::team::server::project_scope_backfill();
        assert_eq!(statements.len(), 3, "{statements:?}");
        for sql in statements {
            sqlx::query(&sql).execute(pool).await.unwrap();
        }
    });
    assert_eq!(scopes(), built);
}
