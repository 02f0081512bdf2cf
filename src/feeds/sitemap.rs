//! News sitemaps: a `<urlset>` whose `<url>` entries carry the news
//! extension (`<news:title>`, `<news:publication_date>`, `<news:language>`).
//! Plain sitemap entries count too (their `<loc>` and `<lastmod>`), limited
//! to the sitemap's own site so a sitemap cannot point Redline elsewhere.

use quick_xml::events::Event;
use quick_xml::Reader;
use url::Url;

use super::parse::{absolute, without_xml_declaration};
use super::{Item, Listing};
use crate::charset;
use crate::error::{Error, Result};

/// Parses a (news) sitemap served from `sitemap_url`.
pub fn parse_sitemap(
    bytes: &[u8],
    content_type: Option<&str>,
    sitemap_url: &str,
) -> Result<Listing> {
    let decoded = charset::decode_xml(bytes, content_type, Some(sitemap_url));
    let base = Url::parse(sitemap_url).ok();
    let site = base.as_ref().and_then(site_of);
    let mut reader = Reader::from_str(without_xml_declaration(&decoded.text));
    let mut path: Vec<String> = Vec::new();
    let mut items = Vec::new();
    let mut current: Option<Item> = None;
    let mut text = String::new();
    let mut saw_urlset = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Error::Feed(format!("{sitemap_url}: not well-formed XML: {e}")))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                match name.as_str() {
                    "urlset" => saw_urlset = true,
                    "url" => current = Some(Item::default()),
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    text.push_str(s);
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or_default();
                let value = text.trim().to_string();
                text.clear();
                if name == "url" {
                    if let Some(item) = current.take() {
                        let same_site = item
                            .url
                            .as_deref()
                            .and_then(|u| Url::parse(u).ok())
                            .and_then(|u| site_of(&u));
                        if item.url.is_some() && same_site == site {
                            items.push(item);
                        }
                    }
                    continue;
                }
                let Some(item) = current.as_mut() else {
                    continue;
                };
                match (parent, name.as_str()) {
                    ("url", "loc") => {
                        item.url = absolute(base.as_ref(), &value);
                        item.guid = item.url.clone().unwrap_or_default();
                    }
                    ("url", "lastmod") if item.published_at.is_none() => {
                        item.published_at = crate::time::parse(&value);
                    }
                    ("news", "title") if !value.is_empty() => item.title = Some(value),
                    ("news", "publication_date") => {
                        item.published_at = crate::time::parse(&value).or(item.published_at);
                    }
                    ("publication", "language") if !value.is_empty() => item.lang = Some(value),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_urlset {
        return Err(Error::Feed(format!(
            "{sitemap_url} is not a sitemap (no <urlset>)"
        )));
    }
    Ok(Listing { title: None, items })
}

/// The site a URL belongs to: its host without `www.`, lower-case.
pub(crate) fn site_of(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}
