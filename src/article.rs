//! What extraction produces and a version stores: an article's metadata and
//! its body as ordered blocks.

use serde::{Deserialize, Serialize};

/// Writing direction of the article's script. Arabic, Hebrew, Persian and Urdu are `Rtl`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Dir {
    #[default]
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s.eq_ignore_ascii_case("rtl") {
            Dir::Rtl
        } else {
            Dir::Ltr
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum BlockKind {
    Paragraph,
    Heading,
}

/// One paragraph or heading of an article body, as plain text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }

    pub fn heading(text: impl Into<String>) -> Self {
        Block {
            kind: BlockKind::Heading,
            text: text.into(),
        }
    }
}

/// A readable article: the result of extraction, the content of a version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Article {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    /// BCP 47 language tag as declared or detected ("en", "ko", "ar").
    pub lang: Option<String>,
    pub dir: Dir,
    /// RFC 3339 where the page gave a parseable time, else the page's own string.
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub excerpt: Option<String>,
    /// `<link rel=canonical>` / `og:url` as declared by the page, absolute.
    pub canonical_url: Option<String>,
    pub blocks: Vec<Block>,
}

/// Separator between blocks in a version's text; offsets of highlights and
/// quotes count chars in the joined text.
pub const BLOCK_SEPARATOR: &str = "\n\n";

impl Article {
    /// The body as one string, blocks joined by [`BLOCK_SEPARATOR`].
    pub fn text(&self) -> String {
        join_blocks(&self.blocks)
    }
}

pub fn join_blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str(BLOCK_SEPARATOR);
        }
        out.push_str(&b.text);
    }
    out
}
