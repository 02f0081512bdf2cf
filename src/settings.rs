//! Library-wide settings the reporter chooses, stored in the library (so a
//! backup or a move keeps them) as name → text; each setting has its typed
//! accessor here, so a name is spelled once.

use sqlx::SqliteConnection;

use crate::error::{Error, Result};

/// The RFC 3161 time stamping authority's URL: when set, every WACZ export
/// carries its timestamp.
const TSA_URL: &str = "tsa_url";

/// Each new capture (with bytes) is queued for its own RFC 3161 timestamp
/// from the TSA (`on`); read by the trigger in the capture-timestamps
/// migration, so the name is spelled there too.
const TIMESTAMP_CAPTURES: &str = "timestamp_captures";

/// The reporter paused watching: whichever process runs the scheduler
/// makes no request until it is resumed (kept across restarts: a pause is
/// a decision, not a session's state).
const WATCH_PAUSED: &str = "watch_paused";

/// Least milliseconds between two requests to one site when re-checking
/// (`check`, `check --all`, the watch scheduler's default). Unset: the
/// built-in polite gap.
const HOST_GAP_MS: &str = "host_gap_ms";

/// The shortest per-site gap a library may set: politeness has a floor.
pub const MIN_HOST_GAP: std::time::Duration = std::time::Duration::from_secs(1);

async fn get(conn: &mut SqliteConnection, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM library_settings WHERE name = ?")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

async fn set(conn: &mut SqliteConnection, name: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => {
            sqlx::query(
                "INSERT INTO library_settings (name, value) VALUES (?, ?)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .bind(name)
            .bind(v)
            .execute(&mut *conn)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM library_settings WHERE name = ?")
                .bind(name)
                .execute(&mut *conn)
                .await?
        }
    };
    Ok(())
}

/// The configured time stamping authority, if any.
pub async fn tsa_url(conn: &mut SqliteConnection) -> Result<Option<String>> {
    get(conn, TSA_URL).await
}

/// Whether new captures are queued for their own timestamps.
pub async fn timestamp_captures(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(get(conn, TIMESTAMP_CAPTURES).await?.as_deref() == Some("on"))
}

/// Turns per-capture timestamps on or off (off by default). Captures made
/// while it is off are not stamped later.
pub async fn set_timestamp_captures(conn: &mut SqliteConnection, on: bool) -> Result<()> {
    set(conn, TIMESTAMP_CAPTURES, on.then_some("on")).await
}

/// Sets (or, with `None`, clears) the time stamping authority. Only an
/// absolute http(s) URL is kept: RFC 3161's HTTP transport.
pub async fn set_tsa_url(conn: &mut SqliteConnection, url: Option<&str>) -> Result<()> {
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
    set(conn, TSA_URL, url.as_deref()).await
}

/// Whether watching is paused.
pub async fn watch_paused(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(get(conn, WATCH_PAUSED).await?.as_deref() == Some("on"))
}

/// Pauses or resumes watching.
pub async fn set_watch_paused(conn: &mut SqliteConnection, paused: bool) -> Result<()> {
    set(conn, WATCH_PAUSED, paused.then_some("on")).await
}

/// The library's per-site gap, if the reporter set one.
pub async fn host_gap(conn: &mut SqliteConnection) -> Result<Option<std::time::Duration>> {
    Ok(get(conn, HOST_GAP_MS)
        .await?
        .and_then(|v| v.parse::<u64>().ok())
        .map(std::time::Duration::from_millis))
}

/// Sets (or, with `None`, clears) the per-site gap; below [`MIN_HOST_GAP`] is refused.
pub async fn set_host_gap(
    conn: &mut SqliteConnection,
    gap: Option<std::time::Duration>,
) -> Result<()> {
    if let Some(g) = gap {
        if g < MIN_HOST_GAP {
            return Err(Error::Invalid(format!(
                "a site is asked at most once a second: {:.1} s is too short a gap",
                g.as_secs_f64()
            )));
        }
    }
    let value = gap.map(|g| g.as_millis().to_string());
    set(conn, HOST_GAP_MS, value.as_deref()).await
}

/// The alert kinds whose desktop notifications the reporter switched off,
/// comma-separated (see [`crate::alerts`], which owns the kinds); None
/// until the reporter first chooses, so the defaults can still evolve.
const NOTIFY_OFF: &str = "notify_off";

pub async fn notify_off(conn: &mut SqliteConnection) -> Result<Option<String>> {
    get(conn, NOTIFY_OFF).await
}

pub async fn set_notify_off(conn: &mut SqliteConnection, kinds: &str) -> Result<()> {
    set(conn, NOTIFY_OFF, Some(kinds)).await
}

/// Closing the app's window keeps Redline in the tray while watching is on
/// ("on" unless the reporter turned it off; see
/// [`crate::notebook::CloseAction`]).
const CLOSE_TO_TRAY: &str = "close_to_tray";

pub async fn close_to_tray(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(get(conn, CLOSE_TO_TRAY).await?.as_deref() != Some("off"))
}

pub async fn set_close_to_tray(conn: &mut SqliteConnection, on: bool) -> Result<()> {
    set(conn, CLOSE_TO_TRAY, (!on).then_some("off")).await
}
