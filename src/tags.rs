//! Tags: free labels on sources and notes. Names compare case-insensitively.

use sqlx::SqliteConnection;

use crate::error::{Error, Result};

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
