//! Clipping and re-checking: content enters the library here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook, SourceChanged};
use crate::clip::{CheckOutcome, CheckStatus, ClipInput, ClipOutcome, FetchedCheck, TextFormat};
use crate::error::Result;
use crate::extract::EXTRACTOR;
use crate::reextract::{self, ReextractOutcome, ReextractReport};
use crate::settings;
use crate::versions::{self, CaptureMethod};

/// What a batch of re-checks will take, said before it starts.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckPlan {
    pub sources: usize,
    pub sites: usize,
    /// Sources on the site with the most of them: they go one by one.
    pub busiest_site_sources: usize,
    pub gap_secs: f64,
    /// The least time the batch takes: the busiest site's gaps.
    pub at_least_secs: f64,
}

/// How many re-checks run at once (to different sites: one site waits its turn).
const PARALLEL_CHECKS: usize = 4;

/// Most checks whose results are written in one transaction by
/// [`Notebook::check_many_with`]…
pub const CHECK_BATCH: usize = 64;

/// …and the longest the first of them waits for the others (measured when
/// the next result comes in, so a batch may wait one site's gap longer).
/// A crash loses at most these results, and those sources are checked again.
pub const CHECK_BATCH_WAIT: Duration = Duration::from_secs(5);

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
        self.check_many_with(source_ids, |_, _| {}).await
    }

    /// [`Notebook::check_many`], calling `progress` with each outcome and how
    /// many are done, in order.
    ///
    /// Results are written in batches ([`CHECK_BATCH`] checks, or what came
    /// in [`CHECK_BATCH_WAIT`]), one transaction each: most checks of a beat
    /// find nothing new, and one transaction per check wrote 45–65 KB to
    /// disk for ~300 B of record (BENCHMARKS.md). `progress` hears of each
    /// check when its batch is written.
    pub async fn check_many_with(
        &self,
        source_ids: &[i64],
        mut progress: impl FnMut(&CheckOutcome, usize),
    ) -> Vec<CheckOutcome> {
        let mut done = Vec::with_capacity(source_ids.len());
        let mut batch: Vec<(i64, Result<FetchedCheck>)> = Vec::new();
        let mut since = Instant::now();
        let mut fetched = stream::iter(source_ids.iter().copied())
            .map(|id| async move { (id, self.fetch_check_politely(id).await) })
            .buffered(PARALLEL_CHECKS);
        loop {
            let next = fetched.next().await;
            let end = next.is_none();
            if let Some(item) = next {
                if batch.is_empty() {
                    since = Instant::now();
                }
                batch.push(item);
            }
            let full = batch.len() >= CHECK_BATCH || since.elapsed() >= CHECK_BATCH_WAIT;
            if !batch.is_empty() && (end || full) {
                for out in self.write_batch(std::mem::take(&mut batch)).await {
                    self.announce_check(ChangeOrigin::App, &out);
                    progress(&out, done.len() + 1);
                    done.push(out);
                }
            }
            if end {
                break;
            }
        }
        done
    }

    /// Writes a batch of fetched checks together; a check that could not
    /// start, or whose write failed, becomes a failed outcome in its place.
    async fn write_batch(&self, batch: Vec<(i64, Result<FetchedCheck>)>) -> Vec<CheckOutcome> {
        let mut outs: Vec<Option<CheckOutcome>> = Vec::with_capacity(batch.len());
        let mut ids = Vec::new();
        let mut checks = Vec::new();
        for (id, fetched) in batch {
            match fetched {
                Ok(c) => {
                    ids.push((outs.len(), id));
                    checks.push(c);
                    outs.push(None);
                }
                Err(e) => outs.push(Some(CheckOutcome::failed_before_capture(id, &e))),
            }
        }
        let written = self.clipper.write_checks(checks).await;
        for ((at, id), w) in ids.into_iter().zip(written) {
            outs[at] = Some(w.unwrap_or_else(|e| CheckOutcome::failed_before_capture(id, &e)));
        }
        outs.into_iter().flatten().collect()
    }

    /// What re-checking `source_ids` will take: per site one request at a
    /// time, [`Notebook::host_gap`] apart, so the busiest site sets the least
    /// time (fetching itself comes on top).
    pub async fn check_plan(&self, source_ids: &[i64]) -> Result<CheckPlan> {
        let gap = self.host_gap().await?;
        let mut sites: HashMap<String, usize> = HashMap::new();
        self.read(async |c| {
            for &id in source_ids {
                let url = versions::fetch_url(c, id).await.ok().flatten();
                let site = url
                    .as_deref()
                    .and_then(|u| url::Url::parse(u).ok())
                    .and_then(|u| {
                        u.host_str()
                            .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
                    })
                    .unwrap_or_default();
                *sites.entry(site).or_default() += 1;
            }
            Ok(())
        })
        .await?;
        let busiest = sites.values().copied().max().unwrap_or(0);
        Ok(CheckPlan {
            sources: source_ids.len(),
            sites: sites.len(),
            busiest_site_sources: busiest,
            gap_secs: gap.as_secs_f64(),
            at_least_secs: busiest.saturating_sub(1) as f64 * gap.as_secs_f64(),
        })
    }

    /// The least time between two requests to one site: the library's
    /// setting, else this notebook's default. Puts it in force.
    pub async fn host_gap(&self) -> Result<Duration> {
        let set = self.read(async |c| settings::host_gap(c).await).await?;
        self.gate.set_gap(set);
        Ok(self.gate.gap())
    }

    /// Sets (or, with None, clears) the library's per-site gap (at least
    /// [`settings::MIN_HOST_GAP`]); returns the gap now in force.
    pub async fn set_host_gap(&self, gap: Option<Duration>) -> Result<Duration> {
        self.write(ChangeKind::Library, async |c| {
            settings::set_host_gap(c, gap).await
        })
        .await?;
        self.host_gap().await
    }

    /// Re-checks every source that is not archived.
    pub async fn check_all(&self) -> Result<Vec<CheckOutcome>> {
        let ids = self.checkable_sources().await?;
        Ok(self.check_many(&ids).await)
    }

    /// The sources `check --all` re-checks: every one not archived.
    pub async fn checkable_sources(&self) -> Result<Vec<i64>> {
        self.read(async |c| versions::all_source_ids(c).await).await
    }

    /// [`crate::clip::Clipper::check`] behind this notebook's one politeness gate.
    pub(super) async fn check_politely(&self, source_id: i64) -> Result<CheckOutcome> {
        let fetched = self.fetch_check_politely(source_id).await?;
        let mut written = self.clipper.write_checks(vec![fetched]).await;
        written.pop().unwrap_or_else(|| unreachable!())
    }

    /// [`crate::clip::Clipper::fetch_check`] behind this notebook's one
    /// politeness gate: the site's turn is held while it is asked, not while
    /// the answer is written.
    pub(super) async fn fetch_check_politely(&self, source_id: i64) -> Result<FetchedCheck> {
        let (url, gap) = self
            .read(async |c| {
                let url = versions::fetch_url(c, source_id).await?;
                Ok((url, settings::host_gap(c).await?))
            })
            .await?;
        self.gate.set_gap(gap);
        let _turn = match url.as_deref().map(url::Url::parse) {
            Some(Ok(u)) => Some(self.gate.enter_url(&u).await),
            _ => None,
        };
        self.clipper.fetch_check(source_id).await
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
