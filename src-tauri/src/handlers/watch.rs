//! Background re-checking of watched sources, by the core's rules
//! (`redline::watch`): due times with back-off after failures, and per-site
//! politeness.

use std::time::Duration;

use redline::clip::CheckOutcome;
use redline::{versions, watch};

use super::conn;
use crate::error::ApiResult;
use crate::state::AppState;

/// How often the app looks for due sources.
pub const WATCH_TICK: Duration = Duration::from_secs(60);
/// The least time between two requests to the same site.
pub const HOST_GAP: Duration = Duration::from_secs(5);

/// Watched sources whose next check is due now, the longest-waiting first.
pub async fn due_for_check(app: &AppState) -> ApiResult<Vec<i64>> {
    let mut c = conn(&app.db).await?;
    Ok(watch::due_sources(&mut c, chrono::Utc::now()).await?)
}

/// Re-checks one watched source (the same path as "Re-check now"), waiting
/// for its site's turn, and schedules its next check.
pub async fn check_watched(
    app: &AppState,
    gate: &watch::HostGate,
    source_id: i64,
) -> ApiResult<CheckOutcome> {
    let url = {
        let mut c = conn(&app.db).await?;
        versions::get_source(&mut c, source_id).await?.url
    };
    let _permit = match url.as_deref().map(url::Url::parse) {
        Some(Ok(u)) => Some(gate.enter_url(&u).await),
        _ => None,
    };
    // `Clipper::check` records the check (and its back-off) in the same
    // transaction as the capture. Only an error before that point, such as a
    // source with no URL, is recorded here, so a broken source backs off
    // instead of being retried every tick.
    let outcome = app.clipper.check(source_id).await;
    if outcome.is_err() {
        let mut tx = app.db.write().await?;
        watch::record_check(
            &mut tx,
            source_id,
            false,
            chrono::Utc::now(),
            watch::DEFAULT_INTERVAL,
        )
        .await?;
        tx.commit().await.map_err(redline::Error::from)?;
    }
    Ok(outcome?)
}
