//! Full-text search over versions (title and text), notes, highlights and
//! quotes, with SQLite FTS5 (schema and triggers in
//! `migrations/20261126000002_search.sql`, prefix indexes in
//! `migrations/20261126000008_search_prefix.sql`).
//!
//! Three indexes per table. The word index (`*_fts`, unicode61 with
//! diacritics removed) finds whole words in spaced scripts: English, Russian,
//! Arabic, Korean. Two indexes hold only rows that contain Han or kana and
//! find any substring of unspaced Chinese and Japanese: the trigram index
//! (`*_cjk`, written by triggers) and the bigram index (`*_bigram`,
//! `migrations/20261127000009_search_bigrams.sql`). A query without Han or
//! kana goes to the word index; one with Han or kana goes to the trigram
//! index when every term has three characters or more (a three-character
//! term is one trigram, the fastest lookup), otherwise to the bigram index.
//! Nothing is too short to search.
//!
//! The bigram index is fed from Rust ([`index_cjk`], called by every writer
//! in the transaction that writes the row; deletes and the removal of an
//! updated row's old entry are triggers): each run of Han/kana becomes its
//! overlapping pairs plus its last character alone (`中国人` → `中国 国人
//! 人`), the rest of the text (Latin words, figures) is kept as it is. So a
//! CJK term of n ≥ 2 characters is the FTS5 phrase of its n − 1 pairs, a
//! one-character term is the prefix query `"字"*` (served by the index's
//! `prefix='1'`), and a Latin word in a mixed query is an ordinary word. The
//! trailing single character also keeps the pairs of two runs from being
//! adjacent, so a phrase never matches across punctuation or Latin text.
//!
//! The word indexes carry FTS5 prefix indexes for 2-, 3- and 4-character
//! prefixes (`migrations/20261126000008_search_prefix.sql`), so `prefix*`
//! with a short prefix reads one precomputed posting list instead of merging
//! those of every word that begins with it.
//!
//! Ranking is bm25 with the title (or speaker) weighted. To keep a common
//! word fast in a library of hundreds of thousands of versions, each kind
//! ranks at most its newest [`RANK_WINDOW`] matches (see there).
//!
//! Phrases (a quoted phrase, and a CJK term of three or more characters on
//! the bigram index, which is a phrase of bigrams) are ranked differently,
//! because bm25 over a phrase first runs the phrase over the *whole* index
//! to count the rows holding it: 102 ms CPU for "the the" at 300,000
//! versions. Instead the newest [`PHRASE_WINDOW`] (100) rows matching the
//! query as typed are found first, without ranking (FTS5 stops there), and
//! only those rows are scored, by bm25 of the phrase's longest word (the
//! likeliest to be rare, and so a short posting list for bm25's count). The
//! set of hits is exactly that of the phrase query; the trade-offs are in
//! the order: only the newest 100 matching rows compete for the top (500
//! for other queries: every row of the window is a lookup of its version,
//! and a phrase of two frequent words spends 20–40 ms at 300,000 versions
//! just finding 500), and a phrase's rarity is judged by its longest word,
//! whose occurrences anywhere in the row count, not only inside the phrase.
//! A phrase found in one row in [`COMMON`] or more of its window ("of the",
//! "и в") is not ranked at all: its rows score 0 and come newest first,
//! after the ranked hits of other kinds. The snippets of a phrase query are
//! cut in Rust from the stored text (matching the index's words, folded)
//! rather than by FTS5's `snippet()`, which runs the phrase again per hit.
//! Measured alternatives: BENCHMARKS-search.md.
//!
//! The module's rooms: `query` (the language, its bounds, lowering to FTS5),
//! `index` (which index, each table's SQL), `filters`, `snippet`, `cjk` (the
//! bigram index and its backfill) and `words` (folding and word splitting
//! shared by the others).
//!
//! Query syntax (the user's string is parsed here and rebuilt as a quoted
//! FTS5 expression, so no input can make FTS5 fail):
//! `words` (all must occur), `"a phrase"`, `prefix*`, `a OR b`, `a AND b`,
//! `a NOT b` or `a -b`, and parentheses. Operators are upper-case; lower-case
//! `and`/`or`/`not` are ordinary words.

