//! What this desk last agreed with the server: `team_objects` maps each
//! shared row to its team key and the hash of the object last synced, which
//! is how a change made here is told from one that came from the team.

use super::*;

/// The hash a synced item is remembered by, to tell later whether it changed
/// here. A tag is remembered by its folded name, so a spelling that differs
/// between desks is never taken for a change.
pub(super) fn sha_of(item: &Item) -> String {
    let folded;
    let item = match item {
        Item::SourceTag(t) => {
            folded = Item::SourceTag(SourceTagBody {
                tag: t.tag.trim().to_ascii_lowercase(),
                ..t.clone()
            });
            &folded
        }
        item => item,
    };
    sha256_hex(&serde_json::to_vec(item).expect("items serialise"))
}

/// (local id, synced hash) of a mapped object.
pub(super) async fn mapped(
    conn: &mut SqliteConnection,
    kind: &str,
    key: &str,
) -> Result<Option<(Option<i64>, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT local_id, synced_sha256 FROM team_objects WHERE kind = ? AND key = ?",
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

pub(super) async fn key_of(
    conn: &mut SqliteConnection,
    kind: &str,
    local_id: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT key FROM team_objects WHERE kind = ? AND local_id = ? ORDER BY rowid LIMIT 1",
    )
    .bind(kind)
    .bind(local_id)
    .fetch_optional(conn)
    .await?)
}

pub(super) async fn set_mapped(
    conn: &mut SqliteConnection,
    kind: &str,
    key: &str,
    local_id: Option<i64>,
    synced: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_objects (kind, key, local_id, synced_sha256) VALUES (?, ?, ?, ?) \
         ON CONFLICT (kind, key) DO UPDATE SET local_id = excluded.local_id, \
           synced_sha256 = excluded.synced_sha256",
    )
    .bind(kind)
    .bind(key)
    .bind(local_id)
    .bind(synced)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn exists(conn: &mut SqliteConnection, table: &str, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?");
    let found: Option<i64> = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The local project of a team project, made (named after its key until
/// the project itself arrives) when a member's object names it first.
pub(super) async fn ensure_project(conn: &mut SqliteConnection, key: &str) -> Result<i64> {
    if let Some((Some(id), _)) = mapped(conn, "project", key).await? {
        if exists(conn, "projects", id).await? {
            return Ok(id);
        }
    }
    let name = format!("Team project {}", &key[..key.len().min(8)]);
    let id = match crate::projects::find_by_name(conn, &name).await? {
        Some(p) => p.id,
        None => crate::projects::create(conn, &name, "").await?.id,
    };
    set_mapped(conn, "project", key, Some(id), None).await?;
    Ok(id)
}

/// The local source of a team source: mapped, else the one with its URL
/// key (clipped here too: the two meet), else a new one.
pub(super) async fn ensure_source(conn: &mut SqliteConnection, key: &str) -> Result<i64> {
    if let Some((Some(id), _)) = mapped(conn, "source", key).await? {
        if exists(conn, "sources", id).await? {
            return Ok(id);
        }
    }
    let now = crate::time::now();
    let keys: Vec<String> = key
        .strip_prefix("url:")
        .map(str::to_string)
        .into_iter()
        .collect();
    let (id, _, _) = versions::find_or_insert_source(conn, &keys, None, &now).await?;
    set_mapped(conn, "source", key, Some(id), None).await?;
    Ok(id)
}

/// True when the row changed here since it was last synced.
pub(super) fn changed_here(synced: &Option<String>, local: &Option<Item>) -> bool {
    match (synced, local) {
        (Some(s), Some(l)) => *s != sha_of(l),
        _ => false,
    }
}
