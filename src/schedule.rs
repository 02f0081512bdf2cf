//! The decaying re-check schedule of a watched story, and the clock and lock
//! the scheduler runs with.
//!
//! Stories change most in their first hours and can change for months, so a
//! story is checked every 15 minutes for its first 3 hours, then hourly to
//! day 1, every 6 hours to day 3, daily to day 14, weekly to day 90 and
//! monthly to day 365; then its schedule ends. A check that finds a new
//! version restarts the decay from that moment. The reporter may pin a story
//! to a fixed interval or stop it. Failures back off from the step's interval
//! ([`crate::watch::next_check_at`]) and never touch a version.
//!
//! Times come from a [`Clock`], so a test or a benchmark runs a simulated
//! year in seconds.

use std::future::Future;

/// A clock's wait.
pub type Wait<'a> = std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::error::{Error, Result};
use crate::time;

/// One step of the decay: checks every `every` while the story is younger than `until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub name: &'static str,
    pub until: Duration,
    pub every: Duration,
}

/// The default decay (see the module doc).
pub const STEPS: [Step; 6] = [
    Step {
        name: "15 min",
        until: Duration::hours(3),
        every: Duration::minutes(15),
    },
    Step {
        name: "hourly",
        until: Duration::days(1),
        every: Duration::hours(1),
    },
    Step {
        name: "6 h",
        until: Duration::days(3),
        every: Duration::hours(6),
    },
    Step {
        name: "daily",
        until: Duration::days(14),
        every: Duration::days(1),
    },
    Step {
        name: "weekly",
        until: Duration::days(90),
        every: Duration::days(7),
    },
    Step {
        name: "monthly",
        until: Duration::days(365),
        every: Duration::days(30),
    },
];

/// Stored as `next_check_at` of a story that is not checked again (stopped or
/// ended): later than any real time, so no "due" query ever picks it.
pub const NEVER: &str = "9999-12-31T00:00:00.000Z";

/// The step for a story `age` old (since first seen or last change); None
/// once the decay has run out.
pub fn step_at(age: Duration) -> Option<usize> {
    STEPS.iter().position(|s| age < s.until)
}

/// How a story's schedule stands, as the app and `redline watch status` show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "mode")]
#[ts(export)]
pub enum Cadence {
    /// Following the decay, at this step.
    Decaying {
        step: String,
        #[serde(rename = "everySecs")]
        #[ts(type = "number")]
        every_secs: i64,
    },
    /// Pinned to a fixed interval by the reporter.
    Pinned {
        #[serde(rename = "everySecs")]
        #[ts(type = "number")]
        every_secs: i64,
    },
    /// Stopped by the reporter.
    Stopped,
    /// The decay ran out (a year without change).
    Ended,
}

/// The schedule of one watched source.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StorySchedule {
    pub source_id: i64,
    pub cadence: Cadence,
    pub first_seen_at: String,
    pub changed_at: Option<String>,
    pub last_check_at: Option<String>,
    /// None when no further check is planned.
    pub next_check_at: Option<String>,
    pub checks: i64,
    pub failure_count: i64,
    /// 404, 410… when the story disappeared (its last version stays).
    pub gone_status: Option<i64>,
    pub last_error: Option<String>,
    pub ignore_robots: bool,
}

/// What the reporter sets on a story's schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "mode")]
#[ts(export)]
pub enum Pin {
    /// Follow the decay again.
    Decay,
    /// Check every so many seconds, whatever the story's age.
    Every {
        #[ts(type = "number")]
        secs: i64,
    },
    /// No more checks.
    Stop,
}

/// Where a story stands: its anchor (the later of first seen and last change)
/// and the reporter's settings.
#[derive(Clone, Debug, Default)]
struct Row {
    first_seen_at: String,
    changed_at: Option<String>,
    pin_secs: Option<i64>,
    stopped: bool,
}

impl Row {
    fn anchor(&self) -> Option<DateTime<Utc>> {
        let first = time::parse(&self.first_seen_at)?;
        Some(
            self.changed_at
                .as_deref()
                .and_then(time::parse)
                .map_or(first, |c| c.max(first)),
        )
    }

    /// The interval the story is on at `now` (None: no more checks).
    fn every(&self, now: DateTime<Utc>) -> Option<Duration> {
        if self.stopped {
            return None;
        }
        if let Some(secs) = self.pin_secs {
            return Some(Duration::seconds(secs));
        }
        let age = now - self.anchor()?;
        step_at(age).map(|i| STEPS[i].every)
    }

