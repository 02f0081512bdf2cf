//! Reading captured bytes into an article, the one way every capture is read:
//! a clip reads what it just fetched, and a re-extraction reads a stored
//! capture again exactly as its clip did. Apart from [`crate::clip`] so that
//! [`crate::reextract`], which the clip path calls, does not reach back into it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::charset;
use crate::error::{Error, Result};
use crate::extract::{self, LowConfidence};
use crate::quotes::Quote;
use crate::search::StemEntry;

/// Most tags a page may have. A long article with its page furniture has a
/// few thousand; a page past this costs far more memory to parse than to
/// read (10^6 empty paragraphs, 14 MB, took 462 MiB), so it is refused.
pub const MAX_TAGS: usize = 200_000;
/// Most paragraphs and headings one version may hold (a book chapter has a
/// few hundred): every block is stored, indexed and diffed.
pub const MAX_BLOCKS: usize = 20_000;

/// How pasted or file content is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum TextFormat {
    Html,
    Text,
    Markdown,
}

impl TextFormat {
    /// Guesses the format of pasted content: HTML if it looks like markup.
    pub fn sniff(bytes: &[u8]) -> Self {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html")
            || head.starts_with("<html")
            || head.contains("<body")
            || head.contains("<p>")
            || head.contains("<article")
        {
            TextFormat::Html
        } else {
            TextFormat::Text
        }
    }

    pub(crate) fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Ok(TextFormat::Html),
            "txt" | "text" => Ok(TextFormat::Text),
            "md" | "markdown" => Ok(TextFormat::Markdown),
            _ => Err(Error::Invalid(format!(
                "{} is not a file Redline can clip (use .html, .htm, .txt or .md)",
                path.display()
            ))),
        }
    }
}

/// An article derived from captured bytes, with how sure the extractor is.
pub(crate) struct Derived {
    pub article: Article,
    pub low_confidence: Option<LowConfidence>,
    /// The encoding the bytes were read in (WHATWG name).
    pub encoding: &'static str,
    /// The version's stem-index entry and quotes, when made ahead of
    /// storing ([`Derived::make_ahead`]); None: the writer makes them.
    /// Made ahead also means stored by a batch import, which indexes the
    /// version's words with the batch's others before it commits
    /// (`versions::index_words_since`).
    pub ahead: Option<Ahead>,
}

/// What a stored version's indexes will hold, made from its article.
pub(crate) struct Ahead {
    /// None: the library had stems off.
    pub stems: Option<Stems>,
    pub quotes: Vec<Quote>,
    /// [`crate::normalize::fingerprint`] of the article.
    pub fingerprint: String,
}

/// A version's stem entry and its quotes', made together so the quotes'
/// are always in the version's language and one per quote.
pub(crate) struct Stems {
    pub version: StemEntry,
    /// One per quote, in the quotes' order.
    pub quotes: Vec<StemEntry>,
}

impl Derived {
    /// Makes the stem-index entries, the quotes and the fingerprint the
    /// stored version will have, here rather than in the writer's
    /// transaction: a batch import calls it on the cores that extract, so
    /// its one writer only inserts rows. The writer makes the same itself
    /// when this was not called (a clip), so both store identical rows.
    /// `stems`: whether the library has stems on (no entry is made
    /// otherwise).
    pub fn make_ahead(&mut self, stems: bool) {
        let a = &self.article;
        let quotes = crate::quotes::find_quotes(&a.blocks);
        let stems = stems.then(|| {
            let version = StemEntry::new(a.lang.as_deref(), &a.title, &a.text());
            let quotes = quotes
                .iter()
                .map(|q| {
                    StemEntry::in_lang(version.lang, q.speaker.as_deref().unwrap_or(""), &q.text)
                })
                .collect();
            Stems { version, quotes }
        });
        self.ahead = Some(Ahead {
            stems,
            quotes,
            fingerprint: crate::normalize::fingerprint(&a.title, &a.blocks),
        });
    }
}

/// Decodes and extracts captured bytes the one way every capture is read, so
/// a re-extraction reads a stored capture exactly as its clip did.
/// `content_type` is the served header (None for files and pastes).
pub(crate) fn derive(
    bytes: &[u8],
    format: TextFormat,
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<Derived> {
    let decoded = match format {
        TextFormat::Html => charset::decode_html(bytes, content_type, url),
        _ => charset::decode_text(bytes, content_type),
    };
    let (article, low_confidence) = extract_checked(&decoded.text, format, url)?;
    Ok(Derived {
        article,
        low_confidence,
        encoding: decoded.encoding,
        ahead: None,
    })
}

/// How a stored capture is to be read: by its served type, else as HTML.
pub(crate) fn format_of(content_type: Option<&str>) -> TextFormat {
    match content_type.map(str::to_ascii_lowercase) {
        Some(ct) if ct.starts_with("text/plain") => TextFormat::Text,
        Some(ct) if ct.starts_with("text/markdown") => TextFormat::Markdown,
        _ => TextFormat::Html,
    }
}

/// Extracts the article after checking the text is worth parsing: text, not
/// binary data read as some charset, and not so many tags that parsing it
/// would take hundreds of MiB. The same checks for every way in.
fn extract_checked(
    text: &str,
    format: TextFormat,
    url: Option<&str>,
) -> Result<(Article, Option<LowConfidence>)> {
    ensure_text(text)?;
    if format == TextFormat::Html {
        let tags = text.bytes().filter(|&b| b == b'<').count();
        if tags > MAX_TAGS {
            return Err(Error::Invalid(format!(
                "the page has {tags} tags, more than the {MAX_TAGS} Redline clips"
            )));
        }
    }
    let (article, low_confidence) = match format {
        TextFormat::Html => {
            let e = extract::extract_page(text, url)?;
            (e.article, e.low_confidence)
        }
        TextFormat::Markdown => (extract::extract_plain(text, true), None),
        TextFormat::Text => (extract::extract_plain(text, false), None),
    };
    if article.blocks.len() > MAX_BLOCKS {
        return Err(Error::Invalid(format!(
            "the page has {} paragraphs, more than the {MAX_BLOCKS} Redline keeps in one version",
            article.blocks.len()
        )));
    }
    Ok((article, low_confidence))
}

/// Refuses decoded content that is mostly not text. Binary data decodes to
/// replacement characters (as UTF-8) or control characters (as a legacy
/// charset); real pages, in any script, have almost none of either.
fn ensure_text(text: &str) -> Result<()> {
    let mut chars = 0usize;
    let mut odd = 0usize;
    for c in text.chars().take(1 << 16) {
        chars += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
        if control || c == '\u{fffd}' {
            odd += 1;
        }
    }
    // 1 in 50: a page with a few broken characters passes; random bytes
    // (about 1 in 8 controls as windows-1252, 1 in 2 replacements as UTF-8) do not.
    if odd * 50 > chars {
        return Err(Error::Invalid(
            "the content is binary data, not text or HTML".into(),
        ));
    }
    Ok(())
}
