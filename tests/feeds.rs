//! Feeds: every listing format, broken and oversized feeds, legacy charsets
//! and relative links, duplicates across feeds, OPML, section fronts, news
//! sitemaps, query rules, autodiscovery and conditional polls — against a
//! real loopback server and a real library file.

#[path = "common/beat.rs"]
mod beat;
mod common;

use std::time::Duration;

use beat::{wires, Wire};
use common::server::{Response, TestServer};
use common::watching::notebook;
use redline::feeds::opml::FolderAs;
use redline::feeds::{FeedKind, FeedRules, NewFeed};
use redline::fetch::FetchLimits;
use redline::notebook::{Notebook, Settings};

/// Serves every wire item's article page.
fn serve_pages(server: &TestServer, items: &[Wire]) {
    for w in items {
        server.set(w.path, Response::html(beat::page(w, 0)));
    }
}

fn clip_all() -> FeedRules {
    FeedRules {
        auto_clip: true,
        ..FeedRules::default()
    }
}

async fn add(nb: &Notebook, url: String, kind: FeedKind, rules: FeedRules) -> i64 {
    nb.add_feed(NewFeed {
        url,
        kind,
        rules,
        ..NewFeed::default()
    })
    .await
    .unwrap()
    .id
}

async fn titles(nb: &Notebook) -> Vec<String> {
    let mut t: Vec<String> = nb
        .sources(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect();
    t.sort();
    t
}

#[tokio::test]
async fn every_feed_format_is_read_and_its_items_clipped() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    let b = base.clone();
    server.set(
        "/feeds/world.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("Wire World", &all[..2], move |w| format!("{b}{}", w.path)),
        ),
    );
    server.set(
        "/feeds/sahel.rss",
        Response::new(200, "text/xml", beat::rss091(&all[1..2], &base)),
    );
    server.set(
        "/feeds/rdf",
        Response::new(200, "application/rdf+xml", beat::rdf(&all[2..3], &base)),
    );
    server.set(
        "/feeds/asia.atom",
        Response::new(200, "application/atom+xml", beat::atom(&all[3..4], &base)),
    );
    server.set(
        "/feeds/europe.json",
        Response::new(
            200,
            "application/feed+json",
            beat::json_feed(&all[4..5], &base),
        ),
    );
    let (_dir, nb) = notebook().await;
    let mut clipped = 0;
    for (path, new) in [
        ("/feeds/world.rss", 2),
        ("/feeds/sahel.rss", 1),
        ("/feeds/rdf", 1),
        ("/feeds/asia.atom", 1),
        ("/feeds/europe.json", 1),
    ] {
        let id = add(&nb, server.url(path), FeedKind::Feed, clip_all()).await;
        let poll = nb.poll_feed(id).await.unwrap();
        assert_eq!(poll.error, None, "{path}");
        assert_eq!(poll.new_items, new, "{path}");
        clipped += poll.clipped;
        let feed = nb.feed(id).await.unwrap();
        assert!(feed.title.is_some(), "{path}: the listing's title is kept");
    }
    // The Sahel item is in two feeds: clipped once, the second time a duplicate.
    assert_eq!(clipped, 5);
    let mut want: Vec<String> = all.iter().map(|w| w.title.to_string()).collect();
    want.sort();
    assert_eq!(titles(&nb).await, want);
}

