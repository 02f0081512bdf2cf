//! Word forms for the stem index: what lets a query in the dictionary form
//! find the inflected, particle- or clitic-bearing forms a story uses.
//!
//! Each word is reduced, by the language of its row, to one or two *forms*:
//!
//! - a Snowball stem (`rust-stemmers`) for en, de, fr, es, pt, it, nl, sv,
//!   da, no, fi, hu, ro, tr, el, ru and ar: `санкциями` → `санкц`,
//!   `Gipfeltreffens` → `gipfeltreff`;
//! - a light suffix stripper of ours for Ukrainian and Persian, which the
//!   crate has no stemmer for (case endings for uk, plural and ezafe
//!   suffixes for fa, keeping a stem of three letters);
//! - for Arabic, also the word without its clitics (و ف ب ل ك, the article
//!   ال), and for Korean the word without its particle (에서, 을/를, 이/가,
//!   은/는, 의, 에, 로/으로, 와/과, 도, 만 …), kept *beside* the whole word:
//!   the same function runs on the query, so a bare noun finds the glued
//!   form, and a noun that merely ends like a particle (우크라이나) still
//!   finds itself.
//!
//! A word in another script than its row's language (a Russian quote in an
//! English story) is stemmed by its script's usual language. The query is
//! analysed with every language of its script present in the library, so
//! one Russian query finds Russian text whatever the interface language.
//! Forms are case- and accent-folded like the word index.
//!
//! Names across scripts: [`transliterate`] turns a Latin word into Cyrillic
//! and back (a simple phonetic table, not a dictionary of names), whose forms
//! are searched as a lower tier; Greek names meet their Latin spellings
//! through a sound key (`greek.rs`, [`cross_forms`]).

use rust_stemmers::{Algorithm, Stemmer};
use sqlx::SqliteConnection;

use super::greek;
use super::index::Table;
use super::words::{fold, words_of};
use super::{HitKind, Mode};
use crate::db::SqliteQuery;
use crate::error::Result;
use crate::script::{self, Alphabet};

/// The writing system of a word, from its first letter.
pub(super) type Script = Alphabet;

pub(super) fn script_of(word: &str) -> Script {
    word.chars()
        .find(|c| c.is_alphabetic())
        .map_or(Alphabet::Other, script::alphabet)
}

/// The languages with forms, as stored in `search_lang`.
pub const LANGS: [&str; 20] = [
    "en", "de", "fr", "es", "pt", "it", "nl", "sv", "da", "no", "fi", "hu", "ro", "tr", "el", "ru",
    "uk", "ar", "fa", "ko",
];

pub(super) fn script_of_lang(lang: &str) -> Script {
    match lang {
        "ru" | "uk" => Script::Cyrillic,
        "el" => Script::Greek,
        "ar" | "fa" => Script::Arabic,
        "ko" => Script::Hangul,
        _ => Script::Latin,
    }
}

/// The language used for a word of `script` when its row's language is of
/// another script.
fn default_lang(script: Script) -> Option<&'static str> {
    match script {
        Script::Latin => Some("en"),
        Script::Cyrillic => Some("ru"),
        Script::Greek => Some("el"),
        Script::Arabic => Some("ar"),
        Script::Hangul => Some("ko"),
        Script::Other => None,
    }
}

/// A row's language: the declared tag's primary subtag when we have forms
/// for it, else detected from (the start of) the text, else "".
pub fn row_lang(declared: Option<&str>, text: &str) -> &'static str {
    if let Some(tag) = declared {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let primary = if primary == "nb" || primary == "nn" {
            "no".to_string()
        } else {
            primary
        };
        if let Some(l) = LANGS.iter().find(|l| **l == primary) {
            return l;
        }
        // Declared Chinese or Japanese: no forms, and detection would only
        // say so again (its words of other scripts take their script's
        // usual language in `forms`).
        if matches!(primary.as_str(), "zh" | "ja") {
            return "";
        }
    }
    // Detection reads trigrams: 2,000 characters decide as well as a book.
    let sample: String = text.chars().take(2_000).collect();
    use whatlang::Lang as W;
    let detected = whatlang::detect(&sample).map(|i| match i.lang() {
        W::Eng => "en",
        W::Deu => "de",
        W::Fra => "fr",
        W::Spa => "es",
        W::Por => "pt",
        W::Ita => "it",
        W::Nld => "nl",
        W::Swe => "sv",
        W::Dan => "da",
        W::Nob => "no",
        W::Fin => "fi",
        W::Hun => "hu",
        W::Ron => "ro",
        W::Tur => "tr",
        W::Ell => "el",
        W::Rus => "ru",
        W::Ukr => "uk",
        W::Ara => "ar",
        W::Pes => "fa",
        W::Kor => "ko",
        _ => "",
    });
    match detected {
        Some(l) if !l.is_empty() => l,
        // Short or unknown text: the script's usual language.
        _ => words_of(&sample)
            .next()
            .and_then(|(_, w)| default_lang(script_of(w)))
            .unwrap_or(""),
    }
}

