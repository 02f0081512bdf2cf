//! Raw bytes stored once per SHA-256 (issue 16.3): the `blobs` table. A
//! capture points at its blob; byte-identical captures share one. A new
//! page of a source already holding bytes is tried as a zstd delta against
//! that source's latest full blob (the same template, a changed story), and
//! kept as a delta when that is clearly smaller. Deltas are one level deep:
//! a base is always a full blob, so a read decompresses at most twice.

use std::io::Read;

use sqlx::SqliteConnection;

use crate::error::{Error, Result};

/// zstd level of stored bytes. On 41 generated 17 KB news pages
/// (`zstd -b3 -e19`): level 9 is 3.4 % smaller than 3 but 4× slower (28 vs
/// 121 MB/s, +0.45 ms a page), level 19 5.5 % at 2.8 MB/s: not worth a
/// batch import's time, where deltas save far more.
pub const LEVEL: i32 = 3;

/// A delta is kept only when it is at most this fraction of the full frame:
/// otherwise the page is a different one and the full frame is a better base
/// for the pages after it.
const DELTA_KEEP: f64 = 0.5;

/// The first bytes of a zstd dictionary: bytes starting so cannot serve as a
/// raw-content dictionary.
const DICT_MAGIC: [u8; 4] = [0x37, 0xA4, 0x30, 0xEC];

fn invalid(what: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("stored raw bytes: {what}"))
}

/// Raw bytes' SHA-256 and full zstd frame, made away from the library's
/// writer (a batch import makes them on the cores that extract): what
/// [`store`] would otherwise compute in the transaction.
#[derive(Clone, Debug)]
pub struct Packed {
    pub sha256: String,
    /// Length of the raw bytes packed, checked against those stored.
    size: usize,
    full: Vec<u8>,
}

/// Packs `raw` for [`store_packed`].
pub fn pack(raw: &[u8]) -> Result<Packed> {
    pack_hashed(raw, crate::hash::sha256_hex(raw))
}

/// [`pack`] of bytes whose SHA-256 (hex) the caller already has.
pub fn pack_hashed(raw: &[u8], sha256: String) -> Result<Packed> {
    // Blobs are addressed by this hash: every debug-build test that imports
    // checks the caller's claim.
    debug_assert_eq!(
        sha256,
        crate::hash::sha256_hex(raw),
        "packed under another hash"
    );
    Ok(Packed {
        sha256,
        size: raw.len(),
        full: compress(raw)?,
    })
}

/// A full frame of `raw`. Each thread keeps its compression context: an
/// import packs a page per item on each core that reads, and making the
/// context (its tables sized for the level) cost about as much as a small
/// page's compression.
fn compress(raw: &[u8]) -> Result<Vec<u8>> {
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    CONTEXT.with(|context| {
        let mut context = context.borrow_mut();
        let compressor = match context.as_mut() {
            Some(c) => c,
            None => context.insert(zstd::bulk::Compressor::new(LEVEL).map_err(invalid)?),
        };
        compressor.compress(raw).map_err(invalid)
    })
}

/// The id of the blob holding `raw` (SHA-256 `sha256`), storing it if no
/// blob has those bytes yet. `source_id` picks the base a delta is tried
/// against.
pub async fn store(
    conn: &mut SqliteConnection,
    source_id: i64,
    raw: &[u8],
    sha256: &str,
) -> Result<i64> {
    store_full(conn, source_id, raw, sha256, None).await
}

/// [`store`] of bytes packed ahead ([`pack`] of these same `raw` bytes).
pub async fn store_packed(
    conn: &mut SqliteConnection,
    source_id: i64,
    raw: &[u8],
    packed: Packed,
) -> Result<i64> {
    if packed.size != raw.len() {
        return Err(invalid("packed ahead from other bytes"));
    }
    let sha256 = packed.sha256;
    store_full(conn, source_id, raw, &sha256, Some(packed.full)).await
}

/// [`store`], with the full frame when already made.
async fn store_full(
    conn: &mut SqliteConnection,
    source_id: i64,
    raw: &[u8],
    sha256: &str,
    full: Option<Vec<u8>>,
) -> Result<i64> {
    // Whether these bytes are stored, and the full blob the source's latest
    // bytes are (or are a delta of): one statement, since each is a round
    // trip to SQLite's thread, which costs more than either lookup.
    let (known, base): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT id FROM blobs WHERE sha256 = ?), \
                (SELECT COALESCE(b.base_id, b.id) FROM captures k JOIN blobs b ON b.id = k.blob_id \
                 WHERE k.source_id = ? ORDER BY k.id DESC LIMIT 1)",
    )
    .bind(sha256)
    .bind(source_id)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(id) = known {
        return Ok(id);
    }
    let full = match full {
        Some(f) => f,
        None => compress(raw)?,
    };
    let mut stored = (full, None);
    if let Some(base) = base {
        let base_raw = read(conn, base).await?;
        if !base_raw.starts_with(&DICT_MAGIC) {
            let delta = zstd::bulk::Compressor::with_dictionary(LEVEL, &base_raw)
                .and_then(|mut c| c.compress(raw))
                .map_err(invalid)?;
            if (delta.len() as f64) <= stored.0.len() as f64 * DELTA_KEEP {
                stored = (delta, Some(base));
            }
        }
    }
    let id = sqlx::query("INSERT INTO blobs (sha256, size, zstd, base_id) VALUES (?, ?, ?, ?)")
        .bind(sha256)
        .bind(raw.len() as i64)
        .bind(stored.0)
        .bind(stored.1)
        .execute(conn)
        .await?
        .last_insert_rowid();
    Ok(id)
}

/// The bytes of blob `id`.
pub async fn read(conn: &mut SqliteConnection, id: i64) -> Result<Vec<u8>> {
    let (zstd, size, base): (Vec<u8>, i64, Option<i64>) =
        sqlx::query_as("SELECT zstd, size, base_id FROM blobs WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| Error::not_found("blob", id))?;
    let dict = match base {
        None => None,
        Some(base) => {
            let (zstd, size, deeper): (Vec<u8>, i64, Option<i64>) =
                sqlx::query_as("SELECT zstd, size, base_id FROM blobs WHERE id = ?")
                    .bind(base)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| Error::not_found("blob", base))?;
            if deeper.is_some() {
                return Err(invalid(format!("blob {id}: its base {base} is a delta")));
            }
            Some(inflate(&zstd, None, size)?)
        }
    };
    inflate(&zstd, dict.as_deref(), size)
}

/// Decompresses a stored frame, reading at most one byte past `size` so a
/// damaged or forged frame cannot inflate without limit; the caller checks
/// the length and hash it needs.
pub fn inflate(zstd: &[u8], dict: Option<&[u8]>, size: i64) -> Result<Vec<u8>> {
    let limit = size.max(0) as u64 + 1;
    let mut out = Vec::with_capacity(size.clamp(0, 1 << 20) as usize);
    match dict {
        None => {
            zstd::stream::read::Decoder::new(zstd).and_then(|d| d.take(limit).read_to_end(&mut out))
        }
        Some(dict) => zstd::stream::read::Decoder::with_dictionary(zstd, dict)
            .and_then(|d| d.take(limit).read_to_end(&mut out)),
    }
    .map_err(invalid)?;
    Ok(out)
}
