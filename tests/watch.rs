//! Re-checking watched sources: back-off, which sources are due, and politeness per site.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::seed::library;
use redline::watch::{next_check_at, record_check, set_watched, HostGate};
use redline::{time, versions, Db};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0).unwrap()
}

#[test]
fn back_off_doubles_with_each_failure_up_to_a_day() {
    let now = at(12, 0);
    let hour = Duration::hours(1);
    let cases: &[(u32, Duration, Duration)] = &[
        (0, hour, hour),
        (1, hour, Duration::hours(2)),
        (2, hour, Duration::hours(4)),
        (3, hour, Duration::hours(8)),
        (4, hour, Duration::hours(16)),
        (5, hour, Duration::hours(24)),
        (6, hour, Duration::hours(24)),
        (40, hour, Duration::hours(24)),
        (u32::MAX, hour, Duration::hours(24)),
        (0, Duration::minutes(15), Duration::minutes(15)),
        (3, Duration::minutes(15), Duration::hours(2)),
        // A base longer than the cap is never shortened by failures.
        (0, Duration::days(7), Duration::days(7)),
        (3, Duration::days(7), Duration::days(7)),
    ];
    for &(failures, base, delay) in cases {
        assert_eq!(
            next_check_at(now, failures, base),
            now + delay,
            "failures {failures}, base {base}"
        );
    }
}