fn snowball(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "en" => Algorithm::English,
        "de" => Algorithm::German,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "pt" => Algorithm::Portuguese,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "sv" => Algorithm::Swedish,
        "da" => Algorithm::Danish,
        "no" => Algorithm::Norwegian,
        "fi" => Algorithm::Finnish,
        "hu" => Algorithm::Hungarian,
        "ro" => Algorithm::Romanian,
        "tr" => Algorithm::Turkish,
        "el" => Algorithm::Greek,
        "ru" => Algorithm::Russian,
        "ar" => Algorithm::Arabic,
        _ => return None,
    })
}

/// Strips the longest of `suffixes` leaving at least `keep` characters.
fn strip_suffix<'a>(word: &'a str, suffixes: &[&str], keep: usize) -> &'a str {
    let len = word.chars().count();
    suffixes
        .iter()
        .filter(|s| word.ends_with(*s) && len >= s.chars().count() + keep)
        .max_by_key(|s| s.len())
        .map_or(word, |s| &word[..word.len() - s.len()])
}

const UKRAINIAN: &[&str] = &[
    "ами", "ями", "ові", "еві", "ого", "ому", "ими", "іми", "ах", "ях", "ом", "ем", "ою", "ею",
    "ів", "їв", "ий", "ій", "ої", "их", "іх", "им", "ім", "а", "я", "у", "ю", "і", "ї", "е", "о",
    "и", "ь",
];
const PERSIAN: &[&str] = &["هایی", "های", "ها", "ان", "ات", "ی"];
const KOREAN: &[&str] = &[
    "에서는",
    "에서도",
    "으로는",
    "에게서",
    "에서",
    "에게",
    "으로",
    "까지",
    "부터",
    "에는",
    "에도",
    "와의",
    "과의",
    "과는",
    "와는",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
];

/// An Arabic word without its leading clitics: a conjunction (و ف), then a
/// preposition (ب ل ك), then the article (ال, or ل before ل), keeping three
/// letters.
fn strip_arabic_clitics(word: &str) -> &str {
    fn keep<'a>(w: &'a str, p: &str) -> Option<&'a str> {
        w.strip_prefix(p).filter(|r| r.chars().count() >= 3)
    }
    let mut w = word;
    for p in ["و", "ف"] {
        if let Some(r) = keep(w, p) {
            w = r;
            break;
        }
    }
    if let Some(r) = keep(w, "لل") {
        return r;
    }
    for p in ["ب", "ل", "ك"] {
        if let Some(r) = keep(w, p) {
            if r.starts_with("ال") {
                w = r;
            }
            break;
        }
    }
    keep(w, "ال").unwrap_or(w)
}

