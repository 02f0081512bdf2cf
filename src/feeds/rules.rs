//! A feed's rules: which new items are clipped, and where they go.
//!
//! A query is written in the search language ([`crate::search::parse`]) and
//! matched with search's language-aware forms, first against the item's
//! title and summary, then (when those do not match) against the story's
//! extracted text: a wire item titled "Pyongyang fires missile" matches
//! "North Korea" only once its text is read.

use serde::{Deserialize, Serialize};

use super::Item;
use crate::error::Result;
use crate::search::{self, MatchText, ParsedQuery};

/// What happens to a feed's new items.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FeedRules {
    /// Clip new items (else they are only listed for triage).
    pub auto_clip: bool,
    /// Clip only items matching this search query; None clips every item.
    pub query: Option<String>,
    /// Put clipped items into this project.
    pub project_id: Option<i64>,
    /// Tag clipped items.
    pub tags: Vec<String>,
    /// Watch clipped items (re-checked on the decaying schedule).
    pub watch_items: bool,
}

impl FeedRules {
    /// Refuses a query the search language cannot parse, with search's message.
    pub fn validate(&self) -> Result<()> {
        self.matcher().map(|_| ())
    }

    /// The parsed query, if the rules have one.
    pub fn matcher(&self) -> Result<Option<ParsedQuery>> {
        match self.query.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(q) => Ok(Some(search::parse(q)?)),
        }
    }
}

/// Whether an item's listing (title and summary) decides the rule: Some(true)
/// when it matches or there is no query, None when only the text can tell.
pub fn listing_matches(query: Option<&ParsedQuery>, item: &Item) -> Option<bool> {
    let Some(q) = query else {
        return Some(true);
    };
    q.matches_in(&MatchText::new(&listing_text(item), item.lang.as_deref()))
        .then_some(true)
}

/// Whether the story's text (with its listing) matches the query.
pub fn text_matches(query: &ParsedQuery, item: &Item, text: &str, lang: Option<&str>) -> bool {
    let all = format!("{}\n{}", listing_text(item), text);
    query.matches_in(&MatchText::new(&all, lang.or(item.lang.as_deref())))
}

fn listing_text(item: &Item) -> String {
    [item.title.as_deref(), item.summary.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
}
