//! Chinese and Japanese: which characters are CJK letters, and the bigram
//! index fed from Rust ([`index_cjk`], [`backfill`]).

use sqlx::SqliteConnection;

use super::index::Table;
use super::stem::StemEntry;
use super::{HitKind, Mode};
use crate::error::Result;

pub(super) use crate::script::is_cjk;

/// Han or kana that takes part in bigrams: letters only, so CJK punctuation
/// such as the katakana middle dot ends a run like any other punctuation.
pub(super) fn is_cjk_letter(c: char) -> bool {
    is_cjk(c) && c.is_alphanumeric()
}

/// The text cut into runs: (is a run of CJK letters, the run).
pub(super) fn cjk_runs(s: &str) -> Vec<(bool, &str)> {
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

pub(super) fn push_pairs(out: &mut String, chars: &[char]) {
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
pub(super) fn bigram_query(term: &str, prefix: bool) -> (String, bool) {
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

/// Writes a row's trigram- and bigram-index entries, if it has Han or kana, and its
/// stem-index entry when the library has stems on ([`super::stems_enabled`]:
/// off, the only added cost is that one lookup). Call it in the
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
    // The stem index is fed here too, so every writer feeds both.
    if super::stem::stems_enabled(&mut *conn).await? {
        super::stem::write_row_stems(conn, kind, row_id, first, second).await?;
    }
    write_cjk_entries(conn, kind, row_id, first, second).await
}

/// One row's trigram and bigram entries, if it has Han or kana.
pub(crate) async fn write_cjk_entries(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<()> {
    if first.chars().any(is_cjk) || second.chars().any(is_cjk) {
        index_trigrams(conn, kind, row_id, first, second).await?;
        index_bigrams(conn, kind, row_id, first, second).await?;
    }
    Ok(())
}

/// [`index_cjk`] for the quotes of one version, in the transaction that
/// stores them: the stem setting and the language (the version's own) are
/// read once, not once per quote, and the stem entries of all of them are
/// written in a few statements. A long story has thousands of quotes, and
/// per-quote lookups were most of what storing it cost (BENCHMARKS.md,
/// issue 12's worst case).
pub async fn index_quotes_of_version(
    conn: &mut SqliteConnection,
    version_id: i64,
    quotes: &[(i64, &str, &str)],
) -> Result<()> {
    let lang = match super::stem::stems_enabled(&mut *conn).await? {
        true => Some(super::stem::version_lang(conn, version_id).await?),
        false => None,
    };
    index_quotes_in_lang(conn, lang, quotes).await?;
    if let (Some(lang), false) = (lang, quotes.is_empty()) {
        super::stem::note_language(conn, lang).await?;
    }
    Ok(())
}

/// [`index_quotes_of_version`] for the quotes of a version indexed in this
/// same transaction: `lang` is the one it was stemmed in (None:
/// stems off), so neither the setting nor the language is read again, and
/// the language is already noted.
pub async fn index_quotes_in_lang(
    conn: &mut SqliteConnection,
    lang: Option<&'static str>,
    quotes: &[(i64, &str, &str)],
) -> Result<()> {
    let entries: Option<Vec<StemEntry>> = lang.map(|lang| {
        quotes
            .iter()
            .map(|&(_, speaker, text)| StemEntry::in_lang(lang, speaker, text))
            .collect()
    });
    index_quotes_stemmed(conn, quotes, entries.as_deref()).await
}

/// [`index_quotes_in_lang`] with the quotes' stem entries already made
/// (`entries`: one per quote, in order; None: stems are off), as a batch
/// import makes them on the core that extracted the page.
pub(crate) async fn index_quotes_stemmed(
    conn: &mut SqliteConnection,
    quotes: &[(i64, &str, &str)],
    entries: Option<&[StemEntry]>,
) -> Result<()> {
    if let Some(entries) = entries {
        if entries.len() != quotes.len() {
            return Err(crate::error::Error::Invalid(
                "a stem entry for each quote".into(),
            ));
        }
        let rows: Vec<(i64, &StemEntry)> = quotes.iter().map(|q| q.0).zip(entries).collect();
        super::stem::write_stems_of_rows(conn, HitKind::Quote, &rows).await?;
    }
    for &(id, speaker, text) in quotes {
        write_cjk_entries(conn, HitKind::Quote, id, speaker, text).await?;
    }
    Ok(())
}

/// The trigram half of [`index_cjk`]: each column with two trailing
/// newlines, so that a one- or two-character term at the very end of a
/// column still begins a trigram (the short-term lookup relies on it).
async fn index_trigrams(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<()> {
    let (first, second) = (format!("{first}\n\n"), format!("{second}\n\n"));
    insert_entry(conn, kind, Mode::Trigram, row_id, &first, &second).await
}

/// Writes one row's entry into `kind`'s index for `mode` (a contentless
/// index: the text given is what is tokenized).
pub(super) async fn insert_entry(
    conn: &mut SqliteConnection,
    kind: HitKind,
    mode: Mode,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<()> {
    let table = Table::of(kind);
    let (a, b) = table.columns();
    let sql = format!(
        "INSERT INTO {} (rowid, {a}, {b}) VALUES (?, ?, ?)",
        table.index(mode)
    );
    sqlx::query(&sql)
        .bind(row_id)
        .bind(first)
        .bind(second)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The bigram half of [`index_cjk`].
async fn index_bigrams(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<()> {
    if !first.chars().any(is_cjk_letter) && !second.chars().any(is_cjk_letter) {
        return Ok(());
    }
    let (first, second) = (bigram_text(first), bigram_text(second));
    insert_entry(conn, kind, Mode::Cjk, row_id, &first, &second).await
}

/// Indexes the rows of a library created before the bigram indexes, once:
/// the migration leaves a `search_backfill` row, removed here in the same
/// transaction. Called by `Db::open` after the migrations; when nothing is
/// pending it costs one indexed lookup.
pub(super) async fn backfill_bigrams(pool: &sqlx::SqlitePool) -> Result<()> {
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
                index_bigrams(&mut tx, kind, *id, first, second).await?;
            }
        }
    }
    sqlx::query("DELETE FROM search_backfill WHERE name = 'bigrams'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
