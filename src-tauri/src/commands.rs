//! The Tauri commands: each takes the [`Notebook`] from the app's state and
//! calls one of its use cases. Nothing else happens here: the rules, the SQL
//! and the change announcements live in the core.
//! Arguments arrive camelCased from `ui/src/lib/api.ts` (`sourceId` → `source_id`).

use std::path::Path;

use redline::citations::CitationStatus;
use redline::clip::{CheckOutcome, ClipOutcome, TextFormat};
use redline::highlights::Highlight;
use redline::library::{FacetCount, SourceFilter};
use redline::notebook::{CompareView, ExportFormat, SavedFile};
use redline::notes::{Note, NoteFilter, NoteRevision, RenderedNote};
use redline::projects::{DeletePlan, Project};
use redline::quotes::{QuoteEntry, QuoteFilter, SpeakerCount};
use redline::reextract::ReextractReport;
use redline::search::{Hit, SearchQuery};
use redline::tags::TagCount;
use redline::versions::{Capture, CapturedPage, Source, Version, VersionSummary};
use redline::Notebook;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::ApiResult;

type App<'a> = State<'a, Notebook>;

/// Facts about the running app.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// The library file this window works on (shared with the `redline` CLI).
    pub db_path: String,
}

#[tauri::command]
pub fn app_info(app: App<'_>) -> ApiResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: app
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ":memory:".into()),
    })
}

// ---- clip

#[tauri::command]
pub async fn clip_url(app: App<'_>, url: String) -> ApiResult<ClipOutcome> {
    Ok(app.clip_url(&url).await?)
}

#[tauri::command]
pub async fn clip_text(
    app: App<'_>,
    content: String,
    format: Option<TextFormat>,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    Ok(app.clip_text(content, format, url).await?)
}

#[tauri::command]
pub async fn clip_file(app: App<'_>, path: String, url: Option<String>) -> ApiResult<ClipOutcome> {
    Ok(app.clip_file(path, url).await?)
}

#[tauri::command]
pub async fn check_source(app: App<'_>, source_id: i64) -> ApiResult<CheckOutcome> {
    Ok(app.check(source_id).await?)
}

// ---- read

#[tauri::command]
pub async fn get_source(app: App<'_>, source_id: i64) -> ApiResult<Source> {
    Ok(app.source(source_id).await?)
}

#[tauri::command]
pub async fn list_versions(app: App<'_>, source_id: i64) -> ApiResult<Vec<VersionSummary>> {
    Ok(app.versions(source_id).await?)
}

#[tauri::command]
pub async fn list_captures(app: App<'_>, source_id: i64) -> ApiResult<Vec<Capture>> {
    Ok(app.captures(source_id).await?)
}

#[tauri::command]
pub async fn get_version(app: App<'_>, version_id: i64) -> ApiResult<Version> {
    Ok(app.version(version_id).await?)
}

/// The page a version was extracted from, as text: the UI shows it inert.
#[tauri::command]
pub async fn get_captured_page(app: App<'_>, version_id: i64) -> ApiResult<CapturedPage> {
    Ok(app.captured_page(version_id).await?)
}

#[tauri::command]
pub async fn reextract_source(app: App<'_>, source_id: i64) -> ApiResult<ReextractReport> {
    Ok(app.reextract(Some(source_id), false).await?)
}

#[tauri::command]
pub async fn compare_versions(
    app: App<'_>,
    source_id: i64,
    old_version_id: Option<i64>,
    new_version_id: Option<i64>,
) -> ApiResult<CompareView> {
    Ok(app
        .compare(source_id, old_version_id, new_version_id)
        .await?)
}

// ---- notes

#[tauri::command]
pub async fn list_notes(app: App<'_>, filter: NoteFilter) -> ApiResult<Vec<Note>> {
    Ok(app.notes(&filter).await?)
}

#[tauri::command]
pub async fn get_note(app: App<'_>, note_id: i64) -> ApiResult<Note> {
    Ok(app.note(note_id).await?)
}

#[tauri::command]
pub async fn create_note(app: App<'_>, title: String, body: String) -> ApiResult<Note> {
    Ok(app.create_note(&title, &body).await?)
}

#[tauri::command]
pub async fn save_note(app: App<'_>, note_id: i64, title: String, body: String) -> ApiResult<Note> {
    Ok(app.save_note(note_id, &title, &body).await?)
}

