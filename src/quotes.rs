//! Quoted speech and its speaker, found in every version: the quote index a
//! reporter searches by speaker, and what a diff checks for altered quotes.
//!
//! Recognised: “…,” said X / “…,” X said / X said: “…” / X: “…” / “…,”
//! according to X / "…," X told reporters; a second quote in a paragraph
//! keeps the speaker of the first; a quote whose paragraph ends without a
//! closing mark continues in the next paragraph, which names nobody. Marks:
//! “ ” " " « » „ “ 「 」 『 』. Some attribution patterns for Chinese,
//! Japanese, Korean, Russian, French, German and Arabic too.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::article::{Block, BLOCK_SEPARATOR};
use crate::db::SqliteQuery;
use crate::error::Result;
use crate::normalize::{word_at, HIGH_BITS, LOW_BITS};
use crate::versions::Version;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Quote {
    pub speaker: Option<String>,
    /// The words inside the marks (without a trailing comma that belongs to the attribution).
    pub text: String,
    pub block_index: usize,
    /// Char offsets of `text` in the blocks joined by "\n\n".
    pub start: usize,
    pub end: usize,
}

/// Opening marks and the marks that close them.
fn closers(open: char) -> Option<&'static [char]> {
    Some(match open {
        '“' => &['”'],
        '"' => &['"'],
        '«' => &['»'],
        '„' => &['“', '”'],
        '「' => &['」'],
        '『' => &['』'],
        _ => return None,
    })
}

/// Every quotation in `blocks` (scare quotes of one or two words are skipped).
pub fn find_quotes(blocks: &[Block]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut thread = Thread::default();
    let mut block_start = 0usize; // chars
    for (bi, block) in blocks.iter().enumerate() {
        scan_block(&block.text, bi, block_start, &mut thread, &mut out);
        block_start += block.text.chars().count() + SEPARATOR_CHARS;
    }
    out
}

/// Exactly `(find_quotes(old), find_quotes(new))` for two versions of one
/// article, with less work: a block of `new` holding the same text as block
/// `same[n]` of `old`, reached with the same [`Thread`], has the same quotes
/// (moved by its new offset), so they are copied rather than found again.
/// A diff's unchanged paragraphs are most of both versions.
pub(crate) fn find_quotes_of_pair(
    old: &[Block],
    new: &[Block],
    same: &[Option<usize>],
) -> (Vec<Quote>, Vec<Quote>) {
    struct Scanned {
        thread_in: Thread,
        thread_out: Thread,
        quotes: std::ops::Range<usize>,
        block_start: usize,
    }
    let reused: Vec<bool> = {
        let mut r = vec![false; old.len()];
        for (n, o) in same.iter().enumerate() {
            if let Some(o) = o.filter(|&o| o < old.len()) {
                r[o] |= old[o].text == new[n].text;
            }
        }
        r
    };
    let mut old_quotes = Vec::new();
    let mut scanned: Vec<Option<Scanned>> = Vec::with_capacity(old.len());
    let mut thread = Thread::default();
    let mut block_start = 0usize;
    for (bi, block) in old.iter().enumerate() {
        let thread_in = reused[bi].then(|| thread.clone());
        let first = old_quotes.len();
        scan_block(&block.text, bi, block_start, &mut thread, &mut old_quotes);
        scanned.push(thread_in.map(|thread_in| Scanned {
            thread_in,
            thread_out: thread.clone(),
            quotes: first..old_quotes.len(),
            block_start,
        }));
        block_start += block.text.chars().count() + SEPARATOR_CHARS;
    }
    let mut new_quotes = Vec::new();
    let mut thread = Thread::default();
    let mut block_start = 0usize;
    for (bi, block) in new.iter().enumerate() {
        let earlier = same.get(bi).copied().flatten().and_then(|o| {
            scanned
                .get(o)?
                .as_ref()
                .filter(|s| old[o].text == block.text && s.thread_in == thread)
        });
        match earlier {
            Some(s) => {
                new_quotes.extend(old_quotes[s.quotes.clone()].iter().map(|q| Quote {
                    block_index: bi,
                    start: q.start - s.block_start + block_start,
                    end: q.end - s.block_start + block_start,
                    ..q.clone()
                }));
                thread = s.thread_out.clone();
            }
            None => scan_block(&block.text, bi, block_start, &mut thread, &mut new_quotes),
        }
        block_start += block.text.chars().count() + SEPARATOR_CHARS;
    }
    (old_quotes, new_quotes)
}

