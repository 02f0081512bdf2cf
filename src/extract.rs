//! Readable-article extraction: the article and its metadata out of a page.
//!
//! dom_smoothie (a Readability port) finds the article body; we walk its
//! cleaned HTML into ordered blocks so headings stay headings. Metadata comes
//! from the page itself — JSON-LD `NewsArticle` first, then OpenGraph and
//! `<meta>` tags — because that is what outlets maintain most carefully.

use std::collections::HashMap;

use dom_query::{Document, NodeRef};
use dom_smoothie::Readability;
use serde_json::Value;

use crate::article::{Article, Block, BlockKind, Dir};
use crate::error::{Error, Result};
use crate::normalize::{is_noise_line, normalize, strip_noise};

/// Extracts the article of an HTML page; `url` (the page's address) resolves
/// relative links such as the canonical URL. Fails only when the page has no
/// text at all.
pub fn extract_html(html: &str, url: Option<&str>) -> Result<Article> {
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
    let (smoothie, mut blocks) = if tree_depth(&doc) > MAX_MARKUP_DEPTH {
        (None, flat_blocks(&doc))
    } else {
        remove_page_chrome(&doc);
        let smoothie = Readability::with_document(doc, base.as_ref().map(url::Url::as_str), None)
            .ok()
            .and_then(|mut r| r.parse().ok());
        budget.check("finding the article")?;
        let blocks = smoothie
            .as_ref()
            .map(|a| blocks_of_html(&a.content))
            .unwrap_or_default();
        (smoothie, blocks)
    };
    if blocks.is_empty() {
        blocks = fallback_blocks(html);
    }
    budget.check("reading the body")?;
    let mut blocks = strip_noise(blocks);

    let site_name = meta
        .ld_str(&["publisher.name", "publisher", "sourceOrganization.name"])
        .or_else(|| meta.tag(&["og:site_name"]))
        .or_else(|| smoothie.as_ref().and_then(|a| a.site_name.clone()))
        .map(|s| collapse_ws(&s))
        .filter(|s| !s.is_empty());

    let declared_title = meta
        .ld_str(&["headline", "name"])
        .or_else(|| meta.tag(&["og:title", "twitter:title"]))
        .or_else(|| meta.title.clone())
        .or_else(|| smoothie.as_ref().map(|a| a.title.clone()))
        .map(|t| strip_site_suffix(&collapse_ws(&t), site_name.as_deref()))
        .filter(|t| !t.is_empty());
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

    Ok(Article {
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
    })
}

/// An article from plain text or Markdown: the title is the first line (a
/// Markdown heading without its `#`), the body is split on blank lines, and
/// Markdown headings become heading blocks with their markup removed.
pub fn extract_plain(text: &str, markdown: bool) -> Article {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_start_matches('\u{FEFF}');
    let mut lines = text.splitn(2, '\n');
    let mut first = lines.next().unwrap_or_default();
    let mut body = lines.next().unwrap_or_default();
    while first.trim().is_empty() && !body.is_empty() {
        let mut more = body.splitn(2, '\n');
        first = more.next().unwrap_or_default();
        body = more.next().unwrap_or_default();
    }
    let first = first.trim();
    let title = match markdown.then(|| markdown_heading(first)).flatten() {
        Some(h) => h,
        None => first.to_string(),
    };
    let blocks = if markdown {
        markdown_blocks(body)
    } else {
        text_blocks(body)
    };
    Article {
        title,
        blocks: strip_noise(blocks),
        ..Article::default()
    }
}

/// A Markdown ATX heading's text (`## Talks stall` → `Talks stall`).
fn markdown_heading(line: &str) -> Option<String> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Paragraphs separated by blank lines; hard-wrapped lines are joined.
fn text_blocks(body: &str) -> Vec<Block> {
    body.split("\n\n")
        .map(collapse_ws)
        .filter(|p| !p.is_empty())
        .map(Block::paragraph)
        .collect()
}

/// Headings, paragraphs and list items of a Markdown body, as plain text.
fn markdown_blocks(body: &str) -> Vec<Block> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut buf = String::new();
    let mut flush = |buf: &mut String, kind: BlockKind| {
        let text = collapse_ws(buf);
        buf.clear();
        if !text.is_empty() {
            blocks.push(Block { kind, text });
        }
    };
    for event in Parser::new(body) {
        match event {
            Event::Text(t) | Event::Code(t) => buf.push_str(&t),
            Event::SoftBreak | Event::HardBreak => buf.push(' '),
            Event::Start(Tag::Heading { .. } | Tag::Item) => flush(&mut buf, BlockKind::Paragraph),
            Event::End(TagEnd::Heading(_)) => flush(&mut buf, BlockKind::Heading),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => flush(&mut buf, BlockKind::Paragraph),
            _ => {}
        }
    }
    flush(&mut buf, BlockKind::Paragraph);
    blocks
}

