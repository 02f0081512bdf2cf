//! Hostile input through the real `redline` binary: numbers, sizes, binary
//! data, FIFOs, missing or newer libraries. Each ends in one clear line and a
//! failing exit status, promptly, and leaves the library as it was.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::cli::{redline, redline_stdin};
use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

/// One line on stderr, starting `redline: `, naming `needle`, no panic.
fn assert_one_line(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "succeeded: {err}");
    assert_ne!(out.status.code(), Some(101), "panicked: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("redline: "), "{err}");
    assert!(err.contains(needle), "{err} does not mention {needle}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

fn sources(db: &Path) -> Vec<Value> {
    let out = redline(db, &["sources", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Deterministic noise: what a random or binary file looks like.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn numbers_out_of_range_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let url = "https://www.reuters.com/world/asia-pacific/typhoon-2026-11-30/";
    for (flag, value) in [
        ("--timeout", "nan"),
        ("--timeout", "1e300"),
        ("--timeout", "-1"),
        ("--timeout", "0"),
        ("--timeout", "thirty"),
        ("--connect-timeout", "inf"),
        ("--connect-timeout", "-inf"),
        ("--max-mib", "1e30"),
        ("--max-mib", "NaN"),
    ] {
        let out = redline(&db, &["clip", url, flag, value]);
        assert_one_line(&out, flag);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
    }
    // `check` takes the same limits.
    assert_one_line(
        &redline(&db, &["check", "--all", "--timeout", "nan"]),
        "--timeout",
    );
    // Argument-parser errors are one line too.
    assert_one_line(&redline(&db, &["clip"]), "TARGET");
    assert_one_line(&redline(&db, &["frobnicate"]), "frobnicate");
    assert_one_line(&redline(&db, &["show", "seven"]), "seven");
    assert!(!db.exists(), "a refused command created the library");
    // Help still prints in full.
    let help = Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage:"));
}

#[test]
fn check_fails_when_every_source_failed() {
    let server = TestServer::start_in_thread();
    server.set("/story", Response::html(wire::page(&wire::story_v1(), 1)));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    assert!(redline(&db, &["clip", &server.url("/story")])
        .status
        .success());

    server.set(
        "/story",
        Response::new(503, "text/html", "<h1>Service Unavailable</h1>"),
    );
    let out = redline(&db, &["check", "1"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("source 1  failed"));
    assert_one_line(&out, "every check failed");

    // One success among the failures is a partial success: exit 0.
    server.set("/story", Response::html(wire::page(&wire::story_v1(), 2)));
    assert!(redline(&db, &["check", "1", "99"]).status.success());
}

#[test]
fn a_newer_redlines_library_fails_fast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let out = redline(&db, &["project", "new", "Typhoon season"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What a later Redline adds when it migrates the library.
    let sqlite = |sql: &str| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            use sqlx::{ConnectOptions, Connection};
            let mut c = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&db)
                .connect()
                .await
                .unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        })
    };
    sqlite(
        "INSERT INTO _sqlx_migrations \
           (version, description, installed_on, success, checksum, execution_time) \
         VALUES (20991231000001, 'from the future', '2099-12-31 00:00:00', 1, x'00', 1)",
    );
    let before = std::fs::read(&db).unwrap();
    for args in [&["sources"][..], &["clip", "-", "--format", "text"]] {
        let started = Instant::now();
        let out = redline_stdin(&db, args, b"Typhoon Fung-wong makes landfall");
        let took = started.elapsed();
        assert_one_line(&out, "made by a newer Redline");
        assert!(
            took < Duration::from_secs(2),
            "{args:?} took {took:?} to fail"
        );
    }
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the newer library was written to"
    );
}

#[test]
fn a_mistyped_db_path_is_not_created_by_a_reading_command() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("Documnets").join("redline").join("lib.db");
    for args in [
        &["sources"][..],
        &["search", "typhoon"],
        &["versions", "1"],
        &["show", "1"],
    ] {
        assert_one_line(&redline(&typo, args), "there is no library there");
    }
    assert!(
        !dir.path().join("Documnets").exists(),
        "directories were created"
    );
    // A command that writes still makes a new library where it is told.
    assert!(redline(&typo, &["project", "new", "Typhoon season"])
        .status
        .success());
    assert!(typo.exists());
}

