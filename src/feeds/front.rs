//! Section fronts as feeds: the links of a page such as
//! `https://www.yna.co.kr/nk/index` that lead to articles on the same site
//! under a path prefix (`/view/`). The links new since the last poll are the
//! new items; navigation, other sections and other sites are not.

use std::collections::HashSet;

use url::Url;

use super::sitemap::site_of;
use super::{Item, Listing};
use crate::address;
use crate::charset;
use crate::error::{Error, Result};

/// Most links read from one front: a front lists dozens, a link farm millions.
pub const MAX_FRONT_LINKS: usize = 2_000;

/// The article links of a front page served from `page_url`, in page order.
pub fn parse_front(
    bytes: &[u8],
    content_type: Option<&str>,
    page_url: &str,
    path_prefix: &str,
) -> Result<Listing> {
    let page = address::parse_clip_url(page_url)?;
    let decoded = charset::decode_html(bytes, content_type, Some(page_url));
    let doc = dom_query::Document::from(decoded.text.as_str());
    let title = doc.select("title").text().trim().to_string();
    let site = site_of(&page);
    let prefix = if path_prefix.trim().is_empty() {
        "/"
    } else {
        path_prefix.trim()
    };
    let own = address::url_key(&page);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for a in doc.select("a[href]").nodes() {
        if items.len() >= MAX_FRONT_LINKS {
            break;
        }
        let Some(href) = a.attr("href") else { continue };
        let Ok(mut url) = page.join(href.trim()) else {
            continue;
        };
        url.set_fragment(None);
        if !matches!(url.scheme(), "http" | "https") || site_of(&url) != site {
            continue;
        }
        // The prefix itself (the section's index) is not an article.
        let path = url.path();
        if !path.starts_with(prefix) || path.trim_end_matches('/') == prefix.trim_end_matches('/') {
            continue;
        }
        let key = address::url_key(&url);
        if key == own || !seen.insert(key) {
            continue;
        }
        let text = a.text().split_whitespace().collect::<Vec<_>>().join(" ");
        items.push(item(url, text));
    }
    if items.is_empty() && !decoded.text.to_ascii_lowercase().contains("<a") {
        return Err(Error::Feed(format!(
            "{page_url} has no links to follow (is it a web page?)"
        )));
    }
    Ok(Listing {
        title: (!title.is_empty()).then_some(title),
        items,
    })
}

fn item(url: Url, text: String) -> Item {
    Item {
        guid: url.to_string(),
        url: Some(url.to_string()),
        title: (!text.is_empty()).then_some(text),
        ..Item::default()
    }
}
