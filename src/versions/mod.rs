//! Sources, their versions and every capture attempt: the storage of the
//! revision history. All SQL about these three tables lives here; the
//! captures (the evidence: every attempt, its raw bytes) in [`capture`].

pub mod blob;
pub mod capture;
pub mod head;
pub mod layout;
pub mod upgrade;

pub use capture::{
    browser_provenance, capture_heads, capture_raw, captured_page, fetch_url, get_capture,
    head_expectation, insert_browser_provenance, insert_capture, insert_packed_capture,
    last_answer_before, last_validators, list_captures, origin_capture, raw_hashes_by_url_key,
    sources_holding, BrowserProvenance, Capture, CaptureMethod, CaptureOutcome, CaptureRecord,
    CapturedPage, HeadExpectation, CAPTURED_TEXT_MAX, CAPTURE_FROM,
};

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Row, SqliteConnection};

use crate::article::{Article, Block, Dir};
use crate::db::SqliteQuery;
use crate::derived::Stems;
use crate::error::{Error, Result};
use crate::extract::{LowConfidence, EXTRACTOR};

/// One revision of a source's article.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Version {
    pub id: i64,
    pub source_id: i64,
    pub seq: i64,
    pub created_at: String,
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub lang: Option<String>,
    pub dir: Dir,
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub excerpt: Option<String>,
    pub blocks: Vec<Block>,
    /// Blocks joined by "\n\n"; highlight and quote offsets count chars in it.
    pub text: String,
    pub text_sha256: String,
    /// The extractor that made `text` from the capture ([`EXTRACTOR`] for
    /// new versions; None: made before extractors were recorded).
    pub extractor: Option<String>,
    /// Why the extraction may have missed the article; the reader marks it
    /// and offers the page as captured.
    pub low_confidence: Option<LowConfidence>,
}

const VERSION_COLUMNS: &str = "id, source_id, seq, created_at, title, byline, site_name, lang, \
     dir, published_at, modified_at, excerpt, blocks, text, text_sha256, extractor, \
     low_confidence";

impl<'r> FromRow<'r, sqlx::sqlite::SqliteRow> for Version {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> sqlx::Result<Self> {
        let stored: String = row.try_get("blocks")?;
        let text: String = row.try_get("text")?;
        let blocks = layout::decode(&stored, &text).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "blocks".into(),
            source: "the block layout does not fit the version's text".into(),
        })?;
        let dir: String = row.try_get("dir")?;
        Ok(Version {
            id: row.try_get("id")?,
            source_id: row.try_get("source_id")?,
            seq: row.try_get("seq")?,
            created_at: row.try_get("created_at")?,
            title: row.try_get("title")?,
            byline: row.try_get("byline")?,
            site_name: row.try_get("site_name")?,
            lang: row.try_get("lang")?,
            dir: Dir::parse(&dir),
            published_at: row.try_get("published_at")?,
            modified_at: row.try_get("modified_at")?,
            excerpt: row.try_get("excerpt")?,
            blocks,
            text,
            text_sha256: row.try_get("text_sha256")?,
            extractor: row.try_get("extractor")?,
            low_confidence: row
                .try_get::<Option<String>, _>("low_confidence")?
                .as_deref()
                .and_then(LowConfidence::parse),
        })
    }
}

impl Version {
    /// The article this version holds.
    pub fn article(&self) -> Article {
        Article {
            title: self.title.clone(),
            byline: self.byline.clone(),
            site_name: self.site_name.clone(),
            lang: self.lang.clone(),
            dir: self.dir,
            published_at: self.published_at.clone(),
            modified_at: self.modified_at.clone(),
            excerpt: self.excerpt.clone(),
            canonical_url: None,
            blocks: self.blocks.clone(),
        }
    }
}

/// A version in a list: enough to pick one without loading its text.
#[derive(Clone, Debug, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VersionSummary {
    pub id: i64,
    pub source_id: i64,
    pub seq: i64,
    pub created_at: String,
    pub title: String,
    pub text_sha256: String,
    /// Words in the body, for a sense of size.
    pub words: i64,
}