/// The forms a word is indexed and searched under in `lang` (one or two,
/// folded). `lang` "" (unknown) uses the word's script.
pub(super) fn forms(word: &str, lang: &str) -> Vec<String> {
    let script = script_of(word);
    let lang = if !lang.is_empty() && script_of_lang(lang) == script {
        lang
    } else {
        match default_lang(script) {
            Some(l) => l,
            None => return vec![fold(word)],
        }
    };
    let lower = word.to_lowercase();
    let mut out = Vec::with_capacity(2);
    let mut push = |s: String| {
        let f = fold(&s);
        if !f.is_empty() && !out.contains(&f) {
            out.push(f);
        }
    };
    match lang {
        "ko" => {
            push(lower.clone());
            push(strip_suffix(&lower, KOREAN, 2).to_string());
        }
        "uk" => push(strip_suffix(&lower, UKRAINIAN, 3).to_string()),
        "fa" => {
            let w = lower.replace('\u{200C}', "");
            push(strip_suffix(&w, PERSIAN, 3).to_string());
        }
        "ar" => {
            let bare = fold(&lower);
            let stemmer = Stemmer::create(Algorithm::Arabic);
            push(stemmer.stem(&bare).into_owned());
            push(stemmer.stem(strip_arabic_clitics(&bare)).into_owned());
        }
        // Snowball takes one ending off a surname's case form (Лаврова →
        // лавров) but the -ов off the nominative (Лавров → лавр): the
        // stem of the stem is kept too, so both meet at лавр.
        "ru" => {
            let stemmer = Stemmer::create(Algorithm::Russian);
            let once = stemmer.stem(&lower).into_owned();
            let twice = stemmer.stem(&once).into_owned();
            push(once);
            push(twice);
        }
        _ => match snowball(lang) {
            Some(a) => push(Stemmer::create(a).stem(&lower).into_owned()),
            None => push(lower),
        },
    }
    out
}

/// What the stem index stores for a column: the forms of every word.
/// Words with Han or kana are left out: a query with them goes to the
/// bigram or trigram index, never to this one, so they would only make
/// the index of Chinese and Japanese stories as large as their text.
pub fn stem_text(s: &str, lang: &str) -> String {
    // A story repeats its words (names, "said", the topic): each distinct
    // word is stemmed once and its forms copied at every occurrence, in
    // the same order as before, so the entry is unchanged.
    let mut seen: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut out = String::with_capacity(s.len());
    for (_, w) in words_of(s) {
        let forms = seen.entry(w).or_insert_with(|| {
            let mut forms = String::new();
            if !w.chars().any(super::cjk::is_cjk_letter) {
                for f in index_forms(w, lang) {
                    forms.push_str(&f);
                    forms.push(' ');
                }
            }
            forms
        });
        out.push_str(forms);
    }
    out
}

/// The forms a word is stored under in the stem index: its [`forms`], and
/// for a Greek word its sound key too (`greek.rs`), which Latin spellings
/// of the name look up.
pub(super) fn index_forms(word: &str, lang: &str) -> Vec<String> {
    let mut out = forms(word, lang);
    if script_of(word) == Script::Greek {
        if let Some(k) = greek::key(&greek::to_latin(word)) {
            out.push(k);
        }
    }
    out
}

/// What the transliteration tier looks a query word up by: its spelling in
/// each other script the library's languages write (Lavrov → the forms of
/// лавров, Лавров → those of lavrov, Τσίπρας → those of tsipras) and, for
/// a Latin word in a library with Greek, the Greek sound key.
pub(super) fn cross_forms(word: &str, langs: &[String]) -> Vec<String> {
    let has = |s: Script| langs.iter().any(|l| script_of_lang(l) == s);
    let mut out = Vec::new();
    match script_of(word) {
        Script::Latin => {
            if has(Script::Cyrillic) {
                if let Some(t) = transliterate(word) {
                    out.extend(query_forms(&t, langs));
                }
            }
            if has(Script::Greek) {
                out.extend(greek::key(word));
            }
        }
        Script::Cyrillic if has(Script::Latin) => {
            if let Some(t) = transliterate(word) {
                out.extend(query_forms(&t, langs));
            }
        }
        Script::Greek if has(Script::Latin) => {
            out.extend(query_forms(&greek::to_latin(word), langs));
        }
        _ => {}
    }
    out
}

/// The forms of a query word in every language of the library that writes
/// its script (or the script's usual language when none does).
pub(super) fn query_forms(word: &str, langs: &[String]) -> Vec<String> {
    let script = script_of(word);
    let mut out: Vec<String> = Vec::new();
    let mut any = false;
    for l in langs.iter().filter(|l| script_of_lang(l) == script) {
        any = true;
        for f in forms(word, l) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    if !any {
        out = forms(word, "");
    }
    out
}

const CYRILLIC_TO_LATIN: &[(char, &str)] = &[
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('ґ', "g"),
    ('д', "d"),
    ('е', "e"),
    ('є', "ye"),
    ('ё', "yo"),
    ('ж', "zh"),
    ('з', "z"),
    ('и', "i"),
    ('і', "i"),
    ('ї', "yi"),
    ('й', "y"),
    ('к', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "kh"),
    ('ц', "ts"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "shch"),
    ('ъ', ""),
    ('ы', "y"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "yu"),
    ('я', "ya"),
];

/// Latin letter groups in Cyrillic, longest first.
const LATIN_TO_CYRILLIC: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "ы"),
    ("z", "з"),
];

