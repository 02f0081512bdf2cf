//! Notes, highlights and citations. The core renders and sanitises; the shell
//! only passes HTML through.

use redline::citations::{self, CitationStatus};
use redline::highlights::{self, Highlight};
use redline::notes::{self, Note, NoteFilter, NoteRevision, RenderedNote};

use crate::error::ApiResult;
use crate::state::{AppState, ChangeOrigin};

/// Calls a service-level write and announces it.
async fn wrote<T>(app: &AppState, out: redline::Result<T>) -> ApiResult<T> {
    let out = out?;
    app.changed(ChangeOrigin::App);
    Ok(out)
}

pub async fn list_notes(app: &AppState, filter: NoteFilter) -> ApiResult<Vec<Note>> {
    Ok(notes::list(&app.db, &filter).await?)
}

pub async fn get_note(app: &AppState, note_id: i64) -> ApiResult<Note> {
    Ok(notes::get(&app.db, note_id).await?)
}

pub async fn create_note(app: &AppState, title: String, body: String) -> ApiResult<Note> {
    wrote(app, notes::create(&app.db, &title, &body).await).await
}

pub async fn save_note(
    app: &AppState,
    note_id: i64,
    title: String,
    body: String,
) -> ApiResult<Note> {
    wrote(app, notes::save(&app.db, note_id, &title, &body).await).await
}

pub async fn delete_note(app: &AppState, note_id: i64) -> ApiResult<()> {
    wrote(app, notes::delete(&app.db, note_id).await).await
}

pub async fn archive_note(app: &AppState, note_id: i64, archived: bool) -> ApiResult<()> {
    wrote(
        app,
        notes::set_archived(&app.db, note_id, archived)
            .await
            .map(drop),
    )
    .await
}

pub async fn note_history(app: &AppState, note_id: i64) -> ApiResult<Vec<NoteRevision>> {
    Ok(notes::history(&app.db, note_id).await?)
}

pub async fn restore_note(app: &AppState, note_id: i64, revision_id: i64) -> ApiResult<Note> {
    wrote(app, notes::restore(&app.db, note_id, revision_id).await).await
}

pub async fn render_note(app: &AppState, note_id: i64) -> ApiResult<RenderedNote> {
    Ok(notes::render(&app.db, note_id).await?)
}

/// The live preview of unsaved Markdown, citations resolved and checked.
pub async fn render_draft(app: &AppState, markdown: String) -> ApiResult<RenderedNote> {
    let citations = citations::check_markdown(&app.db, &markdown).await?;
    let html = citations::render_with(&markdown, &citations);
    Ok(RenderedNote { html, citations })
}

pub async fn check_citations(app: &AppState, note_id: i64) -> ApiResult<Vec<CitationStatus>> {
    Ok(citations::check(&app.db, note_id).await?)
}

pub async fn citation_markdown(app: &AppState, highlight_id: i64) -> ApiResult<String> {
    highlights::get(&app.db, highlight_id).await?;
    Ok(citations::insert_citation(highlight_id))
}

pub async fn create_highlight(
    app: &AppState,
    version_id: i64,
    start: usize,
    end: usize,
    comment: String,
    label: String,
) -> ApiResult<Highlight> {
    wrote(
        app,
        highlights::create(&app.db, version_id, start, end, &comment, &label).await,
    )
    .await
}

pub async fn list_highlights(app: &AppState, version_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(highlights::list_by_version(&app.db, version_id).await?)
}

pub async fn list_source_highlights(app: &AppState, source_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(highlights::list_by_source(&app.db, source_id).await?)
}

/// Every highlight, newest first, for the citation picker.
pub async fn list_all_highlights(app: &AppState) -> ApiResult<Vec<Highlight>> {
    Ok(highlights::list_all(&app.db).await?)
}

pub async fn update_highlight(
    app: &AppState,
    highlight_id: i64,
    comment: Option<String>,
    label: Option<String>,
) -> ApiResult<Highlight> {
    wrote(
        app,
        highlights::update(&app.db, highlight_id, comment.as_deref(), label.as_deref()).await,
    )
    .await
}

pub async fn delete_highlight(app: &AppState, highlight_id: i64) -> ApiResult<()> {
    wrote(app, highlights::delete(&app.db, highlight_id).await).await
}
