//! Projects: the stories or beats a reporter works on. A project holds
//! sources and notes; either can sit in several projects at once, so deleting
//! a project removes memberships and never a source another project holds.

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::db::Db;
use crate::error::{Error, Result};

/// A project with the counts a project list shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
    pub source_count: i64,
    pub note_count: i64,
}

const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.description, p.archived, p.created_at, \
       p.updated_at, \
       (SELECT COUNT(*) FROM project_sources ps WHERE ps.project_id = p.id) AS source_count, \
       (SELECT COUNT(*) FROM project_notes pn WHERE pn.project_id = p.id) AS note_count \
     FROM projects p";

/// A source or note named in a [`DeletePlan`], with enough to recognise it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ItemRef {
    pub id: i64,
    pub title: String,
    /// Other projects that hold the item (they keep it).
    pub other_projects: i64,
}

/// Exactly what deleting a project does, shown before the user confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeletePlan {
    pub project: Project,
    /// Sources held by this project only: they leave the library only when the
    /// delete is asked to take sources too; otherwise they stay, unfiled.
    pub exclusive_sources: Vec<ItemRef>,
    /// Sources another project still holds: they always stay.
    pub shared_sources: Vec<ItemRef>,
    /// Notes of this project. Notes are never deleted with a project; those
    /// in no other project stay in the library, unfiled.
    pub notes: Vec<ItemRef>,
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("a project needs a name".into()));
    }
    Ok(name)
}

fn name_taken(e: sqlx::Error, name: &str) -> Error {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::Invalid(format!("a project named \"{name}\" already exists"))
        }
        _ => Error::Database(e),
    }
}

pub async fn create(conn: &mut SqliteConnection, name: &str, description: &str) -> Result<Project> {
    let name = check_name(name)?;
    let now = crate::time::now();
    let id = sqlx::query(
        "INSERT INTO projects (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)",
    )
    .bind(name)
    .bind(description.trim())
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await
    .map_err(|e| name_taken(e, name))?
    .last_insert_rowid();
    get(conn, id).await
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Project> {
    let sql = format!("{PROJECT_SELECT} WHERE p.id = ?");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("project", id))
}

/// The project called `name` (case-insensitive), if any.
pub async fn find_by_name(conn: &mut SqliteConnection, name: &str) -> Result<Option<Project>> {
    let sql = format!("{PROJECT_SELECT} WHERE p.name = ?");
    Ok(sqlx::query_as(&sql)
        .bind(name.trim())
        .fetch_optional(conn)
        .await?)
}

/// Resolves what a user typed: a numeric id, else a project name.
pub async fn resolve(conn: &mut SqliteConnection, id_or_name: &str) -> Result<Project> {
    if let Ok(id) = id_or_name.trim().parse::<i64>() {
        return get(conn, id).await;
    }
    find_by_name(conn, id_or_name)
        .await?
        .ok_or_else(|| Error::not_found("project", id_or_name))
}

/// Projects by name; archived ones only when asked.
pub async fn list(conn: &mut SqliteConnection, include_archived: bool) -> Result<Vec<Project>> {
    let sql = format!(
        "{PROJECT_SELECT} WHERE p.archived = 0 OR ? ORDER BY p.archived, p.name COLLATE NOCASE, p.id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(include_archived)
        .fetch_all(conn)
        .await?)
}

pub async fn rename(conn: &mut SqliteConnection, id: i64, name: &str) -> Result<Project> {
    let name = check_name(name)?;
    let done = sqlx::query("UPDATE projects SET name = ?, updated_at = ? WHERE id = ?")
        .bind(name)
        .bind(crate::time::now())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(|e| name_taken(e, name))?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("project", id));
    }
    get(conn, id).await
}

pub async fn describe(conn: &mut SqliteConnection, id: i64, description: &str) -> Result<Project> {
    let done = sqlx::query("UPDATE projects SET description = ?, updated_at = ? WHERE id = ?")
        .bind(description.trim())
        .bind(crate::time::now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("project", id));
    }
    get(conn, id).await
}

/// Archives (or brings back) projects; returns how many changed. Unknown ids
/// are an error and change nothing, so run it inside a transaction.
pub async fn set_archived(conn: &mut SqliteConnection, ids: &[i64], archived: bool) -> Result<u64> {
    require_all(conn, "projects", "project", ids).await?;
    let now = crate::time::now();
    let mut changed = 0;
    for id in ids {
        changed += sqlx::query(
            "UPDATE projects SET archived = ?, updated_at = ? WHERE id = ? AND archived <> ?",
        )
        .bind(archived)
        .bind(&now)
        .bind(id)
        .bind(archived)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(changed)
}

/// Fails with `NotFound` naming the first id in `ids` missing from `table`.
pub(crate) async fn require_all(
    conn: &mut SqliteConnection,
    table: &'static str,
    what: &'static str,
    ids: &[i64],
) -> Result<()> {
    // `table` is one of our own constants, never user input.
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?)");
    for id in ids {
        let found: bool = sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        if !found {
            return Err(Error::not_found(what, id));
        }
    }
    Ok(())
}

