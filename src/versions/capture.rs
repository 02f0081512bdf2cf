//! Captures: every attempt to read a source (fetch, file, paste), kept as
//! evidence with its raw bytes compressed, whether or not it made a version.

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use super::get_version;
use super::head::Side;
use crate::error::{Error, Result};

/// How a capture reached the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CaptureMethod {
    Fetch,
    File,
    Paste,
    Browser,
    Feed,
}

impl CaptureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMethod::Fetch => "fetch",
            CaptureMethod::File => "file",
            CaptureMethod::Paste => "paste",
            CaptureMethod::Browser => "browser",
            CaptureMethod::Feed => "feed",
        }
    }
}

/// What a capture attempt led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CaptureOutcome {
    /// The text or title changed (or it is the first capture): a version was made.
    NewVersion,
    /// Fetched, but the normalised text and title equal the latest version.
    Unchanged,
    /// The server answered 304 Not Modified, or (a site that ignores
    /// conditional GET) a HEAD showed the validators of the page last served.
    NotModified,
    /// Nothing usable was received; no version was touched.
    Failed,
}

impl CaptureOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureOutcome::NewVersion => "new_version",
            CaptureOutcome::Unchanged => "unchanged",
            CaptureOutcome::NotModified => "not_modified",
            CaptureOutcome::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "new_version" => CaptureOutcome::NewVersion,
            "unchanged" => CaptureOutcome::Unchanged,
            "not_modified" => CaptureOutcome::NotModified,
            _ => CaptureOutcome::Failed,
        }
    }
}

/// The facts of one capture attempt, before it is stored.
#[derive(Clone, Debug, Default)]
pub struct CaptureRecord {
    pub method: Option<CaptureMethod>,
    pub requested_url: Option<String>,
    pub final_url: Option<String>,
    pub canonical_url: Option<String>,
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub charset: Option<String>,
    /// The bytes as served; kept compressed as evidence.
    pub raw: Option<Vec<u8>>,
    /// The HTTP request and response heads of a fetch (see
    /// [`crate::fetch::HttpHeads`]), kept beside the capture.
    pub heads: Option<crate::fetch::HttpHeads>,
}

/// One stored capture attempt (without its raw bytes; see [`capture_raw`]).
#[derive(Clone, Debug, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Capture {
    pub id: i64,
    pub source_id: i64,
    pub captured_at: String,
    pub method: String,
    pub requested_url: Option<String>,
    pub final_url: Option<String>,
    pub canonical_url: Option<String>,
    pub http_status: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub charset: Option<String>,
    pub raw_size: Option<i64>,
    pub raw_sha256: Option<String>,
    pub outcome: String,
    pub error: Option<String>,
    pub version_id: Option<i64>,
    /// The team member who made it, for a capture that came by team sync
    /// (None: made on this desk).
    pub captured_by: Option<String>,
}

impl Capture {
    pub fn outcome(&self) -> CaptureOutcome {
        CaptureOutcome::parse(&self.outcome)
    }
}

/// Select list for [`Capture`] over `captures k LEFT JOIN blobs b` ([`CAPTURE_FROM`]):
/// size and hash are the capture's own (rows from before the `blobs` table)
/// or its blob's.
const CAPTURE_COLUMNS: &str = concat!(
    "k.id, k.source_id, k.captured_at, k.method, k.requested_url, ",
    "CASE k.final_url WHEN '=' THEN k.requested_url ELSE k.final_url END AS final_url, ",
    "CASE k.canonical_url WHEN '=' THEN ",
    "CASE k.final_url WHEN '=' THEN k.requested_url ELSE k.final_url END ",
    "ELSE k.canonical_url END AS canonical_url, ",
    "k.http_status, k.etag, k.last_modified, k.content_type, k.charset, ",
    "COALESCE(k.raw_size, b.size) AS raw_size, ",
    "COALESCE(k.raw_sha256, b.sha256) AS raw_sha256, k.outcome, k.error, k.version_id, ",
    "(SELECT t.author FROM team_objects t WHERE t.kind = 'capture' AND t.local_id = k.id) ",
    "AS captured_by"
);

