//! Fetching a page over http(s) with hard limits. Clipped pages are hostile:
//! every request is bounded in time, size (after decompression), redirects and
//! schemes, and anything that is not a readable web page is refused before its
//! body is read.
//!
//! Redirects are followed here, one hop at a time, rather than by reqwest, so
//! each hop's target is checked (http(s) only) and a loop ends as "too many
//! redirects" with a message a reporter understands.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use url::Url;

use crate::address::parse_clip_url;
pub use crate::fetch_error::FetchError;

/// Bounds on one fetch.
#[derive(Clone, Debug)]
pub struct FetchLimits {
    /// Time to open the TCP/TLS connection to one server.
    pub connect_timeout: Duration,
    /// Time for the whole fetch, every redirect and the whole body included.
    pub total_timeout: Duration,
    /// Longest silence while the body is arriving, so a stalled body fails
    /// well before the total timeout would end it.
    pub read_timeout: Duration,
    /// Cap on the body *after* decompression.
    pub max_bytes: u64,
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(15),
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
    /// The URL that answered, after every redirect.
    pub final_url: String,
    pub status: u16,
    /// For a 304 these fall back to the validators that were sent, so the next
    /// check can still ask conditionally.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The Content-Type header as served; for a page served without one and
    /// sniffed as text, None.
    pub content_type: Option<String>,
    /// The body, decompressed. Empty for a 304.
    pub body: Vec<u8>,
    pub not_modified: bool,
    /// The request and response heads of the exchange that answered (the
    /// last hop); None when one was larger than [`HEAD_MAX`].
    pub heads: Option<HttpHeads>,
}

/// Longest request or response head kept with a capture: real heads are a
/// few KiB; a server that sends more is not kept verbatim (the WARC export
/// then rebuilds the head, and says so).
pub const HEAD_MAX: usize = 64 * 1024;

/// The HTTP heads of one exchange, kept as evidence beside the body so an
/// archive (WARC) can carry what was really said, each ending with the
/// blank line (`\r\n\r\n`), so head + body is the HTTP message.
///
/// reqwest does not expose the bytes on the wire, so these are rebuilt from
/// what it does expose, as close to the wire as it lets us see:
/// - the request: the request line, then the headers hyper sends, in its
///   order: ours (conditional headers), reqwest's defaults (Accept,
///   User-Agent, Accept-Language), the Accept-Encoding its decompressor adds
///   and the Host hyper adds. Names are lowercase, as hyper writes them.
///   Over HTTP/2 the host goes as `:authority`; it is written as `host`.
/// - the response: the status line with the HTTP version and the standard
///   reason phrase (hyper keeps a non-standard one out of reach), then every
///   header as received, lowercased by hyper, repeated names next to each
///   other. Where reqwest decoded a compressed body it has removed
///   Content-Encoding and Content-Length, which then no longer describe the
///   stored (decoded) body; the header that was last may have moved into
///   their place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpHeads {
    pub request: Vec<u8>,
    pub response: Vec<u8>,
}

/// What reqwest's decompressor asks for (tower-http, with the gzip, brotli
/// and deflate features this crate enables).
const ACCEPT_ENCODING: &str = "gzip,deflate,br";

/// What a HEAD request said about a page: its validators and length,
/// without its body.
#[derive(Clone, Debug)]
pub struct Head {
    pub url: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// Content-Length of the body as it would be sent.
    pub content_length: Option<u64>,
    /// The body would come encoded (gzip, br): its length says nothing
    /// about the page's own size.
    pub encoded: bool,
}

/// Served types that are readable pages. Anything else is refused before its
/// body is read; a missing type is decided by sniffing the bytes.
const PAGE_TYPES: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
];

/// Feeds are served under XML and JSON types as well as the page types.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/html",
    "text/plain",
];

pub(crate) const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; Redline/",
    env!("CARGO_PKG_VERSION"),
    "; research notebook)"
);
const ACCEPT: &str =
    "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8,*/*;q=0.1";
