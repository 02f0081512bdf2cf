//! Tags: free labels on sources and notes. Names compare case-insensitively,
//! so "Sanctions" and "sanctions" are one tag.
//!
//! Functions that touch several rows or tables (bulk tagging, merge) expect a
//! connection inside the caller's transaction (`db.write()`).

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::error::{Error, Result};
use crate::projects::require_all;

/// A tag with how much it labels, for tag lists and filter menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TagCount {
    pub id: i64,
    pub name: String,
    pub source_count: i64,
    pub note_count: i64,
}

/// The id of the tag called `name`, creating it if needed.
pub async fn ensure(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("a tag needs a name".into()));
    }
    sqlx::query("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar("SELECT id FROM tags WHERE name = ?")
        .bind(name)
        .fetch_one(conn)
        .await?)
}

/// The id of an existing tag, if any.
pub async fn find(conn: &mut SqliteConnection, name: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM tags WHERE name = ?")
        .bind(name.trim())
        .fetch_optional(conn)
        .await?)
}

async fn existing(conn: &mut SqliteConnection, name: &str) -> Result<i64> {
    find(conn, name)
        .await?
        .ok_or_else(|| Error::not_found("tag", name.trim()))
}

/// Labels sources with `name` (created if new); returns how many newly got it.
pub async fn tag_sources(
    conn: &mut SqliteConnection,
    source_ids: &[i64],
    name: &str,
) -> Result<u64> {
    require_all(conn, "sources", "source", source_ids).await?;
    let tag = ensure(conn, name).await?;
    let mut n = 0;
    for id in source_ids {
        n += sqlx::query(
            "INSERT INTO source_tags (source_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(tag)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(n)
}

/// Removes the label from sources; returns how many had it.
pub async fn untag_sources(
    conn: &mut SqliteConnection,
    source_ids: &[i64],
    name: &str,
) -> Result<u64> {
    let tag = existing(conn, name).await?;
    let mut n = 0;
    for id in source_ids {
        n += sqlx::query("DELETE FROM source_tags WHERE source_id = ? AND tag_id = ?")
            .bind(id)
            .bind(tag)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Labels notes with `name` (created if new); returns how many newly got it.
pub async fn tag_notes(conn: &mut SqliteConnection, note_ids: &[i64], name: &str) -> Result<u64> {
    require_all(conn, "notes", "note", note_ids).await?;
    let tag = ensure(conn, name).await?;
    let mut n = 0;
    for id in note_ids {
        n += sqlx::query(
            "INSERT INTO note_tags (note_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(tag)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(n)
}

/// Removes the label from notes; returns how many had it.
pub async fn untag_notes(conn: &mut SqliteConnection, note_ids: &[i64], name: &str) -> Result<u64> {
    let tag = existing(conn, name).await?;
    let mut n = 0;
    for id in note_ids {
        n += sqlx::query("DELETE FROM note_tags WHERE note_id = ? AND tag_id = ?")
            .bind(id)
            .bind(tag)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Every tag with its counts, by name.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<TagCount>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, \
                (SELECT COUNT(*) FROM source_tags st WHERE st.tag_id = t.id) AS source_count, \
                (SELECT COUNT(*) FROM note_tags nt WHERE nt.tag_id = t.id) AS note_count \
         FROM tags t ORDER BY t.name COLLATE NOCASE, t.id",
    )
    .fetch_all(conn)
    .await?)
}

/// A source's tag names, alphabetically.
pub async fn of_source(conn: &mut SqliteConnection, source_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT t.name FROM source_tags st JOIN tags t ON t.id = st.tag_id \
         WHERE st.source_id = ? ORDER BY t.name COLLATE NOCASE",
    )
    .bind(source_id)
    .fetch_all(conn)
    .await?)
}

/// A note's tag names, alphabetically.
pub async fn of_note(conn: &mut SqliteConnection, note_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT t.name FROM note_tags nt JOIN tags t ON t.id = nt.tag_id \
         WHERE nt.note_id = ? ORDER BY t.name COLLATE NOCASE",
    )
    .bind(note_id)
    .fetch_all(conn)
    .await?)
}

/// Renames a tag. Changing only the letter case is allowed; taking the name
/// of another tag is refused (that is a [`merge`]).
pub async fn rename(conn: &mut SqliteConnection, from: &str, to: &str) -> Result<()> {
    let id = existing(conn, from).await?;
    let to = to.trim();
    if to.is_empty() {
        return Err(Error::Invalid("a tag needs a name".into()));
    }
    if let Some(other) = find(conn, to).await? {
        if other != id {
            return Err(Error::Invalid(format!(
                "a tag named \"{to}\" already exists; merge the tags instead"
            )));
        }
    }
    sqlx::query("UPDATE tags SET name = ? WHERE id = ?")
        .bind(to)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes a tag; the sources and notes it labelled stay.
pub async fn delete(conn: &mut SqliteConnection, name: &str) -> Result<()> {
    let id = existing(conn, name).await?;
    sqlx::query("DELETE FROM tags WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Folds the tags `from` into `into` (created if new): everything labelled
/// with any of them ends up labelled `into`, and the `from` tags are gone.
pub async fn merge(conn: &mut SqliteConnection, from: &[&str], into: &str) -> Result<()> {
    let mut from_ids = Vec::with_capacity(from.len());
    for name in from {
        from_ids.push(existing(conn, name).await?);
    }
    let into_id = ensure(conn, into).await?;
    for id in from_ids.into_iter().filter(|id| *id != into_id) {
        sqlx::query(
            "INSERT INTO source_tags (source_id, tag_id) SELECT source_id, ? FROM source_tags \
             WHERE tag_id = ? ON CONFLICT DO NOTHING",
        )
        .bind(into_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO note_tags (note_id, tag_id) SELECT note_id, ? FROM note_tags \
             WHERE tag_id = ? ON CONFLICT DO NOTHING",
        )
        .bind(into_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM tags WHERE id = ?")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