/// Chars between two blocks in the joined text that quote offsets count in
/// (the separator is ASCII: its bytes are its chars).
const SEPARATOR_CHARS: usize = BLOCK_SEPARATOR.len();

/// What one paragraph hands the next: the speaker of a quote it left open
/// (the next paragraph continues it) and the last speaker named (whom "he"
/// or "she" means).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Thread {
    carry: Option<Option<String>>,
    last_named: Option<String>,
}

/// The quotes of one block, whose text starts `block_start` chars into the
/// joined text, added to `out`; `thread` comes in from the block before and
/// goes out to the next.
fn scan_block(
    text: &str,
    bi: usize,
    block_start: usize,
    thread: &mut Thread,
    out: &mut Vec<Quote>,
) {
    let Thread { carry, last_named } = thread;
    let continuing = carry.take();
    let mut in_block: Option<String> = None;
    let mut pos = 0usize;
    let mut first = true;
    // Chars of `text` before byte `counted`: quote offsets are counted
    // on from the previous quote, not from the block's start each time.
    let (mut counted, mut chars_before) = (0usize, 0usize);
    while let Some((ob, oc)) = next_open(text, pos) {
        let inner_start = ob + oc.len_utf8();
        let close = closers(oc)
            .and_then(|cs| first_of(&text[inner_start..], cs))
            .map(|(i, c)| (inner_start + i, c));
        let (inner_end, after) = match close {
            Some((cb, cc)) => (cb, cb + cc.len_utf8()),
            None => (text.len(), text.len()),
        };
        let continuation = first && continuing.is_some() && text[..ob].trim().is_empty();
        let mut speaker = if continuation {
            continuing.clone().flatten()
        } else {
            attribution(&text[..ob], &text[after..])
        };
        if speaker.as_deref().is_some_and(is_pronoun) {
            speaker = last_named.clone();
        }
        if speaker.is_none() && !continuation {
            speaker = in_block.clone();
        }
        if speaker.is_some() {
            in_block = speaker.clone();
            *last_named = speaker.clone();
        }
        if close.is_none() {
            *carry = Some(speaker.clone());
        }

        let raw = &text[inner_start..inner_end];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw
            .trim_start()
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '،' | '，'));
        if long_enough(trimmed) {
            chars_before += text[counted..inner_start + lead].chars().count();
            counted = inner_start + lead;
            let s = block_start + chars_before;
            let len = trimmed.chars().count();
            out.push(Quote {
                speaker,
                text: trimmed.to_string(),
                block_index: bi,
                start: s,
                end: s + len,
            });
        }
        pos = after;
        first = false;
        if close.is_none() {
            break;
        }
    }
}

/// The first of `marks` in `text`, and where. Each mark is searched for on
/// its own (`str::find` looks for a char's bytes with memchr) rather than
/// decoding every char of a quotation in turn.
fn first_of(text: &str, marks: &[char]) -> Option<(usize, char)> {
    marks
        .iter()
        .filter_map(|&c| Some((text.find(c)?, c)))
        .min_by_key(|&(i, _)| i)
}