/// The scheduler's own "what is due" (the one rule since the app runs it),
/// as ids.
async fn due_sources(
    conn: &mut sqlx::SqliteConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> redline::Result<Vec<i64>> {
    Ok(redline::schedule::due(conn, now, 1000)
        .await?
        .into_iter()
        .map(|d| d.source_id)
        .collect())
}

async fn add_source(db: &Db, url: &str) -> i64 {
    let mut conn = db.pool().acquire().await.unwrap();
    versions::insert_source(&mut conn, Some(url), Some(url), &time::now())
        .await
        .unwrap()
}

async fn schedule(db: &Db, id: i64) -> (i64, Option<String>) {
    sqlx::query_as("SELECT failure_count, next_check_at FROM sources WHERE id = ?1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn due_sources_are_watched_unarchived_and_scheduled_before_now() {
    let (_dir, db) = library().await;
    let never_checked = add_source(&db, "https://www.yna.co.kr/view/AKR1").await;
    let due_earlier = add_source(&db, "https://tass.ru/politika/2").await;
    let not_yet = add_source(&db, "https://www.kcna.kp/en/article/3").await;
    let unwatched = add_source(&db, "https://www.xinhuanet.com/4").await;
    let archived = add_source(&db, "https://www.aljazeera.net/news/5").await;
    let due_exactly_now = add_source(&db, "https://www.reuters.com/world/6").await;

    let mut conn = db.pool().acquire().await.unwrap();
    for id in [
        never_checked,
        due_earlier,
        not_yet,
        archived,
        due_exactly_now,
    ] {
        set_watched(&mut conn, id, true).await.unwrap();
    }
    // Archiving belongs to the organise work; set it directly for this test.
    sqlx::query("UPDATE sources SET archived = 1 WHERE id = ?1")
        .bind(archived)
        .execute(&mut *conn)
        .await
        .unwrap();

    let hour = Duration::hours(1);
    // Checked at 09:00 → due 10:00; at 11:30 → due 12:30; at 11:00 → due 12:00.
    record_check(&mut conn, due_earlier, true, at(9, 0), hour)
        .await
        .unwrap();
    record_check(&mut conn, not_yet, true, at(11, 30), hour)
        .await
        .unwrap();
    record_check(&mut conn, due_exactly_now, true, at(11, 0), hour)
        .await
        .unwrap();

    let due = due_sources(&mut conn, at(12, 0)).await.unwrap();
    assert_eq!(due, vec![never_checked, due_earlier, due_exactly_now]);
    assert!(!due.contains(&unwatched));

    let later = due_sources(&mut conn, at(13, 0)).await.unwrap();
    assert_eq!(
        later,
        vec![never_checked, due_earlier, due_exactly_now, not_yet]
    );

    // Unwatching takes a source off the schedule.
    set_watched(&mut conn, due_earlier, false).await.unwrap();
    let due = due_sources(&mut conn, at(12, 0)).await.unwrap();
    assert_eq!(due, vec![never_checked, due_exactly_now]);
}

#[tokio::test]
async fn failures_back_off_and_a_success_resets_them() {
    let (_dir, db) = library().await;
    let id = add_source(&db, "https://ria.ru/20261126/sammit.html").await;
    let mut conn = db.pool().acquire().await.unwrap();
    set_watched(&mut conn, id, true).await.unwrap();
    let hour = Duration::hours(1);

    let next = record_check(&mut conn, id, false, at(10, 0), hour)
        .await
        .unwrap();
    assert_eq!(next, at(12, 0));
    assert_eq!(
        schedule(&db, id).await,
        (1, Some("2026-11-26T12:00:00.000Z".into()))
    );

    let next = record_check(&mut conn, id, false, at(12, 0), hour)
        .await
        .unwrap();
    assert_eq!(next, at(16, 0));
    assert_eq!(
        schedule(&db, id).await,
        (2, Some("2026-11-26T16:00:00.000Z".into()))
    );

    let next = record_check(&mut conn, id, false, at(16, 0), hour)
        .await
        .unwrap();
    assert_eq!(next, at(16, 0) + Duration::hours(8));
    assert_eq!(schedule(&db, id).await.0, 3);

    // Not due while backing off, due once the time comes.
    assert!(due_sources(&mut conn, at(23, 59)).await.unwrap().is_empty());
    assert_eq!(
        due_sources(&mut conn, at(16, 0) + Duration::hours(8))
            .await
            .unwrap(),
        vec![id]
    );

    let next = record_check(&mut conn, id, true, at(23, 0), hour)
        .await
        .unwrap();
    assert_eq!(next, at(23, 0) + hour);
    assert_eq!(
        schedule(&db, id).await,
        (0, Some("2026-11-27T00:00:00.000Z".into()))
    );
}

#[tokio::test]
async fn recording_a_check_of_a_missing_source_is_not_found() {
    let (_dir, db) = library().await;
    let mut conn = db.pool().acquire().await.unwrap();
    let e = record_check(&mut conn, 999, true, at(12, 0), Duration::hours(1))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    let e = set_watched(&mut conn, 999, true).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
}

#[tokio::test]
async fn one_request_per_host_at_a_time() {
    let gate = HostGate::new(StdDuration::from_millis(0));
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (gate, inside, most) = (gate.clone(), inside.clone(), most.clone());
        // The same host, spelled with different case.
        let host = if i % 2 == 0 {
            "www.yna.co.kr"
        } else {
            "WWW.YNA.CO.KR"
        };
        tasks.push(tokio::spawn(async move {
            let _permit = gate.enter(host).await;
            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            tokio::task::yield_now().await;
            tokio::time::sleep(StdDuration::from_millis(5)).await;
            inside.fetch_sub(1, Ordering::SeqCst);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn different_hosts_do_not_wait_for_each_other() {
    let gate = HostGate::new(StdDuration::from_secs(3600));
    let _tass = gate.enter("tass.ru").await;
    // Would wait forever (an hour's gap, and tass.ru still held) if hosts were shared.
    let xinhua = tokio::time::timeout(StdDuration::from_secs(5), gate.enter("xinhuanet.com")).await;
    assert!(xinhua.is_ok());
    let url = url::Url::parse("https://www.kcna.kp/en/article/1").unwrap();
    let kcna = tokio::time::timeout(StdDuration::from_secs(5), gate.enter_url(&url)).await;
    assert!(kcna.is_ok());
}

#[tokio::test]
async fn the_same_host_waits_the_minimum_gap() {
    let gap = StdDuration::from_millis(300);
    let gate = HostGate::new(gap);
    let first = gate.enter("tass.ru").await;
    drop(first);
    let released = tokio::time::Instant::now();
    let _second = gate.enter("TASS.ru").await;
    // A lower bound, which a correct gate guarantees however slow the machine.
    assert!(released.elapsed() >= gap - StdDuration::from_millis(5));
}
