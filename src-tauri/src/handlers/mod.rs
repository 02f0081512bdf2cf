//! What each command does, as plain async functions over [`AppState`]: they
//! run without Tauri, so tests drive them against a temp-dir library. Each is
//! a few lines: parse, call the core, announce writes. The Tauri layer
//! (`commands.rs`) only registers them.

pub mod app;
pub mod clip;
pub mod sources;
pub mod watch;

use redline::Db;
use sqlx::pool::PoolConnection;
use sqlx::Sqlite;

use crate::error::ApiResult;

/// A pooled connection for store-level core functions.
pub(crate) async fn conn(db: &Db) -> ApiResult<PoolConnection<Sqlite>> {
    Ok(db.pool().acquire().await.map_err(redline::Error::from)?)
}