/// The next opening mark at or after byte `from`. A straight `"` opens only
/// after a space, a bracket or the start of the text.
///
/// Bytes are scanned rather than chars: every mark starts with `"` or one of
/// three lead bytes, and most of a version's text holds no mark at all, so
/// eight bytes of ASCII without a `"` are passed over at once.
fn next_open(text: &str, from: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if word_at(bytes, i).is_some_and(no_mark) {
            i += 8;
            continue;
        }
        let at = i;
        i += 1;
        match bytes[at] {
            b'"' => {
                let prev = text[..at].chars().next_back();
                if prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p)) {
                    return Some((at, '"'));
                }
            }
            // Lead bytes of « („ “) (「 『): always the start of a char.
            0xC2 | 0xE2 | 0xE3 => {
                let c = text[at..]
                    .chars()
                    .next()
                    .expect("a char starts at a lead byte");
                if closers(c).is_some() {
                    return Some((at, c));
                }
            }
            _ => {}
        }
    }
    None
}

/// Eight ASCII bytes, none of them `"`: no mark starts among them. (With the
/// high bits clear, adding 0x7F to each byte carries into its bit 7 exactly
/// when the byte, XORed with `"`, is not zero.)
fn no_mark(w: u64) -> bool {
    let quote = w ^ (u64::from(b'"') * LOW_BITS);
    w & HIGH_BITS == 0 && (quote + 0x7f * LOW_BITS) & HIGH_BITS == HIGH_BITS
}

fn long_enough(q: &str) -> bool {
    if q.chars().any(crate::script::is_unspaced) {
        q.chars().count() >= 4
    } else {
        q.split_whitespace().count() >= 3
    }
}

fn is_pronoun(s: &str) -> bool {
    matches!(
        s.to_lowercase().as_str(),
        "he" | "she" | "they" | "il" | "elle" | "er" | "sie" | "он" | "она" | "他" | "她"
    )
}

const VERBS: &str = "said|says|added|adds|asked|wrote|writes|warned|insisted|stated|declared|noted|explained|argued|replied|told|tweeted|posted|recalled|cautioned|acknowledged|admitted";

static AFTER_VERB_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*[,.!?]?\s*(?:{VERBS}|according\s+to|a\s+(?:déclaré|dit|affirmé|ajouté|expliqué|estimé)|selon|sagte|erklärte|betonte|sagt|[—–-]\s*(?:сказал|сказала|заявил|заявила|отметил|отметила|добавил|добавила))\s+(.+)$"
    ))
    .expect("pattern")
});

// The speaker runs are written `(.+?)` and their length checked after the
// match ([`SPEAKER_CHARS`], [`LABEL_CHARS`]) rather than as `.{1,100}?`: a
// bounded repetition of Unicode `.` compiled into a hundred copies of its
// automaton, most of a short diff's CPU (issue 16). For these patterns,
// anchored at the start, the lazy run is the shortest that matches, so
// "shortest is too long" is exactly "no match within the bound".

/// Longest speaker run before a verb, in chars.
const SPEAKER_CHARS: usize = 100;
/// Longest label before a colon ("Prime Minister Ana Ribeiro:"), in chars.
const LABEL_CHARS: usize = 80;

/// Group 1 of a match when it is at most `max` chars long.
fn bounded<'h>(c: regex::Captures<'h>, max: usize) -> Option<regex::Captures<'h>> {
    (c[1].chars().count() <= max).then_some(c)
}

static AFTER_SPEAKER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\s*[,.!?]?\s*(.+?)\s+(?:{VERBS})\b")).expect("pattern")
});

static BEFORE_SPEAKER_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(.+?)\s+(?:{VERBS}|сказал|сказала|заявил|заявила|a\s+déclaré|a\s+dit|sagte|erklärte)\b[^“”«»„]{{0,40}}?[:,]?\s*(?:that|que|dass|что)?\s*$"
    ))
    .expect("pattern")
});

static BEFORE_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s*:\s*$").expect("pattern"));

static BEFORE_ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:according\s+to|selon)\s+(.{1,80}?)\s*[:,]?\s*$").expect("pattern")
});

static BEFORE_CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^，。；：“”「」\s]{1,20}?)(?:说|表示|指出|强调|称|回应|介绍)[：:，,]?\s*$")
        .expect("pattern")
});

