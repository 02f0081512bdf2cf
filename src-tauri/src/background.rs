//! Work the app does on its own: forwarding the notebook's changes to the UI
//! (and grouped desktop notifications of the inbox's alerts), noticing
//! writes by other processes, and running the watch scheduler.

use std::sync::Arc;
use std::time::Duration;

use redline::alerts::{self, Alert};
use redline::notebook::{ChangeKind, ChangeOrigin, LibraryChange, SchedulerSettings};
use redline::schedule::SystemClock;
use redline::{Error, Notebook};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;
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

pub const LIBRARY_CHANGED: &str = "library-changed";
pub const SOURCE_CHANGED: &str = "source-changed";

/// Starts every background task. They live as long as the app.
pub fn start<R: Runtime>(app: AppHandle<R>, notebook: Notebook) {
    tauri::async_runtime::spawn(forward_changes(app, notebook.clone()));
    tauri::async_runtime::spawn(poll_external(notebook.clone()));
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
