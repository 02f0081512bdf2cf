//! Library-wide settings the reporter chooses, stored in the library (so a
//! backup or a move keeps them) as name → text; each setting has its typed
//! accessor here, so a name is spelled once.

use sqlx::{SqliteConnection, SqlitePool};

use crate::error::{Error, Result};

/// The RFC 3161 time stamping authority's URL: when set, every WACZ export
/// carries its timestamp.
const TSA_URL: &str = "tsa_url";

async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM library_settings WHERE name = ?")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

async fn set(pool: &SqlitePool, name: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => {
            sqlx::query(
                "INSERT INTO library_settings (name, value) VALUES (?, ?)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .bind(name)
            .bind(v)
            .execute(pool)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM library_settings WHERE name = ?")
                .bind(name)
                .execute(pool)
                .await?
        }
    };
    Ok(())
}

/// The configured time stamping authority, if any.
pub async fn tsa_url(conn: &mut SqliteConnection) -> Result<Option<String>> {
    get(conn, TSA_URL).await
}

/// Sets (or, with `None`, clears) the time stamping authority. Only an
/// absolute http(s) URL is kept: RFC 3161's HTTP transport.
pub async fn set_tsa_url(pool: &SqlitePool, url: Option<&str>) -> Result<()> {
    let url = match url.map(str::trim) {
        None | Some("") => None,
        Some(u) => {
            let parsed = url::Url::parse(u)
                .map_err(|e| Error::Invalid(format!("not a TSA URL: {u} ({e})")))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(Error::Invalid(format!(
                    "a TSA is reached at an http(s) URL, not {u}"
                )));
            }
            Some(parsed.to_string())
        }
    };
    set(pool, TSA_URL, url.as_deref()).await
}
