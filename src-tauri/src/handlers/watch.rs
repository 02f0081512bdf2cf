//! Background re-checking of watched sources.
//!
//! Until the core's `redline::watch` (back-off, per-host politeness, due
//! times) lands, a source is due when it is watched, not archived, and its
//! last capture is older than [`BASE_INTERVAL`].

use std::time::Duration;

use redline::clip::CheckOutcome;
use redline::versions;

use super::conn;
use crate::error::ApiResult;
use crate::state::AppState;

/// How often the app looks for due sources.
pub const WATCH_TICK: Duration = Duration::from_secs(60);
/// How long a watched source rests between checks.
pub const BASE_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::minutes(30);

/// Watched sources whose next check is due now.
pub async fn due_for_check(app: &AppState) -> ApiResult<Vec<i64>> {
    let mut c = conn(&app.db).await?;
    let now = chrono::Utc::now();
    Ok(versions::list_sources(&mut c)
        .await?
        .into_iter()
        .filter(|s| s.watched && !s.archived && s.url.is_some())
        .filter(|s| {
            s.last_captured_at
                .as_deref()
                .and_then(redline::time::parse)
                .is_none_or(|t| now - t >= BASE_INTERVAL)
        })
        .map(|s| s.id)
        .collect())
}

/// Re-checks one watched source (the same path as "Re-check now").
pub async fn check_watched(app: &AppState, source_id: i64) -> ApiResult<CheckOutcome> {
    Ok(app.clipper.check(source_id).await?)
}
