//! Export: citations in CSL-JSON, BibTeX and RIS (parsed back), and the
//! evidence bundle of a source with its verification.

use std::collections::BTreeMap;
use std::io::{Read, Write};

mod common;

use common::seed::{self, library};
use redline::article::{Article, Block, Dir};
use redline::export::{self, CitedSource};
use redline::versions::{self, CaptureMethod, CaptureOutcome, CaptureRecord};
use redline::Db;

fn article(title: &str, byline: Option<&str>, site: &str, lang: &str, body: &[&str]) -> Article {
    Article {
        byline: byline.map(Into::into),
        site_name: Some(site.into()),
        lang: Some(lang.into()),
        dir: if lang == "ar" { Dir::Rtl } else { Dir::Ltr },
        published_at: Some("2026-11-25T22:40:00+09:00".into()),
        ..seed::article(title, body)
    }
}

/// A source with one version and one capture.
async fn clip_one(db: &Db, url: &str, a: &Article, at: &str) -> i64 {
    let record = CaptureRecord {
        method: Some(CaptureMethod::Fetch),
        requested_url: Some(url.into()),
        http_status: Some(200),
        raw: Some(format!("<html><h1>{}</h1></html>", a.title).into_bytes()),
        ..Default::default()
    };
    seed::clip(db, url, a, &record, at).await
}

async fn cited(db: &Db) -> Vec<CitedSource> {
    let en = article(
        "Seoul, Tokyo agree 50% cut in tariffs on {chips} & steel — \"a new era\"",
        Some("By Hyonhee Shin and Josh Smith"),
        "Reuters",
        "en",
        &["\"This is a new era,\" said Foreign Minister Cho Hyun."],
    );
    let ko = article(
        "한일 정상, 반도체 관세 인하 합의",
        Some("김민지, 이준호 기자"),
        "연합뉴스",
        "ko",
        &["한일 양국 정상은 25일 반도체 관세를 절반으로 줄이기로 합의했다."],
    );
    let mut no_site = article("Statement_on #tariffs ~ 100$", None, "", "en", &["Text."]);
    no_site.published_at = None;
    let a = clip_one(
        db,
        "https://www.reuters.com/world/asia-pacific/seoul-tokyo-tariffs-2026-11-25/?a=1&b=2",
        &en,
        "2026-11-26T23:05:00.000Z",
    )
    .await;
    let b = clip_one(
        db,
        "https://www.yna.co.kr/view/AKR20261125151200504",
        &ko,
        "2026-11-26T23:06:00.000Z",
    )
    .await;
    let c = clip_one(
        db,
        "https://www.mofa.go.jp/press/release/page4e_001234.html",
        &no_site,
        "2026-11-27T00:10:00.000Z",
    )
    .await;
    let mut conn = db.pool().acquire().await.unwrap();
    let mut out = Vec::new();
    for id in [a, b, c] {
        out.push(CitedSource::load(&mut conn, id, None).await.unwrap());
    }
    out
}

