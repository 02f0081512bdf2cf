//! A simulated year of watching: feeds publish stories over the first days,
//! the scheduler clips them and re-checks each on its decaying schedule,
//! against a loopback site (several sites, one port each) that answers 304
//! to unchanged pages and revises some stories. Nothing waits on the wall
//! clock: the scheduler runs on a `SimClock`.
//!
//! ```text
//! cargo run --example watch_year -- [STORIES] [FEEDS] [DAYS] [FEED_EVERY_HOURS] [SITES]
//! cargo run --example watch_year -- 5000 300 365 6 10
//! ```
//!
//! With `REDLINE_KEEP_LIBRARY=PATH` the library is copied to PATH at the end,
//! for measuring a real `redline watch run` idling over it.
//!
//! Prints requests per step, what a change did to the cadence, the least
//! gap seen between two requests to one site, the busiest hour, and the
//! wall time it took.

#[path = "../tests/common/server.rs"]
mod server;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use redline::feeds::{FeedRules, NewFeed};
use redline::notebook::{Notebook, RequestKind, SchedulerSettings, Settings};
use redline::schedule::{Clock, SimClock, STEPS};
use server::{Response, TestServer};

/// One story check: when, on which step, whether it found a change.
type Check = (DateTime<Utc>, Option<usize>, bool);

/// Stories arrive over this many days (a beat's busy month).
const ARRIVAL_DAYS: i64 = 30;
/// Items a feed shows at once.
const FEED_WINDOW: usize = 20;
/// Simulated days between two progress lines (and two drains of the log).
const STRETCH_DAYS: i64 = 10;

/// One request of the log, without its strings.
struct Row {
    at: DateTime<Utc>,
    site: usize,
    kind: RequestKind,
    source_id: Option<i64>,
    step: Option<usize>,
    changed: bool,
}

/// The process's peak resident memory (`VmHWM`), in MB; 0 where unknown.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn arg(n: usize, default: i64) -> i64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// When story `i` of `n` is published, as an offset from the start.
fn published(i: usize, n: usize) -> Duration {
    Duration::seconds(ARRIVAL_DAYS * 86_400 * i as i64 / n as i64)
}

/// The revision of story `i` at `age`: every tenth story is corrected on day
/// 2, every fiftieth again on day 40.
fn revision(i: usize, age: Duration) -> u32 {
    let mut r = 0;
    if i % 10 == 0 && age >= Duration::days(2) {
        r += 1;
    }
    if i % 50 == 0 && age >= Duration::days(40) {
        r += 1;
    }
    r
}

