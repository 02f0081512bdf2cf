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
//! Query syntax (the user's string is parsed here and rebuilt as a quoted
//! FTS5 expression, so no input can make FTS5 fail):
//! `words` (all must occur), `"a phrase"`, `prefix*`, `a OR b`, `a AND b`,
//! `a NOT b` or `a -b`, and parentheses. Operators are upper-case; lower-case
//! `and`/`or`/`not` are ordinary words.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

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
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';

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

// ---------------------------------------------------------------------------
// Query language

/// A parsed user query.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedQuery {
    root: Node,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Term { text: String, prefix: bool },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl ParsedQuery {
    fn has_cjk(&self) -> bool {
        fn walk(n: &Node) -> bool {
            match n {
                Node::Term { text, .. } => text.chars().any(is_cjk_letter),
                Node::And(v) | Node::Or(v) => v.iter().any(walk),
                Node::Not(n) => walk(n),
            }
        }
        walk(&self.root)
    }

    /// Characters in the shortest term (after folding).
    fn shortest_term(&self) -> usize {
        fn walk(n: &Node) -> usize {
            match n {
                Node::Term { text, .. } => fold(text).chars().count(),
                Node::And(v) | Node::Or(v) => v.iter().map(walk).min().unwrap_or(0),
                Node::Not(n) => walk(n),
            }
        }
        walk(&self.root)
    }

    /// The terms to mark in a snippet cut from spaced text: each as its
    /// folded words, and whether the last one is a prefix.
    fn word_needles(&self) -> Vec<WordNeedle> {
        fn walk(n: &Node, out: &mut Vec<WordNeedle>) {
            match n {
                Node::Term { text, prefix } => {
                    let words: Vec<String> = words_of(text).map(|(_, w)| fold(w)).collect();
                    if !words.is_empty() {
                        out.push(WordNeedle {
                            words,
                            prefix: *prefix,
                        });
                    }
                }
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The terms to mark in a snippet built by hand (not the excluded ones).
    fn needles(&self) -> Vec<String> {
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Term { text, .. } => out.push(fold(text)),
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out.retain(|s| !s.is_empty());
        out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        out.dedup();
        out
    }
}

/// Han (with extensions and compatibility forms), hiragana, katakana.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F | 0x20000..=0x2FFFF)
}

/// Case- and accent-folds like the trigram tokenizer does.
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word { text: String, prefix: bool },
    Phrase { text: String, prefix: bool },
    And,
    Or,
    Not,
    Open,
    Close,
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// True when a term has something the tokenizers would index.
fn searchable(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Splits the query into tokens, refusing one nested too deep or with too
/// many terms before anything recurses over it (the caller bounds its length).
fn tokenize(input: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    let mut depth = 0usize;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' => {
                chars.next();
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(invalid(format!(
                        "the search nests parentheses more than {MAX_DEPTH} deep"
                    )));
                }
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                depth = depth.saturating_sub(1);
                out.push(Token::Close);
            }
            '"' | '“' | '”' | '„' => {
                chars.next();
                let mut text = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if matches!(c, '"' | '“' | '”') {
                        closed = true;
                        break;
                    }
                    text.push(c);
                }
                if !closed {
                    return Err(invalid(
                        "the search has an opening quotation mark without a closing one",
                    ));
                }
                let mut prefix = false;
                while chars.peek() == Some(&'*') {
                    chars.next();
                    prefix = true;
                }
                if searchable(&text) {
                    out.push(Token::Phrase { text, prefix });
                }
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”' | '„') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                match word.as_str() {
                    "AND" => out.push(Token::And),
                    "OR" => out.push(Token::Or),
                    "NOT" => out.push(Token::Not),
                    _ => {
                        let (negated, rest) = match word.strip_prefix('-') {
                            Some(rest) if !rest.is_empty() => (true, rest),
                            _ => (false, word.as_str()),
                        };
                        let prefix = rest.ends_with('*');
                        let text = rest.trim_end_matches('*');
                        if searchable(text) {
                            if negated {
                                out.push(Token::Not);
                            }
                            out.push(Token::Word {
                                text: text.to_string(),
                                prefix,
                            });
                        }
                    }
                }
            }
        }
    }
    let terms = out
        .iter()
        .filter(|t| matches!(t, Token::Word { .. } | Token::Phrase { .. }))
        .count();
    if terms > MAX_TERMS {
        return Err(invalid(format!(
            "the search has more than {MAX_TERMS} words or phrases: shorten it"
        )));
    }
    Ok(out)
}