    fn cadence(&self, now: DateTime<Utc>, ended: bool) -> Cadence {
        if self.stopped {
            return Cadence::Stopped;
        }
        if let Some(secs) = self.pin_secs {
            return Cadence::Pinned { every_secs: secs };
        }
        let step = self.anchor().and_then(|a| step_at(now - a));
        match step {
            Some(i) if !ended => Cadence::Decaying {
                step: STEPS[i].name.to_string(),
                every_secs: STEPS[i].every.num_seconds(),
            },
            _ => Cadence::Ended,
        }
    }
}

async fn row(conn: &mut SqliteConnection, source_id: i64) -> Result<Option<Row>> {
    let r: Option<(String, Option<String>, Option<i64>, bool)> = sqlx::query_as(
        "SELECT first_seen_at, changed_at, pin_secs, stopped FROM story_schedules WHERE source_id = ?1",
    )
    .bind(source_id)
    .fetch_optional(conn)
    .await?;
    Ok(r.map(|(first_seen_at, changed_at, pin_secs, stopped)| Row {
        first_seen_at,
        changed_at,
        pin_secs,
        stopped,
    }))
}

/// Starts a story's schedule at `now` if it has none (first seen: the
/// earlier of its clip time and `now`). The first check is one step away
/// when `checked_now` (it was just clipped), else due at once.
pub async fn start(
    conn: &mut SqliteConnection,
    source_id: i64,
    now: DateTime<Utc>,
    checked_now: bool,
) -> Result<()> {
    let created: Option<(String,)> = sqlx::query_as("SELECT created_at FROM sources WHERE id = ?1")
        .bind(source_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((created,)) = created else {
        return Err(Error::not_found("source", source_id));
    };
    // A story watched long after its clip is as old as its clip; one just
    // clipped (by a feed rule) is first seen now.
    let first = if checked_now {
        now
    } else {
        time::parse(&created).map_or(now, |c| c.min(now))
    };
    let done = sqlx::query(
        "INSERT INTO story_schedules (source_id, first_seen_at) VALUES (?1, ?2) \
         ON CONFLICT (source_id) DO NOTHING",
    )
    .bind(source_id)
    .bind(time::format(first))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        let next = if checked_now {
            now + STEPS[0].every
        } else {
            now
        };
        set_next(conn, source_id, Some(next)).await?;
    }
    Ok(())
}

async fn set_next(
    conn: &mut SqliteConnection,
    source_id: i64,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    sqlx::query("UPDATE sources SET next_check_at = ?1 WHERE id = ?2")
        .bind(next.map_or_else(|| NEVER.to_string(), time::format))
        .bind(source_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE story_schedules SET ended = ?1 WHERE source_id = ?2")
        .bind(next.is_none())
        .bind(source_id)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(Into::into)
}

/// How one check of a story went, for [`record`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    /// A new version: the decay restarts now.
    Changed,
    /// Same text, or 304.
    Unchanged,
    /// The fetch failed; `status` is the HTTP status when there was one.
    Failed { status: Option<u16>, error: String },
    /// robots.txt disallows the URL: not fetched, not a failure of the site.
    Disallowed,
    /// Another member of the team holds this story's re-check (its result
    /// arrives by team sync): not fetched here, and the story waits its
    /// step's interval as after an unchanged check.
    ByTeam,
}

/// What [`record`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The step the story was on when checked (None: pinned, or past the decay).
    pub step: Option<usize>,
    /// The next check (None: the schedule ended or was stopped).
    pub next: Option<DateTime<Utc>>,
}