/// A source with what a list of sources shows.
#[derive(Clone, Debug, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Source {
    pub id: i64,
    pub url: Option<String>,
    pub created_at: String,
    pub watched: bool,
    pub archived: bool,
    /// Title, site and language of the latest version.
    pub title: String,
    pub site_name: Option<String>,
    pub lang: Option<String>,
    pub dir: String,
    pub published_at: Option<String>,
    pub latest_version_id: Option<i64>,
    pub version_count: i64,
    pub last_captured_at: Option<String>,
    pub last_viewed_version_id: Option<i64>,
}

/// Select list for [`Source`]; `s` is `sources`, `v` its latest version.
/// `v` is read from the covering index `versions_listing`, not from one table
/// page per source; `INDEXED BY` because, without statistics, SQLite prefers
/// the unique `(source_id, seq)` index, which needs the table row.
pub const SOURCE_SELECT: &str = "SELECT s.id, s.url, s.created_at, s.watched, s.archived, \
       COALESCE(v.title, '') AS title, v.site_name, v.lang, COALESCE(v.dir, 'ltr') AS dir, \
       v.published_at, v.id AS latest_version_id, \
       (SELECT COUNT(*) FROM versions c WHERE c.source_id = s.id) AS version_count, \
       (SELECT MAX(captured_at) FROM captures k WHERE k.source_id = s.id) AS last_captured_at, \
       s.last_viewed_version_id \
     FROM sources s \
     LEFT JOIN versions v INDEXED BY versions_listing ON v.source_id = s.id \
       AND v.seq = (SELECT MAX(seq) FROM versions l WHERE l.source_id = s.id)";

