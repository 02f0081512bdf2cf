//! Notes: Markdown the reporter writes, with its own history and citations.
//!
//! Every save is kept as a revision, but an autosave every second must not
//! flood the history: a save joins ("coalesces into") the newest revision when
//! that revision was saved less than [`COALESCE_WITHIN`] ago, its burst began
//! less than [`BURST_MAX`] ago, and the save does not delete a sizeable piece
//! of text. So the final state of every burst is kept, long typing sessions
//! still leave a revision every few minutes, and a big deletion can always be
//! undone. A restore is itself a new revision and never coalesces.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::citations::{self, CitationStatus};
use crate::error::{Error, Result};
use crate::Db;

/// Saves closer together than this belong to one burst.
pub const COALESCE_WITHIN: Duration = Duration::seconds(60);
/// A burst never spans more than this, however steadily the reporter types.
pub const BURST_MAX: Duration = Duration::minutes(10);
/// A save that removes more chars than this starts a new revision, so the
/// text before a large deletion stays in the history.
pub const DELETION_KEEPS: usize = 80;

/// A note as the app lists and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub archived: bool,
    /// Projects holding the note, by id.
    pub project_ids: Vec<i64>,
    /// Tag names, sorted case-insensitively.
    pub tags: Vec<String>,
}

#[derive(FromRow)]
struct NoteRow {
    id: i64,
    title: String,
    body: String,
    created_at: String,
    updated_at: String,
    archived: bool,
}

const NOTE_COLUMNS: &str = "n.id, n.title, n.body, n.created_at, n.updated_at, n.archived";

/// One kept state of a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NoteRevision {
    pub id: i64,
    pub note_id: i64,
    pub title: String,
    pub body: String,
    /// The last save folded into this revision.
    pub saved_at: String,
    /// The first save of the burst this revision holds.
    pub burst_started_at: String,
}

const REVISION_COLUMNS: &str = "id, note_id, title, body, saved_at, burst_started_at";

/// Which notes to list. The default lists every note that is not archived.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NoteFilter {
    pub project_id: Option<i64>,
    /// Tag name (case-insensitive).
    pub tag: Option<String>,
    /// Also list archived notes.
    #[serde(default)]
    pub include_archived: bool,
}

/// A note rendered for the preview, with the state of each citation in it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RenderedNote {
    /// Sanitised HTML, safe to put into the webview.
    pub html: String,
    pub citations: Vec<CitationStatus>,
}

/// Creates a note and its first revision.
pub async fn create(db: &Db, title: &str, body: &str) -> Result<Note> {
    create_at(db, title, body, Utc::now()).await
}

/// [`create`] at a given time (tests and imports).
pub async fn create_at(db: &Db, title: &str, body: &str, now: DateTime<Utc>) -> Result<Note> {
    let now = crate::time::format(now);
    let mut tx = db.write().await?;
    let id =
        sqlx::query("INSERT INTO notes (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)")
            .bind(title)
            .bind(body)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
    crate::search::index_cjk(&mut tx, crate::search::HitKind::Note, id, title, body).await?;
    insert_revision(&mut tx, id, title, body, &now).await?;
    let note = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(note)
}

/// Saves the note's title and body, keeping history as described in the module docs.
pub async fn save(db: &Db, note_id: i64, title: &str, body: &str) -> Result<Note> {
    save_at(db, note_id, title, body, Utc::now()).await
}

