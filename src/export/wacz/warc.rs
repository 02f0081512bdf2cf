//! WARC 1.1 records, each written as its own gzip member: the form web
//! archives exchange (ISO 28500), which pywb and ReplayWeb.page replay and
//! `warcio` reads. An index entry points at a member by offset and length,
//! so a reader can seek to one record without inflating the file.

use std::io::Write;

use sha2::{Digest, Sha256};

/// What a record holds (`WARC-Type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Warcinfo,
    Request,
    Response,
    /// A capture whose payload equals an earlier one (unchanged, or 304).
    Revisit,
    /// Bytes that did not come as an HTTP exchange (browser DOM, file, paste).
    Resource,
    Metadata,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Warcinfo => "warcinfo",
            RecordKind::Request => "request",
            RecordKind::Response => "response",
            RecordKind::Revisit => "revisit",
            RecordKind::Resource => "resource",
            RecordKind::Metadata => "metadata",
        }
    }
}

/// The revisit profile for "same payload as the record referred to".
pub const IDENTICAL_PAYLOAD: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// One record before it is written.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: RecordKind,
    /// `<urn:uuid:…>`.
    pub id: String,
    /// `WARC-Date`: UTC, `YYYY-MM-DDThh:mm:ssZ` (fractions kept when given).
    pub date: String,
    pub target_uri: Option<String>,
    pub content_type: Option<String>,
    /// Further WARC headers, in order (`WARC-Concurrent-To`, `WARC-Refers-To` …).
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
    /// For `response`, `revisit` and `resource`: the digest of the payload
    /// (the HTTP body, or the whole block for a resource).
    pub payload_digest: Option<String>,
}

/// Where a written record sits in the WARC file: what an index points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub offset: u64,
    pub length: u64,
}

/// `sha256:` and the lowercase hex digest: the labelled form WARC digests take.
pub fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", crate::hash::sha256_hex(bytes))
}

/// A record ID that is the same each time the same thing is exported, so
/// two exports of one library can be compared record by record. The UUID is
/// built from a SHA-256 of `seed` with the RFC 9562 "custom" version (8).
pub fn record_id(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl Record {
    /// The record's header block and body, uncompressed, as the spec lays
    /// them out: `WARC/1.1`, header lines, a blank line, the block, and two
    /// line ends.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = String::with_capacity(512);
        let mut line = |name: &str, value: &str| {
            head.push_str(name);
            head.push_str(": ");
            // A header value never spans lines: a hostile URL cannot add headers.
            head.extend(value.chars().filter(|c| *c != '\r' && *c != '\n'));
            head.push_str("\r\n");
        };
        line("WARC-Type", self.kind.as_str());
        line("WARC-Record-ID", &self.id);
        line("WARC-Date", &self.date);
        if let Some(uri) = &self.target_uri {
            line("WARC-Target-URI", uri);
        }
        for (name, value) in &self.headers {
            line(name, value);
        }
        if let Some(digest) = &self.payload_digest {
            line("WARC-Payload-Digest", digest);
        }
        line("WARC-Block-Digest", &sha256_label(&self.block));
        if let Some(ct) = &self.content_type {
            line("Content-Type", ct);
        }
        line("Content-Length", &self.block.len().to_string());
        let mut out = Vec::with_capacity(head.len() + self.block.len() + 16);
        out.extend_from_slice(b"WARC/1.1\r\n");
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }
}

/// Writes records as consecutive gzip members and tells where each went.
pub struct WarcWriter<W: Write> {
    out: W,
    offset: u64,
}

impl<W: Write> WarcWriter<W> {
    pub fn new(out: W) -> Self {
        Self { out, offset: 0 }
    }

    pub fn write(&mut self, record: &Record) -> std::io::Result<Placed> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&record.to_bytes())?;
        let member = gz.finish()?;
        self.out.write_all(&member)?;
        let placed = Placed {
            offset: self.offset,
            length: member.len() as u64,
        };
        self.offset += member.len() as u64;
        Ok(placed)
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The HTTP message a `response` record carries: the status line and
/// headers, a blank line, then the body exactly as received.
pub fn http_response(status_line: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 256);
    out.extend_from_slice(status_line.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend(value.bytes().filter(|b| *b != b'\r' && *b != b'\n'));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_laid_out_as_the_spec_says() {
        let r = Record {
            kind: RecordKind::Resource,
            id: record_id("capture 1"),
            date: "2026-11-30T09:15:00Z".into(),
            target_uri: Some("https://wire.example/a\r\nWARC-Type: forged".into()),
            content_type: Some("text/html".into()),
            headers: vec![],
            block: b"<p>hi</p>".to_vec(),
            payload_digest: Some(sha256_label(b"<p>hi</p>")),
        };
        let text = String::from_utf8(r.to_bytes()).unwrap();
        assert!(text.starts_with("WARC/1.1\r\nWARC-Type: resource\r\n"));
        assert!(text.contains("WARC-Target-URI: https://wire.example/aWARC-Type: forged\r\n"));
        assert_eq!(text.matches("WARC-Type:").count(), 2, "{text}");
        assert!(text.contains("Content-Length: 9\r\n\r\n<p>hi</p>\r\n\r\n"));
        assert_eq!(record_id("capture 1"), r.id);
        assert_ne!(record_id("capture 2"), r.id);
        assert_eq!(r.id.len(), "<urn:uuid:>".len() + 36);
    }
}
