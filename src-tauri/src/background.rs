//! Work the app does on its own: forwarding writes to the UI, noticing writes
//! by other processes (the `redline` CLI), and re-checking watched sources.

use std::time::Duration;

use redline::clip::CheckStatus;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::handlers::watch::{check_watched, due_for_check, HOST_GAP, WATCH_TICK};
use crate::state::{AppState, ChangeOrigin, LibraryChange, SourceChanged};

/// How often the library is polled for writes made by other processes.
/// `PRAGMA data_version` is one cheap read, so this can be frequent.
pub const EXTERNAL_POLL: Duration = Duration::from_millis(700);

pub const LIBRARY_CHANGED: &str = "library-changed";
pub const SOURCE_CHANGED: &str = "source-changed";

/// Starts every background task. They live as long as the app.
pub fn start<R: Runtime>(app: AppHandle<R>, state: AppState) {
    tauri::async_runtime::spawn(forward_changes(app.clone(), state.clone()));
    tauri::async_runtime::spawn(poll_external(state.clone()));
    tauri::async_runtime::spawn(watch_sources(app, state));
}

/// Every announced write becomes one `library-changed` event.
async fn forward_changes<R: Runtime>(app: AppHandle<R>, state: AppState) {
    let mut rx = state.subscribe();
    loop {
        match rx.recv().await {
            Ok(change) => {
                let _ = app.emit(LIBRARY_CHANGED, change);
            }
            // Fell behind: one refresh covers everything missed.
            Err(RecvError::Lagged(_)) => {
                let _ = app.emit(
                    LIBRARY_CHANGED,
                    LibraryChange {
                        origin: ChangeOrigin::External,
                    },
                );
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Writes by other connections bump `PRAGMA data_version` on our watcher
/// connection; a bump is announced as an external change unless this app
/// announced a write of its own since the last poll (the watcher cannot tell
/// the app's pool from another process, and one refresh is enough).
pub async fn poll_external(state: AppState) {
    let mut watcher = match state.db.change_watcher().await {
        Ok(Some(w)) => w,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!("cannot watch the library for outside changes: {e}");
            return;
        }
    };
    let mut own = state.subscribe();
    let mut tick = tokio::time::interval(EXTERNAL_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let mut announced = false;
        loop {
            match own.try_recv() {
                Ok(change) => announced |= change.origin != ChangeOrigin::External,
                Err(TryRecvError::Lagged(_)) => announced = true,
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        match watcher.changed().await {
            Ok(true) if !announced => state.changed(ChangeOrigin::External),
            Ok(_) => {}
            Err(e) => tracing::debug!("data_version poll failed: {e}"),
        }
    }
}

/// Re-checks watched sources when they are due; a new version is announced
/// with `source-changed` and a desktop notification.
async fn watch_sources<R: Runtime>(app: AppHandle<R>, state: AppState) {
    let gate = redline::watch::HostGate::new(HOST_GAP);
    let mut tick = tokio::time::interval(WATCH_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let due = match due_for_check(&state).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!("cannot list watched sources: {e}");
                continue;
            }
        };
        for source_id in due {
            let outcome = check_watched(&state, &gate, source_id).await;
            let Ok(out) = outcome else { continue };
            state.changed(ChangeOrigin::Watch);
            if out.status == CheckStatus::NewVersion {
                let changed = SourceChanged {
                    source_id,
                    version_id: out.version_id.unwrap_or_default(),
                    version_seq: out.version_seq.unwrap_or_default(),
                    title: out.title.clone().unwrap_or_default(),
                };
                let _ = app.emit(SOURCE_CHANGED, &changed);
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
    }
}