/// Records a check at `now` and schedules the next one: the step's interval
/// (from the new anchor after a change), backed off by the source's failure
/// count after failures.
pub async fn record(
    conn: &mut SqliteConnection,
    source_id: i64,
    now: DateTime<Utc>,
    checked: &Checked,
) -> Result<Recorded> {
    start(&mut *conn, source_id, now, false).await?;
    let before = row(&mut *conn, source_id).await?.unwrap_or_default();
    let step = match (before.pin_secs, before.anchor()) {
        (None, Some(anchor)) => step_at(now - anchor),
        _ => None,
    };
    let stamp = time::format(now);
    let (failures_delta, gone, error): (bool, Option<i64>, Option<&str>) = match checked {
        Checked::Changed => {
            sqlx::query("UPDATE story_schedules SET changed_at = ?1 WHERE source_id = ?2")
                .bind(&stamp)
                .bind(source_id)
                .execute(&mut *conn)
                .await?;
            (false, None, None)
        }
        Checked::Unchanged | Checked::ByTeam => (false, None, None),
        Checked::Failed { status, error } => (
            true,
            status
                .filter(|s| matches!(s, 404 | 410 | 451))
                .map(i64::from),
            Some(error.as_str()),
        ),
        Checked::Disallowed => (false, None, Some("robots.txt disallows this address")),
    };
    sqlx::query(
        "UPDATE story_schedules SET checks = checks + ?1, last_check_at = ?2, \
         gone_status = CASE WHEN ?3 THEN ?4 ELSE NULL END, last_error = ?5 WHERE source_id = ?6",
    )
    .bind(i64::from(!matches!(
        checked,
        Checked::Disallowed | Checked::ByTeam
    )))
    .bind(&stamp)
    .bind(failures_delta)
    .bind(gone)
    .bind(error)
    .bind(source_id)
    .execute(&mut *conn)
    .await?;
    // The clipper counted the failure already (it records every capture);
    // a disallowed check never reached it, and is no failure.
    let (failures,): (i64,) = sqlx::query_as("SELECT failure_count FROM sources WHERE id = ?1")
        .bind(source_id)
        .fetch_one(&mut *conn)
        .await?;
    let row = row(&mut *conn, source_id).await?.unwrap_or_default();
    let last = STEPS[STEPS.len() - 1].until;
    let next = row.every(now).and_then(|every| {
        let failures = if failures_delta {
            u32::try_from(failures).unwrap_or(0)
        } else {
            0
        };
        let next = crate::watch::next_check_at(now, failures, every);
        // The decay ends at a year: no check is planned past it.
        match (row.pin_secs, row.anchor()) {
            (None, Some(anchor)) if next >= anchor + last => None,
            _ => Some(next),
        }
    });
    set_next(conn, source_id, next).await?;
    Ok(Recorded { step, next })
}

/// A new version another desk of the team found at `at` (it arrived by
/// sync): the decay restarts from then, as after a change found here, and
/// the next check is the first step after it. Not counted as a check here.
/// A watched story with no schedule yet starts one from `at`; one not
/// watched, pinned or stopped is left alone.
pub async fn changed_elsewhere(
    conn: &mut SqliteConnection,
    source_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let Some(before) = row(&mut *conn, source_id).await? else {
        let watched: Option<bool> = sqlx::query_scalar("SELECT watched FROM sources WHERE id = ?1")
            .bind(source_id)
            .fetch_optional(&mut *conn)
            .await?;
        if watched == Some(true) {
            start(conn, source_id, at, true).await?;
        }
        return Ok(());
    };
    if before.stopped || before.pin_secs.is_some() || before.anchor().is_some_and(|a| a >= at) {
        return Ok(());
    }
    sqlx::query("UPDATE story_schedules SET changed_at = ?1 WHERE source_id = ?2")
        .bind(time::format(at))
        .bind(source_id)
        .execute(&mut *conn)
        .await?;
    set_next(conn, source_id, Some(at + STEPS[0].every)).await
}

/// Pins, stops or restores the decay of a story's schedule; the next check
/// follows at once from the new setting.
pub async fn set_pin(
    conn: &mut SqliteConnection,
    source_id: i64,
    pin: Pin,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Pin::Every { secs } = pin {
        if secs < 60 {
            return Err(Error::Invalid(
                "a pinned interval must be at least 60 seconds".into(),
            ));
        }
    }
    start(&mut *conn, source_id, now, false).await?;
    let (pin_secs, stopped) = match pin {
        Pin::Decay => (None, false),
        Pin::Every { secs } => (Some(secs), false),
        Pin::Stop => (None, true),
    };
    sqlx::query("UPDATE story_schedules SET pin_secs = ?1, stopped = ?2 WHERE source_id = ?3")
        .bind(pin_secs)
        .bind(stopped)
        .bind(source_id)
        .execute(&mut *conn)
        .await?;
    let row = row(&mut *conn, source_id).await?.unwrap_or_default();
    let last: Option<(Option<String>,)> =
        sqlx::query_as("SELECT last_check_at FROM story_schedules WHERE source_id = ?1")
            .bind(source_id)
            .fetch_optional(&mut *conn)
            .await?;
    let from = last
        .and_then(|(t,)| t)
        .as_deref()
        .and_then(time::parse)
        .unwrap_or(now);
    let next = row.every(now).map(|e| (from + e).max(now));
    set_next(conn, source_id, next).await
}

