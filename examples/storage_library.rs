//! Storage per version on a library of news pages (issue 16.3): clips
//! REDLINE_STORIES (default 2,000) generated stories of ~830 words, each a
//! ~17 KB page with a site's usual chrome, then revises some of them (new
//! versions) and re-checks some unchanged (same bytes, no validators), all
//! through the core's clip path into a real library file. Prints bytes per
//! version against the raw HTML, the breakdown by table (dbstat), and what
//! an unchanged re-check adds.
//!
//!     cargo run --example storage_library -- /var/tmp/storage.db
//!
//! Written to run against the layout before content-addressed storage too
//! (it uses only `Clipper`, `Db` and SQL on tables both layouts have).

use std::time::Instant;

use redline::clip::{ClipInput, Clipper, TextFormat};
use redline::fetch::FetchLimits;
use redline::versions::CaptureMethod;
use redline::Db;

/// The tests' loopback HTTP server (raw TCP, tokio only).
#[path = "../tests/common/server.rs"]
mod server;

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

const WORDS: &[&str] = &[
    "the",
    "the",
    "the",
    "of",
    "of",
    "and",
    "and",
    "to",
    "to",
    "in",
    "in",
    "a",
    "a",
    "that",
    "on",
    "for",
    "with",
    "was",
    "said",
    "by",
    "as",
    "at",
    "from",
    "its",
    "has",
    "have",
    "were",
    "would",
    "government",
    "minister",
    "officials",
    "council",
    "budget",
    "city",
    "port",
    "workers",
    "strike",
    "court",
    "ruling",
    "appeal",
    "election",
    "campaign",
    "voters",
    "party",
    "coalition",
    "opposition",
    "police",
    "investigation",
    "report",
    "contract",
    "company",
    "shares",
    "market",
    "prices",
    "inflation",
    "central",
    "bank",
    "interest",
    "rates",
    "housing",
    "tenants",
    "rent",
    "hospital",
    "patients",
    "doctors",
    "nurses",
    "school",
    "teachers",
    "students",
    "union",
    "negotiations",
    "agreement",
    "talks",
    "deadline",
    "vote",
    "parliament",
    "committee",
    "hearing",
    "documents",
    "emails",
    "spokesperson",
    "statement",
    "week",
    "month",
    "year",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "morning",
    "evening",
    "record",
    "million",
    "billion",
    "percent",
    "increase",
    "decline",
    "estimate",
    "figures",
    "data",
    "analysts",
    "experts",
    "residents",
    "protesters",
    "square",
    "bridge",
    "river",
    "flood",
    "storm",
    "damage",
    "repairs",
    "funding",
    "plan",
    "proposal",
    "law",
    "regulation",
    "ministry",
    "agency",
    "director",
    "chief",
    "executive",
    "board",
    "members",
    "meeting",
    "decision",
    "delay",
    "cost",
    "costs",
    "public",
    "private",
    "national",
    "regional",
    "local",
    "federal",
    "new",
    "former",
    "senior",
    "earlier",
    "later",
    "after",
    "before",
    "during",
    "while",
    "since",
    "because",
    "although",
    "not",
    "no",
    "more",
    "less",
    "than",
    "about",
    "nearly",
    "almost",
    "only",
    "also",
    "still",
];

const NAMES: &[&str] = &[
    "Amira Haddad",
    "Tomás Ferreira",
    "Ingrid Larsen",
    "Kwame Mensah",
    "Priya Raman",
    "Jonas Weber",
    "Mei-Ling Chou",
    "Olusegun Adeyemi",
    "Claire Dubois",
    "Rafael Ortiz",
];

const SECTIONS: &[&str] = &[
    "World",
    "Politics",
    "Business",
    "Markets",
    "Climate",
    "Health",
    "Tech",
    "Sport",
    "Culture",
    "Opinion",
    "Investigations",
    "Video",
    "Podcasts",
    "Newsletters",
];

struct Story {
    title: String,
    byline: String,
    blocks: Vec<(bool, String)>,
    slug: String,
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            s.extend(c.next().map(|c| c.to_ascii_uppercase()));
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i == words / 2 && rng.below(4) == 0 {
            s.push_str(&format!(" {},{:03}", rng.below(90) + 1, rng.below(1000)));
        }
    }
    s.push('.');
    s
}

