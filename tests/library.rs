//! The library list: filters that combine, sorting, paging, filter menus,
//! watch/archive flags and "not yet viewed".

mod common;

use common::seed;
use redline::article::{Article, Dir};
use redline::library::{self, FacetCount, SourceFilter, SourceSort};
use redline::versions::{self, CaptureRecord};
use redline::{projects, tags, Db};

struct Story {
    url: &'static str,
    site: &'static str,
    lang: &'static str,
    dir: Dir,
    published: Option<&'static str>,
    /// Title and capture time of each version, oldest first.
    versions: &'static [(&'static str, &'static str)],
}

const STORIES: &[Story] = &[
    Story {
        url: "https://www.yna.co.kr/view/AKR20261120001",
        site: "연합뉴스",
        lang: "ko",
        dir: Dir::Ltr,
        // 00:15 UTC on 20 November.
        published: Some("2026-11-20T09:15:00+09:00"),
        versions: &[
            (
                "북한, 동해상으로 탄도미사일 발사",
                "2026-11-20T01:00:00.000Z",
            ),
            (
                "북한, 동해상으로 탄도미사일 2발 발사(종합)",
                "2026-11-22T08:00:00.000Z",
            ),
        ],
    },
    Story {
        url: "https://www.reuters.com/world/asia-pacific/summit-talks-stall/",
        site: "Reuters",
        lang: "en-GB",
        dir: Dir::Ltr,
        published: Some("2026-11-21T14:02:00Z"),
        versions: &[(
            "Summit talks stall over sanctions relief",
            "2026-11-21T15:00:00.000Z",
        )],
    },
    Story {
        url: "https://tass.ru/politika/22512345",
        site: "ТАСС",
        lang: "ru",
        dir: Dir::Ltr,
        // 04:30 UTC on 20 November: later than the Korean story despite the date.
        published: Some("2026-11-19T23:30:00-05:00"),
        versions: &[
            ("Лавров: переговоры продолжатся", "2026-11-23T10:00:00.000Z"),
            (
                "Лавров: переговоры продолжатся в Женеве",
                "2026-11-24T10:00:00.000Z",
            ),
            (
                "Лавров: переговоры в Женеве отложены",
                "2026-11-25T10:00:00.000Z",
            ),
        ],
    },
    Story {
        url: "https://www.aljazeera.net/news/2026/11/24/gaza-aid",
        site: "الجزيرة نت",
        lang: "ar",
        dir: Dir::Rtl,
        published: None,
        versions: &[("دخول شاحنات المساعدات إلى غزة", "2026-11-24T12:00:00.000Z")],
    },
    Story {
        url: "https://www.reuters.com/world/china/xi-visit/",
        site: "reuters",
        lang: "en",
        dir: Dir::Ltr,
        published: Some("2026-11-18"),
        versions: &[(
            "Xi to visit Seoul for first time in 11 years",
            "2026-11-18T06:00:00.000Z",
        )],
    },
];

/// Builds the library; returns source ids in `STORIES` order.
async fn library() -> (tempfile::TempDir, Db, Vec<i64>) {
    let (dir, db) = seed::library().await;
    let mut ids = Vec::new();
    for s in STORIES {
        let mut tx = db.write().await.unwrap();
        let id = seed::insert_source(&mut tx, s.url, s.versions[0].1).await;
        for (title, at) in s.versions {
            let article = Article {
                site_name: Some(s.site.into()),
                lang: Some(s.lang.into()),
                dir: s.dir,
                published_at: s.published.map(Into::into),
                ..seed::article(title, &[&format!("{title} — body")])
            };
            let record = CaptureRecord {
                requested_url: Some(s.url.into()),
                http_status: Some(200),
                raw: Some(title.as_bytes().to_vec()),
                ..Default::default()
            };
            seed::insert_captured_version(&mut tx, id, &article, &record, at).await;
        }
        tx.commit().await.unwrap();
        ids.push(id);
    }
    (dir, db, ids)
}

