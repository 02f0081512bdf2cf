//! The CDXJ index of a WACZ: one line per replayable record, sorted by SURT
//! key and time, so a replay tool finds a URL's captures by binary search.

use serde::Serialize;

/// The Sort-friendly URI Reordering Transform of a URL, as pywb keys it:
/// scheme and `www.` dropped, host labels reversed and comma-joined, `)`,
/// then the path and the query with its arguments sorted, all lowercase.
/// `https://www.Example.com/World/?b=2&a=1` → `com,example)/world/?a=1&b=2`.
pub fn surt(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_lowercase();
    };
    let host = parsed.host_str().unwrap_or("").to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    labels.reverse();
    let mut key = labels.join(",");
    if let Some(port) = parsed.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push(')');
    key.push_str(&parsed.path().to_lowercase());
    if let Some(query) = parsed.query().filter(|q| !q.is_empty()) {
        let mut args: Vec<String> = query.split('&').map(str::to_lowercase).collect();
        args.sort();
        key.push('?');
        key.push_str(&args.join("&"));
    }
    key
}

/// `YYYYMMDDhhmmss` from an RFC 3339 time: the timestamp CDX lines and
/// replay URLs use.
pub fn timestamp14(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

/// The JSON part of one index line.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub url: String,
    pub mime: String,
    pub status: String,
    pub digest: String,
    pub length: String,
    pub offset: String,
    pub filename: String,
}

/// One line: `surt timestamp {json}`.
pub fn line(timestamp: &str, entry: &Entry) -> String {
    format!(
        "{} {} {}",
        surt(&entry.url),
        timestamp14(timestamp),
        serde_json::to_string(entry).expect("index entry serialises")
    )
}

/// The index file: lines sorted (key, then time), newline-terminated.
pub fn index(mut lines: Vec<String>) -> Vec<u8> {
    lines.sort();
    let mut out = lines.join("\n").into_bytes();
    if !out.is_empty() {
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surt_keys_as_replay_tools_do() {
        assert_eq!(
            surt("https://www.Example.com/World/?b=2&a=1"),
            "com,example)/world/?a=1&b=2"
        );
        assert_eq!(
            surt("http://127.0.0.1:8080/news/story.html"),
            "1,0,0,127:8080)/news/story.html"
        );
        assert_eq!(timestamp14("2026-11-30T09:15:07Z"), "20261130091507");
    }
}
