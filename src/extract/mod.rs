//! Readable-article extraction: the article and its metadata out of a page.
//!
//! dom_smoothie (a Readability port) finds the article body; we walk its
//! cleaned HTML into ordered blocks so headings stay headings. Metadata comes
//! from the page itself — JSON-LD `NewsArticle` first, then OpenGraph and
//! `<meta>` tags — because that is what outlets maintain most carefully.
//!
//! The steps live in their own modules: [`budget`] bounds the work a page may
//! cost, [`metadata`] reads the page's declarations, [`chrome`] removes page
//! furniture before Readability scores the page, [`blocks`] cuts the result
//! into ordered blocks, [`plain`] reads text and Markdown.

mod blocks;
mod budget;
mod chrome;
mod confidence;
mod furniture;
mod metadata;
mod plain;
pub mod score;
mod title;

use dom_query::Document;
use dom_smoothie::Readability;

use crate::article::{Article, Dir};
use crate::error::{Error, Result};
use crate::normalize::{normalize, strip_noise_and};

use blocks::{blocks_of_doc, fallback_blocks, flat_blocks};
use budget::{flatten_markup, page_shape, tree_depth, Budget, MAX_ELEMENTS, MAX_MARKUP_DEPTH};
use chrome::remove_page_chrome;
pub use confidence::LowConfidence;
use metadata::{
    absolute_url, clean_byline, normalize_time, script_dir, strip_site_suffix, take_by_line,
    PageMeta,
};
pub use plain::extract_plain;
use title::{choose_title, TitleSource};

/// Which extractor made a version's text, recorded on every version. Bump it
/// whenever a change here changes the text extracted from some page (the
/// corpus in `tests/fixtures/extraction` shows it): versions made by another
/// id are offered for re-extraction, and a re-check never reports the
/// difference between two extractors as an edit by the publisher.
pub const EXTRACTOR: &str = "2026-12-01";

/// The result of extracting a page: the article, and whether extraction may
/// have missed it (see [`LowConfidence`]).
#[derive(Clone, Debug)]
pub struct Extraction {
    pub article: Article,
    pub low_confidence: Option<LowConfidence>,
}

/// Extracts the article of an HTML page; `url` (the page's address) resolves
/// relative links such as the canonical URL. Fails only when the page has no
/// text at all.
pub fn extract_html(html: &str, url: Option<&str>) -> Result<Article> {
    extract_page(html, url).map(|e| e.article)
}

