//! Finding things: full-text search, quotes by speaker, and comparing versions.

use redline::diff::{self, Diff};
use redline::quotes::{self, QuoteEntry, QuoteFilter, SpeakerCount};
use redline::search::{self, Hit, SearchQuery};
use redline::versions::{self, VersionSummary};
use serde::{Deserialize, Serialize};

use super::conn;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn search(app: &AppState, query: SearchQuery) -> ApiResult<Vec<Hit>> {
    let mut c = conn(&app.db).await?;
    Ok(search::search(&mut c, &query).await?)
}

pub async fn list_quotes(app: &AppState, filter: QuoteFilter) -> ApiResult<Vec<QuoteEntry>> {
    let mut c = conn(&app.db).await?;
    Ok(quotes::list(&mut c, &filter).await?)
}

pub async fn list_speakers(app: &AppState) -> ApiResult<Vec<SpeakerCount>> {
    let mut c = conn(&app.db).await?;
    Ok(quotes::speakers(&mut c).await?)
}

/// Two versions of one source, their structured diff, and the core's
/// escaped HTML rendering of it (safe to embed).
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompareView {
    pub old: VersionSummary,
    pub new: VersionSummary,
    pub diff: Diff,
    pub html: String,
}

pub async fn compare_versions(
    app: &AppState,
    old_version_id: i64,
    new_version_id: i64,
) -> ApiResult<CompareView> {
    let mut c = conn(&app.db).await?;
    let old = versions::get_version(&mut c, old_version_id).await?;
    let new = versions::get_version(&mut c, new_version_id).await?;
    if old.source_id != new.source_id {
        return Err(ApiError::new(
            "invalid",
            "only two versions of the same source can be compared",
        ));
    }
    let summaries = versions::list_versions(&mut c, old.source_id).await?;
    let summary = |id: i64| summaries.iter().find(|v| v.id == id).cloned();
    let diff = diff::diff_articles(&old.article(), &new.article());
    let html = diff::render::html(&diff);
    Ok(CompareView {
        old: summary(old.id).ok_or_else(|| redline::Error::not_found("version", old.id))?,
        new: summary(new.id).ok_or_else(|| redline::Error::not_found("version", new.id))?,
        diff,
        html,
    })
}