#[tokio::test]
async fn a_broken_feed_is_a_clear_error_and_loses_nothing() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    server.set(
        "/feed",
        Response::new(200, "application/atom+xml", beat::atom(&all[..2], &base)),
    );
    let (_dir, nb) = notebook().await;
    let id = add(&nb, server.url("/feed"), FeedKind::Feed, clip_all()).await;
    assert_eq!(nb.poll_feed(id).await.unwrap().clipped, 2);

    // The feed breaks off in the middle of an entry.
    let broken = beat::atom(&all, &base);
    server.set(
        "/feed",
        Response::new(200, "application/atom+xml", &broken[..broken.len() / 2]),
    );
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!(poll.error_code.as_deref(), Some("bad_feed"), "{poll:?}");
    assert!(poll
        .error
        .as_deref()
        .unwrap()
        .contains("not a feed Redline can read"));
    let feed = nb.feed(id).await.unwrap();
    assert_eq!(feed.failure_count, 1);
    assert!(feed.last_error.is_some());
    assert_eq!(feed.items, 2, "the items listed before stay");
    assert_eq!(titles(&nb).await.len(), 2);

    // Not a feed at all.
    server.set(
        "/feed",
        Response::html("<html><body><p>Page not found</p></body></html>"),
    );
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!(poll.error_code.as_deref(), Some("bad_feed"));
    assert_eq!(nb.feed(id).await.unwrap().failure_count, 2);
}

#[tokio::test]
async fn a_50_mb_feed_is_refused_by_the_size_limit() {
    let server = TestServer::start().await;
    let all = wires();
    let base = format!("http://{}", server.addr);
    let mut huge = beat::rss2("Wire", &all, |w| format!("{base}{}", w.path));
    let pad = format!("<!-- {} -->", "x".repeat(1024));
    let close = huge.split_off(huge.rfind("</channel>").unwrap());
    while huge.len() < 50 * 1024 * 1024 {
        huge.push_str(&pad);
    }
    huge.push_str(&close);
    server.set("/huge.rss", Response::new(200, "application/rss+xml", huge));
    let dir = tempfile::tempdir().unwrap();
    let nb = Notebook::open(
        dir.path().join("library.db"),
        Settings {
            limits: FetchLimits::default(),
            polite_gap: Duration::ZERO,
        },
    )
    .await
    .unwrap();
    let id = add(&nb, server.url("/huge.rss"), FeedKind::Feed, clip_all()).await;
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!(poll.error_code.as_deref(), Some("too_large"), "{poll:?}");
    assert!(poll.error.unwrap().contains("larger than 20 MiB"));
    assert_eq!(nb.feed(id).await.unwrap().items, 0);
}

#[tokio::test]
async fn relative_links_and_a_windows_1251_feed() {
    let server = TestServer::start().await;
    let all = wires();
    let ukraine = all[2].clone();
    serve_pages(&server, &all);
    // Declared only in the XML declaration; the header names no charset.
    let xml = beat::rss2(
        "Новости: Украина",
        std::slice::from_ref(&ukraine),
        |w| w.path.to_string(),
    )
    .replace("encoding=\"UTF-8\"", "encoding=\"windows-1251\"");
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(&xml);
    assert!(!bad);
    // The declaration decides, not a guess from the bytes.
    let decoded = redline::charset::decode_xml(&bytes, Some("application/rss+xml"), None);
    assert_eq!(decoded.encoding, "windows-1251");
    assert_eq!(decoded.from, redline::charset::DecodedFrom::Meta);
    server.set(
        "/rus/feed.rss",
        Response::new(200, "application/rss+xml", bytes.into_owned()),
    );
    let (_dir, nb) = notebook().await;
    let id = add(&nb, server.url("/rus/feed.rss"), FeedKind::Feed, clip_all()).await;
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!(poll.error, None);
    assert_eq!(poll.clipped, 1, "{poll:?}");
    let feed = nb.feed(id).await.unwrap();
    assert_eq!(feed.title.as_deref(), Some("Новости: Украина"));
    assert_eq!(titles(&nb).await, vec![ukraine.title.to_string()]);
    let source = nb.sources(&Default::default()).await.unwrap().remove(0);
    assert_eq!(
        source.url.as_deref(),
        Some(server.url(ukraine.path).as_str())
    );
}