static BEFORE_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^、。，,\s][^、。，,]{0,30}?)\s*(?:は|은|는)\s*[、,]?\s*$").expect("pattern")
});

static AFTER_REPORTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:と|라고|이라고|고\s)").expect("pattern"));

static BEFORE_ARABIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:قال|قالت|وقال|وقالت|أضاف|أضافت|وأضاف|وأضافت|صرح|وصرح)\s+(.{1,60}?)(?:\s+(?:يوم|في)\s+\S+)?\s+(?:إن|أن)?\s*$")
        .expect("pattern")
});

/// Who said it, from the text right before the opening mark and right after
/// the closing one (same sentence).
fn attribution(before: &str, after: &str) -> Option<String> {
    let after_sentence = first_sentence(after);
    if let Some(c) = AFTER_VERB_FIRST.captures(after_sentence) {
        if let Some(name) = take_name(&c[1]) {
            return Some(name);
        }
    }
    if let Some(c) = AFTER_SPEAKER_FIRST
        .captures(after_sentence)
        .and_then(|c| bounded(c, SPEAKER_CHARS))
    {
        if let Some(name) = c[1].split(", ").map(str::trim).find(|s| valid_speaker(s)) {
            return Some(name.to_string());
        }
    }
    let sentence = last_sentence(before);
    if let Some(c) = BEFORE_SPEAKER_VERB
        .captures(sentence)
        .and_then(|c| bounded(c, SPEAKER_CHARS))
    {
        let cand = c[1].trim_start_matches(|ch: char| ch == '—' || ch.is_whitespace());
        let cand = cand
            .strip_prefix("And ")
            .or_else(|| cand.strip_prefix("But "))
            .unwrap_or(cand);
        if let Some(name) = cand.rsplit(", ").map(str::trim).find(|s| valid_speaker(s)) {
            return Some(name.to_string());
        }
    }
    if let Some(c) = BEFORE_ACCORDING.captures(sentence) {
        if let Some(name) = take_name(&c[1]) {
            return Some(name);
        }
    }
    if let Some(c) = BEFORE_COLON
        .captures(sentence)
        .and_then(|c| bounded(c, LABEL_CHARS))
    {
        let cand = c[1].trim();
        if valid_speaker(cand) && cand.split_whitespace().count() <= 8 {
            return Some(cand.to_string());
        }
    }
    if let Some(c) = BEFORE_CHINESE.captures(sentence) {
        return Some(c[1].to_string());
    }
    if AFTER_REPORTED.is_match(after) {
        if let Some(c) = BEFORE_TOPIC.captures(sentence) {
            return Some(c[1].trim().to_string());
        }
    }
    if let Some(c) = BEFORE_ARABIC.captures(sentence) {
        return Some(c[1].trim().to_string());
    }
    None
}

/// Abbreviations whose full stop does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    w.contains('.')
        || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
        || matches!(
            w,
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "Gen"
                | "Sen"
                | "Rep"
                | "Gov"
                | "Lt"
                | "Col"
                | "Sgt"
                | "St"
                | "Jr"
                | "Prof"
                | "Rev"
                | "Jan"
                | "Feb"
                | "Aug"
                | "Sept"
                | "Oct"
                | "Nov"
                | "Dec"
                | "No"
                | "Co"
                | "Corp"
                | "Inc"
        )
}

/// Whether `c`, at byte `i` of `s`, ends a sentence: "。", "！", "？", or
/// ".", "!", "?" followed by a space (a full stop after an abbreviation does
/// not).
fn ends_sentence(s: &str, i: usize, c: char) -> bool {
    match c {
        '。' | '！' | '？' => true,
        '.' | '!' | '?' => {
            // `c` is one byte: the next char starts right after it.
            if !s[i + 1..].chars().next().is_some_and(char::is_whitespace) {
                return false;
            }
            let word = s[..i].rsplit(char::is_whitespace).next().unwrap_or("");
            !(c == '.' && is_abbreviation(word))
        }
        _ => false,
    }
}

