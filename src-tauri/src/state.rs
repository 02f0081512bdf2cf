//! The app's state: one [`Notebook`] over the library, opened once at startup
//! and shared by every command and background task.

use std::path::{Path, PathBuf};

use redline::notebook::Settings;
use redline::Notebook;

use crate::error::ApiResult;

/// Opens the library at `path` (creating it and its directory if needed).
pub async fn open(path: &Path) -> ApiResult<Notebook> {
    Ok(Notebook::open(path, Settings::default()).await?)
}

/// The library path: `REDLINE_DB` if set, else the default shared with the CLI
/// (`<data dir>/org.redline.app/redline.db`).
pub fn library_path() -> PathBuf {
    match std::env::var_os("REDLINE_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => redline::db::default_path(),
    }
}