#[tokio::test]
async fn a_story_in_two_feeds_and_already_clipped_is_clipped_once() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    let b = base.clone();
    server.set(
        "/a.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("A", &all[..2], move |w| format!("{b}{}", w.path)),
        ),
    );
    // The same stories with tracking parameters, and one more.
    let b = base.clone();
    server.set(
        "/b.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("B", &all[..3], move |w| {
                format!("{b}{}?utm_source=rss&utm_medium=feed", w.path)
            }),
        ),
    );
    let (_dir, nb) = notebook().await;
    // The reporter clipped the Korean story by hand earlier.
    nb.clip_url(&server.url(all[3].path)).await.unwrap();
    let b = base.clone();
    server.set(
        "/c.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("C", &all[3..4], move |w| format!("{b}{}", w.path)),
        ),
    );

    let a = add(&nb, server.url("/a.rss"), FeedKind::Feed, clip_all()).await;
    let bb = add(&nb, server.url("/b.rss"), FeedKind::Feed, clip_all()).await;
    let c = add(&nb, server.url("/c.rss"), FeedKind::Feed, clip_all()).await;
    let pa = nb.poll_feed(a).await.unwrap();
    assert_eq!((pa.clipped, pa.duplicates), (2, 0));
    let pb = nb.poll_feed(bb).await.unwrap();
    assert_eq!(
        (pb.new_items, pb.clipped, pb.duplicates),
        (3, 1, 2),
        "{pb:?}"
    );
    let pc = nb.poll_feed(c).await.unwrap();
    assert_eq!((pc.clipped, pc.duplicates), (0, 1));
    assert_eq!(titles(&nb).await.len(), 4);
    // A second poll lists nothing new.
    let again = nb.poll_feed(bb).await.unwrap();
    assert_eq!(again.new_items, 0);
}

fn opml_of(n: usize, base: &str) -> String {
    let beats = ["Korean Peninsula", "Sahel", "Ukraine"];
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\"><head><title>Beat</title></head><body>\n",
    );
    for (b, name) in beats.iter().enumerate() {
        out.push_str(&format!("<outline text=\"{name}\">\n"));
        for i in (0..n).filter(|i| i % beats.len() == b) {
            out.push_str(&format!(
                "<outline type=\"rss\" text=\"Outlet {i} &amp; Co\" xmlUrl=\"{base}/feeds/{i}.xml\" htmlUrl=\"{base}/\"/>\n"
            ));
        }
        out.push_str("</outline>\n");
    }
    out.push_str("</body></opml>\n");
    out
}

#[tokio::test]
async fn an_opml_of_300_feeds_imports_into_projects_and_exports_back() {
    let (_dir, nb) = notebook().await;
    let opml = opml_of(300, "https://wire.example");
    let out = nb
        .import_opml(opml.as_bytes(), FolderAs::Project, clip_all())
        .await
        .unwrap();
    assert_eq!(
        (out.added, out.already, out.projects_created),
        (300, 0, 3),
        "{out:?}"
    );
    assert!(out.errors.is_empty());
    let feeds = nb.feeds().await.unwrap();
    assert_eq!(feeds.len(), 300);
    let seventh = feeds
        .iter()
        .find(|f| f.url.ends_with("/feeds/7.xml"))
        .unwrap();
    assert_eq!(seventh.title.as_deref(), Some("Outlet 7 & Co"));
    let sahel = nb.resolve_project("Sahel").await.unwrap();
    assert_eq!(
        feeds
            .iter()
            .filter(|f| f.rules.project_id == Some(sahel.id))
            .count(),
        100
    );

    let exported = nb.export_opml().await.unwrap();
    let back = redline::feeds::opml::parse(&exported).unwrap();
    assert_eq!(back.len(), 300);
    assert!(back
        .iter()
        .any(|f| f.folders == ["Ukraine"] && f.url.ends_with("/feeds/2.xml")));

    // Importing again changes nothing; as tags into another library, the folders become tags.
    let again = nb
        .import_opml(opml.as_bytes(), FolderAs::Project, clip_all())
        .await
        .unwrap();
    assert_eq!((again.added, again.already), (0, 300));
    let (_dir2, other) = notebook().await;
    other
        .import_opml(exported.as_bytes(), FolderAs::Tag, FeedRules::default())
        .await
        .unwrap();
    let tagged = other.feeds().await.unwrap();
    assert_eq!(tagged.len(), 300);
    assert!(tagged.iter().all(|f| f.rules.tags.len() == 1));

    let err = nb
        .import_opml(b"<rss version=\"2.0\"/>", FolderAs::Project, clip_all())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "bad_feed");
}