/// Parses the user's search text. Errors name what is wrong in plain words.
///
/// The text is bounded first ([`MAX_QUERY_CHARS`], [`MAX_TERMS`],
/// [`MAX_DEPTH`]), so no input can exhaust the stack or make FTS5 work for
/// seconds.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    if input.chars().nth(MAX_QUERY_CHARS).is_some() {
        return Err(invalid(format!(
            "the search is longer than {MAX_QUERY_CHARS} characters: shorten it"
        )));
    }
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err(invalid("type a word to search for"));
    }
    let mut p = Parser { tokens, pos: 0 };
    let root = p.or()?;
    if p.pos < p.tokens.len() {
        return Err(invalid(
            "the search has a closing parenthesis without an opening one",
        ));
    }
    Ok(ParsedQuery { root })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<Node> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            if matches!(
                self.peek(),
                None | Some(Token::Close | Token::Or | Token::And)
            ) {
                return Err(invalid("OR needs a word after it"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self) -> Result<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) => {
                    if items.is_empty() {
                        return Err(invalid("AND needs a word before it"));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek(),
                        None | Some(Token::Close | Token::Or | Token::And)
                    ) {
                        return Err(invalid("AND needs a word after it"));
                    }
                }
                _ => items.push(self.unary()?),
            }
        }
        match items.len() {
            0 => Err(match self.peek() {
                Some(Token::Or) => invalid("OR needs a word before it"),
                Some(Token::Close) => invalid("the parentheses are empty or unbalanced"),
                _ => invalid("type a word to search for"),
            }),
            1 => Ok(items.pop().expect("one item")),
            _ => Ok(Node::And(items)),
        }
    }

    fn unary(&mut self) -> Result<Node> {
        match self.peek().cloned() {
            Some(Token::Not) => {
                self.pos += 1;
                if matches!(
                    self.peek(),
                    None | Some(Token::Close | Token::Or | Token::And | Token::Not)
                ) {
                    return Err(invalid("NOT needs a word after it"));
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some(Token::Open) => {
                self.pos += 1;
                if self.peek() == Some(&Token::Close) {
                    return Err(invalid("the parentheses are empty"));
                }
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(invalid(
                        "the search has an opening parenthesis without a closing one",
                    ));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Word { text, prefix }) | Some(Token::Phrase { text, prefix }) => {
                self.pos += 1;
                Ok(Node::Term { text, prefix })
            }
            Some(Token::Close) => Err(invalid(
                "the search has a closing parenthesis without an opening one",
            )),
            Some(Token::And) | Some(Token::Or) | None => Err(invalid("type a word to search for")),
        }
    }
}

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
}

/// A quoted FTS5 string: the tokenizer splits it, nothing in it is syntax.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A query rebuilt as FTS5 expressions for one index.
#[derive(Clone, Debug, PartialEq)]
struct Lowered {
    /// What must match: the query as typed.
    matches: String,
    /// What is ranked: the same with each phrase's words taken as an AND
    /// (equal to `matches` when the query has no phrase). Every row matching
    /// `matches` matches this too.
    rank: String,
}

/// One term as FTS5 strings: (exact, for ranking).
fn lower_term(text: &str, prefix: bool, mode: Mode) -> (String, String) {
    let (tokens, star) = match mode {
        Mode::Words => (text.to_string(), prefix),
        Mode::Cjk => bigram_query(text, prefix),
        // Any substring of three characters or more; a star adds nothing.
        Mode::Trigram => {
            let exact = quote(text);
            return (exact.clone(), exact);
        }
    };
    let star = if star { " *" } else { "" };
    let exact = format!("{}{star}", quote(&tokens));
    let words: Vec<&str> = tokens.split_whitespace().collect();
    if words.len() < 2 {
        return (exact.clone(), exact);
    }
    // Whitespace separates tokens for both tokenizers, so the word matches
    // wherever the phrase does. The longest word stands in for the rarest:
    // bm25 reads the whole posting list of every word it ranks by, and the
    // short words ("the", "of", "и") have the longest lists.
    let last = words.len() - 1;
    let (i, longest) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())
        .expect("two words or more");
    let rank = if i == last {
        format!("{}{star}", quote(longest))
    } else {
        quote(longest)
    };
    (exact, rank)
}

/// Rebuilds the query as FTS5 expressions for one index.
fn lower(node: &Node, mode: Mode) -> Result<Lowered> {
    match node {
        Node::Term { text, prefix } => {
            let (matches, rank) = lower_term(text, *prefix, mode);
            Ok(Lowered { matches, rank })
        }
        Node::Not(_) => Err(invalid(
            "a search cannot only exclude words: add a word to look for",
        )),
        Node::Or(items) => {
            let parts = items
                .iter()
                .map(|i| lower(i, mode))
                .collect::<Result<Vec<_>>>()?;
            let join = |f: fn(&Lowered) -> &String| {
                let v: Vec<&str> = parts.iter().map(|p| f(p).as_str()).collect();
                format!("({})", v.join(" OR "))
            };
            Ok(Lowered {
                matches: join(|p| &p.matches),
                rank: join(|p| &p.rank),
            })
        }
        Node::And(items) => {
            let (negatives, positives): (Vec<&Node>, Vec<&Node>) =
                items.iter().partition(|n| matches!(n, Node::Not(_)));
            if positives.is_empty() {
                return Err(invalid(
                    "a search cannot only exclude words: add a word to look for",
                ));
            }
            let must = positives
                .into_iter()
                .map(|i| lower(i, mode))
                .collect::<Result<Vec<_>>>()?;
            let join = |f: fn(&Lowered) -> &String| {
                if must.len() == 1 {
                    f(&must[0]).clone()
                } else {
                    let v: Vec<&str> = must.iter().map(|p| f(p).as_str()).collect();
                    format!("({})", v.join(" AND "))
                }
            };
            let mut out = Lowered {
                matches: join(|p| &p.matches),
                rank: join(|p| &p.rank),
            };
            for item in negatives {
                let Node::Not(inner) = item else {
                    unreachable!("partitioned")
                };
                // An excluded phrase stays a phrase on both sides: as an AND
                // it would exclude rows the query matches.
                let e = lower(inner, mode)?.matches;
                out.matches = format!("({} NOT {e})", out.matches);
                out.rank = format!("({} NOT {e})", out.rank);
            }
            Ok(out)
        }
    }
}

