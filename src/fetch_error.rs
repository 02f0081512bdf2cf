//! Why a fetch failed, kept apart from the fetcher so that [`crate::address`]
//! (which refuses a bad URL before anything is fetched) and [`crate::fetch`]
//! share one error without importing each other.

use std::time::Duration;

use reqwest::StatusCode;

/// Why a fetch failed. Each variant reads as one line a reporter understands;
/// `code()` is the stable identifier the shells map on.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not a valid web address: {0} (it must start with http:// or https://)")]
    InvalidUrl(String),
    #[error("only http and https addresses can be clipped, not {0}:")]
    UnsupportedScheme(String),
    #[error("could not connect to {host} within {} s", .limit.as_secs_f64())]
    ConnectTimeout { host: String, limit: Duration },
    #[error("the server at {host} took longer than {} s", .limit.as_secs_f64())]
    Timeout { host: String, limit: Duration },
    #[error("the server at {host} stopped sending the page for {} s", .limit.as_secs_f64())]
    Stalled { host: String, limit: Duration },
    #[error("the page is larger than {}", human_size(*.limit))]
    TooLarge { limit: u64 },
    #[error("the page redirected more than {max} times (or in a loop)")]
    TooManyRedirects { max: usize },
    #[error("the page at {host} redirected to a {scheme}: address, which Redline does not follow")]
    RedirectScheme { host: String, scheme: String },
    #[error("the server at {host} answered {status}{}", reason_suffix(*.status))]
    HttpStatus { host: String, status: u16 },
    #[error("not a web page ({0})")]
    UnsupportedType(String),
    #[error("the server at {host} closed the connection before the whole page arrived")]
    Truncated { host: String },
    #[error("could not reach {host}: {reason}")]
    Network { host: String, reason: String },
}

impl FetchError {
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid_url",
            FetchError::UnsupportedScheme(_) => "unsupported_scheme",
            FetchError::ConnectTimeout { .. }
            | FetchError::Timeout { .. }
            | FetchError::Stalled { .. } => "timeout",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::RedirectScheme { .. } => "redirect_scheme",
            FetchError::HttpStatus { .. } => "http_status",
            FetchError::UnsupportedType(_) => "unsupported_type",
            FetchError::Truncated { .. } => "truncated",
            FetchError::Network { .. } => "network",
        }
    }

    /// The HTTP status, when the failure was an HTTP answer (404, 500, …).
    pub fn http_status(&self) -> Option<u16> {
        match self {
            FetchError::HttpStatus { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn reason_suffix(status: u16) -> String {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// "20 MiB", "1.5 MiB", "512 KiB", "900 bytes".
fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (unit, name) = if bytes >= MIB {
        (MIB, "MiB")
    } else if bytes >= KIB {
        (KIB, "KiB")
    } else {
        return format!("{bytes} bytes");
    };
    if bytes % unit == 0 {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.1} {name}", bytes as f64 / unit as f64)
    }
}
