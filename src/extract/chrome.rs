//! Page chrome removed before Readability scores the page: navigation, ads,
//! share bars, newsletters, related links, captions and gallery controls.
//!
//! Scored, not keyword-deleted: on real pages the element whose class says
//! "ad" or "paywall", or the ASP.NET `<form>` around everything, is often the
//! article's own container. A candidate is removed only when it does not hold
//! the article: not most of the page's paragraph text, not an `<article>` or
//! `<main>`, not prose of its own.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, NodeRef};

/// Elements that are chrome by their kind, unless they hold the article.
const CHROME_ELEMENTS: &str = "nav, aside, form, button, iframe, noscript, footer, figcaption, \
     [role='navigation'], [role='complementary'], [role='contentinfo'], [aria-hidden='true']";

/// Elements that hold the article when a page marks it.
const ARTICLE_ELEMENTS: &str = "article, main, [role='main'], [itemprop='articleBody']";

/// Selectors run inside every candidate (and every paragraph of it), parsed
/// once per process rather than at each of those calls.
static ARTICLE: LazyLock<Matcher> = LazyLock::new(|| matcher(ARTICLE_ELEMENTS));
static PARAGRAPH: LazyLock<Matcher> = LazyLock::new(|| matcher("p"));
static LINK: LazyLock<Matcher> = LazyLock::new(|| matcher("a"));
static ITEM: LazyLock<Matcher> = LazyLock::new(|| matcher("li"));

fn matcher(sel: &str) -> Matcher {
    Matcher::new(sel).expect("a constant selector parses")
}

pub(super) fn remove_page_chrome(doc: &Document) {
    let page = match doc.body() {
        Some(body) => Weight::of(&body),
        None => return,
    };
    let by_kind = doc.select(CHROME_ELEMENTS);
    let by_name = doc.select("[class], [id]");
    // Document order: an outer candidate is judged (and maybe removed, which
    // detaches its inner ones) before the candidates inside it.
    let mut candidates: Vec<NodeRef> = by_kind
        .nodes()
        .iter()
        .chain(by_name.nodes().iter().filter(|n| is_named_chrome(n)))
        .filter(|n| {
            // Headings get ids from their own words ("share-prices-rise").
            !matches!(
                n.node_name().as_deref(),
                Some(
                    "html" | "body" | "article" | "main" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                )
            )
        })
        .copied()
        .collect();
    candidates.sort_by_key(|n| n.id);
    candidates.dedup_by_key(|n| n.id);
    for node in candidates {
        if !is_attached(&node) || holds_article(&node, &page) {
            continue;
        }
        node.remove_from_parent();
    }
    remove_link_lists(doc, &page);
}

/// Width of the text in the page's paragraphs, measured before chrome goes.
pub(super) fn paragraph_width(doc: &Document) -> usize {
    doc.body().map_or(0, |b| Weight::of(&b).paragraph)
}

/// Width of the link text in a document.
pub(super) fn link_width(doc: &Document) -> usize {
    doc.select("a")
        .nodes()
        .iter()
        .map(|a| width(&a.text()))
        .sum()
}

/// A class or id token names the element as chrome.
fn is_named_chrome(n: &NodeRef) -> bool {
    let class = n.attr("class").unwrap_or_default();
    let id = n.attr("id").unwrap_or_default();
    class
        .split_whitespace()
        .chain(id.split_whitespace())
        .any(is_noise_token)
}

/// Whether removing `node` would take the article with it.
fn holds_article(node: &NodeRef, page: &Weight) -> bool {
    let own = Weight::of(node);
    // Most of the page's paragraph text is the article, whatever the class says.
    if own.paragraph * 2 >= page.paragraph && own.paragraph > 0 {
        return true;
    }
    if node.is_match(&ARTICLE) || !node_select(node, &ARTICLE).is_empty() {
        return own.paragraph > 0 || own.prose_paragraphs > 0;
    }
    // Prose of its own: a share of the story in plain paragraphs, few links
    // (a paywalled tail, a section named after its heading).
    own.prose_paragraphs >= 2 && own.paragraph * 5 >= page.paragraph
}

fn node_select<'a>(node: &NodeRef<'a>, sel: &Matcher) -> Vec<NodeRef<'a>> {
    dom_query::Selection::from(*node)
        .select_matcher(sel)
        .nodes()
        .to_vec()
}

fn is_attached(node: &NodeRef) -> bool {
    node.ancestors_it(None).any(|a| a.is_document())
}

/// How much text a subtree holds and of what kind.
struct Weight {
    /// Text inside `<p>` elements, in width units (see [`width`]).
    paragraph: usize,
    /// Paragraphs long enough to be prose and not mostly link text.
    prose_paragraphs: usize,
}

/// A paragraph at least this wide is prose, not a prompt or a label. Two
/// short Chinese sentences (about 30 characters, 60 units) are prose; an
/// English prompt ("Sign up for our newsletter") stays under it.
const PROSE_WIDTH: usize = 60;