// ---------------------------------------------------------------------------
// CJK bigrams

/// Han or kana that takes part in bigrams: letters only, so CJK punctuation
/// such as the katakana middle dot ends a run like any other punctuation.
fn is_cjk_letter(c: char) -> bool {
    is_cjk(c) && c.is_alphanumeric()
}

/// The text cut into runs: (is a run of CJK letters, the run).
fn cjk_runs(s: &str) -> Vec<(bool, &str)> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let cjk = is_cjk_letter(c);
        match current {
            Some(k) if k == cjk => {}
            Some(k) => {
                out.push((k, &s[start..i]));
                start = i;
                current = Some(cjk);
            }
            None => current = Some(cjk),
        }
    }
    if let Some(k) = current {
        out.push((k, &s[start..]));
    }
    out
}

fn push_pairs(out: &mut String, chars: &[char]) {
    for w in chars.windows(2) {
        out.push(w[0]);
        out.push(w[1]);
        out.push(' ');
    }
}

/// What the bigram index stores for a column: every CJK run replaced by its
/// overlapping pairs and its last character alone, the rest kept.
pub fn bigram_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2 + 8);
    for (cjk, run) in cjk_runs(s) {
        if !cjk {
            out.push_str(run);
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        out.push(' ');
        push_pairs(&mut out, &chars);
        out.push(*chars.last().expect("a run is not empty"));
        out.push(' ');
    }
    out
}