/// A name in the other script: Latin → Cyrillic, Cyrillic → Latin (the
/// common English spellings of Russian and Ukrainian names: Лавров ↔
/// Lavrov, Зеленский ↔ Zelensky). None for other scripts.
pub fn transliterate(word: &str) -> Option<String> {
    // Lower case, not folded: folding would turn й into и.
    let lower = word.to_lowercase();
    match script_of(&lower) {
        Script::Cyrillic => {
            // -ий / -ый at the end is written -y (Zelensky, Navalny).
            let (body, tail) = match lower.strip_suffix("ий").or(lower.strip_suffix("ый")) {
                Some(b) => (b, "y"),
                None => (lower.as_str(), ""),
            };
            let mut out = String::new();
            for c in body.chars() {
                match CYRILLIC_TO_LATIN.iter().find(|(k, _)| *k == c) {
                    Some((_, l)) => out.push_str(l),
                    None => out.push(c),
                }
            }
            out.push_str(tail);
            Some(out)
        }
        Script::Latin => {
            // -sky / -skiy / -skyy / -ski is -ский.
            let (body, tail) = ["skyy", "skiy", "skyi", "sky", "ski"]
                .iter()
                .find_map(|s| lower.strip_suffix(s).map(|b| (b.to_string(), "ский")))
                .unwrap_or_else(
                    || match lower.strip_suffix("iy").or(lower.strip_suffix("yy")) {
                        Some(b) => (b.to_string(), "ий"),
                        None => (lower.clone(), ""),
                    },
                );
            let mut out = String::new();
            let mut rest = body.as_str();
            while let Some(c) = rest.chars().next() {
                match LATIN_TO_CYRILLIC.iter().find(|(l, _)| rest.starts_with(l)) {
                    Some((l, cy)) => {
                        out.push_str(cy);
                        rest = &rest[l.len()..];
                    }
                    None => {
                        out.push(c);
                        rest = &rest[c.len_utf8()..];
                    }
                }
            }
            out.push_str(tail);
            Some(out)
        }
        _ => None,
    }
}

/// A row's stem-index entry: the language it is stemmed in and the forms
/// of its two columns. Made without the database, so a batch import makes
/// it on the cores that extract and its writer only inserts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StemEntry {
    pub lang: &'static str,
    pub first: String,
    pub second: String,
}

impl StemEntry {
    /// The entry of a row whose version declares `declared` (None for a
    /// note): what the writer makes for a new row, the language read the
    /// same way as [`row_language`] reads it from the database.
    pub fn new(declared: Option<&str>, first: &str, second: &str) -> Self {
        Self::in_lang(row_lang(declared, sample(first, second)), first, second)
    }

    /// The entry of a row whose language is decided.
    pub(crate) fn in_lang(lang: &'static str, first: &str, second: &str) -> Self {
        StemEntry {
            lang,
            first: stem_text(first, lang),
            second: stem_text(second, lang),
        }
    }
}

/// The column a row's language is detected from: the longer one's
/// stand-in, the second (text, body), unless it is blank.
fn sample<'a>(first: &'a str, second: &'a str) -> &'a str {
    if second.trim().is_empty() {
        first
    } else {
        second
    }
}

/// Writes a row's stem-index entry and its language, made by the writer
/// from its columns and its language as stored (the backfill's writer, and
/// [`super::index_cjk`]'s for a library with stems on). Returns the
/// language it was stemmed in.
pub(crate) async fn write_row_stems(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<&'static str> {
    let lang = row_language(conn, kind, row_id, first, second).await?;
    write_stems(conn, kind, row_id, &StemEntry::in_lang(lang, first, second)).await?;
    note_language(conn, lang).await?;
    Ok(lang)
}