/// [`save`] at a given time, so coalescing can be tested without waiting.
pub async fn save_at(
    db: &Db,
    note_id: i64,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Note> {
    let mut tx = db.write().await?;
    save_in(&mut tx, note_id, title, body, now, false).await?;
    let note = get_in(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(note)
}

async fn save_in(
    conn: &mut SqliteConnection,
    note_id: i64,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
    force_new_revision: bool,
) -> Result<()> {
    let stamp = crate::time::format(now);
    let current: Option<(String, String)> =
        sqlx::query_as("SELECT title, body FROM notes WHERE id = ?")
            .bind(note_id)
            .fetch_optional(&mut *conn)
            .await?;
    match current {
        None => return Err(Error::not_found("note", note_id)),
        // An autosave of unchanged text is not an edit.
        Some((t, b)) if t == title && b == body && !force_new_revision => return Ok(()),
        Some(_) => {}
    }
    let updated = sqlx::query("UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE id = ?")
        .bind(title)
        .bind(body)
        .bind(&stamp)
        .bind(note_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(Error::not_found("note", note_id));
    }
    // The update trigger removed the note's bigram entry.
    crate::search::index_cjk(conn, crate::search::HitKind::Note, note_id, title, body).await?;
    let newest = newest_revision(conn, note_id).await?;
    let Some(newest) = newest else {
        insert_revision(conn, note_id, title, body, &stamp).await?;
        return Ok(());
    };
    if newest.title == title && newest.body == body && !force_new_revision {
        return Ok(());
    }
    if !force_new_revision && joins_burst(&newest, title, body, now) {
        sqlx::query("UPDATE note_revisions SET title = ?, body = ?, saved_at = ? WHERE id = ?")
            .bind(title)
            .bind(body)
            .bind(&stamp)
            .bind(newest.id)
            .execute(&mut *conn)
            .await?;
    } else {
        insert_revision(conn, note_id, title, body, &stamp).await?;
    }
    Ok(())
}

/// Whether a save at `now` may replace `newest` instead of adding a revision.
fn joins_burst(newest: &NoteRevision, title: &str, body: &str, now: DateTime<Utc>) -> bool {
    let (Some(saved), Some(started)) = (
        crate::time::parse(&newest.saved_at),
        crate::time::parse(&newest.burst_started_at),
    ) else {
        return false;
    };
    let recent = now >= saved && now - saved < COALESCE_WITHIN && now - started < BURST_MAX;
    recent
        && deleted_chars(&newest.body, body) <= DELETION_KEEPS
        && deleted_chars(&newest.title, title) <= DELETION_KEEPS
}

/// How many chars of `old` are gone in `new` (word-level diff).
fn deleted_chars(old: &str, new: &str) -> usize {
    if new.contains(old) {
        return 0;
    }
    similar::TextDiff::from_words(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().chars().count())
        .sum()
}

async fn insert_revision(
    conn: &mut SqliteConnection,
    note_id: i64,
    title: &str,
    body: &str,
    now: &str,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO note_revisions (note_id, title, body, saved_at, burst_started_at) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(note_id)
    .bind(title)
    .bind(body)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?
    .last_insert_rowid())
}

async fn newest_revision(
    conn: &mut SqliteConnection,
    note_id: i64,
) -> Result<Option<NoteRevision>> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM note_revisions WHERE note_id = ? ORDER BY id DESC LIMIT 1"
    );
    Ok(sqlx::query_as(&sql)
        .bind(note_id)
        .fetch_optional(conn)
        .await?)
}

/// One note with its projects and tags.
pub async fn get(db: &Db, note_id: i64) -> Result<Note> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, note_id).await
}

/// [`get`] on a connection (inside a caller's transaction).
pub async fn get_in(conn: &mut SqliteConnection, note_id: i64) -> Result<Note> {
    let sql = format!("SELECT {NOTE_COLUMNS} FROM notes n WHERE n.id = ?");
    let row: NoteRow = sqlx::query_as(&sql)
        .bind(note_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("note", note_id))?;
    with_links(conn, row).await
}

async fn with_links(conn: &mut SqliteConnection, row: NoteRow) -> Result<Note> {
    let project_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT project_id FROM project_notes WHERE note_id = ? ORDER BY project_id",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM note_tags nt JOIN tags t ON t.id = nt.tag_id \
         WHERE nt.note_id = ? ORDER BY t.name COLLATE NOCASE",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Note {
        id: row.id,
        title: row.title,
        body: row.body,
        created_at: row.created_at,
        updated_at: row.updated_at,
        archived: row.archived,
        project_ids,
        tags,
    })
}

/// Notes matching `filter`, most recently edited first.
pub async fn list(db: &Db, filter: &NoteFilter) -> Result<Vec<Note>> {
    let mut conn = db.pool().acquire().await?;
    let sql = format!(
        "SELECT {NOTE_COLUMNS} FROM notes n \
         WHERE (? OR n.archived = 0) \
           AND (? IS NULL OR EXISTS (SELECT 1 FROM project_notes p WHERE p.note_id = n.id AND p.project_id = ?)) \
           AND (? IS NULL OR EXISTS (SELECT 1 FROM note_tags nt JOIN tags t ON t.id = nt.tag_id \
                                     WHERE nt.note_id = n.id AND t.name = ? COLLATE NOCASE)) \
         ORDER BY n.updated_at DESC, n.id DESC"
    );
    let tag = filter.tag.as_deref().map(str::trim);
    let rows: Vec<NoteRow> = sqlx::query_as(&sql)
        .bind(filter.include_archived)
        .bind(filter.project_id)
        .bind(filter.project_id)
        .bind(tag)
        .bind(tag)
        .fetch_all(&mut *conn)
        .await?;
    let mut notes = Vec::with_capacity(rows.len());
    for row in rows {
        notes.push(with_links(&mut conn, row).await?);
    }
    Ok(notes)
}

