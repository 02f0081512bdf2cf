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
use crate::{address, charset, projects, tags, versions};

/// URLs fetched at once (to different sites: one site waits its turn).
const PARALLEL_FETCHES: usize = 4;

/// How long an open batch waits for its next item before it is committed
/// with what it has (URLs come seconds apart behind the politeness gate).
const IDLE_COMMIT: std::time::Duration = std::time::Duration::from_millis(250);

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
        let (items, total) = match &from {
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
        // Extraction in flight: one core is left to the writer (and SQLite's
        // thread), whose work per page is the longer; more pages in flight
        // only contend with it for that core (measured: 1,000 pages on two
        // cores, 2.3 s with one in flight, 2.5–3.1 s with four). Fetches
        // wait on the network, not a core, so several go at once.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let in_flight = match &from {
            ImportFrom::UrlList(_) | ImportFrom::Bookmarks(_) => PARALLEL_FETCHES,
            ImportFrom::Folder(_) | ImportFrom::Archive(_) => (cores - 1).max(1),
        };
        let size = options.batch.max(1);
        // Reading runs ahead of the writer, up to a batch: pages are
        // extracted on the other cores while the writer stores each one as
        // it comes, so neither waits for a whole batch of the other.
        let (ready, mut arrived) = mpsc::channel::<Outcome>(size);
        let known_for_reading = Arc::clone(&known);
        let read = async move {
            let outcomes = stream::unfold(items, |mut items| async move {
                items.next().await.map(|item| (item, items))
            })
            .map(|item| self.prepare(item, max_bytes, Arc::clone(&known_for_reading)))
            .buffered(in_flight);
            let mut outcomes = std::pin::pin!(outcomes);
            while let Some(outcome) = outcomes.next().await {
                // The writer stopped (an error): stop reading.
                if ready.send(outcome).await.is_err() {
                    break;
                }
            }
        };
        let project = project.as_ref().map(|p| p.id);
        let write = async {
            let written = async {
                let mut batch: Option<Batch> = None;
                loop {
                    // A batch open while nothing arrives (URLs behind the
                    // politeness gate) is committed rather than held: it keeps
                    // the library's write lock.
                    let next = match batch {
                        Some(_) => tokio::time::timeout(IDLE_COMMIT, arrived.recv()).await.ok(),
                        None => Some(arrived.recv().await),
                    };
                    let Some(Some(outcome)) = next else {
                        // Idle (None) or the end: commit what is open.
                        if let Some(open) = batch.take() {
                            let n = open.commit().await?;
                            state.advance(n, &report);
                            progress(&state);
                        }
                        match next {
                            None => continue,
                            Some(_) => break,
                        }
                    };
                    let open = match &mut batch {
                        Some(open) => open,
                        None => batch.insert(Batch::begin(self.db.write().await?).await?),
                    };
                    self.store_outcome(&mut open.tx, outcome, project, &known, &mut report)
                        .await?;
                    open.items += 1;
                    if open.items as usize >= size {
                        let n = batch.take().expect("a batch is open").commit().await?;
                        state.advance(n, &report);
                        progress(&state);
                    }
                }
                Ok::<(), Error>(())
            }
            .await;
            // Reading stops too (its next hand-over fails) if writing failed.
            arrived.close();
            written
        };
        let ((), written) = tokio::join!(read, write);
        written?;
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

    /// Stores one item's outcome in the batch's transaction `tx`.
    async fn store_outcome(
        &self,
        tx: &mut sqlx::SqliteConnection,
        outcome: Outcome,
        project: Option<i64>,
        known: &Known,
        report: &mut ImportReport,
    ) -> Result<()> {
        let p = match outcome {
            Outcome::Ready(p) => p,
            Outcome::Duplicate => {
                report.duplicates += 1;
                return Ok(());
            }
            Outcome::Skipped => {
                report.skipped += 1;
                return Ok(());
            }
            Outcome::Noted(f) => {
                report.skipped += 1;
                report.skips.push(f);
                return Ok(());
            }
            Outcome::Revisit(r) => {
                match import::store_revisit(&mut *tx, &r).await? {
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
                return Ok(());
            }
            Outcome::Failed(f) => {
                report.failed.push(f);
                return Ok(());
            }
        };
        // Two items of one batch may be the same page.
        if known.holds(&p.captured.keys, &p.raw_sha256) {
            report.duplicates += 1;
            return Ok(());
        }
        let keys = p.captured.keys.clone();
        let at = p.captured_at.clone().unwrap_or_else(crate::time::now);
        let clip::Stored {
            outcome: out,
            url_key,
        } = clip::store_captured(&mut *tx, p.captured, &at).await?;
        for k in url_key.iter().chain(keys.first()) {
            known.add(k, &p.raw_sha256);
        }
        for tag in &p.tags {
            tags::tag_sources(&mut *tx, &[out.source_id], tag).await?;
        }
        if let Some(project) = project {
            projects::add_sources(&mut *tx, project, &[out.source_id]).await?;
        }
        report.imported += 1;
        report.new_sources += u32::from(out.new_source);
        report.new_versions += u32::from(out.new_version);
        Ok(())
    }
}

/// A batch's open transaction, and what it must do before committing.
struct Batch {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    /// Items stored in it so far.
    items: u64,
    /// The last version and quote ids before it: the rows it inserts come
    /// after.
    since: versions::LastIds,
}

impl Batch {
    async fn begin(mut tx: sqlx::Transaction<'static, sqlx::Sqlite>) -> Result<Self> {
        let since = versions::last_ids(&mut tx).await?;
        Ok(Batch {
            tx,
            items: 0,
            since,
        })
    }

    /// Indexes the words of the versions and quotes it stored (made ahead,
    /// so left out of the word indexes as they went in) and commits;
    /// returns the number of items.
    async fn commit(mut self) -> Result<u64> {
        versions::index_words_since(&mut self.tx, self.since).await?;
        self.tx.commit().await?;
        Ok(self.items)
    }
}

impl ImportProgress {
    /// Counts `n` more items done, and the report's tallies so far.
    fn advance(&mut self, n: u64, report: &ImportReport) {
        self.done += n;
        self.imported = report.imported;
        self.duplicates = report.duplicates;
        self.failed = report.failed.len() as u32;
    }
}