#[tauri::command]
pub async fn delete_note(app: App<'_>, note_id: i64) -> ApiResult<()> {
    Ok(app.delete_note(note_id).await?)
}

#[tauri::command]
pub async fn archive_note(app: App<'_>, note_id: i64, archived: bool) -> ApiResult<()> {
    app.archive_note(note_id, archived).await?;
    Ok(())
}

#[tauri::command]
pub async fn note_history(app: App<'_>, note_id: i64) -> ApiResult<Vec<NoteRevision>> {
    Ok(app.note_history(note_id).await?)
}

#[tauri::command]
pub async fn restore_note(app: App<'_>, note_id: i64, revision_id: i64) -> ApiResult<Note> {
    Ok(app.restore_note(note_id, revision_id).await?)
}

#[tauri::command]
pub async fn render_note(app: App<'_>, note_id: i64) -> ApiResult<RenderedNote> {
    Ok(app.render_note(note_id).await?)
}

#[tauri::command]
pub async fn render_draft(app: App<'_>, markdown: String) -> ApiResult<RenderedNote> {
    Ok(app.render_draft(&markdown).await?)
}

#[tauri::command]
pub async fn check_citations(app: App<'_>, note_id: i64) -> ApiResult<Vec<CitationStatus>> {
    Ok(app.check_citations(note_id).await?)
}

#[tauri::command]
pub async fn citation_markdown(app: App<'_>, highlight_id: i64) -> ApiResult<String> {
    Ok(app.cite(highlight_id).await?)
}

// ---- highlights

#[tauri::command]
pub async fn create_highlight(
    app: App<'_>,
    version_id: i64,
    start: usize,
    end: usize,
    comment: String,
    label: String,
) -> ApiResult<Highlight> {
    Ok(app
        .highlight(version_id, start, end, &comment, &label)
        .await?)
}

#[tauri::command]
pub async fn list_highlights(app: App<'_>, version_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(app.highlights_of_version(version_id).await?)
}

#[tauri::command]
pub async fn list_source_highlights(app: App<'_>, source_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(app.highlights_of_source(source_id).await?)
}

#[tauri::command]
pub async fn list_all_highlights(app: App<'_>) -> ApiResult<Vec<Highlight>> {
    Ok(app.all_highlights().await?)
}

#[tauri::command]
pub async fn update_highlight(
    app: App<'_>,
    highlight_id: i64,
    comment: Option<String>,
    label: Option<String>,
) -> ApiResult<Highlight> {
    Ok(app
        .update_highlight(highlight_id, comment.as_deref(), label.as_deref())
        .await?)
}

#[tauri::command]
pub async fn delete_highlight(app: App<'_>, highlight_id: i64) -> ApiResult<()> {
    Ok(app.delete_highlight(highlight_id).await?)
}

// ---- find

#[tauri::command]
pub async fn search(app: App<'_>, query: SearchQuery) -> ApiResult<Vec<Hit>> {
    Ok(app.search(&query).await?)
}

#[tauri::command]
pub async fn list_quotes(app: App<'_>, filter: QuoteFilter) -> ApiResult<Vec<QuoteEntry>> {
    Ok(app.quotes(&filter).await?)
}

#[tauri::command]
pub async fn list_speakers(app: App<'_>) -> ApiResult<Vec<SpeakerCount>> {
    Ok(app.speakers().await?)
}

// ---- organise

#[tauri::command]
pub async fn list_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<Vec<Source>> {
    Ok(app.sources(&filter).await?)
}

#[tauri::command]
pub async fn count_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<i64> {
    Ok(app.count_sources(&filter).await?)
}

#[tauri::command]
pub async fn list_sites(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    Ok(app.sites().await?)
}

#[tauri::command]
pub async fn list_languages(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    Ok(app.languages().await?)
}

#[tauri::command]
pub async fn set_watched(app: App<'_>, source_ids: Vec<i64>, watched: bool) -> ApiResult<()> {
    app.set_watched(&source_ids, watched).await?;
    Ok(())
}

#[tauri::command]
pub async fn set_archived(app: App<'_>, source_ids: Vec<i64>, archived: bool) -> ApiResult<()> {
    app.set_archived(&source_ids, archived).await?;
    Ok(())
}