/// Deletes a note with its history, project and tag links.
pub async fn delete(db: &Db, note_id: i64) -> Result<()> {
    let mut tx = db.write().await?;
    let n = sqlx::query("DELETE FROM notes WHERE id = ?")
        .bind(note_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::not_found("note", note_id));
    }
    tx.commit().await?;
    Ok(())
}

/// Archives (hides from default lists) or unarchives a note.
pub async fn set_archived(db: &Db, note_id: i64, archived: bool) -> Result<Note> {
    let mut tx = db.write().await?;
    let n = sqlx::query("UPDATE notes SET archived = ? WHERE id = ?")
        .bind(archived)
        .bind(note_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::not_found("note", note_id));
    }
    let note = get_in(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(note)
}

/// Every kept revision of a note, newest first.
pub async fn history(db: &Db, note_id: i64) -> Result<Vec<NoteRevision>> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, note_id).await?;
    let sql =
        format!("SELECT {REVISION_COLUMNS} FROM note_revisions WHERE note_id = ? ORDER BY id DESC");
    Ok(sqlx::query_as(&sql)
        .bind(note_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Brings back an earlier revision. The restore is a new revision of its own,
/// so the state it replaced stays in the history.
pub async fn restore(db: &Db, note_id: i64, revision_id: i64) -> Result<Note> {
    restore_at(db, note_id, revision_id, Utc::now()).await
}

/// [`restore`] at a given time.
pub async fn restore_at(
    db: &Db,
    note_id: i64,
    revision_id: i64,
    now: DateTime<Utc>,
) -> Result<Note> {
    let mut tx = db.write().await?;
    let sql = format!("SELECT {REVISION_COLUMNS} FROM note_revisions WHERE id = ? AND note_id = ?");
    let rev: NoteRevision = sqlx::query_as(&sql)
        .bind(revision_id)
        .bind(note_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::not_found("note revision", revision_id))?;
    save_in(&mut tx, note_id, &rev.title, &rev.body, now, true).await?;
    let note = get_in(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(note)
}

/// Puts the note in exactly these projects (replacing its previous ones).
pub async fn set_projects(
    conn: &mut SqliteConnection,
    note_id: i64,
    project_ids: &[i64],
) -> Result<()> {
    ensure_exists(conn, note_id).await?;
    crate::projects::set_note_projects(conn, note_id, project_ids).await
}

/// Tags the note with `name` (creating the tag if needed).
pub async fn add_tag(conn: &mut SqliteConnection, note_id: i64, name: &str) -> Result<()> {
    crate::tags::tag_notes(conn, &[note_id], name).await?;
    Ok(())
}

/// Removes the tag `name` from the note; the tag itself stays, and a tag that
/// does not exist is not an error here.
pub async fn remove_tag(conn: &mut SqliteConnection, note_id: i64, name: &str) -> Result<()> {
    ensure_exists(conn, note_id).await?;
    if crate::tags::find(conn, name).await?.is_some() {
        crate::tags::untag_notes(conn, &[note_id], name).await?;
    }
    Ok(())
}

async fn ensure_exists(conn: &mut SqliteConnection, note_id: i64) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM notes WHERE id = ?")
        .bind(note_id)
        .fetch_optional(conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| Error::not_found("note", note_id))
}

/// The note as sanitised HTML, its citations resolved against the library.
pub async fn render(db: &Db, note_id: i64) -> Result<RenderedNote> {
    let note = get(db, note_id).await?;
    let citations = citations::check_markdown(db, &note.body).await?;
    let html = citations::render_with(&note.body, &citations);
    Ok(RenderedNote { html, citations })
}

/// Markdown (tables, footnotes, strikethrough, task lists) to sanitised HTML,
/// with no citation resolution: `[@h12]` stays as written.
pub fn render_markdown(md: &str) -> String {
    crate::markdown::render(md)
}