async fn ids_for(db: &Db, filter: &SourceFilter) -> Vec<i64> {
    let mut conn = db.pool().acquire().await.unwrap();
    let list = library::list_sources(&mut conn, filter).await.unwrap();
    let count = library::count_sources(
        &mut conn,
        &SourceFilter {
            limit: None,
            offset: 0,
            ..filter.clone()
        },
    )
    .await
    .unwrap();
    if filter.limit.is_none() && filter.offset == 0 {
        assert_eq!(count, list.len() as i64, "count agrees with the list");
    }
    list.into_iter().map(|s| s.id).collect()
}

#[tokio::test]
async fn sorts_and_pages() {
    let (_dir, db, id) = library().await;
    let (ko, reu, ru, ar, xi) = (id[0], id[1], id[2], id[3], id[4]);
    let f = |sort| SourceFilter {
        sort,
        ..Default::default()
    };
    assert_eq!(
        ids_for(&db, &f(SourceSort::CapturedDesc)).await,
        [ar, ru, reu, ko, xi]
    );
    assert_eq!(
        ids_for(&db, &f(SourceSort::CapturedAsc)).await,
        [xi, ko, reu, ru, ar]
    );
    // Instants, not strings: TASS (-05:00) was published after Yonhap (+09:00).
    assert_eq!(
        ids_for(&db, &f(SourceSort::PublishedDesc)).await,
        [reu, ru, ko, xi, ar]
    );
    assert_eq!(
        ids_for(&db, &f(SourceSort::PublishedAsc)).await,
        [xi, ko, ru, reu, ar]
    );
    assert_eq!(
        ids_for(&db, &f(SourceSort::Title)).await,
        [reu, xi, ru, ar, ko]
    );
    assert_eq!(
        ids_for(&db, &f(SourceSort::Site)).await,
        [reu, xi, ru, ar, ko]
    );

    let page = SourceFilter {
        sort: SourceSort::CapturedAsc,
        limit: Some(2),
        offset: 2,
        ..Default::default()
    };
    assert_eq!(ids_for(&db, &page).await, [reu, ru]);
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(library::count_sources(&mut conn, &page).await.unwrap(), 5);

    // The list carries the latest version's metadata.
    let list = library::list_sources(&mut conn, &f(SourceSort::CapturedDesc))
        .await
        .unwrap();
    let tass = list.iter().find(|s| s.id == ru).unwrap();
    assert_eq!(tass.title, "Лавров: переговоры в Женеве отложены");
    assert_eq!(tass.version_count, 3);
    assert_eq!(list.iter().find(|s| s.id == ar).unwrap().dir, "rtl");
}

