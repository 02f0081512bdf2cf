//! The native open and save dialogs, opened by the shell itself: the paths
//! the reporter picks reach the commands without passing through the page
//! (see [`crate::chosen`]). GTK asks before a save replaces an existing file.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::error::{ApiError, ApiResult};

/// What a dialog offers: the filter's name and its file extensions.
pub struct Kind<'a> {
    pub name: &'a str,
    pub extensions: &'a [&'a str],
}

fn builder<R: Runtime>(app: &AppHandle<R>, kind: &Kind<'_>) -> FileDialogBuilder<R> {
    let mut b = app.dialog().file().add_filter(kind.name, kind.extensions);
    if let Some(window) = app.get_webview_window("main") {
        b = b.set_parent(&window);
    }
    b
}

fn local(path: FilePath) -> ApiResult<PathBuf> {
    path.into_path()
        .map_err(|e| ApiError::new("invalid", format!("not a local file: {e}")))
}

/// Asks where to save, suggesting `file_name`; `None` when the reporter
/// cancels. Waits without holding a thread while the dialog is open.
pub async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    file_name: &str,
    kind: Kind<'_>,
) -> ApiResult<Option<PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    builder(app, &kind)
        .set_file_name(file_name)
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    match rx.await {
        Ok(Some(path)) => local(path).map(Some),
        _ => Ok(None),
    }
}

/// Asks for files to open; empty when the reporter cancels.
pub async fn open_paths<R: Runtime>(app: &AppHandle<R>, kind: Kind<'_>) -> ApiResult<Vec<PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    builder(app, &kind).pick_files(move |picked| {
        let _ = tx.send(picked);
    });
    match rx.await {
        Ok(Some(paths)) => paths.into_iter().map(local).collect(),
        _ => Ok(Vec::new()),
    }
}
