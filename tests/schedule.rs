//! The decaying re-check schedule, run by the real scheduler against a
//! loopback site on a simulated clock: counts per step, a change resets the
//! cadence, per-site gaps and the hourly budget hold, conditional requests,
//! robots.txt, a story that disappears, pins, and one scheduler per library.

#[path = "common/beat.rs"]
mod beat;
mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::server::{Response, TestServer};
use common::wal::{checkpoint, wal_frames};
use common::watching::{notebook, scheduler_settings};
use redline::notebook::{Notebook, RequestKind, RequestLog, SchedulerSettings, Settings};
use redline::schedule::{Cadence, Pin, SimClock, STEPS};

fn settings() -> SchedulerSettings {
    scheduler_settings(Duration::days(400))
}

/// Serves `w`'s page at its path; its revision is read from `rev` on each
/// request, and an ETag names it so unchanged checks are answered 304.
fn serve_revisions(server: &TestServer, w: &beat::Wire, rev: Arc<AtomicU32>) {
    let w = w.clone();
    server.set_handler(w.path, move |req| {
        let r = rev.load(Ordering::SeqCst);
        let etag = format!("\"r{r}\"");
        if req.header("If-None-Match") == Some(etag.as_str()) {
            return Response::new(304, "text/html", Vec::new()).header("ETag", &etag);
        }
        Response::html(beat::page(&w, r)).header("ETag", &etag)
    });
}

fn story_checks(log: &[RequestLog]) -> Vec<&RequestLog> {
    log.iter()
        .filter(|r| r.kind == RequestKind::Story)
        .collect()
}

fn per_step(log: &[RequestLog]) -> Vec<usize> {
    let mut counts = vec![0; STEPS.len() + 1];
    for r in story_checks(log) {
        counts[r.step.unwrap_or(STEPS.len())] += 1;
    }
    counts
}

