//! The app's state: the library, opened once at startup, and the channel on
//! which every write announces itself so open views refresh from one signal.

use std::path::PathBuf;

use redline::clip::Clipper;
use redline::fetch::FetchLimits;
use redline::Db;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::error::ApiResult;

/// Who changed the library: this app, another process (the CLI), or a background re-check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ChangeOrigin {
    App,
    External,
    Watch,
}

/// Payload of the `library-changed` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LibraryChange {
    pub origin: ChangeOrigin,
}

/// Payload of the `source-changed` event: a watched source got a new version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceChanged {
    pub source_id: i64,
    pub version_id: i64,
    pub version_seq: i64,
    pub title: String,
}

/// Everything a command needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clipper: Clipper,
    changes: broadcast::Sender<LibraryChange>,
}

impl AppState {
    pub fn new(db: Db) -> ApiResult<Self> {
        let clipper = Clipper::new(db.clone(), FetchLimits::default())?;
        let (changes, _) = broadcast::channel(64);
        Ok(AppState {
            db,
            clipper,
            changes,
        })
    }

    /// Opens the library at `path` (creating it and its directory if needed).
    pub async fn open(path: &std::path::Path) -> ApiResult<Self> {
        Self::new(Db::open(path).await?)
    }

    /// Announces a write; the app forwards it to the UI as `library-changed`.
    pub fn changed(&self, origin: ChangeOrigin) {
        // No receiver (e.g. in tests) is fine.
        let _ = self.changes.send(LibraryChange { origin });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LibraryChange> {
        self.changes.subscribe()
    }
}

/// The library path: `REDLINE_DB` if set, else the default shared with the CLI
/// (`<data dir>/org.redline.app/redline.db`).
pub fn library_path() -> PathBuf {
    match std::env::var_os("REDLINE_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => redline::db::default_path(),
    }
}