/// Metadata read from the untouched page before extraction mutates it.
#[derive(Default)]
struct PageMeta {
    /// `<meta>` values by lower-case property/name/itemprop/http-equiv; first wins.
    tags: HashMap<String, String>,
    /// The JSON-LD object describing the article, if any.
    ld: Option<Value>,
    title: Option<String>,
    html_lang: Option<String>,
    dir: Option<String>,
    canonical: Option<String>,
    rel_author: Option<String>,
}

impl PageMeta {
    fn read(doc: &Document) -> Self {
        let mut meta = PageMeta::default();
        for node in doc.select("meta").nodes() {
            let Some(content) = node.attr("content") else {
                continue;
            };
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(k) = node.attr(key) {
                    let k = k.trim().to_ascii_lowercase();
                    meta.tags.entry(k).or_insert_with(|| content.to_string());
                }
            }
        }
        for node in doc.select("script[type='application/ld+json']").nodes() {
            if meta.ld.is_some() {
                break;
            }
            let text = node.text();
            let text = text
                .trim()
                .trim_start_matches("<![CDATA[")
                .trim_end_matches("]]>");
            if let Ok(v) = serde_json::from_str::<Value>(text) {
                meta.ld = find_article_ld(v);
            }
        }
        let title = doc.select("head title");
        let title = if title.is_empty() {
            doc.select("title")
        } else {
            title
        };
        meta.title = title
            .nodes()
            .first()
            .map(|n| collapse_ws(&n.text()))
            .filter(|t| !t.is_empty());
        let html = doc.select("html");
        meta.html_lang = html
            .attr("lang")
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
        meta.dir = html
            .attr("dir")
            .or_else(|| doc.select("body").attr("dir"))
            .map(|d| d.trim().to_ascii_lowercase());
        meta.canonical = doc
            .select("link[rel~='canonical']")
            .attr("href")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty());
        meta.rel_author = doc
            .select("a[rel~='author']")
            .nodes()
            .first()
            .map(|n| collapse_ws(&n.text()))
            .filter(|a| !a.is_empty());
        meta
    }

    fn tag(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.tags.get(*k))
            .map(|v| decode_entities(v))
    }

    /// The first string found at one of the dotted paths of the JSON-LD article.
    fn ld_str(&self, paths: &[&str]) -> Option<String> {
        let ld = self.ld.as_ref()?;
        paths.iter().find_map(|p| {
            let mut v = ld;
            for key in p.split('.') {
                v = match v {
                    Value::Array(items) => items.first()?.get(key)?,
                    _ => v.get(key)?,
                };
            }
            let v = match v {
                Value::Array(items) => items.first()?,
                v => v,
            };
            v.as_str()
                .map(|s| decode_entities(s.trim()))
                .filter(|s| !s.is_empty())
        })
    }

    /// JSON-LD `author` names joined with ", " (strings, objects or arrays).
    fn ld_authors(&self) -> Option<String> {
        let author = self.ld.as_ref()?.get("author")?;
        let items = match author {
            Value::Array(items) => items.iter().collect(),
            v => vec![v],
        };
        let names: Vec<String> = items
            .into_iter()
            .filter_map(|a| match a {
                Value::String(s) => Some(s.clone()),
                Value::Object(_) => a.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .map(|n| collapse_ws(&n))
            .filter(|n| !n.is_empty() && url::Url::parse(n).is_err())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }
}

/// Finds the object whose `@type` names an article, searching arrays and `@graph`.
fn find_article_ld(v: Value) -> Option<Value> {
    match v {
        Value::Array(items) => items.into_iter().find_map(find_article_ld),
        Value::Object(mut map) => {
            if is_article_type(map.get("@type")) {
                return Some(Value::Object(map));
            }
            map.remove("@graph").and_then(find_article_ld)
        }
        _ => None,
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "LiveBlogPosting" | "Report" | "SocialMediaPosting"
            )
    };
    match t {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

/// Removes navigation, forms and elements whose class or id names them as
/// ads, share bars, newsletters or related links, before Readability scores
/// the page: cheaper and surer than hoping it scores them low.
fn remove_page_chrome(doc: &Document) {
    doc.select("nav, aside, form, button, iframe, noscript, [role='navigation'], [role='complementary'], [aria-hidden='true']")
        .remove();
    let noisy: Vec<NodeRef> = doc
        .select("[class], [id]")
        .nodes()
        .iter()
        .filter(|n| {
            !matches!(
                n.node_name().as_deref(),
                Some("html" | "body" | "article" | "main")
            )
        })
        .filter(|n| {
            let class = n.attr("class").unwrap_or_default();
            let id = n.attr("id").unwrap_or_default();
            class
                .split_whitespace()
                .chain(id.split_whitespace())
                .any(is_noise_token)
        })
        .copied()
        .collect();
    for n in noisy {
        n.remove_from_parent();
    }
}

/// A class or id such as `ad-slot`, `share-bar`, `related_links`, `newsletter`.
fn is_noise_token(token: &str) -> bool {
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
        )
    })
}