#[tokio::test]
async fn a_section_front_whose_links_change() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    server.set("/world/", Response::html(beat::front(&all[..3])));
    let (_dir, nb) = notebook().await;
    let id = add(
        &nb,
        server.url("/world/"),
        FeedKind::Front,
        FeedRules::default(),
    )
    .await;
    let feed = nb.feed(id).await.unwrap();
    assert_eq!(feed.path_prefix.as_deref(), Some("/world/"));
    let first = nb.poll_feed(id).await.unwrap();
    assert_eq!(first.new_items, 3, "only the section's articles: {first:?}");
    assert_eq!(first.skipped, 3, "listed for triage, not clipped");

    // The front moves on: two new stories, one dropped off.
    server.set("/world/", Response::html(beat::front(&all[1..5])));
    let second = nb.poll_feed(id).await.unwrap();
    assert_eq!(second.new_items, 2, "{second:?}");
    assert_eq!(nb.feed(id).await.unwrap().items, 5);
    assert!(titles(&nb).await.is_empty());
}

#[tokio::test]
async fn a_news_sitemap_lists_its_own_sites_stories() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    server.set(
        "/sitemap-news.xml",
        Response::new(200, "application/xml", beat::news_sitemap(&all[..4], &base)),
    );
    let (_dir, nb) = notebook().await;
    let id = add(
        &nb,
        server.url("/sitemap-news.xml"),
        FeedKind::Sitemap,
        clip_all(),
    )
    .await;
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!((poll.new_items, poll.clipped), (4, 4), "{poll:?}");
    let listing = redline::feeds::sitemap::parse_sitemap(
        beat::news_sitemap(&all[..1], &base).as_bytes(),
        None,
        &server.url("/sitemap-news.xml"),
    )
    .unwrap();
    assert_eq!(listing.items[0].title.as_deref(), Some(all[0].title));
    assert_eq!(listing.items[0].lang.as_deref(), Some("en"));
}

