//! Fetching a page over http(s) with hard limits. Clipped pages are hostile:
//! every request is bounded in time, size (after decompression), redirects and schemes.
//!
//! INTERFACE OWNED BY THE FETCH WORK — bodies to be implemented.

use std::time::Duration;

/// Bounds on one fetch.
#[derive(Clone, Debug)]
pub struct FetchLimits {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    /// Cap on the body *after* decompression.
    pub max_bytes: u64,
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 10,
        }
    }
}

/// Validators from an earlier capture, sent as If-None-Match / If-Modified-Since.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful response (2xx, or 304 when `not_modified`).
#[derive(Clone, Debug)]
pub struct Fetched {
    pub requested_url: String,
    pub final_url: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub not_modified: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not a valid URL: {0}")]
    InvalidUrl(String),
    #[error("only http and https URLs can be clipped, not {0}")]
    UnsupportedScheme(String),
}

impl FetchError {
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid_url",
            FetchError::UnsupportedScheme(_) => "unsupported_scheme",
        }
    }

    /// The HTTP status, when the failure was an HTTP answer (404, 500, …).
    pub fn http_status(&self) -> Option<u16> {
        None
    }
}

/// A reusable HTTP client with fixed limits.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub limits: FetchLimits,
}

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Self, FetchError> {
        Ok(Fetcher { limits })
    }

    pub async fn get(&self, _url: &str, _validators: &Validators) -> Result<Fetched, FetchError> {
        unimplemented!("fetch work")
    }
}
