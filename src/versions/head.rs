//! The HTTP heads kept beside fetch captures (`http_heads`), for the WARC
//! export (issue 14): stored once per content, and, since every answer of a
//! site carries a new `Date`, as a small zstd delta on an earlier head of
//! the same source (issue 16.3: an unchanged re-check costs at most 300 B).
//!
//! Two layouts are read: rows from before `20261207020001_head_deltas.sql`
//! (64-hex key, the head whole) and newer ones (a short BLOB key, the head
//! whole or a delta on `base_id`). A base is always a whole head, so a read
//! decompresses at most once.

use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::error::{Error, Result};
use crate::fetch::HEAD_MAX;

/// Which head of an exchange: a request's base is an earlier request, a
/// response's an earlier response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// zstd level of a delta: heads are a few hundred bytes, so the slowest
/// level costs microseconds and saves a few bytes on every re-check.
const LEVEL: i32 = 19;

/// A delta is kept only when it is at most this fraction of the head;
/// otherwise the head is stored whole and becomes the base of the heads
/// after it. Tight, because a head is re-based once and then saves on every
/// check: the first 304 after a 200 differs in its status line and length
/// (a quarter of the head) and, kept whole, makes the next 304s' deltas a
/// third smaller (37 vs 56 B, `examples/storage_library.rs`).
const DELTA_KEEP: usize = 5;

/// Bytes of the SHA-256 a new head is keyed by. The key only finds
/// candidates (a match is confirmed against the bytes), and it is stored
/// twice per head (row and unique index), so 4 bytes: a clash, about one
/// in 2^32 per pair of heads, keys that head by all 32.
const KEY_BYTES: usize = 4;

/// The 4 bytes every zstd frame starts with; a stored delta leaves them
/// out (4 B of every re-check) and a read puts them back.
const FRAME_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

fn invalid(what: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("stored HTTP head: {what}"))
}

/// The id of the head holding exactly `head`, storing it if none does:
/// whole, or as a delta on the latest head of the same `side` of
/// `source_id`'s captures when that is clearly smaller.
pub async fn store(
    conn: &mut SqliteConnection,
    source_id: i64,
    side: Side,
    head: &[u8],
) -> Result<i64> {
    let digest = Sha256::digest(head);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let (short, full) = (&digest[..KEY_BYTES], &digest[..]);
    let candidates: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM http_heads WHERE sha256 IN (?, ?, ?)")
            .bind(&hex)
            .bind(short)
            .bind(full)
            .fetch_all(&mut *conn)
            .await?;
    for &id in &candidates {
        if read(conn, id).await? == head {
            return Ok(id);
        }
    }
    // Another head has the same short key: this one is keyed by all 32 bytes.
    let key = if candidates.is_empty() { short } else { full };
    let mut stored: (Vec<u8>, Option<i64>) = (head.to_vec(), None);
    if let Some(base) = delta_base(conn, source_id, side).await? {
        let base_head = read(conn, base).await?;
        let delta = zstd::bulk::Compressor::with_dictionary(LEVEL, &base_head)
            .and_then(|mut c| {
                use zstd::zstd_safe::CParameter;
                c.set_parameter(CParameter::ContentSizeFlag(false))?;
                c.set_parameter(CParameter::DictIdFlag(false))?;
                c.compress(head)
            })
            .map_err(invalid)?;
        if let Some(delta) = delta.strip_prefix(&FRAME_MAGIC) {
            if delta.len() * DELTA_KEEP <= head.len() {
                stored = (delta.to_vec(), Some(base));
            }
        }
    }
    Ok(
        sqlx::query("INSERT INTO http_heads (sha256, head, base_id) VALUES (?, ?, ?)")
            .bind(key)
            .bind(stored.0)
            .bind(stored.1)
            .execute(conn)
            .await?
            .last_insert_rowid(),
    )
}

/// The whole head the source's latest head on `side` is (or is a delta of).
async fn delta_base(
    conn: &mut SqliteConnection,
    source_id: i64,
    side: Side,
) -> Result<Option<i64>> {
    let column = match side {
        Side::Request => "request_id",
        Side::Response => "response_id",
    };
    Ok(sqlx::query_scalar(&format!(
        "SELECT COALESCE(h.base_id, h.id) FROM captures k \
         JOIN capture_heads x ON x.capture_id = k.id JOIN http_heads h ON h.id = x.{column} \
         WHERE k.source_id = ? ORDER BY k.captured_at DESC, k.id DESC LIMIT 1"
    ))
    .bind(source_id)
    .fetch_optional(conn)
    .await?)
}

/// The bytes of head `id`, whichever layout stored it.
pub async fn read(conn: &mut SqliteConnection, id: i64) -> Result<Vec<u8>> {
    let (head, base) = row(conn, id).await?;
    let Some(base) = base else {
        return Ok(head);
    };
    let (dict, deeper) = row(conn, base).await?;
    if deeper.is_some() {
        return Err(invalid(format!("head {id}: its base {base} is a delta")));
    }
    let mut frame = Vec::with_capacity(FRAME_MAGIC.len() + head.len());
    frame.extend_from_slice(&FRAME_MAGIC);
    frame.extend_from_slice(&head);
    zstd::bulk::Decompressor::with_dictionary(&dict)
        .and_then(|mut d| d.decompress(&frame, HEAD_MAX))
        .map_err(invalid)
}

async fn row(conn: &mut SqliteConnection, id: i64) -> Result<(Vec<u8>, Option<i64>)> {
    sqlx::query_as("SELECT head, base_id FROM http_heads WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("HTTP head", id))
}
