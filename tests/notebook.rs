//! The use-case layer: every write announces itself once, after its commit;
//! one politeness gate per site serves "Re-check now" and the watch loop.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::server::{Response, TestServer};
use redline::notebook::{ChangeKind, ChangeOrigin, SchedulerSettings, Settings};
use redline::schedule::SimClock;
use redline::Notebook;
use tokio::sync::broadcast::error::TryRecvError;

const DISPATCH: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Sudan truce talks resume in Jeddah | Nile Dispatch</title></head><body>
<nav><a href="/">Home</a> | <a href="/africa">Africa</a></nav>
<article><h1>Sudan truce talks resume in Jeddah</h1>
<p class="byline">By Amira El-Tayeb, Khartoum</p>
<p>JEDDAH — Envoys of Sudan's army and the Rapid Support Forces met again on Sunday, the first talks in four months, mediators said.</p>
<p>"We are here to stop the killing, not to score points," said Ramtane Lamamra, the UN envoy, after the opening session.</p>
<p>Aid agencies say 25,000 people have fled El Fasher since the fighting resumed.</p>
</article><aside>Most read: football results</aside></body></html>"#;

async fn notebook(gap: Duration) -> (tempfile::TempDir, Notebook) {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        polite_gap: gap,
        ..Settings::default()
    };
    let nb = Notebook::open(dir.path().join("library.db"), settings)
        .await
        .unwrap();
    (dir, nb)
}

#[tokio::test]
async fn each_write_is_announced_once_with_what_it_touched_and_a_read_never() {
    let (_dir, nb) = notebook(Duration::from_millis(10)).await;
    let mut changes = nb.subscribe();

    let clip = nb
        .clip_text(
            DISPATCH,
            None,
            Some("https://nile-dispatch.example/africa/jeddah".into()),
        )
        .await
        .unwrap();
    let change = changes.try_recv().unwrap();
    assert_eq!(
        (change.origin, change.what),
        (ChangeOrigin::App, ChangeKind::Sources)
    );
    assert_eq!(changes.try_recv().unwrap_err(), TryRecvError::Empty);

    nb.tag("sudan", &[clip.source_id], &[]).await.unwrap();
    assert_eq!(changes.try_recv().unwrap().what, ChangeKind::Tags);
    nb.create_note("Jeddah talks", "Lamamra's line.")
        .await
        .unwrap();
    assert_eq!(changes.try_recv().unwrap().what, ChangeKind::Notes);

    nb.sources(&Default::default()).await.unwrap();
    nb.compare(clip.source_id, None, None).await.unwrap();
    assert_eq!(
        changes.try_recv().unwrap_err(),
        TryRecvError::Empty,
        "reads announce nothing"
    );

    // A refused write changes nothing, so it announces nothing.
    nb.tag("sudan", &[clip.source_id, 999], &[])
        .await
        .unwrap_err();
    assert_eq!(changes.try_recv().unwrap_err(), TryRecvError::Empty);
}

#[tokio::test]
async fn one_gate_per_site_paces_rechecks_without_doubling_up() {
    let gap = Duration::from_millis(600);
    let (_dir, nb) = notebook(gap).await;
    let server = TestServer::start().await;
    server.set("/africa/jeddah", Response::html(DISPATCH));
    let clip = nb.clip_url(&server.url("/africa/jeddah")).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();

    // The first request to the site does not wait at all.
    let started = Instant::now();
    nb.check(clip.source_id).await.unwrap();
    assert!(started.elapsed() < gap, "{:?}", started.elapsed());

    // A second "Re-check now" right after waits its turn, once.
    let started = Instant::now();
    nb.check(clip.source_id).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= gap - Duration::from_millis(50), "{waited:?}");
    assert!(waited < gap * 2, "waited on two gates: {waited:?}");
}

#[tokio::test]
async fn the_scheduler_rechecks_what_is_due_and_says_which_story_changed() {
    let (_dir, nb) = notebook(Duration::from_millis(10)).await;
    let server = TestServer::start().await;
    server.set("/africa/jeddah", Response::html(DISPATCH));
    let clip = nb.clip_url(&server.url("/africa/jeddah")).await.unwrap();
    let start = chrono::Utc::now();
    let clock = SimClock::new(start);
    let settings = SchedulerSettings {
        max_idle: chrono::Duration::minutes(1),
        ..SchedulerSettings::default()
    };
    let mut scheduler = nb
        .start_scheduler(Arc::new(clock.clone()), settings)
        .await
        .unwrap();
    scheduler
        .run_until(Some(start + chrono::Duration::minutes(1)))
        .await
        .unwrap();
    assert_eq!(scheduler.report.story_checks, 0, "unwatched: never due");

    nb.set_watched(&[clip.source_id], true).await.unwrap();
    server.set(
        "/africa/jeddah",
        Response::html(DISPATCH.replace("25,000 people", "40,000 people")),
    );
    let mut changes = nb.subscribe();
    scheduler
        .run_until(Some(start + chrono::Duration::minutes(2)))
        .await
        .unwrap();
    assert_eq!(scheduler.report.story_checks, 1, "{:?}", scheduler.report);
    let found = std::iter::from_fn(|| changes.try_recv().ok())
        .filter(|c| c.origin == ChangeOrigin::Watch)
        .find_map(|c| c.new_version)
        .expect("a watch change names the new version");
    assert_eq!((found.source_id, found.version_seq), (clip.source_id, 2));
    scheduler.stop().await.unwrap();
}