/// A capture's final URL as stored: `=` when it is the requested URL (no
/// redirect, the usual case), so a re-check does not store the address
/// again. No URL is `=`. The canonical URL likewise, `=` for the final URL.
/// [`CAPTURE_COLUMNS`] reads them back (`captures k`).
fn same_or<'a>(url: &'a Option<String>, like: &Option<String>) -> Option<&'a str> {
    match url {
        Some(u) if Some(u) == like.as_ref() => Some("="),
        u => u.as_deref(),
    }
}

/// The captures with their blobs, for [`CAPTURE_COLUMNS`].
pub const CAPTURE_FROM: &str = "captures k LEFT JOIN blobs b ON b.id = k.blob_id";

/// Every source's URL key with the raw SHA-256 of each of its captures
/// (`None` for a source with no capture): what a batch import checks, once,
/// to skip bytes the library already holds. The hash is read through
/// [`CAPTURE_COLUMNS`], the one place that knows it is the capture's own or
/// its blob's.
pub async fn raw_hashes_by_url_key(
    conn: &mut SqliteConnection,
) -> Result<Vec<(String, Option<String>)>> {
    let sql = format!(
        "SELECT s.url_key, c.raw_sha256 FROM sources s \
         LEFT JOIN (SELECT {CAPTURE_COLUMNS} FROM {CAPTURE_FROM}) c ON c.source_id = s.id \
         WHERE s.url_key IS NOT NULL"
    );
    Ok(sqlx::query_as(&sql).fetch_all(conn).await?)
}

/// The sources with a capture of the bytes whose SHA-256 (hex) is `sha`:
/// where an archive's revisit of those bytes may belong.
pub async fn sources_holding(conn: &mut SqliteConnection, sha: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT k.source_id FROM captures k JOIN blobs b ON b.id = k.blob_id \
         WHERE b.sha256 = ?1 \
         UNION SELECT DISTINCT source_id FROM captures WHERE raw_sha256 = ?1",
    )
    .bind(sha)
    .fetch_all(conn)
    .await?)
}

/// Records one capture attempt; its raw bytes go to their blob (stored once
/// per SHA-256, see [`super::blob`]), so a re-check that received the same
/// bytes adds only this row.
pub async fn insert_capture(
    conn: &mut SqliteConnection,
    source_id: i64,
    record: &CaptureRecord,
    outcome: CaptureOutcome,
    error: Option<&str>,
    version_id: Option<i64>,
    now: &str,
) -> Result<Capture> {
    let id = insert_packed_capture(
        conn, source_id, record, outcome, error, version_id, now, None,
    )
    .await?;
    get_capture(conn, id).await
}