#[tokio::test]
async fn filters_combine() {
    let (_dir, db, id) = library().await;
    let (ko, reu, ru, ar, xi) = (id[0], id[1], id[2], id[3], id[4]);
    let mut tx = db.write().await.unwrap();
    let project = projects::create(&mut tx, "Korea summit", "").await.unwrap();
    projects::add_sources(&mut tx, project.id, &[ko, reu, xi])
        .await
        .unwrap();
    tags::tag_sources(&mut tx, &[ko, ru], "미사일")
        .await
        .unwrap();
    tags::tag_sources(&mut tx, &[reu, xi, ar], "diplomacy")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let all = SourceFilter {
        sort: SourceSort::CapturedAsc,
        ..Default::default()
    };
    let with = |f: SourceFilter| f;
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                project_id: Some(project.id),
                ..all.clone()
            })
        )
        .await,
        [xi, ko, reu]
    );
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                tag: Some("DIPLOMACY".into()),
                ..all.clone()
            })
        )
        .await,
        [xi, reu, ar]
    );
    // Outlet names compare without case; "en" covers "en-GB".
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                site: Some("REUTERS".into()),
                ..all.clone()
            })
        )
        .await,
        [xi, reu]
    );
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                lang: Some("en".into()),
                ..all.clone()
            })
        )
        .await,
        [xi, reu]
    );
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                lang: Some("en-gb".into()),
                ..all.clone()
            })
        )
        .await,
        [reu]
    );
    assert_eq!(
        ids_for(
            &db,
            &with(SourceFilter {
                site: Some("ТАСС".into()),
                ..all.clone()
            })
        )
        .await,
        [ru]
    );

    // A plain date as the end covers the whole day.
    let captured = SourceFilter {
        captured_from: Some("2026-11-20".into()),
        captured_to: Some("2026-11-23".into()),
        ..all.clone()
    };
    assert_eq!(ids_for(&db, &captured).await, [ko, reu, ru]);
    let captured_exact = SourceFilter {
        captured_to: Some("2026-11-23T09:59:59Z".into()),
        ..captured.clone()
    };
    assert_eq!(ids_for(&db, &captured_exact).await, [ko, reu]);
    // Published on 20 November UTC: Yonhap (00:15Z) and TASS (04:30Z), not by local dates.
    let published = SourceFilter {
        published_from: Some("2026-11-20".into()),
        published_to: Some("2026-11-20".into()),
        ..all.clone()
    };
    assert_eq!(ids_for(&db, &published).await, [ko, ru]);

    // Changed since: a version after the first, made at or after the time.
    let changed = |since: &str| SourceFilter {
        changed_since: Some(since.into()),
        ..all.clone()
    };
    assert_eq!(ids_for(&db, &changed("2026-11-20")).await, [ko, ru]);
    assert_eq!(ids_for(&db, &changed("2026-11-24T10:00:00Z")).await, [ru]);
    assert_eq!(
        ids_for(&db, &changed("2026-11-26")).await,
        Vec::<i64>::new()
    );

    // Everything at once.
    let combined = SourceFilter {
        project_id: Some(project.id),
        tag: Some("미사일".into()),
        lang: Some("ko".into()),
        changed_since: Some("2026-11-21".into()),
        published_to: Some("2026-11-20T00:15:00Z".into()),
        ..all.clone()
    };
    assert_eq!(ids_for(&db, &combined).await, [ko]);
    let none = SourceFilter {
        site: Some("Reuters".into()),
        ..combined
    };
    assert_eq!(ids_for(&db, &none).await, Vec::<i64>::new());

    let mut conn = db.pool().acquire().await.unwrap();
    let bad = SourceFilter {
        captured_from: Some("last Tuesday".into()),
        ..all
    };
    let err = library::list_sources(&mut conn, &bad).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "capturedFrom: not a date or time: \"last Tuesday\""
    );
}

