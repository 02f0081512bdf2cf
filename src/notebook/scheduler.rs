//! The watch scheduler: one use case that re-checks watched stories on their
//! decaying schedules, polls feeds and clips what they list, one request at
//! a time per site with a least gap, within a request budget per hour,
//! respecting robots.txt. The app's background task and `redline watch run`
//! run this same loop; a lock row in the library lets only one run at a time.
//!
//! All times come from the injected [`Clock`]: with a [`crate::schedule::SimClock`]
//! a simulated year runs as fast as the requests can be answered.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::{ChangeOrigin, Notebook};
use crate::clip::{CheckOutcome, CheckStatus, FetchedCheck};
use crate::error::{Error, Result};
use crate::feeds::{self, PendingItem};
use crate::robots::Robots;
use crate::schedule::{self, Checked, Clock, Holder, Pin, SchedulerState, StorySchedule};
use crate::watch;

/// How often the scheduler asks the TSA for waiting captures' timestamps.
const STAMP_EVERY: Duration = Duration::minutes(1);
/// The longest wait between two asks after failures.
const STAMP_MOST_WAIT: Duration = Duration::hours(1);

/// How the scheduler paces itself.
#[derive(Clone, Debug)]
pub struct SchedulerSettings {
    /// Most requests (every kind, robots.txt included) in any hour.
    pub budget_per_hour: usize,
    /// Least time between two requests to one site (scheme, host and port).
    pub host_gap: Duration,
    /// How often the lock's heartbeat is refreshed.
    pub heartbeat: Duration,
    /// A lock without a heartbeat for this long is taken over.
    pub stale_after: Duration,
    /// Longest sleep before looking for new work (clips made meanwhile by
    /// the app or the CLI). A simulated run can make it long.
    pub max_idle: Duration,
    /// How long a site's robots.txt is trusted.
    pub robots_ttl: Duration,
    /// Most due items read per turn.
    pub batch: i64,
    /// Keep a [`RequestLog`] of every request (benchmarks, tests).
    pub record: bool,
}

impl Default for SchedulerSettings {
    fn default() -> Self {
        SchedulerSettings {
            budget_per_hour: 720,
            host_gap: Duration::from_std(watch::POLITE_GAP).unwrap_or(Duration::seconds(5)),
            heartbeat: Duration::seconds(30),
            stale_after: Duration::seconds(90),
            max_idle: Duration::seconds(30),
            robots_ttl: Duration::days(1),
            batch: 500,
            record: false,
        }
    }
}

/// What kind of request the scheduler made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Story,
    Feed,
    Item,
    Robots,
}

/// One request, as a benchmark or a test reads the run back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestLog {
    pub at: DateTime<Utc>,
    pub site: String,
    pub kind: RequestKind,
    pub source_id: Option<i64>,
    /// For a story check: the decay step it was on, and whether it changed.
    pub step: Option<usize>,
    pub changed: bool,
}

/// Totals of a run.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchedulerReport {
    pub requests: u64,
    pub story_checks: u64,
    pub new_versions: u64,
    pub failures: u64,
    pub feed_polls: u64,
    pub items_clipped: u64,
    pub robots_fetches: u64,
    /// Checks not made because robots.txt disallows them.
    pub disallowed: u64,
    /// Times the hourly budget made the scheduler wait.
    pub budget_waits: u64,
    /// Shared stories not checked here: another member of the team held
    /// their re-check.
    pub team_checks: u64,
}

/// A running scheduler: holds the library's lock until [`Scheduler::stop`].
#[derive(Debug)]
pub struct Scheduler {
    nb: Notebook,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    holder: Holder,
    /// When each site may be asked next.
    sites: HashMap<String, DateTime<Utc>>,
    /// Times of the requests of the last hour.
    budget: VecDeque<DateTime<Utc>>,
    robots: HashMap<String, (Robots, DateTime<Utc>)>,
    last_beat: DateTime<Utc>,
    /// Watching is paused (as last read from the library).
    paused: bool,
    /// When to ask the TSA again for captures waiting for a timestamp, and
    /// the wait after that (longer after each failure).
    next_stamp: DateTime<Utc>,
    stamp_wait: Duration,
    pub report: SchedulerReport,
    pub log: Vec<RequestLog>,
}

