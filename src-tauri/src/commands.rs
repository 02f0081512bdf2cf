//! The Tauri commands: each registers one handler and nothing more.
//! Arguments arrive camelCased from `ui/src/lib/api.ts` (`sourceId` → `source_id`).

use redline::citations::CitationStatus;
use redline::clip::{CheckOutcome, ClipOutcome, TextFormat};
use redline::highlights::Highlight;
use redline::library::{FacetCount, SourceFilter};
use redline::notes::{Note, NoteFilter, NoteRevision, RenderedNote};
use redline::projects::{DeletePlan, Project};
use redline::quotes::{QuoteEntry, QuoteFilter, SpeakerCount};
use redline::search::{Hit, SearchQuery};
use redline::tags::TagCount;
use redline::versions::{Capture, Source, Version, VersionSummary};
use tauri::State;

use crate::error::ApiResult;
use crate::handlers::export::{ExportFormat, SavedFile};
use crate::handlers::{self, app::AppInfo, find::CompareView};
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

// ---- notes

#[tauri::command]
pub async fn list_notes(app: App<'_>, filter: NoteFilter) -> ApiResult<Vec<Note>> {
    handlers::notes::list_notes(&app, filter).await
}

#[tauri::command]
pub async fn get_note(app: App<'_>, note_id: i64) -> ApiResult<Note> {
    handlers::notes::get_note(&app, note_id).await
}

#[tauri::command]
pub async fn create_note(app: App<'_>, title: String, body: String) -> ApiResult<Note> {
    handlers::notes::create_note(&app, title, body).await
}

#[tauri::command]
pub async fn save_note(app: App<'_>, note_id: i64, title: String, body: String) -> ApiResult<Note> {
    handlers::notes::save_note(&app, note_id, title, body).await
}

#[tauri::command]
pub async fn delete_note(app: App<'_>, note_id: i64) -> ApiResult<()> {
    handlers::notes::delete_note(&app, note_id).await
}

#[tauri::command]
pub async fn archive_note(app: App<'_>, note_id: i64, archived: bool) -> ApiResult<()> {
    handlers::notes::archive_note(&app, note_id, archived).await
}

#[tauri::command]
pub async fn note_history(app: App<'_>, note_id: i64) -> ApiResult<Vec<NoteRevision>> {
    handlers::notes::note_history(&app, note_id).await
}

#[tauri::command]
pub async fn restore_note(app: App<'_>, note_id: i64, revision_id: i64) -> ApiResult<Note> {
    handlers::notes::restore_note(&app, note_id, revision_id).await
}

#[tauri::command]
pub async fn render_note(app: App<'_>, note_id: i64) -> ApiResult<RenderedNote> {
    handlers::notes::render_note(&app, note_id).await
}

#[tauri::command]
pub async fn render_draft(app: App<'_>, markdown: String) -> ApiResult<RenderedNote> {
    handlers::notes::render_draft(&app, markdown).await
}

#[tauri::command]
pub async fn check_citations(app: App<'_>, note_id: i64) -> ApiResult<Vec<CitationStatus>> {
    handlers::notes::check_citations(&app, note_id).await
}

#[tauri::command]
pub async fn citation_markdown(app: App<'_>, highlight_id: i64) -> ApiResult<String> {
    handlers::notes::citation_markdown(&app, highlight_id).await
}

#[tauri::command]
pub async fn create_highlight(
    app: App<'_>,
    version_id: i64,
    start: usize,
    end: usize,
    comment: String,
    label: String,
) -> ApiResult<Highlight> {
    handlers::notes::create_highlight(&app, version_id, start, end, comment, label).await
}

#[tauri::command]
pub async fn list_highlights(app: App<'_>, version_id: i64) -> ApiResult<Vec<Highlight>> {
    handlers::notes::list_highlights(&app, version_id).await
}

#[tauri::command]
pub async fn list_source_highlights(app: App<'_>, source_id: i64) -> ApiResult<Vec<Highlight>> {
    handlers::notes::list_source_highlights(&app, source_id).await
}

#[tauri::command]
pub async fn list_all_highlights(app: App<'_>) -> ApiResult<Vec<Highlight>> {
    handlers::notes::list_all_highlights(&app).await
}

#[tauri::command]
pub async fn update_highlight(
    app: App<'_>,
    highlight_id: i64,
    comment: Option<String>,
    label: Option<String>,
) -> ApiResult<Highlight> {
    handlers::notes::update_highlight(&app, highlight_id, comment, label).await
}

#[tauri::command]
pub async fn delete_highlight(app: App<'_>, highlight_id: i64) -> ApiResult<()> {
    handlers::notes::delete_highlight(&app, highlight_id).await
}

// ---- find

#[tauri::command]
pub async fn list_quotes(app: App<'_>, filter: QuoteFilter) -> ApiResult<Vec<QuoteEntry>> {
    handlers::find::list_quotes(&app, filter).await
}

#[tauri::command]
pub async fn list_speakers(app: App<'_>) -> ApiResult<Vec<SpeakerCount>> {
    handlers::find::list_speakers(&app).await
}

#[tauri::command]
pub async fn compare_versions(
    app: App<'_>,
    old_version_id: i64,
    new_version_id: i64,
) -> ApiResult<CompareView> {
    handlers::find::compare_versions(&app, old_version_id, new_version_id).await
}

// ---- organise

#[tauri::command]
pub async fn list_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<Vec<Source>> {
    handlers::organise::list_sources(&app, filter).await
}

