//! Signed WACZ exports through the real CLI: a library built from a loopback
//! site (a story fetched, revised, re-checked unchanged; a paste), exported,
//! verified; every kind of tampering caught and named; and the same file
//! read by independent tools from PyPI (`wacz validate`, `warcio check`,
//! pywb replaying the archived page with the original body bytes).

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::cli::{ok, problems, pytool, redline, run_tool, verify, warcio_check};
use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

/// A library file in a temp dir beside a loopback news site: what every
/// library these tests export is built from.
struct Newsroom {
    dir: tempfile::TempDir,
    server: TestServer,
    db: PathBuf,
}

impl Newsroom {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("lib.db");
        Newsroom {
            dir,
            server: TestServer::start_in_thread(),
            db,
        }
    }

    /// Serves `response` at `path` and clips it; its URL.
    fn clip(&self, path: &str, response: Response) -> String {
        self.server.set(path, response);
        let url = self.server.url(path);
        ok(redline(&self.db, &["clip", &url]));
        url
    }

    /// Re-checks source `id`.
    fn check(&self, id: &str) {
        ok(redline(&self.db, &["check", id]));
    }

    /// Clips `text` as pasted, filed under `url`.
    fn paste(&self, url: &str, text: &str) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .arg("--db")
            .arg(&self.db)
            .args(["clip", "-", "--format", "text", "--url", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
}

/// Exports every source of `db` as a WACZ titled `title` to `to`; what the
/// command printed.
fn export_all(db: &std::path::Path, title: &str, to: &std::path::Path) -> String {
    ok(redline(
        db,
        &[
            "export",
            "wacz",
            "--all",
            "--title",
            title,
            "-o",
            to.to_str().unwrap(),
        ],
    ))
}

/// A library with a fetched story in two versions plus an unchanged
/// re-check, a second story in Chinese, and a paste; exported as `out.wacz`.
struct Fixture {
    _room: Newsroom,
    db: PathBuf,
    wacz: PathBuf,
    story_url: String,
    v2_page: String,
}

fn fixture() -> Fixture {
    let room = Newsroom::new();
    let v1 = wire::page(&wire::story_v1(), 1);
    let v2 = wire::page(&wire::story_v2(), 1);
    let story_url = room.clip("/world/talks", Response::html(v1).header("ETag", "\"v1\""));
    room.clip(
        "/zh/rail",
        Response::html(wire::page(&wire::chinese_v1(), 2)),
    );
    room.server.set(
        "/world/talks",
        Response::html(v2.clone()).header("ETag", "\"v2\""),
    );
    room.check("1");
    room.check("1");
    room.paste(
        "https://wire.example/notes/briefing",
        "Briefing notes\n\nThe envoy said talks would resume «within weeks».",
    );
    let wacz = room.dir.path().join("out.wacz");
    let out = export_all(&room.db, "Talks beat", &wacz);
    assert!(out.contains("Signed by key"), "{out}");
    Fixture {
        db: room.db.clone(),
        _room: room,
        wacz,
        story_url,
        v2_page: v2,
    }
}

/// The zip's entries, in order.
fn entries(wacz: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(wacz)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The WARC's records, decompressed, one per gzip member.
fn records(warc: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = std::io::BufReader::new(warc);
    loop {
        if std::io::BufRead::fill_buf(&mut rest).unwrap().is_empty() {
            return out;
        }
        let mut gz = flate2::bufread::GzDecoder::new(&mut rest);
        let mut bytes = Vec::new();
        gz.read_to_end(&mut bytes).unwrap();
        out.push(bytes);
    }
}

fn warc_of(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(r).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", redline::hash::sha256_hex(bytes))
}

/// Edits the records of `wacz` and writes the result. With `rehash`, the
/// forger also updates every hash in `datapackage.json` and the digest file
/// (all but the signature); with `resign`, signs with a key of their own.
fn forge(
    wacz: &[u8],
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
    rehash: bool,
    resign: Option<&redline::export::wacz::Signer>,
) -> Vec<u8> {
    let mut files = entries(wacz);
    let warc_at = files
        .iter()
        .position(|(n, _)| n == "archive/data.warc.gz")
        .unwrap();
    let mut recs = records(&files[warc_at].1);
    edit(&mut recs);
    files[warc_at].1 = warc_of(&recs);
    if rehash {
        let hashes: Vec<(String, String, usize)> = files
            .iter()
            .map(|(n, b)| (n.clone(), sha256_label(b), b.len()))
            .collect();
        let pkg_at = files
            .iter()
            .position(|(n, _)| n == "datapackage.json")
            .unwrap();
        let mut pkg: Value = serde_json::from_slice(&files[pkg_at].1).unwrap();
        for r in pkg["resources"].as_array_mut().unwrap() {
            let (_, hash, len) = hashes
                .iter()
                .find(|(n, ..)| n == r["path"].as_str().unwrap())
                .unwrap();
            r["hash"] = Value::from(hash.clone());
            r["bytes"] = Value::from(*len);
        }
        files[pkg_at].1 = serde_json::to_vec_pretty(&pkg).unwrap();
        let pkg_hash = sha256_label(&files[pkg_at].1);
        let dig_at = files
            .iter()
            .position(|(n, _)| n == "datapackage-digest.json")
            .unwrap();
        let mut dig: Value = serde_json::from_slice(&files[dig_at].1).unwrap();
        dig["hash"] = Value::from(pkg_hash.clone());
        dig["signedData"]["hash"] = Value::from(pkg_hash.clone());
        if let Some(signer) = resign {
            dig["signedData"]["signature"] = Value::from(signer.sign(pkg_hash.as_bytes()));
            dig["signedData"]["publicKey"] = Value::from(signer.public_key());
        }
        files[dig_at].1 = serde_json::to_vec_pretty(&dig).unwrap();
    }
    zip_of(&files)
}

/// Rewrites one header of the first record of `kind`.
fn set_header(recs: &mut [Vec<u8>], kind: &str, name: &str, value: &str) {
    let r = recs
        .iter_mut()
        .find(|r| String::from_utf8_lossy(r).contains(&format!("WARC-Type: {kind}\r\n")))
        .unwrap();
    let text = String::from_utf8_lossy(r).into_owned();
    let start = text.find(&format!("{name}: ")).unwrap();
    let end = start + text[start..].find("\r\n").unwrap();
    let edited = format!("{}{name}: {value}{}", &text[..start], &text[end..]);
    *r = edited.into_bytes();
}

#[test]
fn an_export_verifies_and_every_kind_of_tampering_is_named() {
    let f = fixture();
    let (ok_, report) = verify(&f.wacz, &[]);
    assert!(ok_, "a fresh export fails: {report}");
    assert_eq!(report["signed"], true);
    // warcinfo; fetch v1 (request, response, metadata); zh (3); v2 (3);
    // unchanged re-check (revisit, metadata); paste (resource, metadata);
    // versions' texts: 2 + 1 + 1.
    assert_eq!(report["records"], 1 + 3 + 3 + 3 + 2 + 2 + 4, "{report}");
    let key = ok(redline(&f.db, &["--json", "export", "key"]));
    let key: Value = serde_json::from_str(&key).unwrap();
    assert_eq!(report["publicKey"], key["publicKey"]);
    let (with_key, _) = verify(&f.wacz, &["--key", key["publicKey"].as_str().unwrap()]);
    assert!(with_key);

    let original = std::fs::read(&f.wacz).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, bytes: Vec<u8>, needle: &str| {
        let path = dir.path().join(format!("{name}.wacz"));
        std::fs::write(&path, bytes).unwrap();
        let (passed, report) = verify(&path, &[]);
        assert!(!passed, "{name}: tampering passed: {report}");
        assert!(
            problems(&report).contains(needle),
            "{name}: expected a problem naming {needle:?}, got:\n{}",
            problems(&report)
        );
    };
    let flip_body = |recs: &mut Vec<Vec<u8>>| {
        let r = recs
            .iter_mut()
            .find(|r| String::from_utf8_lossy(r).contains("WARC-Type: response"))
            .unwrap();
        let at = r.len() - 200;
        r[at] ^= 0x20;
    };
    // A byte of an archived page.
    check(
        "byte",
        forge(&original, flip_body, false, None),
        "archive/data.warc.gz: its bytes do not match",
    );
    check(
        "byte-rehashed",
        forge(&original, flip_body, true, None),
        "its payload digest does not match",
    );
    check(
        "byte-rehashed-sig",
        forge(&original, flip_body, true, None),
        "signature: the signature does not match",
    );
    // A header, a URL, a time.
    check(
        "header",
        forge(
            &original,
            |r| set_header(r, "response", "Content-Type", "text/plain"),
            true,
            None,
        ),
        "signature: the signature does not match",
    );
    check(
        "url",
        forge(
            &original,
            |r| {
                set_header(
                    r,
                    "response",
                    "WARC-Target-URI",
                    "https://elsewhere.example/world/talks",
                )
            },
            true,
            None,
        ),
        "signature: the signature does not match",
    );
    check(
        "time",
        forge(
            &original,
            |r| set_header(r, "response", "WARC-Date", "2020-01-01T00:00:00Z"),
            true,
            None,
        ),
        "signature: the signature does not match",
    );
    // The order, and a record removed: the index no longer points at them.
    check(
        "order",
        forge(&original, |r| r.swap(2, 5), true, None),
        "index line",
    );
    check(
        "removed",
        forge(
            &original,
            |r| {
                let at = r
                    .iter()
                    .rposition(|x| String::from_utf8_lossy(x).contains("WARC-Type: revisit"))
                    .unwrap();
                r.remove(at);
            },
            true,
            None,
        ),
        "points at no record",
    );
    // Not even the first record may go: warcinfo comes first.
    check(
        "no-warcinfo",
        forge(
            &original,
            |r| {
                r.remove(0);
            },
            true,
            None,
        ),
        "the first record is not warcinfo",
    );

    // A forger who re-signs the archive with their own key makes a
    // self-consistent file, but not one signed by this library's key.
    let forger =
        redline::export::wacz::Signer::load_or_create(&dir.path().join("forger.pem")).unwrap();
    let resigned = forge(&original, |_| {}, true, Some(&forger));
    let path = dir.path().join("resigned.wacz");
    std::fs::write(&path, resigned).unwrap();
    let (passed, report) = verify(&path, &[]);
    assert!(passed, "re-signed is self-consistent: {report}");
    assert_ne!(report["publicKey"], key["publicKey"]);
    let (passed, report) = verify(&path, &["--key", key["publicKey"].as_str().unwrap()]);
    assert!(!passed);
    assert!(problems(&report).contains("not the key given"), "{report}");
}

#[test]
fn independent_tools_validate_read_and_replay_the_export() {
    let f = fixture();
    let work = tempfile::tempdir().unwrap();
    run_tool(
        Command::new(pytool("wacz"))
            .args(["validate", "-f"])
            .arg(&f.wacz),
    );

    let warc = entries(&std::fs::read(&f.wacz).unwrap())
        .into_iter()
        .find(|(n, _)| n == "archive/data.warc.gz")
        .unwrap()
        .1;
    let warc_path = work.path().join("data.warc.gz");
    std::fs::write(&warc_path, &warc).unwrap();
    warcio_check(&warc_path);
    let index = run_tool(Command::new(pytool("warcio")).arg("index").arg(&warc_path));
    assert_eq!(index.lines().count(), records(&warc).len(), "{index}");

    // pywb: unpack into a collection, serve it, fetch the page as archived.
    run_tool(
        Command::new(pytool("wb-manager"))
            .current_dir(work.path())
            .args(["init", "talks"]),
    );
    run_tool(
        Command::new(pytool("wb-manager"))
            .current_dir(work.path())
            .args(["add", "--unpack-wacz", "talks"])
            .arg(&f.wacz),
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut wayback = Command::new(pytool("wayback"))
        .current_dir(work.path())
        .args(["-b", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The unchanged re-check is a revisit of the v2 response: asking for the
    // latest capture resolves through it to v2's bytes.
    let replay = format!("http://127.0.0.1:{port}/talks/2100id_/{}", f.story_url);
    let body = rt.block_on(async {
        let client = reqwest::Client::new();
        for _ in 0..150 {
            if let Ok(r) = client.get(&replay).send().await {
                return Some((r.status().as_u16(), r.bytes().await.unwrap().to_vec()));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    });
    let _ = wayback.kill();
    let stderr = {
        let mut s = String::new();
        let _ = wayback.stderr.take().unwrap().read_to_string(&mut s);
        s
    };
    let _ = wayback.wait();
    let (status, body) = body.unwrap_or_else(|| panic!("pywb did not answer: {stderr}"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        body == f.v2_page.as_bytes(),
        "pywb replayed other bytes than the site served ({} vs {} bytes)",
        body.len(),
        f.v2_page.len()
    );
}

/// The record of `kind` whose target is `url`, decompressed.
fn record_for(recs: &[Vec<u8>], kind: &str, url: &str) -> String {
    let found = recs
        .iter()
        .map(|r| String::from_utf8_lossy(r).into_owned())
        .find(|r| {
            r.contains(&format!("WARC-Type: {kind}\r\n"))
                && r.contains(&format!("WARC-Target-URI: {url}\r\n"))
        });
    found.unwrap_or_else(|| panic!("no {kind} record for {url}"))
}

/// The HTTP part of a WARC record: its block, between the WARC headers and
/// the record's closing blank lines.
fn http_part(record: &str) -> &str {
    let block = record.split_once("\r\n\r\n").unwrap().1;
    block.strip_suffix("\r\n\r\n").unwrap()
}

/// Runs SQL on a library file directly (what an older build left behind).
fn sql(db: &std::path::Path, statements: &[&str]) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    });
}

/// A desk's story served with the site's own headers, clipped, re-checked
/// unchanged and answered 304, then exported.
struct Desk {
    dir: tempfile::TempDir,
    server: TestServer,
    db: PathBuf,
    url: String,
    page: String,
}

fn desk() -> Desk {
    let room = Newsroom::new();
    let page = wire::page(&wire::story_v1(), 3);
    let url = room.clip(
        "/asia/pact",
        Response::html(page.clone())
            .header("X-Story-Desk", "Asia")
            .header("Cache-Control", "max-age=60, public")
            .header("ETag", "\"pact-1\""),
    );
    room.check("1");
    let Newsroom { dir, server, db } = room;
    Desk {
        dir,
        server,
        db,
        url,
        page,
    }
}

fn export(db: &std::path::Path, to: &std::path::Path) -> Vec<u8> {
    export_all(db, "Asia desk", to);
    std::fs::read(to).unwrap()
}

fn warc_in(wacz: &[u8]) -> Vec<u8> {
    entries(wacz)
        .into_iter()
        .find(|(n, _)| n == "archive/data.warc.gz")
        .unwrap()
        .1
}

#[test]
fn a_fetched_page_exports_with_the_heads_it_was_served_and_sent_with() {
    let d = desk();
    // A third check the server answers 304 (after a HEAD it also answers
    // 304, which is no reason to skip the GET): a revisit with its own head.
    d.server.set_handler("/asia/pact", |_| {
        Response::new(304, "text/html", "")
            .header("X-Story-Desk", "Asia")
            .header("ETag", "\"pact-1\"")
    });
    ok(redline(&d.db, &["check", "1"]));
    let wacz_path = d.dir.path().join("desk.wacz");
    let wacz = export(&d.db, &wacz_path);
    let (passed, report) = verify(&wacz_path, &[]);
    assert!(passed, "{report}");

    let recs = records(&warc_in(&wacz));
    let response = record_for(&recs, "response", &d.url);
    assert!(
        response.contains("WARC-Redline-Headers: recorded\r\n"),
        "{response}"
    );
    let http = http_part(&response);
    assert!(http.starts_with("HTTP/1.1 200 OK\r\n"), "{http}");
    for line in [
        "x-story-desk: Asia\r\n",
        "cache-control: max-age=60, public\r\n",
        "etag: \"pact-1\"\r\n",
        &format!("content-length: {}\r\n", d.page.len()),
    ] {
        assert!(http.contains(line), "{line:?} missing from:\n{http}");
    }
    assert!(http.ends_with(&format!("\r\n\r\n{}", d.page)));

    // The request record holds what the server received, header for header.
    let request = record_for(&recs, "request", &d.url);
    assert!(request.contains("WARC-Redline-Headers: recorded\r\n"));
    let sent = http_part(&request);
    let first = &d.server.requests()[0];
    assert_eq!(
        sent.lines().next().unwrap(),
        format!("GET {} HTTP/1.1", first.path)
    );
    let sent_headers: Vec<(String, String)> = sent
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(": ").unwrap();
            (n.to_string(), v.to_string())
        })
        .collect();
    let received: Vec<(String, String)> = first
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    assert_eq!(sent_headers, received);

    // The unchanged re-check and the 304 are revisits carrying their own heads.
    let revisits: Vec<String> = recs
        .iter()
        .map(|r| String::from_utf8_lossy(r).into_owned())
        .filter(|r| r.contains("WARC-Type: revisit\r\n"))
        .collect();
    assert_eq!(revisits.len(), 2);
    assert!(http_part(&revisits[0]).starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(http_part(&revisits[1]).starts_with("HTTP/1.1 304 Not Modified\r\n"));
    for r in &revisits {
        assert!(r.contains("WARC-Redline-Headers: recorded\r\n"));
        assert!(http_part(r).contains("x-story-desk: Asia\r\n"));
    }
    let meta = record_for(&recs, "metadata", &d.url);
    assert!(meta.contains("\"httpHeaders\": \"recorded\""), "{meta}");

    // warcio reads the server's own header from the response record, and its
    // digests (over the recorded head and the body) check.
    let warc_path = d.dir.path().join("data.warc.gz");
    std::fs::write(&warc_path, warc_in(&wacz)).unwrap();
    let read = run_tool(
        Command::new(pytool("python"))
            .arg("-c")
            .arg(
                "import sys\n\
                 from warcio.archiveiterator import ArchiveIterator\n\
                 for r in ArchiveIterator(open(sys.argv[1], 'rb')):\n\
                 \x20   if r.rec_type in ('response', 'revisit'):\n\
                 \x20       print(r.rec_type, r.http_headers.get_statuscode(), r.http_headers.get_header('X-Story-Desk'))\n",
            )
            .arg(&warc_path),
    );
    assert_eq!(
        read.lines().collect::<Vec<_>>(),
        ["response 200 Asia", "revisit 200 Asia", "revisit 304 Asia"],
        "{read}"
    );
    warcio_check(&warc_path);
}

#[test]
fn a_capture_from_before_heads_were_kept_exports_as_reconstructed() {
    let d = desk();
    // Captures as an older build left them, upgraded: rows without heads.
    // (Dropping the heads tables and their migration record no longer
    // passes for an older library: later migrations are applied.)
    sql(
        &d.db,
        &["DELETE FROM capture_heads", "DELETE FROM http_heads"],
    );
    let wacz_path = d.dir.path().join("old.wacz");
    let wacz = export(&d.db, &wacz_path);
    let (passed, report) = verify(&wacz_path, &[]);
    assert!(passed, "{report}");
    let recs = records(&warc_in(&wacz));
    for kind in ["request", "response", "revisit"] {
        let r = record_for(&recs, kind, &d.url);
        assert!(
            r.contains("WARC-Redline-Headers: reconstructed\r\n"),
            "{kind}: {r}"
        );
        assert!(!http_part(&r).contains("X-Story-Desk"), "{r}");
    }
    let meta = record_for(&recs, "metadata", &d.url);
    assert!(
        meta.contains("\"httpHeaders\": \"reconstructed\""),
        "{meta}"
    );
    // Captures from now on keep their heads again (a new ETag, so the
    // re-check is a full GET, not a HEAD that shows the last validators).
    d.server.set(
        "/asia/pact",
        Response::html(d.page.clone())
            .header("X-Story-Desk", "Asia")
            .header("ETag", "\"pact-2\""),
    );
    ok(redline(&d.db, &["check", "1"]));
    let again = records(&warc_in(&export(&d.db, &wacz_path)));
    let newest = again
        .iter()
        .map(|r| String::from_utf8_lossy(r).into_owned())
        .rfind(|r| r.contains("WARC-Type: revisit\r\n"))
        .unwrap();
    assert!(newest.contains("WARC-Redline-Headers: recorded\r\n"));
}

#[test]
fn tampering_with_a_recorded_header_is_caught() {
    let d = desk();
    let wacz_path = d.dir.path().join("desk.wacz");
    let original = export(&d.db, &wacz_path);
    let edit = |r: &mut Vec<Vec<u8>>| set_header(r, "response", "x-story-desk", "Europe");
    let cases = [
        (
            "header",
            false,
            "archive/data.warc.gz: its bytes do not match",
            "files",
        ),
        (
            "header-rehashed",
            true,
            "its block digest does not match",
            "records",
        ),
    ];
    for (name, rehash, needle, failed) in cases {
        let path = d.dir.path().join(format!("{name}.wacz"));
        std::fs::write(&path, forge(&original, edit, rehash, None)).unwrap();
        let (passed, report) = verify(&path, &[]);
        assert!(!passed, "{name}: tampering passed: {report}");
        assert!(
            problems(&report).contains(needle),
            "{name}: expected {needle:?}, got:\n{}",
            problems(&report)
        );
        // The app lists each check: the one the edit broke fails, with it.
        let checks = report["checks"].as_array().unwrap();
        let broke = checks.iter().find(|c| c["kind"] == failed).unwrap();
        assert_eq!(broke["passed"], false, "{name}: {broke}");
        assert!(broke["problems"].to_string().contains(needle), "{broke}");
        let signature = checks.iter().find(|c| c["kind"] == "signature").unwrap();
        assert_eq!(signature["passed"], !rehash, "{name}: {signature}");
    }
    let (passed, report) = verify(&wacz_path, &[]);
    assert!(passed);
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5);
    for c in checks {
        let expected = if c["kind"] == "timestamp" {
            Value::Null
        } else {
            Value::Bool(true)
        };
        assert_eq!(c["passed"], expected, "{c}");
    }
    // The response and the unchanged re-check's revisit (a request record
    // goes with the first response only).
    assert_eq!(
        report["headsRecorded"], 3,
        "request, response, revisit: {report}"
    );
    assert_eq!(report["headsReconstructed"], 0);
}

#[test]
fn a_head_over_the_bound_is_not_kept_and_exports_as_reconstructed() {
    let room = Newsroom::new();
    // A cookie wall's 70 KB of Set-Cookie: over the 64 KiB a head may take.
    let url = room.clip(
        "/asia/cookies",
        Response::html(wire::page(&wire::story_v2(), 1))
            .header("X-Story-Desk", "Asia")
            .header("Set-Cookie", &format!("consent={}", "y".repeat(70_000))),
    );
    let wacz_path = room.dir.path().join("cookies.wacz");
    let recs = records(&warc_in(&export(&room.db, &wacz_path)));
    let response = record_for(&recs, "response", &url);
    assert!(
        response.contains("WARC-Redline-Headers: reconstructed\r\n"),
        "{}",
        &response[..600]
    );
    assert!(!response.contains("consent="));
    let (passed, report) = verify(&wacz_path, &[]);
    assert!(passed, "{report}");
}

/// A story re-checked again and again: each answer has its own `Date` and
/// `Age`, some are 200 with the same bytes and some 304. The library keeps
/// most of those heads as deltas on an earlier one (issue 16.3), and the
/// export must still give each record the head that answer came with, byte
/// for byte.
#[test]
fn a_story_rechecked_many_times_exports_each_answer_with_its_own_head() {
    use std::sync::{Arc, Mutex};
    let room = Newsroom::new();
    let page = wire::page(&wire::story_v1(), 5);
    // What the server wrote, head by head (names lowercase and the length
    // given, so the recorded head is the bytes on the wire).
    let sent: Arc<Mutex<Vec<String>>> = Arc::default();
    let (log, body) = (sent.clone(), page.clone());
    room.server.set_handler("/europe/summit-talks", move |req| {
        let mut log = log.lock().unwrap();
        let n = log.len();
        let date = chrono::DateTime::from_timestamp(1_796_000_000 + n as i64 * 3_601, 0)
            .unwrap()
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        // From the fifth answer on, the site sends an ETag and honours it.
        let etag = (n >= 4).then_some("\"summit-7\"");
        let not_modified = etag.is_some() && req.header("if-none-match") == etag;
        let mut headers = vec![
            ("content-type", "text/html; charset=utf-8".to_string()),
            ("date", date),
            ("server", "nginx".into()),
            ("cache-control", "public, max-age=60".into()),
            ("age", (n * 7 % 60).to_string()),
            ("x-cache", if n % 2 == 0 { "HIT" } else { "MISS" }.into()),
        ];
        if let Some(e) = etag {
            headers.push(("etag", e.into()));
        }
        let mut r = if not_modified {
            Response::new(304, "text/html; charset=utf-8", "")
        } else {
            headers.push(("content-length", body.len().to_string()));
            Response::html(body.clone())
        };
        r.headers.clear();
        let mut head = if not_modified {
            "HTTP/1.1 304 Not Modified\r\n".to_string()
        } else {
            "HTTP/1.1 200 OK\r\n".to_string()
        };
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
            r = r.header(name, &value);
        }
        head.push_str("\r\n");
        log.push(head);
        r
    });
    let url = room.server.url("/europe/summit-talks");
    ok(redline(&room.db, &["clip", &url]));
    for _ in 0..8 {
        room.check("1");
    }
    let sent = sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 9);
    assert!(sent.iter().filter(|h| h.contains(" 304 ")).count() >= 3);

    // Most heads are stored as deltas, not whole.
    let deltas = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            use sqlx::Connection;
            let url = format!("sqlite://{}", room.db.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let n: i64 =
                sqlx::query_scalar("SELECT count(*) FROM http_heads WHERE base_id IS NOT NULL")
                    .fetch_one(&mut conn)
                    .await
                    .unwrap();
            conn.close().await.unwrap();
            n
        })
    };
    assert!(deltas >= 5, "only {deltas} heads stored as deltas");

    let wacz_path = room.dir.path().join("summit.wacz");
    let wacz = export(&room.db, &wacz_path);
    let (passed, report) = verify(&wacz_path, &[]);
    assert!(passed, "{report}");
    let exported: Vec<String> = records(&warc_in(&wacz))
        .iter()
        .map(|r| String::from_utf8_lossy(r).into_owned())
        .filter(|r| {
            (r.contains("WARC-Type: response\r\n") || r.contains("WARC-Type: revisit\r\n"))
                && r.contains(&format!("WARC-Target-URI: {url}\r\n"))
        })
        .map(|r| {
            assert!(r.contains("WARC-Redline-Headers: recorded\r\n"), "{r}");
            let http = r.split_once("\r\n\r\n").unwrap().1;
            let end = http.find("\r\n\r\n").unwrap() + 4;
            http[..end].to_string()
        })
        .collect();
    assert_eq!(exported, sent);
}
