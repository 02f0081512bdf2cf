//! What the browser extension does to a library (through the native
//! messaging host, [`crate::browser`]): clip the page as rendered, highlight
//! the reporter's selection on it, and ask whether a page is already here.

use serde::{Deserialize, Serialize};

use super::Notebook;
use crate::address;
use crate::clip::{ClipInput, ClipOutcome};
use crate::error::{Error, Result};
use crate::highlights::Highlight;
use crate::versions::{self, BrowserProvenance};

/// A page as the reporter's browser rendered it.
#[derive(Clone, Debug)]
pub struct RenderedPage {
    /// The DOM serialised after the page's scripts ran (UTF-8 HTML).
    pub dom: Vec<u8>,
    /// The tab's address.
    pub url: String,
    /// The text the reporter had selected, if any: highlighted on the version.
    pub selection: Option<String>,
    pub provenance: BrowserProvenance,
}

/// A browser clip: the clip, and what became of the selection.
#[derive(Debug)]
pub struct BrowserClip {
    pub clip: ClipOutcome,
    /// None when nothing was selected.
    pub selection: Option<SelectionResult>,
}

/// What became of a selection sent with a clip. The capture is kept either way.
#[derive(Debug)]
pub enum SelectionResult {
    Highlighted(Highlight),
    /// The selected text is not in the extracted article (it was page
    /// furniture: a caption the extractor dropped, a menu, an advert).
    NotFound,
    /// The highlight could not be stored.
    Failed(Error),
}

/// Whether a page is in the library, for the extension's badge and for
/// capture on visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PageStatus {
    pub source_id: i64,
    pub title: String,
    pub version_count: i64,
    /// The number of the latest version (0 when every capture failed).
    pub latest_seq: i64,
    /// Watched sources are captured whenever the reporter visits them.
    pub watched: bool,
    /// The newest version the reporter opened in the app (None: never opened).
    pub last_viewed_seq: Option<i64>,
    /// A version newer than the one the reporter last opened exists.
    pub changed_since_viewed: bool,
}

impl Notebook {
    /// Clips a page as the browser rendered it (method `browser`), through
    /// the same extraction and version chain as a fetch, then highlights the
    /// selection on the version the source now stands at (new or unchanged).
    pub async fn clip_rendered(&self, page: RenderedPage) -> Result<BrowserClip> {
        let clip = self
            .clip(ClipInput::Rendered {
                dom: page.dom,
                url: page.url,
                provenance: page.provenance,
            })
            .await?;
        let selection = match page.selection.filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(quote) => Some(self.highlight_quote(clip.version_id, &quote).await),
        };
        Ok(BrowserClip { clip, selection })
    }

    /// Highlights the first place `quote` occurs in a version, whitespace
    /// runs compared as one space.
    async fn highlight_quote(&self, version_id: i64, quote: &str) -> SelectionResult {
        let version = match self.version(version_id).await {
            Ok(v) => v,
            Err(e) => return SelectionResult::Failed(e),
        };
        let Some((start, end)) = find_quote(&version.text, quote) else {
            return SelectionResult::NotFound;
        };
        match self.highlight(version_id, start, end, "", "").await {
            Ok(h) => SelectionResult::Highlighted(h),
            Err(e) => SelectionResult::Failed(e),
        }
    }

    /// The library's source for `url` (matched as a clip would file it), if any.
    pub async fn lookup_url(&self, url: &str) -> Result<Option<PageStatus>> {
        let key = address::url_key(&address::parse_clip_url(url)?);
        self.read(async |c| {
            let Some(id) = versions::find_source_by_key(c, &key).await? else {
                return Ok(None);
            };
            let source = versions::get_source(c, id).await?;
            let latest_seq = match source.latest_version_id {
                Some(v) => versions::get_version(c, v).await?.seq,
                None => 0,
            };
            let last_viewed_seq = match source.last_viewed_version_id {
                Some(v) => Some(versions::get_version(c, v).await?.seq),
                None => None,
            };
            Ok(Some(PageStatus {
                source_id: id,
                title: source.title,
                version_count: source.version_count,
                latest_seq,
                watched: source.watched,
                last_viewed_seq,
                changed_since_viewed: last_viewed_seq.is_some_and(|seen| latest_seq > seen),
            }))
        })
        .await
    }

    /// Who sent a capture, if the browser extension did.
    pub async fn browser_provenance(&self, capture_id: i64) -> Result<Option<BrowserProvenance>> {
        self.read(async |c| versions::browser_provenance(c, capture_id).await)
            .await
    }
}

/// Where `quote` first occurs in `text`, as char offsets `start..end`,
/// comparing every run of whitespace as one space: a selection across
/// paragraphs reads "\n" (or "\n\n\n") where the version text has "\n\n",
/// and a non-breaking space in the page is a plain one in the selection.
fn find_quote(text: &str, quote: &str) -> Option<(usize, usize)> {
    let needle = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if needle.is_empty() {
        return None;
    }
    // `text` with whitespace runs folded, and where each of its chars came from.
    let mut flat = String::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            if !in_space {
                flat.push(' ');
                from.push(i);
            }
            in_space = true;
        } else {
            flat.push(c);
            from.push(i);
            in_space = false;
        }
    }
    let at = flat.find(&needle)?;
    let first = flat[..at].chars().count();
    let last = first + needle.chars().count() - 1;
    Some((from[first], from[last] + 1))
}

#[cfg(test)]
mod tests {
    use super::find_quote;

    #[test]
    fn a_selection_across_paragraphs_finds_the_joined_text() {
        let text = "Первый абзац.\n\nВторой\u{a0}абзац, и ещё.";
        let (s, e) = find_quote(text, "абзац.\nВторой абзац").unwrap();
        let got: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "абзац.\n\nВторой\u{a0}абзац");
    }

    #[test]
    fn text_not_in_the_article_is_not_found() {
        assert_eq!(find_quote("The minister resigned.", "Subscribe now"), None);
        assert_eq!(find_quote("The minister resigned.", "  \n "), None);
    }
}