/// A query term as bigram-index tokens (space-separated), and whether the
/// last token is a prefix. A run inside the term ends where the stored text's
/// run ends too, so it carries its trailing single character like the
/// index; the term's last run may continue in the text, so it does not, and
/// if it is one character it becomes a prefix (any pair or single that
/// begins with it).
fn bigram_query(term: &str, prefix: bool) -> (String, bool) {
    let runs = cjk_runs(term);
    let mut out = String::new();
    let mut star = false;
    for (i, (cjk, run)) in runs.iter().enumerate() {
        let last = i + 1 == runs.len();
        if !cjk {
            out.push_str(run);
            out.push(' ');
            star = last && prefix;
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        push_pairs(&mut out, &chars);
        if !last {
            out.push(*chars.last().expect("a run is not empty"));
            out.push(' ');
        } else if chars.len() == 1 {
            out.push(chars[0]);
            star = true;
        }
    }
    (out.trim().to_string(), star)
}

/// Writes a row's bigram-index entry, if it has Han or kana. Call it in the
/// transaction that inserts the row, and again after every update of its
/// indexed columns (the update trigger removed the old entry). `first` and
/// `second` are the two indexed columns in order: version title and text,
/// note title and body, highlight text and comment, quote speaker and text.
pub async fn index_cjk(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<()> {
    if !first.chars().any(is_cjk_letter) && !second.chars().any(is_cjk_letter) {
        return Ok(());
    }
    let (a, b) = Table::of(kind).columns();
    let sql = format!(
        "INSERT INTO {} (rowid, {a}, {b}) VALUES (?, ?, ?)",
        Table::of(kind).index(Mode::Cjk)
    );
    sqlx::query(&sql)
        .bind(row_id)
        .bind(bigram_text(first))
        .bind(bigram_text(second))
        .execute(conn)
        .await?;
    Ok(())
}

/// Indexes the rows of a library created before the bigram indexes, once:
/// the migration leaves a `search_backfill` row, removed here in the same
/// transaction. Called by `Db::open` after the migrations; when nothing is
/// pending it costs one indexed lookup.
pub async fn backfill(pool: &sqlx::SqlitePool) -> Result<()> {
    const PENDING: &str = "SELECT count(*) FROM search_backfill WHERE name = 'bigrams'";
    let pending: i64 = sqlx::query_scalar(PENDING).fetch_one(pool).await?;
    if pending == 0 {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // Another process may have done it meanwhile.
    let pending: i64 = sqlx::query_scalar(PENDING).fetch_one(&mut *tx).await?;
    if pending == 0 {
        return Ok(());
    }
    for kind in HitKind::ALL {
        let table = Table::of(kind);
        let (a, b) = table.columns();
        let base = table.base();
        // The GLOB (Han or kana anywhere) skips most rows without reading
        // them into Rust; `index_cjk` decides on the rest.
        let sql = format!(
            "SELECT id, COALESCE({a}, ''), COALESCE({b}, '') FROM {base}, search_script              WHERE id > ? AND (COALESCE({a}, '') GLOB cjk_glob OR COALESCE({b}, '') GLOB cjk_glob)              ORDER BY id LIMIT 500"
        );
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, String, String)> =
                sqlx::query_as(&sql).bind(after).fetch_all(&mut *tx).await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            // The tables were created empty with the pending row, in one
            // migration, and this runs in one transaction: no row is here yet.
            for (id, first, second) in &rows {
                index_cjk(&mut tx, kind, *id, first, second).await?;
            }
        }
    }
    sqlx::query("DELETE FROM search_backfill WHERE name = 'bigrams'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Filters and per-table SQL

enum Arg {
    Text(String),
    Int(i64),
}

struct Filters {
    project_id: Option<i64>,
    tag: Option<String>,
    site: Option<String>,
    lang: Option<String>,
    from: Option<String>,
    /// Exclusive upper bound when `to` was a plain date.
    to: Option<(String, bool)>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Filters {
    fn from_query(q: &SearchQuery) -> Result<Self> {
        let from = match non_empty(&q.from) {
            None => None,
            Some(s) => Some(crate::time::format(crate::time::parse(&s).ok_or_else(
                || {
                    invalid(format!(
                        "\"{s}\" is not a date (use 2026-11-26 or RFC 3339)"
                    ))
                },
            )?)),
        };
        let to = match non_empty(&q.to) {
            None => None,
            Some(s) => {
                let t = crate::time::parse(&s).ok_or_else(|| {
                    invalid(format!(
                        "\"{s}\" is not a date (use 2026-11-26 or RFC 3339)"
                    ))
                })?;
                if chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").is_ok() {
                    Some((crate::time::format(t + chrono::Duration::days(1)), true))
                } else {
                    Some((crate::time::format(t), false))
                }
            }
        };
        Ok(Filters {
            project_id: q.project_id,
            tag: non_empty(&q.tag),
            // SQLite's lower() folds ASCII only; both sides go through it.
            site: non_empty(&q.site),
            lang: non_empty(&q.lang).map(|s| s.to_lowercase()),
            from,
            to,
        })
    }

    /// Conditions on a source's version `v` (and `v.source_id`).
    fn source_sql(&self, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(p) = self.project_id {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM project_sources ps \
                 WHERE ps.project_id = ? AND ps.source_id = v.source_id)",
            );
            args.push(Arg::Int(p));
        }
        if let Some(t) = &self.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM source_tags st JOIN tags t ON t.id = st.tag_id \
                 WHERE st.source_id = v.source_id AND t.name = ?)",
            );
            args.push(Arg::Text(t.clone()));
        }
        if let Some(site) = &self.site {
            sql.push_str(
                " AND (lower(v.site_name) = lower(?) OR EXISTS (SELECT 1 FROM sources s \
                 WHERE s.id = v.source_id AND (instr(lower(s.url), '://' || lower(?) || '/') > 0 \
                 OR instr(lower(s.url), '.' || lower(?) || '/') > 0)))",
            );
            for _ in 0..3 {
                args.push(Arg::Text(site.clone()));
            }
        }
        if let Some(lang) = &self.lang {
            sql.push_str(" AND (lower(v.lang) = ? OR substr(lower(v.lang), 1, ?) = ?)");
            args.push(Arg::Text(lang.clone()));
            args.push(Arg::Int(lang.chars().count() as i64 + 1));
            args.push(Arg::Text(format!("{lang}-")));
        }
        sql.push_str(&self.time_sql("v.created_at", args));
        sql
    }

    /// Conditions on a note `n`.
    fn note_sql(&self, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(p) = self.project_id {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM project_notes pn \
                 WHERE pn.project_id = ? AND pn.note_id = n.id)",
            );
            args.push(Arg::Int(p));
        }
        if let Some(t) = &self.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM note_tags nt JOIN tags t ON t.id = nt.tag_id \
                 WHERE nt.note_id = n.id AND t.name = ?)",
            );
            args.push(Arg::Text(t.clone()));
        }
        sql.push_str(&self.time_sql("n.updated_at", args));
        sql
    }

    fn time_sql(&self, column: &str, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(from) = &self.from {
            sql.push_str(&format!(" AND {column} >= ?"));
            args.push(Arg::Text(from.clone()));
        }
        if let Some((to, exclusive)) = &self.to {
            let op = if *exclusive { "<" } else { "<=" };
            sql.push_str(&format!(" AND {column} {op} ?"));
            args.push(Arg::Text(to.clone()));
        }
        sql
    }
}

/// Only versions that no later version of the same source follows.
const LATEST_ONLY: &str =
    " AND NOT EXISTS (SELECT 1 FROM versions nv WHERE nv.source_id = v.source_id AND nv.seq > v.seq)";

/// The pair of indexes of one searchable table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Table {
    kind: HitKind,
}

impl Table {
    fn of(kind: HitKind) -> Self {
        Table { kind }
    }

