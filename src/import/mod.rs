//! Batch import: a folder of saved pages, a list of URLs, a browser's
//! bookmarks, or a WARC/WACZ archive, into the library in one run.
//!
//! What is read becomes captures and versions by the clip path's own rules
//! (charset, extraction, what is a new version); the import adds only the
//! batching — many items per transaction, which is what makes a thousand
//! pages take seconds rather than minutes — and the memory of what is
//! already in: an item whose address and raw bytes (SHA-256) the library
//! already holds is a duplicate, so an interrupted import is simply run
//! again. The use case is [`crate::Notebook::import`].

mod archive;
mod links;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

pub use links::{parse_bookmarks, parse_url_list, Link};

use crate::address;
use crate::clip::{self, Captured};
use crate::derived::{self, TextFormat};
use crate::error::{Error, Result};
use crate::fetch::Fetched;
use crate::versions::{self, CaptureMethod, CaptureOutcome, CaptureRecord};

pub(crate) use archive::read_archive;

/// Items stored per transaction: large enough that commits (and their
/// fsyncs) are a small part of the run, small enough that the app, writing
/// meanwhile, waits at most a fraction of a second.
pub const DEFAULT_BATCH: usize = 200;

/// What to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportFrom {
    /// Saved pages (`.html`, `.htm`), searched recursively.
    Folder(PathBuf),
    /// A text file of URLs, one per line, `#` comments.
    UrlList(PathBuf),
    /// A browser's bookmarks export (Netscape bookmark HTML).
    Bookmarks(PathBuf),
    /// A WARC (`.warc`, `.warc.gz`) or WACZ file.
    Archive(PathBuf),
}

impl ImportFrom {
    /// What `path` is: a folder, an archive (by extension), a bookmarks
    /// export (by its doctype), else a list of URLs.
    pub fn detect(path: &Path) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.is_dir() {
            return Ok(ImportFrom::Folder(path.to_path_buf()));
        }
        if archive::is_archive(path) {
            return Ok(ImportFrom::Archive(path.to_path_buf()));
        }
        let mut head = [0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        let head = String::from_utf8_lossy(&head[..n]).to_ascii_lowercase();
        if head.contains("netscape-bookmark-file") {
            Ok(ImportFrom::Bookmarks(path.to_path_buf()))
        } else if is_saved_page(path) {
            Err(Error::Invalid(format!(
                "{} is one page, not a list: clip it (redline clip FILE), or import its folder",
                path.display()
            )))
        } else {
            Ok(ImportFrom::UrlList(path.to_path_buf()))
        }
    }
}

/// How to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Put every imported source in this project (made if missing).
    pub project: Option<String>,
    /// Items per transaction (at least 1).
    pub batch: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            project: None,
            batch: DEFAULT_BATCH,
        }
    }
}

/// One item that could not be imported, and why.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFailure {
    /// The file, line, bookmark or archive record.
    pub item: String,
    /// The error's stable code (`fetch_timeout`, `invalid`, …).
    pub code: String,
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    /// Items stored as captures.
    pub imported: u32,
    /// Of those, how many made a new source, and a new version.
    pub new_sources: u32,
    pub new_versions: u32,
    /// Items the library already held (same address, same bytes).
    pub duplicates: u32,
    /// Of the captures, how many were archive `revisit` records: a time
    /// the page was seen unchanged, stored as an unchanged capture.
    pub unchanged: u32,
    /// Archive records that hold no page (an image, a redirect, a revisit
    /// of either).
    pub skipped: u32,
    /// Skipped records worth a word (a revisit of a page that was not
    /// imported), each also counted in `skipped`.
    pub skips: Vec<ImportFailure>,
    pub failed: Vec<ImportFailure>,
    /// Wall time of the whole import, in milliseconds.
    pub elapsed_ms: u64,
}