fn page(i: usize, rev: u32) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story {i}</title></head><body>\
         <article><h1>Shelling near Kharkiv, story {i}</h1><p class=\"byline\">By Wire staff</p>\
         <p>KHARKIV (Wire) - Officials said {n} people were hurt in overnight shelling, report {i}.</p>\
         <p>\u{201c}We are counting the damage,\u{201d} said the regional governor, Oleh Syniehubov.</p>\
         <p>The air force said it shot down most of the drones launched overnight.</p></article></body></html>",
        n = 12 + rev * 3
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stories = arg(1, 5000) as usize;
    let feeds = arg(2, 300) as usize;
    let days = arg(3, 365);
    let feed_every = arg(4, 6);
    let sites = arg(5, 10) as usize;
    let start: DateTime<Utc> = Utc::now();
    let clock = SimClock::new(start);

    let mut servers = Vec::new();
    for _ in 0..sites {
        servers.push(TestServer::start().await);
    }
    // Story i lives on site i % sites; feed f on site f % sites lists the
    // stories i with i % feeds == f that are published, newest first.
    for (s, server) in servers.iter().enumerate() {
        server.set_handler("/robots.txt", |_| {
            Response::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n")
        });
        let handler_clock = clock.clone();
        for i in (s..stories).step_by(sites) {
            let c = handler_clock.clone();
            server.set_handler(&format!("/s/{i}"), move |req| {
                let age = c.now() - (start + published(i, stories));
                let rev = revision(i, age);
                let etag = format!("\"{i}-{rev}\"");
                if req.header("If-None-Match") == Some(etag.as_str()) {
                    return Response::new(304, "text/html", Vec::new()).header("ETag", &etag);
                }
                Response::html(page(i, rev)).header("ETag", &etag)
            });
        }
    }
    // Feed handlers need every site's address (a story lives on its own site).
    let addrs: Arc<Vec<String>> = Arc::new(
        servers
            .iter()
            .map(|s| format!("http://{}", s.addr))
            .collect(),
    );
    for (s, server) in servers.iter().enumerate() {
        for f in (s..feeds).step_by(sites) {
            let c = clock.clone();
            let addrs = addrs.clone();
            server.set_handler(&format!("/feeds/{f}.rss"), move |req| {
                let now = c.now();
                let shown: Vec<usize> = (f..stories)
                    .step_by(feeds)
                    .filter(|i| start + published(*i, stories) <= now)
                    .collect();
                let etag = format!("\"f{f}-{}\"", shown.len());
                if req.header("If-None-Match") == Some(etag.as_str()) {
                    return Response::new(304, "application/rss+xml", Vec::new()).header("ETag", &etag);
                }
                let mut xml = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>");
                for i in shown.iter().rev().take(FEED_WINDOW) {
                    xml.push_str(&format!(
                        "<item><title>Shelling near Kharkiv, story {i}</title><link>{}/s/{i}</link><guid>s{i}</guid></item>",
                        addrs[i % addrs.len()]
                    ));
                }
                xml.push_str("</channel></rss>");
                Response::new(200, "application/rss+xml", xml).header("ETag", &etag)
            });
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let nb = Notebook::open(
        dir.path().join("library.db"),
        Settings {
            polite_gap: StdDuration::ZERO,
            ..Settings::default()
        },
    )
    .await
    .unwrap();
    for f in 0..feeds {
        nb.add_feed(NewFeed {
            url: format!("{}/feeds/{f}.rss", addrs[f % sites]),
            rules: FeedRules {
                auto_clip: true,
                watch_items: true,
                ..FeedRules::default()
            },
            every_secs: Some(feed_every * 3600),
            ..NewFeed::default()
        })
        .await
        .unwrap();
    }
    let gap = Duration::seconds(5);
    let settings = SchedulerSettings {
        host_gap: gap,
        budget_per_hour: 3_600,
        max_idle: Duration::days(400),
        record: true,
        ..SchedulerSettings::default()
    };
    let mut scheduler = nb
        .start_scheduler(Arc::new(clock.clone()), settings)
        .await
        .unwrap();
    let wall = Instant::now();
    // The scheduler's log is drained after every stretch into compact rows,
    // so a year of half a million requests costs a few MB here, not the
    // log's strings.
    let mut sites_seen: Vec<String> = Vec::new();
    let mut log: Vec<Row> = Vec::new();
    let mut day = 0;
    while day < days {
        day = (day + STRETCH_DAYS).min(days);
        scheduler
            .run_until(Some(start + Duration::days(day)))
            .await
            .unwrap();
        for server in &servers {
            server.forget_requests();
        }
        for r in std::mem::take(&mut scheduler.log) {
            let site = match sites_seen.iter().position(|s| *s == r.site) {
                Some(p) => p,
                None => {
                    sites_seen.push(r.site);
                    sites_seen.len() - 1
                }
            };
            log.push(Row {
                at: r.at,
                site,
                kind: r.kind,
                source_id: r.source_id,
                step: r.step,
                changed: r.changed,
            });
        }
        eprintln!(
            "day {day}: {} requests, {:.0} s, peak RSS {} MB",
            scheduler.report.requests,
            wall.elapsed().as_secs_f64(),
            peak_rss_mb()
        );
    }
    let took = wall.elapsed();
    let report = scheduler.report.clone();
    scheduler.stop().await.unwrap();
    if let Ok(keep) = std::env::var("REDLINE_KEEP_LIBRARY") {
        nb.backup(std::path::Path::new(&keep)).await.unwrap();
    }

    let mut by_kind: HashMap<RequestKind, usize> = HashMap::new();
    let mut per_step = vec![0usize; STEPS.len() + 1];
    let mut by_site: HashMap<usize, Vec<DateTime<Utc>>> = HashMap::new();
    let mut per_story: HashMap<i64, Vec<Check>> = HashMap::new();
    for r in &log {
        *by_kind.entry(r.kind).or_default() += 1;
        by_site.entry(r.site).or_default().push(r.at);
        if r.kind == RequestKind::Story {
            per_step[r.step.unwrap_or(STEPS.len())] += 1;
            per_story
                .entry(r.source_id.unwrap_or_default())
                .or_default()
                .push((r.at, r.step, r.changed));
        }
    }
    let min_gap = by_site
        .values()
        .flat_map(|t| t.windows(2).map(|w| w[1] - w[0]))
        .min()
        .unwrap_or(Duration::zero());
    let times: Vec<DateTime<Utc>> = {
        let mut t: Vec<_> = log.iter().map(|r| r.at).collect();
        t.sort();
        t
    };
    let mut busiest = 0;
    let mut j = 0;
    for i in 0..times.len() {
        while times[i] - times[j] >= Duration::hours(1) {
            j += 1;
        }
        busiest = busiest.max(i - j + 1);
    }
    // After a change: how many 15-minute checks followed before the next step.
    let mut resets = Vec::new();
    for checks in per_story.values() {
        for (k, c) in checks.iter().enumerate() {
            if c.2 {
                let fast = checks[k + 1..]
                    .iter()
                    .take_while(|x| x.1 == Some(0))
                    .count();
                resets.push(fast);
            }
        }
    }
    let stories_checked = per_story.len();
    println!("simulated {days} days: {stories} stories arriving over {ARRIVAL_DAYS} days, {feeds} feeds polled every {feed_every} h, {sites} sites, gap {} s", gap.num_seconds());
    println!(
        "wall time {:.1} s; {} requests ({:.0}/s)",
        took.as_secs_f64(),
        report.requests,
        report.requests as f64 / took.as_secs_f64()
    );
    println!("requests by kind: {:?}", by_kind);
    for (i, s) in STEPS.iter().enumerate() {
        println!(
            "  step {:<8} (to day {:>5.2}): {:>7} checks, {:.1} per story",
            s.name,
            s.until.num_minutes() as f64 / 1440.0,
            per_step[i],
            per_step[i] as f64 / stories_checked.max(1) as f64
        );
    }
    println!("  past the decay: {} checks", per_step[STEPS.len()]);
    println!(
        "stories checked: {stories_checked}; new versions found: {}; after each change, 15-min checks: min {:?} max {:?} over {} changes",
        report.new_versions,
        resets.iter().min(),
        resets.iter().max(),
        resets.len()
    );
    println!(
        "least gap between two requests to one site: {} s (setting {} s); busiest hour: {busiest} requests (budget {})",
        min_gap.num_seconds(),
        gap.num_seconds(),
        3_600
    );
    println!("peak resident memory: {} MB", peak_rss_mb());
    println!(
        "load average at the end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!("report: {report:?}");
}