    fn index(self, mode: Mode) -> &'static str {
        match (self.kind, mode) {
            (HitKind::Source, Mode::Words) => "versions_fts",
            (HitKind::Source, Mode::Cjk) => "versions_bigram",
            (HitKind::Source, Mode::Trigram) => "versions_cjk",
            (HitKind::Note, Mode::Words) => "notes_fts",
            (HitKind::Note, Mode::Cjk) => "notes_bigram",
            (HitKind::Note, Mode::Trigram) => "notes_cjk",
            (HitKind::Highlight, Mode::Words) => "highlights_fts",
            (HitKind::Highlight, Mode::Cjk) => "highlights_bigram",
            (HitKind::Highlight, Mode::Trigram) => "highlights_cjk",
            (HitKind::Quote, Mode::Words) => "quotes_fts",
            (HitKind::Quote, Mode::Cjk) => "quotes_bigram",
            (HitKind::Quote, Mode::Trigram) => "quotes_cjk",
        }
    }

    /// bm25 column weights: a title (or speaker) match counts more.
    fn weights(self) -> &'static str {
        match self.kind {
            HitKind::Source | HitKind::Note => "10.0, 1.0",
            HitKind::Highlight => "2.0, 1.0",
            HitKind::Quote => "5.0, 1.0",
        }
    }

    /// The base table and its two indexed columns.
    fn base(self) -> &'static str {
        match self.kind {
            HitKind::Source => "versions",
            HitKind::Note => "notes",
            HitKind::Highlight => "highlights",
            HitKind::Quote => "quotes",
        }
    }

    fn columns(self) -> (&'static str, &'static str) {
        match self.kind {
            HitKind::Source => ("title", "text"),
            HitKind::Note => ("title", "body"),
            HitKind::Highlight => ("text", "comment"),
            HitKind::Quote => ("speaker", "text"),
        }
    }

    /// The FROM clause of this table's arm, joined to its index `idx`.
    fn from(self, idx: &str) -> String {
        match self.kind {
            HitKind::Source => format!("{idx} JOIN versions v ON v.id = {idx}.rowid"),
            HitKind::Note => format!("{idx} JOIN notes n ON n.id = {idx}.rowid"),
            HitKind::Highlight => format!(
                "{idx} JOIN highlights h ON h.id = {idx}.rowid JOIN versions v ON v.id = h.version_id"
            ),
            HitKind::Quote => format!(
                "{idx} JOIN quotes q ON q.id = {idx}.rowid JOIN versions v ON v.id = q.version_id"
            ),
        }
    }

    /// The row ids of the newest [`PHRASE_WINDOW`] matches, unranked: with no
    /// `bm25()` FTS5 walks the matches newest first and stops.
    async fn window(
        self,
        conn: &mut SqliteConnection,
        mode: Mode,
        all_versions: bool,
        filters: &Filters,
        expr: &str,
    ) -> Result<Vec<i64>> {
        let idx = self.index(mode);
        let mut args = vec![Arg::Text(expr.to_string())];
        let latest = if all_versions || !matches!(self.kind, HitKind::Source | HitKind::Quote) {
            ""
        } else {
            LATEST_ONLY
        };
        let conditions = match self.kind {
            HitKind::Note => filters.note_sql(&mut args),
            _ => filters.source_sql(&mut args),
        };
        let sql = format!(
            "SELECT {idx}.rowid FROM {} WHERE {idx} MATCH ?{latest}{conditions} \
             ORDER BY {idx}.rowid DESC LIMIT {PHRASE_WINDOW}",
            self.from(idx)
        );
        let mut q = sqlx::query_scalar(&sql);
        for a in &args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        Ok(q.fetch_all(conn).await?)
    }

    /// One arm of the UNION for a phrase query: the rows `ids` (found by
    /// [`Table::window`]) scored by bm25 of `rank`, the query with each
    /// phrase's words as an AND. FTS5 walks `rank` only between the oldest
    /// and newest id; the `+` keeps SQLite from turning the id list into
    /// per-row lookups, which would recompute bm25's statistics every time.
    fn select_ranked(
        self,
        mode: Mode,
        ids: &[i64],
        args: &mut Vec<Arg>,
        rank: Option<&str>,
    ) -> String {
        let idx = self.index(mode);
        let lo = ids.iter().min().copied().unwrap_or_default();
        let hi = ids.iter().max().copied().unwrap_or_default();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let Some(rank) = rank else {
            // Unranked: every row scores 0 and the date orders them.
            args.push(Arg::Text(format!("[{list}]")));
            let (columns, captured) = self.arm_columns();
            let key = match self.kind {
                HitKind::Source => "v.id",
                HitKind::Note => "n.id",
                HitKind::Highlight => "h.id",
                HitKind::Quote => "q.id",
            };
            let from = match self.kind {
                HitKind::Source => "versions v",
                HitKind::Note => "notes n",
                HitKind::Highlight => "highlights h JOIN versions v ON v.id = h.version_id",
                HitKind::Quote => "quotes q JOIN versions v ON v.id = q.version_id",
            };
            return format!(
                "SELECT {columns}, 0.0 AS score, {captured} AS captured_at, {key} AS row_id \
                 FROM {from} WHERE {key} IN (SELECT value FROM json_each(?))"
            );
        };
        // The bounds are bound, not written in: the SQL text then depends
        // only on the kinds and filters, so sqlx's statement cache hits.
        args.push(Arg::Text(rank.to_string()));
        args.push(Arg::Int(lo));
        args.push(Arg::Int(hi));
        args.push(Arg::Text(format!("[{list}]")));
        let (columns, captured) = self.arm_columns();
        format!(
            "SELECT {columns}, -bm25({idx}, {}) AS score, {captured} AS captured_at, \
             {idx}.rowid AS row_id FROM {} \
             WHERE {idx} MATCH ? AND {idx}.rowid >= ? AND {idx}.rowid <= ? \
             AND +{idx}.rowid IN (SELECT value FROM json_each(?))",
            self.weights(),
            self.from(idx)
        )
    }

    /// The identifying columns of a hit of this kind, and its date.
    fn arm_columns(self) -> (&'static str, &'static str) {
        match self.kind {
            HitKind::Source => (
                "'source' AS kind, v.source_id AS source_id, v.id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, NULL AS quote_id",
                "v.created_at",
            ),
            HitKind::Note => (
                "'note' AS kind, NULL AS source_id, NULL AS version_id, \
                 n.id AS note_id, NULL AS highlight_id, NULL AS quote_id",
                "n.updated_at",
            ),
            HitKind::Highlight => (
                "'highlight' AS kind, h.source_id AS source_id, h.version_id AS version_id, \
                 NULL AS note_id, h.id AS highlight_id, NULL AS quote_id",
                "v.created_at",
            ),
            HitKind::Quote => (
                "'quote' AS kind, q.source_id AS source_id, q.version_id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, q.id AS quote_id",
                "v.created_at",
            ),
        }
    }

    /// One arm of the UNION: the matching rows of this table with their score.
    fn select(
        self,
        mode: Mode,
        all_versions: bool,
        filters: &Filters,
        args: &mut Vec<Arg>,
        lowered: &Lowered,
    ) -> String {
        let idx = self.index(mode);
        let score = format!("-bm25({idx}, {})", self.weights());
        args.push(Arg::Text(lowered.matches.clone()));
        let latest = if all_versions { "" } else { LATEST_ONLY };
        let arm = match self.kind {
            HitKind::Source => format!(
                "SELECT 'source' AS kind, v.source_id AS source_id, v.id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, NULL AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, v.id AS row_id \
                 FROM {idx} JOIN versions v ON v.id = {idx}.rowid \
                 WHERE {idx} MATCH ?{latest}{}",
                filters.source_sql(args)
            ),
            HitKind::Note => format!(
                "SELECT 'note' AS kind, NULL AS source_id, NULL AS version_id, \
                 n.id AS note_id, NULL AS highlight_id, NULL AS quote_id, {score} AS score, \
                 n.updated_at AS captured_at, n.id AS row_id \
                 FROM {idx} JOIN notes n ON n.id = {idx}.rowid \
                 WHERE {idx} MATCH ?{}",
                filters.note_sql(args)
            ),
            HitKind::Highlight => format!(
                "SELECT 'highlight' AS kind, h.source_id AS source_id, h.version_id AS version_id, \
                 NULL AS note_id, h.id AS highlight_id, NULL AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, h.id AS row_id \
                 FROM {idx} JOIN highlights h ON h.id = {idx}.rowid \
                 JOIN versions v ON v.id = h.version_id \
                 WHERE {idx} MATCH ?{}",
                filters.source_sql(args)
            ),
            HitKind::Quote => format!(
                "SELECT 'quote' AS kind, q.source_id AS source_id, q.version_id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, q.id AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, q.id AS row_id \
                 FROM {idx} JOIN quotes q ON q.id = {idx}.rowid \
                 JOIN versions v ON v.id = q.version_id \
                 WHERE {idx} MATCH ?{latest}{}",
                filters.source_sql(args)
            ),
        };
        // FTS5 walks the matches newest first and stops at the window, so
        // bm25 is computed for at most RANK_WINDOW rows per table.
        format!(
            "SELECT kind, source_id, version_id, note_id, highlight_id, quote_id, score, \
             captured_at, row_id FROM ({arm} ORDER BY {idx}.rowid DESC LIMIT {RANK_WINDOW})"
        )
    }

    /// The hit's title and its snippet as safe HTML.
    async fn title_and_snippet(
        self,
        conn: &mut SqliteConnection,
        mode: Mode,
        expr: &str,
        row_id: i64,
        needles: &[String],
        word_needles: Option<&[WordNeedle]>,
    ) -> Result<(String, String)> {
        match (mode, word_needles) {
            (Mode::Words, Some(word_needles)) => {
                let (title, body) = self.title_and_body(conn, row_id).await?;
                Ok((title, to_html(&cut_word_snippet(&body, word_needles))))
            }
            (Mode::Words, None) => {
                // (title, FTS5 column of the text, the hit's table and key)
                let (title_sql, column, from, key) = match self.kind {
                    HitKind::Source => ("v.title", 1, "versions v", "v.id"),
                    HitKind::Note => ("n.title", 1, "notes n", "n.id"),
                    HitKind::Highlight => (
                        "v.title",
                        -1,
                        "highlights h JOIN versions v ON v.id = h.version_id",
                        "h.id",
                    ),
                    HitKind::Quote => (
                        "v.title",
                        1,
                        "quotes q JOIN versions v ON v.id = q.version_id",
                        "q.id",
                    ),
                };
                let idx = self.index(mode);
                let sql = format!(
                    "SELECT {title_sql} AS title, \
                     snippet({idx}, {column}, char(2), char(3), '…', 24) AS snippet \
                     FROM {idx}, {from} \
                     WHERE {idx} MATCH ? AND {idx}.rowid = ? AND {key} = {idx}.rowid"
                );
                let row = sqlx::query(&sql)
                    .bind(expr)
                    .bind(row_id)
                    .fetch_one(&mut *conn)
                    .await?;
                let snippet: Option<String> = row.try_get("snippet")?;
                Ok((
                    row.try_get("title")?,
                    to_html(snippet.as_deref().unwrap_or("")),
                ))
            }
            (Mode::Cjk | Mode::Trigram, _) => {
                let (title, body) = self.title_and_body(conn, row_id).await?;
                Ok((title, to_html(&cut_snippet(&body, needles))))
            }
        }
    }

    /// The hit's title and whole text, for snippets cut in Rust.
    async fn title_and_body(
        self,
        conn: &mut SqliteConnection,
        row_id: i64,
    ) -> Result<(String, String)> {
        let sql = match self.kind {
            HitKind::Source => "SELECT v.title, v.text FROM versions v WHERE v.id = ?",
            HitKind::Note => "SELECT n.title, n.body FROM notes n WHERE n.id = ?",
            HitKind::Highlight => {
                "SELECT v.title, \
                 CASE WHEN h.comment = '' THEN h.text ELSE h.text || ' — ' || h.comment END \
                 FROM highlights h JOIN versions v ON v.id = h.version_id WHERE h.id = ?"
            }
            HitKind::Quote => {
                "SELECT v.title, q.text FROM quotes q JOIN versions v ON v.id = q.version_id \
                 WHERE q.id = ?"
            }
        };
        Ok(sqlx::query_as(sql)
            .bind(row_id)
            .fetch_one(&mut *conn)
            .await?)
    }
}

