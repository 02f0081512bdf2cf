//! Feeds: the listings a reporter follows for a beat (RSS, Atom, JSON Feed,
//! RDF, news sitemaps and section fronts), their rules, and the items they
//! have listed. Parsing lives in the submodules; this file holds the types
//! and every SQL statement about feeds.
//!
//! An item is recognised by its url key ([`crate::address::url_key`]) across
//! every feed and the whole library, so a wire story carried by three feeds
//! is clipped once.

pub mod discover;
pub mod front;
pub mod opml;
pub mod parse;
pub mod rules;
pub mod sitemap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::address;
use crate::error::{Error, Result};
use crate::time;

pub use rules::FeedRules;

/// What kind of listing a feed is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FeedKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    #[default]
    Feed,
    /// A news sitemap (`<urlset>` with the news extension).
    Sitemap,
    /// A section front: its same-site links under a path prefix are the items.
    Front,
}

impl FeedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Feed => "feed",
            FeedKind::Sitemap => "sitemap",
            FeedKind::Front => "front",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "feed" | "rss" | "atom" | "json" => Ok(FeedKind::Feed),
            "sitemap" => Ok(FeedKind::Sitemap),
            "front" | "page" => Ok(FeedKind::Front),
            other => Err(Error::Invalid(format!(
                "unknown feed kind \"{other}\" (use feed, sitemap or front)"
            ))),
        }
    }
}

/// The least and default time between two polls of one feed.
pub const MIN_FEED_EVERY: Duration = Duration::minutes(5);
pub const DEFAULT_FEED_EVERY: Duration = Duration::hours(1);

/// A feed to subscribe to.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewFeed {
    pub url: String,
    pub kind: FeedKind,
    pub title: Option<String>,
    /// For a section front: only links whose path starts with this count
    /// (default: the front's own path).
    pub path_prefix: Option<String>,
    pub rules: FeedRules,
    /// Fetch even where robots.txt disallows it (the reporter's decision).
    pub ignore_robots: bool,
    /// Seconds between polls (default an hour, at least five minutes).
    pub every_secs: Option<i64>,
}

/// A subscribed feed as the app and the CLI show it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Feed {
    pub id: i64,
    pub url: String,
    pub kind: FeedKind,
    pub title: Option<String>,
    pub path_prefix: Option<String>,
    pub rules: FeedRules,
    pub ignore_robots: bool,
    pub every_secs: i64,
    pub created_at: String,
    pub last_checked_at: Option<String>,
    pub next_check_at: Option<String>,
    pub failure_count: i64,
    pub last_error: Option<String>,
    /// Items listed so far, and how many of them were clipped.
    pub items: i64,
    pub clipped: i64,
}

/// One item a feed lists: a story's address and what the listing says of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The feed's own id for the item (guid, Atom id), else its URL.
    pub guid: String,
    /// Absolute http(s) URL of the story (relative links already resolved).
    pub url: Option<String>,
    pub title: Option<String>,
    /// Summary or description as plain text.
    pub summary: Option<String>,
    /// Full content when the feed carries it (HTML).
    pub content: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub lang: Option<String>,
}

/// What one listing held: its title and items, in the listing's order.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// What one poll of a feed did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FeedPoll {
    pub feed_id: i64,
    /// The server answered 304: nothing was read.
    pub not_modified: bool,
    /// Items the feed listed for the first time.
    pub new_items: u32,
    /// New items clipped (a new source, or a new version of one).
    pub clipped: u32,
    /// New items whose story the library already held (another feed, a clip).
    pub duplicates: u32,
    /// New items the rules did not clip (auto-clip off, or the query did
    /// not match): listed for triage.
    pub skipped: u32,
    /// Sources of the clipped items.
    pub source_ids: Vec<i64>,
    /// Items that could not be clipped, one line each.
    pub errors: Vec<String>,
    /// The poll failed (fetch or parse): the feed's items stay as they were.
    pub error: Option<String>,
    pub error_code: Option<String>,
}

const FEED_COLUMNS: &str = "f.id, f.url, f.kind, f.title, f.path_prefix, f.auto_clip, f.query, \
     f.project_id, f.tags, f.watch_items, f.ignore_robots, f.every_secs, f.created_at, \
     f.last_checked_at, f.next_check_at, f.failure_count, f.last_error, \
     (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id) AS items, \
     (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id AND i.state = 'clipped') AS clipped";

#[derive(sqlx::FromRow)]
struct FeedRow {
    id: i64,
    url: String,
    kind: String,
    title: Option<String>,
    path_prefix: Option<String>,
    auto_clip: bool,
    query: Option<String>,
    project_id: Option<i64>,
    tags: String,
    watch_items: bool,
    ignore_robots: bool,
    every_secs: i64,
    created_at: String,
    last_checked_at: Option<String>,
    next_check_at: Option<String>,
    failure_count: i64,
    last_error: Option<String>,
    items: i64,
    clipped: i64,
}