#[tokio::test]
async fn an_unchanged_story_decays_from_15_minutes_to_monthly_and_stops_at_a_year() {
    let server = TestServer::start().await;
    let w = &beat::wires()[0];
    let rev = Arc::new(AtomicU32::new(0));
    serve_revisions(&server, w, rev.clone());
    let (_dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::days(400)))
        .await
        .unwrap();
    // 3 h at 15 min, hourly to day 1, 6-hourly to day 3, daily to day 14,
    // weekly to day 90, every 30 days to day 365; then nothing.
    assert_eq!(
        per_step(&s.log),
        vec![12, 21, 8, 11, 11, 10, 0],
        "{:?}",
        s.report
    );
    let checks = story_checks(&s.log);
    let last = checks.last().unwrap().at;
    assert!(last - start < Duration::days(365), "last check {last}");
    let schedule = nb.story_schedule(clip.source_id).await.unwrap();
    assert_eq!(schedule.cadence, Cadence::Ended);
    assert_eq!(schedule.next_check_at, None);
    assert_eq!(schedule.checks, 73);
    // Every check after the first capture was conditional, and answered 304.
    let conditional = server
        .requests()
        .iter()
        .filter(|r| r.path == w.path && r.header("If-None-Match") == Some("\"r0\""))
        .count();
    assert_eq!(conditional, 73);
    let versions = nb.versions(clip.source_id).await.unwrap();
    assert_eq!(versions.len(), 1);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_change_sends_the_story_back_to_the_fast_step() {
    let server = TestServer::start().await;
    let w = &beat::wires()[1];
    let rev = Arc::new(AtomicU32::new(0));
    serve_revisions(&server, w, rev.clone());
    let (_dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::days(5))).await.unwrap();
    let before = story_checks(&s.log).len();
    assert_eq!(
        nb.story_schedule_at(clip.source_id, clock_now(&clock))
            .await
            .unwrap()
            .cadence,
        Cadence::Decaying {
            step: "daily".into(),
            every_secs: 86_400
        }
    );
    // A quiet correction on day 5.
    rev.store(1, Ordering::SeqCst);
    s.run_until(Some(start + Duration::days(7))).await.unwrap();
    let checks = story_checks(&s.log);
    let change = checks[before..]
        .iter()
        .position(|r| r.changed)
        .expect("the change was found");
    let after: Vec<_> = checks[before + change + 1..].to_vec();
    let fast = after.iter().take_while(|r| r.step == Some(0)).count();
    assert_eq!(fast, 11, "15-minute checks until 3 hours after the change");
    assert_eq!(after[fast].step, Some(1));
    let gap = after[1].at - after[0].at;
    assert_eq!(gap, Duration::minutes(15));
    assert_eq!(nb.versions(clip.source_id).await.unwrap().len(), 2);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn per_site_gaps_and_the_hourly_budget_hold() {
    let a = TestServer::start().await;
    let b = TestServer::start().await;
    let (_dir, nb) = notebook().await;
    let wires = beat::wires();
    let mut ids = Vec::new();
    for (i, server) in [&a, &b].into_iter().enumerate() {
        for n in 0..15 {
            let mut w = wires[n % wires.len()].clone();
            let path: &'static str = Box::leak(format!("{}-{i}-{n}", w.path).into_boxed_str());
            w.path = path;
            serve_revisions(server, &w, Arc::new(AtomicU32::new(0)));
            ids.push(nb.clip_url(&server.url(path)).await.unwrap().source_id);
        }
    }
    nb.set_watched(&ids, true).await.unwrap();
    let start = Utc::now();
    let gap = Duration::seconds(30);
    let budget = 100;
    let mut s = nb
        .start_scheduler(
            Arc::new(SimClock::new(start)),
            SchedulerSettings {
                host_gap: gap,
                budget_per_hour: budget,
                ..settings()
            },
        )
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(6))).await.unwrap();
    assert!(
        s.report.budget_waits > 0,
        "30 stories at 15 min exceed 100 an hour"
    );
    let mut by_site: std::collections::HashMap<&str, Vec<DateTime<Utc>>> = Default::default();
    for r in &s.log {
        by_site.entry(r.site.as_str()).or_default().push(r.at);
    }
    assert_eq!(by_site.len(), 2);
    for (site, times) in &by_site {
        for pair in times.windows(2) {
            assert!(
                pair[1] - pair[0] >= gap,
                "{site}: {} then {}",
                pair[0],
                pair[1]
            );
        }
    }
    let times: Vec<DateTime<Utc>> = s.log.iter().map(|r| r.at).collect();
    for (i, t) in times.iter().enumerate() {
        let in_hour = times[i..]
            .iter()
            .take_while(|u| **u - *t < Duration::hours(1))
            .count();
        assert!(in_hour <= budget, "{in_hour} requests in the hour from {t}");
    }
    s.stop().await.unwrap();
}

