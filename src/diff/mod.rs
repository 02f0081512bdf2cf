//! What changed between two versions of an article, the way an editor reads
//! track changes: paragraphs aligned first (so a moved paragraph is a move,
//! not a deletion plus an addition), then word-level changes inside each
//! paragraph pair only, then a one-glance summary.
//!
//! ```
//! use redline::article::{Article, Block};
//! let old = Article { title: "Pact signed".into(), blocks: vec![Block::paragraph("About 30,000 troops.")], ..Default::default() };
//! let new = Article { title: "Pact signed".into(), blocks: vec![Block::paragraph("About 10,000 troops.")], ..Default::default() };
//! let d = redline::diff::diff_articles(&old, &new);
//! assert_eq!(d.summary.numbers_changed[0].from, "30,000");
//! assert_eq!(d.summary.numbers_changed[0].to, "10,000");
//! ```

mod align;
mod inline;
mod key;
pub mod render;
mod summary;

use serde::{Deserialize, Serialize};

use crate::article::{Article, BlockKind};
use crate::normalize::normalize;

/// A piece of metadata (headline, byline) that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TextChange {
    pub from: String,
    pub to: String,
}

/// What happened to one block between the two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BlockOp {
    Unchanged,
    Added,
    Removed,
    /// Same place, different words.
    Edited,
    /// Another place; `edited` tells whether the words changed too.
    Moved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SpanOp {
    Equal,
    Insert,
    Delete,
}

/// A run of text inside a block: kept, inserted or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Span {
    pub op: SpanOp,
    pub text: String,
}

/// One block of the comparison, in reading order of the new version (removed
/// blocks sit where they used to be).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BlockDiff {
    pub op: BlockOp,
    /// 0-based position in the old version's blocks.
    pub old_index: Option<usize>,
    /// 0-based position in the new version's blocks.
    pub new_index: Option<usize>,
    pub kind: BlockKind,
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    /// For `Moved`: the words changed as well.
    pub edited: bool,
    /// The block as runs: inline changes for edited blocks, one run otherwise
    /// (`Equal` for unchanged/moved, `Insert` for added, `Delete` for removed).
    pub spans: Vec<Span>,
}

/// A quotation whose words or attribution changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuoteChange {
    /// The speaker as the new version attributes the quote.
    pub speaker: Option<String>,
    /// The speaker as the old version attributed it (differs when the attribution changed).
    pub old_speaker: Option<String>,
    pub from: String,
    pub to: String,
}

/// A figure revised inside an edited paragraph ("30,000" → "10,000").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NumberChange {
    pub from: String,
    pub to: String,
}

/// The one-glance account of a revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Summary {
    pub headline: Option<TextChange>,
    pub byline: Option<TextChange>,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
    /// Blocks whose words changed, wherever they are (moved-and-edited included).
    pub paragraphs_edited: usize,
    /// Blocks that changed place (moved-and-edited included).
    pub paragraphs_moved: usize,
    pub quotes_altered: Vec<QuoteChange>,
    pub numbers_changed: Vec<NumberChange>,
    /// Correction, clarification and update notices that the new version added.
    pub corrections: Vec<String>,
}

impl Summary {
    /// Nothing a reader would notice changed.
    pub fn is_empty(&self) -> bool {
        self.headline.is_none()
            && self.byline.is_none()
            && self.paragraphs_added == 0
            && self.paragraphs_removed == 0
            && self.paragraphs_edited == 0
            && self.paragraphs_moved == 0
            && self.quotes_altered.is_empty()
            && self.numbers_changed.is_empty()
            && self.corrections.is_empty()
    }
}

/// The comparison of two versions of an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Diff {
    pub title: Option<TextChange>,
    pub byline: Option<TextChange>,
    pub blocks: Vec<BlockDiff>,
    pub summary: Summary,
}

impl Diff {
    /// True when every block is unchanged and the metadata is the same.
    pub fn is_empty(&self) -> bool {
        self.summary.is_empty()
    }
}

/// Compares two articles block by block (see the module docs). Texts are
/// compared in their normalised form, so whitespace, NBSP or curly quotes
/// alone never count as a change.
pub fn diff_articles(old: &Article, new: &Article) -> Diff {
    let title = text_change(&old.title, &new.title);
    let byline = text_change(
        old.byline.as_deref().unwrap_or(""),
        new.byline.as_deref().unwrap_or(""),
    );
    let blocks = align::align(&old.blocks, &new.blocks);
    let summary = summary::summarize(old, new, &blocks, title.clone(), byline.clone());
    Diff {
        title,
        byline,
        blocks,
        summary,
    }
}

/// The word-level changes between two passages (characters for Chinese and
/// Japanese), exactly as a paragraph pair shows them in a compare; a cited
/// passage that changed is shown with the same markup.
pub fn passage_spans(old: &str, new: &str) -> Vec<Span> {
    inline::spans(old, new)
}

fn text_change(from: &str, to: &str) -> Option<TextChange> {
    (normalize(from) != normalize(to)).then(|| TextChange {
        from: from.to_string(),
        to: to.to_string(),
    })
}
