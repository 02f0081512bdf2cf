//! Work the app does on its own: forwarding the notebook's changes to the UI
//! (and a desktop notification when a watched story changed), noticing
//! writes by other processes, and running the watch loop.

use std::time::Duration;

use redline::notebook::{ChangeKind, ChangeOrigin, LibraryChange};
use redline::Notebook;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// How often the library is polled for writes made by other processes.
/// `PRAGMA data_version` is one cheap read, so this can be frequent.
pub const EXTERNAL_POLL: Duration = Duration::from_millis(700);

/// How often the app looks for watched sources that are due.
pub const WATCH_TICK: Duration = Duration::from_secs(60);

pub const LIBRARY_CHANGED: &str = "library-changed";
pub const SOURCE_CHANGED: &str = "source-changed";

/// Starts every background task. They live as long as the app.
pub fn start<R: Runtime>(app: AppHandle<R>, notebook: Notebook) {
    tauri::async_runtime::spawn(forward_changes(app, notebook.clone()));
    tauri::async_runtime::spawn(poll_external(notebook.clone()));
    tauri::async_runtime::spawn(watch_sources(notebook));
}

/// Every announced change becomes one `library-changed` event; a new version
/// found by the watch loop is also `source-changed` and a notification.
async fn forward_changes<R: Runtime>(app: AppHandle<R>, notebook: Notebook) {
    let mut rx = notebook.subscribe();
    loop {
        match rx.recv().await {
            Ok(change) => {
                let _ = app.emit(LIBRARY_CHANGED, &change);
                if let (ChangeOrigin::Watch, Some(changed)) = (change.origin, &change.new_version) {
                    let _ = app.emit(SOURCE_CHANGED, changed);
                    let _ = app
                        .notification()
                        .builder()
                        .title("A watched story changed")
                        .body(format!(
                            "{} — now at version {}",
                            changed.title, changed.version_seq
                        ))
                        .show();
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

/// Announces writes by other processes (the `redline` CLI) as external changes.
pub async fn poll_external(notebook: Notebook) {
    notebook.watch_external(EXTERNAL_POLL).await;
}

/// One watch turn per tick: the notebook re-checks what is due and announces
/// each result.
async fn watch_sources(notebook: Notebook) {
    let mut tick = tokio::time::interval(WATCH_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = notebook.check_due().await {
            tracing::warn!("cannot list watched sources: {e}");
        }
    }
}