impl Weight {
    fn of(node: &NodeRef) -> Self {
        let mut w = Weight {
            paragraph: 0,
            prose_paragraphs: 0,
        };
        let mut paragraphs: Vec<NodeRef> = node_select(node, &PARAGRAPH);
        if node.node_name().as_deref() == Some("p") {
            paragraphs.push(*node);
        }
        for p in paragraphs {
            let text = width(&p.text());
            w.paragraph += text;
            let links: usize = node_select(&p, &LINK)
                .iter()
                .map(|a| width(&a.text()))
                .sum();
            if text >= PROSE_WIDTH && links * 10 < text * 3 {
                w.prose_paragraphs += 1;
            }
        }
        w
    }
}

/// Visible width of text: non-space characters, with Han, kana and Hangul
/// counted twice, so a Chinese sentence weighs about what its English one does.
/// Full-width punctuation (，：（）) is as wide as the Han around it: counted
/// once, it made a Chinese paragraph look a fifth shorter than it is.
///
/// Chrome removal weighs every candidate's paragraphs, so this runs over the
/// same text many times a page: all-ASCII text (a link, a label, a
/// paragraph without curly quotes) is counted by the byte, without decoding
/// characters (the same count: no ASCII character is wide, and the ASCII
/// whitespace `char::is_whitespace` knows is tab to carriage return and the
/// space). Decoding costs as much as counting: text with any other
/// character is counted as before.
pub(super) fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text
            .bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count();
    }
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if crate::script::is_wide(c) { 2 } else { 1 })
        .sum()
}

/// Lists of links inside or beside the story ("DON'T MISS", "You may also
/// like") and one-line pointers to other stories: every item is a link. The
/// short label just before such a list goes with it.
fn remove_link_lists(doc: &Document, page: &Weight) {
    let lists: Vec<NodeRef> = doc.select("ul, ol").nodes().to_vec();
    for list in lists {
        if !is_attached(&list) || holds_article(&list, page) {
            continue;
        }
        let items = node_select(&list, &ITEM);
        let all_links = !items.is_empty()
            && items.iter().all(|li| {
                let text = width(&li.text());
                let links: usize = node_select(li, &LINK)
                    .iter()
                    .map(|a| width(&a.text()))
                    .sum();
                text > 0 && links * 10 >= text * 9
            });
        if !all_links {
            continue;
        }
        if let Some(label) = list.prev_element_sibling() {
            let is_label = matches!(
                label.node_name().as_deref(),
                Some("h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "strong" | "span")
            ) && width(&label.text()) <= 40
                && node_select(&label, &LINK).is_empty();
            if is_label {
                label.remove_from_parent();
            }
        }
        list.remove_from_parent();
    }
    let paragraphs: Vec<NodeRef> = doc.select("p").nodes().to_vec();
    for p in paragraphs {
        let text = width(&p.text());
        let links: usize = node_select(&p, &LINK)
            .iter()
            .map(|a| width(&a.text()))
            .sum();
        if text > 0 && links * 10 >= text * 6 && text <= 200 {
            p.remove_from_parent();
        }
    }
}

/// A class or id such as `ad-slot`, `share-bar`, `related_links`, `newsletter`.
pub(super) fn is_noise_token(token: &str) -> bool {
    let token = token.to_ascii_lowercase();
    token.split(['-', '_']).any(|part| {
        matches!(
            part,
            "ad" | "ads"
                | "advert"
                | "advertisement"
                | "adslot"
                | "share"
                | "sharing"
                | "sharebar"
                | "social"
                | "newsletter"
                | "signup"
                | "related"
                | "promo"
                | "subscribe"
                | "subscription"
                | "sponsored"
                | "cookie"
                | "cookies"
                | "consent"
                | "outbrain"
                | "taboola"
                | "recirc"
                | "breadcrumb"
                | "breadcrumbs"
                | "paywall"
                | "caption"
                | "credit"
                | "credits"
                | "gallery"
                | "slideshow"
                | "lightbox"
                | "timestamp"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::width;

    /// The definition the byte count must agree with.
    fn width_by_chars(text: &str) -> usize {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if crate::script::is_wide(c) { 2 } else { 1 })
            .sum()
    }

    #[test]
    fn the_ascii_count_is_the_character_count() {
        let mut ascii: String = (0u8..128).map(char::from).collect();
        ascii.push_str("  Ministers met in Geneva\t\x0b\x0c\r\n on 3 June. ");
        for text in [
            ascii.as_str(),
            "",
            " \t\n",
            "Talks resumed (42%) — “slowly”, she said.",
            "서울에서 회담이 열렸다",
            "停火谈判在日内瓦恢复，（双方）同意。",
            "Переговоры\u{00A0}возобновились",
        ] {
            assert_eq!(width(text), width_by_chars(text), "{text:?}");
        }
        assert_eq!(width("a\x0bb"), 2, "a vertical tab is whitespace");
    }
}