#[tokio::test]
async fn watch_archive_and_viewed() {
    let (_dir, db, id) = library().await;
    let (ko, reu, ru, ar, xi) = (id[0], id[1], id[2], id[3], id[4]);
    let all = SourceFilter {
        sort: SourceSort::CapturedAsc,
        ..Default::default()
    };
    let mut tx = db.write().await.unwrap();
    assert_eq!(
        library::set_watched(&mut tx, &[ko, ru], true)
            .await
            .unwrap(),
        2
    );
    assert_eq!(library::set_watched(&mut tx, &[ko], true).await.unwrap(), 0);
    assert_eq!(
        library::set_archived(&mut tx, &[xi, ar], true)
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    assert_eq!(
        library::set_watched(&mut db.pool().acquire().await.unwrap(), &[ko, 4242], false)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );

    // Archived sources are hidden by default.
    assert_eq!(ids_for(&db, &all).await, [ko, reu, ru]);
    assert_eq!(
        ids_for(
            &db,
            &SourceFilter {
                archived: Some(true),
                ..all.clone()
            }
        )
        .await,
        [xi, ar]
    );
    assert_eq!(
        ids_for(
            &db,
            &SourceFilter {
                archived: None,
                ..all.clone()
            }
        )
        .await,
        [xi, ko, reu, ru, ar]
    );
    assert_eq!(
        ids_for(
            &db,
            &SourceFilter {
                watched: Some(true),
                ..all.clone()
            }
        )
        .await,
        [ko, ru]
    );
    assert_eq!(
        ids_for(
            &db,
            &SourceFilter {
                watched: Some(false),
                ..all.clone()
            }
        )
        .await,
        [reu]
    );

    // Never viewed: every source is unviewed.
    let unviewed = SourceFilter {
        unviewed: true,
        ..all.clone()
    };
    assert_eq!(ids_for(&db, &unviewed).await, [ko, reu, ru]);
    let mut conn = db.pool().acquire().await.unwrap();
    let ru_versions = versions::list_versions(&mut conn, ru).await.unwrap();
    let ko_latest = versions::latest_version(&mut conn, ko)
        .await
        .unwrap()
        .unwrap();
    let reu_latest = versions::latest_version(&mut conn, reu)
        .await
        .unwrap()
        .unwrap();
    library::mark_viewed(&mut conn, ko, ko_latest.id)
        .await
        .unwrap();
    library::mark_viewed(&mut conn, reu, reu_latest.id)
        .await
        .unwrap();
    // TASS: seen up to version 2 of 3, so version 3 is still new.
    library::mark_viewed(&mut conn, ru, ru_versions[1].id)
        .await
        .unwrap();
    assert_eq!(ids_for(&db, &unviewed).await, [ru]);
    library::mark_viewed(&mut conn, ru, ru_versions[2].id)
        .await
        .unwrap();
    assert_eq!(ids_for(&db, &unviewed).await, Vec::<i64>::new());
    // Reopening an older version does not make the newest unread again.
    library::mark_viewed(&mut conn, ru, ru_versions[0].id)
        .await
        .unwrap();
    let source = versions::get_source(&mut conn, ru).await.unwrap();
    assert_eq!(source.last_viewed_version_id, Some(ru_versions[2].id));
    assert_eq!(ids_for(&db, &unviewed).await, Vec::<i64>::new());

    let err = library::mark_viewed(&mut conn, ko, ru_versions[0].id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        library::mark_viewed(&mut conn, ko, 99999)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );

    // A new capture of a viewed source makes it unviewed again.
    let article = Article {
        site_name: Some("Reuters".into()),
        ..seed::article(
            "Summit talks resume after sanctions deal",
            &["Talks resumed on Thursday."],
        )
    };
    seed::version(&db, reu, &article, "2026-11-26T08:00:00.000Z").await;
    assert_eq!(ids_for(&db, &unviewed).await, [reu]);
}

#[tokio::test]
async fn filter_menus_list_outlets_and_languages() {
    let (_dir, db, id) = library().await;
    let mut conn = db.pool().acquire().await.unwrap();
    let facet = |v: &str, c| FacetCount {
        value: v.into(),
        count: c,
    };
    assert_eq!(
        library::list_sites(&mut conn).await.unwrap(),
        [
            facet("Reuters", 2),
            facet("ТАСС", 1),
            facet("الجزيرة نت", 1),
            facet("연합뉴스", 1)
        ]
    );
    library::set_archived(&mut conn, &[id[3]], true)
        .await
        .unwrap();
    assert_eq!(
        library::list_languages(&mut conn).await.unwrap(),
        [
            facet("en", 1),
            facet("en-GB", 1),
            facet("ko", 1),
            facet("ru", 1)
        ]
    );
}

/// The list, its count and its filter menus read each source's latest version
/// from the covering index, not from one table page per source (45 MB of page
/// cache for 10,000 sources, BENCHMARKS-app.md).
#[tokio::test]
async fn the_list_reads_latest_versions_from_the_covering_index() {
    let (_dir, db, _ids) = library().await;
    let sql = format!(
        "EXPLAIN QUERY PLAN {} WHERE s.archived = 0",
        versions::SOURCE_SELECT
    );
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&sql).fetch_all(db.pool()).await.unwrap();
    let details: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("SEARCH v USING COVERING INDEX versions_listing")),
        "{details:?}"
    );
}