#[tokio::test]
async fn robots_txt_is_respected_unless_the_reporter_overrides_it() {
    let server = TestServer::start().await;
    server.set(
        "/robots.txt",
        Response::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    let mut w = beat::wires()[2].clone();
    w.path = "/private/2026/11/30/kharkiv-drone-attack";
    serve_revisions(&server, &w, Arc::new(AtomicU32::new(0)));
    let (_dir, nb) = notebook().await;
    // The reporter's own clip is a person reading the page: not a robot.
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(2))).await.unwrap();
    let fetched = |server: &TestServer| {
        server
            .requests()
            .iter()
            .filter(|r| r.path == w.path)
            .count()
    };
    assert_eq!(fetched(&server), 1, "only the reporter's clip");
    assert!(s.report.disallowed >= 8, "{:?}", s.report);
    let schedule = nb.story_schedule(clip.source_id).await.unwrap();
    assert_eq!(
        schedule.last_error.as_deref(),
        Some("robots.txt disallows this address")
    );

    nb.set_story_ignore_robots(clip.source_id, true)
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(3))).await.unwrap();
    assert!(fetched(&server) >= 2);
    assert!(
        nb.story_schedule(clip.source_id)
            .await
            .unwrap()
            .ignore_robots
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_story_that_disappears_is_recorded_and_keeps_its_last_version() {
    let server = TestServer::start().await;
    let w = &beat::wires()[4];
    let rev = Arc::new(AtomicU32::new(0));
    serve_revisions(&server, w, rev.clone());
    let (_dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let start = Utc::now();
    let mut s = nb
        .start_scheduler(Arc::new(SimClock::new(start)), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(1))).await.unwrap();
    server.set(w.path, Response::new(410, "text/html", "<h1>Gone</h1>"));
    s.run_until(Some(start + Duration::hours(4))).await.unwrap();
    let schedule = nb.story_schedule(clip.source_id).await.unwrap();
    assert_eq!(schedule.gone_status, Some(410));
    assert!(schedule.failure_count >= 2);
    // Failures back off: the gaps between failed checks grow.
    let failed: Vec<DateTime<Utc>> = story_checks(&s.log)
        .iter()
        .filter(|r| r.at >= start + Duration::hours(1))
        .map(|r| r.at)
        .collect();
    assert!(failed.len() >= 2 && failed.len() < 12, "{}", failed.len());
    assert!(failed[2] - failed[1] > failed[1] - failed[0]);
    let versions = nb.versions(clip.source_id).await.unwrap();
    assert_eq!(versions.len(), 1, "the last good version stays");
    assert_eq!(versions[0].title, w.title);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_pinned_or_stopped_story_follows_the_reporter() {
    let server = TestServer::start().await;
    let w = &beat::wires()[3];
    serve_revisions(&server, w, Arc::new(AtomicU32::new(0)));
    let (_dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let pinned = nb
        .set_story_schedule(clip.source_id, Pin::Every { secs: 2 * 3600 })
        .await
        .unwrap();
    assert_eq!(pinned.cadence, Cadence::Pinned { every_secs: 7200 });
    let start = Utc::now();
    let mut s = nb
        .start_scheduler(Arc::new(SimClock::new(start)), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::days(1))).await.unwrap();
    let checks = story_checks(&s.log);
    assert!((11..=13).contains(&checks.len()), "{}", checks.len());
    for pair in checks.windows(2) {
        assert_eq!(pair[1].at - pair[0].at, Duration::hours(2));
    }
    let stopped = nb
        .set_story_schedule(clip.source_id, Pin::Stop)
        .await
        .unwrap();
    assert_eq!(stopped.cadence, Cadence::Stopped);
    assert_eq!(stopped.next_check_at, None);
    let n = story_checks(&s.log).len();
    s.run_until(Some(start + Duration::days(30))).await.unwrap();
    assert_eq!(story_checks(&s.log).len(), n);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn only_one_scheduler_runs_per_library_and_a_stale_one_is_taken_over() {
    let (_dir, nb) = notebook().await;
    let start = Utc::now();
    let clock = SimClock::new(start);
    let first = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    let err = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "scheduler_busy");
    assert!(
        err.to_string()
            .contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    let state = nb.scheduler_state().await.unwrap().unwrap();
    assert!(!state.stale);
    // The first one stops beating (a crashed process): after the stale time, it is taken over.
    clock.advance(Duration::minutes(2));
    let mut second = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    second
        .run_until(Some(clock_now(&clock) + Duration::minutes(1)))
        .await
        .unwrap();
    drop(first);
    second.stop().await.unwrap();
    assert!(nb.scheduler_state().await.unwrap().is_none());
}

#[tokio::test]
async fn a_paused_library_makes_no_request_until_the_reporter_resumes() {
    let server = TestServer::start().await;
    let w = &beat::wires()[0];
    serve_revisions(&server, w, Arc::new(AtomicU32::new(0)));
    let (dir, nb) = notebook().await;
    let clip = nb.clip_url(&server.url(w.path)).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    nb.set_watching_paused(true).await.unwrap();
    // Another process (the CLI, the app) sees the pause: it is in the library.
    let other = Notebook::open(dir.path().join("library.db"), Settings::default())
        .await
        .unwrap();
    assert!(other.watching_paused().await.unwrap());

    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(
            Arc::new(clock.clone()),
            SchedulerSettings {
                max_idle: Duration::minutes(30),
                record: true,
                ..SchedulerSettings::default()
            },
        )
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(6))).await.unwrap();
    assert_eq!(s.report.requests, 0, "{:?}", s.log);
    assert!(other.scheduler_state().await.unwrap().unwrap().paused);

    other.set_watching_paused(false).await.unwrap();
    s.run_until(Some(start + Duration::hours(12)))
        .await
        .unwrap();
    let checks = story_checks(&s.log);
    // Six hours after first seen the story is on the hourly step.
    assert!(checks.len() >= 5, "hourly checks resumed: {}", checks.len());
    assert!(
        checks[0].at - (start + Duration::hours(6)) <= Duration::minutes(30),
        "resumed within one idle period: {}",
        checks[0].at
    );
    assert!(!other.scheduler_state().await.unwrap().unwrap().paused);
    s.stop().await.unwrap();
}

fn clock_now(c: &SimClock) -> DateTime<Utc> {
    use redline::schedule::Clock;
    c.now()
}

#[tokio::test]
async fn feeds_are_polled_and_their_items_clipped_and_scheduled_by_the_scheduler() {
    let server = TestServer::start().await;
    let all = beat::wires();
    for w in &all {
        serve_revisions(&server, w, Arc::new(AtomicU32::new(0)));
    }
    let base = format!("http://{}", server.addr);
    let shown = Arc::new(AtomicU32::new(2));
    let (list, s2, b2) = (all.clone(), shown.clone(), base.clone());
    server.set_handler("/feed.rss", move |_| {
        let n = s2.load(Ordering::SeqCst) as usize;
        let b = b2.clone();
        Response::new(
            200,
            "application/rss+xml",
            beat::rss2("W", &list[..n], move |w| format!("{b}{}", w.path)),
        )
    });
    let (_dir, nb) = notebook().await;
    nb.add_feed(redline::feeds::NewFeed {
        url: server.url("/feed.rss"),
        rules: redline::feeds::FeedRules {
            auto_clip: true,
            watch_items: true,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let start = Utc::now();
    let mut s = nb
        .start_scheduler(Arc::new(SimClock::new(start)), settings())
        .await
        .unwrap();
    s.run_until(Some(start + Duration::minutes(30)))
        .await
        .unwrap();
    assert_eq!(s.report.items_clipped, 2, "{:?}", s.report);
    shown.store(5, Ordering::SeqCst);
    s.run_until(Some(start + Duration::hours(3))).await.unwrap();
    assert_eq!(s.report.items_clipped, 5, "{:?}", s.report);
    assert_eq!(s.report.feed_polls, 3, "hourly: {:?}", s.report);
    // Clipped items are on the fast step, first checked one step after their clip.
    let sources = nb.sources(&Default::default()).await.unwrap();
    assert_eq!(sources.len(), 5);
    assert!(s.report.story_checks >= 2 * 11, "{:?}", s.report);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_turn_over_many_sites_records_its_checks_in_one_commit() {
    let (dir, nb) = notebook().await;
    let db = dir.path().join("library.db");
    let wires = beat::wires();
    let mut servers = Vec::new();
    let mut ids = Vec::new();
    // Eight outlets, one watched story each: one turn asks all eight.
    for n in 0..8 {
        let server = TestServer::start().await;
        let w = wires[n % wires.len()].clone();
        serve_revisions(&server, &w, Arc::new(AtomicU32::new(0)));
        ids.push(nb.clip_url(&server.url(w.path)).await.unwrap().source_id);
        servers.push(server);
    }
    nb.set_watched(&ids, true).await.unwrap();
    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(Arc::new(clock.clone()), settings())
        .await
        .unwrap();
    // The first turn asks each site for its robots.txt (none: all allowed).
    assert_eq!(s.turn().await.unwrap(), 8);
    clock.advance(Duration::minutes(1));
    checkpoint(&db).await;
    assert_eq!(s.turn().await.unwrap(), 8);
    assert_eq!(s.report.story_checks, 8);
    // Eight 304s with their heads and schedules: one commit writes each
    // touched page once (a commit for the check and one for the schedule,
    // per story, wrote 80 frames; together, 8).
    let frames = wal_frames(&db);
    eprintln!("a turn of 8 checks: {frames} WAL frames");
    assert!(frames <= 40, "{frames} WAL frames for one turn of 8 checks");
    // Each check stands on its own: a capture, and its next check scheduled.
    for id in &ids {
        let captures = nb.captures(*id).await.unwrap();
        assert_eq!(captures.len(), 2);
        assert_eq!(captures[1].outcome, "not_modified");
        let schedule = nb.story_schedule_at(*id, clock_now(&clock)).await.unwrap();
        assert!(schedule.last_check_at.is_some(), "{schedule:?}");
        assert!(schedule.next_check_at.is_some(), "{schedule:?}");
    }
    s.stop().await.unwrap();
}