/// The source whose URL key is `key`, if any.
pub async fn find_source_by_key(conn: &mut SqliteConnection, key: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM sources WHERE url_key = ?")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Creates a source. `url_key` None makes a source that no later clip can match
/// (pasted text without a URL).
pub async fn insert_source(
    conn: &mut SqliteConnection,
    url_key: Option<&str>,
    url: Option<&str>,
    now: &str,
) -> Result<i64> {
    let id = sqlx::query("INSERT INTO sources (url_key, url, created_at) VALUES (?, ?, ?)")
        .bind(url_key)
        .bind(url)
        .bind(now)
        .execute(conn)
        .await?
        .last_insert_rowid();
    Ok(id)
}

/// The source filed under the first of `keys` that has one, with that
/// key, else a new source filed under the first key (none: a source no
/// later clip can match) and true. One round trip to SQLite's thread, not
/// one per key and another for the insert: a batch import's writer spends
/// most of a page on round trips (BENCHMARKS.md, "Import").
pub async fn find_or_insert_source(
    conn: &mut SqliteConnection,
    keys: &[String],
    url: Option<&str>,
    now: &str,
) -> Result<(i64, Option<String>, bool)> {
    if keys.is_empty() {
        return Ok((insert_source(conn, None, url, now).await?, None, true));
    }
    let list = vec!["?"; keys.len()].join(", ");
    let rank: String = (0..keys.len())
        .map(|i| format!(" WHEN ? THEN {i}"))
        .collect();
    // The lookup first, so the insert's row is never found by it: exactly
    // one row comes back either way.
    let sql = format!(
        "SELECT id, url_key, 0 FROM sources WHERE url_key IN ({list}) \
           ORDER BY CASE url_key{rank} END LIMIT 1; \
         INSERT INTO sources (url_key, url, created_at) SELECT ?, ?, ? \
           WHERE NOT EXISTS (SELECT 1 FROM sources WHERE url_key IN ({list})) \
           RETURNING id, url_key, 1"
    );
    let mut query = sqlx::query_as(&sql);
    for key in keys.iter().chain(keys).chain([&keys[0]]) {
        query = query.bind(key);
    }
    query = query.bind(url).bind(now);
    for key in keys {
        query = query.bind(key);
    }
    let (id, key, new): (i64, Option<String>, bool) = query.fetch_one(&mut *conn).await?;
    Ok((id, key, new))
}

/// Updates the URL shown for a source (a later capture found a canonical URL).
pub async fn set_source_url(conn: &mut SqliteConnection, source_id: i64, url: &str) -> Result<()> {
    sqlx::query("UPDATE sources SET url = ? WHERE id = ?")
        .bind(url)
        .bind(source_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get_source(conn: &mut SqliteConnection, source_id: i64) -> Result<Source> {
    let sql = format!("{SOURCE_SELECT} WHERE s.id = ?");
    sqlx::query_as(&sql)
        .bind(source_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("source", source_id))
}

/// Every source, newest first. (Filtered listing lives in the library module.)
pub async fn list_sources(conn: &mut SqliteConnection) -> Result<Vec<Source>> {
    let sql = format!("{SOURCE_SELECT} ORDER BY s.id DESC");
    Ok(sqlx::query_as(&sql).fetch_all(conn).await?)
}

/// The newest version of a source.
pub async fn latest_version(
    conn: &mut SqliteConnection,
    source_id: i64,
) -> Result<Option<Version>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE source_id = ? ORDER BY seq DESC LIMIT 1"
    );
    Ok(sqlx::query_as(&sql)
        .bind(source_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn get_version(conn: &mut SqliteConnection, version_id: i64) -> Result<Version> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM versions WHERE id = ?");
    sqlx::query_as(&sql)
        .bind(version_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("version", version_id))
}

/// Versions of a source, oldest first, with only what picking two to compare
/// needs: [`list_versions`] also counts every version's words, which reads
/// each whole text and was most of the SQLite work of a diff.
pub async fn version_seqs(conn: &mut SqliteConnection, source_id: i64) -> Result<Vec<VersionSeq>> {
    Ok(
        sqlx::query_as("SELECT id, seq, created_at FROM versions WHERE source_id = ? ORDER BY seq")
            .bind(source_id)
            .fetch_all(conn)
            .await?,
    )
}

/// A version's id, number and date.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct VersionSeq {
    pub id: i64,
    pub seq: i64,
    pub created_at: String,
}

/// Only what a diff compares of a version (headline, byline, blocks), read
/// without the rest of the row and without a second copy of the blocks.
pub async fn article_to_compare(conn: &mut SqliteConnection, version_id: i64) -> Result<Article> {
    let row = sqlx::query("SELECT title, byline, blocks, text FROM versions WHERE id = ?")
        .bind(version_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("version", version_id))?;
    let stored: &str = row.try_get("blocks")?;
    let text: &str = row.try_get("text")?;
    let blocks = layout::decode(stored, text).ok_or_else(|| {
        Error::from(sqlx::Error::ColumnDecode {
            index: "blocks".into(),
            source: "the block layout does not fit the version's text".into(),
        })
    })?;
    Ok(Article {
        title: row.try_get("title")?,
        byline: row.try_get("byline")?,
        blocks,
        ..Article::default()
    })
}

/// The version with number `seq` (1, 2, …) of a source.
pub async fn get_version_by_seq(
    conn: &mut SqliteConnection,
    source_id: i64,
    seq: i64,
) -> Result<Version> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM versions WHERE source_id = ? AND seq = ?");
    sqlx::query_as(&sql)
        .bind(source_id)
        .bind(seq)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::not_found("version", format!("{seq} of source {source_id}")))
}

/// Versions of a source, oldest first.
pub async fn list_versions(
    conn: &mut SqliteConnection,
    source_id: i64,
) -> Result<Vec<VersionSummary>> {
    Ok(sqlx::query_as(
        "SELECT id, source_id, seq, created_at, title, text_sha256, \
                (LENGTH(TRIM(text)) - LENGTH(REPLACE(TRIM(text), ' ', '')) + (TRIM(text) <> '')) AS words \
         FROM versions WHERE source_id = ? ORDER BY seq",
    )
    .bind(source_id)
    .fetch_all(conn)
    .await?)
}

/// The columns an extraction writes into a version row, in the order
/// [`Extracted::bind`] binds them: one list for the INSERT of a new version
/// and the UPDATE of an extractor revision, so the two cannot drift apart.
const EXTRACTED_COLUMNS: [&str; 13] = [
    "title",
    "byline",
    "site_name",
    "lang",
    "dir",
    "published_at",
    "modified_at",
    "excerpt",
    "blocks",
    "text",
    "text_sha256",
    "extractor",
    "low_confidence",
];

