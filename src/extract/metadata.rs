//! What the page declares about itself: JSON-LD, OpenGraph and `<meta>`
//! tags, `<title>`, `<html lang dir>`, the canonical link, and the byline.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

use crate::article::{Block, Dir};
use crate::normalize::is_noise_line;

use super::{collapse_ws, decode_entities};

/// Metadata read from the untouched page before extraction mutates it.
#[derive(Default)]
pub(super) struct PageMeta {
    /// `<meta>` values by lower-case property/name/itemprop/http-equiv; first wins.
    pub(super) tags: HashMap<String, String>,
    /// The JSON-LD object describing the article, if any.
    pub(super) ld: Option<Value>,
    pub(super) title: Option<String>,
    pub(super) html_lang: Option<String>,
    pub(super) dir: Option<String>,
    pub(super) canonical: Option<String>,
    pub(super) rel_author: Option<String>,
    /// The headline as printed: the article's `<h1>`, else the page's first.
    pub(super) h1: Option<String>,
}

impl PageMeta {
    pub(super) fn read(doc: &Document) -> Self {
        let mut meta = PageMeta::default();
        for node in doc.select("meta").nodes() {
            let Some(content) = node.attr("content") else {
                continue;
            };
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(k) = node.attr(key) {
                    let k = k.trim().to_ascii_lowercase();
                    meta.tags.entry(k).or_insert_with(|| content.to_string());
                }
            }
        }
        for node in doc.select("script[type='application/ld+json']").nodes() {
            if meta.ld.is_some() {
                break;
            }
            let text = node.text();
            let text = text
                .trim()
                .trim_start_matches("<![CDATA[")
                .trim_end_matches("]]>");
            if let Ok(v) = serde_json::from_str::<Value>(text) {
                meta.ld = find_article_ld(v);
            }
        }
        let title = doc.select("head title");
        let title = if title.is_empty() {
            doc.select("title")
        } else {
            title
        };
        meta.title = title
            .nodes()
            .first()
            .map(|n| collapse_ws(&n.text()))
            .filter(|t| !t.is_empty());
        let html = doc.select("html");
        meta.html_lang = html
            .attr("lang")
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
        meta.dir = html
            .attr("dir")
            .or_else(|| doc.select("body").attr("dir"))
            .map(|d| d.trim().to_ascii_lowercase());
        meta.canonical = doc
            .select("link[rel~='canonical']")
            .attr("href")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty());
        let h1 = doc.select("article h1, main h1");
        let h1 = if h1.is_empty() { doc.select("h1") } else { h1 };
        meta.h1 = h1
            .nodes()
            .first()
            .map(|n| collapse_ws(&n.text()))
            .filter(|t| !t.is_empty());
        meta.rel_author = doc
            .select("a[rel~='author']")
            .nodes()
            .first()
            .map(|n| collapse_ws(&n.text()))
            .filter(|a| !a.is_empty());
        meta
    }

    pub(super) fn tag(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.tags.get(*k))
            .map(|v| decode_entities(v))
    }

    /// The first string found at one of the dotted paths of the JSON-LD article.
    pub(super) fn ld_str(&self, paths: &[&str]) -> Option<String> {
        let ld = self.ld.as_ref()?;
        paths.iter().find_map(|p| {
            let mut v = ld;
            for key in p.split('.') {
                v = match v {
                    Value::Array(items) => items.first()?.get(key)?,
                    _ => v.get(key)?,
                };
            }
            let v = match v {
                Value::Array(items) => items.first()?,
                v => v,
            };
            v.as_str()
                .map(|s| decode_entities(s.trim()))
                .filter(|s| !s.is_empty())
        })
    }

    /// JSON-LD `author` names joined with ", " (strings, objects or arrays).
    pub(super) fn ld_authors(&self) -> Option<String> {
        let author = self.ld.as_ref()?.get("author")?;
        let items = match author {
            Value::Array(items) => items.iter().collect(),
            v => vec![v],
        };
        let names: Vec<String> = items
            .into_iter()
            .filter_map(|a| match a {
                Value::String(s) => Some(s.clone()),
                Value::Object(_) => a.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .map(|n| collapse_ws(&n))
            .filter(|n| !n.is_empty() && url::Url::parse(n).is_err())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }
}

/// Finds the object whose `@type` names an article, searching arrays and `@graph`.
pub(super) fn find_article_ld(v: Value) -> Option<Value> {
    match v {
        Value::Array(items) => items.into_iter().find_map(find_article_ld),
        Value::Object(mut map) => {
            if is_article_type(map.get("@type")) {
                return Some(Value::Object(map));
            }
            map.remove("@graph").and_then(find_article_ld)
        }
        _ => None,
    }
}

pub(super) fn is_article_type(t: Option<&Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "LiveBlogPosting" | "Report" | "SocialMediaPosting"
            )
    };
    match t {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

/// Takes a "By …" line off the first blocks; it is metadata, not body text.
pub(super) fn take_by_line(blocks: &mut Vec<Block>) -> Option<String> {
    let pos = blocks.iter().take(3).position(|b| {
        let t = b.text.trim();
        t.chars().count() <= 120
            && (t.starts_with("By ") || t.starts_with("BY "))
            && t[3..].chars().next().is_some_and(char::is_uppercase)
    })?;
    Some(blocks.remove(pos).text)
}

/// "By Jane Doe and Min-ji Park · Updated 5 minutes ago" → "Jane Doe and Min-ji Park".
pub(super) fn clean_byline(b: &str) -> String {
    let b = collapse_ws(b);
    let b = b
        .split(['·', '|', '•'])
        .map(str::trim)
        .filter(|part| !part.is_empty() && !is_noise_line(part))
        .collect::<Vec<_>>()
        .join(" · ");
    let rest = b
        .strip_prefix("By ")
        .or_else(|| b.strip_prefix("by "))
        .or_else(|| b.strip_prefix("BY "))
        .unwrap_or(&b);
    rest.trim().trim_end_matches([',', ';']).trim().to_string()
}

/// Strips the site's name from the end of a title ("… | Site", "…_新华网",
/// "…｜東洋通信"), or a short tail after " | " when the site is unknown.
pub(super) fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    const SEPARATORS: &[char] = &['|', '｜', '-', '–', '—', '_', ':', '·', '«', '»', '/'];
    if let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(head) = title.strip_suffix(site) {
            let head = head.trim_end();
            if let Some(head) = head.strip_suffix(SEPARATORS) {
                let head = head.trim_end();
                if !head.is_empty() {
                    return head.to_string();
                }
            }
        }
    }
    if let Some((head, tail)) = title.rsplit_once(" | ") {
        let head = head.trim();
        if !head.is_empty()
            && tail.chars().count() <= 30
            && head.chars().count() > tail.chars().count()
        {
            return head.to_string();
        }
    }
    title.to_string()
}

