//! Feed autodiscovery: the feeds a page announces in its head with
//! `<link rel="alternate" type="application/rss+xml" href="…">` (Atom, RDF
//! and JSON Feed types too), resolved against the page's address.

use url::Url;

use super::FeedKind;

/// A feed a page announces.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiscoveredFeed {
    pub url: String,
    pub title: Option<String>,
    pub kind: FeedKind,
    /// The announced type (`application/rss+xml`, …).
    pub media_type: String,
}

const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
];

/// The feeds announced by an HTML page served from `page_url`, in page order,
/// each once.
pub fn discover(html: &str, page_url: &str) -> Vec<DiscoveredFeed> {
    let Ok(base) = Url::parse(page_url) else {
        return Vec::new();
    };
    let doc = dom_query::Document::from(html);
    let mut out: Vec<DiscoveredFeed> = Vec::new();
    for link in doc.select("link[rel][href]").nodes() {
        let rel = link.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let media = link
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let media = media
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if !FEED_TYPES.contains(&media.as_str()) {
            continue;
        }
        let Some(href) = link.attr("href") else {
            continue;
        };
        let Some(url) = super::parse::absolute(Some(&base), &href) else {
            continue;
        };
        if out.iter().any(|f| f.url == url) {
            continue;
        }
        let title = link
            .attr("title")
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        out.push(DiscoveredFeed {
            url,
            title,
            kind: FeedKind::Feed,
            media_type: media,
        });
    }
    out
}