/// [`extract_html`] with its confidence: a body that is empty, far shorter
/// than the page's paragraphs or mostly links is flagged, never silent.
pub fn extract_page(html: &str, url: Option<&str>) -> Result<Extraction> {
    let budget = Budget::start();
    let base = url
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    // HTML parsing and Readability are quadratic in nesting depth; a hostile
    // page nested thousands deep is read flattened instead of hanging a clip.
    let shape = page_shape(html);
    if shape.elements > MAX_ELEMENTS {
        return Err(Error::ExtractBudget(format!(
            "{} elements (the limit is {MAX_ELEMENTS})",
            shape.elements
        )));
    }
    let flattened;
    let html = if shape.depth > MAX_MARKUP_DEPTH {
        flattened = flatten_markup(html);
        flattened.as_str()
    } else {
        html
    };
    let doc = Document::from(html);
    budget.check("parsing")?;
    let meta = PageMeta::read(&doc);
    // The raw-tag estimate can be fooled in ways we have not met yet; the
    // parsed tree is the truth. Too deep here means Readability would crawl,
    // so the page is read as flat text instead.
    let mut page_paragraphs = 0;
    let mut link_width = 0;
    let (smoothie, mut blocks) = if tree_depth(&doc) > MAX_MARKUP_DEPTH {
        (None, flat_blocks(&doc))
    } else {
        page_paragraphs = chrome::paragraph_width(&doc);
        remove_page_chrome(&doc);
        let smoothie = Readability::with_document(doc, base.as_ref().map(url::Url::as_str), None)
            .ok()
            .and_then(|mut r| r.parse().ok());
        budget.check("finding the article")?;
        // The article's HTML, parsed once for its links and its blocks.
        let content = smoothie
            .as_ref()
            .map(|a| Document::from(a.content.as_ref()));
        link_width = content.as_ref().map_or(0, chrome::link_width);
        let blocks = content.as_ref().map(blocks_of_doc).unwrap_or_default();
        (smoothie, blocks)
    };
    if blocks.is_empty() {
        blocks = fallback_blocks(html);
    }
    budget.check("reading the body")?;
    let mut blocks = strip_noise_and(blocks, furniture::is_furniture);

    let site_name = meta
        .ld_str(&["publisher.name", "publisher", "sourceOrganization.name"])
        .or_else(|| meta.tag(&["og:site_name"]))
        .or_else(|| smoothie.as_ref().and_then(|a| a.site_name.clone()))
        .map(|s| collapse_ws(&s))
        .filter(|s| !s.is_empty());

    let candidates: Vec<(TitleSource, String)> = [
        (TitleSource::JsonLd, meta.ld_str(&["headline", "name"])),
        (
            TitleSource::OpenGraph,
            meta.tag(&["og:title", "twitter:title"]),
        ),
        (TitleSource::H1, meta.h1.clone()),
        (TitleSource::TitleTag, meta.title.clone()),
        (
            TitleSource::Readability,
            smoothie.as_ref().map(|a| a.title.to_string()),
        ),
    ]
    .into_iter()
    .filter_map(|(source, t)| {
        let t = strip_site_suffix(&collapse_ws(&t?), site_name.as_deref());
        (!t.is_empty()).then_some((source, t))
    })
    .collect();
    let declared_title = choose_title(&candidates);
    let title = match declared_title {
        Some(title) => {
            // The headline repeated as the first block is not body text.
            if blocks
                .first()
                .is_some_and(|b| normalize(&b.text) == normalize(&title))
            {
                blocks.remove(0);
            }
            title
        }
        // No title anywhere: the first block names the page and stays body text.
        None => blocks.first().map(|b| b.text.clone()).unwrap_or_default(),
    };
    let by_line = take_by_line(&mut blocks);

    let byline = meta
        .ld_authors()
        .or_else(|| {
            meta.tag(&[
                "author",
                "article:author",
                "dc.creator",
                "byl",
                "parsely-author",
                "sailthru.author",
            ])
        })
        .filter(|a| url::Url::parse(a).is_err())
        .or_else(|| meta.rel_author.clone())
        .or_else(|| smoothie.as_ref().and_then(|a| a.byline.clone()))
        .or(by_line)
        .map(|b| clean_byline(&b))
        .filter(|b| !b.is_empty());
    // The byline printed above the story (without "By") is not body text.
    if let Some(byline) = &byline {
        let byline = normalize(byline);
        if let Some(pos) = blocks
            .iter()
            .take(3)
            .position(|b| normalize(&b.text) == byline)
        {
            blocks.remove(pos);
        }
    }

    if blocks.is_empty() && title.is_empty() {
        return Err(Error::Extract("the page has no text".into()));
    }

    let lang = meta
        .html_lang
        .clone()
        .or_else(|| meta.tag(&["content-language", "language", "dc.language"]))
        .or_else(|| meta.tag(&["og:locale"]))
        .or_else(|| meta.ld_str(&["inLanguage"]))
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| !l.is_empty());

    let declared_dir = meta
        .dir
        .clone()
        .or_else(|| smoothie.as_ref().and_then(|a| a.dir.clone()))
        .filter(|d| d.eq_ignore_ascii_case("rtl") || d.eq_ignore_ascii_case("ltr"));
    let dir = match declared_dir {
        Some(d) => Dir::parse(&d),
        None => script_dir(&title, &blocks),
    };

    let published_at = meta
        .ld_str(&["datePublished", "dateCreated"])
        .or_else(|| {
            meta.tag(&[
                "article:published_time",
                "og:article:published_time",
                "datepublished",
                "pubdate",
                "publish-date",
                "date",
                "dc.date",
                "dc.date.issued",
                "sailthru.date",
                "parsely-pub-date",
            ])
        })
        .or_else(|| smoothie.as_ref().and_then(|a| a.published_time.clone()))
        .map(|t| normalize_time(&t));
    let modified_at = meta
        .ld_str(&["dateModified"])
        .or_else(|| {
            meta.tag(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "last-modified",
            ])
        })
        .or_else(|| smoothie.as_ref().and_then(|a| a.modified_time.clone()))
        .map(|t| normalize_time(&t));

    let excerpt = meta
        .ld_str(&["description"])
        .or_else(|| meta.tag(&["og:description", "description", "twitter:description"]))
        .or_else(|| smoothie.as_ref().and_then(|a| a.excerpt.clone()))
        .map(|e| collapse_ws(&e))
        .filter(|e| !e.is_empty());

    let canonical_url = meta
        .canonical
        .clone()
        .or_else(|| meta.tag(&["og:url"]))
        .or_else(|| meta.ld_str(&["url", "mainEntityOfPage.@id", "mainEntityOfPage"]))
        .and_then(|c| absolute_url(&c, base.as_ref()));

    let body_width = blocks.iter().map(|b| chrome::width(&b.text)).sum();
    let low_confidence = confidence::judge(body_width, link_width, page_paragraphs);
    let article = Article {
        title,
        byline,
        site_name,
        lang,
        dir,
        published_at,
        modified_at,
        excerpt,
        canonical_url,
        blocks,
    };
    Ok(Extraction {
        article,
        low_confidence,
    })
}

/// Collapses HTML whitespace (not NBSP, which is text) and trims; drops soft
/// hyphens and zero-width spaces, which are invisible on the page but would
/// break search and word diffs of the stored text.
pub(super) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    const INVISIBLE: [char; 4] = ['\u{00AD}', '\u{200B}', '\u{2060}', '\u{FEFF}'];
    for word in s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        // Most words hold none of the invisible characters: copied as they
        // are, without a string of their own.
        let word = if word.is_ascii() || !word.contains(INVISIBLE) {
            std::borrow::Cow::Borrowed(word)
        } else {
            std::borrow::Cow::Owned(word.replace(INVISIBLE, ""))
        };
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// Meta contents and JSON-LD strings sometimes carry escaped entities
/// (`&amp;`, `&#39;`); the HTML parser already decoded one level.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let doc = Document::fragment(format!("<p>{}</p>", s.replace('<', "&lt;")));
    doc.select("p").text().to_string()
}

#[cfg(test)]
mod tests {
    use super::collapse_ws;

    #[test]
    fn whitespace_runs_become_one_space_and_invisible_characters_go() {
        assert_eq!(
            collapse_ws("  Talks\t resumed\n\nin  Geneva "),
            "Talks resumed in Geneva"
        );
        assert_eq!(
            collapse_ws("cease\u{00AD}fire \u{200B} talks\u{FEFF} \u{2060}\u{00AD} resumed"),
            "ceasefire talks resumed",
            "a word of invisible characters alone leaves no double space"
        );
        assert_eq!(
            collapse_ws("переговоры — «возобновились»"),
            "переговоры — «возобновились»"
        );
        // Not ASCII whitespace: kept as they are (normalising is another step).
        assert_eq!(collapse_ws("a\u{00A0}b"), "a\u{00A0}b");
    }
}