#[tokio::test]
async fn cited_source_takes_the_version_and_capture() {
    let (_dir, db) = library().await;
    let c = cited(&db).await;
    assert_eq!(c[0].outlet.as_deref(), Some("Reuters"));
    assert_eq!(c[0].authors, ["Hyonhee Shin", "Josh Smith"]);
    assert_eq!(c[0].accessed, "2026-11-26T23:05:00.000Z");
    assert_eq!(c[0].version_seq, 1);
    assert_eq!(c[1].authors, ["김민지", "이준호 기자"]);
    // No site name: the URL's host stands in for the outlet.
    assert_eq!(c[2].outlet.as_deref(), Some("mofa.go.jp"));
    let mut conn = db.pool().acquire().await.unwrap();
    let other = versions::latest_version(&mut conn, c[1].source_id)
        .await
        .unwrap()
        .unwrap();
    let err = CitedSource::load(&mut conn, c[0].source_id, Some(other.id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn csl_json_parses_back() {
    let (_dir, db) = library().await;
    let c = cited(&db).await;
    let json: serde_json::Value = serde_json::from_str(&export::csl_json(&c)).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 3);
    let en = &items[0];
    assert_eq!(en["type"], "article-newspaper");
    assert_eq!(en["id"], format!("redline{}v1", c[0].source_id));
    assert_eq!(
        en["title"],
        "Seoul, Tokyo agree 50% cut in tariffs on {chips} & steel — \"a new era\""
    );
    assert_eq!(
        en["author"],
        serde_json::json!([
            {"family": "Shin", "given": "Hyonhee"},
            {"family": "Smith", "given": "Josh"}
        ])
    );
    assert_eq!(en["container-title"], "Reuters");
    assert_eq!(
        en["URL"],
        "https://www.reuters.com/world/asia-pacific/seoul-tokyo-tariffs-2026-11-25/?a=1&b=2"
    );
    assert_eq!(
        en["issued"],
        serde_json::json!({"date-parts": [[2026, 11, 25]]})
    );
    assert_eq!(
        en["accessed"],
        serde_json::json!({"date-parts": [[2026, 11, 26]]})
    );
    assert_eq!(en["language"], "en");
    assert_eq!(
        items[1]["author"],
        serde_json::json!([{"literal": "김민지"}, {"literal": "이준호 기자"}])
    );
    assert_eq!(items[1]["title"], "한일 정상, 반도체 관세 인하 합의");
    assert!(items[2].get("issued").is_none());
    assert!(items[2].get("author").is_none());
    assert_eq!(
        items[2]["accessed"],
        serde_json::json!({"date-parts": [[2026, 11, 27]]})
    );
}

/// A small BibTeX reader: entry type, key, and fields with brace-balanced values.
fn parse_bibtex(s: &str) -> Vec<(String, String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find('@') {
        rest = &rest[at + 1..];
        let brace = rest.find('{').unwrap();
        let kind = rest[..brace].to_string();
        rest = &rest[brace + 1..];
        let comma = rest.find(',').unwrap();
        let key = rest[..comma].to_string();
        rest = &rest[comma + 1..];
        let mut fields = BTreeMap::new();
        loop {
            rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix('}') {
                rest = r;
                break;
            }
            let eq = rest.find('=').unwrap();
            let name = rest[..eq].trim().to_string();
            rest = rest[eq + 1..].trim_start();
            assert!(rest.starts_with('{'), "field {name} is braced");
            let mut depth = 0;
            let mut end = 0;
            let bytes = rest.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            fields.insert(name, rest[1..end].to_string());
            rest = rest[end + 1..].trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
        out.push((kind, key, fields));
    }
    out
}

#[tokio::test]
async fn bibtex_parses_back_with_specials_escaped() {
    let (_dir, db) = library().await;
    let c = cited(&db).await;
    let bib = export::bibtex(&c);
    let entries = parse_bibtex(&bib);
    assert_eq!(entries.len(), 3);
    let (kind, key, f) = &entries[0];
    assert_eq!(kind, "online");
    assert_eq!(key, &format!("redline{}v1", c[0].source_id));
    assert_eq!(
        f["title"],
        "{Seoul, Tokyo agree 50\\% cut in tariffs on \\{chips\\} \\& steel — \"a new era\"}"
    );
    assert_eq!(f["author"], "Shin, Hyonhee and Smith, Josh");
    assert_eq!(f["organization"], "Reuters");
    assert_eq!(f["date"], "2026-11-25");
    assert_eq!(f["urldate"], "2026-11-26");
    assert_eq!(
        f["url"],
        "https://www.reuters.com/world/asia-pacific/seoul-tokyo-tariffs-2026-11-25/?a=1&b=2"
    );
    assert_eq!(f["langid"], "en");
    let (_, _, ko) = &entries[1];
    assert_eq!(ko["author"], "{김민지} and {이준호 기자}");
    assert_eq!(ko["title"], "{한일 정상, 반도체 관세 인하 합의}");
    let (_, _, jp) = &entries[2];
    assert_eq!(
        jp["title"],
        "{Statement\\_on \\#tariffs \\textasciitilde{} 100\\$}"
    );
    assert_eq!(jp["organization"], "mofa.go.jp");
    assert!(!jp.contains_key("date"));
    assert!(!jp.contains_key("author"));
}

/// A small RIS reader: records of (tag, value) lines.
fn parse_ris(s: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut current = Vec::new();
    for line in s.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        let (tag, value) = line.split_once("  - ").expect("TAG  - value");
        assert_eq!(tag.len(), 2, "two-letter tag in {line:?}");
        if tag == "ER" {
            records.push(std::mem::take(&mut current));
        } else {
            current.push((tag.to_string(), value.to_string()));
        }
    }
    assert!(current.is_empty(), "every record ends with ER");
    records
}

#[tokio::test]
async fn ris_parses_back() {
    let (_dir, db) = library().await;
    let c = cited(&db).await;
    let ris = export::ris(&c);
    assert!(!ris.contains("\n\n"), "CRLF line endings only");
    let records = parse_ris(&ris);
    assert_eq!(records.len(), 3);
    let get = |r: &Vec<(String, String)>, tag: &str| -> Vec<String> {
        r.iter()
            .filter(|(t, _)| t == tag)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let en = &records[0];
    assert_eq!(en[0], ("TY".to_string(), "ELEC".to_string()));
    assert_eq!(
        get(en, "TI"),
        ["Seoul, Tokyo agree 50% cut in tariffs on {chips} & steel — \"a new era\""]
    );
    assert_eq!(get(en, "AU"), ["Shin, Hyonhee", "Smith, Josh"]);
    assert_eq!(get(en, "T2"), ["Reuters"]);
    assert_eq!(get(en, "PY"), ["2026"]);
    assert_eq!(get(en, "DA"), ["2026/11/25/"]);
    assert_eq!(get(en, "Y2"), ["2026/11/26/"]);
    assert_eq!(
        get(en, "UR"),
        ["https://www.reuters.com/world/asia-pacific/seoul-tokyo-tariffs-2026-11-25/?a=1&b=2"]
    );
    assert_eq!(get(&records[1], "AU"), ["김민지", "이준호 기자"]);
    assert_eq!(get(&records[2], "PY"), Vec::<String>::new());
}

/// A story that was revised: v1, an unchanged re-fetch, a 304, v2, a failure.
async fn revised_story(db: &Db) -> (i64, Vec<Vec<u8>>) {
    let url = "https://www.kyivindependent.com/ukraine-grain-corridor/";
    let v1 = article(
        "Ukraine says 30,000 tons of grain left Odesa",
        Some("By Olena Hrytsenko"),
        "The Kyiv Independent",
        "uk",
        &[
            "Ukraine said 30,000 tons of grain left Odesa on Tuesday.",
            "«Коридор працює», — заявив міністр.",
        ],
    );
    let mut v2 = v1.clone();
    v2.title = "Ukraine says 10,000 tons of grain left Odesa".into();
    v2.blocks[0] = Block::paragraph("Ukraine said 10,000 tons of grain left Odesa on Tuesday.");
    let raws: Vec<Vec<u8>> = vec![
        b"<html><h1>30,000 tons</h1><p>ad: 1</p></html>".to_vec(),
        b"<html><h1>30,000 tons</h1><p>ad: 2</p></html>".to_vec(),
        "<html><h1>10,000 tons</h1><p>«Коридор працює»</p></html>"
            .as_bytes()
            .to_vec(),
    ];
    let mut tx = db.write().await.unwrap();
    let id = seed::insert_source(&mut tx, url, "2026-11-25T08:00:00.000Z").await;
    let ver1 = seed::insert_version(&mut tx, id, &v1, "2026-11-25T08:00:00.000Z").await;
    let rec = |raw: Option<&Vec<u8>>, status: u16| CaptureRecord {
        method: Some(CaptureMethod::Fetch),
        requested_url: Some(format!("{url}?utm_source=tw")),
        final_url: Some(url.into()),
        canonical_url: Some(url.into()),
        http_status: Some(status),
        etag: Some("\"grain-7\"".into()),
        last_modified: Some("Tue, 25 Nov 2026 07:58:00 GMT".into()),
        content_type: Some("text/html; charset=utf-8".into()),
        charset: Some("utf-8".into()),
        raw: raw.cloned(),
        heads: None,
    };
    versions::insert_capture(
        &mut tx,
        id,
        &rec(Some(&raws[0]), 200),
        CaptureOutcome::NewVersion,
        None,
        Some(ver1.id),
        "2026-11-25T08:00:00.000Z",
    )
    .await
    .unwrap();
    versions::insert_capture(
        &mut tx,
        id,
        &rec(Some(&raws[1]), 200),
        CaptureOutcome::Unchanged,
        None,
        Some(ver1.id),
        "2026-11-25T09:00:00.000Z",
    )
    .await
    .unwrap();
    versions::insert_capture(
        &mut tx,
        id,
        &rec(None, 304),
        CaptureOutcome::NotModified,
        None,
        None,
        "2026-11-25T10:00:00.000Z",
    )
    .await
    .unwrap();
    let ver2 = seed::insert_version(&mut tx, id, &v2, "2026-11-25T11:00:00.000Z").await;
    versions::insert_capture(
        &mut tx,
        id,
        &rec(Some(&raws[2]), 200),
        CaptureOutcome::NewVersion,
        None,
        Some(ver2.id),
        "2026-11-25T11:00:00.000Z",
    )
    .await
    .unwrap();
    versions::insert_capture(
        &mut tx,
        id,
        &CaptureRecord {
            method: Some(CaptureMethod::Fetch),
            requested_url: Some(url.into()),
            ..Default::default()
        },
        CaptureOutcome::Failed,
        Some("connection reset"),
        None,
        "2026-11-25T12:00:00.000Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, raws)
}

fn zip_entries(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_string(), b);
    }
    out
}

fn rewrite_zip(path: &std::path::Path, entries: &BTreeMap<String, Vec<u8>>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[tokio::test]
async fn evidence_bundle_holds_every_capture_and_version() {
    let (dir, db) = library().await;
    let (id, raws) = revised_story(&db).await;
    let path = dir.path().join("grain.zip");
    let manifest = export::write_bundle(&db, id, &path).await.unwrap();

    let entries = zip_entries(&path);
    assert_eq!(
        entries.keys().collect::<Vec<_>>(),
        [
            "captures/1.raw",
            "captures/2.raw",
            "captures/4.raw",
            "manifest.json",
            "versions/1.txt",
            "versions/2.txt"
        ]
    );
    assert_eq!(entries["captures/1.raw"], raws[0]);
    assert_eq!(entries["captures/4.raw"], raws[2]);
    assert_eq!(
        String::from_utf8(entries["versions/2.txt"].clone()).unwrap(),
        "Ukraine says 10,000 tons of grain left Odesa\n\n\
         Ukraine said 10,000 tons of grain left Odesa on Tuesday.\n\n\
         «Коридор працює», — заявив міністр.\n"
    );

    let json: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert_eq!(json["format"], "redline-evidence-bundle/1");
    assert_eq!(json["sourceId"], id);
    let caps = json["captures"].as_array().unwrap();
    assert_eq!(caps.len(), 5);
    let c1 = &caps[0];
    assert_eq!(c1["capturedAt"], "2026-11-25T08:00:00.000Z");
    assert_eq!(c1["method"], "fetch");
    assert_eq!(
        c1["requestedUrl"],
        "https://www.kyivindependent.com/ukraine-grain-corridor/?utm_source=tw"
    );
    assert_eq!(
        c1["finalUrl"],
        "https://www.kyivindependent.com/ukraine-grain-corridor/"
    );
    assert_eq!(
        c1["canonicalUrl"],
        "https://www.kyivindependent.com/ukraine-grain-corridor/"
    );
    assert_eq!(c1["httpStatus"], 200);
    assert_eq!(c1["etag"], "\"grain-7\"");
    assert_eq!(c1["lastModified"], "Tue, 25 Nov 2026 07:58:00 GMT");
    assert_eq!(c1["rawSha256"], redline::hash::sha256_hex(&raws[0]));
    assert_eq!(c1["rawFile"], "captures/1.raw");
    assert_eq!(c1["versionSeq"], 1);
    // The unchanged re-fetch matched version 1 with different raw bytes.
    assert_eq!(caps[1]["outcome"], "unchanged");
    assert_eq!(caps[1]["versionSeq"], 1);
    assert_eq!(caps[1]["versionTextSha256"], c1["versionTextSha256"]);
    assert_ne!(caps[1]["rawSha256"], c1["rawSha256"]);
    assert_eq!(caps[2]["outcome"], "not_modified");
    assert_eq!(caps[2]["httpStatus"], 304);
    assert!(caps[2]["rawFile"].is_null());
    assert!(caps[2]["versionSeq"].is_null());
    assert_eq!(caps[3]["versionSeq"], 2);
    assert_eq!(caps[4]["outcome"], "failed");
    assert_eq!(caps[4]["error"], "connection reset");
    let vers = json["versions"].as_array().unwrap();
    assert_eq!(vers.len(), 2);
    assert_eq!(vers[1]["textSha256"], caps[3]["versionTextSha256"]);
    assert_eq!(
        vers[1]["textFileSha256"],
        redline::hash::sha256_hex(&entries["versions/2.txt"])
    );
    assert_eq!(
        manifest.versions[0].text_sha256,
        vers[0]["textSha256"].as_str().unwrap()
    );

    let report = export::verify_bundle(&path).unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.verified.len(), 5);
    assert_eq!(report.source_id, Some(id));
}

#[tokio::test]
async fn verify_names_tampered_missing_and_extra_files() {
    let (dir, db) = library().await;
    let (id, _) = revised_story(&db).await;
    let path = dir.path().join("grain.zip");
    export::write_bundle(&db, id, &path).await.unwrap();
    let original = zip_entries(&path);

    // The figure quietly changed back in the evidence, a capture dropped, a file slipped in.
    let mut entries = original.clone();
    let text = String::from_utf8(entries["versions/2.txt"].clone()).unwrap();
    entries.insert(
        "versions/2.txt".into(),
        text.replace("10,000", "30,000").into_bytes(),
    );
    entries.remove("captures/2.raw");
    entries.insert("captures/9.raw".into(), b"<html>planted</html>".to_vec());
    let tampered = dir.path().join("tampered.zip");
    rewrite_zip(&tampered, &entries);
    let report = export::verify_bundle(&tampered).unwrap();
    assert!(!report.ok);
    assert_eq!(report.tampered, ["versions/2.txt"]);
    assert_eq!(report.missing, ["captures/2.raw"]);
    assert_eq!(report.extra, ["captures/9.raw"]);
    assert_eq!(
        report.verified,
        ["captures/1.raw", "captures/4.raw", "versions/1.txt"]
    );

    // One flipped byte in raw evidence.
    let mut entries = original.clone();
    entries.get_mut("captures/4.raw").unwrap()[7] ^= 1;
    rewrite_zip(&tampered, &entries);
    let report = export::verify_bundle(&tampered).unwrap();
    assert_eq!(report.tampered, ["captures/4.raw"]);
    assert!(!report.ok);

    // A manifest whose capture claims a different version hash is inconsistent.
    let mut entries = original.clone();
    let mut m: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    m["captures"][0]["versionTextSha256"] = serde_json::json!("0".repeat(64));
    entries.insert("manifest.json".into(), serde_json::to_vec(&m).unwrap());
    rewrite_zip(&tampered, &entries);
    let report = export::verify_bundle(&tampered).unwrap();
    assert_eq!(report.tampered, ["manifest.json"]);

    // No manifest at all.
    let mut entries = original;
    entries.remove("manifest.json");
    rewrite_zip(&tampered, &entries);
    let report = export::verify_bundle(&tampered).unwrap();
    assert!(!report.ok);
    assert_eq!(report.missing, ["manifest.json"]);
    assert_eq!(report.extra.len(), 5);
}

#[tokio::test]
async fn note_exports_as_markdown_with_footnoted_citations() {
    let (_dir, db) = library().await;
    let url = "https://www.aa.com.tr/en/middle-east/gaza-aid-trucks/3412345";
    let v1 = article(
        "Gaza: 600 aid trucks a day [UN]",
        None,
        "Anadolu Agency",
        "en",
        &[
            "GAZA CITY — The UN said 600 trucks a day would enter Gaza under the deal.",
            "\"We need *all* crossings open,\" said UNRWA spokesperson Juliette Touma.",
        ],
    );
    let mut tx = db.write().await.unwrap();
    let sid = versions::insert_source(&mut tx, Some(url), Some(url), "2026-11-26T23:05:00.000Z")
        .await
        .unwrap();
    let fp = redline::normalize::fingerprint(&v1.title, &v1.blocks);
    let ver1 = versions::insert_version(&mut tx, sid, &v1, &fp, "2026-11-26T23:05:00.000Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let at = |needle: &str| {
        let b = ver1.text.find(needle).unwrap();
        let s = ver1.text[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let (s, e) = at("600 trucks a day");
    let figure = redline::highlights::create(&db, ver1.id, s, e, "", "")
        .await
        .unwrap();
    let (s, e) = at("We need *all* crossings open");
    let quote = redline::highlights::create(&db, ver1.id, s, e, "", "")
        .await
        .unwrap();

    // The figure is revised later; the quote stays.
    let mut v2 = v1.clone();
    v2.blocks[0] = Block::paragraph(
        "GAZA CITY — The UN said 200 trucks a day would enter Gaza under the deal.",
    );
    let fp2 = redline::normalize::fingerprint(&v2.title, &v2.blocks);
    let mut tx = db.write().await.unwrap();
    versions::insert_version(&mut tx, sid, &v2, &fp2, "2026-11-27T06:30:00.000Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let body = format!(
        "The UN first promised [@h{}] under the deal [@v{}].\n\n[@h{}]\n\nSee my own aside.[^1]\n\n[^1]: Checked with OCHA.\n",
        figure.id, ver1.id, quote.id
    );
    let note = redline::notes::create(&db, "Gaza aid: the numbers", &body)
        .await
        .unwrap();
    let md = export::note_markdown(&db, note.id).await.unwrap();
    let sha = &ver1.text_sha256;
    assert_eq!(
        md,
        format!(
            "# Gaza aid: the numbers\n\n\
             The UN first promised \u{201C}600 trucks a day\u{201D}[^2] under the deal[^3].\n\n\
             > We need \\*all\\* crossings open[^4]\n\n\
             See my own aside.[^1]\n\n\
             [^1]: Checked with OCHA.\n\n\
             [^2]: Anadolu Agency, \"Gaza: 600 aid trucks a day \\[UN\\]\", <{url}>, captured 2026-11-26 23:05 UTC, version 1, sha256 {sha}. \
             Changed after it was cited: version 2, captured 2026-11-27 06:30 UTC reads \u{201C}200 trucks a day\u{201D}.\n\
             [^3]: Anadolu Agency, \"Gaza: 600 aid trucks a day \\[UN\\]\", <{url}>, captured 2026-11-26 23:05 UTC, version 1, sha256 {sha}. \
             A later revision exists: version 2, captured 2026-11-27 06:30 UTC.\n\
             [^4]: Anadolu Agency, \"Gaza: 600 aid trucks a day \\[UN\\]\", <{url}>, captured 2026-11-26 23:05 UTC, version 1, sha256 {sha}.\n"
        )
    );
}

/// Writes `entries` in this order, then renames entries by rewriting their
/// names in place (same length): the zip writer refuses what a forger's
/// tools will happily write, such as two entries with one name.
fn forge_zip(path: &std::path::Path, entries: &[(&str, &[u8])], renames: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    let mut bytes = std::fs::read(path).unwrap();
    for (from, to) in renames {
        assert_eq!(from.len(), to.len());
        let (from, to) = (from.as_bytes(), to.as_bytes());
        let mut i = 0;
        while i + from.len() <= bytes.len() {
            if &bytes[i..i + from.len()] == from {
                bytes[i..i + from.len()].copy_from_slice(to);
            }
            i += 1;
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn verify_rejects_a_duplicate_entry_and_data_in_a_directory() {
    let (dir, db) = library().await;
    let (id, _) = revised_story(&db).await;
    let path = dir.path().join("grain.zip");
    export::write_bundle(&db, id, &path).await.unwrap();
    let original = zip_entries(&path);
    let forged_text = String::from_utf8(original["versions/2.txt"].clone())
        .unwrap()
        .replace("10,000", "30,000");

    // A tampered copy of versions/2.txt placed first, the genuine one after.
    let mut entries: Vec<(&str, &[u8])> = vec![("versions/2.tx_", forged_text.as_bytes())];
    entries.extend(original.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let forged = dir.path().join("forged.zip");
    forge_zip(&forged, &entries, &[("versions/2.tx_", "versions/2.txt")]);
    let report = export::verify_bundle(&forged).unwrap();
    assert!(!report.ok, "{report:?}");
    assert_eq!(report.duplicates, ["versions/2.txt"]);

    // Bytes hidden inside a directory entry.
    let mut entries: Vec<(&str, &[u8])> = original
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    entries.push(("hidden_", b"<p>Minister: the corridor is closed.</p>"));
    forge_zip(&forged, &entries, &[("hidden_", "hidden/")]);
    let report = export::verify_bundle(&forged).unwrap();
    assert!(!report.ok, "{report:?}");
    assert_eq!(report.tampered, ["hidden/"]);
}

#[tokio::test]
async fn verify_flags_a_capture_removed_consistently_from_the_manifest() {
    let (dir, db) = library().await;
    let (id, _) = revised_story(&db).await;
    let path = dir.path().join("grain.zip");
    export::write_bundle(&db, id, &path).await.unwrap();
    let mut entries = zip_entries(&path);
    // The unchanged re-fetch (capture 2) removed with its file, every hash intact.
    let mut m: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    m["captures"].as_array_mut().unwrap().remove(1);
    entries.insert("manifest.json".into(), serde_json::to_vec(&m).unwrap());
    entries.remove("captures/2.raw");
    let edited = dir.path().join("edited.zip");
    rewrite_zip(&edited, &entries);
    let report = export::verify_bundle(&edited).unwrap();
    assert!(!report.ok, "{report:?}");
    assert_eq!(report.gaps, ["capture 2"]);
    assert!(report.tampered.is_empty() && report.missing.is_empty());

    // Version 1 dropped the same way.
    let mut entries = zip_entries(&path);
    let mut m: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    m["versions"].as_array_mut().unwrap().remove(0);
    for c in m["captures"].as_array_mut().unwrap() {
        if c["versionSeq"] == 1 {
            c["versionSeq"] = serde_json::Value::Null;
            c["versionTextSha256"] = serde_json::Value::Null;
        }
    }
    entries.insert("manifest.json".into(), serde_json::to_vec(&m).unwrap());
    entries.remove("versions/1.txt");
    rewrite_zip(&edited, &entries);
    let report = export::verify_bundle(&edited).unwrap();
    assert_eq!(report.gaps, ["version 1"]);
    assert!(!report.ok);
}

#[tokio::test]
async fn verify_prints_hostile_entry_names_escaped() {
    let (dir, db) = library().await;
    let (id, _) = revised_story(&db).await;
    let path = dir.path().join("grain.zip");
    export::write_bundle(&db, id, &path).await.unwrap();
    let mut entries = zip_entries(&path);
    // Would retitle the terminal and clear the screen if printed raw.
    let hostile = "captures/\u{1b}]0;all verified\u{7}\u{1b}[2J\u{202e}war.raw";
    entries.insert(hostile.into(), b"x".to_vec());
    let planted = dir.path().join("planted.zip");
    rewrite_zip(&planted, &entries);
    let report = export::verify_bundle(&planted).unwrap();
    assert_eq!(
        report.extra,
        ["captures/\\u{1b}]0;all verified\\u{7}\\u{1b}[2J\\u{202e}war.raw"]
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("verify-bundle")
        .arg(&planted)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("EXTRA     captures/\\u{1b}]0;all verified"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'),
        "{stdout}"
    );
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

#[tokio::test]
async fn verify_streams_a_huge_entry_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.zip");
    {
        // 512 MiB of zeros deflates to about half a megabyte.
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default().large_file(true);
        zip.start_file("captures/1.raw", options).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..512 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    let before = peak_rss_bytes();
    let report = export::verify_bundle(&path).unwrap();
    let grew = peak_rss_bytes().saturating_sub(before);
    assert_eq!(report.missing, ["manifest.json"]);
    assert_eq!(report.extra, ["captures/1.raw"]);
    assert!(
        grew < 64 << 20,
        "verifying grew the peak by {} MiB",
        grew >> 20
    );
}