// ---------------------------------------------------------------------------
// Snippets

/// Characters of context kept before the first match in a hand-cut snippet.
const BEFORE: usize = 24;
/// Length of a hand-cut snippet, in characters.
const WINDOW: usize = 96;

/// Cuts a passage around the first needle and wraps every needle in the
/// match markers. Matching folds case and accents, like the tokenizers.
///
/// The text is folded once, char by char, into one buffer that remembers
/// which original char each folded char came from (one allocation, not one
/// per char: bodies run to thousands of characters and 20 hits are cut per
/// search).
fn cut_snippet(text: &str, needles: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut folded: Vec<char> = Vec::with_capacity(chars.len());
    // For each original char, where its folded chars start in `folded`.
    let mut start_of: Vec<usize> = Vec::with_capacity(chars.len() + 1);
    // For each folded char, the original char it came from.
    let mut origin: Vec<usize> = Vec::with_capacity(chars.len());
    let mut buf = [0u8; 4];
    for (i, &c) in chars.iter().enumerate() {
        start_of.push(folded.len());
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            origin.push(i);
        } else if is_cjk(c) {
            folded.push(c);
            origin.push(i);
        } else {
            for f in fold(c.encode_utf8(&mut buf)).chars() {
                folded.push(f);
                origin.push(i);
            }
        }
    }
    start_of.push(folded.len());
    let needles: Vec<Vec<char>> = needles
        .iter()
        .map(|n| n.chars().collect::<Vec<char>>())
        .filter(|n| !n.is_empty())
        .collect();
    // The length in original chars of the needle that starts at char `i`.
    let match_at = |i: usize| -> Option<usize> {
        let f = start_of[i];
        if f == start_of[i + 1] {
            return None; // folds to nothing (a combining mark)
        }
        needles
            .iter()
            .find(|n| folded[f..].starts_with(n))
            .map(|n| origin[f + n.len() - 1] + 1 - i)
    };
    let first = (0..chars.len()).find(|&i| match_at(i).is_some());
    let start = first.map_or(0, |f| f.saturating_sub(BEFORE));
    let end = (start + WINDOW).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    while i < end {
        if let Some(len) = match_at(i) {
            out.push(OPEN);
            out.extend(&chars[i..(i + len).min(chars.len())]);
            out.push(CLOSE);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    if i < chars.len() {
        out.push('…');
    }
    out
}

/// A query term for [`cut_word_snippet`]: its words, folded.
#[derive(Clone, Debug, PartialEq)]
struct WordNeedle {
    words: Vec<String>,
    /// The last word is a prefix (`"grain dea"*`).
    prefix: bool,
}

/// The words of spaced text as the word index sees them: runs of letters,
/// digits and combining marks, with their byte offsets.
fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if is_word(c) {
                break;
            }
            rest.next();
        }
        let &(start, _) = rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !is_word(c) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// Like FTS5's snippet() for spaced text, without running the query again:
