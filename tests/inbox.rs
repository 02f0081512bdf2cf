//! The Changed inbox: the real scheduler re-checks a watched story on a
//! loopback site (simulated clock) while the story is revised, redirected and
//! taken down, and a feed brings a new story. Each finding lands in the inbox
//! once, with its kinds and summary, announced with whether the reporter's
//! settings want a notification; the CLI reads and marks the same inbox.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::{Duration, Utc};
use common::cli::{json, redline};
use common::server::{Response, TestServer};
use common::watching::{notebook, scheduler_settings};
use redline::alerts::AlertKind;
use redline::notebook::AlertRaised;
use redline::schedule::SimClock;

const STORY: &str = "/world/middle-east/2026/11/30/doha-ceasefire-talks";
const LIVE: &str = "/world/middle-east/live/doha-talks-day-two";

/// The story as revision `r` tells it: r1 rewrites the headline, revises the
/// displaced figure, softens the minister's quote and edits the cited
/// proposal; r2 only adds a paragraph.
fn story(r: u32) -> String {
    let headline = if r == 0 {
        "Ceasefire talks collapse as envoys leave Doha"
    } else {
        "Ceasefire talks stall as envoys leave Doha"
    };
    let displaced = if r == 0 { "30,000" } else { "25,000" };
    let quote = if r == 0 {
        "“We will not sign under fire,” said Foreign Minister Leila Haddad."
    } else {
        "“We will not sign under these conditions,” said Foreign Minister Leila Haddad."
    };
    let pause = if r == 0 { "72-hour" } else { "48-hour" };
    let extra = if r >= 2 {
        "<p>Qatar's foreign ministry said in a statement late on Monday that contacts with both delegations would continue by telephone.</p>"
    } else {
        ""
    };
    article(
        headline,
        &format!(
            "<p>DOHA, Nov 30 (Wire) - Indirect talks on a ceasefire broke up on Monday without agreement after the two delegations left the Qatari capital, officials on both sides said.</p>
             <figure><img src=\"/img/doha.jpg\"><figcaption>Delegates leave the Sheraton hotel in Doha on Monday. Photo: Wire</figcaption></figure>
             <p>The fighting has displaced about {displaced} people since the start of the month, according to the United Nations refugee agency.</p>
             <p>{quote}</p>
             <p>The mediators had proposed a {pause} pause to allow aid convoys through the Rafah crossing, according to two diplomats briefed on the talks.</p>
             <p>Egypt and Qatar, which have mediated for months, said they would invite both sides back next week.</p>
             {extra}"
        ),
    )
}

fn live_page() -> String {
    article(
        "Doha talks, day two: live updates",
        "<p>09:40 - Mediators are meeting the delegations separately this morning, a Qatari official said.</p>
         <p>10:15 - The Egyptian intelligence chief has arrived at the venue, according to state television.</p>
         <p>11:02 - No statement is expected before the afternoon, a spokesman for the mediators said.</p>",
    )
}

fn article(headline: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{headline} | The Wire</title></head>
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/subscribe\">Subscribe</a></nav>
         <article><h1>{headline}</h1><p class=\"byline\">By Rania Saleh in Doha</p>{body}</article>
         <footer>© 2026 The Wire · Terms · Privacy</footer></body></html>"
    )
}

