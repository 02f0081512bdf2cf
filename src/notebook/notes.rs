//! Writing: notes and their history, highlights, and citations that quote
//! highlights back to the exact version.

use super::{ChangeKind, Notebook};
use crate::citations::{self, CitationStatus};
use crate::error::{Error, Result};
use crate::highlights::{self, Anchor, Highlight};
use crate::notes::{self, Note, NoteFilter, NoteRevision, RenderedNote};
use crate::versions;

impl Notebook {
    pub async fn notes(&self, filter: &NoteFilter) -> Result<Vec<Note>> {
        notes::list(&self.db, filter).await
    }

    pub async fn note(&self, note_id: i64) -> Result<Note> {
        notes::get(&self.db, note_id).await
    }

    pub async fn create_note(&self, title: &str, body: &str) -> Result<Note> {
        self.wrote(ChangeKind::Notes, notes::create(&self.db, title, body))
            .await
    }

    /// Saves a title and body (kept in the note's history).
    pub async fn save_note(&self, note_id: i64, title: &str, body: &str) -> Result<Note> {
        self.wrote(
            ChangeKind::Notes,
            notes::save(&self.db, note_id, title, body),
        )
        .await
    }

    pub async fn delete_note(&self, note_id: i64) -> Result<()> {
        self.wrote(ChangeKind::Notes, notes::delete(&self.db, note_id))
            .await
    }

    pub async fn archive_note(&self, note_id: i64, archived: bool) -> Result<Note> {
        self.wrote(
            ChangeKind::Notes,
            notes::set_archived(&self.db, note_id, archived),
        )
        .await
    }

    pub async fn note_history(&self, note_id: i64) -> Result<Vec<NoteRevision>> {
        notes::history(&self.db, note_id).await
    }

    /// Brings back an earlier revision (itself a new revision).
    pub async fn restore_note(&self, note_id: i64, revision_id: i64) -> Result<Note> {
        self.wrote(
            ChangeKind::Notes,
            notes::restore(&self.db, note_id, revision_id),
        )
        .await
    }

    /// Tags a note; returns it as it now stands.
    pub async fn tag_note(&self, note_id: i64, tag: &str) -> Result<Note> {
        self.write(ChangeKind::Notes, async |c| {
            notes::add_tag(c, note_id, tag).await?;
            notes::get_in(c, note_id).await
        })
        .await
    }

    pub async fn untag_note(&self, note_id: i64, tag: &str) -> Result<Note> {
        self.write(ChangeKind::Notes, async |c| {
            notes::remove_tag(c, note_id, tag).await?;
            notes::get_in(c, note_id).await
        })
        .await
    }

    /// Puts a note in exactly these projects.
    pub async fn set_note_projects(&self, note_id: i64, project_ids: &[i64]) -> Result<Note> {
        self.write(ChangeKind::Notes, async |c| {
            notes::set_projects(c, note_id, project_ids).await?;
            notes::get_in(c, note_id).await
        })
        .await
    }

    /// The note as sanitised HTML with its citations resolved.
    pub async fn render_note(&self, note_id: i64) -> Result<RenderedNote> {
        notes::render(&self.db, note_id).await
    }

    /// The live preview of unsaved Markdown, citations resolved and checked.
    pub async fn render_draft(&self, markdown: &str) -> Result<RenderedNote> {
        let citations = citations::check_markdown(&self.db, markdown).await?;
        let html = citations::render_with(markdown, &citations);
        Ok(RenderedNote { html, citations })
    }

    /// Every citation of a note against the latest versions of its sources.
    pub async fn check_citations(&self, note_id: i64) -> Result<Vec<CitationStatus>> {
        citations::check(&self.db, note_id).await
    }

    /// The Markdown that quotes a highlight in a note. An unknown highlight is
    /// `not_found` rather than a dangling citation.
    pub async fn cite(&self, highlight_id: i64) -> Result<String> {
        highlights::get(&self.db, highlight_id).await?;
        Ok(citations::insert_citation(highlight_id))
    }

    /// Highlights chars `start..end` of a version's text.
    pub async fn highlight(
        &self,
        version_id: i64,
        start: usize,
        end: usize,
        comment: &str,
        label: &str,
    ) -> Result<Highlight> {
        self.wrote(
            ChangeKind::Highlights,
            highlights::create(&self.db, version_id, start, end, comment, label),
        )
        .await
    }

    /// Highlights the `nth` (1 = first) occurrence of `text` in a version.
    pub async fn highlight_text(
        &self,
        version_id: i64,
        text: &str,
        nth: usize,
        comment: &str,
        label: &str,
    ) -> Result<Highlight> {
        let v = self.version(version_id).await?;
        let (at, _) = v
            .text
            .match_indices(text)
            .nth(nth.saturating_sub(1))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "“{text}” does not occur {nth} time(s) in version {version_id}"
                ))
            })?;
        let start = v.text[..at].chars().count();
        let end = start + text.chars().count();
        self.highlight(version_id, start, end, comment, label).await
    }

    pub async fn highlights_of_version(&self, version_id: i64) -> Result<Vec<Highlight>> {
        highlights::list_by_version(&self.db, version_id).await
    }

    pub async fn highlights_of_source(&self, source_id: i64) -> Result<Vec<Highlight>> {
        highlights::list_by_source(&self.db, source_id).await
    }

    /// Every highlight, newest first, for the citation picker.
    pub async fn all_highlights(&self) -> Result<Vec<Highlight>> {
        highlights::list_all(&self.db).await
    }

    /// Changes a highlight's comment and/or label (`None` keeps a field).
    pub async fn update_highlight(
        &self,
        highlight_id: i64,
        comment: Option<&str>,
        label: Option<&str>,
    ) -> Result<Highlight> {
        self.wrote(
            ChangeKind::Highlights,
            highlights::update(&self.db, highlight_id, comment, label),
        )
        .await
    }

    pub async fn delete_highlight(&self, highlight_id: i64) -> Result<()> {
        self.wrote(
            ChangeKind::Highlights,
            highlights::delete(&self.db, highlight_id),
        )
        .await
    }

    /// Finds a highlight in another version (default: its source's latest).
    /// Returns the highlight, the version searched and where it stands there.
    pub async fn anchor(
        &self,
        highlight_id: i64,
        version_id: Option<i64>,
    ) -> Result<(Highlight, i64, Anchor)> {
        let h = highlights::get(&self.db, highlight_id).await?;
        let v = match version_id {
            Some(id) => self.version(id).await?,
            None => self
                .read(async |c| versions::latest_version(c, h.source_id).await)
                .await?
                .ok_or_else(|| Error::not_found("version of source", h.source_id))?,
        };
        let anchor = highlights::anchor(&h, &v);
        Ok((h, v.id, anchor))
    }
}
