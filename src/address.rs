//! Which URLs may be clipped, and the key that recognises the same story again.
//!
//! The key folds what does not change the story: the scheme (`http` and
//! `https` serve the same article), a leading `www.`, a trailing slash (except
//! the root), the fragment, credentials, default ports and tracking
//! parameters. Real parameters (`?id=123`, `?page=2`) are kept in their
//! original order and spelling, because they do pick a different page.
//!
//! ```
//! use redline::address::{parse_clip_url, url_key};
//! let url = parse_clip_url("https://www.Example.com/world/story/?utm_source=tw&id=7#top").unwrap();
//! assert_eq!(url_key(&url), "example.com/world/story?id=7");
//! ```

use url::Url;

use crate::fetch_error::FetchError;

/// Parses a URL the reporter gave; only http(s) with a host is accepted, so a
/// clip can never read a local file (`file:`) or run script (`javascript:`).
pub fn parse_clip_url(s: &str) -> Result<Url, FetchError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(FetchError::InvalidUrl("(empty)".into()));
    }
    let url = Url::parse(trimmed).map_err(|_| FetchError::InvalidUrl(trimmed.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::UnsupportedScheme(other.to_string())),
    }
    match url.host_str() {
        Some(h) if !h.is_empty() => Ok(url),
        _ => Err(FetchError::InvalidUrl(trimmed.to_string())),
    }
}

/// Query parameters that only say how a reader arrived, never which page.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ocid",
    "cmpid",
    "ref_src",
    "ref_url",
    "smid",
    "smtyp",
    "wt.mc_id",
    "s_cid",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "rb_clickid",
    "__twitter_impression",
];

/// True when a query parameter name is a known tracking parameter.
pub fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

/// The normalised form two URLs of the same story share:
/// `host[:port]/path[?query]`, without the scheme (see the module doc).
pub fn url_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut key = String::with_capacity(url.as_str().len());
    key.push_str(host);
    // `Url::port` is None for the scheme's default port.
    if let Some(port) = url.port() {
        key.push(':');
        key.push_str(&port.to_string());
    }
    let path = url.path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    if path.is_empty() {
        key.push('/');
    } else {
        key.push_str(path);
    }
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let name = pair.split_once('=').map_or(*pair, |(n, _)| n);
                !is_tracking_param(name)
            })
            .collect();
        if !kept.is_empty() {
            key.push('?');
            key.push_str(&kept.join("&"));
        }
    }
    key
}
