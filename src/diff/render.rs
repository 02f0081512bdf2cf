//! A diff for people: the terminal (plain `[-old-]{+new+}` or ANSI colour)
//! and HTML that is safe to embed in the app's webview. JSON is the serde
//! form of [`Diff`].

use super::{inline, BlockDiff, BlockOp, Diff, Span, SpanOp, Summary, TextChange};
use crate::article::BlockKind;

const RED: &str = "\x1b[31;9m";
const GREEN: &str = "\x1b[32;4m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The diff as terminal text: the summary, then every block in the new
/// version's order, marked `  ` unchanged, `+ ` added, `- ` removed, `~ ` edited,
/// `> ` moved (with "moved from ¶N", 1-based in the old version).
pub fn text(diff: &Diff, colour: bool) -> String {
    let mut out = String::new();
    summary_text(&diff.summary, colour, &mut out);
    out.push('\n');
    for b in &diff.blocks {
        let (mark, note) = match b.op {
            BlockOp::Unchanged => ("  ", String::new()),
            BlockOp::Added => ("+ ", String::new()),
            BlockOp::Removed => ("- ", String::new()),
            BlockOp::Edited => ("~ ", String::new()),
            BlockOp::Moved => (
                "> ",
                format!(
                    "[moved from ¶{}{}] ",
                    b.old_index.map_or(0, |i| i + 1),
                    if b.edited { ", edited" } else { "" }
                ),
            ),
        };
        out.push_str(mark);
        if !note.is_empty() {
            if colour {
                out.push_str(DIM);
                out.push_str(&note);
                out.push_str(RESET);
            } else {
                out.push_str(&note);
            }
        }
        if b.kind == BlockKind::Heading && colour {
            out.push_str(BOLD);
        }
        spans_text(&b.spans, colour, &mut out);
        if b.kind == BlockKind::Heading && colour {
            out.push_str(RESET);
        }
        out.push_str("\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn summary_text(s: &Summary, colour: bool, out: &mut String) {
    if s.is_empty() {
        out.push_str("No changes.\n");
        return;
    }
    if let Some(h) = &s.headline {
        out.push_str("Headline: ");
        change_text(h, colour, out);
        out.push('\n');
    }
    if let Some(b) = &s.byline {
        out.push_str("Byline: ");
        change_text(b, colour, out);
        out.push('\n');
    }
    out.push_str(&format!(
        "Paragraphs: {} added, {} removed, {} edited, {} moved\n",
        s.paragraphs_added, s.paragraphs_removed, s.paragraphs_edited, s.paragraphs_moved
    ));
    if !s.quotes_altered.is_empty() {
        out.push_str("Quotes altered:\n");
        for q in &s.quotes_altered {
            let who = q.speaker.as_deref().unwrap_or("(unattributed)");
            out.push_str(&format!("  {who}: “{}” → “{}”", q.from, q.to));
            if q.old_speaker != q.speaker {
                out.push_str(&format!(
                    " (was attributed to {})",
                    q.old_speaker.as_deref().unwrap_or("nobody")
                ));
            }
            out.push('\n');
        }
    }
    if !s.numbers_changed.is_empty() {
        out.push_str("Numbers changed: ");
        let list: Vec<String> = s
            .numbers_changed
            .iter()
            .map(|n| format!("{} → {}", n.from, n.to))
            .collect();
        out.push_str(&list.join(", "));
        out.push('\n');
    }
    if !s.corrections.is_empty() {
        out.push_str("Corrections:\n");
        for c in &s.corrections {
            out.push_str("  ");
            out.push_str(c);
            out.push('\n');
        }
    }
}

fn change_text(c: &TextChange, colour: bool, out: &mut String) {
    spans_text(&inline::spans(&c.from, &c.to), colour, out);
}

fn spans_text(spans: &[Span], colour: bool, out: &mut String) {
    for s in spans {
        match (s.op, colour) {
            (SpanOp::Equal, _) => out.push_str(&s.text),
            (SpanOp::Delete, false) => {
                out.push_str("[-");
                out.push_str(&s.text);
                out.push_str("-]");
            }
            (SpanOp::Insert, false) => {
                out.push_str("{+");
                out.push_str(&s.text);
                out.push_str("+}");
            }
            (SpanOp::Delete, true) => {
                out.push_str(RED);
                out.push_str(&s.text);
                out.push_str(RESET);
            }
            (SpanOp::Insert, true) => {
                out.push_str(GREEN);
                out.push_str(&s.text);
                out.push_str(RESET);
            }
        }
    }
}

/// The diff as an HTML fragment: a summary list, then one `<section>` per
/// block (`class` = the op; moved blocks carry `data-from`, 1-based), with
/// `<ins>`/`<del>` inline. All article text is escaped, so the fragment is
/// safe to embed whatever the page said.
pub fn html(diff: &Diff) -> String {
    let mut out = String::from("<div class=\"redline-diff\">\n");
    summary_html(&diff.summary, &mut out);
    for b in &diff.blocks {
        block_html(b, &mut out);
    }
    out.push_str("</div>\n");
    out
}

fn summary_html(s: &Summary, out: &mut String) {
    out.push_str("<ul class=\"summary\">\n");
    if s.is_empty() {
        out.push_str("<li class=\"none\">No changes.</li>\n");
    }
    if let Some(h) = &s.headline {
        out.push_str("<li class=\"headline\">Headline: ");
        spans_html(&inline::spans(&h.from, &h.to), out);
        out.push_str("</li>\n");
    }
    if let Some(b) = &s.byline {
        out.push_str("<li class=\"byline\">Byline: ");
        spans_html(&inline::spans(&b.from, &b.to), out);
        out.push_str("</li>\n");
    }
    if !s.is_empty() {
        out.push_str(&format!(
            "<li class=\"counts\">Paragraphs: {} added, {} removed, {} edited, {} moved</li>\n",
            s.paragraphs_added, s.paragraphs_removed, s.paragraphs_edited, s.paragraphs_moved
        ));
    }
    for q in &s.quotes_altered {
        out.push_str(&format!(
            "<li class=\"quote\"><span class=\"speaker\">{}</span>: <del>“{}”</del> <ins>“{}”</ins></li>\n",
            escape(q.speaker.as_deref().unwrap_or("(unattributed)")),
            escape(&q.from),
            escape(&q.to)
        ));
    }
    for n in &s.numbers_changed {
        out.push_str(&format!(
            "<li class=\"number\"><del>{}</del> → <ins>{}</ins></li>\n",
            escape(&n.from),
            escape(&n.to)
        ));
    }
    for c in &s.corrections {
        out.push_str(&format!("<li class=\"correction\">{}</li>\n", escape(c)));
    }
    out.push_str("</ul>\n");
}

fn block_html(b: &BlockDiff, out: &mut String) {
    let class = match b.op {
        BlockOp::Unchanged => "unchanged",
        BlockOp::Added => "added",
        BlockOp::Removed => "removed",
        BlockOp::Edited => "edited",
        BlockOp::Moved => "moved",
    };
    out.push_str(&format!("<section class=\"{class}\""));
    if b.op == BlockOp::Moved {
        if let Some(o) = b.old_index {
            out.push_str(&format!(" data-from=\"{}\"", o + 1));
        }
        if b.edited {
            out.push_str(" data-edited=\"true\"");
        }
    }
    out.push('>');
    let tag = match b.kind {
        BlockKind::Heading => "h2",
        BlockKind::Paragraph => "p",
    };
    out.push_str(&format!("<{tag}>"));
    spans_html(&b.spans, out);
    out.push_str(&format!("</{tag}></section>\n"));
}

fn spans_html(spans: &[Span], out: &mut String) {
    for s in spans {
        match s.op {
            SpanOp::Equal => out.push_str(&escape(&s.text)),
            SpanOp::Delete => {
                out.push_str("<del>");
                out.push_str(&escape(&s.text));
                out.push_str("</del>");
            }
            SpanOp::Insert => {
                out.push_str("<ins>");
                out.push_str(&escape(&s.text));
                out.push_str("</ins>");
            }
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
