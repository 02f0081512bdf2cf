//! Markdown as notes use it, shared by [`crate::notes`] (the preview),
//! [`crate::citations`] (finding `[@h12]` outside code) and
//! [`crate::export::note`] (Markdown for Pandoc): one set of extensions, one
//! sanitiser, and the small pieces of Markdown those modules write.

use pulldown_cmark::{html, Event, Options, Parser, Tag};

/// The extensions notes are written with: tables, footnotes, strikethrough and
/// task lists. Parsing and rendering use the same set, so a citation found in
/// the text is one the preview shows.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Markdown to sanitised HTML, with no citation resolution: `[@h12]` stays as
/// written.
pub fn render(md: &str) -> String {
    sanitize(&to_html(md))
}

/// Markdown to raw (unsanitised) HTML; callers that splice in HTML of their
/// own sanitise the result once, after splicing.
pub(crate) fn to_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(md, options()));
    out
}

/// Byte ranges of code spans and code blocks, where `[@h12]` is code, not a
/// citation.
pub(crate) fn code_ranges(md: &str) -> Vec<(usize, usize)> {
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| (range.start, range.end))
        .collect()
}

/// Sanitises HTML for the webview: ammonia's safe defaults, plus what notes
/// need (task-list checkboxes, footnote ids, our classes, `redline:` links).
pub(crate) fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_url_schemes(["redline"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("li", ["id"])
        .id_prefix(Some("note-"))
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_allowed_classes(
            "blockquote",
            [
                "redline-quote",
                "redline-quote-changed",
                "redline-quote-gone",
            ],
        )
        .add_allowed_classes(
            "p",
            ["redline-attribution", "redline-changed", "redline-gone"],
        )
        .add_allowed_classes("a", ["redline-cite"])
        .add_allowed_classes("q", ["redline-quote"])
        .add_allowed_classes("span", ["redline-cite-missing", "redline-cite-note"])
        .add_allowed_classes("del", ["redline-diff"])
        .add_allowed_classes("ins", ["redline-diff"]);
    // Ids get a prefix so a footnote label cannot clobber a name in the page;
    // in-note links follow them.
    b.clean(html)
        .to_string()
        .replace("href=\"#", "href=\"#note-")
}

/// Backslash-escapes what Markdown would otherwise read as markup.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A passage as a Markdown block quote, one `>` line per line of text, its
/// blank lines kept as paragraph breaks inside the quote.
pub(crate) fn block_quote(passage: &str) -> String {
    passage
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {}", escape(l))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A passage as an inline quotation on one line, in curly quotes.
pub(crate) fn inline_quote(passage: &str) -> String {
    let one_line = passage.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("\u{201C}{}\u{201D}", escape(&one_line))
}

/// True when the text at byte range `(start, end)` is the only thing in its
/// paragraph (blank lines, or the document's edge, above and below).
pub(crate) fn alone_in_paragraph(md: &str, (start, end): (usize, usize)) -> bool {
    let line_start = md[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = md[end..].find('\n').map_or(md.len(), |i| end + i);
    if !md[line_start..start].trim().is_empty() || !md[end..line_end].trim().is_empty() {
        return false;
    }
    let before_blank = line_start == 0
        || md[..line_start - 1]
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
    let after_blank = line_end >= md.len()
        || md[line_end + 1..]
            .split('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
    before_blank && after_blank
}

/// `n` footnote labels 1, 2, … that `md` does not already use for footnotes
/// of its own.
pub(crate) fn free_footnote_labels(md: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut i = 1;
    while out.len() < n {
        let label = i.to_string();
        if !md.contains(&format!("[^{label}]")) {
            out.push(label);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_code_but_not_prose() {
        let md = "See [@h1] and `[@h2]`.\n\n```\n[@h3]\n```\n";
        let ranges = code_ranges(md);
        let at = |s: &str| md.find(s).unwrap();
        let inside = |pos: usize| ranges.iter().any(|&(s, e)| s <= pos && pos < e);
        assert!(!inside(at("[@h1]")));
        assert!(inside(at("[@h2]")));
        assert!(inside(at("[@h3]")));
    }

    #[test]
    fn quotes_a_passage_as_a_block_or_inline() {
        let passage = "The toll is *30,000*, officials said.\n\nAid is [late].";
        assert_eq!(
            block_quote(passage),
            "> The toll is \\*30,000\\*, officials said.\n>\n> Aid is \\[late\\]."
        );
        assert_eq!(
            inline_quote("The toll\n  is 30,000"),
            "\u{201C}The toll is 30,000\u{201D}"
        );
    }

    #[test]
    fn a_citation_alone_in_its_paragraph() {
        let md = "Intro line.\n\n[@h1]\n\nIt said [@h2] later.";
        let range = |s: &str| (md.find(s).unwrap(), md.find(s).unwrap() + s.len());
        assert!(alone_in_paragraph(md, range("[@h1]")));
        assert!(!alone_in_paragraph(md, range("[@h2]")));
    }

    #[test]
    fn footnote_labels_skip_the_notes_own() {
        assert_eq!(
            free_footnote_labels("Text[^1] and [^3].\n\n[^1]: mine", 3),
            ["2", "4", "5"]
        );
    }
}