/// [`insert_capture`] with the raw bytes packed ahead ([`super::blob::pack`]
/// of `record.raw`); None packs them here. Returns the capture's id only:
/// the clip path needs no more, and reading the row back is a round trip.
#[allow(clippy::too_many_arguments)]
pub async fn insert_packed_capture(
    conn: &mut SqliteConnection,
    source_id: i64,
    record: &CaptureRecord,
    outcome: CaptureOutcome,
    error: Option<&str>,
    version_id: Option<i64>,
    now: &str,
    packed: Option<super::blob::Packed>,
) -> Result<i64> {
    let blob_id = match (&record.raw, packed) {
        (Some(raw), Some(packed)) => {
            Some(super::blob::store_packed(conn, source_id, raw, packed).await?)
        }
        (Some(raw), None) => {
            let sha = crate::hash::sha256_hex(raw);
            Some(super::blob::store(conn, source_id, raw, &sha).await?)
        }
        (None, _) => None,
    };
    let id = sqlx::query(
        "INSERT INTO captures (source_id, captured_at, method, requested_url, final_url, \
            canonical_url, http_status, etag, last_modified, content_type, charset, blob_id, \
            outcome, error, version_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(source_id)
    .bind(now)
    .bind(record.method.unwrap_or(CaptureMethod::Fetch).as_str())
    .bind(&record.requested_url)
    .bind(same_or(&record.final_url, &record.requested_url))
    .bind(same_or(&record.canonical_url, &record.final_url))
    .bind(record.http_status.map(i64::from))
    .bind(&record.etag)
    .bind(&record.last_modified)
    .bind(&record.content_type)
    .bind(&record.charset)
    .bind(blob_id)
    .bind(outcome.as_str())
    .bind(error)
    .bind(version_id)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    if let Some(heads) = &record.heads {
        let request = super::head::store(conn, source_id, Side::Request, &heads.request).await?;
        let response = super::head::store(conn, source_id, Side::Response, &heads.response).await?;
        sqlx::query(
            "INSERT INTO capture_heads (capture_id, request_id, response_id) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(request)
        .bind(response)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The HTTP heads recorded with a capture; None for captures that have
/// none (not fetched, or stored before heads were kept).
pub async fn capture_heads(
    conn: &mut SqliteConnection,
    capture_id: i64,
) -> Result<Option<crate::fetch::HttpHeads>> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT request_id, response_id FROM capture_heads WHERE capture_id = ?")
            .bind(capture_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((request, response)) = row else {
        return Ok(None);
    };
    Ok(Some(crate::fetch::HttpHeads {
        request: super::head::read(conn, request).await?,
        response: super::head::read(conn, response).await?,
    }))
}

/// One capture by id.
pub async fn get_capture(conn: &mut SqliteConnection, capture_id: i64) -> Result<Capture> {
    let sql = format!("SELECT {CAPTURE_COLUMNS} FROM {CAPTURE_FROM} WHERE k.id = ?");
    sqlx::query_as(&sql)
        .bind(capture_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("capture", capture_id))
}

/// Who sent a browser capture: the browser and the extension, as they
/// reported themselves, the tab title and the browser's own capture time.
/// Evidence beside the capture row; nothing is filed by it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BrowserProvenance {
    pub browser: String,
    pub browser_version: String,
    pub extension_version: String,
    pub tab_title: String,
    /// RFC 3339, by the browser's clock.
    pub rendered_at: String,
}

/// Records who sent capture `capture_id` (in the transaction that stored it).
pub async fn insert_browser_provenance(
    conn: &mut SqliteConnection,
    capture_id: i64,
    p: &BrowserProvenance,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO browser_captures (capture_id, browser, browser_version, \
            extension_version, tab_title, rendered_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(capture_id)
    .bind(&p.browser)
    .bind(&p.browser_version)
    .bind(&p.extension_version)
    .bind(&p.tab_title)
    .bind(&p.rendered_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Who sent a capture, if the browser extension did.
pub async fn browser_provenance(
    conn: &mut SqliteConnection,
    capture_id: i64,
) -> Result<Option<BrowserProvenance>> {
    Ok(sqlx::query_as(
        "SELECT browser, browser_version, extension_version, tab_title, rendered_at \
         FROM browser_captures WHERE capture_id = ?",
    )
    .bind(capture_id)
    .fetch_optional(conn)
    .await?)
}

/// Every capture attempt of a source, oldest first: the source's timeline.
pub async fn list_captures(conn: &mut SqliteConnection, source_id: i64) -> Result<Vec<Capture>> {
    let sql = format!(
        "SELECT {CAPTURE_COLUMNS} FROM {CAPTURE_FROM} WHERE k.source_id = ? \
         ORDER BY k.captured_at, k.id"
    );
    Ok(sqlx::query_as(&sql).bind(source_id).fetch_all(conn).await?)
}

/// The latest capture of `this` one's source before it that got an answer
/// (a status, or a final address from a browser): what a check compares
/// with to tell a new redirect or a newly gone page from a repeated one.
pub async fn last_answer_before(
    conn: &mut SqliteConnection,
    this: &Capture,
) -> Result<Option<Capture>> {
    let sql = format!(
        "SELECT {CAPTURE_COLUMNS} FROM {CAPTURE_FROM} WHERE k.source_id = ? \
         AND (k.captured_at, k.id) < (?, ?) \
         AND (k.http_status IS NOT NULL OR k.final_url IS NOT NULL) \
         ORDER BY k.captured_at DESC, k.id DESC LIMIT 1"
    );
    Ok(sqlx::query_as(&sql)
        .bind(this.source_id)
        .bind(&this.captured_at)
        .bind(this.id)
        .fetch_optional(conn)
        .await?)
}

/// The raw bytes of a capture, decompressed.
pub async fn capture_raw(conn: &mut SqliteConnection, capture_id: i64) -> Result<Option<Vec<u8>>> {
    /// The capture's own compressed bytes (old rows), their size, its blob.
    type Row = (Option<Vec<u8>>, Option<i64>, Option<i64>);
    let row: Option<Row> =
        sqlx::query_as("SELECT raw_zstd, raw_size, blob_id FROM captures WHERE id = ?")
            .bind(capture_id)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => Err(Error::not_found("capture", capture_id)),
        // A row from before the blobs table, not yet moved.
        Some((Some(z), size, _)) => Ok(Some(super::blob::inflate(
            &z,
            None,
            size.unwrap_or(i64::MAX - 1),
        )?)),
        Some((None, _, Some(blob))) => Ok(Some(super::blob::read(conn, blob).await?)),
        Some((None, _, None)) => Ok(None),
    }
}

/// The validators (ETag, Last-Modified) of the newest successful capture, for a
/// conditional re-check.
pub async fn last_validators(
    conn: &mut SqliteConnection,
    source_id: i64,
) -> Result<(Option<String>, Option<String>)> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT etag, last_modified FROM captures \
         WHERE source_id = ? AND outcome IN ('new_version', 'unchanged') \
         ORDER BY captured_at DESC, id DESC LIMIT 1",
    )
    .bind(source_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.unwrap_or((None, None)))
}

/// What a HEAD must show for a re-check to skip the download: the site
/// answered our last conditional GET with the whole page under the same
/// validators (it ignores If-None-Match / If-Modified-Since), so asking for
/// headers first is the only way to spare both sides the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadExpectation {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Size of the bytes last served.
    pub raw_size: Option<i64>,
}

impl HeadExpectation {
    /// The HEAD's answer matches the page last served: a 2xx with the same
    /// ETag, or the same Last-Modified; a plain Content-Length that differs
    /// vetoes either. Length alone is never enough (an edited figure keeps
    /// the length).
    pub fn matches(&self, head: &crate::fetch::Head) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        let length_differs = match (head.content_length, self.raw_size, head.encoded) {
            (Some(n), Some(size), false) => n as i64 != size,
            _ => false,
        };
        (200..300).contains(&head.status)
            && (same(&head.etag, &self.etag) || same(&head.last_modified, &self.last_modified))
            && !length_differs
    }
}

/// [`HeadExpectation`] for a source whose site ignores conditional GET (its
/// latest fetched capture was `unchanged` under the validators of the one
/// before), else None.
pub async fn head_expectation(
    conn: &mut SqliteConnection,
    source_id: i64,
) -> Result<Option<HeadExpectation>> {
    type Row = (String, Option<String>, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT k.outcome, k.etag, k.last_modified, COALESCE(k.raw_size, b.size) \
         FROM {CAPTURE_FROM} WHERE k.source_id = ? AND k.method = 'fetch' \
           AND k.outcome IN ('new_version', 'unchanged') \
         ORDER BY k.captured_at DESC, k.id DESC LIMIT 2"
    ))
    .bind(source_id)
    .fetch_all(conn)
    .await?;
    let [(outcome, etag, last_modified, raw_size), (_, prev_etag, prev_lm, _)] = &rows[..] else {
        return Ok(None);
    };
    let kept = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    let ignored = outcome == "unchanged" && (kept(etag, prev_etag) || kept(last_modified, prev_lm));
    Ok(ignored.then(|| HeadExpectation {
        etag: etag.clone(),
        last_modified: last_modified.clone(),
        raw_size: *raw_size,
    }))
}