const ACCEPT_LANGUAGE: &str = "en-US,en;q=0.9,*;q=0.5";

/// The builder every HTTP client of Redline starts from. Trust is the
/// Mozilla roots compiled in (webpki-roots), never the system's store:
/// `object_store` (the team service's bucket) turns on reqwest's native
/// roots, and reading and parsing `/etc/ssl/certs` cost every process that
/// built a client 18 M instructions, two thirds of a `show`
/// (BENCHMARKS.md, "Start-up").
pub(crate) fn http_client() -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_built_in_native_certs(false)
}

/// A reusable HTTP client with fixed limits.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub limits: FetchLimits,
    /// Built on the first request: most commands hold a fetcher (through
    /// the notebook's clipper) and never fetch, and building one sets up
    /// TLS.
    client: Arc<OnceLock<reqwest::Client>>,
}

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Self, FetchError> {
        Ok(Fetcher {
            limits,
            client: Arc::default(),
        })
    }

    fn client(&self) -> Result<&reqwest::Client, FetchError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static(ACCEPT_LANGUAGE),
        );
        let client = http_client()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.limits.connect_timeout)
            .build()
            .map_err(|e| FetchError::Network {
                host: "(none)".into(),
                reason: e.to_string(),
            })?;
        // Two first requests at once may both build one; either will do.
        Ok(self.client.get_or_init(|| client))
    }

    /// Fetches `url`, following redirects within the limits. A 304 answer to
    /// the validators is a success with `not_modified`; every other non-2xx
    /// answer is an error.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        self.get_typed(url, validators, PAGE_TYPES).await
    }

    /// A HEAD request for `url`, redirects not followed (a page that moved
    /// is fetched in full), within the total time limit.
    pub async fn head(&self, url: &str) -> Result<Head, FetchError> {
        let url = parse_clip_url(url)?;
        let host = host_of(&url);
        let limit = self.limits.total_timeout;
        let sent = tokio::time::timeout(limit, self.client()?.head(url.clone()).send()).await;
        let response = match sent {
            Err(_) => return Err(FetchError::Timeout { host, limit }),
            Ok(Err(e)) => {
                return Err(FetchError::Network {
                    host,
                    reason: root_cause(&e),
                })
            }
            Ok(Ok(r)) => r,
        };
        let headers = response.headers();
        Ok(Head {
            url: url.to_string(),
            status: response.status().as_u16(),
            etag: header_text(headers, header::ETAG),
            last_modified: header_text(headers, header::LAST_MODIFIED),
            content_type: header_text(headers, header::CONTENT_TYPE),
            content_length: header_text(headers, header::CONTENT_LENGTH)
                .and_then(|v| v.trim().parse().ok()),
            encoded: header_text(headers, header::CONTENT_ENCODING)
                .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity")),
        })
    }

    /// [`Fetcher::get`] for an RSS, Atom or JSON feed: the same limits, but
    /// XML and JSON types are accepted too.
    pub async fn get_feed(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        self.get_typed(url, validators, FEED_TYPES).await
    }

    async fn get_typed(
        &self,
        url: &str,
        validators: &Validators,
        accepted: &[&str],
    ) -> Result<Fetched, FetchError> {
        let start = parse_clip_url(url)?;
        let host = host_of(&start);
        let limit = self.limits.total_timeout;
        match tokio::time::timeout(limit, self.follow(start, validators, accepted)).await {
            Ok(result) => result,
            // Name the host that was first asked: that is the one the reporter knows.
            Err(_) => Err(FetchError::Timeout { host, limit }),
        }
    }

    async fn follow(
        &self,
        start: Url,
        validators: &Validators,
        accepted: &[&str],
    ) -> Result<Fetched, FetchError> {
        let requested_url = start.to_string();
        let mut url = start;
        let mut hops = 0usize;
        loop {
            let response = self.send(&url, validators).await?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let Some(next) = redirect_target(&url, response.headers())? else {
                    return Err(FetchError::HttpStatus {
                        host: host_of(&url),
                        status: status.as_u16(),
                    });
                };
                hops += 1;
                if hops > self.limits.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        max: self.limits.max_redirects,
                    });
                }
                url = next;
                continue;
            }
            return self
                .finish(requested_url, url, response, validators, accepted)
                .await;
        }
    }

    async fn send(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<reqwest::Response, FetchError> {
        let mut request = self.client()?.get(url.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, lm);
        }
        request.send().await.map_err(|e| {
            let host = host_of(url);
            if e.is_connect() && e.is_timeout() {
                FetchError::ConnectTimeout {
                    host,
                    limit: self.limits.connect_timeout,
                }
            } else if e.is_timeout() {
                FetchError::Timeout {
                    host,
                    limit: self.limits.total_timeout,
                }
            } else {
                FetchError::Network {
                    host,
                    reason: root_cause(&e),
                }
            }
        })
    }

    async fn finish(
        &self,
        requested_url: String,
        url: Url,
        mut response: reqwest::Response,
        validators: &Validators,
        accepted: &[&str],
    ) -> Result<Fetched, FetchError> {
        let host = host_of(&url);
        let status = response.status();
        let headers = response.headers();
        let etag = header_text(headers, header::ETAG);
        let last_modified = header_text(headers, header::LAST_MODIFIED);
        let content_type = header_text(headers, header::CONTENT_TYPE);
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched {
                requested_url,
                final_url: url.to_string(),
                status: 304,
                etag: etag.or_else(|| validators.etag.clone()),
                last_modified: last_modified.or_else(|| validators.last_modified.clone()),
                content_type,
                body: Vec::new(),
                not_modified: true,
                heads: heads_of(&url, validators, &response),
            });
        }
        if !status.is_success() {
            return Err(FetchError::HttpStatus {
                host,
                status: status.as_u16(),
            });
        }
        if let Some(ct) = &content_type {
            let mime = mime_of(ct);
            if !accepted.contains(&mime.as_str()) {
                return Err(FetchError::UnsupportedType(mime));
            }
        }
        // Present only when the body is not being decompressed (the
        // decompressor removes it), so this is the size that will arrive.
        let declared =
            header_text(headers, header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.limits.max_bytes) {
            return Err(FetchError::TooLarge {
                limit: self.limits.max_bytes,
            });
        }
        let heads = heads_of(&url, validators, &response);
        let body = self.read_body(&mut response, &host, declared).await?;
        if content_type.is_none() {
            if let Some(kind) = sniff_binary(&body) {
                return Err(FetchError::UnsupportedType(kind.to_string()));
            }
        }
        Ok(Fetched {
            requested_url,
            final_url: url.to_string(),
            status: status.as_u16(),
            etag,
            last_modified,
            content_type,
            body,
            not_modified: false,
            heads,
        })
    }

    /// Reads the (decompressed) body chunk by chunk, stopping as soon as it
    /// passes the cap, so a gzip bomb costs at most `max_bytes` of memory.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        host: &str,
        declared: Option<u64>,
    ) -> Result<Vec<u8>, FetchError> {
        let max = self.limits.max_bytes;
        let idle = self.limits.read_timeout;
        let mut body = Vec::with_capacity(declared.unwrap_or(64 * 1024).min(max) as usize);
        loop {
            let chunk = match tokio::time::timeout(idle, response.chunk()).await {
                Err(_) => {
                    return Err(FetchError::Stalled {
                        host: host.to_string(),
                        limit: idle,
                    })
                }
                Ok(Err(e)) if e.is_timeout() => {
                    return Err(FetchError::Stalled {
                        host: host.to_string(),
                        limit: idle,
                    })
                }
                // The connection ended early, or a compressed body broke off.
                Ok(Err(_)) => {
                    return Err(FetchError::Truncated {
                        host: host.to_string(),
                    })
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            if body.len() as u64 + chunk.len() as u64 > max {
                return Err(FetchError::TooLarge { limit: max });
            }
            body.extend_from_slice(&chunk);
        }
        if declared.is_some_and(|n| (body.len() as u64) < n) {
            return Err(FetchError::Truncated {
                host: host.to_string(),
            });
        }
        Ok(body)
    }
}

/// Where a 3xx points, resolved against the current URL; None when it names
/// nowhere. Only http(s) targets are followed.
fn redirect_target(current: &Url, headers: &HeaderMap) -> Result<Option<Url>, FetchError> {
    let Some(location) = headers.get(header::LOCATION) else {
        return Ok(None);
    };
    let location = String::from_utf8_lossy(location.as_bytes())
        .trim()
        .to_string();
    if location.is_empty() {
        return Ok(None);
    }
    let next = current
        .join(&location)
        .map_err(|_| FetchError::InvalidUrl(location.clone()))?;
    match next.scheme() {
        "http" | "https" if next.host_str().is_some_and(|h| !h.is_empty()) => Ok(Some(next)),
        "http" | "https" => Err(FetchError::InvalidUrl(location)),
        scheme => Err(FetchError::RedirectScheme {
            host: host_of(current),
            scheme: scheme.to_string(),
        }),
    }
}

/// The heads of the request sent to `url` with `validators` and of its
/// `response` (see [`HttpHeads`] for how close to the wire they are).
fn heads_of(url: &Url, validators: &Validators, response: &reqwest::Response) -> Option<HttpHeads> {
    let version = format!("{:?}", response.version());
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let mut request = format!("GET {target} {version}\r\n").into_bytes();
    let line = |out: &mut Vec<u8>, name: &str, value: &[u8]| {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    };
    if let Some(etag) = &validators.etag {
        line(&mut request, "if-none-match", etag.as_bytes());
    }
    if let Some(lm) = &validators.last_modified {
        line(&mut request, "if-modified-since", lm.as_bytes());
    }
    // reqwest's client map starts with its own Accept (ours replaces its
    // value in place), then the User-Agent, then the other defaults.
    line(&mut request, "accept", ACCEPT.as_bytes());
    line(&mut request, "user-agent", USER_AGENT.as_bytes());
    line(&mut request, "accept-language", ACCEPT_LANGUAGE.as_bytes());
    line(&mut request, "accept-encoding", ACCEPT_ENCODING.as_bytes());
    line(&mut request, "host", host_of(url).as_bytes());
    request.extend_from_slice(b"\r\n");

    let status = response.status();
    let mut head = format!(
        "{version} {} {}\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in response.headers() {
        line(&mut head, name.as_str(), value.as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    (request.len() <= HEAD_MAX && head.len() <= HEAD_MAX).then_some(HttpHeads {
        request,
        response: head,
    })
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => url.as_str().to_string(),
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `text/HTML; charset=utf-8` → `text/html`.
fn mime_of(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The type of a body served without Content-Type that is plainly not text:
/// a known binary signature, or NUL bytes near the start.
fn sniff_binary(body: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
        (b"ID3", "audio/mpeg"),
        (b"OggS", "audio/ogg"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| body.starts_with(sig)) {
        return Some(kind);
    }
    if body.len() >= 12 && &body[..4] == b"RIFF" && &body[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if body.len() >= 12 && &body[4..8] == b"ftyp" {
        return Some("video/mp4");
    }
    // UTF-16 text is full of NUL bytes but announces itself with a BOM.
    if body.starts_with(b"\xff\xfe") || body.starts_with(b"\xfe\xff") {
        return None;
    }
    let head = &body[..body.len().min(1024)];
    head.contains(&0).then_some("application/octet-stream")
}

/// The innermost error message (hyper's "connection refused", a DNS failure),
/// which says more than reqwest's outer "error sending request".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