#[tauri::command]
pub async fn count_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<i64> {
    handlers::organise::count_sources(&app, filter).await
}

#[tauri::command]
pub async fn list_sites(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    handlers::organise::list_sites(&app).await
}

#[tauri::command]
pub async fn list_languages(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    handlers::organise::list_languages(&app).await
}

#[tauri::command]
pub async fn set_watched(app: App<'_>, source_ids: Vec<i64>, watched: bool) -> ApiResult<()> {
    handlers::organise::set_watched(&app, source_ids, watched).await
}

#[tauri::command]
pub async fn set_archived(app: App<'_>, source_ids: Vec<i64>, archived: bool) -> ApiResult<()> {
    handlers::organise::set_archived(&app, source_ids, archived).await
}

#[tauri::command]
pub async fn mark_viewed(app: App<'_>, source_id: i64, version_id: i64) -> ApiResult<()> {
    handlers::organise::mark_viewed(&app, source_id, version_id).await
}

#[tauri::command]
pub async fn list_projects(app: App<'_>, include_archived: bool) -> ApiResult<Vec<Project>> {
    handlers::organise::list_projects(&app, include_archived).await
}

#[tauri::command]
pub async fn create_project(app: App<'_>, name: String, description: String) -> ApiResult<Project> {
    handlers::organise::create_project(&app, name, description).await
}

#[tauri::command]
pub async fn rename_project(app: App<'_>, project_id: i64, name: String) -> ApiResult<Project> {
    handlers::organise::rename_project(&app, project_id, name).await
}

#[tauri::command]
pub async fn describe_project(
    app: App<'_>,
    project_id: i64,
    description: String,
) -> ApiResult<Project> {
    handlers::organise::describe_project(&app, project_id, description).await
}

#[tauri::command]
pub async fn archive_projects(
    app: App<'_>,
    project_ids: Vec<i64>,
    archived: bool,
) -> ApiResult<()> {
    handlers::organise::archive_projects(&app, project_ids, archived).await
}

#[tauri::command]
pub async fn project_delete_plan(app: App<'_>, project_id: i64) -> ApiResult<DeletePlan> {
    handlers::organise::project_delete_plan(&app, project_id).await
}

#[tauri::command]
pub async fn delete_project(
    app: App<'_>,
    project_id: i64,
    also_sources: bool,
) -> ApiResult<DeletePlan> {
    handlers::organise::delete_project(&app, project_id, also_sources).await
}

#[tauri::command]
pub async fn add_sources_to_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    handlers::organise::add_sources_to_project(&app, project_id, source_ids).await
}

#[tauri::command]
pub async fn remove_sources_from_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    handlers::organise::remove_sources_from_project(&app, project_id, source_ids).await
}

#[tauri::command]
pub async fn add_notes_to_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    handlers::organise::add_notes_to_project(&app, project_id, note_ids).await
}

#[tauri::command]
pub async fn remove_notes_from_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    handlers::organise::remove_notes_from_project(&app, project_id, note_ids).await
}

#[tauri::command]
pub async fn source_projects(app: App<'_>, source_id: i64) -> ApiResult<Vec<Project>> {
    handlers::organise::source_projects(&app, source_id).await
}

#[tauri::command]
pub async fn list_tags(app: App<'_>) -> ApiResult<Vec<TagCount>> {
    handlers::organise::list_tags(&app).await
}

#[tauri::command]
pub async fn source_tags(app: App<'_>, source_id: i64) -> ApiResult<Vec<String>> {
    handlers::organise::source_tags(&app, source_id).await
}

#[tauri::command]
pub async fn tag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    handlers::organise::tag_sources(&app, source_ids, tag).await
}

#[tauri::command]
pub async fn untag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    handlers::organise::untag_sources(&app, source_ids, tag).await
}

#[tauri::command]
pub async fn tag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    handlers::organise::tag_notes(&app, note_ids, tag).await
}

#[tauri::command]
pub async fn untag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    handlers::organise::untag_notes(&app, note_ids, tag).await
}

#[tauri::command]
pub async fn rename_tag(app: App<'_>, from: String, to: String) -> ApiResult<()> {
    handlers::organise::rename_tag(&app, from, to).await
}

#[tauri::command]
pub async fn delete_tag(app: App<'_>, tag: String) -> ApiResult<()> {
    handlers::organise::delete_tag(&app, tag).await
}

#[tauri::command]
pub async fn merge_tags(app: App<'_>, from: Vec<String>, into: String) -> ApiResult<()> {
    handlers::organise::merge_tags(&app, from, into).await
}

// ---- export

#[tauri::command]
pub async fn export_sources(
    app: App<'_>,
    source_ids: Vec<i64>,
    format: ExportFormat,
    path: String,
) -> ApiResult<SavedFile> {
    handlers::export::export_sources(&app, source_ids, format, path).await
}

#[tauri::command]
pub async fn export_bundle(app: App<'_>, source_id: i64, path: String) -> ApiResult<SavedFile> {
    handlers::export::export_bundle(&app, source_id, path).await
}

#[tauri::command]
pub async fn export_note(app: App<'_>, note_id: i64, path: String) -> ApiResult<SavedFile> {
    handlers::export::export_note(&app, note_id, path).await
}

#[tauri::command]
pub async fn backup_library(app: App<'_>, path: String) -> ApiResult<SavedFile> {
    handlers::export::backup_library(&app, path).await
}

#[tauri::command]
pub async fn search(app: App<'_>, query: SearchQuery) -> ApiResult<Vec<Hit>> {
    handlers::find::search(&app, query).await
}