mod cjk;
mod filters;
mod index;
mod query;
mod snippet;
mod words;

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};

use crate::error::{Error, Result};
use filters::{Arg, Filters};
use index::{Mode, Table};
use query::lower;

pub use cjk::{backfill, bigram_text, index_cjk};
pub use query::{parse, ParsedQuery};
pub use snippet::snippet_plain;

/// Most matches of one kind that are ranked. FTS5 computes bm25 for every
/// row it returns, so a common word in a large library would be ranked over
/// hundreds of thousands of versions; instead the newest `RANK_WINDOW`
/// matches (after filters and the latest-version rule) are ranked. Queries
/// matching fewer rows than this are ranked exactly.
pub const RANK_WINDOW: u32 = 500;
/// Most matches of a phrase query that are ranked: the newest
/// `PHRASE_WINDOW` (see the module docs; smaller than [`RANK_WINDOW`]
/// because a phrase is specific and each row of its window is a lookup).
pub const PHRASE_WINDOW: u32 = 100;
/// A phrase found in at least one of every `COMMON` rows of its newest
/// window is not ranked by bm25 (see the module docs).
pub const COMMON: i64 = 20;
/// Hits per page when the query does not say.
pub const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 1000;
/// Longest search text, in characters. A query is typed (or pasted) by a
/// person; without a cap a pasted page became an FTS5 expression of
/// 120,000 words that ran for two minutes.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most terms (words and phrases) in one search: each is a posting list
/// FTS5 reads and intersects, and bm25 scores every one of them.
pub const MAX_TERMS: usize = 64;
/// Deepest nesting of parentheses. The parser and the code that lowers the
/// query recurse once per level; 15,000 `(` overflowed the stack.
pub const MAX_DEPTH: usize = 16;

/// Markers FTS5 puts around matches; turned into `<mark>` after escaping.
pub(crate) const OPEN: char = '\u{2}';
pub(crate) const CLOSE: char = '\u{3}';

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum HitKind {
    /// A version of a source (its title or text).
    Source,
    Note,
    Highlight,
    Quote,
}

impl HitKind {
    pub const ALL: [HitKind; 4] = [
        HitKind::Source,
        HitKind::Note,
        HitKind::Highlight,
        HitKind::Quote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Source => "source",
            HitKind::Note => "note",
            HitKind::Highlight => "highlight",
            HitKind::Quote => "quote",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "source" | "sources" | "version" | "versions" => Ok(HitKind::Source),
            "note" | "notes" => Ok(HitKind::Note),
            "highlight" | "highlights" => Ok(HitKind::Highlight),
            "quote" | "quotes" => Ok(HitKind::Quote),
            other => Err(Error::Invalid(format!(
                "unknown kind \"{other}\" (use source, note, highlight or quote)"
            ))),
        }
    }
}

/// A search: the user's text plus the library filters.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SearchQuery {
    /// Words, "phrases", prefix*, AND/OR/NOT, parentheses.
    pub text: String,
    /// Which kinds of hit to return; empty means all.
    pub kinds: Vec<HitKind>,
    /// Search every version, not only the latest of each source.
    pub all_versions: bool,
    pub project_id: Option<i64>,
    /// Tag name (case-insensitive), on the source or the note.
    pub tag: Option<String>,
    /// Outlet: the site name ("Yonhap") or the URL's host ("yna.co.kr").
    /// Notes have no site, so this filter leaves them out.
    pub site: Option<String>,
    /// Language tag; "zh" also matches "zh-CN". Leaves notes out.
    pub lang: Option<String>,
    /// Captured (notes: updated) at or after this RFC 3339 time or date.
    pub from: Option<String>,
    /// Captured (notes: updated) at or before this time; a plain date
    /// includes that whole day.
    pub to: Option<String>,
    /// Page size (default 20).
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Hit {
    pub kind: HitKind,
    /// The source (None for notes).
    pub source_id: Option<i64>,
    /// The version hit, or the version a highlight or quote belongs to.
    pub version_id: Option<i64>,
    pub note_id: Option<i64>,
    pub highlight_id: Option<i64>,
    pub quote_id: Option<i64>,
    /// The version's title, or the note's.
    pub title: String,
    /// A passage around the matches: HTML-escaped text in which only
    /// `<mark>…</mark>` is markup, safe to show as HTML.
    pub snippet: String,
    /// bm25 relevance (title matches weigh more); higher is better.
    pub score: f64,
    /// When the version was captured; for a note, when it was last saved.
    pub captured_at: String,
}