fn feed_of(r: FeedRow) -> Result<Feed> {
    Ok(Feed {
        id: r.id,
        url: r.url,
        kind: FeedKind::parse(&r.kind)?,
        title: r.title,
        path_prefix: r.path_prefix,
        rules: FeedRules {
            auto_clip: r.auto_clip,
            query: r.query,
            project_id: r.project_id,
            tags: serde_json::from_str(&r.tags).unwrap_or_default(),
            watch_items: r.watch_items,
        },
        ignore_robots: r.ignore_robots,
        every_secs: r.every_secs,
        created_at: r.created_at,
        last_checked_at: r.last_checked_at,
        next_check_at: r.next_check_at,
        failure_count: r.failure_count,
        last_error: r.last_error,
        items: r.items,
        clipped: r.clipped,
    })
}

/// Subscribes to a feed; the URL must be http(s) and not yet subscribed. Due at once.
pub async fn insert(conn: &mut SqliteConnection, feed: &NewFeed) -> Result<Feed> {
    let url = address::parse_clip_url(&feed.url)?;
    feed.rules.validate()?;
    let every = feed
        .every_secs
        .unwrap_or(DEFAULT_FEED_EVERY.num_seconds())
        .max(MIN_FEED_EVERY.num_seconds());
    let prefix = match (feed.kind, &feed.path_prefix) {
        (_, Some(p)) if !p.trim().is_empty() => Some(p.trim().to_string()),
        (FeedKind::Front, _) => Some(url.path().to_string()),
        _ => None,
    };
    let tags = serde_json::to_string(&feed.rules.tags).unwrap_or_else(|_| "[]".into());
    let done = sqlx::query(
        "INSERT INTO feeds (url, title, auto_clip, created_at, kind, path_prefix, query, \
         project_id, tags, watch_items, ignore_robots, every_secs) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (url) DO NOTHING",
    )
    .bind(url.as_str())
    .bind(
        feed.title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty()),
    )
    .bind(feed.rules.auto_clip)
    .bind(time::now())
    .bind(feed.kind.as_str())
    .bind(prefix)
    .bind(feed.rules.query.as_deref())
    .bind(feed.rules.project_id)
    .bind(tags)
    .bind(feed.rules.watch_items)
    .bind(feed.ignore_robots)
    .bind(every)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Invalid(format!("already subscribed to {url}")));
    }
    get(conn, done.last_insert_rowid()).await
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Feed> {
    let row: Option<FeedRow> = sqlx::query_as(&format!(
        "SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = ?1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    feed_of(row.ok_or_else(|| Error::not_found("feed", id))?)
}

/// Every feed, in the order they were added.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Feed>> {
    let rows: Vec<FeedRow> =
        sqlx::query_as(&format!("SELECT {FEED_COLUMNS} FROM feeds f ORDER BY f.id"))
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(feed_of).collect()
}

/// Unsubscribes; the stories it clipped stay in the library.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM feeds WHERE id = ?1")
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found("feed", id));
    }
    Ok(())
}

/// Feeds due for a poll at `now`, the longest-waiting first.
pub async fn due(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<Vec<i64>> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM feeds WHERE next_check_at IS NULL OR next_check_at <= ?1 \
         ORDER BY next_check_at IS NOT NULL, next_check_at, id",
    )
    .bind(time::format(now))
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}

/// The earliest time any feed is due (None: no feeds).
pub async fn next_due(conn: &mut SqliteConnection) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MIN(COALESCE(next_check_at, '')) FROM feeds")
            .fetch_optional(conn)
            .await?;
    Ok(match row.and_then(|(t,)| t) {
        Some(t) if t.is_empty() => Some(DateTime::<Utc>::MIN_UTC),
        Some(t) => time::parse(&t),
        None => None,
    })
}

/// The validators of the feed's last good answer.
pub async fn validators(conn: &mut SqliteConnection, id: i64) -> Result<crate::fetch::Validators> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT etag, last_modified FROM feeds WHERE id = ?1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    let (etag, last_modified) = row.ok_or_else(|| Error::not_found("feed", id))?;
    Ok(crate::fetch::Validators {
        etag,
        last_modified,
    })
}

