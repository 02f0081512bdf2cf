//! Whole-library backup while the library is in use, and restore.

use redline::article::{Article, Block};
use redline::export;
use redline::versions::{self, CaptureOutcome, CaptureRecord};
use redline::Db;

/// One clipped story in one transaction: a source, its version and capture.
async fn clip(db: &Db, n: usize) -> i64 {
    let url = format!("https://www.dw.com/en/berlin-coalition-talks/a-7{n:06}");
    let at = "2026-11-26T12:00:00.000Z";
    let mut tx = db.write().await.unwrap();
    let id = versions::insert_source(&mut tx, Some(&url), Some(&url), at)
        .await
        .unwrap();
    let article = Article {
        title: format!("Berlin coalition talks, day {n}"),
        site_name: Some("DW".into()),
        lang: Some("de".into()),
        blocks: vec![Block::paragraph(format!(
            "„Wir sind noch nicht am Ziel“, sagte Friedrich Merz am Tag {n}."
        ))],
        ..Default::default()
    };
    let fp = redline::normalize::fingerprint(&article.title, &article.blocks);
    let v = versions::insert_version(&mut tx, id, &article, &fp, at)
        .await
        .unwrap();
    let record = CaptureRecord {
        raw: Some(vec![b'x'; 2048 + n]),
        ..Default::default()
    };
    versions::insert_capture(
        &mut tx,
        id,
        &record,
        CaptureOutcome::NewVersion,
        None,
        Some(v.id),
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn titles(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT title FROM versions ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_another_task_writes_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    for n in 0..20 {
        clip(&db, n).await;
    }
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for n in 20..120 {
                clip(&db, n).await;
            }
        })
    };
    let target = dir.path().join("backups").join("redline-2026-11-26.db");
    let report = export::backup(&db, &target).await.unwrap();
    writer.await.unwrap();
    assert_eq!(report.path, target.display().to_string());
    assert!(report.bytes > 0);

    let copy = Db::open(&target).await.unwrap();
    let (sources, versions, captures, orphans): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
                (SELECT COUNT(*) FROM captures), \
                (SELECT COUNT(*) FROM sources s WHERE NOT EXISTS \
                   (SELECT 1 FROM versions v WHERE v.source_id = s.id))",
    )
    .fetch_one(copy.pool())
    .await
    .unwrap();
    // A snapshot between two transactions: whole stories only.
    assert!((20..=120).contains(&sources), "{sources}");
    assert_eq!((versions, captures, orphans), (sources, sources, 0));
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(copy.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    copy.close().await;

    // The live library kept every write.
    assert_eq!(titles(&db).await.len(), 120);
    // A backup never overwrites a file.
    let err = export::backup(&db, &target).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn restore_replaces_a_closed_library_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 1).await;
    clip(&db, 2).await;
    let backup = dir.path().join("monday.db");
    let report = export::backup(&db, &backup).await.unwrap();
    assert_eq!((report.sources, report.versions, report.notes), (2, 2, 0));
    clip(&db, 3).await;

    // While the library is open, restoring over it is refused and changes nothing.
    let err = export::restore(&backup, &live).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        format!(
            "the library at {} is open; close Redline and try again",
            live.display()
        )
    );
    assert_eq!(titles(&db).await.len(), 3);
    db.close().await;

    let restored = export::restore(&backup, &live).await.unwrap();
    assert_eq!((restored.sources, restored.versions), (2, 2));
    let previous = restored.previous.expect("the replaced library is kept");
    let db = Db::open(&live).await.unwrap();
    assert_eq!(
        titles(&db).await,
        [
            "Berlin coalition talks, day 1",
            "Berlin coalition talks, day 2"
        ]
    );
    db.close().await;
    let old = Db::open(&previous).await.unwrap();
    assert_eq!(titles(&old).await.len(), 3);
    old.close().await;

    // Restoring to a path with no library yet works too.
    let fresh = dir.path().join("elsewhere").join("redline.db");
    let r = export::restore(&backup, &fresh).await.unwrap();
    assert_eq!(r.previous, None);
    let db = Db::open(&fresh).await.unwrap();
    assert_eq!(titles(&db).await.len(), 2);
    db.close().await;
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_sound_library() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("library.db");
    let db = Db::open(&live).await.unwrap();
    clip(&db, 7).await;
    db.close().await;

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Kallas: \"strongest package yet\"").unwrap();
    let err = export::restore(&text, &live).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        format!("{} is not a SQLite database", text.display())
    );

    // A SQLite header over garbage: opening or checking it fails.
    let broken = dir.path().join("broken.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5u8, 8192));
    std::fs::write(&broken, bytes).unwrap();
    assert!(export::restore(&broken, &live).await.is_err());

    assert!(export::restore(&dir.path().join("missing.db"), &live)
        .await
        .is_err());

    // The library is untouched and no staging file is left behind.
    let db = Db::open(&live).await.unwrap();
    assert_eq!(titles(&db).await, ["Berlin coalition talks, day 7"]);
    db.close().await;
    let staged: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring") || n.contains("before-restore"))
        .collect();
    assert_eq!(staged, Vec::<String>::new());
}
