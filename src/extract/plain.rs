//! Plain text and Markdown: the title is the first line, the body its paragraphs.

use crate::article::{Article, Block, BlockKind};
use crate::normalize::strip_noise;

use super::collapse_ws;

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
