//! What each command does, as plain async functions over [`AppState`]: they
//! run without Tauri, so tests drive them against a temp-dir library. Each is
//! a few lines: parse, call the core, announce writes. The Tauri layer
//! (`commands.rs`) only registers them.

pub mod app;
pub mod clip;
pub mod export;
pub mod find;
pub mod notes;
pub mod organise;
pub mod sources;
pub mod watch;

use redline::Db;
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection};

use crate::error::ApiResult;
use crate::state::{AppState, ChangeOrigin};

/// A pooled connection for store-level core functions.
pub(crate) async fn conn(db: &Db) -> ApiResult<PoolConnection<Sqlite>> {
    Ok(db.pool().acquire().await.map_err(redline::Error::from)?)
}

/// Runs `f` in one write transaction (`BEGIN IMMEDIATE`), commits, and
/// announces the change so every open view refreshes.
pub(crate) async fn write<T>(
    app: &AppState,
    f: impl AsyncFnOnce(&mut SqliteConnection) -> redline::Result<T>,
) -> ApiResult<T> {
    let mut tx = app.db.write().await?;
    let out = f(&mut *tx).await?;
    tx.commit().await.map_err(redline::Error::from)?;
    app.changed(ChangeOrigin::App);
    Ok(out)
}
