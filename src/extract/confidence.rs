//! Whether an extraction may have missed the article, said out loud: an
//! empty body, a body far shorter than the page's own paragraphs, or a body
//! that is mostly link text (a menu or a list of other stories) exits 0 like
//! a good one, so the reporter must be told.

use serde::{Deserialize, Serialize};

/// Why an extraction is flagged as low-confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LowConfidence {
    /// The page has text but no body was found.
    Empty,
    /// The body holds under a third of the text in the page's paragraphs.
    ShortOfPage,
    /// Most of the body is the text of links.
    MostlyLinks,
}

impl LowConfidence {
    /// The stored form (`versions.low_confidence`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            LowConfidence::Empty => "empty",
            LowConfidence::ShortOfPage => "shortOfPage",
            LowConfidence::MostlyLinks => "mostlyLinks",
        }
    }

    /// Reads the stored form; anything else is no flag.
    pub fn parse(s: &str) -> Option<Self> {
        [
            LowConfidence::Empty,
            LowConfidence::ShortOfPage,
            LowConfidence::MostlyLinks,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    /// One line for a reporter.
    pub fn message(self) -> &'static str {
        match self {
            LowConfidence::Empty => "no article body was found on this page",
            LowConfidence::ShortOfPage => {
                "the extracted text is far shorter than the page's own paragraphs; part of the article may be missing"
            }
            LowConfidence::MostlyLinks => {
                "the extracted text is mostly links; it may be a menu or a list of other stories"
            }
        }
    }
}

/// Page paragraph text (in width units) under which a short body is not
/// suspicious: a brief on a small page.
const MIN_PAGE_PARAGRAPHS: usize = 600;

/// Judges a body of `body` width units, `links` of them link text, found on
/// a page whose paragraphs hold `page` units.
pub(super) fn judge(body: usize, links: usize, page: usize) -> Option<LowConfidence> {
    if body == 0 {
        Some(LowConfidence::Empty)
    } else if links * 2 > body {
        Some(LowConfidence::MostlyLinks)
    } else if page >= MIN_PAGE_PARAGRAPHS && body * 3 < page {
        Some(LowConfidence::ShortOfPage)
    } else {
        None
    }
}