/// How far an import has got (after each batch).
#[derive(Clone, Debug, Default)]
pub struct ImportProgress {
    /// Items done (imported, duplicate, skipped or failed).
    pub done: u64,
    /// Items in all, when known before the end (not for archives).
    pub total: Option<u64>,
    pub imported: u32,
    pub duplicates: u32,
    pub failed: u32,
}

/// A page found in an archive record.
#[derive(Clone, Debug)]
pub(crate) struct ArchivedPage {
    pub origin: String,
    pub target: String,
    /// The record's `WARC-Date`, as the library stores times.
    pub captured_at: String,
    /// A `response` (an HTTP exchange) rather than a `resource`.
    pub response: bool,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The payload, de-chunked and decompressed.
    pub body: Vec<u8>,
    /// SHA-256 hex of `body`: what a revisit of this page names it by.
    pub raw_sha256: String,
}

/// A `revisit` record of an archive, resolved to the page it repeats
/// (read before it: captures of one address are read in time order).
#[derive(Clone, Debug)]
pub(crate) struct ArchivedRevisit {
    pub origin: String,
    pub target: String,
    /// The address and raw SHA-256 of the page repeated.
    pub original_target: String,
    pub original_sha256: String,
    /// The revisit's own `WARC-Date`, as the library stores times.
    pub captured_at: String,
    /// The server answered 304 (no body): stored as "not modified".
    pub not_modified: bool,
    /// What the revisit's HTTP head says, where it has one.
    pub status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
}

/// One thing to import, before it is read.
pub(crate) enum Item {
    File(PathBuf),
    Link(Link),
    Page(Box<ArchivedPage>),
    Revisit(Box<ArchivedRevisit>),
    /// Skipped, with a word for the report.
    Noted {
        origin: String,
        code: &'static str,
        reason: String,
    },
    /// Found broken while listing (an unreadable record, a bad URL).
    Failed {
        origin: String,
        code: &'static str,
        reason: String,
    },
    Skipped,
}

/// An item read and extracted, ready to store.
pub(crate) struct Prepared {
    pub captured: Captured,
    /// The capture time to record (an archive's); None: now.
    pub captured_at: Option<String>,
    /// SHA-256 hex of the raw bytes: with the keys, what makes a duplicate.
    pub raw_sha256: String,
    /// Tags to put on the source (bookmark folders).
    pub tags: Vec<String>,
}

/// What reading an item came to.
pub(crate) enum Outcome {
    Ready(Box<Prepared>),
    Duplicate,
    Skipped,
    /// Skipped, with a word for the report.
    Noted(ImportFailure),
    /// Stored as it comes, in the batch's transaction.
    Revisit(Box<ArchivedRevisit>),
    Failed(ImportFailure),
}

impl Outcome {
    pub fn failed(item: impl Into<String>, e: &Error) -> Self {
        Outcome::Failed(ImportFailure {
            item: item.into(),
            code: e.code().to_string(),
            reason: e.to_string(),
        })
    }

    /// An item read and ready to store, with what its storing would
    /// otherwise compute in the one writer (its stem entry, its raw bytes'
    /// hash and compressed frame) made here, on the core that read it.
    fn ready(mut p: Prepared, known: &Known) -> Self {
        p.captured.derived.make_ahead(known.stems);
        if let Some(raw) = &p.captured.record.raw {
            // Unpacked, the writer packs them itself.
            p.captured.packed = versions::blob::pack_hashed(raw, p.raw_sha256.clone()).ok();
        }
        Outcome::Ready(Box::new(p))
    }
}

/// What the library already holds: (source key, raw SHA-256) of every
/// capture with bytes, and every source key. Loaded once per import (one
/// scan), then kept up to date as items are stored. Shared between the
/// batch being read and the one being stored, each holding the lock only
/// for a lookup.
#[derive(Default)]
pub(crate) struct Known {
    sets: std::sync::RwLock<KnownSets>,
    /// The library had stems on when the import began: items are read
    /// with their stem entries made (the writer checks again).
    stems: bool,
}