/// The text after the last sentence end. Searched from the end: a quote's
/// lead-in is the end of its paragraph so far, and the sentences before it
/// need no look (they cost a long paragraph's quotes most of their time).
fn last_sentence(s: &str) -> &str {
    match s
        .char_indices()
        .rev()
        .find(|&(i, c)| ends_sentence(s, i, c))
    {
        Some((i, c)) => &s[i + c.len_utf8()..],
        None => s,
    }
}

/// The text up to and including the first sentence end.
fn first_sentence(s: &str) -> &str {
    match s.char_indices().find(|&(i, c)| ends_sentence(s, i, c)) {
        Some((i, c)) => &s[..i + c.len_utf8()],
        None => s,
    }
}

/// The name at the start of `s`: words up to a comma, a sentence end or a
/// word that starts a new clause ("on Tuesday", "who …").
fn take_name(s: &str) -> Option<String> {
    const STOP: &[&str] = &[
        "on", "at", "in", "during", "after", "before", "when", "while", "who", "which", "that",
        "to", "from", "as", "because", "told", "said", "says",
    ];
    let mut words: Vec<&str> = Vec::new();
    for w in s.split_whitespace() {
        if !words.is_empty() && STOP.contains(&w) {
            break;
        }
        if let Some(stripped) = w.strip_suffix([',', ';', ':', '—']) {
            words.push(stripped);
            break;
        }
        if let Some(stripped) = w.strip_suffix('.') {
            if is_abbreviation(w.trim_end_matches('.')) && !w.ends_with("..") {
                words.push(w);
                continue;
            }
            words.push(stripped);
            break;
        }
        words.push(w);
        if words.len() >= 10 {
            break;
        }
    }
    let name = words.join(" ");
    let name = name.trim_end_matches(['.', ',']).trim();
    valid_speaker(name).then(|| name.to_string())
}

/// A plausible speaker: a capitalised name or title ("Foreign Minister Choe
/// Son Hui"), a described one ("a senior U.S. official"), or a pronoun.
fn valid_speaker(s: &str) -> bool {
    let words = s.split_whitespace().count();
    if words == 0 || words > 10 || s.contains(['“', '”', '"', '«', '»']) {
        return false;
    }
    let first = s.split_whitespace().next().unwrap_or("");
    let starts_upper = first.chars().next().is_some_and(|c| c.is_uppercase());
    let uncased = first
        .chars()
        .next()
        .is_some_and(|c| !c.is_lowercase() && !c.is_uppercase());
    starts_upper
        || uncased
        || matches!(
            first,
            "a" | "an" | "the" | "one" | "two" | "three" | "several"
        ) && words >= 2
        || is_pronoun(s)
}

// ---------------------------------------------------------------------------
// The quote index.

/// Replaces the stored quotes of `version` with those found in its blocks.
/// Call it in the transaction that stores the version.
pub async fn store_for_version(conn: &mut SqliteConnection, version: &Version) -> Result<()> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("DELETE FROM quotes WHERE version_id = ?")
        .bind(version.id)
        .execute(&mut *tx)
        .await?;
    let stored = insert_quotes(&mut tx, version).await?;
    crate::search::index_quotes_of_version(&mut tx, version.id, &index_rows(&stored)).await?;
    tx.commit().await?;
    Ok(())
}

/// Quotes written by one statement: six bound values each, far under
/// SQLite's limit.
const QUOTES_PER_INSERT: usize = 200;

