//! Highlights: passages pinned to one version, stored with what finds them
//! again.
//!
//! A highlight stores its offsets (chars into the version's text, blocks joined
//! by "\n\n"), the exact text and up to [`CONTEXT_CHARS`] chars of context on
//! each side. This module keeps them (all the SQL); [`anchor`](mod@anchor)
//! re-finds one in another version of the story from that text and context.

pub mod anchor;

pub use anchor::{anchor, Anchor, AnchorSpan, CHANGED_THRESHOLD};

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::error::{Error, Result};
use crate::versions;
use crate::Db;

/// Chars of context kept on each side of a highlight.
pub const CONTEXT_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Highlight {
    pub id: i64,
    pub source_id: i64,
    pub version_id: i64,
    /// Char offsets into the version's text, `start..end`.
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub prefix: String,
    pub suffix: String,
    pub comment: String,
    pub label: String,
    pub created_at: String,
    /// The team member who made it, for a highlight that came by team sync
    /// (None: made on this desk).
    pub highlighted_by: Option<String>,
}

const HIGHLIGHT_COLUMNS: &str = concat!(
    "id, source_id, version_id, start, end, text, prefix, suffix, comment, label, created_at, ",
    "(SELECT t.author FROM team_objects t WHERE t.kind = 'highlight' ",
    "AND t.local_id = highlights.id) AS highlighted_by"
);

/// Highlights `start..end` (chars) of a version.
pub async fn create(
    db: &Db,
    version_id: i64,
    start: usize,
    end: usize,
    comment: &str,
    label: &str,
) -> Result<Highlight> {
    let mut tx = db.write().await?;
    let h = create_in(&mut tx, version_id, start, end, comment, label).await?;
    tx.commit().await?;
    Ok(h)
}

/// [`create`] inside the caller's transaction.
pub async fn create_in(
    conn: &mut SqliteConnection,
    version_id: i64,
    start: usize,
    end: usize,
    comment: &str,
    label: &str,
) -> Result<Highlight> {
    let now = crate::time::now();
    create_at(conn, version_id, start, end, comment, label, &now).await
}

