//! The use cases of Redline, in one place: what the app, the CLI and the
//! coming browser host and team sync do to a library.
//!
//! A [`Notebook`] owns the library ([`Db`]), the [`Clipper`] and the change
//! channel. Each method is one use case a shell performs; the shells only
//! parse, call and print (or show). Every write goes through one path that
//! commits and then announces a [`LibraryChange`], so every open view
//! refreshes from one signal. Rules that tie the domain modules together
//! live here once: which versions may be compared, the one politeness gate
//! per site, what the watch loop re-checks, which formats export.
//!
//! The methods are split by use-case family: [`clip`](self::clip) (clip and
//! re-check), `browser` (what the browser extension does), [`watch`](self::watch) (the background loop), `read` (sources
//! and versions), `compare`, `notes` (notes, highlights, citations),
//! `organise` (lists, flags, projects, tags), `find` (search and quotes) and
//! `export` (citations, bundles, notes, backups).

mod alerts;
mod browser;
mod change;
mod clip;
mod compare;
mod export;
mod feeds;
mod find;
mod import;
mod notes;
mod organise;
mod read;
mod scheduler;
mod storage;
mod team;
mod watch;
mod watching;

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use sqlx::SqliteConnection;
use tokio::sync::broadcast;

use crate::clip::Clipper;
use crate::db::Db;
use crate::error::Result;
use crate::fetch::FetchLimits;
use crate::watch::HostGate;

pub use alerts::INBOX_PAGE;
pub use browser::{BrowserClip, PageStatus, RenderedPage, SelectionResult};
pub use change::{AlertRaised, ChangeKind, ChangeOrigin, LibraryChange, SourceChanged};
pub use clip::CheckPlan;
pub use compare::CompareView;
pub use export::{ExportFormat, SavedFile};
pub use feeds::OpmlImport;
pub use organise::{Counted, Membership};
pub use scheduler::{RequestKind, RequestLog, Scheduler, SchedulerReport, SchedulerSettings};
pub use watching::{CloseAction, WatchingSettings};

/// How a notebook fetches: the fetch limits, and the least time between two
/// requests to one site (shared by every re-check this notebook makes).
#[derive(Clone, Debug)]
pub struct Settings {
    pub limits: FetchLimits,
    pub polite_gap: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limits: FetchLimits::default(),
            polite_gap: crate::watch::POLITE_GAP,
        }
    }
}

/// One open library and everything its use cases need. Cheap to clone: the
/// clones share the library, the politeness gate and the change channel.
#[derive(Clone, Debug)]
pub struct Notebook {
    db: Db,
    clipper: Clipper,
    /// The one politeness gate: every re-check of this notebook waits here.
    gate: HostGate,
    changes: broadcast::Sender<LibraryChange>,
}

impl Notebook {
    /// A notebook over an open library.
    pub fn new(db: Db, settings: Settings) -> Result<Self> {
        let clipper = Clipper::new(db.clone(), settings.limits)?;
        // Enough for a burst of writes; a lagging listener gets one catch-all refresh.
        let (changes, _) = broadcast::channel(64);
        Ok(Notebook {
            db,
            clipper,
            gate: HostGate::new(settings.polite_gap),
            changes,
        })
    }

    /// Opens (creating if needed) the library at `path`.
    pub async fn open(path: impl AsRef<Path>, settings: Settings) -> Result<Self> {
        Self::new(Db::open(path).await?, settings)
    }

    /// The library file, or None for an in-memory library.
    pub fn path(&self) -> Option<&Path> {
        self.db.path()
    }

    /// Waits for pending writes and closes the library.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Every change committed from now on, in order.
    pub fn subscribe(&self) -> broadcast::Receiver<LibraryChange> {
        self.changes.subscribe()
    }

    /// Announces a change. No listener (the CLI, tests) is fine.
    pub fn announce(&self, change: LibraryChange) {
        let _ = self.changes.send(change);
    }

    fn announce_app(&self, what: ChangeKind) {
        self.announce(LibraryChange::new(ChangeOrigin::App, what));
    }

    /// Runs `f` on a pooled connection (reads only).
    async fn read<T>(&self, f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>) -> Result<T> {
        let mut conn = self.db.pool().acquire().await?;
        f(&mut conn).await
    }

    /// The write path: runs `f` in one write transaction (`BEGIN IMMEDIATE`),
    /// commits, and then announces `what` changed.
    async fn write<T>(
        &self,
        what: ChangeKind,
        f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        let mut tx = self.db.write().await?;
        let out = f(&mut tx).await?;
        tx.commit().await?;
        self.announce_app(what);
        Ok(out)
    }

    /// The write path for domain calls that commit their own transaction
    /// (they take the [`Db`]): announces once they succeed.
    async fn wrote<T>(&self, what: ChangeKind, done: impl Future<Output = Result<T>>) -> Result<T> {
        let out = done.await?;
        self.announce_app(what);
        Ok(out)
    }
}