/// Finds the version's quotes and inserts them, one multi-row statement per
/// [`QUOTES_PER_INSERT`]; returns each stored row's id, speaker and text as
/// stored, so the index is given what each row holds whatever order SQLite
/// returns the rows in.
async fn insert_quotes(conn: &mut SqliteConnection, version: &Version) -> Result<Vec<StoredQuote>> {
    let quotes = find_quotes(&version.blocks);
    if quotes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = insert_sql(quotes.len(), "?", false);
    let insert = bind_inserts(
        sqlx::query(&sql),
        Some(version.id),
        version.source_id,
        &quotes,
    );
    let rows = insert.fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(StoredQuote::from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// A stored quote's id, speaker and text, as its insert returns them.
pub(crate) type StoredQuote = (i64, Option<String>, String);

/// The statements that insert `count` quotes of the version whose id is
/// the SQL expression `version_id` ("?": bound), each returning the
/// stored rows ([`StoredQuote`]); empty for none. Bind with
/// [`bind_inserts`]. `words_later`: left out of the word index until the
/// batch inserting them adds them (`versions::index_words_since`).
pub(crate) fn insert_sql(count: usize, version_id: &str, words_later: bool) -> String {
    let mut sql = String::new();
    let mut left = count;
    // The column is named only when set: left NULL, it is the default.
    let (column, value) = if words_later {
        (", words_later", ", 1")
    } else {
        ("", "")
    };
    while left > 0 {
        let n = left.min(QUOTES_PER_INSERT);
        left -= n;
        let row = format!("({version_id}, ?, ?, ?, ?, ?{value})");
        sql.push_str(&format!(
            "INSERT INTO quotes (version_id, source_id, speaker, text, start, end{column}) \
             VALUES {} RETURNING id, speaker, text;",
            vec![row.as_str(); n].join(", ")
        ));
    }
    sql
}

/// Binds [`insert_sql`]'s values: `version_id` if its expression was "?".
pub(crate) fn bind_inserts<'q>(
    mut query: SqliteQuery<'q>,
    version_id: Option<i64>,
    source_id: i64,
    quotes: &'q [Quote],
) -> SqliteQuery<'q> {
    for q in quotes {
        if let Some(id) = version_id {
            query = query.bind(id);
        }
        query = query
            .bind(source_id)
            .bind(&q.speaker)
            .bind(&q.text)
            .bind(q.start as i64)
            .bind(q.end as i64);
    }
    query
}

/// (id, speaker or "", text) of stored quotes, as the search index takes them.
pub(crate) fn index_rows(stored: &[StoredQuote]) -> Vec<(i64, &str, &str)> {
    stored
        .iter()
        .map(|(id, speaker, text)| (*id, speaker.as_deref().unwrap_or(""), text.as_str()))
        .collect()
}

/// What to list from the quote index; every field narrows, `None` does not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteFilter {
    /// Part of the speaker's name (ASCII case-insensitive).
    pub speaker: Option<String>,
    pub source_id: Option<i64>,
    /// Part of the quoted words.
    pub text: Option<String>,
}

/// A stored quote with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteEntry {
    pub id: i64,
    pub version_id: i64,
    pub source_id: i64,
    pub speaker: Option<String>,
    pub text: String,
    pub start: i64,
    pub end: i64,
    /// The title of the version the quote is in.
    pub source_title: String,
    pub source_url: Option<String>,
    pub version_seq: i64,
    /// When that version was captured (RFC 3339 UTC).
    pub captured_at: String,
}

/// Quotes matching `filter`, by speaker (unattributed last), then by date.
pub async fn list(conn: &mut SqliteConnection, filter: &QuoteFilter) -> Result<Vec<QuoteEntry>> {
    Ok(sqlx::query_as(
        "SELECT q.id, q.version_id, q.source_id, q.speaker, q.text, q.start, q.end, \
                v.title AS source_title, s.url AS source_url, v.seq AS version_seq, \
                v.created_at AS captured_at \
         FROM quotes q \
         JOIN versions v ON v.id = q.version_id \
         JOIN sources s ON s.id = q.source_id \
         WHERE (?1 IS NULL OR instr(lower(q.speaker), lower(?1)) > 0) \
           AND (?2 IS NULL OR q.source_id = ?2) \
           AND (?3 IS NULL OR instr(lower(q.text), lower(?3)) > 0) \
         ORDER BY q.speaker IS NULL, q.speaker COLLATE NOCASE, v.created_at, q.source_id, q.start",
    )
    .bind(&filter.speaker)
    .bind(filter.source_id)
    .bind(&filter.text)
    .fetch_all(conn)
    .await?)
}

