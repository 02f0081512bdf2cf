//! Projects: create, rename, describe, archive, list with counts, membership
//! in several projects, and deletes that say what goes and never take a
//! source another project holds.

use redline::article::{Article, Block};
use redline::projects::{self, ItemRef};
use redline::versions::{self, CaptureOutcome, CaptureRecord};
use redline::{Db, Error};

async fn library() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    (dir, db)
}

/// Clips an invented story: a source, one version, one capture.
async fn clip(db: &Db, url: &str, title: &str, site: &str, body: &[&str]) -> i64 {
    let mut tx = db.write().await.unwrap();
    let now = "2026-11-26T09:00:00.000Z";
    let id = versions::insert_source(&mut tx, Some(url), Some(url), now)
        .await
        .unwrap();
    let article = Article {
        title: title.into(),
        site_name: Some(site.into()),
        blocks: body.iter().map(|t| Block::paragraph(*t)).collect(),
        ..Default::default()
    };
    let fp = redline::normalize::fingerprint(&article.title, &article.blocks);
    let v = versions::insert_version(&mut tx, id, &article, &fp, now)
        .await
        .unwrap();
    let record = CaptureRecord {
        requested_url: Some(url.into()),
        http_status: Some(200),
        raw: Some(format!("<h1>{title}</h1>").into_bytes()),
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

async fn source_exists(db: &Db, id: i64) -> bool {
    let mut conn = db.pool().acquire().await.unwrap();
    versions::get_source(&mut conn, id).await.is_ok()
}

#[tokio::test]
async fn create_rename_describe_archive_and_list() {
    let (_dir, db) = library().await;
    let mut conn = db.pool().acquire().await.unwrap();
    let summit = projects::create(&mut conn, "  Busan summit ", "APEC side talks")
        .await
        .unwrap();
    assert_eq!(summit.name, "Busan summit");
    assert_eq!(summit.description, "APEC side talks");
    assert!(!summit.archived);
    let sahel = projects::create(&mut conn, "Sahel coups", "")
        .await
        .unwrap();

    // Names are unique regardless of case.
    let err = projects::create(&mut conn, "BUSAN SUMMIT", "")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "a project named \"BUSAN SUMMIT\" already exists"
    );
    assert_eq!(
        projects::create(&mut conn, "   ", "")
            .await
            .unwrap_err()
            .code(),
        "invalid"
    );
    let err = projects::rename(&mut conn, sahel.id, "busan Summit")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");

    let renamed = projects::rename(&mut conn, summit.id, "APEC 2026 — Gyeongju")
        .await
        .unwrap();
    assert_eq!(renamed.name, "APEC 2026 — Gyeongju");
    let described = projects::describe(&mut conn, summit.id, "Xi–Trump meeting, trade truce")
        .await
        .unwrap();
    assert_eq!(described.description, "Xi–Trump meeting, trade truce");
    assert_eq!(
        projects::resolve(&mut conn, "apec 2026 — gyeongju")
            .await
            .unwrap()
            .id,
        summit.id
    );
    assert_eq!(
        projects::resolve(&mut conn, &sahel.id.to_string())
            .await
            .unwrap()
            .id,
        sahel.id
    );
    assert_eq!(
        projects::rename(&mut conn, 999, "x")
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );

    assert_eq!(
        projects::set_archived(&mut conn, &[sahel.id], true)
            .await
            .unwrap(),
        1
    );
    // Archiving twice changes nothing.
    assert_eq!(
        projects::set_archived(&mut conn, &[sahel.id], true)
            .await
            .unwrap(),
        0
    );
    let names = |list: Vec<projects::Project>| list.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(
        names(projects::list(&mut conn, false).await.unwrap()),
        ["APEC 2026 — Gyeongju"]
    );
    assert_eq!(
        names(projects::list(&mut conn, true).await.unwrap()),
        ["APEC 2026 — Gyeongju", "Sahel coups"]
    );
    assert_eq!(
        projects::set_archived(&mut conn, &[sahel.id], false)
            .await
            .unwrap(),
        1
    );
    assert_eq!(projects::list(&mut conn, false).await.unwrap().len(), 2);
    let err = projects::set_archived(&mut conn, &[sahel.id, 404], true)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { what: "project", ref id } if id == "404"));
}

