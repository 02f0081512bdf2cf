//! `redline import` through the real CLI: a folder of saved pages (UTF-8,
//! windows-1251, Shift_JIS), a URL list and a bookmarks export fetched from
//! a loopback site, a WARC made by `wget --warc-file` against that site
//! (capture times and payload hashes kept, a tampered record refused
//! alone), and a WACZ exported by Redline imported into a fresh library.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli::{json, ok, redline};
use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

/// A saved news page, as a browser's "Save page as" leaves it.
fn story_html(
    charset: &str,
    headline: &str,
    byline: &str,
    paragraphs: &[&str],
    caption: &str,
    canonical: Option<&str>,
) -> String {
    let canonical = canonical
        .map(|u| format!(r#"<link rel="canonical" href="{u}">"#))
        .unwrap_or_default();
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{headline} | The Daily Ledger</title>{canonical}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
<div class="ad">Subscribe for 1 € a week</div>
<article><h1>{headline}</h1><p class="byline">{byline}</p>
<figure><img src="port.jpg" alt=""><figcaption>{caption}</figcaption></figure>
{body}</article>
<footer>© The Daily Ledger · Terms · Privacy</footer></body></html>"#
    )
}

fn english_story() -> String {
    story_html(
        "utf-8",
        "Grain corridor reopens as insurers return to Odesa",
        "By Hannah Kowalski, Odesa",
        &[
            "The first bulk carrier in six weeks left Odesa on Tuesday carrying 62,000 tonnes of maize, port officials said, after three Lloyd's syndicates agreed to write war-risk cover again.",
            "“The premium has halved since August, but it is still ten times what it was before the war,” said Olena Hrytsenko, who runs a shipping agency in the port.",
            "Ukraine's infrastructure ministry said 14 vessels were waiting to load and that it expected exports to reach 3.1 million tonnes in December.",
            "Russia's defence ministry did not respond to a request for comment on whether it would honour the arrangement brokered by Turkey.",
        ],
        "The bulk carrier Aurora Star leaves Odesa. Photo: Daily Ledger",
        Some("https://ledger.example/world/grain-corridor-reopens"),
    )
}

fn russian_story() -> String {
    story_html(
        "windows-1251",
        "В Женеве возобновились переговоры о прекращении огня",
        "Иван Петров, Женева",
        &[
            "Делегации вернулись в Женеву в понедельник для третьего раунда переговоров, сообщили официальные лица, после недели, в течение которой обстрелы унесли жизни не менее 40 мирных жителей.",
            "«Мы настроены осторожно оптимистично», — заявил спецпосланник ООН Ларс Берг, добавив, что стороны согласились обсудить обмен пленными.",
            "Предыдущий раунд сорвался в октябре, когда одна из делегаций покинула зал.",
        ],
        "Делегаты прибывают во Дворец Наций. Фото: Reuters",
        None,
    )
}

fn japanese_story() -> String {
    story_html(
        "Shift_JIS",
        "日銀、追加利上げを見送り　円安進行に警戒",
        "東京＝佐藤健一",
        &[
            "日本銀行は１９日の金融政策決定会合で、政策金利を０．５％に据え置くことを決めた。市場では追加利上げを予想する声もあった。",
            "植田和男総裁は記者会見で「賃金と物価の好循環を見極める必要がある」と述べ、為替の動きを注視する考えを示した。",
            "発表後、円相場は一時１ドル＝１５８円台まで下落した。",
        ],
        "記者会見する植田総裁（１９日、東京）",
        None,
    )
}

fn korean_story() -> String {
    story_html(
        "utf-8",
        "북한, 동해상으로 탄도미사일 발사",
        "서울=김민준 기자",
        &[
            "합동참모본부는 북한이 30일 오전 동해상으로 단거리 탄도미사일 2발을 발사했다고 밝혔다.",
            "합참 관계자는 \"미사일은 약 350km를 비행했다\"며 \"한미 정보당국이 세부 제원을 분석 중\"이라고 말했다.",
        ],
        "서울역 대합실에서 뉴스를 시청하는 시민들 (연합뉴스)",
        None,
    )
}

/// A library file in a fresh temp dir.
fn library() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    (dir, db)
}

