//! Reading the library: sources, their versions and captures.

use redline::versions::{self, Capture, Source, Version, VersionSummary};

use super::conn;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn get_source(app: &AppState, source_id: i64) -> ApiResult<Source> {
    let mut c = conn(&app.db).await?;
    Ok(versions::get_source(&mut c, source_id).await?)
}

pub async fn list_versions(app: &AppState, source_id: i64) -> ApiResult<Vec<VersionSummary>> {
    let mut c = conn(&app.db).await?;
    versions::get_source(&mut c, source_id).await?;
    Ok(versions::list_versions(&mut c, source_id).await?)
}

pub async fn list_captures(app: &AppState, source_id: i64) -> ApiResult<Vec<Capture>> {
    let mut c = conn(&app.db).await?;
    versions::get_source(&mut c, source_id).await?;
    Ok(versions::list_captures(&mut c, source_id).await?)
}

pub async fn get_version(app: &AppState, version_id: i64) -> ApiResult<Version> {
    let mut c = conn(&app.db).await?;
    Ok(versions::get_version(&mut c, version_id).await?)
}
