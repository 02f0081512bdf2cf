//! Extractor versions and `redline reextract`: a library clipped with an
//! older extractor is read again without the extractor's differences ever
//! showing as the publisher's edits, and its highlights keep resolving. Also
//! the low-confidence flag stored on a clipped version and the page as
//! captured, which the reader offers beside it.

mod common;

use std::path::{Path, PathBuf};

use redline::article::{Article, Block};
use redline::versions::{self, CaptureMethod, CaptureOutcome, CaptureRecord};
use redline::Db;

use common::cli::{json, redline};

/// A story page from the extraction corpus, copied where the test clips it.
fn page(dir: &Path, name: &str) -> PathBuf {
    let from = format!(
        "{}/tests/fixtures/extraction/{name}.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let to = dir.join(format!("{name}.html"));
    std::fs::copy(from, &to).unwrap();
    to
}

/// What an older extractor made of the page: the gallery control and the
/// photo credit it did not know were chrome, before the story.
fn older_extraction(current: &Article) -> Article {
    let mut blocks = vec![
        Block::paragraph("Image 1 of 8 Close"),
        Block::paragraph("Photo: Harbour Ledger / Dana Whitlock"),
    ];
    blocks.extend(current.blocks.iter().cloned());
    Article {
        blocks,
        ..current.clone()
    }
}

/// Rewrites `version_id` as if the extractor `extractor` had made it from
/// the same capture: its text, fingerprint and extractor id.
async fn pretend_extracted_by(db: &Db, version_id: i64, article: &Article, extractor: &str) {
    let mut tx = db.write().await.unwrap();
    sqlx::query(
        "UPDATE versions SET blocks = ?, text = ?, text_sha256 = ?, extractor = ? WHERE id = ?",
    )
    .bind(serde_json::to_string(&article.blocks).unwrap())
    .bind(article.text())
    .bind(redline::normalize::fingerprint(
        &article.title,
        &article.blocks,
    ))
    .bind(extractor)
    .bind(version_id)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Char offsets of `needle` in `text`.
fn char_range(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

#[tokio::test]
async fn reextracting_a_library_clipped_with_an_older_extractor_shows_no_publisher_change() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.db");
    let file = page(dir.path(), "port-strike--article");
    let url = "https://harbour-ledger.example/news/port-strike";
    let clipped = json(&redline(
        &lib,
        &["--json", "clip", file.to_str().unwrap(), "--url", url],
    ));
    let (source, v1) = (
        clipped["sourceId"].as_i64().unwrap(),
        clipped["versionId"].as_i64().unwrap(),
    );

    // Version 1 as an older extractor made it; version 2 as a re-check by
    // the newer one stored it before extractors were recorded: the same
    // capture bytes, only the extractor differs.
    let db = Db::open(&lib).await.unwrap();
    let current = {
        let mut conn = db.pool().acquire().await.unwrap();
        versions::get_version(&mut conn, v1)
            .await
            .unwrap()
            .article()
    };
    let old = older_extraction(&current);
    pretend_extracted_by(&db, v1, &old, "2026-11-01").await;
    let raw = std::fs::read(&file).unwrap();
    let v2 = {
        let mut tx = db.write().await.unwrap();
        let fp = redline::normalize::fingerprint(&current.title, &current.blocks);
        let now = "2026-11-30T09:00:00Z";
        let v2 = versions::insert_version(&mut tx, source, &current, &fp, now)
            .await
            .unwrap();
        let record = CaptureRecord {
            method: Some(CaptureMethod::File),
            requested_url: Some(url.into()),
            final_url: Some(url.into()),
            content_type: Some("text/html".into()),
            charset: Some("UTF-8".into()),
            raw: Some(raw),
            ..CaptureRecord::default()
        };
        versions::insert_capture(
            &mut tx,
            source,
            &record,
            CaptureOutcome::NewVersion,
            None,
            Some(v2.id),
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        v2.id
    };

    // A highlight of the story's second paragraph in version 1, at the
    // offsets the older text puts it, and a note citing it.
    let quoted: String = current.blocks[1].text.chars().take(60).collect();
    let (start, end) = char_range(&old.text(), &quoted);
    let h = redline::highlights::create(&db, v1, start, end, "the walkout's scale", "")
        .await
        .unwrap();
    let note = redline::notes::create(&db, "Port strike", &format!("The strike [@h{}].", h.id))
        .await
        .unwrap();
    db.close().await;

    // Before: compare reports the extractor's difference as an edit.
    let before = json(&redline(&lib, &["--json", "diff", &source.to_string()]));
    assert_eq!(
        before["summary"]["paragraphsRemoved"], 2,
        "the masquerade this test removes: {before}"
    );

    let out = redline(&lib, &["reextract", &source.to_string()]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("version #1  revised"), "{text}");
    assert!(text.contains("1 highlight(s) moved"), "{text}");

    // After: both versions read by one extractor, nothing changed.
    let after = json(&redline(&lib, &["--json", "diff", &source.to_string()]));
    let summary = &after["summary"];
    assert_eq!(summary["paragraphsRemoved"], 0, "{after}");
    assert_eq!(summary["paragraphsAdded"], 0, "{after}");
    assert_eq!(summary["paragraphsEdited"], 0, "{after}");
    assert!(summary["headline"].is_null(), "{after}");
    // The same two versions, the same numbers: nothing was added or merged.
    let listed = json(&redline(&lib, &["--json", "versions", &source.to_string()]));
    let ids: Vec<i64> = listed["versions"]
        .as_array()
        .or(listed.as_array())
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [v1, v2]);

    // The citation resolves as current, and the highlight sits on its words.
    let checked = json(&redline(
        &lib,
        &["--json", "cite", "check", &note.id.to_string()],
    ));
    assert_eq!(checked[0]["state"]["state"], "current", "{checked}");
    let db = Db::open(&lib).await.unwrap();
    let h = redline::highlights::get(&db, h.id).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let v = versions::get_version(&mut conn, v1).await.unwrap();
    let at: String = v
        .text
        .chars()
        .skip(h.start as usize)
        .take((h.end - h.start) as usize)
        .collect();
    assert_eq!(at, quoted);
    assert_eq!(v.extractor.as_deref(), Some(redline::extract::EXTRACTOR));
    // The text it replaced is kept.
    assert_eq!(
        versions::extractor_revision_count(&mut conn, v1)
            .await
            .unwrap(),
        1
    );
    drop(conn);
    db.close().await;

    // Run again: nothing left to do.
    let again = json(&redline(&lib, &["--json", "reextract", "--all"]));
    assert_eq!(again["versions"].as_array().unwrap().len(), 0, "{again}");
}

#[tokio::test]
async fn a_version_whose_highlight_the_new_text_lacks_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.db");
    let file = page(dir.path(), "cup-final--share-wrapper");
    let clipped = json(&redline(&lib, &["--json", "clip", file.to_str().unwrap()]));
    let (source, v1) = (
        clipped["sourceId"].as_i64().unwrap(),
        clipped["versionId"].as_i64().unwrap(),
    );
    let db = Db::open(&lib).await.unwrap();
    let current = {
        let mut conn = db.pool().acquire().await.unwrap();
        versions::get_version(&mut conn, v1)
            .await
            .unwrap()
            .article()
    };
    let old = older_extraction(&current);
    pretend_extracted_by(&db, v1, &old, "2026-11-01").await;
    // The reporter highlighted the credit the older extractor kept.
    let (start, end) = char_range(&old.text(), "Photo: Harbour Ledger / Dana Whitlock");
    let h = redline::highlights::create(&db, v1, start, end, "", "")
        .await
        .unwrap();
    db.close().await;

    let report = json(&redline(
        &lib,
        &["--json", "reextract", &source.to_string()],
    ));
    let v = &report["versions"][0];
    assert_eq!(v["outcome"], "keptForHighlights", "{report}");
    assert_eq!(v["unanchoredHighlights"][0], h.id);

    let db = Db::open(&lib).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let kept = versions::get_version(&mut conn, v1).await.unwrap();
    assert_eq!(kept.text, old.text());
    let h = redline::highlights::get(&db, h.id).await.unwrap();
    assert_eq!(h.start as usize, start);
    drop(conn);
    db.close().await;
}

#[tokio::test]
async fn a_recheck_of_a_version_from_an_older_extractor_is_not_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.db");
    let file = page(dir.path(), "ru-metro--article");
    let url = "https://metro-vestnik.example/2026/11/metro";
    let first = json(&redline(
        &lib,
        &["--json", "clip", file.to_str().unwrap(), "--url", url],
    ));
    let v1 = first["versionId"].as_i64().unwrap();
    let db = Db::open(&lib).await.unwrap();
    let current = {
        let mut conn = db.pool().acquire().await.unwrap();
        versions::get_version(&mut conn, v1)
            .await
            .unwrap()
            .article()
    };
    pretend_extracted_by(&db, v1, &older_extraction(&current), "2026-11-01").await;
    db.close().await;

    // The same page again: only the extractor differs from version 1.
    let again = json(&redline(
        &lib,
        &["--json", "clip", file.to_str().unwrap(), "--url", url],
    ));
    assert_eq!(again["newVersion"], false, "{again}");
    assert_eq!(again["versionId"], v1);
    let shown = json(&redline(
        &lib,
        &["--json", "show", &first["sourceId"].to_string()],
    ));
    assert!(
        !shown["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Image 1 of 8"),
        "{shown}"
    );
    assert_eq!(shown["extractor"], redline::extract::EXTRACTOR);
}