#[tauri::command]
pub async fn mark_viewed(app: App<'_>, source_id: i64, version_id: i64) -> ApiResult<()> {
    Ok(app.mark_viewed(source_id, version_id).await?)
}

#[tauri::command]
pub async fn list_projects(app: App<'_>, include_archived: bool) -> ApiResult<Vec<Project>> {
    Ok(app.projects(include_archived).await?)
}

#[tauri::command]
pub async fn create_project(app: App<'_>, name: String, description: String) -> ApiResult<Project> {
    Ok(app.create_project(&name, &description).await?)
}

#[tauri::command]
pub async fn rename_project(app: App<'_>, project_id: i64, name: String) -> ApiResult<Project> {
    Ok(app.rename_project(project_id, &name).await?)
}

#[tauri::command]
pub async fn describe_project(
    app: App<'_>,
    project_id: i64,
    description: String,
) -> ApiResult<Project> {
    Ok(app.describe_project(project_id, &description).await?)
}

#[tauri::command]
pub async fn archive_projects(
    app: App<'_>,
    project_ids: Vec<i64>,
    archived: bool,
) -> ApiResult<()> {
    app.archive_projects(&project_ids, archived).await?;
    Ok(())
}

#[tauri::command]
pub async fn project_delete_plan(app: App<'_>, project_id: i64) -> ApiResult<DeletePlan> {
    Ok(app.project_delete_plan(project_id).await?)
}

#[tauri::command]
pub async fn delete_project(
    app: App<'_>,
    project_id: i64,
    also_sources: bool,
) -> ApiResult<DeletePlan> {
    Ok(app.delete_project(project_id, also_sources).await?)
}

#[tauri::command]
pub async fn add_sources_to_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    app.add_to_project(project_id, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn remove_sources_from_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    app.remove_from_project(project_id, &source_ids, &[])
        .await?;
    Ok(())
}

#[tauri::command]
pub async fn add_notes_to_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    app.add_to_project(project_id, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn remove_notes_from_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    app.remove_from_project(project_id, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn source_projects(app: App<'_>, source_id: i64) -> ApiResult<Vec<Project>> {
    Ok(app.projects_of_source(source_id).await?)
}

#[tauri::command]
pub async fn list_tags(app: App<'_>) -> ApiResult<Vec<TagCount>> {
    Ok(app.tags().await?)
}

#[tauri::command]
pub async fn source_tags(app: App<'_>, source_id: i64) -> ApiResult<Vec<String>> {
    Ok(app.tags_of_source(source_id).await?)
}

#[tauri::command]
pub async fn tag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.tag(&tag, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn untag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.untag(&tag, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn tag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.tag(&tag, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn untag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.untag(&tag, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn rename_tag(app: App<'_>, from: String, to: String) -> ApiResult<()> {
    Ok(app.rename_tag(&from, &to).await?)
}

#[tauri::command]
pub async fn delete_tag(app: App<'_>, tag: String) -> ApiResult<()> {
    Ok(app.delete_tag(&tag).await?)
}

#[tauri::command]
pub async fn merge_tags(app: App<'_>, from: Vec<String>, into: String) -> ApiResult<()> {
    Ok(app.merge_tags(&from, &into).await?)
}

// ---- export (each written where the reporter chose in the native save dialog)

#[tauri::command]
pub async fn export_sources(
    app: App<'_>,
    source_ids: Vec<i64>,
    format: ExportFormat,
    path: String,
) -> ApiResult<SavedFile> {
    Ok(app
        .export_sources(&source_ids, format, Path::new(&path))
        .await?)
}

#[tauri::command]
pub async fn export_bundle(app: App<'_>, source_id: i64, path: String) -> ApiResult<SavedFile> {
    app.export_bundle(source_id, Path::new(&path)).await?;
    Ok(SavedFile::at(Path::new(&path))?)
}

#[tauri::command]
pub async fn export_note(app: App<'_>, note_id: i64, path: String) -> ApiResult<SavedFile> {
    Ok(app.export_note(note_id, Path::new(&path)).await?)
}

#[tauri::command]
pub async fn backup_library(app: App<'_>, path: String) -> ApiResult<SavedFile> {
    app.backup(Path::new(&path)).await?;
    Ok(SavedFile::at(Path::new(&path))?)
}