/// The URL to re-fetch a source from: the last requested URL that worked, else the source URL.
pub async fn fetch_url(conn: &mut SqliteConnection, source_id: i64) -> Result<Option<String>> {
    let url: Option<Option<String>> = sqlx::query_scalar(
        "SELECT COALESCE(k.requested_url, s.url) FROM sources s \
         LEFT JOIN captures k ON k.source_id = s.id AND k.requested_url IS NOT NULL \
         WHERE s.id = ? ORDER BY k.id DESC LIMIT 1",
    )
    .bind(source_id)
    .fetch_optional(conn)
    .await?;
    match url {
        None => Err(Error::not_found("source", source_id)),
        Some(u) => Ok(u),
    }
}

/// The capture a version was made from: the first that stored it, with its
/// raw bytes.
pub async fn origin_capture(
    conn: &mut SqliteConnection,
    version_id: i64,
) -> Result<Option<Capture>> {
    let sql = format!(
        "SELECT {CAPTURE_COLUMNS} FROM {CAPTURE_FROM} \
         WHERE k.version_id = ? AND k.outcome = 'new_version' \
           AND (k.raw_zstd IS NOT NULL OR k.blob_id IS NOT NULL) \
         ORDER BY k.id LIMIT 1"
    );
    Ok(sqlx::query_as(&sql)
        .bind(version_id)
        .fetch_optional(conn)
        .await?)
}