/// One speaker in the quote index and how much they were quoted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpeakerCount {
    pub speaker: String,
    /// Stored quotes (every version counts).
    pub quotes: i64,
    /// Distinct sources quoting the speaker.
    pub sources: i64,
}

/// Every named speaker, most quoted first.
pub async fn speakers(conn: &mut SqliteConnection) -> Result<Vec<SpeakerCount>> {
    Ok(sqlx::query_as(
        "SELECT speaker, COUNT(*) AS quotes, COUNT(DISTINCT source_id) AS sources \
         FROM quotes WHERE speaker IS NOT NULL \
         GROUP BY speaker ORDER BY quotes DESC, speaker COLLATE NOCASE",
    )
    .fetch_all(conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::Sequence;

    /// Every sentence end of `s`, found front to back as first written.
    fn all_ends(s: &str) -> Vec<usize> {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut ends = Vec::new();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let end = i + c.len_utf8();
            match c {
                '。' | '！' | '？' => ends.push(end),
                '.' | '!' | '?' => {
                    if !chars.get(k + 1).is_some_and(|&(_, n)| n.is_whitespace()) {
                        continue;
                    }
                    let word = s[..i].rsplit(char::is_whitespace).next().unwrap_or("");
                    if c == '.' && is_abbreviation(word) {
                        continue;
                    }
                    ends.push(end);
                }
                _ => {}
            }
        }
        ends
    }

    fn paragraphs(texts: &[&str]) -> Vec<Block> {
        texts.iter().map(|t| Block::paragraph(*t)).collect()
    }

    /// Every new block paired with the old block of the same index, as an
    /// alignment of an article revised in place pairs them.
    fn same_by_index(new: &[Block]) -> Vec<Option<usize>> {
        (0..new.len()).map(Some).collect()
    }

    #[test]
    fn quotes_of_a_pair_are_the_quotes_of_each_version() {
        let old = paragraphs(&[
            "HARBOURTON — Flood defences along the Eastbank failed overnight.",
            "“We were told the wall would hold until spring,” said Mayor Ana Ribeiro.",
            "“Nobody came to check the pumps,” she said. “Not once in three months.”",
            "Engineers put the repair bill at $40 million.",
            "“The reservoir is at 97 percent and rising,” the agency said in a statement.",
            "“We are asking residents on the lower streets to leave tonight",
            "“and to take medicines and papers with them,” it added.",
        ]);
        let new = paragraphs(&[
            "HARBOURTON — Flood defences along the Eastbank failed overnight.",
            // The speaker named changes: the unchanged "she said" that
            // follows must now be attributed to her.
            "“We were told the wall would hold until spring,” said Leila Haddad, a councillor.",
            "“Nobody came to check the pumps,” she said. “Not once in three months.”",
            "Engineers put the repair bill at $45 million.",
            // The open quote now closes: the next paragraph no longer continues it.
            "“The reservoir is at 97 percent and rising,” the agency said in a statement.",
            "“We are asking residents on the lower streets to leave tonight,” officials said.",
            "“and to take medicines and papers with them,” it added.",
            "“The wall was built for a smaller river,” said Tomasz Wrona, an engineer.",
        ]);
        let same = same_by_index(&new);
        let (o, n) = find_quotes_of_pair(&old, &new, &same[..new.len()]);
        assert_eq!(o, find_quotes(&old));
        assert_eq!(n, find_quotes(&new));
        // The reuse is not idle: the unchanged "she said" paragraph changed speaker.
        let she = |qs: &[Quote]| {
            qs.iter()
                .find(|q| q.text.starts_with("Nobody came"))
                .and_then(|q| q.speaker.clone())
        };
        assert_eq!(she(&o).as_deref(), Some("Mayor Ana Ribeiro"));
        assert_eq!(she(&n).as_deref(), Some("Leila Haddad"));

        // Reordered blocks, a removed one and pairs that point at other text.
        let moved = paragraphs(&[
            "Engineers put the repair bill at $40 million.",
            "“We were told the wall would hold until spring,” said Mayor Ana Ribeiro.",
            "“Nobody came to check the pumps,” she said. “Not once in three months.”",
            "HARBOURTON — Flood defences along the Eastbank failed overnight.",
        ]);
        let same = vec![Some(3), Some(1), Some(2), Some(4)];
        let (o, n) = find_quotes_of_pair(&old, &moved, &same);
        assert_eq!(o, find_quotes(&old));
        assert_eq!(n, find_quotes(&moved));
    }

    #[test]
    fn first_and_last_sentences_are_the_outer_ends() {
        for s in [
            "",
            "No end here",
            "Mr. Adeyemi said so. Then he left! Did he? Yes.",
            "The U.S. envoy arrived on Jan. 3 in St. Louis. “We will not wait,”",
            "Prices rose 2.5% in Oct. and fell. ",
            "国务院表示。他说！“我们不会等待”",
            "Trailing stop.",
            "Ends with a space after it. ",
            "Nothing?!  Two spaces.  ",
        ] {
            let ends = all_ends(s);
            let first = ends.first().map_or(s, |&e| &s[..e]);
            let last = ends.last().map_or(s, |&e| &s[e..]);
            assert_eq!(first_sentence(s), first, "{s:?}");
            assert_eq!(last_sentence(s), last, "{s:?}");
        }
    }

    /// The opening marks of `text` as a scan of every char finds them.
    fn opens_by_chars(text: &str) -> Vec<(usize, char)> {
        let mut found = Vec::new();
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            let ok = match c {
                '"' => prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p)),
                c => closers(c).is_some(),
            };
            if ok {
                found.push((i, c));
            }
            prev = Some(c);
        }
        found
    }

    fn opens_by_bytes(text: &str) -> Vec<(usize, char)> {
        let mut found = Vec::new();
        let mut pos = 0;
        while let Some((i, c)) = next_open(text, pos) {
            found.push((i, c));
            pos = i + c.len_utf8();
        }
        found
    }

    #[test]
    fn opening_marks_are_found_as_a_char_scan_finds_them() {
        let text =
            "He said \"yes\" and x\"no\" then «oui» „ja“ 「はい」 『はい』 (\"ok\" —\"fine\"";
        let byte_scan = opens_by_bytes(text);
        assert_eq!(byte_scan, opens_by_chars(text));
        assert_eq!(byte_scan.len(), 8, "{byte_scan:?}");
    }

    #[test]
    fn marks_are_found_wherever_the_eight_byte_steps_fall() {
        // Marks, non-marks that share their lead bytes (é, —, ’, 、) and
        // what may come before a straight quote, at every offset from the
        // eight-byte steps: each text is scanned as a char scan reads it.
        const PARTS: [&str; 14] = [
            "a", "word ", "\"", " \"", "(\"", "—\"", "x\"", "«", "»", "“", "”", "„", "「", "é’、",
        ];
        let mut sequence = Sequence::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let state = sequence.next_u64();
            let len = (state >> 60) as usize;
            let text: String = (0..len)
                .map(|k| PARTS[((state >> (k * 4 % 56)) as usize ^ k) % PARTS.len()])
                .collect();
            assert_eq!(opens_by_bytes(&text), opens_by_chars(&text), "{text:?}");
            for (i, c) in opens_by_chars(&text) {
                let inner = &text[i + c.len_utf8()..];
                let by_chars = inner
                    .char_indices()
                    .find(|(_, m)| closers(c).unwrap().contains(m));
                assert_eq!(first_of(inner, closers(c).unwrap()), by_chars, "{text:?}");
            }
        }
    }
}
