//! Batch import (see [`crate::import`]): items are read a batch at a time —
//! files and archive pages extracted on every core, URLs fetched behind the
//! notebook's politeness gate — then stored in one transaction per batch.

use std::sync::Arc;
use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use tokio::sync::mpsc;

use super::{ChangeKind, Notebook};
use crate::clip;
use crate::error::{Error, Result};
use crate::fetch::Validators;
use crate::import::{
    self, ImportFailure, ImportFrom, ImportOptions, ImportProgress, ImportReport, Item, Known,
    Link, Outcome, Revisited,
};
use crate::{address, charset, projects, tags};

/// URLs fetched at once (to different sites: one site waits its turn).
const PARALLEL_FETCHES: usize = 4;

/// Where items come from: a list known up front, or an archive being read.
enum Items {
    Listed(std::vec::IntoIter<Item>),
    Streamed(mpsc::Receiver<Item>),
}

impl Items {
    async fn next(&mut self) -> Option<Item> {
        match self {
            Items::Listed(it) => it.next(),
            Items::Streamed(rx) => rx.recv().await,
        }
    }
}

impl Notebook {
    /// Imports `from` into the library, a batch per transaction; `progress`
    /// hears after each batch. Items that cannot be read or fetched are
    /// listed in the report, never fatal; one the library already holds
    /// (same address, same bytes) is counted as a duplicate.
    pub async fn import(
        &self,
        from: ImportFrom,
        options: ImportOptions,
        mut progress: impl FnMut(&ImportProgress),
    ) -> Result<ImportReport> {
        let started = Instant::now();
        let max_bytes = self.clipper.fetcher().limits.max_bytes;
        let read_text = |path: &std::path::Path| -> Result<String> {
            let bytes = std::fs::read(path).map_err(|e| Error::Io {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
            Ok(charset::decode_html(&bytes, None, None).text)
        };
        let (mut items, total) = match &from {
            ImportFrom::Folder(dir) => {
                let files = import::saved_pages(dir)?;
                let n = files.len() as u64;
                (
                    Items::Listed(
                        files
                            .into_iter()
                            .map(Item::File)
                            .collect::<Vec<_>>()
                            .into_iter(),
                    ),
                    Some(n),
                )
            }
            ImportFrom::UrlList(path) | ImportFrom::Bookmarks(path) => {
                let text = read_text(path)?;
                let links = if matches!(from, ImportFrom::Bookmarks(_)) {
                    import::parse_bookmarks(&text)
                } else {
                    import::parse_url_list(&text)
                };
                let n = links.len() as u64;
                (
                    Items::Listed(
                        links
                            .into_iter()
                            .map(Item::Link)
                            .collect::<Vec<_>>()
                            .into_iter(),
                    ),
                    Some(n),
                )
            }
            ImportFrom::Archive(path) => {
                let (tx, rx) = mpsc::channel(options.batch.max(1) * 2);
                let path = path.clone();
                tokio::task::spawn_blocking(move || {
                    import::read_archive(&path, max_bytes, |item| tx.blocking_send(item).is_ok())
                });
                (Items::Streamed(rx), None)
            }
        };

        let (known, project) = {
            let mut tx = self.db.write().await?;
            let known = Arc::new(Known::load(&mut tx).await?);
            let project = match options.project.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => {
                    Some(match projects::find_by_name(&mut tx, name).await? {
                        Some(p) => p,
                        None => projects::create(&mut tx, name, "").await?,
                    })
                }
                _ => None,
            };
            tx.commit().await?;
            (known, project)
        };

        let mut report = ImportReport::default();
        let mut state = ImportProgress {
            total,
            ..ImportProgress::default()
        };
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let size = options.batch.max(1);
        // One batch is stored (one core, the library's writer) while the
        // next is read and extracted (the other cores): the writes no
        // longer wait for the reading, nor the reading for the writes.
        let mut stored: Option<(Vec<Outcome>, u64)> = None;
        loop {
            let mut batch = Vec::with_capacity(size);
            while batch.len() < size {
                match items.next().await {
                    Some(item) => batch.push(item),
                    None => break,
                }
            }
            let n = batch.len() as u64;
            let read = stream::iter(batch)
                .map(|item| self.prepare(item, max_bytes, Arc::clone(&known)))
                .buffered(workers.max(PARALLEL_FETCHES))
                .collect::<Vec<Outcome>>();
            let store = async {
                match stored.take() {
                    Some((outcomes, done)) => self
                        .store_batch(
                            outcomes,
                            project.as_ref().map(|p| p.id),
                            &known,
                            &mut report,
                        )
                        .await
                        .map(|()| done),
                    None => Ok(0),
                }
            };
            let (outcomes, done) = tokio::join!(read, store);
            let done = done?;
            if done > 0 {
                state.done += done;
                state.imported = report.imported;
                state.duplicates = report.duplicates;
                state.failed = report.failed.len() as u32;
                progress(&state);
            }
            if n == 0 {
                break;
            }
            stored = Some((outcomes, n));
        }
        if report.imported > 0 {
            self.announce_app(ChangeKind::Sources);
        }
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Reads one item: a file or archive page extracted on a blocking
    /// thread, a link fetched politely first.
    async fn prepare(&self, item: Item, max_bytes: u64, known: Arc<Known>) -> Outcome {
        match item {
            Item::Failed {
                origin,
                code,
                reason,
            } => Outcome::Failed(ImportFailure {
                item: origin,
                code: code.into(),
                reason,
            }),
            Item::Skipped => Outcome::Skipped,
            Item::Noted {
                origin,
                code,
                reason,
            } => Outcome::Noted(ImportFailure {
                item: origin,
                code: code.into(),
                reason,
            }),
            Item::Revisit(r) => Outcome::Revisit(r),
            Item::File(path) => {
                tokio::task::spawn_blocking(move || import::prepare_file(&path, max_bytes, &known))
                    .await
                    .unwrap_or_else(|e| {
                        Outcome::failed("a saved page", &Error::Invalid(e.to_string()))
                    })
            }
            Item::Page(page) => {
                tokio::task::spawn_blocking(move || import::prepare_page(*page, &known))
                    .await
                    .unwrap_or_else(|e| {
                        Outcome::failed("an archive record", &Error::Invalid(e.to_string()))
                    })
            }
            Item::Link(link) => self.fetch_link(link, &known).await,
        }
    }

    /// Fetches one listed URL behind the politeness gate. A URL the library
    /// already files a source under is a duplicate, not fetched again (a
    /// re-check is `check`'s work).
    async fn fetch_link(&self, link: Link, known: &Known) -> Outcome {
        let what = format!("{} ({})", link.url, link.origin);
        let url = match address::parse_clip_url(&link.url) {
            Ok(u) => u,
            Err(e) => return Outcome::failed(what, &e.into()),
        };
        if known.has_source(&address::url_key(&url)) {
            return Outcome::Duplicate;
        }
        let fetched = {
            let _turn = self.gate.enter_url(&url).await;
            self.clipper
                .fetcher()
                .get(url.as_str(), &Validators::default())
                .await
        };
        match fetched {
            Err(e) => Outcome::failed(what, &e.into()),
            Ok(f) => import::prepare_fetched(&f, &link, known),
        }
    }

    /// Stores one batch's pages in one transaction.
    async fn store_batch(
        &self,
        outcomes: Vec<Outcome>,
        project: Option<i64>,
        known: &Known,
        report: &mut ImportReport,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        let now = crate::time::now();
        for outcome in outcomes {
            let p = match outcome {
                Outcome::Ready(p) => p,
                Outcome::Duplicate => {
                    report.duplicates += 1;
                    continue;
                }
                Outcome::Skipped => {
                    report.skipped += 1;
                    continue;
                }
                Outcome::Noted(f) => {
                    report.skipped += 1;
                    report.skips.push(f);
                    continue;
                }
                Outcome::Revisit(r) => {
                    match import::store_revisit(&mut tx, &r).await? {
                        Revisited::Stored(new_version) => {
                            report.imported += 1;
                            report.unchanged += u32::from(!new_version);
                            report.new_versions += u32::from(new_version);
                        }
                        Revisited::Duplicate => report.duplicates += 1,
                        Revisited::Unresolved(reason) => {
                            report.skipped += 1;
                            report.skips.push(ImportFailure {
                                item: r.origin,
                                code: "revisit_unresolved".into(),
                                reason,
                            });
                        }
                    }
                    continue;
                }
                Outcome::Failed(f) => {
                    report.failed.push(f);
                    continue;
                }
            };
            // Two items of one batch may be the same page.
            if known.holds(&p.captured.keys, &p.raw_sha256) {
                report.duplicates += 1;
                continue;
            }
            let keys = p.captured.keys.clone();
            let at = p.captured_at.clone().unwrap_or_else(|| now.clone());
            let out = clip::store_captured(&mut tx, p.captured, &at).await?;
            let key = import::source_key(&mut tx, out.source_id).await?;
            for k in key.iter().chain(keys.first()) {
                known.add(k, &p.raw_sha256);
            }
            for tag in &p.tags {
                tags::tag_sources(&mut tx, &[out.source_id], tag).await?;
            }
            if let Some(project) = project {
                projects::add_sources(&mut tx, project, &[out.source_id]).await?;
            }
            report.imported += 1;
            report.new_sources += u32::from(out.new_source);
            report.new_versions += u32::from(out.new_version);
        }
        tx.commit().await?;
        Ok(())
    }
}
