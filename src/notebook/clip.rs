//! Clipping and re-checking: content enters the library here.

use std::path::PathBuf;

use futures_util::stream::{self, StreamExt};

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook, SourceChanged};
use crate::clip::{CheckOutcome, CheckStatus, ClipInput, ClipOutcome, TextFormat};
use crate::error::Result;
use crate::extract::EXTRACTOR;
use crate::reextract::{self, ReextractOutcome, ReextractReport};
use crate::versions::{self, CaptureMethod};

/// How many re-checks run at once (to different sites: one site waits its turn).
const PARALLEL_CHECKS: usize = 4;

impl Notebook {
    /// Clips whatever the reporter handed over; announces the new source or version.
    pub async fn clip(&self, input: ClipInput) -> Result<ClipOutcome> {
        self.wrote(ChangeKind::Sources, self.clipper.clip(input))
            .await
    }

    /// Fetches and clips a web page (surrounding blanks ignored).
    pub async fn clip_url(&self, url: &str) -> Result<ClipOutcome> {
        self.clip(ClipInput::Url(url.trim().to_string())).await
    }

    /// Pasted content; `format` None sniffs HTML vs plain text, and a blank
    /// `url` counts as none.
    pub async fn clip_text(
        &self,
        content: impl Into<Vec<u8>>,
        format: Option<TextFormat>,
        url: Option<String>,
    ) -> Result<ClipOutcome> {
        let content = content.into();
        let format = format.unwrap_or_else(|| TextFormat::sniff(&content));
        self.clip(ClipInput::Text {
            content,
            format,
            url: url.filter(|u| !u.trim().is_empty()),
            method: CaptureMethod::Paste,
        })
        .await
    }

    /// A local .html, .htm, .txt or .md file, optionally attributed to a URL.
    pub async fn clip_file(
        &self,
        path: impl Into<PathBuf>,
        url: Option<String>,
    ) -> Result<ClipOutcome> {
        self.clip(ClipInput::File {
            path: path.into(),
            url: url.filter(|u| !u.trim().is_empty()),
        })
        .await
    }

    /// Re-checks one source now ("Re-check now"), waiting for its site's turn.
    /// A failed fetch is an outcome (a failed capture the timeline shows), not
    /// an error.
    pub async fn check(&self, source_id: i64) -> Result<CheckOutcome> {
        let out = self.check_politely(source_id).await?;
        self.announce_check(ChangeOrigin::App, &out);
        Ok(out)
    }

    /// Re-checks many sources, a few at a time, never stopping at a failure;
    /// a source that cannot be checked at all (no URL, unknown) becomes a
    /// failed outcome. Results come in the order of `source_ids`.
    pub async fn check_many(&self, source_ids: &[i64]) -> Vec<CheckOutcome> {
        stream::iter(source_ids.iter().copied())
            .map(|id| async move {
                self.check(id)
                    .await
                    .unwrap_or_else(|e| CheckOutcome::failed_before_capture(id, &e))
            })
            .buffered(PARALLEL_CHECKS)
            .collect()
            .await
    }

    /// Re-checks every source that is not archived.
    pub async fn check_all(&self) -> Result<Vec<CheckOutcome>> {
        let ids = self
            .read(async |c| versions::all_source_ids(c).await)
            .await?;
        Ok(self.check_many(&ids).await)
    }

    /// [`crate::clip::Clipper::check`] behind this notebook's one politeness gate.
    pub(super) async fn check_politely(&self, source_id: i64) -> Result<CheckOutcome> {
        let url = self
            .read(async |c| versions::fetch_url(c, source_id).await)
            .await?;
        let _turn = match url.as_deref().map(url::Url::parse) {
            Some(Ok(u)) => Some(self.gate.enter_url(&u).await),
            _ => None,
        };
        self.clipper.check(source_id).await
    }

    /// A check that recorded a capture changed the library; a watch check
    /// that found a new version says which.
    pub(super) fn announce_check(&self, origin: ChangeOrigin, out: &CheckOutcome) {
        if out.status == CheckStatus::Failed && out.capture_id.is_none() {
            return;
        }
        let new_version = (out.status == CheckStatus::NewVersion).then(|| SourceChanged {
            source_id: out.source_id,
            version_id: out.version_id.unwrap_or_default(),
            version_seq: out.version_seq.unwrap_or_default(),
            title: out.title.clone().unwrap_or_default(),
        });
        self.announce(LibraryChange {
            origin,
            what: ChangeKind::Sources,
            new_version,
            alert: None,
        });
    }

    /// Re-extracts the versions of `source_id` (or of every source) that
    /// another extractor made (`every`: all of them) from their stored
    /// captures, as extractor revisions of the same versions (see
    /// [`crate::reextract`]). One transaction per source, so a long run
    /// never holds the library for long; announced once.
    pub async fn reextract(&self, source_id: Option<i64>, every: bool) -> Result<ReextractReport> {
        let targets = self
            .read(async |c| {
                if let Some(id) = source_id {
                    versions::get_source(c, id).await?;
                }
                versions::versions_to_reextract(c, source_id, every).await
            })
            .await?;
        let mut report = ReextractReport {
            extractor: EXTRACTOR.to_string(),
            versions: Vec::new(),
        };
        let mut i = 0;
        while i < targets.len() {
            let source = targets[i].0;
            let mut tx = self.db.write().await?;
            let now = crate::time::now();
            while i < targets.len() && targets[i].0 == source {
                let version = versions::get_version(&mut tx, targets[i].1).await?;
                report
                    .versions
                    .push(reextract::reextract_version(&mut tx, &version, &now).await?);
                i += 1;
            }
            tx.commit().await?;
        }
        if report.count(ReextractOutcome::Revised) + report.count(ReextractOutcome::Same) > 0 {
            self.announce_app(ChangeKind::Sources);
        }
        Ok(report)
    }
}
