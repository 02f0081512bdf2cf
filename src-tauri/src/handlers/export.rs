//! Getting work out: citations of sources, evidence bundles, notes as
//! Markdown, and library backups, each written where the reporter chose in the
//! native save dialog.

use std::path::PathBuf;

use redline::export::{self, CitedSource};
use serde::{Deserialize, Serialize};

use super::conn;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Reference-manager formats for sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    Csl,
    Bibtex,
    Ris,
}

/// A file the app wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedFile {
    pub path: String,
    pub bytes: u64,
}

fn write_file(path: &str, contents: &[u8]) -> ApiResult<SavedFile> {
    std::fs::write(path, contents).map_err(|e| io_error(path, e))?;
    saved(path)
}

fn saved(path: &str) -> ApiResult<SavedFile> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    Ok(SavedFile {
        path: path.to_string(),
        bytes,
    })
}

fn io_error(path: &str, e: std::io::Error) -> ApiError {
    redline::Error::Io {
        path: path.to_string(),
        reason: e.to_string(),
    }
    .into()
}

pub async fn export_sources(
    app: &AppState,
    source_ids: Vec<i64>,
    format: ExportFormat,
    path: String,
) -> ApiResult<SavedFile> {
    let mut c = conn(&app.db).await?;
    let mut items = Vec::with_capacity(source_ids.len());
    for id in source_ids {
        items.push(CitedSource::load(&mut c, id, None).await?);
    }
    let text = match format {
        ExportFormat::Csl => export::csl_json(&items),
        ExportFormat::Bibtex => export::bibtex(&items),
        ExportFormat::Ris => export::ris(&items),
    };
    write_file(&path, text.as_bytes())
}

pub async fn export_bundle(app: &AppState, source_id: i64, path: String) -> ApiResult<SavedFile> {
    export::write_bundle(&app.db, source_id, &PathBuf::from(&path)).await?;
    saved(&path)
}

/// The note as Markdown with footnoted citations (outlet, title, URL, capture time).
pub async fn export_note(app: &AppState, note_id: i64, path: String) -> ApiResult<SavedFile> {
    let markdown = export::note_markdown(&app.db, note_id).await?;
    write_file(&path, markdown.as_bytes())
}

pub async fn backup_library(app: &AppState, path: String) -> ApiResult<SavedFile> {
    export::backup(&app.db, &PathBuf::from(&path)).await?;
    saved(&path)
}
