//! Work the app does on its own: forwarding the notebook's changes to the UI
//! (and grouped desktop notifications of the inbox's alerts), noticing
//! writes by other processes, running the watch scheduler, and syncing
//! with the team library when the library has joined one.

use std::sync::Arc;
use std::time::Duration;

use redline::alerts::{self, Alert};
use redline::notebook::{ChangeKind, ChangeOrigin, LibraryChange, SchedulerSettings};
use redline::schedule::SystemClock;
use redline::team::sync;
use redline::{Error, Notebook};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::mpsc;

/// How often the library is polled for writes made by other processes.
/// `PRAGMA data_version` is one cheap read, so this can be frequent.
pub const EXTERNAL_POLL: Duration = Duration::from_millis(700);

/// How long the app waits before asking again for the scheduler lock that
/// another process (`redline watch run`) holds, or after the scheduler stopped.
pub const SCHEDULER_RETRY: Duration = Duration::from_secs(60);

/// How long alerts are gathered into one notification per kind: a
/// scheduler turn checks many stories within a few seconds.
const NOTIFY_GATHER: Duration = Duration::from_secs(3);

/// How often a library linked to a team syncs when nothing happens here:
/// what other members wrote arrives within this.
pub const TEAM_SYNC_EVERY: Duration = Duration::from_secs(60);

/// How long after a write here the team sync waits for the burst to end
/// (a clip is several writes; a reporter saves a note several times).
pub const TEAM_SYNC_QUIET: Duration = Duration::from_secs(5);

/// The least time between two syncs, however busy the library is (the
/// scheduler writes after every re-check): the server limits each token.
pub const TEAM_SYNC_MIN_GAP: Duration = Duration::from_secs(15);

pub const LIBRARY_CHANGED: &str = "library-changed";
pub const SOURCE_CHANGED: &str = "source-changed";

/// Starts every background task. They live as long as the app.
pub fn start<R: Runtime>(app: AppHandle<R>, notebook: Notebook) {
    tauri::async_runtime::spawn(forward_changes(app, notebook.clone()));
    tauri::async_runtime::spawn(poll_external(notebook.clone()));
    tauri::async_runtime::spawn(run_team_sync(notebook.clone()));
    tauri::async_runtime::spawn(run_scheduler(notebook));
}

/// Every announced change becomes one `library-changed` event; a new version
/// found by the watch loop is also `source-changed`; an inbox alert the
/// reporter wants notified of goes to [`notify`].
async fn forward_changes<R: Runtime>(app: AppHandle<R>, notebook: Notebook) {
    let mut rx = notebook.subscribe();
    let (alerts, pending) = mpsc::unbounded_channel();
    tauri::async_runtime::spawn(notify(app.clone(), pending));
    loop {
        match rx.recv().await {
            Ok(change) => {
                let _ = app.emit(LIBRARY_CHANGED, &change);
                if let (ChangeOrigin::Watch, Some(changed)) = (change.origin, &change.new_version) {
                    let _ = app.emit(SOURCE_CHANGED, changed);
                }
                if let Some(raised) = change.alert.filter(|r| r.notify) {
                    let _ = alerts.send(raised.alert);
                }
            }
            // Fell behind: one refresh covers everything missed.
            Err(RecvError::Lagged(_)) => {
                let _ = app.emit(
                    LIBRARY_CHANGED,
                    LibraryChange::new(ChangeOrigin::External, ChangeKind::Library),
                );
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Desktop notifications, grouped: alerts that arrive within
/// [`NOTIFY_GATHER`] of the first become one notification per kind.
async fn notify<R: Runtime>(app: AppHandle<R>, mut pending: mpsc::UnboundedReceiver<Alert>) {
    while let Some(first) = pending.recv().await {
        let mut burst = vec![first];
        let until = tokio::time::Instant::now() + NOTIFY_GATHER;
        while let Ok(Some(next)) = tokio::time::timeout_at(until, pending.recv()).await {
            burst.push(next);
        }
        for n in alerts::group_notifications(&burst) {
            let _ = app
                .notification()
                .builder()
                .title(n.title)
                .body(n.body)
                .show();
        }
    }
}

/// Announces writes by other processes (the `redline` CLI) as external changes.
pub async fn poll_external(notebook: Notebook) {
    notebook.watch_external(EXTERNAL_POLL).await;
}

/// Runs the library's one watch scheduler (the same use case as `redline
/// watch run`). When another process holds it, the app leaves it there and
/// asks again later: it takes over if that process stops or dies.
async fn run_scheduler(notebook: Notebook) {
    loop {
        match notebook
            .start_scheduler(Arc::new(SystemClock), SchedulerSettings::default())
            .await
        {
            Ok(mut scheduler) => {
                if let Err(e) = scheduler.run_until(None).await {
                    tracing::warn!("the watch scheduler stopped: {e}");
                }
                let _ = scheduler.stop().await;
            }
            Err(Error::Busy(who)) => tracing::info!("{who}"),
            Err(e) => tracing::warn!("cannot start the watch scheduler: {e}"),
        }
        tokio::time::sleep(SCHEDULER_RETRY).await;
    }
}

/// Syncs a library that has joined a team library: every
/// [`TEAM_SYNC_EVERY`], and [`TEAM_SYNC_QUIET`] after a write here (not
/// after the sync's own writes). A failed sync is recorded by the core
/// (the team status says why and since when) and tried again on the next
/// turn; the outcome reaches the page as a `team` library change.
async fn run_team_sync(notebook: Notebook) {
    let mut changes = notebook.subscribe();
    // A write here that the team has not had yet.
    let mut wrote_here = false;
    loop {
        let turn = tokio::time::Instant::now() + TEAM_SYNC_EVERY;
        while !wrote_here {
            match tokio::time::timeout_at(turn, changes.recv()).await {
                Err(_) => break,
                Ok(Ok(change)) => wrote_here = change.origin != ChangeOrigin::Team,
                Ok(Err(RecvError::Lagged(_))) => wrote_here = true,
                Ok(Err(RecvError::Closed)) => return,
            }
        }
        if wrote_here {
            quiet(&mut changes, TEAM_SYNC_QUIET).await;
            wrote_here = false;
        }
        if !matches!(sync::link(&notebook).await, Ok(Some(_))) {
            continue;
        }
        match sync::sync(&notebook).await {
            Ok(report) => tracing::debug!(
                "team sync: {} in, {} out, version {}",
                report.pulled,
                report.pushed,
                report.version
            ),
            Err(e) => tracing::info!("team sync failed: {e}"),
        }
        tokio::time::sleep(TEAM_SYNC_MIN_GAP).await;
        // Writes here during the sync and the gap go up on the next turn;
        // the sync's own writes are no reason to sync again.
        loop {
            match changes.try_recv() {
                Ok(change) => wrote_here |= change.origin != ChangeOrigin::Team,
                Err(TryRecvError::Lagged(_)) => wrote_here = true,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => return,
            }
        }
    }
}

/// Waits until no change has been announced for `gap`.
async fn quiet(changes: &mut tokio::sync::broadcast::Receiver<LibraryChange>, gap: Duration) {
    while let Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) =
        tokio::time::timeout(gap, changes.recv()).await
    {}
}