#[tokio::test]
async fn background_findings_land_in_the_inbox_once_each() {
    let server = TestServer::start().await;
    let rev = Arc::new(AtomicU32::new(0));
    let r2 = rev.clone();
    let live = server.url(LIVE);
    server.set_handler(STORY, move |_| match r2.load(Ordering::SeqCst) {
        r @ 0..=2 => Response::html(story(r)),
        3 => Response::redirect(302, &live),
        _ => Response::new(410, "text/html", "<h1>Gone</h1>"),
    });
    server.set(LIVE, Response::html(live_page()));
    let (dir, nb) = notebook().await;
    let db = dir.path().join("library.db");
    let clip = nb.clip_url(&server.url(STORY)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    // The reporter quoted the proposal in a note.
    let h = nb
        .highlight_text(
            clip.version_id,
            "The mediators had proposed a 72-hour pause",
            1,
            "",
            "",
        )
        .await
        .unwrap();
    nb.create_note("Doha", &format!("Where the talks stood:\n\n[@h{}]\n", h.id))
        .await
        .unwrap();

    let mut changes = nb.subscribe();
    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(Arc::new(clock), scheduler_settings(Duration::days(30)))
        .await
        .unwrap();
    let mut at = start;
    for r in 0..=4 {
        rev.store(r, Ordering::SeqCst);
        // Two fast-step checks at each stage: the second must tell nothing new.
        at += Duration::minutes(31);
        s.run_until(Some(at)).await.unwrap();
    }
    // Stays gone for a day more: still one alert.
    s.run_until(Some(at + Duration::days(1))).await.unwrap();
    s.stop().await.unwrap();

    let inbox = nb.inbox(false, None).await.unwrap();
    let kinds: Vec<Vec<AlertKind>> = inbox.iter().rev().map(|a| a.kinds.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            vec![
                AlertKind::Cited,
                AlertKind::Headline,
                AlertKind::Quote,
                AlertKind::Number
            ],
            vec![AlertKind::Edited],
            vec![AlertKind::Redirected, AlertKind::Headline],
            vec![AlertKind::Gone],
        ],
        "{inbox:#?}"
    );
    let revised = &inbox[3];
    assert_eq!(revised.title, "Ceasefire talks stall as envoys leave Doha");
    for part in [
        "A passage you cited changed",
        "headline “Ceasefire talks collapse as envoys leave Doha” → “Ceasefire talks stall as envoys leave Doha”",
        "Leila Haddad",
        "30,000 → 25,000",
    ] {
        assert!(revised.summary.contains(part), "{part}: {}", revised.summary);
    }
    // It opens the compare of the two versions it is about.
    let versions = nb.versions(clip.source_id).await.unwrap();
    assert_eq!(revised.old_version_id, Some(versions[0].id));
    assert_eq!(revised.new_version_id, Some(versions[1].id));
    assert!(inbox[1]
        .summary
        .starts_with(&format!("Now redirects to {}", server.url(LIVE))));
    assert!(
        inbox[0]
            .summary
            .contains("answers 410; version 4 stays in your library"),
        "{}",
        inbox[0].summary
    );
    assert_eq!(versions.len(), 4, "a gone story keeps every version");
    assert_eq!(nb.inbox_unread().await.unwrap(), 4);

    // Each was announced, a plain revision without a notification by default.
    let mut raised: Vec<AlertRaised> = Vec::new();
    while let Ok(c) = changes.try_recv() {
        raised.extend(c.alert);
    }
    let notify: Vec<(AlertKind, bool)> = raised
        .iter()
        .map(|r| (r.alert.kinds[0], r.notify))
        .collect();
    assert_eq!(
        notify,
        vec![
            (AlertKind::Cited, true),
            (AlertKind::Edited, false),
            (AlertKind::Redirected, true),
            (AlertKind::Gone, true),
        ]
    );
    nb.close().await;

    // The CLI reads and marks the same inbox.
    let unread = json(&redline(&db, &["--json", "inbox", "list", "--unread"]));
    assert_eq!(unread.as_array().unwrap().len(), 4);
    let first = unread[3]["id"].as_i64().unwrap().to_string();
    json(&redline(&db, &["--json", "inbox", "read", &first]));
    let unread = json(&redline(&db, &["--json", "inbox", "list", "--unread"]));
    assert_eq!(unread.as_array().unwrap().len(), 3);
    json(&redline(&db, &["--json", "inbox", "read", "--all"]));
    let unread = json(&redline(&db, &["--json", "inbox", "list", "--unread"]));
    assert_eq!(unread.as_array().unwrap().len(), 0);
    let all = json(&redline(&db, &["--json", "inbox", "list"]));
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert!(all[0]["read"].as_bool().unwrap());
    // A typo is refused, not a silent no-op.
    let out = redline(&db, &["inbox", "read", "9999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("alert"));

    // Notification settings: plain revisions on, figures off.
    json(&redline(
        &db,
        &["--json", "inbox", "notify", "edited", "on"],
    ));
    let settings = json(&redline(
        &db,
        &["--json", "inbox", "notify", "number", "off"],
    ));
    let on = |kind: &str| {
        settings
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind)
            .unwrap()["on"]
            .as_bool()
            .unwrap()
    };
    assert!(on("edited"));
    assert!(!on("number"));
    assert!(on("headline"));
    let out = redline(&db, &["inbox", "notify", "figures", "off"]);
    assert!(!out.status.success());
}

#[tokio::test]
async fn a_feed_that_clips_a_story_tells_the_inbox() {
    let server = TestServer::start().await;
    server.set(STORY, Response::html(story(0)));
    let base = format!("http://{}", server.addr);
    server.set(
        "/world/rss.xml",
        Response::new(
            200,
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>The Wire: World</title>
                 <link>{base}/world</link><description>World news</description>
                 <item><title>Ceasefire talks collapse as envoys leave Doha</title>
                 <link>{base}{STORY}</link><guid>{base}{STORY}</guid></item>
                 </channel></rss>"
            ),
        ),
    );
    let (_dir, nb) = notebook().await;
    let feed = nb
        .add_feed(redline::feeds::NewFeed {
            url: server.url("/world/rss.xml"),
            rules: redline::feeds::FeedRules {
                auto_clip: true,
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    let start = Utc::now();
    let mut s = nb
        .start_scheduler(
            Arc::new(SimClock::new(start)),
            scheduler_settings(Duration::days(30)),
        )
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(2))).await.unwrap();
    s.stop().await.unwrap();
    let inbox = nb.inbox(true, None).await.unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:#?}");
    assert_eq!(inbox[0].kinds, [AlertKind::Feed]);
    assert_eq!(inbox[0].feed_id, Some(feed.id));
    assert_eq!(
        inbox[0].title,
        "Ceasefire talks collapse as envoys leave Doha"
    );
    assert!(inbox[0].source_id.is_some());
}
