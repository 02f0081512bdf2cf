//! Clipping and re-checking: the one path by which content enters the library.
//!
//! Every attempt is recorded as a capture (raw bytes, time, status), and a new
//! version is made only when the normalised title or body changed. A failed
//! attempt is recorded too but never touches a version.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use tracing::instrument;

use crate::address;
use crate::article::Article;
use crate::db::Db;
use crate::derived::{self, Derived};
pub use crate::derived::{TextFormat, MAX_BLOCKS, MAX_TAGS};
use crate::error::{Error, Result};
use crate::extract::{self, LowConfidence};
use crate::fetch::{FetchLimits, Fetched, Fetcher, Validators};
use crate::normalize;
use crate::quotes;
use crate::reextract;
use crate::time;
use crate::versions::{
    self, BrowserProvenance, CaptureMethod, CaptureOutcome, CaptureRecord, Version,
};
use crate::watch;

/// What the reporter hands over to be clipped.
#[derive(Clone, Debug)]
pub enum ClipInput {
    /// An http(s) URL to fetch.
    Url(String),
    /// A local .html, .htm, .txt or .md file; `url` attributes it to a web address.
    File { path: PathBuf, url: Option<String> },
    /// Pasted or piped content.
    Text {
        content: Vec<u8>,
        format: TextFormat,
        url: Option<String>,
        method: CaptureMethod,
    },
    /// A page as the reporter's browser rendered it: the DOM serialised after
    /// its scripts ran, sent by the browser extension. Hostile input like any
    /// page, read by the same extraction; filed under the tab's URL, which is
    /// where the browser really loaded it from.
    Rendered {
        dom: Vec<u8>,
        url: String,
        provenance: BrowserProvenance,
    },
}

/// The result of one clip.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClipOutcome {
    pub source_id: i64,
    pub version_id: i64,
    /// Version number within the source (1, 2, …).
    pub version_seq: i64,
    pub capture_id: i64,
    pub new_source: bool,
    pub new_version: bool,
    pub title: String,
    pub url: Option<String>,
    /// Why the extraction may have missed the article (stored on the
    /// version; the reader marks it and offers the page as captured).
    pub low_confidence: Option<LowConfidence>,
    /// The canonical link a saved or pasted page declares. It is not used to
    /// file the clip (Redline did not fetch the page from there, so the page
    /// could join another story's history); offered for the reporter to confirm.
    pub suggested_url: Option<String>,
}

/// The result of re-checking one source.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckOutcome {
    pub source_id: i64,
    pub status: CheckStatus,
    pub capture_id: Option<i64>,
    /// The version the source now stands at (the new one, or the unchanged latest).
    pub version_id: Option<i64>,
    pub version_seq: Option<i64>,
    pub title: Option<String>,
    /// The version's low-confidence flag (see [`ClipOutcome::low_confidence`]).
    pub low_confidence: Option<LowConfidence>,
    /// Error code and message when the check failed.
    pub error_code: Option<String>,
    pub error: Option<String>,
}

impl CheckOutcome {
    /// A check whose capture `capture_id` left the source standing at `version`.
    fn at(source_id: i64, status: CheckStatus, capture_id: i64, version: Option<&Version>) -> Self {
        CheckOutcome {
            source_id,
            status,
            capture_id: Some(capture_id),
            version_id: version.map(|v| v.id),
            version_seq: version.map(|v| v.seq),
            title: version.map(|v| v.title.clone()),
            low_confidence: version.and_then(|v| v.low_confidence),
            error_code: None,
            error: None,
        }
    }

