//! Tags on sources and notes: bulk tagging, counts, rename, delete, merge.

use redline::article::{Article, Block};
use redline::tags::{self, TagCount};
use redline::versions::{self, CaptureOutcome, CaptureRecord};
use redline::{Db, Error};

async fn library() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    (dir, db)
}

async fn clip(db: &Db, url: &str, title: &str, body: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let now = "2026-11-26T09:00:00.000Z";
    let id = versions::insert_source(&mut tx, Some(url), Some(url), now)
        .await
        .unwrap();
    let article = Article {
        title: title.into(),
        blocks: vec![Block::paragraph(body)],
        ..Default::default()
    };
    let fp = redline::normalize::fingerprint(&article.title, &article.blocks);
    let v = versions::insert_version(&mut tx, id, &article, &fp, now)
        .await
        .unwrap();
    let record = CaptureRecord {
        raw: Some(body.as_bytes().to_vec()),
        ..Default::default()
    };
    versions::insert_capture(
        &mut tx,
        id,
        &record,
        CaptureOutcome::NewVersion,
        None,
        Some(v.id),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn note(db: &Db, title: &str) -> i64 {
    sqlx::query("INSERT INTO notes (title, body, created_at, updated_at) VALUES (?, '', ?, ?)")
        .bind(title)
        .bind("2026-11-26T10:00:00.000Z")
        .bind("2026-11-26T10:00:00.000Z")
        .execute(db.pool())
        .await
        .unwrap()
        .last_insert_rowid()
}

fn counts(list: &[TagCount]) -> Vec<(&str, i64, i64)> {
    list.iter()
        .map(|t| (t.name.as_str(), t.source_count, t.note_count))
        .collect()
}

#[tokio::test]
async fn tag_and_untag_sources_and_notes_in_bulk() {
    let (_dir, db) = library().await;
    let a = clip(
        &db,
        "https://www.nikkei.com/article/DGXZQOGM26",
        "日中首脳会談、来月にも調整",
        "政府関係者によると、首脳会談は来月にも開かれる見通しだ。",
    )
    .await;
    let b = clip(
        &db,
        "https://www.kcna.kp/kp/article/q/abc.kcmsf",
        "조선외무성 대변인 담화",
        "조선민주주의인민공화국 외무성 대변인은 26일 담화를 발표하였다.",
    )
    .await;
    let n = note(&db, "Beijing–Tokyo thaw").await;
    let mut tx = db.write().await.unwrap();
    assert_eq!(
        tags::tag_sources(&mut tx, &[a, b], "東アジア")
            .await
            .unwrap(),
        2
    );
    assert_eq!(tags::tag_sources(&mut tx, &[a], "Summit").await.unwrap(), 1);
    // Same tag, other case: one tag, nothing new.
    assert_eq!(tags::tag_sources(&mut tx, &[a], "summit").await.unwrap(), 0);
    assert_eq!(tags::tag_notes(&mut tx, &[n], "SUMMIT").await.unwrap(), 1);
    tx.commit().await.unwrap();

    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(
        counts(&tags::list(&mut conn).await.unwrap()),
        [("Summit", 1, 1), ("東アジア", 2, 0)]
    );
    assert_eq!(
        tags::of_source(&mut conn, a).await.unwrap(),
        ["Summit", "東アジア"]
    );
    assert_eq!(tags::of_source(&mut conn, b).await.unwrap(), ["東アジア"]);
    assert_eq!(tags::of_note(&mut conn, n).await.unwrap(), ["Summit"]);

    assert_eq!(
        tags::untag_sources(&mut conn, &[a, b], "東アジア")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        tags::untag_notes(&mut conn, &[n], "summit").await.unwrap(),
        1
    );
    assert_eq!(
        counts(&tags::list(&mut conn).await.unwrap()),
        [("Summit", 1, 0), ("東アジア", 0, 0)]
    );
    assert_eq!(
        tags::untag_sources(&mut conn, &[a], "no such tag")
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        tags::tag_sources(&mut conn, &[a], "  ")
            .await
            .unwrap_err()
            .code(),
        "invalid"
    );
    let err = tags::tag_sources(&mut conn, &[a, 999], "x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { what: "source", ref id } if id == "999"));
    assert_eq!(
        tags::tag_notes(&mut conn, &[998], "x")
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn rename_delete_and_merge() {
    let (_dir, db) = library().await;
    let a = clip(
        &db,
        "https://www.interfax.ru/world/1234567",
        "Санкции ЕС: 20-й пакет",
        "Евросоюз утвердил двадцатый пакет санкций, сообщил источник.",
    )
    .await;
    let b = clip(
        &db,
        "https://www.politico.eu/article/eu-20th-sanctions-package/",
        "EU agrees 20th sanctions package",
        "\"This is our strongest package yet,\" said Kaja Kallas.",
    )
    .await;
    let n = note(&db, "Sanctions tracker").await;
    let mut tx = db.write().await.unwrap();
    tags::tag_sources(&mut tx, &[a], "санкции").await.unwrap();
    tags::tag_sources(&mut tx, &[a, b], "sanctions")
        .await
        .unwrap();
    tags::tag_sources(&mut tx, &[b], "EU").await.unwrap();
    tags::tag_notes(&mut tx, &[n], "санкции").await.unwrap();
    tags::tag_notes(&mut tx, &[n], "to check").await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.pool().acquire().await.unwrap();
    // Case-only rename is fine; taking another tag's name is a merge, refused.
    tags::rename(&mut conn, "eu", "EU-27").await.unwrap();
    tags::rename(&mut conn, "EU-27", "eu-27").await.unwrap();
    let err = tags::rename(&mut conn, "eu-27", "Sanctions")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "a tag named \"Sanctions\" already exists; merge the tags instead"
    );
    assert_eq!(
        tags::rename(&mut conn, "nope", "x")
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    drop(conn);

    let mut tx = db.write().await.unwrap();
    tags::merge(&mut tx, &["санкции", "SANCTIONS"], "Sanctions")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(
        counts(&tags::list(&mut conn).await.unwrap()),
        [("eu-27", 1, 0), ("sanctions", 2, 1), ("to check", 0, 1)]
    );
    assert_eq!(tags::of_source(&mut conn, a).await.unwrap(), ["sanctions"]);

    // Merging into a new name creates it.
    tags::merge(&mut conn, &["to check"], "verify")
        .await
        .unwrap();
    assert_eq!(
        tags::of_note(&mut conn, n).await.unwrap(),
        ["sanctions", "verify"]
    );

    tags::delete(&mut conn, "eu-27").await.unwrap();
    assert_eq!(tags::of_source(&mut conn, b).await.unwrap(), ["sanctions"]);
    assert_eq!(
        tags::delete(&mut conn, "eu-27").await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        counts(&tags::list(&mut conn).await.unwrap()),
        [("sanctions", 2, 1), ("verify", 0, 1)]
    );
}
