//! The rules of re-checking watched sources: when each is due, how failures
//! back off, and how politely one site is asked.
//!
//! Scheduling is deterministic (no jitter): the same inputs give the same
//! time, so a schedule can be tested and explained to the reporter.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;
use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::time;

/// How often a healthy watched source is re-checked, unless the caller says otherwise.
pub const DEFAULT_INTERVAL: Duration = Duration::hours(1);

/// The least time between two requests to one site: a watch turn that finds
/// fifty due stories of one outlet asks for them one by one, this far apart.
/// Every re-check of a [`crate::notebook::Notebook`] waits on it, "Re-check
/// now" too, so a background turn and a click never double up on a site.
pub const POLITE_GAP: StdDuration = StdDuration::from_secs(5);

/// The longest a failing source waits between attempts: a day, or the base
/// interval when that is longer. A site that is down for a week is still
/// tried daily, so the reporter learns when it returns.
pub const MAX_BACKOFF: Duration = Duration::days(1);

/// When to check next: `base` after a success (`failures == 0`), doubling with
/// each consecutive failure (`base · 2^failures`), capped at [`MAX_BACKOFF`]
/// (or `base`, if that is longer).
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use redline::watch::next_check_at;
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
/// assert_eq!(next_check_at(now, 2, Duration::hours(1)), now + Duration::hours(4));
/// ```
pub fn next_check_at(now: DateTime<Utc>, failures: u32, base: Duration) -> DateTime<Utc> {
    let base = base.max(Duration::seconds(1));
    let cap = MAX_BACKOFF.max(base);
    // 2^20 · 1 s already passes a day; stop doubling long before overflow.
    let factor = 1i32 << failures.min(20);
    let delay = base.checked_mul(factor).map_or(cap, |d| d.min(cap));
    now + delay
}

/// Records the result of one check: a success clears the failure count, a
/// failure adds one; either way the next check is scheduled by
/// [`next_check_at`]. Returns that time. Runs two statements, so pass a
/// connection inside the caller's transaction when it records the capture too.
pub async fn record_check(
    conn: &mut SqliteConnection,
    source_id: i64,
    ok: bool,
    now: DateTime<Utc>,
    base: Duration,
) -> Result<DateTime<Utc>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT failure_count FROM sources WHERE id = ?1")
        .bind(source_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((failures,)) = row else {
        return Err(Error::not_found("source", source_id));
    };
    let failures = if ok {
        0
    } else {
        u32::try_from(failures).unwrap_or(0).saturating_add(1)
    };
    let next = next_check_at(now, failures, base);
    sqlx::query("UPDATE sources SET failure_count = ?1, next_check_at = ?2 WHERE id = ?3")
        .bind(i64::from(failures))
        .bind(time::format(next))
        .bind(source_id)
        .execute(&mut *conn)
        .await?;
    Ok(next)
}

/// Turns watching of a source on or off. Turning it on makes it due at once
/// with a clean failure count; turning it off keeps nothing scheduled.
pub async fn set_watched(conn: &mut SqliteConnection, source_id: i64, watched: bool) -> Result<()> {
    let done = sqlx::query(
        "UPDATE sources SET watched = ?1, next_check_at = NULL, failure_count = 0 WHERE id = ?2",
    )
    .bind(watched)
    .bind(source_id)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("source", source_id));
    }
    Ok(())
}

/// Per-site politeness: at most one request to a host at a time, and at least
/// `min_gap` between the end of one request and the start of the next.
/// Requests to different hosts do not wait for each other.
#[derive(Clone, Debug)]
pub struct HostGate {
    /// The gap the gate was made with, and the one in force (the library's
    /// setting, once read; shared by the gate's clones).
    default_gap: StdDuration,
    min_gap: Arc<Mutex<StdDuration>>,
    hosts: Arc<Mutex<HashMap<String, HostSlot>>>,
}

/// One host's turn: locked while a request runs, holding when the last one ended.
type HostSlot = Arc<tokio::sync::Mutex<Option<Instant>>>;

/// Held while one request to a host runs; dropping it lets the next one in
/// (after the gap).
#[derive(Debug)]
pub struct HostPermit {
    finished: OwnedMutexGuard<Option<Instant>>,
}

impl Drop for HostPermit {
    fn drop(&mut self) {
        *self.finished = Some(Instant::now());
    }
}

impl HostGate {
    pub fn new(min_gap: StdDuration) -> Self {
        HostGate {
            default_gap: min_gap,
            min_gap: Arc::new(Mutex::new(min_gap)),
            hosts: Arc::default(),
        }
    }

    /// The gap in force between two requests to one host.
    pub fn gap(&self) -> StdDuration {
        *self.min_gap.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the gap in force; None returns to the gap the gate was made with.
    pub fn set_gap(&self, gap: Option<StdDuration>) {
        *self.min_gap.lock().unwrap_or_else(|e| e.into_inner()) = gap.unwrap_or(self.default_gap);
    }

    /// Waits for this host's turn. `host` is compared case-insensitively;
    /// pass `Url::host_str()` (see [`HostGate::enter_url`]).
    pub async fn enter(&self, host: &str) -> HostPermit {
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.entry(host.to_ascii_lowercase()).or_default().clone()
        };
        let finished = slot.lock_owned().await;
        if let Some(last) = *finished {
            tokio::time::sleep_until(last + self.gap()).await;
        }
        HostPermit { finished }
    }

    /// [`HostGate::enter`] for the host of `url` (the whole URL when it has
    /// none), with its port when not the default: two servers on one host
    /// are two sites, as the scheduler counts them.
    pub async fn enter_url(&self, url: &url::Url) -> HostPermit {
        match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => self.enter(&format!("{h}:{p}")).await,
            (Some(h), None) => self.enter(h).await,
            _ => self.enter(url.as_str()).await,
        }
    }
}