#[derive(Default)]
struct KnownSets {
    captures: HashSet<(String, String)>,
    sources: HashSet<String>,
}

impl Known {
    pub async fn load(conn: &mut SqliteConnection) -> Result<Self> {
        let mut sets = KnownSets::default();
        let rows = crate::versions::raw_hashes_by_url_key(conn).await?;
        for (key, sha) in rows {
            if let Some(sha) = sha {
                sets.captures.insert((key.clone(), sha));
            }
            sets.sources.insert(key);
        }
        Ok(Known {
            sets: std::sync::RwLock::new(sets),
            stems: crate::search::stems_enabled(conn).await?,
        })
    }

    fn sets(&self) -> std::sync::RwLockReadGuard<'_, KnownSets> {
        self.sets.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A capture under one of `keys` with these bytes is already stored.
    pub fn holds(&self, keys: &[String], raw_sha256: &str) -> bool {
        let sets = self.sets();
        keys.iter()
            .any(|k| sets.captures.contains(&(k.clone(), raw_sha256.to_string())))
    }

    /// A source is filed under `key`.
    pub fn has_source(&self, key: &str) -> bool {
        self.sets().sources.contains(key)
    }

    /// Remembers a capture just stored under the source key `key`.
    pub fn add(&self, key: &str, raw_sha256: &str) {
        let mut sets = self.sets.write().unwrap_or_else(|e| e.into_inner());
        sets.captures
            .insert((key.to_string(), raw_sha256.to_string()));
        sets.sources.insert(key.to_string());
    }
}

/// Every `.html`/`.htm` file under `dir`, sorted (so a re-run walks them
/// in the same order). Symbolic links to folders are not followed: a
/// link back up the tree would never end.
pub(crate) fn saved_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Error::Io {
            path: d.display().to_string(),
            reason: e.to_string(),
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if is_saved_page(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_saved_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The key a saved page without a declared address is filed under: its
/// `file:` URL, with the host-less form [`address::url_key`] gives.
fn file_key(url: &url::Url) -> String {
    format!("file://{}", url.path())
}

/// The keys of the addresses a page's head declares (`rel=canonical`
/// links, `og:url`), found by a plain scan of its bytes. Only used to
/// recognise bytes already stored under one of them, so a scan that finds
/// more than the extractor would is harmless.
fn declared_addresses(bytes: &[u8]) -> Vec<String> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let mut keys = Vec::new();
    for marker in ["canonical", "og:url"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            let at = from + i;
            from = at + marker.len();
            // The tag around the marker, and the first http(s) address in it.
            let start = lower[..at].rfind('<').unwrap_or(at);
            let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
            let tag = &text[start..end];
            if let Some(u) = tag.find("http").map(|s| &tag[s..]) {
                let u = u.split(['"', '\'', ' ', '>']).next().unwrap_or_default();
                let u = crate::extract::decode_entities(u);
                if let Ok(url) = address::parse_clip_url(&u) {
                    keys.push(address::url_key(&url));
                }
            }
        }
    }
    keys
}

