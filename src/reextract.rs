//! Re-extraction: the text of stored captures derived again by the current
//! extractor, without passing the extractor's changes off as the publisher's.
//!
//! The model. A version is what the publisher served at one capture; its
//! text is *derived* from that capture's raw bytes (kept, always) by an
//! extractor, and each version records which one ([`EXTRACTOR`]; None for
//! versions made before extractors were recorded). Re-extraction reads a
//! version's own capture again and, if the text comes out different,
//! revises the version *in place*: an extractor revision, with the same id
//! and number, the replaced text kept in `extractor_revisions`. No version
//! is added or removed, so compare, "changed after you cited it" and the
//! watch's new-version notices never show an extractor's difference as an
//! edit by the publisher: both sides of any comparison are read by the same
//! extractor once the library is re-extracted. A re-check whose latest
//! version was made by another extractor re-extracts that version first
//! (see `clip::record_version`).
//!
//! Highlights are offsets into a version's text, so each is re-anchored by
//! its quoted text and context ([`highlights::anchor()`]). A version holding a
//! highlight that is not found exactly once in the new text is left as it
//! was and reported: every highlight and citation keeps resolving.
//!
//! Not re-derived: the split into versions. A capture once recorded as
//! "unchanged" stays with its version even if the new extractor would read
//! it differently.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::derived;
use crate::error::Result;
use crate::extract::LowConfidence;
use crate::highlights::{self, Anchor};
use crate::normalize;
use crate::quotes;
use crate::versions::{self, Version};

/// What re-extracting one version did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReextractOutcome {
    /// The text changed; the version holds the new text, the old is kept.
    Revised,
    /// The current extractor reads the capture to the same text.
    Same,
    /// The text would change but a highlight could not be re-anchored in
    /// it, so the version keeps its text (see `unanchoredHighlights`).
    KeptForHighlights,
    /// The version has no capture with raw bytes to read again.
    NoCapture,
    /// The capture no longer extracts (see `error`); the version is kept.
    Failed,
}

/// One version's re-extraction, for the report.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VersionReextract {
    pub source_id: i64,
    pub version_id: i64,
    pub seq: i64,
    /// The extractor that had made the version's text (None: unknown).
    pub from_extractor: Option<String>,
    pub outcome: ReextractOutcome,
    /// Highlights moved to their passage in the new text.
    pub highlights_moved: i64,
    /// Highlights whose passage the new text does not hold exactly once.
    pub unanchored_highlights: Vec<i64>,
    /// The new extraction's low-confidence flag.
    pub low_confidence: Option<LowConfidence>,
    pub error: Option<String>,
    /// Fingerprint of the text the current extractor derives from the capture.
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) derived_sha256: Option<String>,
}

/// The outcome of re-extracting many versions.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReextractReport {
    /// The extractor the versions were read with.
    pub extractor: String,
    pub versions: Vec<VersionReextract>,
}

impl ReextractReport {
    pub fn count(&self, outcome: ReextractOutcome) -> usize {
        self.versions
            .iter()
            .filter(|v| v.outcome == outcome)
            .count()
    }
}

/// Re-extracts `version` from the capture it was made from, inside the
/// caller's transaction (see the module doc for what changes and what not).
pub async fn reextract_version(
    conn: &mut SqliteConnection,
    version: &Version,
    now: &str,
) -> Result<VersionReextract> {
    let mut report = VersionReextract {
        source_id: version.source_id,
        version_id: version.id,
        seq: version.seq,
        from_extractor: version.extractor.clone(),
        outcome: ReextractOutcome::NoCapture,
        highlights_moved: 0,
        unanchored_highlights: Vec::new(),
        low_confidence: version.low_confidence,
        error: None,
        derived_sha256: None,
    };
    let Some(capture) = versions::origin_capture(conn, version.id).await? else {
        return Ok(report);
    };
    let Some(raw) = versions::capture_raw(conn, capture.id).await? else {
        return Ok(report);
    };
    // Read as the clip read it: a fetch by its served type (a browser
    // capture is UTF-8 by construction, and says so there), a file or a
    // paste by its format alone.
    let content_type = capture.content_type.as_deref();
    let served = if capture.method == "fetch" || capture.method == "browser" {
        content_type
    } else {
        None
    };
    let url = capture.final_url.as_deref();
    let derived = match derived::derive(&raw, derived::format_of(content_type), served, url) {
        Ok(d) => d,
        Err(e) => {
            report.outcome = ReextractOutcome::Failed;
            report.error = Some(e.to_string());
            return Ok(report);
        }
    };
    let article = derived.article;
    let fingerprint = normalize::fingerprint(&article.title, &article.blocks);
    report.derived_sha256 = Some(fingerprint.clone());
    report.low_confidence = derived.low_confidence;
    let text = article.text();
    if text == version.text && article.title == version.title {
        versions::confirm_extraction(conn, version.id, derived.low_confidence).await?;
        report.outcome = ReextractOutcome::Same;
        return Ok(report);
    }

    // Where each highlight is in the new text. The probe has no id of its
    // own, so `anchor` searches by text and context, never by old offsets.
    let probe = Version {
        id: 0,
        text: text.clone(),
        blocks: article.blocks.clone(),
        ..version.clone()
    };
    let mut moves = Vec::new();
    for h in highlights::list_by_version_in(conn, version.id).await? {
        match highlights::anchor(&h, &probe) {
            Anchor::Exact { start, end } => moves.push((h.id, start, end)),
            _ => report.unanchored_highlights.push(h.id),
        }
    }
    if !report.unanchored_highlights.is_empty() {
        report.outcome = ReextractOutcome::KeptForHighlights;
        return Ok(report);
    }
    let revised = versions::revise_extraction(
        conn,
        version,
        &article,
        derived.low_confidence,
        &fingerprint,
        now,
    )
    .await?;
    for &(id, start, end) in &moves {
        highlights::relocate(conn, id, &revised.text, start, end).await?;
    }
    quotes::store_for_version(conn, &revised).await?;
    report.highlights_moved = moves.len() as i64;
    report.outcome = ReextractOutcome::Revised;
    Ok(report)
}