/// Nesting depth beyond which a page is flattened before parsing (browsers
/// themselves cap the tree depth at a few hundred).
const MAX_MARKUP_DEPTH: usize = 512;

/// Elements one page may hold. A long feature with comments has ~40,000; past
/// this the work of Readability's scoring is refused rather than spent.
const MAX_ELEMENTS: usize = 300_000;

/// Wall-clock time one extraction may spend between its phases. The
/// structural limits above keep real and hostile pages far below it; this is
/// the backstop that turns a surprise into an error instead of a pinned core.
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The time budget of one extraction, checked between its phases.
struct Budget {
    deadline: std::time::Instant,
}

impl Budget {
    fn start() -> Self {
        Budget {
            deadline: std::time::Instant::now() + TIME_LIMIT,
        }
    }

    fn check(&self, phase: &str) -> Result<()> {
        if std::time::Instant::now() > self.deadline {
            return Err(Error::ExtractBudget(format!(
                "{phase} took longer than {} s",
                TIME_LIMIT.as_secs()
            )));
        }
        Ok(())
    }
}

/// Elements that never nest: void elements and those whose end tag is optional.
fn is_flat_element(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
            | "!doctype"
    )
}

/// Elements whose content the parser reads as text up to their own end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// Walks the tags of raw HTML as the HTML tokenizer splits them (comments,
/// bogus comments and raw-text bodies skipped), calling `f(name, closing,
/// tag_text, range)` for each.
fn scan_tags(html: &str, mut f: impl FnMut(&str, bool, &str, std::ops::Range<usize>)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` are complete (empty) comments; a comment
            // also ends at `--!>`.
            i = if comment.starts_with('>') {
                start + 5
            } else if comment.starts_with("->") {
                start + 6
            } else {
                comment_end(html, start + 4)
            };
            continue;
        }
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let first = bytes.get(name_start).copied();
        let bogus = match first {
            Some(b'!' | b'?') => true,
            Some(c) if closing => !c.is_ascii_alphabetic(),
            _ => false,
        };
        if !bogus && !first.is_some_and(|c| c.is_ascii_alphabetic()) {
            // A `<` that starts no tag is text.
            i = start + 1;
            continue;
        }
        let Some(end) = html[start + 1..].find('>').map(|p| start + 1 + p + 1) else {
            break;
        };
        if bogus
            && !rest[1..]
                .get(..8)
                .is_some_and(|d| d.eq_ignore_ascii_case("!doctype"))
        {
            // `<!x…>`, `<?…>` and `</3…>` are bogus comments ending at `>`.
            i = end;
            continue;
        }
        let name_end = html[name_start..end]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(end, |p| name_start + p);
        let name = html[name_start..name_end].to_ascii_lowercase();
        i = end;
        f(&name, closing, &html[start..end], start..end);
        if name == "plaintext" && !closing {
            return;
        }
        if !closing && is_raw_text(&name) {
            let close = format!("</{name}");
            i = bytes[i..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(html.len(), |p| i + p);
        }
    }
}

/// Where a comment whose text starts at `from` ends: after `-->` or `--!>`,
/// or at the end of the page. One forward pass, so many comments stay linear.
fn comment_end(html: &str, from: usize) -> usize {
    let mut at = from;
    while let Some(p) = html[at..].find("--") {
        let dashes = at + p;
        let after = &html[dashes + 2..];
        if after.starts_with('>') {
            return dashes + 3;
        }
        if after.starts_with("!>") {
            return dashes + 4;
        }
        at = dashes + 1;
    }
    html.len()
}

/// What the raw tags say about the tree a parser will build.
struct PageShape {
    /// Deepest nesting of non-void elements.
    depth: usize,
    /// Start tags seen.
    elements: usize,
}

/// Estimates depth and size from the raw tags in one pass, modelling the
/// parser's stack of open elements: an end tag that matches no open element
/// is ignored (as the parser ignores it), one that does closes everything
/// opened after it.
fn page_shape(html: &str) -> PageShape {
    let mut open: Vec<String> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut shape = PageShape {
        depth: 0,
        elements: 0,
    };
    scan_tags(html, |name, closing, _, _| {
        if !closing {
            shape.elements += 1;
        }
        if is_flat_element(name) {
            return;
        }
        if closing {
            if counts.get(name).copied().unwrap_or(0) == 0 {
                return;
            }
            while let Some(top) = open.pop() {
                let n = counts.get_mut(&top).expect("counted when opened");
                *n -= 1;
                if top == name {
                    break;
                }
            }
        } else {
            *counts.entry(name.to_string()).or_default() += 1;
            open.push(name.to_string());
            shape.depth = shape.depth.max(open.len());
        }
    });
    shape
}

/// The deepest element nesting of a parsed tree, walked without recursion.
fn tree_depth(doc: &Document) -> usize {
    let root = doc.root();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut node = root.first_child();
    if node.is_some() {
        depth = 1;
    }
    while let Some(n) = node {
        max = max.max(depth);
        if let Some(child) = n.first_child() {
            depth += 1;
            node = Some(child);
            continue;
        }
        let mut up = Some(n);
        node = None;
        while let Some(u) = up {
            if let Some(next) = u.next_sibling() {
                node = Some(next);
                break;
            }
            depth -= 1;
            up = u.parent().filter(|p| p.id != root.id);
        }
    }
    max
}

/// The text of a tree too deep to score, cut into blocks where the walker can.
fn flat_blocks(doc: &Document) -> Vec<Block> {
    doc.select("script, style, template").remove();
    match doc.body() {
        Some(body) => {
            let mut w = BlockWalker::default();
            w.walk(&body);
            w.finish()
        }
        None => Vec::new(),
    }
}

/// The page with every nesting element replaced by a line break, keeping
/// head tags, paragraphs, headings and list items.
fn flatten_markup(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    scan_tags(html, |name, _, tag, range| {
        out.push_str(&html[last..range.start]);
        last = range.end;
        let keep = is_flat_element(name)
            || matches!(
                name,
                "title" | "script" | "style" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            );
        if keep {
            out.push_str(tag);
        } else if is_inline(name) {
            out.push(' ');
        } else {
            out.push_str("<br>");
        }
    });
    out.push_str(&html[last..]);
    out
}

/// When Readability finds no article: the paragraphs of the body, minus chrome.
fn fallback_blocks(html: &str) -> Vec<Block> {
    let doc = Document::from(html);
    remove_page_chrome(&doc);
    doc.select("script, style, template, header, footer")
        .remove();
    match doc.body() {
        Some(body) => {
            let mut w = BlockWalker::default();
            w.walk(&body);
            w.finish()
        }
        None => Vec::new(),
    }
}

fn blocks_of_html(content: &str) -> Vec<Block> {
    let doc = Document::from(content);
    let mut w = BlockWalker::default();
    match doc.body() {
        Some(body) => w.walk(&body),
        None => w.walk(&doc.root()),
    }
    w.finish()
}

/// Walks HTML in document order, cutting a block at every block-level boundary.
#[derive(Default)]
struct BlockWalker {
    blocks: Vec<Block>,
    buf: String,
    depth: usize,
}

/// Past this nesting depth a subtree is taken as flat text, so hostile pages
/// with absurd nesting cannot overflow the stack.
const MAX_DEPTH: usize = 128;

impl BlockWalker {
    fn walk(&mut self, node: &NodeRef) {
        if self.depth >= MAX_DEPTH {
            self.buf.push(' ');
            self.buf.push_str(&node.text());
            return;
        }
        self.depth += 1;
        self.walk_children(node);
        self.depth -= 1;
    }

    fn walk_children(&mut self, node: &NodeRef) {
        for child in node.children_it(false) {
            if child.is_text() {
                self.buf.push_str(&child.text());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child
                .node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            match name.as_str() {
                "script" | "style" | "noscript" | "template" | "svg" | "button" | "nav"
                | "form" | "iframe" | "select" | "input" | "textarea" | "img" | "picture"
                | "video" | "audio" | "source" | "head" => {}
                "br" | "hr" => self.flush(BlockKind::Paragraph),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    self.flush(BlockKind::Paragraph);
                    self.walk(&child);
                    self.flush(BlockKind::Heading);
                }
                "td" | "th" => {
                    self.buf.push(' ');
                    self.walk(&child);
                    self.buf.push(' ');
                }
                n if is_inline(n) => self.walk(&child),
                _ => {
                    self.flush(BlockKind::Paragraph);
                    self.walk(&child);
                    self.flush(BlockKind::Paragraph);
                }
            }
        }
    }

    fn flush(&mut self, kind: BlockKind) {
        let text = collapse_ws(&self.buf);
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        let kind = if kind == BlockKind::Paragraph && is_subhead(&text) {
            BlockKind::Heading
        } else {
            kind
        };
        self.blocks.push(Block { kind, text });
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush(BlockKind::Paragraph);
        self.blocks
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "ins"
            | "kbd"
            | "label"
            | "mark"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Wire copy marks sections with short all-capitals paragraphs ("TALKS STALL").
fn is_subhead(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3
        && text.chars().count() <= 80
        && letters.iter().all(|c| !c.is_lowercase())
        && letters.iter().any(|c| c.is_uppercase())
        && !text.ends_with(['.', '!', '?'])
}

/// Takes a "By …" line off the first blocks; it is metadata, not body text.
fn take_by_line(blocks: &mut Vec<Block>) -> Option<String> {
    let pos = blocks.iter().take(3).position(|b| {
        let t = b.text.trim();
        t.chars().count() <= 120
            && (t.starts_with("By ") || t.starts_with("BY "))
            && t[3..].chars().next().is_some_and(char::is_uppercase)
    })?;
    Some(blocks.remove(pos).text)
}

/// "By Jane Doe and Min-ji Park · Updated 5 minutes ago" → "Jane Doe and Min-ji Park".
fn clean_byline(b: &str) -> String {
    let b = collapse_ws(b);
    let b = b
        .split(['·', '|', '•'])
        .map(str::trim)
        .filter(|part| !part.is_empty() && !is_noise_line(part))
        .collect::<Vec<_>>()
        .join(" · ");
    let rest = b
        .strip_prefix("By ")
        .or_else(|| b.strip_prefix("by "))
        .or_else(|| b.strip_prefix("BY "))
        .unwrap_or(&b);
    rest.trim().trim_end_matches([',', ';']).trim().to_string()
}

/// Strips the site's name from the end of a title ("… | Site", "…_新华网",
/// "…｜東洋通信"), or a short tail after " | " when the site is unknown.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    const SEPARATORS: &[char] = &['|', '｜', '-', '–', '—', '_', ':', '·', '«', '»', '/'];
    if let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(head) = title.strip_suffix(site) {
            let head = head.trim_end();
            if let Some(head) = head.strip_suffix(SEPARATORS) {
                let head = head.trim_end();
                if !head.is_empty() {
                    return head.to_string();
                }
            }
        }
    }
    if let Some((head, tail)) = title.rsplit_once(" | ") {
        let head = head.trim();
        if !head.is_empty()
            && tail.chars().count() <= 30
            && head.chars().count() > tail.chars().count()
        {
            return head.to_string();
        }
    }
    title.to_string()
}

/// Rtl when most letters are Hebrew, Arabic, Syriac, Thaana or N'Ko script
/// (Arabic script covers Persian and Urdu).
fn script_dir(title: &str, blocks: &[Block]) -> Dir {
    let (mut rtl, mut all) = (0usize, 0usize);
    let texts = std::iter::once(title).chain(blocks.iter().map(|b| b.text.as_str()));
    for c in texts.flat_map(str::chars).filter(|c| c.is_alphabetic()) {
        all += 1;
        if matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        {
            rtl += 1;
        }
    }
    if all > 0 && rtl * 2 > all {
        Dir::Rtl
    } else {
        Dir::Ltr
    }
}

/// RFC 3339 UTC when the page's time is parseable with a zone, else the
/// page's own string (a time without a zone cannot honestly be made UTC).
fn normalize_time(s: &str) -> String {
    use chrono::{DateTime, Utc};
    let s = s.trim();
    if let Some(t) = crate::time::parse(s) {
        return crate::time::format(t);
    }
    let parsed = DateTime::parse_from_rfc2822(s).ok().or_else(|| {
        [
            "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%d %H:%M:%S %z",
            "%Y-%m-%dT%H:%M:%S%.f%z",
        ]
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
    });
    match parsed {
        Some(t) => crate::time::format(t.with_timezone(&Utc)),
        None => s.to_string(),
    }
}

fn absolute_url(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    let u = match base {
        Some(b) => b.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// Collapses HTML whitespace (not NBSP, which is text) and trims; drops soft
/// hyphens and zero-width spaces, which are invisible on the page but would
/// break search and word diffs of the stored text.
fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        let word = word.replace(['\u{00AD}', '\u{200B}', '\u{2060}', '\u{FEFF}'], "");
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
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let doc = Document::fragment(format!("<p>{}</p>", s.replace('<', "&lt;")));
    doc.select("p").text().to_string()
}