/// a passage around the first occurrence of any needle, every occurrence in
/// it marked. A needle of several words matches them consecutive, whatever
/// punctuation or spacing lies between (as the word index does), so a
/// phrase is marked whole.
fn cut_word_snippet(text: &str, needles: &[WordNeedle]) -> String {
    let words: Vec<(usize, &str)> = words_of(text).collect();
    let folded: Vec<String> = words.iter().map(|(_, w)| fold(w)).collect();
    // The number of words of the needle that starts at word `i`.
    let match_at = |i: usize| -> Option<usize> {
        needles.iter().find_map(|n| {
            let k = n.words.len();
            let got = folded.get(i..i + k)?;
            let last = k - 1;
            let hit = got.iter().zip(&n.words).enumerate().all(|(j, (g, w))| {
                if j == last && n.prefix {
                    g.starts_with(w.as_str())
                } else {
                    g == w
                }
            });
            hit.then_some(k)
        })
    };
    let first = (0..words.len()).find(|&i| match_at(i).is_some());
    // Byte offset of the passage: BEFORE characters before the first match.
    let from = first.map_or(0, |f| {
        let at = words[f].0;
        text[..at]
            .char_indices()
            .rev()
            .nth(BEFORE - 1)
            .map_or(0, |(i, _)| i)
    });
    let to = text[from..]
        .char_indices()
        .nth(WINDOW)
        .map_or(text.len(), |(i, _)| from + i);
    let mut out = String::with_capacity(to - from + 16);
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    let mut i = words.partition_point(|(s, _)| *s < from);
    while i < words.len() && words[i].0 < to {
        match match_at(i) {
            Some(k) => {
                let (start, _) = words[i];
                let (last, w) = words[i + k - 1];
                let end = last + w.len();
                out.push_str(&text[at..start]);
                out.push(OPEN);
                out.push_str(&text[start..end]);
                out.push(CLOSE);
                at = end;
                i += k;
            }
            None => i += 1,
        }
    }
    if at < to {
        out.push_str(&text[at..to]);
    }
    if at.max(to) < text.len() {
        out.push('…');
    }
    out
}