/// One extraction as a version row stores it: the joined text, and the
/// blocks as their [`layout`] (the text is not stored twice).
struct Extracted<'a> {
    article: &'a Article,
    blocks: String,
    text: String,
    text_sha256: &'a str,
    low_confidence: Option<LowConfidence>,
}

impl<'a> Extracted<'a> {
    fn new(
        article: &'a Article,
        low_confidence: Option<LowConfidence>,
        text_sha256: &'a str,
    ) -> Self {
        Extracted {
            article,
            blocks: layout::encode(&article.blocks),
            text: article.text(),
            text_sha256,
            low_confidence,
        }
    }

    /// Binds the values of [`EXTRACTED_COLUMNS`], in order, after whatever
    /// `query` has bound already.
    fn bind<'q>(&'q self, query: SqliteQuery<'q>) -> SqliteQuery<'q> {
        let a = self.article;
        query
            .bind(&a.title)
            .bind(&a.byline)
            .bind(&a.site_name)
            .bind(&a.lang)
            .bind(a.dir.as_str())
            .bind(&a.published_at)
            .bind(&a.modified_at)
            .bind(&a.excerpt)
            .bind(&self.blocks)
            .bind(&self.text)
            .bind(self.text_sha256)
            .bind(EXTRACTOR)
            .bind(self.low_confidence.map(LowConfidence::as_str))
    }
}

/// Stores a new version as the next in the source's sequence, extracted by
/// the current [`EXTRACTOR`] with no doubt about it, with its index entries
/// but not its quotes ([`crate::quotes::store_for_version`] stores them).
pub async fn insert_version(
    conn: &mut SqliteConnection,
    source_id: i64,
    article: &Article,
    text_sha256: &str,
    now: &str,
) -> Result<Version> {
    let row = Extracted::new(article, None, text_sha256);
    let version: Version = row
        .bind(
            sqlx::query(insert_sql(false))
                .bind(source_id)
                .bind(source_id)
                .bind(now),
        )
        .try_map(|r: sqlx::sqlite::SqliteRow| Version::from_row(&r))
        .fetch_one(&mut *conn)
        .await?;
    let kind = crate::search::HitKind::Source;
    crate::search::index_cjk(conn, kind, version.id, &article.title, &row.text).await?;
    Ok(version)
}