/// The reporter's robots.txt override for one story, set on purpose.
pub async fn set_ignore_robots(
    conn: &mut SqliteConnection,
    source_id: i64,
    ignore: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    start(&mut *conn, source_id, now, false).await?;
    sqlx::query("UPDATE story_schedules SET ignore_robots = ?1 WHERE source_id = ?2")
        .bind(ignore)
        .bind(source_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A story's schedule as it stands at `now` (a story never scheduled shows
/// its decay from its clip time).
pub async fn get(
    conn: &mut SqliteConnection,
    source_id: i64,
    now: DateTime<Utc>,
) -> Result<StorySchedule> {
    let src: Option<(String, Option<String>, i64, bool)> = sqlx::query_as(
        "SELECT created_at, next_check_at, failure_count, watched FROM sources WHERE id = ?1",
    )
    .bind(source_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((created, next, failure_count, watched)) = src else {
        return Err(Error::not_found("source", source_id));
    };
    type Extra = (
        String,
        Option<String>,
        Option<i64>,
        bool,
        bool,
        bool,
        i64,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let extra: Option<Extra> = sqlx::query_as(
        "SELECT first_seen_at, changed_at, pin_secs, stopped, ended, ignore_robots, checks, \
         last_check_at, gone_status, last_error FROM story_schedules WHERE source_id = ?1",
    )
    .bind(source_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (first, changed, pin, stopped, ended, ignore, checks, last, gone, error) =
        extra.unwrap_or((
            created, None, None, false, false, false, 0, None, None, None,
        ));
    let row = Row {
        first_seen_at: first.clone(),
        changed_at: changed.clone(),
        pin_secs: pin,
        stopped: stopped || !watched,
    };
    let cadence = row.cadence(now, ended);
    Ok(StorySchedule {
        source_id,
        next_check_at: next.filter(|n| {
            n != NEVER && watched && !matches!(cadence, Cadence::Stopped | Cadence::Ended)
        }),
        cadence,
        first_seen_at: first,
        changed_at: changed,
        last_check_at: last,
        checks,
        failure_count,
        gone_status: gone,
        last_error: error,
        ignore_robots: ignore,
    })
}

/// A watched story due at `now`: its id, URL and robots override.
#[derive(Clone, Debug)]
pub struct DueStory {
    pub source_id: i64,
    pub url: Option<String>,
    pub ignore_robots: bool,
}

/// Watched, unarchived stories due at `now` (never scheduled first), at most `limit`.
pub async fn due(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueStory>> {
    let rows: Vec<(i64, Option<String>, Option<bool>)> = sqlx::query_as(
        "SELECT s.id, s.url, ss.ignore_robots FROM sources s \
         LEFT JOIN story_schedules ss ON ss.source_id = s.id \
         WHERE s.watched = 1 AND s.archived = 0 \
           AND (s.next_check_at IS NULL OR s.next_check_at <= ?1) \
           AND COALESCE(ss.stopped, 0) = 0 AND COALESCE(ss.ended, 0) = 0 \
         ORDER BY s.next_check_at IS NOT NULL, s.next_check_at, s.id LIMIT ?2",
    )
    .bind(time::format(now))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(source_id, url, ignore)| DueStory {
            source_id,
            url,
            ignore_robots: ignore.unwrap_or(false),
        })
        .collect())
}

/// When the next watched story falls due (None: nothing scheduled).
pub async fn next_due(conn: &mut SqliteConnection) -> Result<Option<DateTime<Utc>>> {
    let row: (Option<String>, i64) = sqlx::query_as(
        "SELECT MIN(s.next_check_at), SUM(s.next_check_at IS NULL) FROM sources s \
         LEFT JOIN story_schedules ss ON ss.source_id = s.id \
         WHERE s.watched = 1 AND s.archived = 0 \
           AND COALESCE(ss.stopped, 0) = 0 AND COALESCE(ss.ended, 0) = 0",
    )
    .fetch_one(conn)
    .await
    .map(|(m, n): (Option<String>, Option<i64>)| (m, n.unwrap_or(0)))?;
    if row.1 > 0 {
        return Ok(Some(DateTime::<Utc>::MIN_UTC));
    }
    Ok(row
        .0
        .filter(|t| t != NEVER)
        .as_deref()
        .and_then(time::parse))
}

/// Where time comes from. The scheduler asks it for "now" and waits on it,
/// so a simulated clock runs a year of schedule without waiting.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
    /// Returns once `now() >= t` (at once if it already is).
    fn sleep_until(&self, t: DateTime<Utc>) -> Wait<'_>;
}

/// The wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, t: DateTime<Utc>) -> Wait<'_> {
        Box::pin(async move {
            let wait = (t - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
        })
    }
}

/// A simulated clock: time stands still until the scheduler sleeps, and a
/// sleep jumps straight to its end.
#[derive(Clone, Debug)]
pub struct SimClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl SimClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        SimClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves time forward by `d` (never backward).
    pub fn advance(&self, d: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += d.max(Duration::zero());
    }
}

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sleep_until(&self, t: DateTime<Utc>) -> Wait<'_> {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if t > *now {
            *now = t;
        }
        Box::pin(std::future::ready(()))
    }
}