/// Runs a search. Hits are ordered by relevance, best first (within the
/// newest [`RANK_WINDOW`] matches of each kind, [`PHRASE_WINDOW`] for a
/// query with a phrase; pages past the window are empty).
pub async fn search(conn: &mut SqliteConnection, query: &SearchQuery) -> Result<Vec<Hit>> {
    let parsed = parse(&query.text)?;
    let mode = if !parsed.has_cjk() {
        Mode::Words
    } else if parsed.shortest_term() >= 3 {
        Mode::Trigram
    } else {
        Mode::Cjk
    };
    let kinds: Vec<HitKind> = if query.kinds.is_empty() {
        HitKind::ALL.to_vec()
    } else {
        HitKind::ALL
            .into_iter()
            .filter(|k| query.kinds.contains(k))
            .collect()
    };
    let filters = Filters::from_query(query)?;

    let lowered = lower(&parsed.root, mode)?;
    let mut parts = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut searched: Vec<HitKind> = Vec::new();
    for kind in kinds {
        if kind == HitKind::Note && (filters.site.is_some() || filters.lang.is_some()) {
            continue;
        }
        let table = Table::of(kind);
        if lowered.rank == lowered.matches {
            parts.push(table.select(mode, query.all_versions, &filters, &mut args, &lowered));
        } else {
            // A phrase: find the window without ranking, then rank only it.
            let ids = table
                .window(conn, mode, query.all_versions, &filters, &lowered.matches)
                .await?;
            if ids.is_empty() {
                continue;
            }
            // A phrase in more than one row in COMMON of the newest ones:
            // ranking by rarity says nothing (and bm25 would read the longest
            // posting lists there are), so its rows come newest first.
            let span = ids.iter().max().unwrap_or(&0) - ids.iter().min().unwrap_or(&0) + 1;
            let common = ids.len() == PHRASE_WINDOW as usize && span <= COMMON * ids.len() as i64;
            let rank = (!common).then_some(lowered.rank.as_str());
            parts.push(table.select_ranked(mode, &ids, &mut args, rank));
        }
        searched.push(kind);
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let sql = format!(
        "SELECT kind, source_id, version_id, note_id, highlight_id, quote_id, score, captured_at \
         FROM ({}) ORDER BY score DESC, captured_at DESC, kind, row_id LIMIT ? OFFSET ?",
        parts.join(" UNION ALL ")
    );
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    let rows = q
        .bind(i64::from(limit))
        .bind(i64::from(query.offset.unwrap_or(0)))
        .fetch_all(&mut *conn)
        .await?;

    let needles = parsed.needles();
    // A phrase query's snippets are cut here, from the stored text: FTS5's
    // snippet() runs the phrase again and tokenizes the whole row (measured
    // in BENCHMARKS-search.md).
    let phrases =
        (mode == Mode::Words && lowered.rank != lowered.matches).then(|| parsed.word_needles());
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let kind = HitKind::parse(row.try_get::<&str, _>("kind")?)?;
        let mut hit = Hit {
            kind,
            source_id: row.try_get("source_id")?,
            version_id: row.try_get("version_id")?,
            note_id: row.try_get("note_id")?,
            highlight_id: row.try_get("highlight_id")?,
            quote_id: row.try_get("quote_id")?,
            title: String::new(),
            snippet: String::new(),
            score: row.try_get("score")?,
            captured_at: row.try_get("captured_at")?,
        };
        debug_assert!(searched.contains(&kind));
        let expr = &lowered.matches;
        let table = Table::of(kind);
        let row_id = match kind {
            HitKind::Source => hit.version_id,
            HitKind::Note => hit.note_id,
            HitKind::Highlight => hit.highlight_id,
            HitKind::Quote => hit.quote_id,
        }
        .unwrap_or_default();
        let (title, snippet) = table
            .title_and_snippet(conn, mode, expr, row_id, &needles, phrases.as_deref())
            .await?;
        hit.title = title;
        hit.snippet = snippet;
        hits.push(hit);
    }
    Ok(hits)
}