    /// A check that failed before anything was captured (an unknown source,
    /// one with no URL): reported like a failed fetch, with no capture.
    pub fn failed_before_capture(source_id: i64, error: &Error) -> Self {
        CheckOutcome {
            source_id,
            status: CheckStatus::Failed,
            capture_id: None,
            version_id: None,
            version_seq: None,
            title: None,
            low_confidence: None,
            error_code: Some(error.code().to_string()),
            error: Some(error.to_string()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckStatus {
    NewVersion,
    Unchanged,
    Failed,
}

/// Clips and re-checks into one library with one set of fetch limits. It
/// does not pace requests: the [`crate::notebook::Notebook`] that owns it
/// holds the one politeness gate per site.
#[derive(Clone, Debug)]
pub struct Clipper {
    db: Db,
    fetcher: Fetcher,
}

/// Content ready to be stored: the article and the facts of its capture.
pub(crate) struct Captured {
    pub(crate) derived: Derived,
    pub(crate) record: CaptureRecord,
    /// The URL to file the capture under (canonical, else final, else requested).
    pub(crate) url: Option<String>,
    /// Keys under which an earlier clip of the same story may be filed. Only
    /// addresses Redline fetched from, or that the reporter gave, are keys.
    pub(crate) keys: Vec<String>,
    /// See [`ClipOutcome::suggested_url`].
    pub(crate) suggested_url: Option<String>,
    /// Who sent a browser capture (stored with the capture, same transaction).
    pub(crate) browser: Option<BrowserProvenance>,
    /// `record.raw` hashed and compressed ahead of storing (a batch import
    /// does it on the cores that extract); None: the writer does it.
    pub(crate) packed: Option<versions::blob::Packed>,
}

impl Clipper {
    pub fn new(db: Db, limits: FetchLimits) -> Result<Self> {
        Ok(Clipper {
            db,
            fetcher: Fetcher::new(limits)?,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The fetcher with this clipper's limits (feeds are fetched with it too).
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// Fetches and extracts `url`, and clips it only if `keep` accepts the
    /// article (a feed rule that reads the story's text): one request,
    /// nothing stored when refused.
    pub async fn clip_url_if(
        &self,
        url: &str,
        keep: impl FnOnce(&Article) -> bool,
    ) -> Result<Option<ClipOutcome>> {
        let url = address::parse_clip_url(url)?;
        let fetched = self
            .fetcher
            .get(url.as_str(), &Validators::default())
            .await?;
        let captured = from_fetch(&fetched)?;
        if !keep(&captured.derived.article) {
            return Ok(None);
        }
        self.store(captured).await.map(Some)
    }

    /// Clips a URL, file or pasted content. Clipping a URL the library already
    /// holds adds a capture (and a version, if the text changed) to that source.
    #[instrument(skip_all, err)]
    pub async fn clip(&self, input: ClipInput) -> Result<ClipOutcome> {
        let captured = match input {
            ClipInput::Url(url) => {
                let url = address::parse_clip_url(&url)?;
                let fetched = self
                    .fetcher
                    .get(url.as_str(), &Validators::default())
                    .await?;
                from_fetch(&fetched)?
            }
            ClipInput::File { path, url } => {
                let format = TextFormat::from_path(&path)?;
                let bytes = read_file(&path, self.fetcher.limits.max_bytes)?;
                from_content(bytes, format, url.as_deref(), CaptureMethod::File)?
            }
            ClipInput::Text {
                content,
                format,
                url,
                method,
            } => {
                let max = self.fetcher.limits.max_bytes;
                if content.len() as u64 > max {
                    return Err(too_large("the content", max));
                }
                from_content(content, format, url.as_deref(), method)?
            }
            ClipInput::Rendered {
                dom,
                url,
                provenance,
            } => {
                let max = self.fetcher.limits.max_bytes;
                if dom.len() as u64 > max {
                    return Err(too_large("the page", max));
                }
                from_rendered(dom, &url, provenance)?
            }
        };
        self.store(captured).await
    }

    async fn store(&self, captured: Captured) -> Result<ClipOutcome> {
        let mut tx = self.db.write().await?;
        let out = store_captured(&mut tx, captured, &time::now()).await?;
        tx.commit().await?;
        Ok(out.outcome)
    }

    /// Re-fetches a source with its validators. 304 and identical text are
    /// "unchanged"; any failure is recorded as a failed capture and leaves
    /// every version as it was.
    #[instrument(skip(self))]
    pub async fn check(&self, source_id: i64) -> Result<CheckOutcome> {
        let fetched = self.fetch_check(source_id).await?;
        let mut tx = self.db.write().await?;
        let out = write_check(&mut tx, &fetched).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The network half of [`Clipper::check`]: asks the site and returns
    /// what to record, without writing. An error is a check that could not
    /// start (an unknown source, one without a URL); a failed fetch is a
    /// result like any other.
    pub async fn fetch_check(&self, source_id: i64) -> Result<FetchedCheck> {
        let (url, validators, latest, head_first) = {
            let mut conn = self.db.pool().acquire().await?;
            versions::get_source(&mut conn, source_id).await?;
            let url = versions::fetch_url(&mut conn, source_id).await?;
            let (etag, last_modified) = versions::last_validators(&mut conn, source_id).await?;
            let latest = versions::latest_version(&mut conn, source_id).await?;
            let head_first = versions::head_expectation(&mut conn, source_id).await?;
            (
                url,
                Validators {
                    etag,
                    last_modified,
                },
                latest,
                head_first,
            )
        };
        let Some(url) = url else {
            return Err(Error::Invalid(format!(
                "source {source_id} has no URL to re-check (it was pasted or imported)"
            )));
        };
        let answered = |answer| FetchedCheck {
            source_id,
            at: chrono::Utc::now(),
            answer,
        };
        // HEAD before GET, where the site ignores conditional GET: headers
        // that match the last page record an unchanged check without the
        // body. Any doubt (an error, a redirect, a mismatch) fetches in full.
        if let Some(expected) = head_first {
            if let Ok(head) = self.fetcher.head(&url).await {
                if expected.matches(&head) {
                    let record = CaptureRecord {
                        method: Some(CaptureMethod::Fetch),
                        requested_url: Some(url.clone()),
                        final_url: Some(head.url.clone()),
                        http_status: Some(head.status),
                        etag: head.etag.clone(),
                        last_modified: head.last_modified.clone(),
                        content_type: head.content_type.clone(),
                        ..CaptureRecord::default()
                    };
                    return Ok(answered(Answer::NotModified { record, latest }));
                }
            }
        }
        let fetched = self.fetcher.get(&url, &validators).await;
        Ok(answered(match fetched {
            Ok(fetched) if fetched.not_modified => {
                let record = record_of(&fetched, CaptureMethod::Fetch, None);
                Answer::NotModified { record, latest }
            }
            // The failure record (and its copy of the body) is made only on failure.
            Ok(fetched) => match from_fetch(&fetched) {
                Ok(captured) => Answer::Page(Box::new(captured)),
                Err(error) => Answer::Failed {
                    record: record_of(&fetched, CaptureMethod::Fetch, None),
                    error,
                    latest,
                },
            },
            Err(e) => Answer::Failed {
                record: CaptureRecord {
                    method: Some(CaptureMethod::Fetch),
                    requested_url: Some(url.clone()),
                    http_status: e.http_status(),
                    ..CaptureRecord::default()
                },
                error: e.into(),
                latest,
            },
        }))
    }

    /// Writes many checks' results in one transaction (a turn of `check
    /// --all`): the pages each check touches (the capture's table and index
    /// leaves, the source row) are written once for all of them, not once
    /// per check. All or none are committed, so a crash leaves the library
    /// as it was before the batch (those sources are simply checked again).
    /// When the batch fails, each result is tried alone, so one bad result
    /// never costs the others theirs. Outcomes come in the order given.
    pub async fn write_checks(&self, checks: Vec<FetchedCheck>) -> Vec<Result<CheckOutcome>> {
        if checks.len() > 1 {
            let together = async {
                let mut tx = self.db.write().await?;
                let mut outs = Vec::with_capacity(checks.len());
                for c in &checks {
                    outs.push(write_check(&mut tx, c).await?);
                }
                tx.commit().await?;
                Ok::<_, Error>(outs)
            };
            match together.await {
                Ok(outs) => return outs.into_iter().map(Ok).collect(),
                Err(e) => tracing::warn!("a batch of {} checks, written alone: {e}", checks.len()),
            }
        }
        let mut outs = Vec::with_capacity(checks.len());
        for c in checks {
            let alone = async {
                let mut tx = self.db.write().await?;
                let out = write_check(&mut tx, &c).await?;
                tx.commit().await?;
                Ok(out)
            };
            outs.push(alone.await);
        }
        outs
    }
}

/// A re-check that has asked the site, before its result is written
/// ([`Clipper::fetch_check`], then [`Clipper::write_checks`]).
pub struct FetchedCheck {
    pub source_id: i64,
    /// When the answer came: the capture's time and the schedule's clock,
    /// however late the batch is written.
    at: chrono::DateTime<chrono::Utc>,
    answer: Answer,
}

enum Answer {
    /// A page: a new version, or the latest one again.
    Page(Box<Captured>),
    /// 304, or a HEAD showing the last validators; the source stays at `latest`.
    NotModified {
        record: CaptureRecord,
        latest: Option<Version>,
    },
    /// Nothing usable; no version is touched.
    Failed {
        record: CaptureRecord,
        error: Error,
        latest: Option<Version>,
    },
}

/// Records one check's result in the caller's transaction: its capture,
/// its version if the text changed, and the source's next check.
pub(crate) async fn write_check(
    conn: &mut SqliteConnection,
    check: &FetchedCheck,
) -> Result<CheckOutcome> {
    let (source_id, at) = (check.source_id, check.at);
    let now = time::format(at);
    let (record, outcome, error, version) = match &check.answer {
        Answer::Page(captured) => {
            let (version, new_version) =
                record_version(&mut *conn, source_id, false, &captured.derived, &now).await?;
            let capture = versions::insert_capture(
                &mut *conn,
                source_id,
                &captured.record,
                capture_outcome(new_version),
                None,
                Some(version.id),
                &now,
            )
            .await?;
            watch::record_check(&mut *conn, source_id, true, at, watch::DEFAULT_INTERVAL).await?;
            let status = if new_version {
                CheckStatus::NewVersion
            } else {
                CheckStatus::Unchanged
            };
            return Ok(CheckOutcome::at(
                source_id,
                status,
                capture.id,
                Some(&version),
            ));
        }
        Answer::NotModified { record, latest } => {
            (record, CaptureOutcome::NotModified, None, latest)
        }
        Answer::Failed {
            record,
            error,
            latest,
        } => (record, CaptureOutcome::Failed, Some(error), latest),
    };
    let message = error.map(Error::to_string);
    let capture = versions::insert_capture(
        &mut *conn,
        source_id,
        record,
        outcome,
        message.as_deref(),
        version.as_ref().map(|v| v.id),
        &now,
    )
    .await?;
    let ok = outcome != CaptureOutcome::Failed;
    watch::record_check(&mut *conn, source_id, ok, at, watch::DEFAULT_INTERVAL).await?;
    Ok(match error {
        None => CheckOutcome::at(
            source_id,
            CheckStatus::Unchanged,
            capture.id,
            version.as_ref(),
        ),
        Some(error) => CheckOutcome {
            error_code: Some(error.code().to_string()),
            error: message,
            ..CheckOutcome::at(source_id, CheckStatus::Failed, capture.id, version.as_ref())
        },
    })
}

/// How a capture is recorded, by whether it stored a new version.
fn capture_outcome(new_version: bool) -> CaptureOutcome {
    if new_version {
        CaptureOutcome::NewVersion
    } else {
        CaptureOutcome::Unchanged
    }
}

/// What [`store_captured`] stored, and the key its source is filed under
/// (None: a source no later clip can match), which an import adds to what
/// it knows without asking the library again.
pub(crate) struct Stored {
    pub outcome: ClipOutcome,
    pub url_key: Option<String>,
}

/// Stores a capture (and its version, if the text changed) in the caller's
/// transaction, as captured at `now`: one clip commits it alone, a batch
/// import commits many at once, and an archive import gives the record's
/// original capture time.
pub(crate) async fn store_captured(
    tx: &mut SqliteConnection,
    captured: Captured,
    now: &str,
) -> Result<Stored> {
    let Captured {
        derived,
        record,
        url,
        keys,
        suggested_url,
        browser,
        packed,
    } = captured;
    // The key the source is filed under: the one it was found by, or the
    // first, which a new source takes.
    let (source_id, url_key, new_source) =
        versions::find_or_insert_source(&mut *tx, &keys, url.as_deref(), now).await?;
    if let (false, Some(u)) = (new_source, &url) {
        versions::set_source_url(&mut *tx, source_id, u).await?;
    }
    let (version, new_version) =
        record_version(&mut *tx, source_id, new_source, &derived, now).await?;
    let capture_id = versions::insert_packed_capture(
        &mut *tx,
        source_id,
        &record,
        capture_outcome(new_version),
        None,
        Some(version.id),
        now,
        packed,
    )
    .await?;
    if let Some(p) = &browser {
        versions::insert_browser_provenance(&mut *tx, capture_id, p).await?;
    }
    let outcome = ClipOutcome {
        source_id,
        version_id: version.id,
        version_seq: version.seq,
        capture_id,
        new_source,
        new_version,
        title: version.title,
        url,
        low_confidence: version.low_confidence,
        suggested_url,
    };
    Ok(Stored { outcome, url_key })
}

/// Stores `derived` as the source's next version unless its fingerprint equals
/// the latest version's. Returns the version the source now stands at. A
/// source inserted in this transaction (`new_source`) has no version to
/// compare with, and is not asked for one.
///
/// A latest version made by another extractor is first re-extracted from
/// its own capture: when that reads the same as the new capture, the page did
/// not change, only the extractor did, and the latest version is revised in
/// place instead of a new version being reported as the publisher's edit.
async fn record_version(
    conn: &mut SqliteConnection,
    source_id: i64,
    new_source: bool,
    derived: &Derived,
    now: &str,
) -> Result<(Version, bool)> {
    let article = &derived.article;
    let fingerprint = match &derived.ahead {
        Some(ahead) => std::borrow::Cow::Borrowed(ahead.fingerprint.as_str()),
        None => std::borrow::Cow::Owned(normalize::fingerprint(&article.title, &article.blocks)),
    };
    let latest = match new_source {
        true => None,
        false => versions::latest_version(conn, source_id).await?,
    };
    if let Some(latest) = latest {
        if latest.text_sha256 == *fingerprint {
            return Ok((latest, false));
        }
        if latest.extractor.as_deref() != Some(extract::EXTRACTOR) {
            let again = reextract::reextract_version(conn, &latest, now).await?;
            if again.derived_sha256.as_deref() == Some(&*fingerprint) {
                let latest = versions::get_version(conn, latest.id).await?;
                return Ok((latest, false));
            }
        }
    }
    // A batch import made the stem entry and quotes ahead; a clip finds
    // the quotes here (its stem entry, if stems are on, is made by the insert).
    let found;
    let (stems, quotes) = match &derived.ahead {
        Some(ahead) => (ahead.stems.as_ref(), ahead.quotes.as_slice()),
        None => {
            found = quotes::find_quotes(&article.blocks);
            (None, found.as_slice())
        }
    };
    let new = versions::NewVersion {
        article,
        low_confidence: derived.low_confidence,
        text_sha256: &fingerprint,
        stems,
        quotes,
        // Made ahead: a batch import, which indexes its versions' words
        // together before it commits.
        words_later: derived.ahead.is_some(),
    };
    let version = versions::insert_version_and_quotes(conn, source_id, &new, now).await?;
    Ok((version, true))
}

/// Keys under which an earlier clip of the same story may be filed: canonical,
/// final and requested URL, in that order of preference.
fn url_keys(record: &CaptureRecord, url: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    for u in [
        record.canonical_url.as_deref(),
        record.final_url.as_deref(),
        record.requested_url.as_deref(),
        url,
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(parsed) = address::parse_clip_url(u) {
            let key = address::url_key(&parsed);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn record_of(fetched: &Fetched, method: CaptureMethod, charset: Option<&str>) -> CaptureRecord {
    CaptureRecord {
        method: Some(method),
        requested_url: Some(fetched.requested_url.clone()),
        final_url: Some(fetched.final_url.clone()),
        canonical_url: None,
        http_status: Some(fetched.status),
        etag: fetched.etag.clone(),
        last_modified: fetched.last_modified.clone(),
        content_type: fetched.content_type.clone(),
        charset: charset.map(str::to_string),
        raw: if fetched.not_modified {
            None
        } else {
            Some(fetched.body.clone())
        },
        heads: fetched.heads.clone(),
    }
}

pub(crate) fn from_fetch(fetched: &Fetched) -> Result<Captured> {
    let format = derived::format_of(fetched.content_type.as_deref());
    let derived = derived::derive(
        &fetched.body,
        format,
        fetched.content_type.as_deref(),
        Some(&fetched.final_url),
    )?;
    let mut record = record_of(fetched, CaptureMethod::Fetch, Some(derived.encoding));
    record.canonical_url =
        trusted_canonical(derived.article.canonical_url.as_deref(), &fetched.final_url);
    let url = record
        .canonical_url
        .clone()
        .or_else(|| Some(fetched.final_url.clone()));
    let keys = url_keys(&record, url.as_deref());
    Ok(Captured {
        derived,
        record,
        url,
        keys,
        suggested_url: None,
        browser: None,
        packed: None,
    })
}

pub(crate) fn from_content(
    bytes: Vec<u8>,
    format: TextFormat,
    url: Option<&str>,
    method: CaptureMethod,
) -> Result<Captured> {
    let url = match url {
        Some(u) => Some(address::parse_clip_url(u)?.to_string()),
        None => None,
    };
    let derived = derived::derive(&bytes, format, None, url.as_deref())?;
    let canonical = declared_canonical(&derived.article, "the content")?;
    let record = CaptureRecord {
        method: Some(method),
        requested_url: url.clone(),
        final_url: url.clone(),
        canonical_url: canonical.clone(),
        http_status: None,
        etag: None,
        last_modified: None,
        content_type: Some(
            match format {
                TextFormat::Html => "text/html",
                TextFormat::Text => "text/plain",
                TextFormat::Markdown => "text/markdown",
            }
            .to_string(),
        ),
        charset: Some(derived.encoding.to_string()),
        raw: Some(bytes),
        heads: None,
    };
    let keys = url
        .as_deref()
        .and_then(|u| address::parse_clip_url(u).ok())
        .map(|u| vec![address::url_key(&u)])
        .unwrap_or_default();
    let suggested_url = canonical
        .clone()
        .filter(|c| keys.first() != Some(&keys_of(c)));
    Ok(Captured {
        derived,
        record,
        url,
        keys,
        suggested_url,
        browser: None,
        packed: None,
    })
}

/// For content Redline did not fetch itself (a paste, a file, a browser's
/// DOM): refuses one with no text, and returns the address it declares as
/// canonical, kept as evidence only. Redline did not fetch it from there,
/// so it files nothing: filed under its canonical link, a pasted page became
/// "version 2" of an unrelated story. Only the address the reporter (or the
/// browser tab) gives is a key.
fn declared_canonical(article: &Article, what: &str) -> Result<Option<String>> {
    if article.title.trim().is_empty() && article.blocks.is_empty() {
        return Err(Error::Extract(format!("{what} has no text")));
    }
    Ok(article
        .canonical_url
        .as_deref()
        .and_then(|u| address::parse_clip_url(u).ok())
        .map(|u| u.to_string()))
}

/// The type a browser capture is stored and read with: the extension sends
/// the DOM as JSON text, so the bytes are UTF-8 whatever `<meta charset>` the
/// page still carries (a windows-1251 page's meta must not re-decode them).
pub const RENDERED_CONTENT_TYPE: &str = "text/html; charset=utf-8";

fn from_rendered(dom: Vec<u8>, url: &str, provenance: BrowserProvenance) -> Result<Captured> {
    let url = address::parse_clip_url(url)?.to_string();
    let derived = derived::derive(
        &dom,
        TextFormat::Html,
        Some(RENDERED_CONTENT_TYPE),
        Some(&url),
    )?;
    let canonical = declared_canonical(&derived.article, "the page")?;
    let record = CaptureRecord {
        method: Some(CaptureMethod::Browser),
        requested_url: None,
        final_url: Some(url.clone()),
        canonical_url: canonical.clone(),
        http_status: None,
        etag: None,
        last_modified: None,
        content_type: Some(RENDERED_CONTENT_TYPE.to_string()),
        charset: Some(derived.encoding.to_string()),
        heads: None,
        raw: Some(dom),
    };
    let key = keys_of(&url);
    let suggested_url = canonical.filter(|c| keys_of(c) != key);
    Ok(Captured {
        derived,
        record,
        url: Some(url),
        keys: vec![key],
        suggested_url,
        browser: Some(provenance),
        packed: None,
    })
}

/// The page's declared canonical URL, if it is an http(s) URL on the same site
/// as the page: a page must not file itself under another site's story.
fn trusted_canonical(canonical: Option<&str>, page_url: &str) -> Option<String> {
    let canonical = address::parse_clip_url(canonical?).ok()?;
    let page = url::Url::parse(page_url).ok()?;
    let site = |u: &url::Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    (site(&canonical) == site(&page)).then(|| canonical.to_string())
}

/// The url key of an address already parsed once (empty if it no longer parses).
fn keys_of(url: &str) -> String {
    address::parse_clip_url(url)
        .map(|u| address::url_key(&u))
        .unwrap_or_default()
}

fn too_large(what: &str, max: u64) -> Error {
    Error::Invalid(format!(
        "{what} is larger than the {} MiB limit (see --max-mib)",
        max as f64 / (1024.0 * 1024.0)
    ))
}

/// Reads a local file to clip. Only regular files: opening a FIFO or a
/// device would block or never end.
pub(crate) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::Invalid(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    let what = path.display().to_string();
    if meta.len() > max {
        return Err(too_large(&what, max));
    }
    // The file may grow between the check and the read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .map_err(io)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_large(&what, max));
    }
    Ok(bytes)
}
