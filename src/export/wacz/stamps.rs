//! Per-capture trusted timestamps (issue 14.3): the queue the capture
//! trigger fills while the library's `timestamp_captures` setting is on,
//! the tokens the TSA returned, and the token an export carries beside
//! each capture (a `metadata` record concurrent to it, whose block is the
//! whole TimeStampResp; `redline verify` checks its imprint against that
//! record's payload digest).

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::error::Result;

/// The content type of a token's record in the WARC (RFC 3161 §4).
pub const TOKEN_TYPE: &str = "application/timestamp-reply";

/// What one round of stamping did.
#[derive(Clone, Debug, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StampReport {
    /// The TSA asked (None: no TSA is set, nothing was asked).
    pub tsa: Option<String>,
    /// Captures that got their token in this round.
    pub stamped: u32,
    /// Captures whose request failed (recorded; asked again next round).
    pub failed: u32,
    /// Captures still waiting for a token after this round.
    pub pending: u32,
    /// The first failure's reason, when one failed.
    pub error: Option<String>,
}

/// Captures waiting for a token, after `after` (by id), with their raw
/// SHA-256 (hex), at most `limit`.
pub async fn pending(
    conn: &mut SqliteConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.capture_id, COALESCE(k.raw_sha256, b.sha256) \
         FROM capture_timestamps t JOIN captures k ON k.id = t.capture_id \
         LEFT JOIN blobs b ON b.id = k.blob_id \
         WHERE t.token IS NULL AND t.capture_id > ? ORDER BY t.capture_id LIMIT ?",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Where trusted timestamps stand in this library, for the app's settings.
#[derive(Clone, Debug, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StampStatus {
    /// The RFC 3161 authority exports (and captures) are stamped by.
    pub tsa: Option<String>,
    /// Each new capture is queued for its own token.
    pub timestamp_captures: bool,
    /// Captures waiting for a token.
    pub waiting: u32,
    /// Why the latest attempt for a waiting capture failed, if it did.
    pub last_error: Option<String>,
}

/// The most recent failure among the captures still waiting.
pub async fn last_error(conn: &mut SqliteConnection) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT last_error FROM capture_timestamps \
         WHERE token IS NULL AND last_error IS NOT NULL \
         ORDER BY last_attempt_at DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?)
}

/// How many captures wait for a token.
pub async fn pending_count(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM capture_timestamps WHERE token IS NULL")
            .fetch_one(conn)
            .await?,
    )
}

/// Stores the token a capture got.
pub async fn record_token(
    conn: &mut SqliteConnection,
    capture_id: i64,
    token: &[u8],
    stamped_at: &str,
    tsa: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE capture_timestamps SET token = ?, stamped_at = ?, tsa = ?, \
         attempts = attempts + 1, last_error = NULL, last_attempt_at = ? WHERE capture_id = ?",
    )
    .bind(token)
    .bind(stamped_at)
    .bind(tsa)
    .bind(now)
    .bind(capture_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed request for a capture's token (it stays pending).
pub async fn record_failure(
    conn: &mut SqliteConnection,
    capture_id: i64,
    error: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE capture_timestamps SET attempts = attempts + 1, last_error = ?, \
         last_attempt_at = ? WHERE capture_id = ?",
    )
    .bind(error)
    .bind(now)
    .bind(capture_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A capture's token, when it has one.
pub async fn token_of(conn: &mut SqliteConnection, capture_id: i64) -> Result<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "SELECT token FROM capture_timestamps WHERE capture_id = ? AND token IS NOT NULL",
    )
    .bind(capture_id)
    .fetch_optional(conn)
    .await?)
}

/// The bytes of a hex digest (None when it is not hex).
pub fn unhex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}