#[tokio::test]
async fn sources_and_notes_belong_to_several_projects() {
    let (_dir, db) = library().await;
    let yonhap = clip(
        &db,
        "https://en.yna.co.kr/view/AEN20261126000300315",
        "N. Korea fires ballistic missile into East Sea",
        "Yonhap News Agency",
        &["SEOUL, Nov. 26 (Yonhap) -- North Korea fired a short-range ballistic missile."],
    )
    .await;
    let tass = clip(
        &db,
        "https://tass.ru/politika/22512345",
        "Лавров: переговоры продолжатся",
        "ТАСС",
        &["МОСКВА, 26 ноября. /ТАСС/. Переговоры продолжатся, заявил Сергей Лавров."],
    )
    .await;
    let n1 = note(&db, "Missile timeline").await;
    let mut conn = db.pool().acquire().await.unwrap();
    let korea = projects::create(&mut conn, "Korean peninsula", "")
        .await
        .unwrap();
    let russia = projects::create(&mut conn, "Russia–DPRK ties", "")
        .await
        .unwrap();

    assert_eq!(
        projects::add_sources(&mut conn, korea.id, &[yonhap, tass])
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        projects::add_sources(&mut conn, russia.id, &[tass])
            .await
            .unwrap(),
        1
    );
    // Adding again is harmless and counted as nothing new.
    assert_eq!(
        projects::add_sources(&mut conn, korea.id, &[yonhap])
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        projects::add_notes(&mut conn, korea.id, &[n1])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        projects::add_notes(&mut conn, russia.id, &[n1])
            .await
            .unwrap(),
        1
    );

    let korea_now = projects::get(&mut conn, korea.id).await.unwrap();
    assert_eq!((korea_now.source_count, korea_now.note_count), (2, 1));
    let held_by: Vec<String> = projects::of_source(&mut conn, tass)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(held_by, ["Korean peninsula", "Russia–DPRK ties"]);

    assert_eq!(
        projects::remove_sources(&mut conn, korea.id, &[tass])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        projects::remove_notes(&mut conn, russia.id, &[n1])
            .await
            .unwrap(),
        1
    );
    let korea_now = projects::get(&mut conn, korea.id).await.unwrap();
    let russia_now = projects::get(&mut conn, russia.id).await.unwrap();
    assert_eq!((korea_now.source_count, korea_now.note_count), (1, 1));
    assert_eq!((russia_now.source_count, russia_now.note_count), (1, 0));
    assert!(source_exists(&db, tass).await);

    // An unknown id refuses the whole bulk action.
    drop(conn);
    let mut tx = db.write().await.unwrap();
    let err = projects::add_sources(&mut tx, russia.id, &[yonhap, 777])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { what: "source", ref id } if id == "777"));
    drop(tx);
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(
        projects::get(&mut conn, russia.id)
            .await
            .unwrap()
            .source_count,
        1
    );
    assert_eq!(
        projects::add_notes(&mut conn, 555, &[n1])
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn delete_says_what_goes_and_keeps_shared_sources() {
    let (_dir, db) = library().await;
    let only_here = clip(
        &db,
        "https://www.aljazeera.net/news/2026/11/26/sudan",
        "السودان: هدنة إنسانية في الفاشر",
        "الجزيرة نت",
        &["قالت مصادر محلية إن الهدنة صمدت لليوم الثاني."],
    )
    .await;
    let shared = clip(
        &db,
        "https://www.reuters.com/world/africa/sudan-truce-2026-11-26/",
        "Sudan truce holds for second day in El Fasher",
        "Reuters",
        &["\"The guns are quiet for now,\" said aid worker Amira Osman."],
    )
    .await;
    let unfiled = clip(
        &db,
        "https://www.xinhuanet.com/world/20261126/abc.htm",
        "苏丹停火协议生效",
        "新华社",
        &["新华社喀土穆11月26日电 苏丹停火协议于26日生效。"],
    )
    .await;
    let diary = note(&db, "El Fasher diary").await;
    let brief = note(&db, "Desk brief").await;
    let mut conn = db.pool().acquire().await.unwrap();
    let sudan = projects::create(&mut conn, "Sudan war", "").await.unwrap();
    let desk = projects::create(&mut conn, "Africa desk", "")
        .await
        .unwrap();
    projects::add_sources(&mut conn, sudan.id, &[only_here, shared])
        .await
        .unwrap();
    projects::add_sources(&mut conn, desk.id, &[shared])
        .await
        .unwrap();
    projects::add_notes(&mut conn, sudan.id, &[diary, brief])
        .await
        .unwrap();
    projects::add_notes(&mut conn, desk.id, &[brief])
        .await
        .unwrap();

    let plan = projects::delete_plan(&mut conn, sudan.id).await.unwrap();
    assert_eq!(plan.project.name, "Sudan war");
    assert_eq!(
        plan.exclusive_sources,
        [ItemRef {
            id: only_here,
            title: "السودان: هدنة إنسانية في الفاشر".into(),
            other_projects: 0
        }]
    );
    assert_eq!(
        plan.shared_sources,
        [ItemRef {
            id: shared,
            title: "Sudan truce holds for second day in El Fasher".into(),
            other_projects: 1
        }]
    );
    assert_eq!(
        plan.notes,
        [
            ItemRef {
                id: diary,
                title: "El Fasher diary".into(),
                other_projects: 0
            },
            ItemRef {
                id: brief,
                title: "Desk brief".into(),
                other_projects: 1
            },
        ]
    );
    drop(conn);

    // Without sources: only the project and its memberships go.
    let done = projects::delete(&db, sudan.id, false).await.unwrap();
    assert_eq!(done, plan);
    assert!(source_exists(&db, only_here).await);
    assert!(source_exists(&db, shared).await);
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(
        projects::get(&mut conn, sudan.id).await.unwrap_err().code(),
        "not_found"
    );
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(notes, 2);

    // With sources: the exclusive ones go; the shared one and unrelated ones stay.
    let again = projects::create(&mut conn, "Sudan war", "").await.unwrap();
    projects::add_sources(&mut conn, again.id, &[only_here, shared])
        .await
        .unwrap();
    drop(conn);
    projects::delete(&db, again.id, true).await.unwrap();
    assert!(!source_exists(&db, only_here).await);
    assert!(source_exists(&db, shared).await);
    assert!(source_exists(&db, unfiled).await);
    let mut conn = db.pool().acquire().await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM versions WHERE source_id = ?")
        .bind(only_here)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let desk_now = projects::get(&mut conn, desk.id).await.unwrap();
    assert_eq!((desk_now.source_count, desk_now.note_count), (1, 1));
    assert_eq!(
        projects::delete_plan(&mut conn, 12345)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}
