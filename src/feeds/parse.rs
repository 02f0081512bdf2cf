//! Reading a feed's bytes into a [`Listing`]: RSS 0.9x/1.0 (RDF)/2.0, Atom
//! and JSON Feed through feed-rs, after Redline's own charset decoding (so a
//! windows-1251 feed labelled only in its HTTP header reads right), with
//! every link resolved against the feed's URL.

use url::Url;

use super::{Item, Listing};
use crate::charset;
use crate::error::{Error, Result};

/// Parses a feed served with `content_type` from `feed_url`.
pub fn parse_feed(bytes: &[u8], content_type: Option<&str>, feed_url: &str) -> Result<Listing> {
    let decoded = charset::decode_xml(bytes, content_type, Some(feed_url));
    let text = without_xml_declaration(&decoded.text);
    let base = Url::parse(feed_url).ok();
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url))
        .build()
        .parse(text.as_bytes())
        .map_err(|e| Error::Feed(format!("{feed_url}: {e}")))?;
    let feed_lang = feed.language.clone();
    let items = feed
        .entries
        .into_iter()
        .map(|e| {
            let url = e
                .links
                .iter()
                .filter(|l| {
                    l.rel.as_deref().is_none_or(|r| r == "alternate")
                        && l.media_type.as_deref().is_none_or(|m| m.contains("html"))
                })
                .chain(e.links.iter())
                .find_map(|l| absolute(base.as_ref(), &l.href))
                .or_else(|| absolute(base.as_ref(), &e.id));
            let summary = e.summary.as_ref().map(|t| plain(&t.content));
            let content = e.content.as_ref().and_then(|c| c.body.clone());
            Item {
                guid: if e.id.trim().is_empty() {
                    url.clone().unwrap_or_default()
                } else {
                    e.id.trim().to_string()
                },
                url,
                title: e
                    .title
                    .as_ref()
                    .map(|t| plain(&t.content))
                    .filter(|t| !t.is_empty()),
                summary: summary.filter(|s| !s.is_empty()),
                content,
                published_at: e.published.or(e.updated),
                lang: e.language.clone().or_else(|| feed_lang.clone()),
            }
        })
        .filter(|i| !i.guid.is_empty())
        .collect();
    Ok(Listing {
        title: feed
            .title
            .map(|t| plain(&t.content))
            .filter(|t| !t.is_empty()),
        items,
    })
}

/// The text after an `<?xml …?>` declaration: the bytes are UTF-8 now, and
/// a leftover `encoding="windows-1251"` would make the XML reader decode twice.
pub(crate) fn without_xml_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<?xml") {
        if let Some(end) = trimmed.find("?>") {
            return &trimmed[end + 2..];
        }
    }
    trimmed
}

/// An http(s) URL for `href`, resolved against the feed's URL.
pub(crate) fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https")
        .then(|| url.host_str().is_some())
        .filter(|h| *h)
        .map(|_| url.to_string())
}

/// Plain text of a summary or title that may hold HTML (entities decoded,
/// tags dropped, whitespace collapsed).
pub(crate) fn plain(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        dom_query::Document::from(format!("<body>{s}</body>").as_str())
            .select("body")
            .text()
            .to_string()
    } else {
        s.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