/// The language a row is stemmed in: the version's declared one for
/// versions and the highlights and quotes on them, else detected.
pub(super) async fn row_language(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    first: &str,
    second: &str,
) -> Result<&'static str> {
    let declared_sql = match kind {
        HitKind::Source => Some("SELECT lang FROM versions WHERE id = ?"),
        HitKind::Highlight => Some(
            "SELECT v.lang FROM highlights h JOIN versions v ON v.id = h.version_id WHERE h.id = ?",
        ),
        HitKind::Quote => Some(
            "SELECT v.lang FROM quotes q JOIN versions v ON v.id = q.version_id WHERE q.id = ?",
        ),
        HitKind::Note => None,
    };
    let declared: Option<String> = match declared_sql {
        Some(sql) => sqlx::query_scalar::<_, Option<String>>(sql)
            .bind(row_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
        None => None,
    };
    Ok(row_lang(declared.as_deref(), sample(first, second)))
}

/// One row's stem entry and its language.
pub(super) async fn write_stems(
    conn: &mut SqliteConnection,
    kind: HitKind,
    row_id: i64,
    entry: &StemEntry,
) -> Result<()> {
    super::cjk::insert_entry(conn, kind, Mode::Stem, row_id, &entry.first, &entry.second).await?;
    sqlx::query("INSERT OR REPLACE INTO search_lang (kind, row_id, lang) VALUES (?, ?, ?)")
        .bind(kind.as_str())
        .bind(row_id)
        .bind(entry.lang)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The statements that write a row's stem entry made ahead of the writer
/// ([`write_stems`] and [`note_language`]) if the library has stems on,
/// each guarded by the setting, for the row whose id is the SQL expression
/// `row_id`: sent in the round trip that inserts the row, they cost no
/// round trip of their own (BENCHMARKS.md, "Import"). Without an `entry`,
/// only the last, which returns one row: whether stems are on. Bind with
/// [`bind_stems_if_enabled`].
pub(crate) fn stems_if_enabled_sql(kind: HitKind, row_id: &str, entry: bool) -> String {
    const ON: &str = "EXISTS (SELECT 1 FROM search_settings WHERE name = 'stems' AND value = 'on')";
    if !entry {
        return format!("SELECT {ON}");
    }
    let table = Table::of(kind);
    let (a, b) = table.columns();
    format!(
        "INSERT INTO {} (rowid, {a}, {b}) SELECT {row_id}, ?, ? WHERE {ON}; \
         INSERT OR REPLACE INTO search_lang (kind, row_id, lang) SELECT ?, {row_id}, ? WHERE {ON}; \
         INSERT OR IGNORE INTO search_languages (lang) SELECT ? WHERE ? <> '' AND {ON}; \
         SELECT {ON}",
        table.index(Mode::Stem)
    )
}

/// Binds [`stems_if_enabled_sql`]'s values for `entry`, if it had one.
pub(crate) fn bind_stems_if_enabled<'q>(
    query: SqliteQuery<'q>,
    kind: HitKind,
    entry: Option<&'q StemEntry>,
) -> SqliteQuery<'q> {
    match entry {
        None => query,
        Some(e) => query
            .bind(&e.first)
            .bind(&e.second)
            .bind(kind.as_str())
            .bind(e.lang)
            .bind(e.lang)
            .bind(e.lang),
    }
}

/// Rows written per statement by [`write_stems_of_rows`]: three values a
/// row, well under SQLite's limit of bound values.
const ROWS_PER_INSERT: usize = 100;

