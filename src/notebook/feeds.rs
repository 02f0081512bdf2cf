//! Feeds: subscribing, OPML, autodiscovery, and polling a feed into the
//! library by its rules. A poll is one request (the listing); each item it
//! queues for clipping is one more, made by the scheduler (or at once by
//! [`Notebook::poll_feed`]) behind the same politeness as every re-check.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook, SavedFile};
use crate::charset;
use crate::clip::ClipOutcome;
use crate::error::{Error, Result};
use crate::feeds::discover::{self, DiscoveredFeed};
use crate::feeds::opml::{self, FolderAs, OpmlFeed};
use crate::feeds::{
    self, rules, Feed, FeedKind, FeedPoll, FeedRules, ItemState, NewFeed, PendingItem,
};
use crate::fetch::Validators;
use crate::{projects, schedule, versions};

/// What an OPML import did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpmlImport {
    /// Feeds subscribed.
    pub added: u32,
    /// Feeds already subscribed (left as they were).
    pub already: u32,
    /// Entries that could not be subscribed, one line each.
    pub errors: Vec<String>,
    /// Projects made from folders.
    pub projects_created: u32,
}

impl Notebook {
    /// Subscribes to a feed, news sitemap or section front.
    pub async fn add_feed(&self, feed: NewFeed) -> Result<Feed> {
        self.write(ChangeKind::Feeds, async |c| feeds::insert(c, &feed).await)
            .await
    }

    /// Every subscribed feed with its rules and counts.
    pub async fn feeds(&self) -> Result<Vec<Feed>> {
        self.read(async |c| feeds::list(c).await).await
    }

    pub async fn feed(&self, id: i64) -> Result<Feed> {
        self.read(async |c| feeds::get(c, id).await).await
    }

    /// Unsubscribes; what it clipped stays.
    pub async fn remove_feed(&self, id: i64) -> Result<()> {
        self.write(ChangeKind::Feeds, async |c| feeds::delete(c, id).await)
            .await
    }