/// Waits for `child` up to `limit`; kills it and fails if it is still running.
fn wait_or_kill(mut child: std::process::Child, limit: Duration) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("redline was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn clipping_a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let fifo = dir.path().join("story.html");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("--db")
        .arg(&db)
        .args(["clip", fifo.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_or_kill(child, Duration::from_secs(10));
    assert_one_line(&out, "is not a regular file");
}

#[test]
fn stdin_over_the_limit_is_refused_not_cut() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    // 1.5 MiB of a real article's paragraphs against a 1 MiB limit.
    let para = "<p>Typhoon Fung-wong made landfall in Aurora province on Sunday, \
                the weather bureau PAGASA said, with winds of 185 km/h.</p>\n";
    let mut page = String::from("<html><head><title>Typhoon</title></head><body><article>");
    while page.len() < 3 << 19 {
        page.push_str(para);
    }
    page.push_str("</article></body></html>");
    let out = redline_stdin(&db, &["clip", "-", "--max-mib", "1"], page.as_bytes());
    assert_one_line(&out, "larger than the 1 MiB limit");
    // A file takes the same limit.
    let file = dir.path().join("typhoon.html");
    std::fs::write(&file, &page).unwrap();
    let out = redline(&db, &["clip", file.to_str().unwrap(), "--max-mib", "1"]);
    assert_one_line(&out, "larger than the 1 MiB limit");
    assert_eq!(sources(&db), Vec::<Value>::new());
    // Within the limit it is clipped whole.
    let out = redline_stdin(&db, &["clip", "-", "--max-mib", "2"], page.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn binary_data_is_not_clipped_as_an_article() {
    let server = TestServer::start_in_thread();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let bytes = noise(256 * 1024);
    let file = dir.path().join("leaked-memo.html");
    std::fs::write(&file, &bytes).unwrap();
    let out = redline(&db, &["clip", file.to_str().unwrap()]);
    assert_one_line(&out, "binary data");
    let out = redline_stdin(&db, &["clip", "-", "--format", "html"], &bytes);
    assert_one_line(&out, "binary data");
    let out = redline_stdin(&db, &["clip", "-"], &bytes);
    assert_one_line(&out, "binary data");
    // Served as a page it is refused the same way.
    server.set("/memo", Response::html(bytes.clone()));
    assert_one_line(
        &redline(&db, &["clip", &server.url("/memo")]),
        "binary data",
    );
    assert_eq!(sources(&db), Vec::<Value>::new());
}

#[test]
fn a_page_of_a_million_paragraphs_is_refused_on_every_path() {
    let server = TestServer::start_in_thread();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let mut page = String::from("<html><head><title>Liveblog</title></head><body>");
    for n in 0..300_000 {
        page.push_str(&format!("<p>Update {n}.</p>"));
    }
    page.push_str("</body></html>");
    let file = dir.path().join("liveblog.html");
    std::fs::write(&file, &page).unwrap();
    server.set("/liveblog", Response::html(page.clone()));
    assert_one_line(
        &redline(&db, &["clip", file.to_str().unwrap()]),
        "tags, more than",
    );
    assert_one_line(
        &redline_stdin(&db, &["clip", "-"], page.as_bytes()),
        "tags, more than",
    );
    assert_one_line(
        &redline(&db, &["clip", &server.url("/liveblog")]),
        "tags, more than",
    );
    // Plain text has no tags to count, but as many paragraphs.
    let text: String = (0..30_000).map(|n| format!("Update {n}.\n\n")).collect();
    let notes = dir.path().join("liveblog.txt");
    std::fs::write(&notes, text).unwrap();
    assert_one_line(
        &redline(&db, &["clip", notes.to_str().unwrap()]),
        "paragraphs, more than",
    );
    assert_eq!(sources(&db), Vec::<Value>::new());
}

/// Runs redline as a user who cannot write the library: `nobody` when the
/// tests run as root (root writes through any file mode), else ourselves.
fn redline_unprivileged(db: &Path, args: &[&str]) -> std::process::Child {
    let root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_redline"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_redline"))
    };
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run redline (setpriv when root)")
}

#[test]
fn a_read_only_library_is_read_and_a_write_fails_at_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shelf = dir.path().join("shelf");
    std::fs::create_dir(&shelf).unwrap();
    let db = shelf.join("lib.db");
    let out = redline_stdin(
        &db,
        &["clip", "-", "--format", "text", "--url", "https://wire.example/typhoon"],
        b"Typhoon Fung-wong makes landfall in Luzon\n\nThe storm brought winds of 185 km/h, the weather bureau said.",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Read-only for everyone: the file and the folder its -wal/-shm go in.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&shelf, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let before = std::fs::read(&db).unwrap();

    let listed = wait_or_kill(
        redline_unprivileged(&db, &["sources"]),
        Duration::from_secs(30),
    );
    let err = String::from_utf8_lossy(&listed.stderr);
    assert!(
        listed.status.success(),
        "reading a read-only library failed: {err}"
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Typhoon Fung-wong"));
    let found = wait_or_kill(
        redline_unprivileged(&db, &["search", "landfall"]),
        Duration::from_secs(30),
    );
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );

    // A write is refused in one line, without the retries that made it slow.
    let started = Instant::now();
    let wrote = wait_or_kill(
        redline_unprivileged(&db, &["project", "new", "Typhoon season"]),
        Duration::from_secs(30),
    );
    let took = started.elapsed();
    assert_one_line(&wrote, "read-only");
    assert!(took < Duration::from_secs(3), "the refusal took {took:?}");

    std::fs::set_permissions(&shelf, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(std::fs::read(&db).unwrap() == before, "the library changed");
    assert!(!shelf.join("lib.db-wal").exists() && !shelf.join("lib.db-shm").exists());
}