/// [`write_stems`] for many rows of one kind, a few statements for all of
/// them (a story's quotes: a statement each was most of their cost).
pub(super) async fn write_stems_of_rows(
    conn: &mut SqliteConnection,
    kind: HitKind,
    rows: &[(i64, &StemEntry)],
) -> Result<()> {
    let table = Table::of(kind);
    let (a, b) = table.columns();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let many = |one: &str| vec![one; chunk.len()].join(", ");
        // The entries and their languages: two statements, one round trip.
        let sql = format!(
            "INSERT INTO {} (rowid, {a}, {b}) VALUES {}; \
             INSERT OR REPLACE INTO search_lang (kind, row_id, lang) VALUES {}",
            table.index(Mode::Stem),
            many("(?, ?, ?)"),
            many("(?, ?, ?)")
        );
        let mut q = sqlx::query(&sql);
        for (id, e) in chunk {
            q = q.bind(*id).bind(&e.first).bind(&e.second);
        }
        for (id, e) in chunk {
            q = q.bind(kind.as_str()).bind(*id).bind(e.lang);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds `lang` to the languages a query is analysed in.
pub(super) async fn note_language(conn: &mut SqliteConnection, lang: &str) -> Result<()> {
    if !lang.is_empty() {
        sqlx::query("INSERT OR IGNORE INTO search_languages (lang) VALUES (?)")
            .bind(lang)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The language a version was stemmed in (its `search_lang` row, written
/// when the version was indexed), else its declared language.
pub(super) async fn version_lang(
    conn: &mut SqliteConnection,
    version_id: i64,
) -> Result<&'static str> {
    let (indexed, declared): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT lang FROM search_lang WHERE kind = 'source' AND row_id = v.id), v.lang \
         FROM versions v WHERE v.id = ?",
    )
    .bind(version_id)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    Ok(row_lang(indexed.as_deref().or(declared.as_deref()), ""))
}

/// Whether the library has the stem index on (`search_settings`; off by
/// default because of its measured cost, BENCHMARKS-search.md).
pub async fn stems_enabled(conn: &mut SqliteConnection) -> Result<bool> {
    let on: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM search_settings WHERE name = 'stems' AND value = 'on'",
    )
    .fetch_one(conn)
    .await?;
    Ok(on > 0)
}

/// Turns the stem index on or off for this library. On (when it was off)
/// queues the resumable backfill of every row ([`reindex_step`], run by
/// `Db::open` and by `redline search --stems on`); the library answers
/// meanwhile, rows not yet reached by their exact words. Off drops the
/// stem rows, so turning it on again starts from a clean index.
pub async fn set_stems(pool: &sqlx::SqlitePool, on: bool) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let was = stems_enabled(&mut tx).await?;
    if on == was {
        return Ok(());
    }
    if on {
        sqlx::query("INSERT INTO search_settings (name, value) VALUES ('stems', 'on')")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT OR IGNORE INTO search_backfill (name) VALUES ('stems')")
            .execute(&mut *tx)
            .await?;
    } else {
        for sql in [
            "DELETE FROM search_settings WHERE name = 'stems'",
            "DELETE FROM search_backfill WHERE name = 'stems'",
            "DELETE FROM search_stem_cursor",
            "DELETE FROM versions_stem",
            "DELETE FROM notes_stem",
            "DELETE FROM highlights_stem",
            "DELETE FROM quotes_stem",
            "DELETE FROM search_lang",
            "DELETE FROM search_languages",
        ] {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
    }
    sqlx::query("DELETE FROM search_stem_cursor")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Progress of the stem index's backfill of an existing library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reindex {
    /// Rows indexed so far (versions, notes, highlights, quotes).
    pub done: i64,
    pub total: i64,
}

/// The stem backfill's progress, or None when nothing is pending. Cheap
/// enough to poll (counts on primary keys).
pub async fn reindex_progress(conn: &mut SqliteConnection) -> Result<Option<Reindex>> {
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_backfill WHERE name = 'stems'")
            .fetch_one(&mut *conn)
            .await?;
    if pending == 0 {
        return Ok(None);
    }
    let (mut done, mut total) = (0i64, 0i64);
    for kind in HitKind::ALL {
        let base = Table::of(kind).base();
        let after: i64 =
            sqlx::query_scalar::<_, i64>("SELECT after_id FROM search_stem_cursor WHERE kind = ?")
                .bind(kind.as_str())
                .fetch_optional(&mut *conn)
                .await?
                .unwrap_or(0);
        let (d, t): (i64, i64) = sqlx::query_as(&format!(
            "SELECT count(*) FILTER (WHERE id <= ?), count(*) FROM {base}"
        ))
        .bind(after)
        .fetch_one(&mut *conn)
        .await?;
        done += d;
        total += t;
    }
    Ok(Some(Reindex { done, total }))
}

/// Indexes up to `batch` more rows of the pending stem backfill in one
/// transaction, moving the cursor; when none are left, ends it. Returns
/// the progress (None: done). Safe to interrupt at any point: an
/// unfinished transaction leaves the cursor where it was.
pub async fn reindex_step(pool: &sqlx::SqlitePool, batch: i64) -> Result<Option<Reindex>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_backfill WHERE name = 'stems'")
            .fetch_one(&mut *tx)
            .await?;
    if pending == 0 {
        return Ok(None);
    }
    let mut left = batch;
    for kind in HitKind::ALL {
        let table = Table::of(kind);
        let (a, b) = table.columns();
        let base = table.base();
        let after: i64 =
            sqlx::query_scalar::<_, i64>("SELECT after_id FROM search_stem_cursor WHERE kind = ?")
                .bind(kind.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(0);
        let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
            "SELECT id, COALESCE({a}, ''), COALESCE({b}, '') FROM {base} \
             WHERE id > ? ORDER BY id LIMIT ?"
        ))
        .bind(after)
        .bind(left)
        .fetch_all(&mut *tx)
        .await?;
        let idx = table.index(Mode::Stem);
        for (id, first, second) in &rows {
            // A writer may have indexed it already (rows added since).
            sqlx::query(&format!("DELETE FROM {idx} WHERE rowid = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            write_row_stems(&mut tx, kind, *id, first, second).await?;
        }
        if let Some((last, _, _)) = rows.last() {
            sqlx::query("INSERT OR REPLACE INTO search_stem_cursor (kind, after_id) VALUES (?, ?)")
                .bind(kind.as_str())
                .bind(last)
                .execute(&mut *tx)
                .await?;
        }
        left -= rows.len() as i64;
        if left == 0 {
            break;
        }
    }
    if left > 0 {
        // Every table ran out before the batch did: finished.
        sqlx::query("DELETE FROM search_backfill WHERE name = 'stems'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_stem_cursor")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!("search: stem index complete");
        return Ok(None);
    }
    tx.commit().await?;
    let progress = reindex_progress(&mut *pool.acquire().await?).await?;
    if let Some(p) = progress {
        tracing::info!(
            done = p.done,
            total = p.total,
            "search: stem index backfill"
        );
    }
    Ok(progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(word: &str, lang: &str) -> String {
        forms(word, lang).join("|")
    }

    #[test]
    fn inflected_forms_share_a_form_with_the_dictionary_form() {
        for (lang, a, b) in [
            ("ru", "Владивосток", "Владивостоке"),
            ("ru", "Лавров", "Лаврова"),
            ("ru", "санкции", "санкциями"),
            ("de", "Sanktion", "Sanktionen"),
            ("de", "Gipfeltreffen", "Gipfeltreffens"),
            ("fr", "négociation", "négociations"),
            ("es", "sanción", "sanciones"),
            ("tr", "yaptırım", "yaptırımların"),
            ("uk", "Зеленський", "Зеленського"),
            ("uk", "санкції", "санкціями"),
            ("fa", "تحریم", "تحریم‌ها"),
            ("ar", "عقوبات", "والعقوبات"),
            ("ko", "블라디보스토크", "블라디보스토크에서"),
            ("ko", "정상회담", "정상회담을"),
        ] {
            let fa = forms(a, lang);
            let fb = forms(b, lang);
            assert!(
                fa.iter().any(|f| fb.contains(f)),
                "{lang}: {a} {fa:?} / {b} {fb:?}"
            );
        }
        // No over-matching of short unrelated words.
        assert_ne!(one("Лавров", "ru"), one("лава", "ru"));
    }

    #[test]
    fn names_cross_scripts() {
        assert_eq!(transliterate("Lavrov").unwrap(), "лавров");
        assert_eq!(transliterate("Zelensky").unwrap(), "зеленский");
        assert_eq!(transliterate("Лавров").unwrap(), "lavrov");
        assert_eq!(transliterate("Зеленский").unwrap(), "zelensky");
    }

    #[test]
    fn stem_text_with_repeated_words_equals_stemming_every_occurrence() {
        let story = "Лавров said the talks on the corridor stalled. “The talks are over,” \
            Лавров told reporters; Лаврова's aides said talks — ПЕРЕГОВОРЫ, переговоры — \
            would resume in 東京 and 東京, Café café CAFÉ, 2,500 tonnes, 2,500 tonnes.";
        for lang in ["en", "ru", "de", ""] {
            let mut every = String::new();
            for (_, w) in words_of(story) {
                if w.chars().any(super::super::cjk::is_cjk_letter) {
                    continue;
                }
                for f in index_forms(w, lang) {
                    every.push_str(&f);
                    every.push(' ');
                }
            }
            assert_eq!(stem_text(story, lang), every, "{lang}");
        }
    }
}