/// Reads a saved page. The page's canonical link (or `og:url`) is the
/// address it is filed under: a page saved from the browser is that page,
/// and filing it there lets a later clip or re-check continue its history.
/// Without one, its `file:` URL.
pub(crate) fn prepare_file(path: &Path, max_bytes: u64, known: &Known) -> Outcome {
    let origin = path.display().to_string();
    let bytes = match clip::read_file(path, max_bytes) {
        Ok(b) => b,
        Err(e) => return Outcome::failed(origin, &e),
    };
    let raw_sha256 = crate::hash::sha256_hex(&bytes);
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Ok(file_url) = url::Url::from_file_path(&abs) else {
        return Outcome::failed(
            origin,
            &Error::Invalid("the path cannot be written as a file: URL".into()),
        );
    };
    let own_key = file_key(&file_url);
    // A re-run: the same bytes already filed under this file's own address,
    // or under an address they declare (looked up before any parsing: an
    // extraction costs a hundred times more than the hash).
    let mut quick = declared_addresses(&bytes);
    quick.push(own_key.clone());
    if known.holds(&quick, &raw_sha256) {
        return Outcome::Duplicate;
    }
    let derived = match derived::derive(&bytes, TextFormat::Html, None, None) {
        Ok(d) => d,
        Err(e) => return Outcome::failed(origin, &e),
    };
    if derived.article.title.trim().is_empty() && derived.article.blocks.is_empty() {
        return Outcome::failed(origin, &Error::Extract("the page has no text".into()));
    }
    let canonical = derived
        .article
        .canonical_url
        .as_deref()
        .and_then(|u| address::parse_clip_url(u).ok());
    let (url, key) = match &canonical {
        Some(u) => (u.to_string(), address::url_key(u)),
        None => (file_url.to_string(), own_key),
    };
    if known.holds(std::slice::from_ref(&key), &raw_sha256) {
        return Outcome::Duplicate;
    }
    let record = CaptureRecord {
        method: Some(CaptureMethod::File),
        requested_url: None,
        final_url: Some(url.clone()),
        canonical_url: canonical.map(|u| u.to_string()),
        http_status: None,
        etag: None,
        last_modified: None,
        content_type: Some("text/html".into()),
        charset: Some(derived.encoding.to_string()),
        raw: Some(bytes),
        heads: None,
    };
    Outcome::ready(
        Prepared {
            captured: Captured {
                derived,
                record,
                url: Some(url),
                keys: vec![key],
                suggested_url: None,
                browser: None,
                packed: None,
            },
            captured_at: None,
            raw_sha256,
            tags: Vec::new(),
        },
        known,
    )
}

/// Reads a page from an archive as the clip path reads a fetch (a
/// `response`) or a saved page filed under its address (a `resource`).
pub(crate) fn prepare_page(page: ArchivedPage, known: &Known) -> Outcome {
    let raw_sha256 = page.raw_sha256;
    let captured = if page.response {
        let fetched = Fetched {
            requested_url: page.target.clone(),
            final_url: page.target.clone(),
            status: page.status,
            etag: page.etag,
            last_modified: page.last_modified,
            content_type: page.content_type,
            body: page.body,
            not_modified: false,
            // Another tool's exchange, not ours: exported as reconstructed.
            heads: None,
        };
        clip::from_fetch(&fetched)
    } else {
        clip::from_content(
            page.body,
            TextFormat::Html,
            Some(&page.target),
            CaptureMethod::File,
        )
    };
    let captured = match captured {
        Ok(c) => c,
        Err(e) => return Outcome::failed(page.origin, &e),
    };
    if known.holds(&captured.keys, &raw_sha256) {
        return Outcome::Duplicate;
    }
    Outcome::ready(
        Prepared {
            captured,
            captured_at: Some(page.captured_at),
            raw_sha256,
            tags: Vec::new(),
        },
        known,
    )
}

/// Reads a fetched page as a clip of its URL would.
pub(crate) fn prepare_fetched(fetched: &Fetched, link: &Link, known: &Known) -> Outcome {
    let raw_sha256 = crate::hash::sha256_hex(&fetched.body);
    match clip::from_fetch(fetched) {
        Err(e) => Outcome::failed(format!("{} ({})", link.url, link.origin), &e),
        Ok(captured) if known.holds(&captured.keys, &raw_sha256) => Outcome::Duplicate,
        Ok(captured) => Outcome::ready(
            Prepared {
                captured,
                captured_at: None,
                raw_sha256,
                tags: link.folders.clone(),
            },
            known,
        ),
    }
}

/// What storing a revisit came to.
pub(crate) enum Revisited {
    /// Stored as a capture; true when it made a new version (the page went
    /// back to an earlier text).
    Stored(bool),
    /// The library already holds an unchanged capture at that time.
    Duplicate,
    /// No source holds the page it repeats (it was not imported): why.
    Unresolved(String),
}