/// Rtl when most letters are Hebrew, Arabic, Syriac, Thaana or N'Ko script
/// (Arabic script covers Persian and Urdu).
pub(super) fn script_dir(title: &str, blocks: &[Block]) -> Dir {
    let (mut rtl, mut all) = (0usize, 0usize);
    for text in std::iter::once(title).chain(blocks.iter().map(|b| b.text.as_str())) {
        // ASCII letters are never right-to-left: counted by the byte, so an
        // English page is not decoded character by character.
        if text.is_ascii() {
            all += text.bytes().filter(u8::is_ascii_alphabetic).count();
            continue;
        }
        for c in text.chars().filter(|&c| crate::script::is_alphabetic(c)) {
            all += 1;
            rtl += usize::from(crate::script::is_rtl(c));
        }
    }
    if all > 0 && rtl * 2 > all {
        Dir::Rtl
    } else {
        Dir::Ltr
    }
}

/// RFC 3339 UTC when the page's time is parseable with a zone, else the
/// page's own string (a time without a zone cannot honestly be made UTC).
pub(super) fn normalize_time(s: &str) -> String {
    use chrono::{DateTime, Utc};
    let s = s.trim();
    if let Some(t) = crate::time::parse(s) {
        return crate::time::format(t);
    }
    let parsed = DateTime::parse_from_rfc2822(s).ok().or_else(|| {
        [
            "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%d %H:%M:%S %z",
            "%Y-%m-%dT%H:%M:%S%.f%z",
        ]
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
    });
    match parsed {
        Some(t) => crate::time::format(t.with_timezone(&Utc)),
        None => s.to_string(),
    }
}

pub(super) fn absolute_url(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    let u = match base {
        Some(b) => b.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::script_dir;
    use crate::article::{Block, Dir};

    #[test]
    fn direction_is_the_script_of_most_letters_whatever_the_ascii() {
        let arabic = Block::paragraph("قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل");
        // An ASCII title and figures do not outweigh an Arabic story.
        assert_eq!(
            script_dir("UN talks: 3,400 (12%)", std::slice::from_ref(&arabic)),
            Dir::Rtl
        );
        let english =
            Block::paragraph("The foreign minister said talks would resume next week in Geneva");
        // An English story quoting a line of Arabic stays left to right.
        assert_eq!(
            script_dir("Talks to resume", &[english.clone(), arabic.clone()]),
            Dir::Ltr
        );
        // Exactly half is not most.
        assert_eq!(script_dir("", &[Block::paragraph("abc שלו")]), Dir::Ltr);
        assert_eq!(script_dir("", &[Block::paragraph("ab שלום")]), Dir::Rtl);
        // Digits and punctuation are not letters, in either script.
        assert_eq!(
            script_dir("2026 — ١٢٣", &[Block::paragraph("שלום 123 !!!")]),
            Dir::Rtl
        );
        assert_eq!(script_dir("", &[]), Dir::Ltr);
    }
}
