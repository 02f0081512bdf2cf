//! The article's body as ordered blocks: headings stay headings, paragraphs
//! and list items become paragraphs, in document order.

use dom_query::{Document, NodeRef};

use crate::article::{Block, BlockKind};

use super::chrome::remove_page_chrome;
use super::collapse_ws;

/// The text of a tree too deep to score, cut into blocks where the walker can.
pub(super) fn flat_blocks(doc: &Document) -> Vec<Block> {
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

/// When Readability finds no article: the paragraphs of the body, minus chrome.
pub(super) fn fallback_blocks(html: &str) -> Vec<Block> {
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

/// The blocks of an article's own document (Readability's output).
pub(super) fn blocks_of_doc(doc: &Document) -> Vec<Block> {
    let mut w = BlockWalker::default();
    match doc.body() {
        Some(body) => w.walk(&body),
        None => w.walk(&doc.root()),
    }
    w.finish()
}

/// Walks HTML in document order, cutting a block at every block-level boundary.
#[derive(Default)]
pub(super) struct BlockWalker {
    blocks: Vec<Block>,
    buf: String,
    depth: usize,
}

/// Past this nesting depth a subtree is taken as flat text, so hostile pages
/// with absurd nesting cannot overflow the stack.
pub(super) const MAX_DEPTH: usize = 128;

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
                | "iframe" | "select" | "input" | "textarea" | "img" | "picture" | "video"
                | "audio" | "source" | "head" => {}
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

pub(super) fn is_inline(name: &str) -> bool {
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
pub(super) fn is_subhead(text: &str) -> bool {
    // The cheap tests first: most paragraphs are long sentences.
    if text.ends_with(['.', '!', '?']) || text.chars().count() > 80 {
        return false;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3
        && letters.iter().all(|c| !c.is_lowercase())
        && letters.iter().any(|c| c.is_uppercase())
}