/// Puts sources into a project; returns how many were not already in it.
pub async fn add_sources(
    conn: &mut SqliteConnection,
    project_id: i64,
    source_ids: &[i64],
) -> Result<u64> {
    get(conn, project_id).await?;
    require_all(conn, "sources", "source", source_ids).await?;
    let now = crate::time::now();
    let mut added = 0;
    for id in source_ids {
        added += sqlx::query(
            "INSERT INTO project_sources (project_id, source_id, added_at) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(project_id)
        .bind(id)
        .bind(&now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    touch(conn, project_id).await?;
    Ok(added)
}

/// Takes sources out of a project (the sources stay in the library).
pub async fn remove_sources(
    conn: &mut SqliteConnection,
    project_id: i64,
    source_ids: &[i64],
) -> Result<u64> {
    get(conn, project_id).await?;
    let mut removed = 0;
    for id in source_ids {
        removed +=
            sqlx::query("DELETE FROM project_sources WHERE project_id = ? AND source_id = ?")
                .bind(project_id)
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
    }
    touch(conn, project_id).await?;
    Ok(removed)
}

/// Puts notes into a project; returns how many were not already in it.
pub async fn add_notes(
    conn: &mut SqliteConnection,
    project_id: i64,
    note_ids: &[i64],
) -> Result<u64> {
    get(conn, project_id).await?;
    require_all(conn, "notes", "note", note_ids).await?;
    let mut added = 0;
    for id in note_ids {
        added += sqlx::query(
            "INSERT INTO project_notes (project_id, note_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(project_id)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    touch(conn, project_id).await?;
    Ok(added)
}

/// Takes notes out of a project (the notes stay in the library).
pub async fn remove_notes(
    conn: &mut SqliteConnection,
    project_id: i64,
    note_ids: &[i64],
) -> Result<u64> {
    get(conn, project_id).await?;
    let mut removed = 0;
    for id in note_ids {
        removed += sqlx::query("DELETE FROM project_notes WHERE project_id = ? AND note_id = ?")
            .bind(project_id)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    touch(conn, project_id).await?;
    Ok(removed)
}

/// The projects holding a source, by name.
pub async fn of_source(conn: &mut SqliteConnection, source_id: i64) -> Result<Vec<Project>> {
    let sql = format!(
        "{PROJECT_SELECT} WHERE p.id IN (SELECT project_id FROM project_sources WHERE source_id = ?) \
         ORDER BY p.name COLLATE NOCASE"
    );
    Ok(sqlx::query_as(&sql).bind(source_id).fetch_all(conn).await?)
}

async fn touch(conn: &mut SqliteConnection, project_id: i64) -> Result<()> {
    sqlx::query("UPDATE projects SET updated_at = ? WHERE id = ?")
        .bind(crate::time::now())
        .bind(project_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Says what deleting project `id` would remove and what would stay.
pub async fn delete_plan(conn: &mut SqliteConnection, id: i64) -> Result<DeletePlan> {
    let project = get(conn, id).await?;
    let sources: Vec<ItemRef> = sqlx::query_as(
        "SELECT s.id, \
                COALESCE((SELECT title FROM versions v WHERE v.source_id = s.id \
                          ORDER BY seq DESC LIMIT 1), s.url, '') AS title, \
                (SELECT COUNT(*) FROM project_sources o \
                 WHERE o.source_id = s.id AND o.project_id <> ?) AS other_projects \
         FROM project_sources ps JOIN sources s ON s.id = ps.source_id \
         WHERE ps.project_id = ? ORDER BY s.id",
    )
    .bind(id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let notes: Vec<ItemRef> = sqlx::query_as(
        "SELECT n.id, n.title, \
                (SELECT COUNT(*) FROM project_notes o \
                 WHERE o.note_id = n.id AND o.project_id <> ?) AS other_projects \
         FROM project_notes pn JOIN notes n ON n.id = pn.note_id \
         WHERE pn.project_id = ? ORDER BY n.id",
    )
    .bind(id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let (shared_sources, exclusive_sources) =
        sources.into_iter().partition(|s| s.other_projects > 0);
    Ok(DeletePlan {
        project,
        exclusive_sources,
        shared_sources,
        notes,
    })
}

/// Deletes a project and its memberships in one transaction. With
/// `also_sources`, the sources no other project holds go too (with their
/// versions, captures and highlights); a source another project holds never
/// does. Returns the plan that was carried out.
pub async fn delete(db: &Db, id: i64, also_sources: bool) -> Result<DeletePlan> {
    let mut tx = db.write().await?;
    let plan = delete_plan(&mut tx, id).await?;
    sqlx::query("DELETE FROM projects WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if also_sources {
        for s in &plan.exclusive_sources {
            // Re-checked inside the transaction: only sources in no project.
            sqlx::query(
                "DELETE FROM sources WHERE id = ? \
                 AND NOT EXISTS (SELECT 1 FROM project_sources WHERE source_id = ?)",
            )
            .bind(s.id)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(plan)
}
