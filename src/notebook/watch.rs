//! Noticing writes made by other processes (the CLI, the browser host, a
//! team sync) while the app is open. What is due and re-checking it are the
//! scheduler's ([`super::scheduler`]).

use std::time::Duration;

use tokio::sync::broadcast::error::TryRecvError;

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook};

impl Notebook {
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