/// One unit of work: one request.
enum Work {
    Feed { id: i64, url: String },
    Item(PendingItem),
    Story(schedule::DueStory),
}

impl Work {
    fn url(&self) -> Option<&str> {
        match self {
            Work::Feed { url, .. } => Some(url),
            Work::Item(i) => i.url.as_deref(),
            Work::Story(s) => s.url.as_deref(),
        }
    }
}

/// The site a request goes to: scheme, host and port.
fn site_of(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

impl Notebook {
    /// Takes this library's scheduler lock and returns the scheduler;
    /// [`Error::Busy`] when another live process runs one.
    pub async fn start_scheduler(
        &self,
        clock: Arc<dyn Clock>,
        settings: SchedulerSettings,
    ) -> Result<Scheduler> {
        let now = clock.now();
        let pid = i64::from(std::process::id());
        let host = hostname();
        let holder = Holder {
            id: format!(
                "{pid}@{host}/{}",
                Utc::now().timestamp_nanos_opt().unwrap_or(0)
            ),
            pid,
            host,
        };
        let stale = settings.stale_after;
        // The library's per-site gap holds for the scheduler's requests too.
        self.host_gap().await?;
        self.write_as(ChangeOrigin::Watch, super::ChangeKind::Library, async |c| {
            schedule::acquire_lock(c, &holder, now, stale).await
        })
        .await?;
        Ok(Scheduler {
            nb: self.clone(),
            clock,
            settings,
            holder,
            sites: HashMap::new(),
            budget: VecDeque::new(),
            robots: HashMap::new(),
            last_beat: now,
            paused: false,
            next_stamp: now,
            stamp_wait: STAMP_EVERY,
            report: SchedulerReport::default(),
            log: Vec::new(),
        })
    }

    /// Whether the reporter paused watching (for every process).
    pub async fn watching_paused(&self) -> Result<bool> {
        self.read(async |c| crate::settings::watch_paused(c).await)
            .await
    }

    /// Pauses or resumes watching: the scheduler, whichever process runs
    /// it, makes no request while paused. Kept across restarts.
    pub async fn set_watching_paused(&self, paused: bool) -> Result<()> {
        self.write_as(ChangeOrigin::Watch, super::ChangeKind::Library, async |c| {
            crate::settings::set_watch_paused(c, paused).await
        })
        .await
    }

    /// Who runs the scheduler of this library, if anyone (judged by the wall clock).
    pub async fn scheduler_state(&self) -> Result<Option<SchedulerState>> {
        let stale = SchedulerSettings::default().stale_after;
        self.read(async |c| schedule::lock_state(c, Utc::now(), stale).await)
            .await
    }

    /// A story's schedule and next check, as the app shows it.
    pub async fn story_schedule(&self, source_id: i64) -> Result<StorySchedule> {
        self.story_schedule_at(source_id, Utc::now()).await
    }

    /// [`Notebook::story_schedule`] as it stands at `now` (a simulated clock's time).
    pub async fn story_schedule_at(
        &self,
        source_id: i64,
        now: DateTime<Utc>,
    ) -> Result<StorySchedule> {
        self.read(async |c| schedule::get(c, source_id, now).await)
            .await
    }

    /// Pins a story to an interval, stops it, or returns it to the decay.
    pub async fn set_story_schedule(&self, source_id: i64, pin: Pin) -> Result<StorySchedule> {
        let now = Utc::now();
        self.write(super::ChangeKind::Sources, async |c| {
            schedule::set_pin(&mut *c, source_id, pin, now).await?;
            schedule::get(c, source_id, now).await
        })
        .await
    }

    /// Lets the scheduler check a story even where robots.txt disallows it
    /// (or stops it again). The reporter's decision, never a default.
    pub async fn set_story_ignore_robots(&self, source_id: i64, ignore: bool) -> Result<()> {
        let now = Utc::now();
        self.write(super::ChangeKind::Sources, async |c| {
            schedule::set_ignore_robots(c, source_id, ignore, now).await
        })
        .await
    }
}

impl Scheduler {
    /// Runs until `until` (clock time; None: until the future is dropped or
    /// another process takes the lock).
    ///
    /// While the reporter has watching paused ([`Notebook::set_watching_paused`],
    /// from any process) it makes no request and looks again every
    /// `max_idle`, so a pause or a resume takes effect within that time.
    pub async fn run_until(&mut self, until: Option<DateTime<Utc>>) -> Result<()> {
        loop {
            let now = self.clock.now();
            if until.is_some_and(|u| now >= u) {
                return Ok(());
            }
            let paused = self.nb.watching_paused().await?;
            if paused != self.paused {
                self.paused = paused;
                self.beat(now, true).await?;
            }
            if paused {
                let mut wake = now + self.settings.max_idle;
                if let Some(u) = until {
                    wake = wake.min(u);
                }
                self.beat(now, false).await?;
                self.clock.sleep_until(wake).await;
                continue;
            }
            self.beat(now, false).await?;
            let made = self.turn().await?;
            if made > 0 {
                continue;
            }
            self.stamp().await;
            let mut wake = self.next_wake().await?;
            wake = wake.min(self.clock.now() + self.settings.max_idle);
            if let Some(u) = until {
                wake = wake.min(u);
            }
            self.beat(self.clock.now(), true).await?;
            self.clock.sleep_until(wake).await;
        }
    }

    /// Per-capture timestamps (when the library has them on): between
    /// checks, asks the TSA for the tokens captures wait for, whichever
    /// process made them. At most once a minute; after a failure the wait
    /// doubles up to an hour, so a TSA that is down is not asked at every
    /// wake. A TSA's failure is recorded on the capture and never stops
    /// watching.
    async fn stamp(&mut self) {
        let now = self.clock.now();
        if now < self.next_stamp {
            return;
        }
        let failed = match self.nb.timestamp_pending_captures().await {
            Ok(report) => report.failed > 0,
            Err(e) => {
                tracing::warn!("per-capture timestamps: {e}");
                true
            }
        };
        self.stamp_wait = if failed {
            (self.stamp_wait * 2).clamp(STAMP_EVERY, STAMP_MOST_WAIT)
        } else {
            STAMP_EVERY
        };
        self.next_stamp = now + self.stamp_wait;
    }

    /// Gives the lock back.
    pub async fn stop(self) -> Result<()> {
        let holder = self.holder.clone();
        self.nb
            .write_as(ChangeOrigin::Watch, super::ChangeKind::Library, async |c| {
                schedule::release_lock(c, &holder).await
            })
            .await
    }

    async fn beat(&mut self, now: DateTime<Utc>, force: bool) -> Result<()> {
        if !force && now - self.last_beat < self.settings.heartbeat {
            return Ok(());
        }
        self.last_beat = now;
        let holder = self.holder.clone();
        let requests = i64::try_from(self.report.requests).unwrap_or(i64::MAX);
        let next = self.next_due().await?;
        let mut tx = self.nb.db.write().await?;
        schedule::heartbeat(&mut tx, &holder, now, requests, next, self.paused).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let now = self.clock.now();
        self.nb
            .read(async |c| {
                let story = schedule::next_due(&mut *c).await?;
                let feed = feeds::next_due(&mut *c).await?;
                let next = match (story, feed) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                // "Never checked" reads as due now.
                Ok(next.map(|t| t.max(now)))
            })
            .await
    }

    /// When there may be work again: the next due story or feed, a queued
    /// item's site becoming free, or the budget freeing up.
    async fn next_wake(&self) -> Result<DateTime<Utc>> {
        let now = self.clock.now();
        let far = now + Duration::days(3650);
        let mut wake = self.next_due().await?.unwrap_or(far);
        let pending = self
            .nb
            .read(async |c| feeds::pending_items(c, None, 1).await)
            .await?;
        let busy_sites = self.sites.values().filter(|t| **t > now).min().copied();
        if !pending.is_empty() || wake <= now {
            // Work is waiting for a site's gap (or the budget).
            wake = busy_sites.unwrap_or(now + Duration::seconds(1)).max(now);
        }
        if self.budget.len() >= self.settings.budget_per_hour {
            if let Some(first) = self.budget.front() {
                wake = wake.max(*first + Duration::hours(1));
            }
        }
        Ok(wake.max(now))
    }

    /// One turn at the clock's now: every due request whose site is free, at
    /// most one per site. Returns how many requests were made.
    pub async fn turn(&mut self) -> Result<usize> {
        let now = self.clock.now();
        while self
            .budget
            .front()
            .is_some_and(|t| now - *t >= Duration::hours(1))
        {
            self.budget.pop_front();
        }
        let batch = self.settings.batch;
        let (feeds_due, items, stories) = self
            .nb
            .read(async |c| {
                let f = feeds::due(&mut *c, now).await?;
                let mut urls = Vec::with_capacity(f.len());
                for id in f.into_iter().take(batch as usize) {
                    urls.push((id, feeds::get(&mut *c, id).await?.url));
                }
                let items = feeds::pending_items(&mut *c, None, batch).await?;
                let stories = schedule::due(c, now, batch).await?;
                Ok((urls, items, stories))
            })
            .await?;
        // One re-check per story for the whole team: a shared story whose
        // lease another member holds waits here as if checked.
        let stories = if stories.is_empty() {
            stories
        } else {
            let ids: Vec<i64> = stories.iter().map(|s| s.source_id).collect();
            let mine = self.nb.leased_checks(&ids).await?;
            let (mine, theirs): (Vec<_>, Vec<_>) = stories
                .into_iter()
                .partition(|s| mine.contains(&s.source_id));
            for s in theirs {
                self.settle_by_team(s.source_id, now).await?;
            }
            mine
        };
        let work = feeds_due
            .into_iter()
            .map(|(id, url)| Work::Feed { id, url })
            .chain(items.into_iter().map(Work::Item))
            .chain(stories.into_iter().map(Work::Story));
        let mut made = 0;
        let mut chosen: Vec<(Work, String)> = Vec::new();
        for w in work {
            if self.budget.len() + chosen.len() >= self.settings.budget_per_hour {
                self.report.budget_waits += 1;
                break;
            }
            let url = w.url().and_then(|u| url::Url::parse(u).ok());
            let Some(url) = url else {
                // Nothing to fetch: settle it without a request.
                self.settle_unfetchable(w).await?;
                continue;
            };
            let site = site_of(&url);
            if self.sites.get(&site).is_some_and(|t| *t > now)
                || chosen.iter().any(|(_, s)| *s == site)
            {
                continue;
            }
            let ignore_robots = match &w {
                Work::Story(s) => s.ignore_robots,
                Work::Feed { id, .. } => self.nb.feed(*id).await?.ignore_robots,
                Work::Item(i) => self.nb.feed(i.feed_id).await?.ignore_robots,
            };
            if !ignore_robots {
                match self.robots_for(&url, &site).await? {
                    None => {
                        made += 1;
                        continue;
                    }
                    Some(r) if !r.allows_url(&url) => {
                        self.disallowed(w).await?;
                        continue;
                    }
                    Some(_) => {}
                }
            }
            chosen.push((w, site));
        }
        // One request per site, the sites in parallel: each site still sees
        // one request at a time, and its gap starts when its request ends.
        let done = futures_util::future::join_all(
            chosen
                .into_iter()
                .map(|(w, site)| perform(&self.nb, self.clock.as_ref(), w, site)),
        )
        .await;
        let mut done = done.into_iter().collect::<Result<Vec<Done>>>()?;
        self.record_checks(&mut done).await?;
        for d in done {
            made += 1;
            match d.kind {
                RequestKind::Feed => self.report.feed_polls += 1,
                RequestKind::Item => self.report.items_clipped += u64::from(d.source_id.is_some()),
                RequestKind::Story => {
                    self.report.story_checks += 1;
                    self.report.new_versions += u64::from(d.changed);
                }
                RequestKind::Robots => {}
            }
            self.report.failures += u64::from(d.failed);
            self.spent(&d.site, d.kind, d.source_id, d.step, d.changed);
        }
        Ok(made)
    }

    /// Writes the turn's story checks in one transaction (their captures,
    /// versions and schedules), then tells the app and the inbox. A turn
    /// checks one story per site, so on a beat spread over many sites this
    /// is many checks per commit instead of two commits per check. When the
    /// batch fails, each is written alone.
    async fn record_checks(&mut self, done: &mut [Done]) -> Result<()> {
        let stories: Vec<usize> = (0..done.len())
            .filter(|&i| done[i].check.is_some())
            .collect();
        if stories.is_empty() {
            return Ok(());
        }
        let items: Vec<(i64, &StoryAnswer)> = stories
            .iter()
            .filter_map(|&i| Some((done[i].source_id?, done[i].check.as_ref()?)))
            .collect();
        let together = self
            .nb
            .write_as(ChangeOrigin::Watch, super::ChangeKind::Sources, async |c| {
                let mut outs = Vec::with_capacity(items.len());
                for (id, (fetched, after)) in &items {
                    outs.push(record_story(&mut *c, *id, fetched, *after).await?);
                }
                Ok(outs)
            })
            .await;
        let results = match together {
            Ok(outs) => outs,
            Err(e) => {
                tracing::warn!("a turn's {} check(s), written alone: {e}", items.len());
                let mut outs = Vec::with_capacity(items.len());
                for (id, (fetched, after)) in &items {
                    let alone = self
                        .nb
                        .write_as(ChangeOrigin::Watch, super::ChangeKind::Sources, async |c| {
                            record_story(c, *id, fetched, *after).await
                        })
                        .await;
                    let written = match alone {
                        Ok(w) => w,
                        // The answer itself cannot be written: the story
                        // waits as after a failure, its versions untouched.
                        Err(e) => {
                            let failed: Result<FetchedCheck> = Err(e);
                            self.nb
                                .write_as(
                                    ChangeOrigin::Watch,
                                    super::ChangeKind::Sources,
                                    async |c| record_story(c, *id, &failed, *after).await,
                                )
                                .await?
                        }
                    };
                    outs.push(written);
                }
                outs
            }
        };
        drop(items);
        let now = self.clock.now();
        for (&i, (out, checked, recorded)) in stories.iter().zip(results) {
            if let Some(o) = &out {
                self.nb.announce_check(ChangeOrigin::Watch, o);
                // The inbox is told after the check's own write: an alert
                // that fails to record never costs the version.
                if let Err(e) = self.nb.alert_on_check(o, now).await {
                    tracing::warn!("no inbox alert for source {}: {e}", o.source_id);
                }
            }
            let d = &mut done[i];
            d.step = recorded.step;
            d.changed = checked == Checked::Changed;
            d.failed = matches!(checked, Checked::Failed { .. });
            d.check = None;
        }
        Ok(())
    }

    /// The site's robots.txt, fetched when unknown or old. None when it had
    /// to be fetched now (that was this turn's request to the site).
    async fn robots_for(&mut self, url: &url::Url, site: &str) -> Result<Option<Robots>> {
        let now = self.clock.now();
        if let Some((r, at)) = self.robots.get(site) {
            if now - *at < self.settings.robots_ttl {
                return Ok(Some(r.clone()));
            }
        }
        let robots_url = format!("{site}/robots.txt");
        let _turn = self.nb.gate.enter_url(url).await;
        let got = self
            .nb
            .clipper
            .fetcher()
            .get(&robots_url, &Default::default())
            .await;
        // RFC 9309: a missing robots.txt (4xx) allows everything; an
        // unreachable one (5xx, network) disallows for now, retried in an hour.
        let (robots, at) = match got {
            Ok(f) => (Robots::parse(&String::from_utf8_lossy(&f.body)), now),
            Err(e) if e.http_status().is_some_and(|s| (400..500).contains(&s)) => {
                (Robots::allow_all(), now)
            }
            Err(_) => (
                Robots::parse("User-agent: *\nDisallow: /\n"),
                now - self.settings.robots_ttl + Duration::hours(1),
            ),
        };
        self.robots.insert(site.to_string(), (robots, at));
        self.spent(site, RequestKind::Robots, None, None, false);
        self.report.robots_fetches += 1;
        Ok(None)
    }

    fn spent(
        &mut self,
        site: &str,
        kind: RequestKind,
        source_id: Option<i64>,
        step: Option<usize>,
        changed: bool,
    ) {
        let now = self.clock.now();
        self.sites
            .insert(site.to_string(), now + self.settings.host_gap);
        self.budget.push_back(now);
        self.report.requests += 1;
        if self.settings.record {
            self.log.push(RequestLog {
                at: now,
                site: site.to_string(),
                kind,
                source_id,
                step,
                changed,
            });
        }
    }

    async fn disallowed(&mut self, w: Work) -> Result<()> {
        let now = self.clock.now();
        self.report.disallowed += 1;
        match w {
            Work::Story(s) => {
                self.nb
                    .write_as(ChangeOrigin::Watch, super::ChangeKind::Sources, async |c| {
                        schedule::record(c, s.source_id, now, &Checked::Disallowed).await
                    })
                    .await?;
            }
            Work::Feed { id, .. } => {
                self.nb
                    .write_as(ChangeOrigin::Watch, super::ChangeKind::Feeds, async |c| {
                        feeds::record_poll(c, id, now, Err("robots.txt disallows this address"))
                            .await
                    })
                    .await?;
            }
            Work::Item(i) => {
                self.nb
                    .write_as(ChangeOrigin::Watch, super::ChangeKind::Feeds, async |c| {
                        feeds::settle_item(c, i.id, None).await
                    })
                    .await?;
            }
        }
        Ok(())
    }

    /// A story another member re-checks: waits its interval, no request.
    async fn settle_by_team(&mut self, source_id: i64, now: DateTime<Utc>) -> Result<()> {
        self.nb
            .write_as(ChangeOrigin::Watch, super::ChangeKind::Sources, async |c| {
                schedule::record(c, source_id, now, &Checked::ByTeam).await
            })
            .await?;
        self.report.team_checks += 1;
        Ok(())
    }

    async fn settle_unfetchable(&mut self, w: Work) -> Result<()> {
        let now = self.clock.now();
        match w {
            Work::Story(s) => {
                self.nb
                    .write_as(ChangeOrigin::Watch, super::ChangeKind::Sources, async |c| {
                        watch::record_check(
                            &mut *c,
                            s.source_id,
                            false,
                            now,
                            watch::DEFAULT_INTERVAL,
                        )
                        .await?;
                        schedule::record(
                            c,
                            s.source_id,
                            now,
                            &Checked::Failed {
                                status: None,
                                error: "the source has no URL to re-check".into(),
                            },
                        )
                        .await
                    })
                    .await?;
            }
            Work::Item(i) => {
                self.nb
                    .write_as(ChangeOrigin::Watch, super::ChangeKind::Feeds, async |c| {
                        feeds::settle_item(c, i.id, None).await
                    })
                    .await?;
            }
            Work::Feed { id, .. } => {
                return Err(Error::Invalid(format!("feed {id} has no valid address")));
            }
        }
        Ok(())
    }
}

/// What one request did.
struct Done {
    site: String,
    kind: RequestKind,
    source_id: Option<i64>,
    step: Option<usize>,
    changed: bool,
    failed: bool,
    /// A story's answer, written with the turn's others ([`Scheduler::record_checks`]),
    /// and the clock's time when it came.
    check: Option<StoryAnswer>,
}

/// A story check's answer and the clock's time when it came.
type StoryAnswer = (Result<FetchedCheck>, DateTime<Utc>);

/// Makes one request of the scheduler and records its result.
async fn perform(nb: &Notebook, clock: &dyn Clock, w: Work, site: String) -> Result<Done> {
    let now = clock.now();
    let mut done = Done {
        site,
        kind: RequestKind::Story,
        source_id: None,
        step: None,
        changed: false,
        failed: false,
        check: None,
    };
    let gate_url = url::Url::parse(&done.site).ok();
    match w {
        Work::Feed { id, .. } => {
            done.kind = RequestKind::Feed;
            let _turn = match &gate_url {
                Some(u) => Some(nb.gate.enter_url(u).await),
                None => None,
            };
            let poll = nb.poll_feed_at(id, now, ChangeOrigin::Watch).await?;
            done.failed = poll.error.is_some();
        }
        Work::Item(item) => {
            done.kind = RequestKind::Item;
            let clipped = {
                let _turn = match &gate_url {
                    Some(u) => Some(nb.gate.enter_url(u).await),
                    None => None,
                };
                nb.clip_item(&item, now, ChangeOrigin::Watch).await
            };
            match clipped {
                Ok(o) => {
                    done.source_id = o.as_ref().map(|o| o.source_id);
                    if let Some(o) = o {
                        let told = nb
                            .alert_on_feed_story(
                                item.feed_id,
                                o.source_id,
                                Some(o.version_id),
                                &o.title,
                                clock.now(),
                            )
                            .await;
                        if let Err(e) = told {
                            tracing::warn!("no inbox alert for feed item {}: {e}", item.id);
                        }
                    }
                }
                Err(e) => {
                    tracing::debug!("feed item {} not clipped: {e}", item.id);
                    done.failed = true;
                }
            }
        }
        Work::Story(story) => {
            done.source_id = Some(story.source_id);
            let fetched = nb.fetch_check_politely(story.source_id).await;
            done.check = Some((fetched, clock.now()));
        }
    }
    Ok(done)
}

/// The HTTP status of a failed check's capture (404, 410…).
async fn capture_status(c: &mut SqliteConnection, capture_id: Option<i64>) -> Result<Option<u16>> {
    let Some(id) = capture_id else {
        return Ok(None);
    };
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT http_status FROM captures WHERE id = ?1")
            .bind(id)
            .fetch_optional(c)
            .await?;
    Ok(row.and_then(|(s,)| s).and_then(|s| u16::try_from(s).ok()))
}

/// Writes one story check's answer and its place in the schedule, in the
/// caller's transaction. A check that could not start (no URL, unknown)
/// or whose answer cannot be written counts as failed.
async fn record_story(
    c: &mut SqliteConnection,
    id: i64,
    fetched: &Result<FetchedCheck>,
    after: DateTime<Utc>,
) -> Result<(Option<CheckOutcome>, Checked, schedule::Recorded)> {
    let out = match fetched {
        Ok(f) => Some(crate::clip::write_check(&mut *c, f).await?),
        Err(_) => None,
    };
    let checked = match (&out, fetched) {
        (Some(o), _) => match o.status {
            CheckStatus::NewVersion => Checked::Changed,
            CheckStatus::Unchanged => Checked::Unchanged,
            CheckStatus::Failed => Checked::Failed {
                status: capture_status(&mut *c, o.capture_id).await?,
                error: o.error.clone().unwrap_or_default(),
            },
        },
        (None, Err(e)) => {
            watch::record_check(&mut *c, id, false, after, watch::DEFAULT_INTERVAL).await?;
            Checked::Failed {
                status: None,
                error: e.to_string(),
            }
        }
        (None, Ok(_)) => unreachable!("a written check has an outcome"),
    };
    let recorded = schedule::record(c, id, after, &checked).await?;
    Ok((out, checked, recorded))
}

/// This machine's name, for the lock (best effort).
fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|s| s.trim().to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".into())
}