fn import(db: &Path, args: &[&str]) -> (Value, String) {
    let mut all = vec!["--json", "import"];
    all.extend_from_slice(args);
    let out = redline(db, &all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (json(&out), stderr)
}

fn sources(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--json", "sources"];
    args.extend_from_slice(extra);
    json(&redline(db, &args)).as_array().unwrap().clone()
}

fn versions(db: &Path, source_id: i64) -> Value {
    json(&redline(
        db,
        &["--json", "versions", &source_id.to_string()],
    ))
}

fn text_of(db: &Path, source_id: i64) -> String {
    let v = json(&redline(db, &["--json", "show", &source_id.to_string()]));
    format!(
        "{}\n{}",
        v["title"].as_str().unwrap_or_default(),
        v["text"].as_str().unwrap_or_default()
    )
}

#[test]
fn a_folder_of_saved_pages_is_imported_in_batches_and_then_recognised() {
    let (dir, db) = library();
    let pages = dir.path().join("saved");
    std::fs::create_dir_all(pages.join("asia")).unwrap();
    std::fs::write(pages.join("grain.html"), english_story()).unwrap();
    let ru = encoding_rs::WINDOWS_1251
        .encode(&russian_story())
        .0
        .into_owned();
    std::fs::write(pages.join("geneva.htm"), &ru).unwrap();
    let ja = encoding_rs::SHIFT_JIS
        .encode(&japanese_story())
        .0
        .into_owned();
    std::fs::write(pages.join("asia/boj.HTML"), &ja).unwrap();
    std::fs::write(pages.join("asia/missile.html"), korean_story()).unwrap();
    // Not a page Redline imports from a folder, and a page that is not text.
    std::fs::write(pages.join("notes.txt"), "call the port authority").unwrap();
    std::fs::write(
        pages.join("asia/broken.html"),
        [0u8, 159, 146, 150, 1, 2, 3, 0].repeat(300),
    )
    .unwrap();

    let (report, stderr) = import(&db, &[pages.to_str().unwrap(), "--batch", "2"]);
    assert_eq!(report["imported"], 4, "{report}");
    assert_eq!(report["newSources"], 4, "{report}");
    assert_eq!(report["duplicates"], 0, "{report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report}");
    assert!(
        failed[0]["item"].as_str().unwrap().ends_with("broken.html"),
        "{report}"
    );
    // Progress went to stderr, a line per batch of 2 (5 pages: 3 batches).
    assert_eq!(stderr.matches("import: [").count(), 3, "{stderr}");
    assert!(stderr.contains("5/5"), "{stderr}");

    let all = sources(&db, &[]);
    assert_eq!(all.len(), 4);
    let by_title = |needle: &str| {
        all.iter()
            .find(|s| s["title"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no source titled {needle}: {all:?}"))
            .clone()
    };
    // The declared canonical address files the saved page; without one, its file: URL.
    let grain = by_title("Grain corridor");
    assert_eq!(
        grain["url"],
        "https://ledger.example/world/grain-corridor-reopens"
    );
    let geneva = by_title("Женеве");
    assert!(
        geneva["url"].as_str().unwrap().starts_with("file:///"),
        "{geneva}"
    );
    assert!(
        geneva["url"].as_str().unwrap().ends_with("/geneva.htm"),
        "{geneva}"
    );
    let text = text_of(&db, geneva["id"].as_i64().unwrap());
    assert!(
        text.contains("«Мы настроены осторожно оптимистично»"),
        "{text}"
    );
    let boj = by_title("日銀");
    let text = text_of(&db, boj["id"].as_i64().unwrap());
    assert!(text.contains("植田和男総裁は記者会見で"), "{text}");
    let caps = versions(&db, boj["id"].as_i64().unwrap());
    assert_eq!(caps["captures"][0]["charset"], "Shift_JIS", "{caps}");
    assert_eq!(caps["captures"][0]["method"], "file", "{caps}");
    assert_eq!(
        caps["captures"][0]["rawSha256"],
        redline::hash::sha256_hex(&ja),
        "the raw bytes are kept as they were saved"
    );

    // Run again (an interrupted import is simply re-run): nothing new.
    let (again, _) = import(&db, &[pages.to_str().unwrap()]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["duplicates"], 4, "{again}");
    assert_eq!(sources(&db, &[]).len(), 4);

    // A page edited since: the same address with new bytes is a new version.
    std::fs::write(
        pages.join("grain.html"),
        english_story().replace("62,000 tonnes", "64,500 tonnes"),
    )
    .unwrap();
    let (edited, _) = import(&db, &[pages.to_str().unwrap()]);
    assert_eq!(edited["imported"], 1, "{edited}");
    assert_eq!(edited["newVersions"], 1, "{edited}");
    assert_eq!(edited["duplicates"], 3, "{edited}");
}

#[test]
fn a_url_list_is_fetched_and_its_failures_are_listed() {
    let (dir, db) = library();
    let server = TestServer::start_in_thread();
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    server.set(
        "/zh/rail",
        Response::html(wire::page(&wire::chinese_v1(), 2)),
    );
    server.set(
        "/gone",
        Response::new(404, "text/html", "<h1>Not found</h1>"),
    );
    let list = dir.path().join("reading.txt");
    std::fs::write(
        &list,
        format!(
            "# Talks beat, week 48\n{}\n\n{}\n{}\nftp://files.example/report.pdf\n# {}\n",
            server.url("/world/talks"),
            server.url("/zh/rail"),
            server.url("/gone"),
            server.url("/commented-out")
        ),
    )
    .unwrap();
    let (report, _) = import(&db, &[list.to_str().unwrap(), "--project", "Talks"]);
    assert_eq!(report["imported"], 2, "{report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{report}");
    assert!(
        failed
            .iter()
            .any(|f| f["item"].as_str().unwrap().contains("/gone (line 5)")),
        "{report}"
    );
    assert!(
        failed
            .iter()
            .any(|f| f["item"].as_str().unwrap().starts_with("ftp://")),
        "{report}"
    );
    assert_eq!(sources(&db, &["--project", "Talks"]).len(), 2);
    assert!(!server.requests().iter().any(|r| r.path == "/commented-out"));

    // Again: what is in is not fetched again.
    let before = server.requests().len();
    let (again, _) = import(&db, &[list.to_str().unwrap()]);
    assert_eq!(again["duplicates"], 2, "{again}");
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(
        server.requests().len() - before,
        1,
        "only the failed URL is tried again"
    );
}

/// A batch is not held open while its next item is slow to come: a URL
/// behind the politeness gate or a slow site would otherwise keep the
/// library's write lock, and what was already fetched out of every other
/// reader's sight, for as long as the wait.
#[test]
fn a_page_already_fetched_is_committed_while_the_next_is_slow_to_arrive() {
    let (dir, db) = library();
    let server = TestServer::start_in_thread();
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let slow = std::time::Duration::from_secs(6);
    server.set(
        "/ar/talks",
        Response::html(wire::page(&wire::arabic_v1(), 2))
            .behaviour(common::server::Behaviour::DelayHeaders(slow)),
    );
    let list = dir.path().join("reading.txt");
    let urls = format!(
        "{}\n{}\n",
        server.url("/world/talks"),
        server.url("/ar/talks")
    );
    std::fs::write(&list, urls).unwrap();
    let started = std::time::Instant::now();
    let child = common::cli::command(&db, &["--json", "import", list.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Another reader sees the first story while the second is still on
    // its way (its answer comes `slow` after it is asked for).
    let mut seen = None;
    while started.elapsed() < slow && seen.is_none() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if db.is_file() {
            let out = redline(&db, &["--json", "sources"]);
            if out.status.success() {
                let listed = json(&out);
                if listed.as_array().is_some_and(|a| !a.is_empty()) {
                    seen = Some((started.elapsed(), listed));
                }
            }
        }
    }
    let out = child.wait_with_output().unwrap();
    let report = json(&out);
    let (when, listed) = seen.expect("the first story was never visible during the import");
    assert!(
        server.requests().iter().any(|r| r.path == "/ar/talks"),
        "the slow page was asked for"
    );
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert!(
        when < started.elapsed() - std::time::Duration::from_secs(1),
        "seen at {when:?}, the import ended at {:?}",
        started.elapsed()
    );
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(sources(&db, &[]).len(), 2);
}

#[test]
fn bookmark_folders_become_tags() {
    let (dir, db) = library();
    let server = TestServer::start_in_thread();
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    server.set(
        "/ar/summit",
        Response::html(wire::page(&wire::arabic_v1(), 3)),
    );
    let file = dir.path().join("bookmarks.html");
    std::fs::write(
        &file,
        format!(
            r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1764000000" LAST_MODIFIED="1764100000">Summit watch</H3>
    <DL><p>
        <DT><A HREF="{}" ADD_DATE="1764000100" ICON="data:image/png;base64,AAAA">Leaders meet</A>
        <DT><H3>Arabic press</H3>
        <DL><p>
            <DT><A HREF="{}" ADD_DATE="1764000200">القمة</A>
        </DL><p>
    </DL><p>
</DL><p>
"#,
            server.url("/world/talks"),
            server.url("/ar/summit")
        ),
    )
    .unwrap();
    let (report, _) = import(&db, &[file.to_str().unwrap()]);
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(sources(&db, &["--tag", "Summit watch"]).len(), 2);
    let arabic = sources(&db, &["--tag", "Arabic press"]);
    assert_eq!(arabic.len(), 1);
    assert_eq!(arabic[0]["dir"], "rtl", "{arabic:?}");
}

/// `wget`, which makes the WARC files these tests import. CI installs it
/// (scripts/install-deps); a machine without it fails here, loudly.
fn wget() -> Command {
    let found = Command::new("wget")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "wget is not installed: these tests need it to make WARC files (apt-get install wget)"
    );
    Command::new("wget")
}

/// The value of `header` on the `WARC-Type: response` record for `url` in
/// an uncompressed WARC.
fn response_header(warc: &[u8], url: &str, header: &str) -> String {
    let text = String::from_utf8_lossy(warc);
    let record = text
        .split("WARC/1.0\r\n")
        .find(|r| {
            r.contains("WARC-Type: response") && r.contains(&format!("WARC-Target-URI: <{url}>"))
        })
        .unwrap_or_else(|| panic!("no response record for {url}"));
    record
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{header}: ")))
        .unwrap()
        .to_string()
}

#[test]
fn a_wget_warc_keeps_capture_times_and_payload_hashes_and_refuses_a_tampered_record() {
    let (dir, db) = library();
    let server = TestServer::start_in_thread();
    let story = wire::page(&wire::story_v1(), 1);
    let ru = encoding_rs::WINDOWS_1251
        .encode(&russian_story())
        .0
        .into_owned();
    server.set("/world/talks", Response::html(story.clone()));
    server.set(
        "/ru/geneva",
        Response::new(200, "text/html; charset=windows-1251", ru.to_vec()),
    );
    server.set(
        "/logo.png",
        Response::new(200, "image/png", vec![137, 80, 78, 71, 13, 10, 26, 10]),
    );
    server.set(
        "/gone",
        Response::new(404, "text/html", "<h1>Not found</h1>"),
    );
    let urls = ["/world/talks", "/ru/geneva", "/logo.png", "/gone"].map(|p| server.url(p));
    let crawl = |name: &str, extra: &[&str]| -> PathBuf {
        let status = wget()
            .arg("-q")
            .arg(format!("--warc-file={}", dir.path().join(name).display()))
            .args(extra)
            .arg("-P")
            .arg(dir.path().join(format!("{name}-mirror")))
            .args(&urls)
            .status()
            .unwrap();
        // wget exits 8 for the 404; the archive is written all the same.
        assert!(status.code().is_some(), "wget was killed");
        dir.path().join(name)
    };
    let gz = crawl("crawl", &[]).with_extension("warc.gz");
    let plain = crawl("plain", &["--no-warc-compression"]).with_extension("warc");
    assert!(gz.is_file() && plain.is_file());

    let (report, _) = import(&db, &[gz.to_str().unwrap()]);
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["skipped"], 2, "the image and the 404: {report}");
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");

    let warc = std::fs::read(&plain).unwrap();
    let all = sources(&db, &[]);
    let talks = all
        .iter()
        .find(|s| s["url"].as_str().unwrap().ends_with("/world/talks"))
        .unwrap_or_else(|| panic!("{all:?}"));
    let v = versions(&db, talks["id"].as_i64().unwrap());
    let capture = &v["captures"][0];
    // The capture time is the record's, not the import's (the gzipped crawl
    // ran first; its dates are those of its own records).
    let gz_text = {
        use std::io::Read;
        let mut s = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).unwrap())
            .read_to_end(&mut s)
            .unwrap();
        s
    };
    let date = response_header(&gz_text, &server.url("/world/talks"), "WARC-Date");
    assert_eq!(
        redline::time::parse(capture["capturedAt"].as_str().unwrap()),
        redline::time::parse(&date),
        "{capture}"
    );
    assert_eq!(v["versions"][0]["createdAt"], capture["capturedAt"]);
    assert_eq!(
        capture["rawSha256"],
        redline::hash::sha256_hex(story.as_bytes()),
        "{capture}"
    );
    assert_eq!(capture["httpStatus"], 200);
    let geneva = all
        .iter()
        .find(|s| s["url"].as_str().unwrap().ends_with("/ru/geneva"))
        .unwrap();
    let text = text_of(&db, geneva["id"].as_i64().unwrap());
    assert!(text.contains("спецпосланник ООН Ларс Берг"), "{text}");

    // A payload changed after the digest was written: that record fails,
    // the rest of the archive imports.
    let at = response_header(&warc, &server.url("/world/talks"), "WARC-Payload-Digest");
    assert!(at.starts_with("sha1:"), "wget writes SHA-1 digests: {at}");
    let mut tampered = warc.clone();
    let needle = b"Pyongyang";
    let pos = tampered
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the story names Pyongyang");
    tampered[pos] = b'Q';
    let bad = dir.path().join("tampered.warc");
    std::fs::write(&bad, &tampered).unwrap();
    let (_fresh_dir, fresh) = library();
    let (report, _) = import(&fresh, &[bad.to_str().unwrap()]);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report}");
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("payload digest"),
        "{report}"
    );
    assert!(
        failed[0]["item"].as_str().unwrap().contains("/world/talks"),
        "{report}"
    );
    assert_eq!(report["imported"], 1, "{report}");
}