/// Most bytes of a capture's text [`captured_page`] returns: enough for any
/// article page, and a bound on what the reader is handed.
pub const CAPTURED_TEXT_MAX: usize = 1 << 20;

/// A capture's raw bytes decoded to text, to show as text (never as HTML)
/// when the extraction may have missed the article.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CapturedPage {
    pub capture_id: i64,
    pub captured_at: String,
    pub content_type: Option<String>,
    /// The encoding the text was decoded in (as the clip decoded it).
    pub charset: Option<String>,
    /// Size of the raw bytes as served.
    pub raw_size: i64,
    /// The decoded page, markup and all, cut at [`CAPTURED_TEXT_MAX`] bytes.
    pub text: String,
    /// The text was cut.
    pub truncated: bool,
}

/// The page as captured for version `version_id`: the raw bytes of the
/// capture that made it, decoded in the charset the clip used. None when
/// that capture kept no bytes.
pub async fn captured_page(
    conn: &mut SqliteConnection,
    version_id: i64,
) -> Result<Option<CapturedPage>> {
    get_version(conn, version_id).await?;
    let Some(capture) = origin_capture(conn, version_id).await? else {
        return Ok(None);
    };
    let Some(raw) = capture_raw(conn, capture.id).await? else {
        return Ok(None);
    };
    let text = match capture
        .charset
        .as_deref()
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
    {
        Some(enc) => enc.decode(&raw).0.into_owned(),
        None => crate::charset::decode_html(&raw, capture.content_type.as_deref(), None).text,
    };
    let truncated = text.len() > CAPTURED_TEXT_MAX;
    let text = if truncated {
        let mut end = CAPTURED_TEXT_MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_string()
    } else {
        text
    };
    Ok(Some(CapturedPage {
        capture_id: capture.id,
        captured_at: capture.captured_at,
        content_type: capture.content_type,
        charset: capture.charset,
        raw_size: capture.raw_size.unwrap_or(raw.len() as i64),
        text,
        truncated,
    }))
}