/// Stores a revisit as the core stores a re-check that found the page as
/// it was: an unchanged capture (a "not modified" one for a 304, without
/// bytes) of the version the source stood at, at the revisit's own time.
/// A revisit whose page is not the source's version at that time (the
/// page went back to an earlier text) is stored as any capture of those
/// bytes is, by the clip path.
///
/// The page repeated is found by the source of the revisit's address (or
/// the repeated page's, or, for a page filed under its canonical address,
/// any source holding those bytes) and the latest capture of those bytes
/// there at or before the revisit's time.
pub(crate) async fn store_revisit(
    conn: &mut SqliteConnection,
    r: &ArchivedRevisit,
) -> Result<Revisited> {
    let mut candidates = Vec::new();
    for target in [&r.target, &r.original_target] {
        if let Ok(u) = address::parse_clip_url(target) {
            if let Some(id) = versions::find_source_by_key(conn, &address::url_key(&u)).await? {
                if !candidates.contains(&id) {
                    candidates.push(id);
                }
            }
        }
    }
    for id in versions::sources_holding(conn, &r.original_sha256).await? {
        if !candidates.contains(&id) {
            candidates.push(id);
        }
    }
    for source_id in candidates {
        let captures = versions::list_captures(conn, source_id).await?;
        let before: Vec<&versions::Capture> = captures
            .iter()
            .filter(|c| c.captured_at <= r.captured_at)
            .collect();
        let Some(original) = before
            .iter()
            .rev()
            .find(|c| c.raw_sha256.as_deref() == Some(r.original_sha256.as_str()))
        else {
            continue;
        };
        let again = captures.iter().any(|c| {
            c.captured_at == r.captured_at
                && matches!(
                    c.outcome(),
                    CaptureOutcome::Unchanged | CaptureOutcome::NotModified
                )
        });
        if again {
            return Ok(Revisited::Duplicate);
        }
        let standing = before.iter().rev().find_map(|c| c.version_id);
        let mut record = CaptureRecord {
            method: Some(CaptureMethod::Fetch),
            requested_url: Some(r.target.clone()),
            final_url: Some(r.target.clone()),
            canonical_url: original.canonical_url.clone(),
            http_status: r
                .status
                .or(original.http_status.and_then(|s| u16::try_from(s).ok())),
            etag: r.etag.clone().or_else(|| original.etag.clone()),
            last_modified: r
                .last_modified
                .clone()
                .or_else(|| original.last_modified.clone()),
            content_type: r
                .content_type
                .clone()
                .or_else(|| original.content_type.clone()),
            charset: original.charset.clone(),
            raw: None,
            heads: None,
        };
        if r.not_modified {
            versions::insert_capture(
                conn,
                source_id,
                &record,
                CaptureOutcome::NotModified,
                None,
                standing,
                &r.captured_at,
            )
            .await?;
            return Ok(Revisited::Stored(false));
        }
        let Some(raw) = versions::capture_raw(conn, original.id).await? else {
            continue;
        };
        if standing == original.version_id {
            record.raw = Some(raw);
            versions::insert_capture(
                conn,
                source_id,
                &record,
                CaptureOutcome::Unchanged,
                None,
                standing,
                &r.captured_at,
            )
            .await?;
            return Ok(Revisited::Stored(false));
        }
        let fetched = Fetched {
            requested_url: r.target.clone(),
            final_url: r.target.clone(),
            status: record.http_status.unwrap_or(200),
            etag: record.etag,
            last_modified: record.last_modified,
            content_type: record.content_type,
            body: raw,
            not_modified: false,
            heads: None,
        };
        let out = clip::store_captured(conn, clip::from_fetch(&fetched)?, &r.captured_at).await?;
        return Ok(Revisited::Stored(out.outcome.new_version));
    }
    Ok(Revisited::Unresolved(format!(
        "a revisit of {}, which was not imported: there is no page to mark unchanged",
        crate::export::wacz::read::clean(&r.original_target)
    )))
}