/// A source's address, its versions (title, text hash, time) and the raw
/// hashes of the captures that made them.
type History = (String, Vec<(Value, Value, Value)>, Vec<Value>);

/// A source's address and its captures (time, outcome, raw hash).
type Captures = Vec<(String, Vec<(Value, Value, Value)>)>;

#[test]
fn a_redline_wacz_imports_into_a_fresh_library_with_the_same_texts_and_hashes() {
    let (dir, db) = library();
    let server = TestServer::start_in_thread();
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)).header("ETag", "\"v1\""),
    );
    server.set(
        "/zh/rail",
        Response::html(wire::page(&wire::chinese_v1(), 2)),
    );
    ok(redline(&db, &["clip", &server.url("/world/talks")]));
    ok(redline(&db, &["clip", &server.url("/zh/rail")]));
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v2(), 1)).header("ETag", "\"v2\""),
    );
    ok(redline(&db, &["check", "1"]));
    // Re-checks that found the page as it was: the same bytes again, then
    // a 304 (exported as revisit records).
    ok(redline(&db, &["check", "1"]));
    server.set(
        "/world/talks",
        Response::new(304, "text/html", "").header("ETag", "\"v2\""),
    );
    ok(redline(&db, &["check", "1"]));
    let wacz = dir.path().join("beat.wacz");
    ok(redline(
        &db,
        &[
            "export",
            "wacz",
            "--all",
            "--title",
            "Talks beat",
            "-o",
            wacz.to_str().unwrap(),
        ],
    ));

    let (_fresh_dir, fresh) = library();
    let (report, _) = import(&fresh, &[wacz.to_str().unwrap()]);
    assert_eq!(
        report["imported"], 5,
        "two versions of one story, one of the other, two unchanged re-checks: {report}"
    );
    assert_eq!(report["newVersions"], 3, "{report}");
    assert_eq!(
        report["unchanged"], 2,
        "the unchanged re-checks are revisits: {report}"
    );
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(report["skipped"], 0, "{report}");

    // Every capture, re-checks included, at its own time and outcome.
    let captures = |db: &Path| -> Captures {
        let mut out: Vec<_> = sources(db, &[])
            .iter()
            .map(|s| {
                let v = versions(db, s["id"].as_i64().unwrap());
                let list = v["captures"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["capturedAt"].clone(),
                            c["outcome"].clone(),
                            c["rawSha256"].clone(),
                        )
                    })
                    .collect();
                (s["url"].as_str().unwrap().to_string(), list)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    let (held, kept) = (captures(&db), captures(&fresh));
    let count = |c: &Captures| -> usize { c.iter().map(|(_, l)| l.len()).sum() };
    assert_eq!(count(&held), 5, "{held:?}");
    assert_eq!(held, kept);
    let outcomes: Vec<&Value> = held
        .iter()
        .flat_map(|(_, l)| l.iter().map(|c| &c.1))
        .collect();
    assert!(
        outcomes.contains(&&Value::from("unchanged"))
            && outcomes.contains(&&Value::from("not_modified")),
        "{outcomes:?}"
    );

    // Per source (by address): the same versions, texts, times and raw bytes.
    let summary = |db: &Path| -> Vec<History> {
        let mut out: Vec<_> = sources(db, &[])
            .iter()
            .map(|s| {
                let v = versions(db, s["id"].as_i64().unwrap());
                let vs = v["versions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        (
                            x["title"].clone(),
                            x["textSha256"].clone(),
                            x["createdAt"].clone(),
                        )
                    })
                    .collect();
                let raws = v["captures"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["outcome"] == "new_version")
                    .map(|c| c["rawSha256"].clone())
                    .collect();
                (s["url"].as_str().unwrap().to_string(), vs, raws)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    let (before, after) = (summary(&db), summary(&fresh));
    assert_eq!(before.len(), 2);
    assert_eq!(before, after);
    let texts = |db: &Path| {
        let mut t: Vec<String> = sources(db, &[])
            .iter()
            .map(|s| text_of(db, s["id"].as_i64().unwrap()))
            .collect();
        t.sort();
        t
    };
    assert_eq!(texts(&db), texts(&fresh));

    // And once more: everything is already there.
    let (again, _) = import(&fresh, &[wacz.to_str().unwrap()]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["duplicates"], 5, "{again}");
    assert_eq!(captures(&fresh), held);
}

/// An HTTP response as a web archive keeps it: status line, headers, body.
fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// One WARC 1.1 record laid out as warcio writes it, with SHA-256 block
/// and (when given) payload digests.
fn warc_record(
    kind: &str,
    n: u32,
    date: &str,
    uri: &str,
    extra: &[(&str, String)],
    block: &[u8],
    payload: Option<&[u8]>,
) -> Vec<u8> {
    let label = |b: &[u8]| format!("sha256:{}", redline::hash::sha256_hex(b));
    let mut head = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:7e1d0c2a-5b8f-4c3e-9a61-{n:012}>\r\n\
         WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nWARC-Block-Digest: {}\r\n",
        label(block)
    );
    if let Some(p) = payload {
        head.push_str(&format!("WARC-Payload-Digest: {}\r\n", label(p)));
    }
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A `response` record of `body` served as HTML at `uri`.
fn response_record(n: u32, date: &str, uri: &str, body: &str) -> Vec<u8> {
    let block = http_response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    );
    warc_record("response", n, date, uri, &[], &block, Some(body.as_bytes()))
}

