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
//! Inflected forms (issue 10): a fourth index per table, the stem index
//! (`*_stem`, `migrations/20261130000021_search_stems.sql`), holds each word
//! reduced to its forms in the row's language (`stem.rs`: Snowball stemmers
//! for the languages `rust-stemmers` has, light suffix strippers of ours for
//! Ukrainian and Persian, Arabic clitics and Korean particles stripped). The
//! language is the version's declared one, else detected (`whatlang`) and
//! stored in `search_lang`; the index is fed from Rust by [`index_cjk`] in
//! the writer's transaction, like the bigram index. A word query (no quoted
//! phrase, no Han or kana) runs up to three tiers, one after another and
//! each only while the page is short: the word index as before (exact
//! forms), the stem index with each word as the OR of its forms in every
//! language of its script present in the library (ranking its newest
//! [`STEM_WINDOW`] matches), and the stem index with the forms of the
//! word's transliteration too (Lavrov ↔ Лаврова; Greek names through a
//! sound key, `greek.rs`). A row found by several tiers counts once, in its
//! best; every exact hit ranks above every stem-only hit, and those above
//! transliterated ones. A quoted word or phrase is matched as written
//! (after case and accent folding) only. Snippets of stem and
//! transliteration hits are cut in Rust, marking the words whose forms are
//! the query's, so they show the form the story uses. Why a separate index
//! and not stems in the word index: exact forms must stay findable and rank
//! first, and quoting must mean "as written".
//!
//! The stem index is a library setting, **on by default** ([`set_stems`],
//! `redline search --stems on|off`, stored in `search_settings`; migration
//! 20261205000002 turned it on once every query kind measured within the
//! 30 ms p95 target at 300,000 versions, BENCHMARKS-search.md). Off, a
//! library pays one settings lookup per write and per word query and
//! nothing else: no language detection, no stem rows, no form tiers, no
//! backfill. Turning it on queues the backfill of every row in resumable
//! batches ([`backfill`], [`reindex_step`], [`reindex_progress`]); off drops
//! the stem rows.
//!
//! The module's rooms: `query` (the language, its bounds, lowering to FTS5),
//! `index` (which index, each table's SQL), `filters`, `snippet`, `cjk` (the
//! bigram index and its backfill), `stem` (forms, languages,
//! transliteration, the stem backfill) and `words` (folding and word
//! splitting shared by the others).
//!
//! Query syntax (the user's string is parsed here and rebuilt as a quoted
//! FTS5 expression, so no input can make FTS5 fail):
//! `words` (all must occur), `"a phrase"`, `prefix*`, `a OR b`, `a AND b`,
//! `a NOT b` or `a -b`, and parentheses. Operators are upper-case; lower-case
//! `and`/`or`/`not` are ordinary words.

mod cjk;
mod filters;
mod greek;
mod index;
mod matcher;
mod query;
mod snippet;
mod stem;
mod words;

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};

use crate::error::{Error, Result};
use filters::{Arg, Filters};
use index::Table;
use query::lower;

pub(crate) use cjk::index_quotes_stemmed;
pub(crate) use cjk::write_cjk_entries;
pub use cjk::{bigram_text, index_cjk, index_quotes_in_lang, index_quotes_of_version};
pub use matcher::MatchText;
pub use query::{parse, ParsedQuery};
pub use snippet::snippet_plain;
pub(crate) use stem::{bind_stems_if_enabled, stems_if_enabled_sql, write_row_stems};
pub use stem::{
    reindex_progress, reindex_step, row_lang, set_stems, stem_text, stems_enabled, transliterate,
    Reindex, StemEntry,
};

/// Which index a query goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// No Han or kana: the word index.
    Words,
    /// Han or kana, some term shorter than three characters: the bigram index.
    Cjk,
    /// Han or kana, every term three characters or more: the trigram index,
    /// where a three-character term is one token and a longer one a phrase
    /// of short posting lists (faster than a phrase of bigrams, measured in
    /// BENCHMARKS-search.md).
    Trigram,
    /// The stem index: words by their forms (`stem.rs`); queried beside the
    /// word index, never instead of it.
    Stem,
}

