//! Which URLs may be clipped, and the key that recognises the same story again.
//! (Interface stub; the fetch work implements it.)

use url::Url;

use crate::fetch::FetchError;

/// Parses a URL the reporter gave; only http(s) with a host is accepted.
pub fn parse_clip_url(s: &str) -> Result<Url, FetchError> {
    let url = Url::parse(s.trim()).map_err(|_| FetchError::InvalidUrl(s.to_string()))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(FetchError::UnsupportedScheme(other.to_string())),
    }
}

/// The normalised form two URLs of the same story share.
pub fn url_key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.to_string()
}