/// Stores a new version as the next in its source's sequence, with its
/// index entries and its quotes (`quotes`: [`crate::quotes::find_quotes`]
/// of its blocks; `stems`: the version's and its quotes' stem entries,
/// when a batch import made them ahead, away from the writer). The
/// version, its stem entry and its quotes go in one round trip to SQLite's
/// thread: a batch import's writer spent most of a page on round trips
/// (BENCHMARKS.md, "Import"). Text with Han or kana needs more (its n-gram
/// entries), and so does a stem entry not made ahead in a library with
/// stems on.
pub(crate) async fn insert_version_and_quotes(
    conn: &mut SqliteConnection,
    source_id: i64,
    made: &NewVersion<'_>,
    now: &str,
) -> Result<Version> {
    use crate::search::{self, HitKind};
    let row = Extracted::new(made.article, made.low_confidence, made.text_sha256);
    // The version just inserted has the largest id: SQLite gives a new row
    // one more than the largest (the table is ours alone in this transaction).
    const NEW_VERSION: &str = "(SELECT max(id) FROM versions)";
    let sql = format!(
        "{}; {}; {}",
        insert_sql(made.words_later),
        search::stems_if_enabled_sql(HitKind::Source, NEW_VERSION, made.stems.is_some()),
        crate::quotes::insert_sql(made.quotes.len(), NEW_VERSION, made.words_later)
    );
    let version_stems = made.stems.map(|s| &s.version);
    let query = row.bind(sqlx::query(&sql).bind(source_id).bind(source_id).bind(now));
    let query = search::bind_stems_if_enabled(query, HitKind::Source, version_stems);
    let query = crate::quotes::bind_inserts(query, None, source_id, made.quotes);
    // Rows in statement order: the version, whether stems are on, the quotes.
    let rows = query.fetch_all(&mut *conn).await?;
    let (version, on, stored) = match rows.as_slice() {
        [version, on, stored @ ..] => (
            Version::from_row(version)?,
            on.try_get::<bool, _>(0)?,
            stored
                .iter()
                .map(<crate::quotes::StoredQuote as FromRow<_>>::from_row)
                .collect::<sqlx::Result<Vec<_>>>()?,
        ),
        _ => return Err(Error::Invalid("a version insert returned no row".into())),
    };
    debug_assert_eq!(
        made.quotes,
        crate::quotes::find_quotes(&version.blocks),
        "quotes made ahead are the stored version's"
    );
    search::write_cjk_entries(
        conn,
        HitKind::Source,
        version.id,
        &made.article.title,
        &row.text,
    )
    .await?;
    let lang = match (on, version_stems) {
        (false, _) => None,
        (true, Some(entry)) => Some(entry.lang),
        // Not made ahead (a clip, a synced version), or stems were turned
        // on after the import began.
        (true, None) => Some(
            search::write_row_stems(
                conn,
                HitKind::Source,
                version.id,
                &made.article.title,
                &row.text,
            )
            .await?,
        ),
    };
    let quotes = crate::quotes::index_rows(&stored);
    debug_assert!(
        quotes.len() == made.quotes.len()
            && quotes
                .iter()
                .zip(made.quotes)
                .all(
                    |(&(_, speaker, text), q)| speaker == q.speaker.as_deref().unwrap_or("")
                        && text == q.text
                ),
        "the quotes stored are the quotes given, in order"
    );
    match (lang, made.stems) {
        // Made ahead with the version's entry, in its language.
        (Some(_), Some(stems)) => {
            search::index_quotes_stemmed(conn, &quotes, Some(&stems.quotes)).await?
        }
        _ => search::index_quotes_in_lang(conn, lang, &quotes).await?,
    }
    Ok(version)
}

/// What [`insert_version_and_quotes`] stores.
pub(crate) struct NewVersion<'a> {
    pub article: &'a Article,
    pub low_confidence: Option<LowConfidence>,
    pub text_sha256: &'a str,
    /// The version's and its quotes' stem entries; None: not made ahead,
    /// the writer makes them if stems are on.
    pub stems: Option<&'a Stems>,
    pub quotes: &'a [crate::quotes::Quote],
    /// The version and its quotes left out of the word indexes for the
    /// batch storing them to add at its end ([`index_words_since`]); false:
    /// indexed as they are inserted.
    pub words_later: bool,
}

/// The insert of a version with the next number in its source's sequence,
/// taken in the insert itself, returning the row (one statement, not
/// three: each is a round trip to SQLite's thread). Binds the source id
/// twice, the time, then [`Extracted::bind`]. `words_later`: the row is
/// left out of the word index until [`index_words_since`].
fn insert_sql(words_later: bool) -> &'static str {
    // The column is named only when set: left NULL, it is the default.
    fn sql(later: (&str, &str)) -> String {
        format!(
            "INSERT INTO versions (source_id, seq, created_at, {}{}) \
             VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE source_id = ?), ?, \
             {}{}) RETURNING {VERSION_COLUMNS}",
            later.0,
            EXTRACTED_COLUMNS.join(", "),
            later.1,
            ["?"; EXTRACTED_COLUMNS.len()].join(", ")
        )
    }
    static NOW: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| sql(("", "")));
    static LATER: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| sql(("words_later, ", "1, ")));
    if words_later {
        &LATER
    } else {
        &NOW
    }
}

/// The largest version and quote ids so far: where a batch that inserts
/// rows with [`NewVersion::words_later`] begins.
pub(crate) async fn last_ids(conn: &mut SqliteConnection) -> Result<LastIds> {
    let (version, quote) = sqlx::query_as(
        "SELECT (SELECT COALESCE(max(id), 0) FROM versions), \
                (SELECT COALESCE(max(id), 0) FROM quotes)",
    )
    .fetch_one(conn)
    .await?;
    Ok(LastIds { version, quote })
}