/// Most matches of one kind that are ranked. FTS5 computes bm25 for every
/// row it returns, so a common word in a large library would be ranked over
/// hundreds of thousands of versions; instead the newest `RANK_WINDOW`
/// matches (after filters and the latest-version rule) are ranked. Queries
/// matching fewer rows than this are ranked exactly.
pub const RANK_WINDOW: u32 = 500;
/// Most matches of one kind a stem tier ranks: its hits only fill what the
/// exact tier left of the page, below every exact hit, so the newest
/// `STEM_WINDOW` compete (each row of the window is a bm25 score and a
/// version lookup; measured in BENCHMARKS-search.md).
pub const STEM_WINDOW: u32 = 100;
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

/// The tier of hits found by their exact words (word, trigram or bigram
/// index); hits found by forms ([`FORMS`]) or by transliteration
/// ([`TRANSLIT`]) only rank below every exact hit.
pub(super) const EXACT: i64 = 2;
const FORMS: i64 = 1;
const TRANSLIT: i64 = 0;

/// The stem-index expressions of a word query, with their tiers, and every
/// form they search for (for snippets). The query is analysed in each
/// language present in the library (`search_languages`).
async fn form_tiers(
    conn: &mut SqliteConnection,
    parsed: &ParsedQuery,
) -> Result<(Vec<(i64, String)>, std::collections::HashSet<String>)> {
    let langs: Vec<String> = sqlx::query_scalar("SELECT lang FROM search_languages ORDER BY lang")
        .fetch_all(&mut *conn)
        .await?;
    let own = |w: &str| stem::query_forms(w, &langs);
    let crossed = |w: &str| {
        let mut f = stem::query_forms(w, &langs);
        // Only into a script the library has: an English-only library
        // skips the transliteration tier altogether.
        for x in stem::cross_forms(w, &langs) {
            if !f.contains(&x) {
                f.push(x);
            }
        }
        f
    };
    let mut tiers = Vec::new();
    if let Some(forms) = query::lower_forms(&parsed.root, &own) {
        let translit = query::lower_forms(&parsed.root, &crossed);
        tiers.push((FORMS, forms.clone()));
        if let Some(t) = translit.filter(|t| *t != forms) {
            tiers.push((TRANSLIT, t));
        }
    }
    let set = parsed
        .plain_words()
        .iter()
        .flat_map(|w| crossed(w))
        .collect();
    Ok((tiers, set))
}

/// Brings an existing library's search indexes up to date after an
/// upgrade; called by `Db::open` after the migrations (one indexed lookup
/// when nothing is pending). The bigram index is filled at once (measured
/// in BENCHMARKS-search.md); the stem index in batches of
/// [`REINDEX_BATCH`] rows, each its own transaction: for up to a second
/// here, then in a background task while the library is used (a search
/// meanwhile finds the rows not yet reached by their exact words). An
/// interrupted run resumes at the next open; [`reindex_progress`] reports
/// how far it is.
pub async fn backfill(pool: &sqlx::SqlitePool) -> Result<()> {
    cjk::backfill_bigrams(pool).await?;
    // Pending only while stems are on and not yet indexed ([`set_stems`]):
    // a library with stems off pays this one read, no write lock.
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_backfill WHERE name = 'stems'")
            .fetch_one(pool)
            .await?;
    if pending == 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    loop {
        if reindex_step(pool, REINDEX_BATCH).await?.is_none() {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(1) {
            break;
        }
    }
    let pool = pool.clone();
    tokio::spawn(async move {
        loop {
            match reindex_step(&pool, REINDEX_BATCH).await {
                Ok(Some(_)) => tokio::task::yield_now().await,
                Ok(None) => break,
                // The pool closed (the process is ending) or the library is
                // busy: the cursor is kept, the next open resumes.
                Err(e) => {
                    tracing::debug!("search: stem backfill paused: {e}");
                    break;
                }
            }
        }
    });
    Ok(())
}

/// Runs a search's final SQL with its arguments and the page bounds.
async fn fetch(
    conn: &mut SqliteConnection,
    sql: &str,
    args: &[Arg],
    limit: i64,
    offset: i64,
) -> Result<Vec<sqlx::sqlite::SqliteRow>> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    Ok(q.bind(limit).bind(offset).fetch_all(&mut *conn).await?)
}