/// The versions of a source, as (seq, createdAt).
fn version_times(db: &Path, source_id: i64) -> Vec<(i64, String)> {
    versions(db, source_id)["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["seq"].as_i64().unwrap(),
                v["createdAt"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn captures_an_archive_lists_newest_first_are_numbered_by_capture_time() {
    let (dir, db) = library();
    let url = "https://wire.example/world/korea-russia-pact";
    let older = wire::page(&wire::story_v1(), 1);
    let newer = wire::page(&wire::story_v2(), 2);
    // A crawler's WARC, merged from two runs: the evening's capture first.
    let warc = [
        response_record(1, "2026-11-26T21:40:00Z", url, &newer),
        response_record(2, "2026-11-26T06:15:00Z", url, &older),
    ]
    .concat();
    let file = dir.path().join("merged.warc");
    std::fs::write(&file, warc).unwrap();
    let (report, _) = import(&db, &[file.to_str().unwrap()]);
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["newVersions"], 2, "{report}");

    let all = sources(&db, &[]);
    assert_eq!(all.len(), 1, "{all:?}");
    let id = all[0]["id"].as_i64().unwrap();
    let at = |s: &str| redline::time::parse(s).unwrap();
    let times = version_times(&db, id);
    assert_eq!(times.len(), 2, "{times:?}");
    assert_eq!(
        (times[0].0, at(&times[0].1)),
        (1, at("2026-11-26T06:15:00Z"))
    );
    assert_eq!(
        (times[1].0, at(&times[1].1)),
        (2, at("2026-11-26T21:40:00Z"))
    );
    let v = versions(&db, id);
    let by_seq = |seq: i64| {
        v["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["seq"] == seq)
            .unwrap()["title"]
            .clone()
    };
    assert_eq!(by_seq(1), wire::TITLE_V1);
    assert_eq!(by_seq(2), wire::TITLE_V2);
    // The captures keep their records' own times and bytes.
    let captures: Vec<(String, String)> = v["captures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["capturedAt"].as_str().unwrap().to_string(),
                c["rawSha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        captures
            .iter()
            .map(|(t, h)| (at(t), h.clone()))
            .collect::<Vec<_>>(),
        vec![
            (
                at("2026-11-26T06:15:00Z"),
                redline::hash::sha256_hex(older.as_bytes())
            ),
            (
                at("2026-11-26T21:40:00Z"),
                redline::hash::sha256_hex(newer.as_bytes())
            ),
        ]
    );

    // The comparison reads old → new: the quote as first said, then as edited.
    let diff = ok(redline(&db, &["diff", &id.to_string()]));
    let line = diff
        .lines()
        .find(|l| l.contains('→') && l.contains("intimidated"))
        .unwrap_or_else(|| panic!("no altered quote in:\n{diff}"));
    let (from, to) = line.split_once('→').unwrap();
    assert!(
        from.contains("or its vassals") && to.contains("least of all Washington"),
        "{line}"
    );
}

#[test]
fn revisits_become_unchanged_captures_and_a_revisit_of_nothing_is_skipped_with_a_reason() {
    let (dir, db) = library();
    let url = "https://wire.example/world/korea-russia-pact";
    let page = wire::page(&wire::story_v1(), 1);
    let digest = format!("sha256:{}", redline::hash::sha256_hex(page.as_bytes()));
    let head_200 = http_response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        b"",
    );
    let head_304 = http_response("304 Not Modified", &[("ETag", "\"pact-1\"")], b"");
    let orphan = "https://wire.example/business/oil-prices";
    // A crawler's dedup WARC (WARC 1.0 profile URIs), the evening revisit
    // listed before the morning response it repeats.
    let warc = [
        warc_record(
            "revisit",
            3,
            "2026-11-26T21:40:00Z",
            url,
            &[
                (
                    "WARC-Profile",
                    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest".into(),
                ),
                ("WARC-Refers-To-Target-URI", url.into()),
                ("WARC-Refers-To-Date", "2026-11-26T06:15:00Z".into()),
                ("WARC-Payload-Digest", digest.clone()),
            ],
            &head_200,
            None,
        ),
        response_record(1, "2026-11-26T06:15:00Z", url, &page),
        warc_record(
            "revisit",
            2,
            "2026-11-26T12:00:00Z",
            url,
            &[
                (
                    "WARC-Profile",
                    "http://netpreserve.org/warc/1.1/revisit/server-not-modified".into(),
                ),
                ("WARC-Refers-To-Target-URI", url.into()),
            ],
            &head_304,
            None,
        ),
        // A revisit of a page this archive does not hold.
        warc_record(
            "revisit",
            4,
            "2026-11-26T13:00:00Z",
            orphan,
            &[
                (
                    "WARC-Profile",
                    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest".into(),
                ),
                ("WARC-Refers-To-Target-URI", orphan.into()),
                (
                    "WARC-Payload-Digest",
                    format!("sha256:{}", redline::hash::sha256_hex(b"elsewhere")),
                ),
            ],
            &head_200,
            None,
        ),
    ]
    .concat();
    let file = dir.path().join("dedup.warc");
    std::fs::write(&file, warc).unwrap();
    let (report, _) = import(&db, &[file.to_str().unwrap()]);
    assert_eq!(report["imported"], 3, "{report}");
    assert_eq!(report["unchanged"], 2, "{report}");
    assert_eq!(report["newVersions"], 1, "{report}");
    assert_eq!(report["skipped"], 1, "{report}");
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");
    let skips = report["skips"].as_array().unwrap();
    assert_eq!(skips.len(), 1, "{report}");
    assert_eq!(skips[0]["code"], "revisit_unresolved", "{report}");
    assert!(
        skips[0]["item"]
            .as_str()
            .unwrap()
            .contains("/business/oil-prices"),
        "{report}"
    );

    let all = sources(&db, &[]);
    assert_eq!(all.len(), 1, "no source for the orphan revisit: {all:?}");
    let id = all[0]["id"].as_i64().unwrap();
    let v = versions(&db, id);
    assert_eq!(v["versions"].as_array().unwrap().len(), 1, "{v}");
    let at = |s: &str| redline::time::parse(s).unwrap();
    let list: Vec<_> = v["captures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                at(c["capturedAt"].as_str().unwrap()),
                c["outcome"].as_str().unwrap().to_string(),
                c["versionId"].clone(),
            )
        })
        .collect();
    let version = v["versions"][0]["id"].clone();
    assert_eq!(
        list,
        vec![
            (
                at("2026-11-26T06:15:00Z"),
                "new_version".into(),
                version.clone()
            ),
            (
                at("2026-11-26T12:00:00Z"),
                "not_modified".into(),
                version.clone()
            ),
            (at("2026-11-26T21:40:00Z"), "unchanged".into(), version),
        ]
    );
    let evening = &v["captures"][2];
    assert_eq!(
        evening["rawSha256"],
        redline::hash::sha256_hex(page.as_bytes()),
        "{evening}"
    );

    // Imported again: nothing new.
    let (again, _) = import(&db, &[file.to_str().unwrap()]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["duplicates"], 3, "{again}");
}