/// The largest version and quote ids at some moment ([`last_ids`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct LastIds {
    pub version: i64,
    pub quote: i64,
}

/// Adds to the word indexes the versions and quotes inserted after `since`
/// that were left out of them ([`NewVersion::words_later`]), a statement
/// each: FTS5 writes its pending entries at every statement savepoint, so
/// a batch's rows indexed together make one segment instead of one per
/// page. Called by the batch, in its transaction, before it commits.
pub(crate) async fn index_words_since(conn: &mut SqliteConnection, since: LastIds) -> Result<()> {
    sqlx::query(
        "INSERT INTO versions_fts (rowid, title, text) \
         SELECT id, title, text FROM versions WHERE id > ? AND words_later = 1 ORDER BY id; \
         INSERT INTO quotes_fts (rowid, speaker, text) \
         SELECT id, speaker, text FROM quotes WHERE id > ? AND words_later = 1 ORDER BY id",
    )
    .bind(since.version)
    .bind(since.quote)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every source id, for `check --all`.
pub async fn all_source_ids(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM sources WHERE archived = 0 ORDER BY id")
            .fetch_all(conn)
            .await?,
    )
}

/// Replaces the text of `version` with `article`, extracted by the current
/// [`EXTRACTOR`] from the same capture: an extractor revision, not a new
/// version (same id and number; the publisher changed nothing). The text it
/// replaces is kept in `extractor_revisions`. Re-indexes the version for
/// search; the caller rebuilds its quotes and moves its highlights.
pub async fn revise_extraction(
    conn: &mut SqliteConnection,
    version: &Version,
    article: &Article,
    low_confidence: Option<LowConfidence>,
    text_sha256: &str,
    now: &str,
) -> Result<Version> {
    sqlx::query(
        "INSERT INTO extractor_revisions (version_id, extractor, title, blocks, text, \
            text_sha256, replaced_at) \
         SELECT id, extractor, title, blocks, text, text_sha256, ? FROM versions WHERE id = ?",
    )
    .bind(now)
    .bind(version.id)
    .execute(&mut *conn)
    .await?;
    let row = Extracted::new(article, low_confidence, text_sha256);
    let sql = format!(
        "UPDATE versions SET {} = ? WHERE id = ?",
        EXTRACTED_COLUMNS.join(" = ?, ")
    );
    row.bind(sqlx::query(&sql))
        .bind(version.id)
        .execute(&mut *conn)
        .await?;
    // The update triggers removed the version's bigram and stem entries.
    crate::search::index_cjk(
        conn,
        crate::search::HitKind::Source,
        version.id,
        &article.title,
        &row.text,
    )
    .await?;
    get_version(conn, version.id).await
}

/// Records that the current [`EXTRACTOR`] reads `version_id`'s capture to
/// the text it already holds.
pub async fn confirm_extraction(
    conn: &mut SqliteConnection,
    version_id: i64,
    low_confidence: Option<LowConfidence>,
) -> Result<()> {
    sqlx::query("UPDATE versions SET extractor = ?, low_confidence = ? WHERE id = ?")
        .bind(EXTRACTOR)
        .bind(low_confidence.map(LowConfidence::as_str))
        .bind(version_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many extractor revisions a version has had.
pub async fn extractor_revision_count(conn: &mut SqliteConnection, version_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM extractor_revisions WHERE version_id = ?")
            .bind(version_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Versions not made by the current [`EXTRACTOR`] (or every version, with
/// `all_extractors`), of one source or of the whole library, by source and
/// number.
pub async fn versions_to_reextract(
    conn: &mut SqliteConnection,
    source_id: Option<i64>,
    all_extractors: bool,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT source_id, id FROM versions \
         WHERE (?1 IS NULL OR source_id = ?1) \
           AND (?2 OR extractor IS NULL OR extractor <> ?3) \
         ORDER BY source_id, seq",
    )
    .bind(source_id)
    .bind(all_extractors)
    .bind(EXTRACTOR)
    .fetch_all(conn)
    .await?)
}