/// Rows per transaction of the stem backfill: short enough that writers
/// waiting on the lock are not held up long.
pub const REINDEX_BATCH: i64 = 200;

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
    // Words without a quoted phrase also go to the stem index, by their
    // forms and then by their transliterations' forms, each a lower tier.
    // Only with stems on for the library (off, a search costs what it did
    // before the stem index, one settings lookup aside), and only when the
    // exact tier leaves the page short: every exact hit ranks above every
    // stem hit, so a full exact page is the page.
    let stems =
        mode == Mode::Words && lowered.rank == lowered.matches && stems_enabled(&mut *conn).await?;
    let mut parts = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut searched: Vec<HitKind> = Vec::new();
    for kind in kinds {
        if kind == HitKind::Note && (filters.site.is_some() || filters.lang.is_some()) {
            continue;
        }
        let table = Table::of(kind);
        if lowered.rank == lowered.matches {
            parts.push(table.select(
                mode,
                query.all_versions,
                &filters,
                &mut args,
                &lowered,
                EXACT,
            ));
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
    let offset = query.offset.unwrap_or(0);
    // Tier by tier, each only while the page is short: every exact hit
    // ranks above every stem hit, and those above transliterated ones, so
    // a page the exact tier fills is the page. Each tier fetches the rows
    // up to the end of the page, the page is cut from their concatenation.
    let end = i64::from(offset) + i64::from(limit);
    let order = "ORDER BY score DESC, captured_at DESC, kind, row_id";
    let sql = format!(
        "SELECT kind, source_id, version_id, note_id, highlight_id, quote_id, score, \
         captured_at, row_id, tier FROM ({}) {order} LIMIT ? OFFSET ?",
        parts.join(" UNION ALL ")
    );
    let mut rows = fetch(conn, &sql, &args, end, 0).await?;
    let mut form_set = std::collections::HashSet::new();
    if stems && (rows.len() as i64) < end {
        let (tiers, set) = form_tiers(conn, &parsed).await?;
        form_set = set;
        let mut seen: std::collections::HashSet<(String, i64)> = rows
            .iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("row_id")?)))
            .collect::<Result<_>>()?;
        for (tier, expr) in &tiers {
            if rows.len() as i64 >= end {
                break;
            }
            let forms = query::Lowered {
                matches: expr.clone(),
                rank: expr.clone(),
            };
            let mut parts = Vec::new();
            let mut args = Vec::new();
            for kind in &searched {
                parts.push(Table::of(*kind).select(
                    Mode::Stem,
                    query.all_versions,
                    &filters,
                    &mut args,
                    &forms,
                    *tier,
                ));
            }
            let sql = format!(
                "SELECT kind, source_id, version_id, note_id, highlight_id, quote_id, score, \
                 captured_at, row_id, tier FROM ({}) {order} LIMIT ? OFFSET ?",
                parts.join(" UNION ALL ")
            );
            // Rows a higher tier found come again here: fetch enough that
            // the page still fills after leaving them out.
            let want = end - rows.len() as i64 + seen.len() as i64;
            for row in fetch(conn, &sql, &args, want, 0).await? {
                if seen.insert((row.try_get("kind")?, row.try_get("row_id")?)) {
                    rows.push(row);
                }
            }
        }
    }
    rows.truncate(end as usize);
    let rows: Vec<_> = rows.into_iter().skip(offset as usize).collect();

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
        let tier: i64 = row.try_get("tier")?;
        let (title, snippet) = if tier == EXACT {
            table
                .title_and_snippet(conn, mode, expr, row_id, &needles, phrases.as_deref())
                .await?
        } else {
            // Found by a form: mark the words whose forms are the query's.
            let lang: String =
                sqlx::query_scalar("SELECT lang FROM search_lang WHERE kind = ? AND row_id = ?")
                    .bind(kind.as_str())
                    .bind(row_id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .unwrap_or_default();
            let (title, body) = table.title_and_body(conn, row_id).await?;
            // News repeats its words: each distinct one is stemmed once.
            let seen = std::cell::RefCell::new(std::collections::HashMap::new());
            let hit = |w: &str| {
                if let Some(&known) = seen.borrow().get(w) {
                    return known;
                }
                let found = stem::index_forms(w, &lang)
                    .iter()
                    .any(|f| form_set.contains(f));
                seen.borrow_mut().insert(w.to_string(), found);
                found
            };
            (
                title,
                snippet::to_html(&snippet::cut_form_snippet(&body, &hit)),
            )
        };
        hit.title = title;
        hit.snippet = snippet;
        hits.push(hit);
    }
    Ok(hits)
}