/// Records a poll: a success keeps its validators (and the listing's title
/// when the feed had none) and clears the failures; a failure backs off by
/// [`crate::watch::next_check_at`] and keeps everything the feed listed.
pub async fn record_poll(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
    outcome: std::result::Result<(&crate::fetch::Validators, Option<&str>), &str>,
) -> Result<DateTime<Utc>> {
    let (every, failures): (i64, i64) =
        sqlx::query_as("SELECT every_secs, failure_count FROM feeds WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| Error::not_found("feed", id))?;
    let base = Duration::seconds(every);
    match outcome {
        Ok((v, title)) => {
            let next = crate::watch::next_check_at(now, 0, base);
            sqlx::query(
                "UPDATE feeds SET etag = ?1, last_modified = ?2, title = COALESCE(title, ?3), \
                 last_checked_at = ?4, next_check_at = ?5, failure_count = 0, last_error = NULL \
                 WHERE id = ?6",
            )
            .bind(&v.etag)
            .bind(&v.last_modified)
            .bind(title)
            .bind(time::format(now))
            .bind(time::format(next))
            .bind(id)
            .execute(conn)
            .await?;
            Ok(next)
        }
        Err(message) => {
            let failures = u32::try_from(failures).unwrap_or(0).saturating_add(1);
            let next = crate::watch::next_check_at(now, failures, base);
            sqlx::query(
                "UPDATE feeds SET last_checked_at = ?1, next_check_at = ?2, \
                 failure_count = ?3, last_error = ?4 WHERE id = ?5",
            )
            .bind(time::format(now))
            .bind(time::format(next))
            .bind(i64::from(failures))
            .bind(message)
            .bind(id)
            .execute(conn)
            .await?;
            Ok(next)
        }
    }
}

/// The url key of an item, when its URL is a clippable address.
pub fn item_key(item: &Item) -> Option<String> {
    let url = address::parse_clip_url(item.url.as_deref()?).ok()?;
    Some(address::url_key(&url))
}

/// True when this feed already listed the item (by guid or by url key).
pub async fn seen(conn: &mut SqliteConnection, feed_id: i64, item: &Item) -> Result<bool> {
    let key = item_key(item);
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM feed_items WHERE feed_id = ?1 AND (guid = ?2 OR (?3 IS NOT NULL AND url_key = ?3)) LIMIT 1",
    )
    .bind(feed_id)
    .bind(&item.guid)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// The source that already holds this story: one clipped from any feed, or
/// any source of the library under the same url key.
pub async fn known_source(conn: &mut SqliteConnection, item: &Item) -> Result<Option<i64>> {
    let Some(key) = item_key(item) else {
        return Ok(None);
    };
    if let Some(id) = crate::versions::find_source_by_key(&mut *conn, &key).await? {
        return Ok(Some(id));
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT source_id FROM feed_items WHERE url_key = ?1 AND source_id IS NOT NULL LIMIT 1",
    )
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// How an item stands after a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemState {
    New,
    Clipped,
    Dismissed,
}

impl ItemState {
    fn as_str(self) -> &'static str {
        match self {
            ItemState::New => "new",
            ItemState::Clipped => "clipped",
            ItemState::Dismissed => "dismissed",
        }
    }
}

/// Records an item the feed listed (once per feed and guid). `pending`
/// queues it for clipping; `needs_text` says its text must match the query.
#[allow(clippy::too_many_arguments)]
pub async fn insert_item(
    conn: &mut SqliteConnection,
    feed_id: i64,
    item: &Item,
    state: ItemState,
    source_id: Option<i64>,
    pending: bool,
    needs_text: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO feed_items (feed_id, guid, url, title, published_at, seen_at, state, \
         source_id, url_key, clip_pending, needs_text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (feed_id, guid) DO NOTHING",
    )
    .bind(feed_id)
    .bind(&item.guid)
    .bind(&item.url)
    .bind(&item.title)
    .bind(item.published_at.map(time::format))
    .bind(time::format(now))
    .bind(state.as_str())
    .bind(source_id)
    .bind(item_key(item))
    .bind(pending)
    .bind(needs_text)
    .execute(conn)
    .await?;
    Ok(())
}

/// A listed item waiting to be clipped.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingItem {
    pub id: i64,
    pub feed_id: i64,
    pub url: Option<String>,
    pub title: Option<String>,
    pub needs_text: bool,
}

/// Items waiting to be clipped, oldest first (of `feed_id` only, if given).
pub async fn pending_items(
    conn: &mut SqliteConnection,
    feed_id: Option<i64>,
    limit: i64,
) -> Result<Vec<PendingItem>> {
    Ok(sqlx::query_as(
        "SELECT id, feed_id, url, title, needs_text FROM feed_items \
         WHERE clip_pending = 1 AND (?1 IS NULL OR feed_id = ?1) ORDER BY id LIMIT ?2",
    )
    .bind(feed_id)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Settles a pending item: clipped into `source_id`, or left for triage.
pub async fn settle_item(
    conn: &mut SqliteConnection,
    item_id: i64,
    source_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE feed_items SET clip_pending = 0, source_id = COALESCE(?1, source_id), \
         state = CASE WHEN ?1 IS NULL THEN state ELSE 'clipped' END WHERE id = ?2",
    )
    .bind(source_id)
    .bind(item_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Files a clipped item's source where the feed's rules say: its project,
/// its tags, and watched when the rule watches items.
pub async fn file_source(
    conn: &mut SqliteConnection,
    rules: &FeedRules,
    source_id: i64,
) -> Result<()> {
    if let Some(project) = rules.project_id {
        crate::projects::add_sources(&mut *conn, project, &[source_id]).await?;
    }
    for tag in &rules.tags {
        crate::tags::tag_sources(&mut *conn, &[source_id], tag).await?;
    }
    if rules.watch_items {
        let watched: Option<(bool,)> = sqlx::query_as("SELECT watched FROM sources WHERE id = ?1")
            .bind(source_id)
            .fetch_optional(&mut *conn)
            .await?;
        if watched == Some((false,)) {
            crate::library::set_watched(&mut *conn, &[source_id], true).await?;
            crate::watch::set_watched(&mut *conn, source_id, true).await?;
        }
    }
    Ok(())
}