/// Who holds the scheduler of a library, as `redline watch status` shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchedulerState {
    pub holder: String,
    pub pid: i64,
    pub host: String,
    pub started_at: String,
    pub heartbeat_at: String,
    /// The holder missed enough heartbeats to be taken over.
    pub stale: bool,
    pub paused: bool,
    /// Requests made since it started.
    pub requests: i64,
    pub next_due_at: Option<String>,
}

/// Who asks for the lock.
#[derive(Clone, Debug)]
pub struct Holder {
    /// Unique per running scheduler (pid, host and start time).
    pub id: String,
    pub pid: i64,
    pub host: String,
}

/// Takes the library's scheduler lock at `now`, in the caller's write
/// transaction: free, stale (no heartbeat for `stale_after`) or already ours.
/// Otherwise [`Error::Busy`] names who holds it.
pub async fn acquire_lock(
    conn: &mut SqliteConnection,
    holder: &Holder,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Result<()> {
    if let Some(state) = lock_state(&mut *conn, now, stale_after).await? {
        if state.holder != holder.id && !state.stale {
            return Err(Error::Busy(format!(
                "the watch scheduler already runs on this library (pid {} on {}, since {}, last heartbeat {})",
                state.pid, state.host, state.started_at, state.heartbeat_at
            )));
        }
    }
    sqlx::query(
        "INSERT INTO scheduler_lock (id, holder, pid, host, started_at, heartbeat_at) \
         VALUES (1, ?1, ?2, ?3, ?4, ?4) \
         ON CONFLICT (id) DO UPDATE SET holder = ?1, pid = ?2, host = ?3, started_at = ?4, \
         heartbeat_at = ?4, paused = 0, requests = 0, next_due_at = NULL",
    )
    .bind(&holder.id)
    .bind(holder.pid)
    .bind(&holder.host)
    .bind(time::format(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Refreshes the holder's heartbeat and what it reports. Fails with
/// [`Error::Busy`] when another process took the lock (we were stale).
pub async fn heartbeat(
    conn: &mut SqliteConnection,
    holder: &Holder,
    now: DateTime<Utc>,
    requests: i64,
    next_due: Option<DateTime<Utc>>,
    paused: bool,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE scheduler_lock SET heartbeat_at = ?1, requests = ?2, next_due_at = ?3, \
         paused = ?5 WHERE id = 1 AND holder = ?4",
    )
    .bind(time::format(now))
    .bind(requests)
    .bind(next_due.map(time::format))
    .bind(&holder.id)
    .bind(paused)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Busy(
            "another process took over the watch scheduler of this library".into(),
        ));
    }
    Ok(())
}

/// Gives the lock back (only if we hold it).
pub async fn release_lock(conn: &mut SqliteConnection, holder: &Holder) -> Result<()> {
    sqlx::query("DELETE FROM scheduler_lock WHERE id = 1 AND holder = ?1")
        .bind(&holder.id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Who holds the lock, if anyone, judged at `now`.
pub async fn lock_state(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Result<Option<SchedulerState>> {
    type LockRow = (
        String,
        i64,
        String,
        String,
        String,
        bool,
        i64,
        Option<String>,
    );
    let row: Option<LockRow> = sqlx::query_as(
        "SELECT holder, pid, host, started_at, heartbeat_at, paused, requests, next_due_at \
         FROM scheduler_lock WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(holder, pid, host, started_at, heartbeat_at, paused, requests, next_due_at)| {
            let stale = time::parse(&heartbeat_at).is_none_or(|h| now - h > stale_after);
            SchedulerState {
                holder,
                pid,
                host,
                started_at,
                heartbeat_at,
                stale,
                paused,
                requests,
                next_due_at,
            }
        },
    ))
}