#[tokio::test]
async fn a_query_rule_clips_only_matching_items_by_listing_or_text() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    let b = base.clone();
    server.set(
        "/all.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("All", &all, move |w| format!("{b}{}", w.path)),
        ),
    );
    let (_dir, nb) = notebook().await;
    let project = nb.create_project("Drones", "").await.unwrap();
    // «беспилотник» matches «беспилотников» (Russian forms); "Telegram" is
    // only in the Kharkiv story's text; nothing else matches.
    let rules = FeedRules {
        auto_clip: true,
        query: Some("беспилотник OR Kidal".into()),
        project_id: Some(project.id),
        tags: vec!["drones".into()],
        watch_items: true,
    };
    let id = add(&nb, server.url("/all.rss"), FeedKind::Feed, rules).await;
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!((poll.new_items, poll.clipped), (5, 2), "{poll:?}");
    let mut got = titles(&nb).await;
    got.sort();
    assert_eq!(
        got,
        vec![all[1].title.to_string(), all[2].title.to_string()]
    );
    let sources = nb.sources(&Default::default()).await.unwrap();
    for s in &sources {
        assert!(s.watched, "the rule watches clipped items");
        assert_eq!(
            nb.tags_of_source(s.id).await.unwrap(),
            vec!["drones".to_string()]
        );
        assert_eq!(nb.projects_of_source(s.id).await.unwrap()[0].id, project.id);
        let schedule = nb.story_schedule(s.id).await.unwrap();
        assert!(schedule.next_check_at.is_some());
    }

    // A word only in a story's text: its page is read, then clipped.
    let b = base.clone();
    server.set(
        "/text.rss",
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("All", &all, move |w| format!("{b}{}", w.path)),
        ),
    );
    let rules = FeedRules {
        auto_clip: true,
        query: Some("\"Reporters Without Borders\"".into()),
        ..FeedRules::default()
    };
    let id = add(&nb, server.url("/text.rss"), FeedKind::Feed, rules).await;
    let poll = nb.poll_feed(id).await.unwrap();
    assert_eq!(poll.clipped, 1, "{poll:?}");
    assert!(titles(&nb).await.contains(&all[4].title.to_string()));

    // A query the search language refuses is refused when subscribing.
    let err = nb
        .add_feed(NewFeed {
            url: server.url("/x.rss"),
            rules: FeedRules {
                query: Some("(unclosed".into()),
                ..FeedRules::default()
            },
            ..NewFeed::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn feeds_are_discovered_from_a_clipped_page() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let (_dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(all[0].path)).await.unwrap();
    let found = nb.discover_feeds(clip.source_id).await.unwrap();
    let urls: Vec<&str> = found.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(
        urls,
        vec![
            server.url("/feeds/world.rss").as_str(),
            "https://wire.example/feeds/asia.atom"
        ]
    );
    assert_eq!(found[0].title.as_deref(), Some("Wire: World"));
}

#[tokio::test]
async fn a_feed_answering_304_is_not_read_again() {
    let server = TestServer::start().await;
    let all = wires();
    serve_pages(&server, &all);
    let base = format!("http://{}", server.addr);
    let body = beat::rss2("W", &all[..2], move |w| format!("{base}{}", w.path));
    server.set_handler("/w.rss", move |req| {
        if req.header("If-None-Match") == Some("\"v1\"") {
            Response::new(304, "application/rss+xml", Vec::new()).header("ETag", "\"v1\"")
        } else {
            Response::new(200, "application/rss+xml", body.clone()).header("ETag", "\"v1\"")
        }
    });
    let (_dir, nb) = notebook().await;
    let id = add(&nb, server.url("/w.rss"), FeedKind::Feed, clip_all()).await;
    assert_eq!(nb.poll_feed(id).await.unwrap().clipped, 2);
    let second = nb.poll_feed(id).await.unwrap();
    assert!(second.not_modified, "{second:?}");
    assert_eq!(second.new_items, 0);
    let conditional = server
        .requests()
        .iter()
        .filter(|r| r.path == "/w.rss" && r.header("If-None-Match").is_some())
        .count();
    assert_eq!(conditional, 1);
}

#[test]
fn the_cli_adds_lists_exports_imports_and_removes_feeds() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("redline")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["project", "new", "Korean Peninsula"]);
    let added = run(&[
        "feed",
        "add",
        "https://wire.example/feeds/asia.atom",
        "--query",
        "missile OR 미사일",
        "--project",
        "Korean Peninsula",
        "--tag",
        "nk",
        "--watch",
    ]);
    assert!(added.contains("Feed 1 added"), "{added}");
    run(&[
        "feed",
        "add",
        "https://wire.example/world/",
        "--kind",
        "front",
        "--prefix",
        "/world/2026/",
    ]);
    let list = run(&["feed", "list"]);
    assert!(list.contains("clips \"missile OR 미사일\""), "{list}");
    assert!(list.contains("front"), "{list}");
    let opml_path = dir.path().join("feeds.opml");
    run(&["feed", "export-opml", opml_path.to_str().unwrap()]);
    let opml = std::fs::read_to_string(&opml_path).unwrap();
    assert!(
        opml.contains("<outline text=\"Korean Peninsula\">"),
        "{opml}"
    );
    run(&["feed", "remove", "1"]);
    let json = run(&["--json", "feed", "list"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let imported = run(&[
        "feed",
        "import-opml",
        opml_path.to_str().unwrap(),
        "--folders",
        "tag",
    ]);
    assert!(
        imported.contains("Imported 1 feed(s) (1 already subscribed"),
        "{imported}"
    );
    let status = run(&["watch", "status"]);
    assert!(status.contains("No watch scheduler"), "{status}");
}