    /// Subscribes to every feed of an OPML file with `rules`; folders become
    /// projects (made when missing) or tags, as `folders` says.
    pub async fn import_opml(
        &self,
        bytes: &[u8],
        folders: FolderAs,
        rules: FeedRules,
    ) -> Result<OpmlImport> {
        let text = charset::decode_xml(bytes, None, None).text;
        let entries = opml::parse(&text)?;
        rules.validate()?;
        self.write(ChangeKind::Feeds, async |c| {
            let mut out = OpmlImport::default();
            for entry in entries {
                let mut rules = rules.clone();
                match folders {
                    FolderAs::Project => {
                        if let Some(name) = entry.folders.last() {
                            let project = match projects::find_by_name(&mut *c, name).await? {
                                Some(p) => p,
                                None => {
                                    out.projects_created += 1;
                                    projects::create(&mut *c, name, "").await?
                                }
                            };
                            rules.project_id = Some(project.id);
                        }
                    }
                    FolderAs::Tag => {
                        for f in &entry.folders {
                            if !rules.tags.iter().any(|t| t.eq_ignore_ascii_case(f)) {
                                rules.tags.push(f.clone());
                            }
                        }
                    }
                    FolderAs::Nothing => {}
                }
                let new = NewFeed {
                    url: entry.url.clone(),
                    title: entry.title.clone(),
                    rules,
                    ..NewFeed::default()
                };
                match feeds::insert(&mut *c, &new).await {
                    Ok(_) => out.added += 1,
                    Err(Error::Invalid(m)) if m.starts_with("already subscribed") => {
                        out.already += 1
                    }
                    Err(e @ (Error::Fetch(_) | Error::Invalid(_))) => {
                        out.errors.push(format!("{}: {e}", entry.url))
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
        .await
    }

    /// [`Notebook::import_opml`] of the file at `path` (the app's "Import OPML…").
    pub async fn import_opml_file(
        &self,
        path: &Path,
        folders: FolderAs,
        rules: FeedRules,
    ) -> Result<OpmlImport> {
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        self.import_opml(&bytes, folders, rules).await
    }

    /// [`Notebook::export_opml`] written to `path` (the app's "Export OPML…").
    pub async fn export_opml_to(&self, path: &Path) -> Result<SavedFile> {
        let opml = self.export_opml().await?;
        std::fs::write(path, opml).map_err(|e| Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        SavedFile::at(path)
    }

    /// Every feed as an OPML 2.0 document, in folders named after each feed's
    /// project (else its first tag).
    pub async fn export_opml(&self) -> Result<String> {
        self.read(async |c| {
            let list = feeds::list(&mut *c).await?;
            let mut out = Vec::with_capacity(list.len());
            for f in list {
                let folder = match f.rules.project_id {
                    Some(id) => projects::get(&mut *c, id).await.ok().map(|p| p.name),
                    None => None,
                }
                .or_else(|| f.rules.tags.first().cloned());
                out.push(OpmlFeed {
                    url: f.url,
                    title: f.title,
                    folders: folder.into_iter().collect(),
                });
            }
            Ok(opml::write("Redline feeds", &out))
        })
        .await
    }

    /// The feeds a clipped page announces (`<link rel=alternate>`), read from
    /// its latest capture.
    pub async fn discover_feeds(&self, source_id: i64) -> Result<Vec<DiscoveredFeed>> {
        self.read(async |c| {
            let captures = versions::list_captures(&mut *c, source_id).await?;
            for capture in captures.iter().rev() {
                let Some(raw) = versions::capture_raw(&mut *c, capture.id).await? else {
                    continue;
                };
                let page = capture
                    .final_url
                    .clone()
                    .or_else(|| capture.requested_url.clone())
                    .unwrap_or_default();
                let html = charset::decode_html(&raw, capture.content_type.as_deref(), Some(&page));
                return Ok(discover::discover(&html.text, &page));
            }
            Ok(Vec::new())
        })
        .await
    }

    /// Polls a feed now and clips what its rules want, waiting for each
    /// site's turn ("Refresh now"; tests). The scheduler does the same in steps.
    pub async fn poll_feed(&self, id: i64) -> Result<FeedPoll> {
        let feed = self.feed(id).await?;
        let mut poll = {
            let _turn = match url::Url::parse(&feed.url) {
                Ok(u) => Some(self.gate.enter_url(&u).await),
                Err(_) => None,
            };
            self.poll_feed_at(id, Utc::now(), ChangeOrigin::App).await?
        };
        let pending = self
            .read(async |c| feeds::pending_items(c, Some(id), i64::MAX).await)
            .await?;
        for item in pending {
            let _turn = match item.url.as_deref().map(url::Url::parse) {
                Some(Ok(u)) => Some(self.gate.enter_url(&u).await),
                _ => None,
            };
            match self.clip_item(&item, Utc::now(), ChangeOrigin::App).await {
                Ok(Some(out)) => {
                    poll.clipped += 1;
                    poll.source_ids.push(out.source_id);
                }
                Ok(None) => poll.skipped += 1,
                Err(e) => poll.errors.push(format!(
                    "{}: {e}",
                    item.url.as_deref().unwrap_or("(no address)")
                )),
            }
        }
        Ok(poll)
    }

    /// One request: fetches the feed's listing (conditionally) and records its
    /// new items, queueing those the rules want clipped. A failure is recorded
    /// on the feed (it backs off) and returned in the poll, never an error;
    /// the items it listed before stay.
    pub(crate) async fn poll_feed_at(
        &self,
        id: i64,
        now: DateTime<Utc>,
        origin: ChangeOrigin,
    ) -> Result<FeedPoll> {
        let (feed, validators) = self
            .read(async |c| {
                Ok((
                    feeds::get(&mut *c, id).await?,
                    feeds::validators(c, id).await?,
                ))
            })
            .await?;
        let mut poll = FeedPoll {
            feed_id: id,
            ..FeedPoll::default()
        };
        let fetched = self
            .clipper
            .fetcher()
            .get_feed(&feed.url, &validators)
            .await
            .map_err(Error::from);
        let listing = fetched.and_then(|f| {
            if f.not_modified {
                return Ok((f, None));
            }
            let ct = f.content_type.as_deref();
            let listing = match feed.kind {
                FeedKind::Feed => feeds::parse::parse_feed(&f.body, ct, &f.final_url),
                FeedKind::Sitemap => feeds::sitemap::parse_sitemap(&f.body, ct, &f.final_url),
                FeedKind::Front => feeds::front::parse_front(
                    &f.body,
                    ct,
                    &f.final_url,
                    feed.path_prefix.as_deref().unwrap_or("/"),
                ),
            }?;
            Ok((f, Some(listing)))
        });
        let (fetched, listing) = match listing {
            Ok(ok) => ok,
            Err(e) => {
                let message = e.to_string();
                self.write_as(origin, ChangeKind::Feeds, async |c| {
                    feeds::record_poll(c, id, now, Err(&message)).await
                })
                .await?;
                poll.error_code = Some(e.code().to_string());
                poll.error = Some(message);
                return Ok(poll);
            }
        };
        poll.not_modified = listing.is_none();
        let query = feed.rules.matcher()?;
        let validators = Validators {
            etag: fetched.etag.clone(),
            last_modified: fetched.last_modified.clone(),
        };
        self.write_as(origin, ChangeKind::Feeds, async |c| {
            if let Some(listing) = &listing {
                for item in &listing.items {
                    if feeds::seen(&mut *c, id, item).await? {
                        continue;
                    }
                    poll.new_items += 1;
                    if let Some(source) = feeds::known_source(&mut *c, item).await? {
                        poll.duplicates += 1;
                        feeds::insert_item(
                            &mut *c,
                            id,
                            item,
                            ItemState::Clipped,
                            Some(source),
                            false,
                            false,
                            now,
                        )
                        .await?;
                        feeds::file_source(&mut *c, &feed.rules, source).await?;
                        continue;
                    }
                    let decided = rules::listing_matches(query.as_ref(), item);
                    let pending = feed.rules.auto_clip && item.url.is_some();
                    poll.skipped += u32::from(!pending);
                    feeds::insert_item(
                        &mut *c,
                        id,
                        item,
                        ItemState::New,
                        None,
                        pending,
                        decided.is_none(),
                        now,
                    )
                    .await?;
                }
            }
            let title = listing.as_ref().and_then(|l| l.title.as_deref());
            feeds::record_poll(c, id, now, Ok((&validators, title))).await
        })
        .await?;
        Ok(poll)
    }

    /// One request: clips a queued item (unless the library meanwhile holds
    /// its story, or its text does not match the feed's query) and files it
    /// by the feed's rules. Ok(None): not clipped, left for triage.
    pub(crate) async fn clip_item(
        &self,
        item: &PendingItem,
        now: DateTime<Utc>,
        origin: ChangeOrigin,
    ) -> Result<Option<ClipOutcome>> {
        let feed = self.feed(item.feed_id).await?;
        let Some(url) = item.url.clone() else {
            self.write_as(origin, ChangeKind::Feeds, async |c| {
                feeds::settle_item(c, item.id, None).await
            })
            .await?;
            return Ok(None);
        };
        let probe = feeds::Item {
            url: Some(url.clone()),
            title: item.title.clone(),
            ..feeds::Item::default()
        };
        if let Some(source) = self
            .read(async |c| feeds::known_source(c, &probe).await)
            .await?
        {
            self.write_as(origin, ChangeKind::Feeds, async |c| {
                feeds::settle_item(&mut *c, item.id, Some(source)).await?;
                feeds::file_source(c, &feed.rules, source).await
            })
            .await?;
            return Ok(None);
        }
        let query = feed.rules.matcher()?.filter(|_| item.needs_text);
        let clipped = self
            .clipper
            .clip_url_if(&url, |article| match &query {
                Some(q) => rules::text_matches(q, &probe, &article.text(), article.lang.as_deref()),
                None => true,
            })
            .await;
        let clipped = match clipped {
            Ok(c) => c,
            Err(e) => {
                // Leave it for triage: the reporter sees the item and can clip it by hand.
                self.write_as(origin, ChangeKind::Feeds, async |c| {
                    feeds::settle_item(c, item.id, None).await
                })
                .await?;
                return Err(e);
            }
        };
        let source = clipped.as_ref().map(|o| o.source_id);
        self.write_as(origin, ChangeKind::Sources, async |c| {
            feeds::settle_item(&mut *c, item.id, source).await?;
            if let Some(source) = source {
                feeds::file_source(&mut *c, &feed.rules, source).await?;
                if feed.rules.watch_items {
                    schedule::start(c, source, now, true).await?;
                }
            }
            Ok(())
        })
        .await?;
        Ok(clipped)
    }

    /// [`Notebook::write`] announced with a given origin (the scheduler's is `watch`).
    pub(crate) async fn write_as<T>(
        &self,
        origin: ChangeOrigin,
        what: ChangeKind,
        f: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        let mut tx = self.db.write().await?;
        let out = f(&mut tx).await?;
        tx.commit().await?;
        self.announce(LibraryChange::new(origin, what));
        Ok(out)
    }
}