/// Escapes a snippet for HTML and turns the match markers into `<mark>`,
/// keeping the tags balanced whatever the text contained.
fn to_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            OPEN if !open => {
                out.push_str("<mark>");
                open = true;
            }
            CLOSE if open => {
                out.push_str("</mark>");
                open = false;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out.trim().to_string()
}

/// A snippet as plain text with the matches in «guillemets», for terminals.
pub fn snippet_plain(html: &str) -> String {
    html.replace("<mark>", "«")
        .replace("</mark>", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> String {
        // Word mode never touches the database.
        fn walk(n: &Node) -> String {
            match n {
                Node::Term { text, prefix } => {
                    if *prefix {
                        format!("{} *", quote(text))
                    } else {
                        quote(text)
                    }
                }
                Node::And(v) => {
                    format!("AND({})", v.iter().map(walk).collect::<Vec<_>>().join(","))
                }
                Node::Or(v) => format!("OR({})", v.iter().map(walk).collect::<Vec<_>>().join(",")),
                Node::Not(n) => format!("NOT({})", walk(n)),
            }
        }
        walk(&parse(q).unwrap().root)
    }

    #[test]
    fn parses_the_query_language() {
        assert_eq!(fts("sanctions"), "\"sanctions\"");
        assert_eq!(
            fts("sanction* \"grain deal\""),
            "AND(\"sanction\" *,\"grain deal\")"
        );
        assert_eq!(fts("a OR b c"), "OR(\"a\",AND(\"b\",\"c\"))");
        assert_eq!(
            fts("kim -jong NOT un"),
            "AND(\"kim\",NOT(\"jong\"),NOT(\"un\"))"
        );
        assert_eq!(fts("(a OR b) AND c"), "AND(OR(\"a\",\"b\"),\"c\")");
    }

    #[test]
    fn rejects_broken_queries_with_clear_messages() {
        for (q, msg) in [
            (
                "\"grain deal",
                "the search has an opening quotation mark without a closing one",
            ),
            ("war AND", "AND needs a word after it"),
            ("OR war", "OR needs a word before it"),
            (
                "(war",
                "the search has an opening parenthesis without a closing one",
            ),
            (
                "war)",
                "the search has a closing parenthesis without an opening one",
            ),
            ("   ", "type a word to search for"),
            ("NOT", "NOT needs a word after it"),
        ] {
            match parse(q) {
                Err(Error::Invalid(m)) => assert_eq!(m, msg, "query {q:?}"),
                other => panic!("query {q:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn cuts_and_escapes_snippets() {
        let s = cut_snippet("北京消息：<外交部>发言人表示，中国愿意", &["中国".into()]);
        assert_eq!(
            to_html(&s),
            "北京消息：&lt;外交部&gt;发言人表示，<mark>中国</mark>愿意"
        );
        assert_eq!(to_html("a\u{2}b\u{2}c"), "a<mark>bc</mark>");
    }

    #[test]
    fn cuts_phrase_snippets_on_word_boundaries() {
        let needles = parse("\"grain deal\" Odes*").unwrap().word_needles();
        let s = cut_word_snippet(
            "Ministers met in Odessa. The grain, deal or no deal: a grain\n\ndeal & <more>",
            &needles,
        );
        assert_eq!(
            to_html(&s),
            "Ministers met in <mark>Odessa</mark>. The <mark>grain, deal</mark> or no deal: \
             a <mark>grain deal</mark> &amp; &lt;more&gt;"
        );
        // Folds case and accents; no match inside a longer word.
        let needles = parse("\"cafe deal\"").unwrap().word_needles();
        let s = cut_word_snippet("Cafés dealt. CAFÉ Deal signed", &needles);
        assert_eq!(to_html(&s), "Cafés dealt. <mark>CAFÉ Deal</mark> signed");
    }
}