#[tokio::test]
async fn a_low_confidence_clip_is_stored_flagged_and_its_page_can_be_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.db");
    let menu = dir.path().join("topics.html");
    let topics: String = (0..40)
        .map(|i| {
            format!("<li><a href='/topic/{i}'>Regional election coverage, district {i}</a></li>")
        })
        .collect();
    std::fs::write(
        &menu,
        format!(
            "<html><head><meta charset='utf-8'><title>Election topics | Ledger</title></head>\
             <body><div class='topics'><ul>{topics}</ul></div>\
             <script>document.title = 'x'</script></body></html>"
        ),
    )
    .unwrap();
    let out = redline(&lib, &["--json", "clip", menu.to_str().unwrap()]);
    let clipped = json(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: low confidence"),
        "{out:?}"
    );
    assert_eq!(clipped["lowConfidence"], "empty", "{clipped}");
    let shown = json(&redline(
        &lib,
        &["--json", "show", &clipped["sourceId"].to_string()],
    ));
    assert_eq!(shown["lowConfidence"], "empty", "{shown}");

    // A sound page is not flagged.
    let good = page(dir.path(), "port-strike--article");
    let out = redline(&lib, &["--json", "clip", good.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    assert!(json(&out)["lowConfidence"].is_null());

    // The page as captured: the decoded bytes, markup and script as text.
    let nb = redline::Notebook::open(&lib, Default::default())
        .await
        .unwrap();
    let captured = nb
        .captured_page(clipped["versionId"].as_i64().unwrap())
        .await
        .unwrap();
    assert!(captured.text.contains("<li><a href='/topic/39'>"));
    assert!(captured.text.contains("<script>document.title"));
    assert!(!captured.truncated);
    assert_eq!(
        captured.raw_size as u64,
        std::fs::metadata(&menu).unwrap().len()
    );
    let missing = nb.captured_page(9_999).await.unwrap_err();
    assert_eq!(missing.code(), "not_found");
    nb.close().await;
}
