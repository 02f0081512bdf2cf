//! The watch loop's use cases: what is due, re-checking it by the rules of
//! [`crate::watch`], and noticing writes made by other processes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast::error::TryRecvError;

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook};
use crate::clip::CheckOutcome;
use crate::error::Result;
use crate::watch;

/// How many due sources are re-checked at once (one site still waits its turn).
const PARALLEL_WATCH: usize = 4;

impl Notebook {
    /// Watched sources due for a check at `now`, the longest-waiting first.
    pub async fn due_at(&self, now: DateTime<Utc>) -> Result<Vec<i64>> {
        self.read(async |c| watch::due_sources(c, now).await).await
    }

    /// Watched sources due for a check now.
    pub async fn due(&self) -> Result<Vec<i64>> {
        self.due_at(Utc::now()).await
    }

    /// Re-checks one watched source (the same path as "Re-check now") and
    /// schedules its next check; announced with origin `watch`.
    pub async fn check_watched(&self, source_id: i64) -> Result<CheckOutcome> {
        // `Clipper::check` records the check (and its back-off) in the same
        // transaction as the capture. Only an error before that point, such as
        // a source with no URL, is recorded here, so a broken source backs off
        // instead of being retried every tick.
        let out = self.check_politely(source_id).await;
        match &out {
            Ok(o) => self.announce_check(ChangeOrigin::Watch, o),
            Err(_) => {
                let mut tx = self.db.write().await?;
                watch::record_check(
                    &mut tx,
                    source_id,
                    false,
                    Utc::now(),
                    watch::DEFAULT_INTERVAL,
                )
                .await?;
                tx.commit().await?;
                self.announce(LibraryChange::new(ChangeOrigin::Watch, ChangeKind::Sources));
            }
        }
        out
    }

    /// One turn of the watch loop: re-checks every source that is due, a few
    /// at a time. Results come in the order the sources were due.
    pub async fn check_due(&self) -> Result<Vec<Result<CheckOutcome>>> {
        let due = self.due().await?;
        Ok(stream::iter(due)
            .map(|id| self.check_watched(id))
            .buffered(PARALLEL_WATCH)
            .collect()
            .await)
    }

    /// Watches the library for commits by other processes (the CLI while the
    /// app is open), polling every `every`, and announces each as an
    /// `external` change, unless this notebook announced a write of its own
    /// since the last poll (the watcher cannot tell our pool from another
    /// process, and one refresh is enough). Runs until the channel closes;
    /// returns at once for an in-memory library.
    pub async fn watch_external(&self, every: Duration) {
        let mut watcher = match self.db.change_watcher().await {
            Ok(Some(w)) => w,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!("cannot watch the library for outside changes: {e}");
                return;
            }
        };
        let mut own = self.subscribe();
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let mut announced = false;
            loop {
                match own.try_recv() {
                    Ok(change) => announced |= change.origin != ChangeOrigin::External,
                    Err(TryRecvError::Lagged(_)) => announced = true,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Closed) => return,
                }
            }
            match watcher.changed().await {
                Ok(true) if !announced => self.announce(LibraryChange::new(
                    ChangeOrigin::External,
                    ChangeKind::Library,
                )),
                Ok(_) => {}
                Err(e) => tracing::debug!("data_version poll failed: {e}"),
            }
        }
    }
}
