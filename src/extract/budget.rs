//! The work one extraction may cost. A page can be small and still hostile
//! (nesting tens of thousands deep costs the parser and Readability time
//! that grows faster than the square of the depth), so its shape is measured
//! first and the page is flattened or refused.

use std::collections::HashMap;

use dom_query::Document;

use crate::error::{Error, Result};

use super::blocks::is_inline;

/// Nesting depth beyond which a page is flattened before parsing (browsers
/// themselves cap the tree depth at a few hundred).
pub(super) const MAX_MARKUP_DEPTH: usize = 512;

/// Elements one page may hold. A long feature with comments has ~40,000; past
/// this the work of Readability's scoring is refused rather than spent.
pub(super) const MAX_ELEMENTS: usize = 300_000;

/// Wall-clock time one extraction may spend between its phases. The
/// structural limits above keep real and hostile pages far below it; this is
/// the backstop that turns a surprise into an error instead of a pinned core.
pub(super) const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The time budget of one extraction, checked between its phases.
pub(super) struct Budget {
    deadline: std::time::Instant,
}

impl Budget {
    pub(super) fn start() -> Self {
        Budget {
            deadline: std::time::Instant::now() + TIME_LIMIT,
        }
    }

    pub(super) fn check(&self, phase: &str) -> Result<()> {
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
pub(super) fn is_flat_element(name: &str) -> bool {
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
pub(super) fn is_raw_text(name: &str) -> bool {
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
pub(super) fn scan_tags(html: &str, mut f: impl FnMut(&str, bool, &str, std::ops::Range<usize>)) {
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
pub(super) fn comment_end(html: &str, from: usize) -> usize {
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
pub(super) struct PageShape {
    /// Deepest nesting of non-void elements.
    pub(super) depth: usize,
    /// Start tags seen.
    pub(super) elements: usize,
}

/// Estimates depth and size from the raw tags in one pass, modelling the
/// parser's stack of open elements: an end tag that matches no open element
/// is ignored (as the parser ignores it), one that does closes everything
/// opened after it.
pub(super) fn page_shape(html: &str) -> PageShape {
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
pub(super) fn tree_depth(doc: &Document) -> usize {
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

/// The page with every nesting element replaced by a line break, keeping
/// head tags, paragraphs, headings and list items.
pub(super) fn flatten_markup(html: &str) -> String {
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