/// [`create_in`] with the time it was made elsewhere (a highlight that
/// arrives by team sync keeps its author's time).
pub async fn create_at(
    conn: &mut SqliteConnection,
    version_id: i64,
    start: usize,
    end: usize,
    comment: &str,
    label: &str,
    created_at: &str,
) -> Result<Highlight> {
    let version = versions::get_version(conn, version_id).await?;
    let chars: Vec<char> = version.text.chars().collect();
    if start >= end {
        return Err(Error::Invalid(format!(
            "a highlight needs start < end (got {start}..{end})"
        )));
    }
    if end > chars.len() {
        return Err(Error::Invalid(format!(
            "highlight {start}..{end} is outside version {version_id} ({} chars)",
            chars.len()
        )));
    }
    let text: String = chars[start..end].iter().collect();
    if text.trim().is_empty() {
        return Err(Error::Invalid(
            "a highlight cannot be only whitespace".into(),
        ));
    }
    let prefix: String = chars[start.saturating_sub(CONTEXT_CHARS)..start]
        .iter()
        .collect();
    let suffix: String = chars[end..(end + CONTEXT_CHARS).min(chars.len())]
        .iter()
        .collect();
    let id = sqlx::query(
        "INSERT INTO highlights (source_id, version_id, start, end, text, prefix, suffix, \
            comment, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(version.source_id)
    .bind(version_id)
    .bind(start as i64)
    .bind(end as i64)
    .bind(&text)
    .bind(&prefix)
    .bind(&suffix)
    .bind(comment)
    .bind(label)
    .bind(created_at)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    let h = get_in(conn, id).await?;
    crate::search::index_cjk(
        conn,
        crate::search::HitKind::Highlight,
        id,
        &h.text,
        &h.comment,
    )
    .await?;
    Ok(h)
}

pub async fn get(db: &Db, highlight_id: i64) -> Result<Highlight> {
    let mut conn = db.pool().acquire().await?;
    get_in(&mut conn, highlight_id).await
}

pub async fn get_in(conn: &mut SqliteConnection, highlight_id: i64) -> Result<Highlight> {
    let sql = format!("SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE id = ?");
    sqlx::query_as(&sql)
        .bind(highlight_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("highlight", highlight_id))
}

/// Highlights of one version, in reading order.
pub async fn list_by_version(db: &Db, version_id: i64) -> Result<Vec<Highlight>> {
    let mut conn = db.pool().acquire().await?;
    let sql = format!(
        "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE version_id = ? ORDER BY start, end, id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(version_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Highlights made on any version of a source, by version then reading order.
pub async fn list_by_source(db: &Db, source_id: i64) -> Result<Vec<Highlight>> {
    let mut conn = db.pool().acquire().await?;
    let sql = format!(
        "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE source_id = ? \
         ORDER BY version_id, start, end, id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(source_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Every highlight in the library, newest first (the citation picker).
pub async fn list_all(db: &Db) -> Result<Vec<Highlight>> {
    let mut conn = db.pool().acquire().await?;
    let sql =
        format!("SELECT {HIGHLIGHT_COLUMNS} FROM highlights ORDER BY created_at DESC, id DESC");
    Ok(sqlx::query_as(&sql).fetch_all(&mut *conn).await?)
}

/// Changes the comment and/or label; `None` leaves a field as it is.
pub async fn update(
    db: &Db,
    highlight_id: i64,
    comment: Option<&str>,
    label: Option<&str>,
) -> Result<Highlight> {
    let mut tx = db.write().await?;
    let h = update_in(&mut tx, highlight_id, comment, label).await?;
    tx.commit().await?;
    Ok(h)
}

/// [`update`] inside the caller's transaction.
pub async fn update_in(
    tx: &mut SqliteConnection,
    highlight_id: i64,
    comment: Option<&str>,
    label: Option<&str>,
) -> Result<Highlight> {
    let n = sqlx::query(
        "UPDATE highlights SET comment = COALESCE(?, comment), label = COALESCE(?, label) \
         WHERE id = ?",
    )
    .bind(comment)
    .bind(label)
    .bind(highlight_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::not_found("highlight", highlight_id));
    }
    let h = get_in(tx, highlight_id).await?;
    // The update trigger removed the highlight's bigram entry.
    crate::search::index_cjk(
        tx,
        crate::search::HitKind::Highlight,
        highlight_id,
        &h.text,
        &h.comment,
    )
    .await?;
    Ok(h)
}

pub async fn delete(db: &Db, highlight_id: i64) -> Result<()> {
    let mut tx = db.write().await?;
    delete_in(&mut tx, highlight_id).await?;
    tx.commit().await?;
    Ok(())
}

/// [`delete`] inside the caller's transaction.
pub async fn delete_in(conn: &mut SqliteConnection, highlight_id: i64) -> Result<()> {
    let n = sqlx::query("DELETE FROM highlights WHERE id = ?")
        .bind(highlight_id)
        .execute(conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::not_found("highlight", highlight_id));
    }
    Ok(())
}

/// Highlights of one version inside the caller's transaction.
pub(crate) async fn list_by_version_in(
    conn: &mut SqliteConnection,
    version_id: i64,
) -> Result<Vec<Highlight>> {
    let sql = format!(
        "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE version_id = ? ORDER BY start, end, id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(version_id)
        .fetch_all(conn)
        .await?)
}

/// Moves a highlight to `start..end` of its own version's new `text` (an
/// extractor revision re-anchored it there), with its context taken again.
/// Its quoted text, comment and label stay.
pub(crate) async fn relocate(
    conn: &mut SqliteConnection,
    highlight_id: i64,
    text: &str,
    start: usize,
    end: usize,
) -> Result<()> {
    let chars: Vec<char> = text.chars().collect();
    let prefix: String = chars[start.saturating_sub(CONTEXT_CHARS)..start]
        .iter()
        .collect();
    let suffix: String = chars[end..(end + CONTEXT_CHARS).min(chars.len())]
        .iter()
        .collect();
    sqlx::query("UPDATE highlights SET start = ?, end = ?, prefix = ?, suffix = ? WHERE id = ?")
        .bind(start as i64)
        .bind(end as i64)
        .bind(prefix)
        .bind(suffix)
        .bind(highlight_id)
        .execute(conn)
        .await?;
    Ok(())
}
