//! The Tauri commands: each registers one handler and nothing more.
//! Arguments arrive camelCased from `ui/src/lib/api.ts` (`sourceId` → `source_id`).

use redline::clip::{CheckOutcome, ClipOutcome, TextFormat};
use redline::versions::{Capture, Source, Version, VersionSummary};
use tauri::State;

use crate::error::ApiResult;
use crate::handlers::{self, app::AppInfo};
use crate::state::AppState;

type App<'a> = State<'a, AppState>;

#[tauri::command]
pub fn app_info(app: App<'_>) -> ApiResult<AppInfo> {
    handlers::app::app_info(&app)
}

#[tauri::command]
pub async fn clip_url(app: App<'_>, url: String) -> ApiResult<ClipOutcome> {
    handlers::clip::clip_url(&app, url).await
}

#[tauri::command]
pub async fn clip_text(
    app: App<'_>,
    content: String,
    format: Option<TextFormat>,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    handlers::clip::clip_text(&app, content, format, url).await
}

#[tauri::command]
pub async fn clip_file(app: App<'_>, path: String, url: Option<String>) -> ApiResult<ClipOutcome> {
    handlers::clip::clip_file(&app, path, url).await
}

#[tauri::command]
pub async fn check_source(app: App<'_>, source_id: i64) -> ApiResult<CheckOutcome> {
    handlers::clip::check_source(&app, source_id).await
}

#[tauri::command]
pub async fn list_sources(app: App<'_>, filter: serde_json::Value) -> ApiResult<Vec<Source>> {
    handlers::sources::list_sources(&app, filter).await
}

#[tauri::command]
pub async fn count_sources(app: App<'_>, filter: serde_json::Value) -> ApiResult<i64> {
    handlers::sources::count_sources(&app, filter).await
}

#[tauri::command]
pub async fn get_source(app: App<'_>, source_id: i64) -> ApiResult<Source> {
    handlers::sources::get_source(&app, source_id).await
}

#[tauri::command]
pub async fn list_versions(app: App<'_>, source_id: i64) -> ApiResult<Vec<VersionSummary>> {
    handlers::sources::list_versions(&app, source_id).await
}

#[tauri::command]
pub async fn list_captures(app: App<'_>, source_id: i64) -> ApiResult<Vec<Capture>> {
    handlers::sources::list_captures(&app, source_id).await
}

#[tauri::command]
pub async fn get_version(app: App<'_>, version_id: i64) -> ApiResult<Version> {
    handlers::sources::get_version(&app, version_id).await
}
