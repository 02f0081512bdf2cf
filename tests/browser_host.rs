//! The browser extension's native messaging host, spoken to as a browser
//! does: the real `redline-browser-host` binary on a pipe, 4-byte native
//! length + JSON, over a real SQLite library in a temp dir.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use redline::hash::sha256_hex;
use redline::notebook::{Notebook, Settings};
use redline::versions::{self, CaptureMethod};
use redline::Db;
use serde_json::{json, Value};

/// A running host over one library.
struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
}

impl Host {
    fn start(db: &Path) -> Host {
        let mut child = Command::cargo_bin("redline-browser-host")
            .unwrap()
            // What Chrome passes; the host must not care.
            .arg("chrome-extension://kcdlnldlmlekhghelocfiijmckgpofki/")
            .env("REDLINE_DB", db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        Host {
            child,
            stdin,
            stdout,
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(&(body.len() as u32).to_ne_bytes()).unwrap();
        w.write_all(body).unwrap();
        w.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = [0u8; 4];
        self.stdout.read_exact(&mut len).unwrap();
        let len = u32::from_ne_bytes(len) as usize;
        assert!(len < 1 << 20, "a reply must stay under the browser's 1 MiB");
        let mut body = vec![0u8; len];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn ask(&mut self, request: &Value) -> Value {
        self.send_raw(&serde_json::to_vec(request).unwrap());
        self.recv()
    }

    /// Closes the pipe as a browser does and expects a clean exit.
    fn finish(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "host exited with {status}");
    }
}

struct Library {
    dir: tempfile::TempDir,
}

impl Library {
    fn new() -> Library {
        Library {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("library.db")
    }

    async fn notebook(&self) -> Notebook {
        Notebook::open(self.path(), Settings::default())
            .await
            .unwrap()
    }
}

const URL: &str = "https://harbourgazette.example/news/2026/11/port-authority-chief-resigns";

/// A news page as the browser serialises it after its scripts ran: the
/// article body was put there by `render.js` (the served HTML had only an
/// empty `<div id="story">`), so only a browser capture has its text.
fn rendered_page(extra: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Port authority chief resigns after audit | Harbour Gazette</title>
<script src="/static/render.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/subscribe">Subscribe</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept all</button></div>
<main><article><h1>Port authority chief resigns after audit</h1>
<p class="byline">By Amira Haddad, Transport Correspondent</p>
<div id="story">
<figure><img src="/img/quay.jpg" alt=""><figcaption>Container cranes at the east quay, where the audit found €4.2m in unbilled berthing fees.</figcaption></figure>
<p>The head of the Harbour Port Authority, Daniel Okafor, resigned on Tuesday, two days after an external audit found that €4.2m in berthing fees had gone unbilled over three years.</p>
<p>“I take responsibility for the failings the auditors describe,” Mr Okafor said in a statement released at 6pm. “The authority deserves a fresh start.”</p>
<p>The audit, commissioned by the city council in March, reviewed 11,480 invoices and found that 312 vessels had berthed without a recorded charge.</p>
{extra}
<p>Councillor Rosa Lindqvist, who chairs the finance committee, said the council would publish the full report on Friday.</p>
</div></article></main>
<aside><h2>Most read</h2><ul><li>Ferry timetable changes</li><li>Harbour festival dates</li></ul></aside>
<footer>© 2026 Harbour Gazette. All rights reserved.</footer></body></html>"#
    )
}

fn clip(dom: &str, selection: Option<&str>) -> Value {
    let mut m = json!({
        "type": "clip",
        "url": URL,
        "dom": dom,
        "title": "Port authority chief resigns after audit | Harbour Gazette",
        "browser": "Chromium",
        "browserVersion": "131.0.6778.85",
        "extensionVersion": "0.1.0",
        "capturedAt": "2026-11-30T14:05:09.120Z",
    });
    if let Some(s) = selection {
        m["selection"] = json!(s);
    }
    m
}

#[tokio::test]
async fn a_rendered_page_enters_the_version_chain_as_a_browser_capture() {
    let lib = Library::new();
    let mut host = Host::start(&lib.path());
    let dom = rendered_page("");

    let first = host.ask(&clip(&dom, None));
    assert_eq!(first["type"], "clipped", "{first}");
    assert_eq!(first["status"], "new_source");
    assert_eq!(first["versionSeq"], 1);

    let again = host.ask(&clip(&dom, None));
    assert_eq!(again["status"], "unchanged", "{again}");
    assert_eq!(again["versionId"], first["versionId"]);

    let revised = rendered_page(
        "<p>Update, 8.40pm: the authority's deputy, Ines Moreau, will lead it until a successor is appointed.</p>",
    );
    let second = host.ask(&clip(&revised, None));
    assert_eq!(second["status"], "new_version", "{second}");
    assert_eq!(second["versionSeq"], 2);
    assert_eq!(second["sourceId"], first["sourceId"]);
    host.finish();

    let nb = lib.notebook().await;
    let source = first["sourceId"].as_i64().unwrap();
    let v1 = nb.version_of(source, Some(1)).await.unwrap();
    assert!(
        v1.text.contains("312 vessels had berthed"),
        "the script-rendered text is in the version"
    );
    assert!(!v1.text.contains("Accept all"), "page furniture is not");
    let v2 = nb.version_of(source, Some(2)).await.unwrap();
    assert!(v2.text.contains("Ines Moreau"));

    let captures = nb.captures(source).await.unwrap();
    assert_eq!(captures.len(), 3);
    for c in &captures {
        assert_eq!(c.method, CaptureMethod::Browser.as_str());
        assert_eq!(c.final_url.as_deref(), Some(URL));
    }
    // The evidence: the DOM bytes exactly as sent, their hash, who sent them.
    let db = Db::open(lib.path()).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let last = captures.last().unwrap();
    let raw = versions::capture_raw(&mut conn, last.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw, revised.as_bytes());
    assert_eq!(last.raw_sha256.as_deref(), Some(sha256_hex(&raw).as_str()));
    let p = nb.browser_provenance(last.id).await.unwrap().unwrap();
    assert_eq!(p.browser, "Chromium");
    assert_eq!(p.browser_version, "131.0.6778.85");
    assert_eq!(p.extension_version, "0.1.0");
    assert_eq!(p.rendered_at, "2026-11-30T14:05:09.120Z");

    // The evidence bundle says which captures the browser sent, and by whom.
    let bundle = lib.dir.path().join("bundle.zip");
    let manifest = nb.export_bundle(source, &bundle).await.unwrap();
    let sent = &manifest.captures[2];
    assert_eq!(sent.method, "browser");
    assert_eq!(sent.raw_sha256, last.raw_sha256);
    assert_eq!(
        sent.browser.as_ref().unwrap().browser_version,
        "131.0.6778.85"
    );
}

#[tokio::test]
async fn the_selection_becomes_a_highlight_or_a_clear_error() {
    let lib = Library::new();
    let mut host = Host::start(&lib.path());
    let dom = rendered_page("");
    // As `getSelection().toString()` gives it: one newline between paragraphs.
    let selection = "three years.\n“I take responsibility for the failings the auditors describe,”";
    let reply = host.ask(&clip(&dom, Some(selection)));
    assert_eq!(reply["type"], "clipped", "{reply}");
    let highlight = reply["highlightId"].as_i64().expect("a highlight");
    assert_eq!(reply["selectionError"], Value::Null);

    // Unchanged page: the highlight goes on the version it already has.
    let again = host.ask(&clip(&dom, Some("312 vessels")));
    assert_eq!(again["status"], "unchanged");
    assert!(again["highlightId"].as_i64().is_some(), "{again}");

    // The cookie banner is not in the article: the clip stays, the reply says why.
    let off = host.ask(&clip(&dom, Some("We use cookies.")));
    assert_eq!(off["type"], "clipped", "{off}");
    assert_eq!(off["highlightId"], Value::Null);
    assert_eq!(off["selectionError"]["code"], "selection_not_found");
    host.finish();

    let nb = lib.notebook().await;
    let source = reply["sourceId"].as_i64().unwrap();
    let hs = nb.highlights_of_source(source).await.unwrap();
    assert_eq!(hs.len(), 2);
    let h = hs.iter().find(|h| h.id == highlight).unwrap();
    assert_eq!(h.version_id, reply["versionId"].as_i64().unwrap());
    assert!(h.text.starts_with("three years.\n\n“I take responsibility"));
    assert_eq!(nb.captures(source).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_legacy_charset_page_is_read_as_the_utf8_the_browser_sent() {
    // A Cyrillic page served as windows-1251 keeps its meta tag in the
    // serialised DOM, but the DOM reaches the host as UTF-8 JSON text.
    let dom = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Мэр Тихорецка ушёл в отставку</title></head><body><article>
<h1>Мэр Тихорецка ушёл в отставку</h1><p>Автор: Ольга Семёнова</p>
<p>Мэр Тихорецка Андрей Белов объявил об отставке в среду, через неделю после того, как прокуратура начала проверку муниципальных закупок.</p>
<p>«Я ухожу, чтобы не мешать следствию», — сказал Белов журналистам. По данным прокуратуры, контракты на 38 млн рублей заключались без конкурса.</p>
</article></body></html>"#;
    let lib = Library::new();
    let mut host = Host::start(&lib.path());
    let mut m = clip(dom, Some("«Я ухожу, чтобы не мешать следствию»"));
    m["url"] = json!("https://tikhoretsk-news.example/2026/11/mer");
    let reply = host.ask(&m);
    assert_eq!(reply["type"], "clipped", "{reply}");
    assert!(reply["highlightId"].as_i64().is_some(), "{reply}");
    host.finish();
    let nb = lib.notebook().await;
    let v = nb
        .version(reply["versionId"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(v.title, "Мэр Тихорецка ушёл в отставку");
    assert!(v.text.contains("38 млн рублей"));
}

#[tokio::test]
async fn lookup_tells_the_badge_what_the_library_knows() {
    let lib = Library::new();
    let mut host = Host::start(&lib.path());
    let none = host.ask(&json!({"type": "lookup", "url": URL}));
    assert_eq!(none, json!({"type": "page", "source": null}));

    let first = host.ask(&clip(&rendered_page(""), None));
    let source = first["sourceId"].as_i64().unwrap();
    let nb = lib.notebook().await;
    nb.set_watched(&[source], true).await.unwrap();
    nb.mark_viewed(source, first["versionId"].as_i64().unwrap())
        .await
        .unwrap();

    // Tracking parameters and the fragment do not make another page.
    let tracked = format!("{URL}?utm_source=newsletter#comments");
    let seen = host.ask(&json!({"type": "lookup", "url": tracked}));
    assert_eq!(seen["source"]["sourceId"], source, "{seen}");
    assert_eq!(seen["source"]["watched"], true);
    assert_eq!(seen["source"]["versionCount"], 1);
    assert_eq!(seen["source"]["changedSinceViewed"], false);

    host.ask(&clip(
        &rendered_page("<p>Correction: the audit covered four years.</p>"),
        None,
    ));
    let changed = host.ask(&json!({"type": "lookup", "url": URL}));
    assert_eq!(changed["source"]["versionCount"], 2, "{changed}");
    assert_eq!(changed["source"]["lastViewedSeq"], 1);
    assert_eq!(changed["source"]["changedSinceViewed"], true);

    let bad = host.ask(&json!({"type": "lookup", "url": "chrome://newtab/"}));
    assert_eq!(bad["type"], "error", "{bad}");
    host.finish();
}

#[tokio::test]
async fn projects_and_tags_are_listed_and_applied() {
    let lib = Library::new();
    let nb = lib.notebook().await;
    let project = nb.create_project("Port audit", "").await.unwrap();
    nb.close().await;

    let mut host = Host::start(&lib.path());
    let clipped = host.ask(&clip(&rendered_page(""), None));
    let source = clipped["sourceId"].as_i64().unwrap();
    let lists = host.ask(&json!({"type": "lists"}));
    assert_eq!(
        lists["projects"],
        json!([{"id": project.id, "name": "Port audit"}])
    );
    let added =
        host.ask(&json!({"type": "add_to_project", "sourceId": source, "projectId": project.id}));
    assert_eq!(added["type"], "added_to_project", "{added}");
    let tagged = host.ask(&json!({"type": "tag", "sourceId": source, "tag": "resignations"}));
    assert_eq!(tagged["type"], "tagged", "{tagged}");
    let lists = host.ask(&json!({"type": "lists"}));
    assert_eq!(lists["tags"][0]["name"], "resignations");
    let missing = host.ask(&json!({"type": "tag", "sourceId": 999, "tag": "x"}));
    assert_eq!(missing["code"], "not_found", "{missing}");
    host.finish();

    let nb = lib.notebook().await;
    assert_eq!(
        nb.projects_of_source(source).await.unwrap()[0].id,
        project.id
    );
    assert_eq!(
        nb.tags_of_source(source).await.unwrap(),
        vec!["resignations"]
    );
}

#[tokio::test]
async fn bad_messages_get_coded_errors_and_the_host_keeps_serving() {
    let lib = Library::new();
    let mut host = Host::start(&lib.path());
    let code = |v: &Value| v["code"].as_str().unwrap_or_default().to_string();

    let r = host.ask(&json!({"type": "fetch", "url": URL}));
    assert_eq!(
        (r["type"].as_str(), code(&r).as_str()),
        (Some("error"), "unknown_type")
    );

    host.send_raw(b"{\"type\": \"ping\"");
    assert_eq!(code(&host.recv()), "bad_json");
    host.send_raw(&[0xff, 0xfe, 0x00]);
    assert_eq!(code(&host.recv()), "bad_json");

    let r = host.ask(&json!({"type": "clip", "url": URL, "dom": "<p>x</p>"}));
    assert_eq!(code(&r), "invalid_message", "{r}");
    assert!(
        r["message"].as_str().unwrap().contains("missing field"),
        "{r}"
    );

    // A cookie jar smuggled in is refused, not ignored.
    let mut smuggled = clip(&rendered_page(""), None);
    smuggled["cookies"] = json!("session=abc");
    assert_eq!(code(&host.ask(&smuggled)), "invalid_message");

    let mut late = clip(&rendered_page(""), None);
    late["capturedAt"] = json!("yesterday");
    assert_eq!(code(&host.ask(&late)), "invalid_message");

    assert_eq!(code(&host.ask(&json!(["ping"]))), "invalid_message");

    // Over the 64 MiB cap: read, discarded, refused; the next message is fine.
    let huge = vec![b' '; (64 << 20) + 1];
    host.send_raw(&huge);
    assert_eq!(code(&host.recv()), "message_too_large");

    let pong = host.ask(&json!({"type": "ping"}));
    assert_eq!(pong["type"], "pong", "{pong}");
    host.finish();
    // Nothing was stored by any of it.
    let nb = lib.notebook().await;
    assert_eq!(nb.count_sources(&Default::default()).await.unwrap(), 0);
}

#[test]
fn install_and_uninstall_write_the_manifests_each_browser_reads() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("xdg-config");
    let host = home.path().join("bin/redline-browser-host");
    std::fs::create_dir_all(host.parent().unwrap()).unwrap();
    std::fs::write(&host, "#!/bin/sh\n").unwrap();
    let redline = |args: &[&str]| {
        let out = Command::cargo_bin("redline")
            .unwrap()
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", &config)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    redline(&["browser", "install", "--host", host.to_str().unwrap()]);

    let ids: Value = serde_json::from_str(include_str!("../extension/ids.json")).unwrap();
    let file = format!("{}.json", ids["hostName"].as_str().unwrap());
    let read = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
    };
    let chromium = read(config.join("chromium/NativeMessagingHosts").join(&file));
    let chrome = read(
        config
            .join("google-chrome/NativeMessagingHosts")
            .join(&file),
    );
    let firefox = read(
        home.path()
            .join(".mozilla/native-messaging-hosts")
            .join(&file),
    );
    let origin = format!(
        "chrome-extension://{}/",
        ids["chromiumId"].as_str().unwrap()
    );
    for m in [&chromium, &chrome, &firefox] {
        assert_eq!(m["path"], host.to_str().unwrap());
        assert_eq!(m["type"], "stdio");
        assert_eq!(m["name"], ids["hostName"]);
    }
    assert_eq!(chromium["allowed_origins"], json!([origin]));
    assert_eq!(chrome["allowed_origins"], json!([origin]));
    assert_eq!(firefox["allowed_extensions"], json!([ids["geckoId"]]));
    assert!(firefox.get("allowed_origins").is_none());

    redline(&["browser", "uninstall", "--browser", "chrome"]);
    assert!(!config
        .join("google-chrome/NativeMessagingHosts")
        .join(&file)
        .exists());
    assert!(config
        .join("chromium/NativeMessagingHosts")
        .join(&file)
        .exists());
    redline(&["browser", "uninstall"]);
    assert!(!config
        .join("chromium/NativeMessagingHosts")
        .join(&file)
        .exists());
    assert!(!home
        .path()
        .join(".mozilla/native-messaging-hosts")
        .join(&file)
        .exists());
}