fn story(rng: &mut Rng, n: usize) -> Story {
    let mut blocks = Vec::new();
    let mut words = 0;
    while words < 700 {
        if blocks.len() % 5 == 4 {
            blocks.push((true, sentence(rng, 5).trim_end_matches('.').to_string()));
            continue;
        }
        let mut p = String::new();
        for _ in 0..3 {
            let n = 12 + rng.below(14);
            words += n;
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&sentence(rng, n));
        }
        if rng.below(3) == 0 {
            let who = rng.pick(NAMES);
            p.push_str(&format!(
                " \u{201C}{}\u{201D} said {who}, a spokesperson for the council.",
                sentence(rng, 10).trim_end_matches('.')
            ));
        }
        blocks.push((false, p));
    }
    let title = sentence(rng, 9).trim_end_matches('.').to_string();
    Story {
        slug: format!("2026/11/{:02}/story-{n}", 1 + n % 28),
        byline: format!("By {} and {}", rng.pick(NAMES), rng.pick(NAMES)),
        title,
        blocks,
    }
}

/// A later version: a figure changed, a paragraph rewritten, sometimes a correction.
fn revise(rng: &mut Rng, s: &Story) -> Story {
    let mut blocks = s.blocks.clone();
    let i = rng.below(blocks.len());
    if !blocks[i].0 {
        blocks[i].1 = format!("{} {}", sentence(rng, 20), sentence(rng, 14));
    }
    let j = rng.below(blocks.len());
    blocks[j].1.push_str(&format!(
        " The figure was revised to {}.",
        rng.below(90_000)
    ));
    if rng.below(4) == 0 {
        blocks.push((false, format!("Correction: {}", sentence(rng, 18))));
    }
    Story {
        title: s.title.clone(),
        byline: s.byline.clone(),
        blocks,
        slug: s.slug.clone(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page a news site serves around `s`: head, inline styles and scripts,
/// navigation, the article, related links, newsletter box, footer. `noise`
/// varies what real pages vary between fetches (ads, counters, timestamps).
fn page(s: &Story, n: usize, noise: u64) -> String {
    let url = format!("https://courier.example/{}", s.slug);
    let nav: String = SECTIONS
        .iter()
        .map(|x| {
            format!(
                "<li class=\"nav-item\"><a class=\"nav-link\" href=\"/{}/\" data-track=\"nav-{}\">{x}</a></li>\n",
                x.to_lowercase(),
                x.to_lowercase()
            )
        })
        .collect();
    let mut body = String::new();
    for (i, (heading, text)) in s.blocks.iter().enumerate() {
        if *heading {
            body.push_str(&format!("<h2 class=\"story-subhead\">{}</h2>\n", esc(text)));
        } else {
            body.push_str(&format!(
                "<p class=\"story-paragraph\" data-p=\"{i}\">{}</p>\n",
                esc(text)
            ));
        }
        if i == 4 {
            body.push_str(&format!(
                "<aside class=\"ad ad-inline\" data-slot=\"inline-{noise}\"><span class=\"ad-label\">Advertisement</span><div id=\"gpt-ad-{noise}\" style=\"min-height:250px\"></div></aside>\n"
            ));
        }
    }
    let related: String = (1..=6)
        .map(|k| {
            format!(
                "<li class=\"related-item\"><a href=\"https://courier.example/2026/11/{:02}/story-{}?ref=related&amp;pos={k}\"><img src=\"https://img.courier.example/thumb/{}-{k}.jpg\" alt=\"\" loading=\"lazy\" width=\"120\" height=\"80\"><span>Related story number {k} on this subject</span></a></li>\n",
                1 + (n + k) % 28,
                (n * 7 + k * 13 + noise as usize) % 2000,
                (n + k) % 97
            )
        })
        .collect();
    let footer: String = [
        "About us",
        "Careers",
        "Contact",
        "Corrections",
        "Ethics policy",
        "Privacy",
        "Cookie settings",
        "Terms of use",
        "Accessibility",
        "Advertise",
        "Licensing",
        "Archive",
    ]
    .iter()
    .map(|x| {
        format!(
            "<li><a href=\"/{}/\">{x}</a></li>",
            x.to_lowercase().replace(' ', "-")
        )
    })
    .collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | The Courier</title>
<meta name="description" content="{desc}">
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="og:image" content="https://img.courier.example/lead/{n}.jpg">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="{url}">
<link rel="preconnect" href="https://img.courier.example">
<link rel="stylesheet" href="/static/css/main.4f9a2c.css">
<style>
:root{{--ink:#1a1a1a;--accent:#c8102e;--muted:#6b6b6b;--rule:#e2e2e2}}
body{{margin:0;font:18px/1.6 Georgia,serif;color:var(--ink);background:#fff}}
.site-header{{display:flex;align-items:center;justify-content:space-between;border-bottom:1px solid var(--rule);padding:12px 24px}}
.nav-list{{display:flex;gap:16px;list-style:none;margin:0;padding:0}}
.nav-link{{color:var(--ink);text-decoration:none;font:600 14px/1 Helvetica,Arial,sans-serif;text-transform:uppercase}}
.story{{max-width:680px;margin:32px auto;padding:0 16px}}
.story h1{{font-size:40px;line-height:1.15;margin:0 0 12px}}
.story-subhead{{font-size:24px;margin:32px 0 8px}}
.byline,.timestamp{{color:var(--muted);font:14px/1.4 Helvetica,Arial,sans-serif}}
.ad{{background:#f6f6f6;border:1px solid var(--rule);margin:24px 0;padding:8px;text-align:center}}
.ad-label{{display:block;font:11px/1 Helvetica,Arial,sans-serif;color:var(--muted);text-transform:uppercase}}
.related{{max-width:980px;margin:48px auto;border-top:4px solid var(--ink)}}
.related-item a{{display:flex;gap:12px;color:var(--ink);text-decoration:none}}
.newsletter{{background:#fdf2f4;border-left:4px solid var(--accent);padding:16px;margin:32px 0}}
.site-footer{{background:#111;color:#ddd;padding:32px 24px;font:14px/1.6 Helvetica,Arial,sans-serif}}
.site-footer a{{color:#ddd}}
@media (max-width:720px){{.nav-list{{display:none}}.story h1{{font-size:30px}}}}
</style>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}","datePublished":"2026-11-{day:02}T08:00:00Z","author":[{{"@type":"Person","name":"{author}"}}],"publisher":{{"@type":"Organization","name":"The Courier","logo":{{"@type":"ImageObject","url":"https://courier.example/static/logo.png"}}}},"mainEntityOfPage":"{url}"}}</script>
<script>
window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}
gtag('js',new Date());gtag('config','G-COURIER01',{{page_path:'/{slug}',content_group:'news',ab_bucket:'{bucket}'}});
(function(d){{var s=d.createElement('script');s.async=true;s.src='https://ads.courier.example/prebid.{noise}.js';d.head.appendChild(s);}})(document);
window.__PAGE_STATE__={{"story":{n},"paywall":{{"metered":true,"remaining":{remaining}}},"experiments":["headline-test-b","sticky-share"],"render":"{noise}"}};
</script>
</head>
<body class="article-page">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="logo" href="/"><svg width="160" height="32" viewBox="0 0 160 32" aria-label="The Courier"><text x="0" y="24" font-size="24" font-family="Georgia">The Courier</text></svg></a>
<nav class="main-nav" aria-label="Sections"><ul class="nav-list">
{nav}</ul></nav>
<div class="header-tools"><a href="/search/">Search</a> <a href="/account/login/?next=/{slug}">Sign in</a> <a class="subscribe" href="/subscribe/?src=header">Subscribe</a></div>
</header>
<div class="ad ad-leaderboard" data-slot="top-{noise}"><span class="ad-label">Advertisement</span><div id="gpt-top-{noise}" style="min-height:90px"></div></div>
<main id="main">
<article class="story">
<header>
<p class="kicker"><a href="/world/">World</a></p>
<h1>{title}</h1>
<p class="byline">{byline}</p>
<p class="timestamp"><time datetime="2026-11-{day:02}T08:00:00Z">November {day}, 2026</time> · Updated {minutes} minutes ago</p>
</header>
<div class="share-bar"><a href="https://social.example/share?u={url}">Share</a> <a href="mailto:?subject={title}">Email</a> <button type="button">Copy link</button> <span class="comment-count">{comments} comments</span></div>
<figure class="lead-image"><img src="https://img.courier.example/lead/{n}.jpg" alt="" width="1200" height="675"><figcaption>Residents gather outside the council building on Tuesday. Photo: Courier staff</figcaption></figure>
{body}<div class="newsletter"><h3>The Morning Courier</h3><p>The day's top stories in your inbox before breakfast. Join {subs} readers.</p><form action="/newsletters/subscribe" method="post"><input type="email" name="email" placeholder="Email address"><button>Sign up</button></form></div>
</article>
<aside class="related"><h3>More on this story</h3><ul>
{related}</ul></aside>
</main>
<footer class="site-footer"><ul>{footer}</ul><p>© 2026 The Courier Media Group. All rights reserved. Registered in England and Wales.</p><p>Page generated in {gen} ms by web-{node}</p></footer>
</body>
</html>
"##,
        title = esc(&s.title),
        desc = esc(&s.blocks[0].1.chars().take(150).collect::<String>()),
        day = 1 + n % 28,
        author = esc(s.byline.trim_start_matches("By ")),
        slug = s.slug,
        bucket = noise % 4,
        remaining = noise % 5,
        byline = esc(&s.byline),
        minutes = noise % 60,
        comments = noise * 3 % 400,
        subs = 120_000 + noise * 37,
        gen = 30 + noise % 40,
        node = noise % 16,
    )
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

async fn size(db: &Db) -> i64 {
    scalar(
        db,
        "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
    )
    .await
}

/// Bytes in use: pages less the free list, which FTS5's segment merges
/// refill and later rows reuse (a page_count delta then reads too low).
async fn used(db: &Db) -> i64 {
    scalar(
        db,
        "SELECT (page_count - freelist_count) * page_size \
         FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
    )
    .await
}

async fn clip(clipper: &Clipper, html: &str, url: &str) -> redline::clip::ClipOutcome {
    clipper
        .clip(ClipInput::Text {
            content: html.as_bytes().to_vec(),
            format: TextFormat::Html,
            url: Some(url.to_string()),
            method: CaptureMethod::Fetch,
        })
        .await
        .unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/var/tmp/redline-storage.db".into());
    let _ = std::fs::remove_file(&path);
    let stories: usize = std::env::var("REDLINE_STORIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let db = Db::open(&path).await.unwrap();
    let clipper = Clipper::new(db.clone(), FetchLimits::default()).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut raw_of_versions = 0usize;
    let mut versions = 0usize;
    let mut words = 0usize;
    let mut rechecks = 0usize;
    let t = Instant::now();
    for n in 0..stories {
        let mut s = story(&mut rng, n);
        words += s
            .blocks
            .iter()
            .map(|b| b.1.split_whitespace().count())
            .sum::<usize>();
        let url = format!("https://courier.example/{}", s.slug);
        // 1–3 versions; between them, re-checks that found the same bytes.
        let revisions = rng.below(3);
        for r in 0..=revisions {
            if r > 0 {
                s = revise(&mut rng, &s);
            }
            let html = page(&s, n, rng.next() % 1000);
            let out = clip(&clipper, &html, &url).await;
            assert!(out.new_version, "story {n} revision {r}");
            raw_of_versions += html.len();
            versions += 1;
            if rng.below(2) == 0 {
                clip(&clipper, &html, &url).await;
                rechecks += 1;
            }
        }
    }
    let build = t.elapsed();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(db.pool())
        .await
        .unwrap();
    let file = size(&db).await;
    println!(
        "Library: {stories} stories, {versions} versions, {rechecks} unchanged re-checks; \
         {:.0} words per story; built in {:.0} s.\n",
        words as f64 / stories as f64,
        build.as_secs_f64()
    );
    println!(
        "Raw HTML per version: {:.1} KB. Library per version: {:.1} KB ({:.2}× raw).\n",
        raw_of_versions as f64 / versions as f64 / 1e3,
        file as f64 / versions as f64 / 1e3,
        file as f64 / raw_of_versions as f64
    );
    let parts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CASE \
           WHEN name LIKE 'versions_fts%' THEN 'word index (versions_fts)' \
           WHEN name LIKE 'versions_cjk%' THEN 'CJK trigram index (versions_cjk)' \
           WHEN name LIKE 'versions_bigram%' THEN 'CJK bigram index (versions_bigram)' \
           WHEN name LIKE 'versions_stem%' THEN 'stem index (versions_stem)' \
           WHEN name LIKE 'quotes%' THEN 'quotes and their indexes' \
           WHEN name IN ('versions', 'versions_by_hash', 'versions_listing') \
             OR name LIKE 'sqlite_autoindex_versions%' THEN 'versions (text, layout, indexes)' \
           WHEN name IN ('captures', 'captures_by_source', 'captures_by_blob') THEN 'captures (rows, indexes)' \
           WHEN name = 'blobs' OR name LIKE 'sqlite_autoindex_blobs%' OR name = 'blobs_by_base' \
             THEN 'blobs (raw bytes, hash index)' \
           ELSE 'everything else' END AS part, SUM(pgsize) FROM dbstat GROUP BY part ORDER BY 2 DESC",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    println!("| part | MB | KB per version |\n| --- | ---: | ---: |");
    for (part, bytes) in parts {
        println!(
            "| {part} | {:.2} | {:.2} |",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / versions as f64
        );
    }
    println!(
        "| whole file | {:.2} | {:.2} |\n",
        file as f64 / 1e6,
        file as f64 / 1e3 / versions as f64
    );

    // What one more unchanged re-check adds, over many (pages fill unevenly).
    let probe = 500;
    let s = story(&mut Rng(7), stories + 1);
    let url = format!("https://courier.example/{}", s.slug);
    let html = page(&s, stories + 1, 3);
    clip(&clipper, &html, &url).await;
    let before = size(&db).await;
    for _ in 0..probe {
        clip(&clipper, &html, &url).await;
    }
    let after = size(&db).await;
    println!(
        "Unchanged re-check (same bytes, no validators): {:.0} B each (page_count delta over {probe}).",
        (after - before) as f64 / probe as f64
    );

    // The same through the check path, from a loopback site that sends what
    // a news site's server sends, with a new `Date` (and `Age`) on every
    // answer as a site does checked hourly: the response heads are kept
    // for the WARC export. Three kinds of site: no validators (200, same
    // bytes), ETag honoured (304), ETag ignored (HEAD before GET).
    let site = server::TestServer::start().await;
    let served = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let html = std::sync::Arc::new(page(&s, stories + 2, 3));
    for (path, etag, honours) in [
        ("/2026/11/28/story-2001", None, false),
        ("/2026/11/28/story-2002", Some("\"v1-5f3a\""), true),
        ("/2026/11/28/story-2003", Some("W/\"3e1-b7f\""), false),
    ] {
        let (served, html) = (served.clone(), html.clone());
        site.set_handler(path, move |req| {
            let n = served.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let at = chrono::DateTime::from_timestamp(1_795_000_000 + n * 3_607, 0).unwrap();
            let not_modified = honours && etag.is_some() && req.header("if-none-match") == etag;
            let mut r = if not_modified {
                server::Response::new(304, "text/html; charset=utf-8", Vec::new())
            } else {
                server::Response::html(html.as_bytes().to_vec())
            };
            r = r
                .header("Date", &at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
                .header("Server", "nginx")
                .header("Cache-Control", "public, max-age=60")
                .header("Vary", "Accept-Encoding")
                .header("Age", &(n % 60).to_string())
                .header("X-Cache", "HIT")
                .header("Via", "1.1 varnish");
            if let Some(e) = etag {
                r = r.header("ETag", e);
            }
            r
        });
    }
    let tables = async |db: &Db| -> std::collections::HashMap<String, i64> {
        sqlx::query_as::<_, (String, i64)>("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            .fetch_all(db.pool())
            .await
            .unwrap()
            .into_iter()
            .collect()
    };
    for (path, what) in [
        ("/2026/11/28/story-2001", "200, same bytes, no validators"),
        ("/2026/11/28/story-2002", "304 (ETag honoured)"),
        (
            "/2026/11/28/story-2003",
            "HEAD only (site ignores conditional GET)",
        ),
    ] {
        let first = clipper.clip(ClipInput::Url(site.url(path))).await.unwrap();
        // Two full GETs teach the HEAD-first rule that the site ignores validators.
        for _ in 0..2 {
            clipper.check(first.source_id).await.unwrap();
        }
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .unwrap();
        let (before, parts0) = (used(&db).await, tables(&db).await);
        for _ in 0..probe {
            let out = clipper.check(first.source_id).await.unwrap();
            assert_eq!(out.status, redline::clip::CheckStatus::Unchanged);
        }
        site.forget_requests();
        let (after, parts1) = (used(&db).await, tables(&db).await);
        let mut grew: Vec<(String, i64)> = parts1
            .iter()
            .map(|(k, v)| (k.clone(), v - parts0.get(k).copied().unwrap_or(0)))
            .filter(|(_, d)| *d != 0)
            .collect();
        grew.sort_by_key(|(_, d)| -d);
        let grew: Vec<String> = grew
            .iter()
            .map(|(k, d)| format!("{k} {:.0}", *d as f64 / probe as f64))
            .collect();
        println!(
            "Check, {what}: {:.0} B each over {probe} (pages in use; by table: {}).",
            (after - before) as f64 / probe as f64,
            grew.join(", ")
        );
    }
    db.close().await;
}
