//! Reading WARC records back, one at a time: the header lines, then the
//! block streamed through its digests (and kept only when the caller asks,
//! up to a bound). [`super::verify`] checks our own exports with it; the
//! archive import reads WARC and WACZ files made by other tools with it, so
//! both agree on what a record and a matching digest are.
//!
//! Digests are checked in the forms web archives write them: `sha256:` hex
//! (ours, py-wacz, ArchiveWeb.page) and `sha1:` base32 (wget, Heritrix),
//! labels in any case, values in hex, base32 or base64.

use std::io::{BufRead, Read};

use base64::Engine;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Longest header section (WARC or HTTP) accepted.
pub(crate) const MAX_HEAD: usize = 64 << 10;

/// One record as read.
pub(crate) struct WarcRecord {
    /// Header names lowercased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    /// The HTTP status line and headers of a `response` or `revisit`
    /// (empty for other records).
    pub http_head: Vec<u8>,
    /// The payload (the HTTP body, or the whole block), when the caller
    /// asked to keep it and it fit.
    pub payload: Option<Vec<u8>>,
    /// Bytes in the payload, kept or not.
    pub payload_len: u64,
    /// What is wrong with the record (digests, layout); the record was read.
    pub problems: Vec<String>,
}

impl WarcRecord {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn kind(&self) -> &str {
        self.header("warc-type").unwrap_or_default()
    }
}

/// Printable form of a name taken from the file (no control characters).
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .take(300)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `sha256:` and lowercase hex.
pub(crate) fn label(hasher: Sha256) -> String {
    format!("sha256:{}", hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// RFC 4648 base32, the form wget and Heritrix write SHA-1 digests in.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whether a recorded digest (`label:value`) names `digest`; None when the
/// algorithm is not one this reader computes (the digest is then not checked).
fn digest_matches(recorded: &str, sha1: Option<&[u8]>, sha256: &[u8]) -> Option<bool> {
    let (algo, value) = recorded.split_once(':')?;
    let algo = algo.trim().to_ascii_lowercase().replace('-', "");
    let digest = match algo.as_str() {
        "sha256" => sha256,
        "sha1" => sha1?,
        _ => return None,
    };
    let value = value.trim();
    let same = value.eq_ignore_ascii_case(&hex(digest))
        || value
            .trim_end_matches('=')
            .eq_ignore_ascii_case(base32(digest).trim_end_matches('='))
        || base64::engine::general_purpose::STANDARD.encode(digest) == value
        || base64::engine::general_purpose::URL_SAFE.encode(digest) == value;
    Some(same)
}

/// Which algorithms a recorded digest asks for.
fn wants_sha1(recorded: Option<&str>) -> bool {
    recorded.is_some_and(|d| {
        d.split_once(':').is_some_and(|(a, _)| {
            a.trim().eq_ignore_ascii_case("sha1") || a.trim().eq_ignore_ascii_case("sha-1")
        })
    })
}

/// A BufRead that counts what its consumer took: where each gzip member
/// starts in the compressed file.
pub(crate) struct Counting<R> {
    pub inner: R,
    pub taken: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.taken += amt as u64;
        self.inner.consume(amt)
    }
}

/// Reads one line ending in CRLF (or LF), at most `budget` bytes.
fn read_line(r: &mut impl BufRead, budget: &mut usize) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = r.take(*budget as u64).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    *budget = budget.saturating_sub(n);
    if !line.ends_with(b"\n") {
        return Err(std::io::Error::other(
            "a header line is too long or cut off",
        ));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads one record from `r`, which must stand at its first line, and
/// leaves `r` just after the record's closing CRLF CRLF. The payload is
/// kept when it is at most `keep` bytes.
pub(crate) fn read_record(r: &mut impl BufRead, keep: Option<u64>) -> std::io::Result<WarcRecord> {
    let mut budget = MAX_HEAD;
    let version =
        read_line(r, &mut budget)?.ok_or_else(|| std::io::Error::other("an empty gzip member"))?;
    if version != "WARC/1.1" && version != "WARC/1.0" {
        return Err(std::io::Error::other(format!(
            "not a WARC record (starts {:?})",
            clean(&version)
        )));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let line = read_line(r, &mut budget)?
            .ok_or_else(|| std::io::Error::other("the record's headers are cut off"))?;
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(std::io::Error::other("a malformed header line"));
        };
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let get = |k: &str| {
        headers
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.as_str())
    };
    let mut problems = Vec::new();
    let kind = get("warc-type").unwrap_or_default().to_string();
    for required in ["warc-type", "warc-record-id", "warc-date", "content-length"] {
        if get(required).is_none() {
            problems.push(format!("no {required} header"));
        }
    }
    let length: u64 = get("content-length")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| std::io::Error::other("no usable Content-Length"))?;
    let is_http = get("content-type").is_some_and(|ct| ct.starts_with("application/http"))
        && matches!(kind.as_str(), "response" | "revisit");
    let recorded_block = get("warc-block-digest").map(str::to_string);
    let recorded_payload = get("warc-payload-digest").map(str::to_string);
    let block_sha1 = wants_sha1(recorded_block.as_deref());
    let payload_sha1 = wants_sha1(recorded_payload.as_deref());

    // Block digest over everything; payload digest over the HTTP body (or
    // the whole block for a resource).
    let mut block = (Sha256::new(), block_sha1.then(Sha1::new));
    let mut payload = (Sha256::new(), payload_sha1.then(Sha1::new));
    let mut http_head = Vec::new();
    let mut body = r.take(length);
    if is_http {
        let mut head_budget = MAX_HEAD;
        loop {
            let mut line = Vec::new();
            let got = (&mut body)
                .take(head_budget as u64)
                .read_until(b'\n', &mut line)?;
            block.0.update(&line);
            if let Some(h) = &mut block.1 {
                h.update(&line);
            }
            http_head.extend_from_slice(&line);
            head_budget = head_budget.saturating_sub(got);
            if got == 0 || line == b"\r\n" || line == b"\n" || head_budget == 0 {
                break;
            }
        }
    }
    let payload_len = body.limit();
    let mut kept = keep
        .filter(|&max| payload_len <= max)
        .map(|_| Vec::with_capacity(payload_len as usize));
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = body.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        block.0.update(chunk);
        payload.0.update(chunk);
        if let Some(h) = &mut block.1 {
            h.update(chunk);
        }
        if let Some(h) = &mut payload.1 {
            h.update(chunk);
        }
        if let Some(k) = &mut kept {
            k.extend_from_slice(chunk);
        }
    }
    if body.limit() > 0 {
        return Err(std::io::Error::other(
            "the block is shorter than Content-Length",
        ));
    }
    let mut tail = [0u8; 4];
    r.read_exact(&mut tail)
        .map_err(|_| std::io::Error::other("the record does not end with CRLF CRLF"))?;
    if &tail != b"\r\n\r\n" {
        problems.push("the record does not end with CRLF CRLF".into());
    }
    let block_sha1 = block.1.map(|h| h.finalize().to_vec());
    let block_sha256 = block.0.finalize();
    if let Some(expected) = &recorded_block {
        if digest_matches(expected, block_sha1.as_deref(), &block_sha256) == Some(false) {
            problems.push("its block digest does not match".into());
        }
    }
    let payload_sha1 = payload.1.map(|h| h.finalize().to_vec());
    let payload_sha256 = payload.0.finalize();
    if let Some(expected) = &recorded_payload {
        // A revisit carries no payload: its digest names the record it revisits.
        if kind != "revisit"
            && digest_matches(expected, payload_sha1.as_deref(), &payload_sha256) == Some(false)
        {
            problems.push("its payload digest does not match".into());
        }
    }
    Ok(WarcRecord {
        headers,
        http_head,
        payload: kept,
        payload_len,
        problems,
    })
}

/// Reads every record of a WARC file, plain or gzipped (one member per
/// record or one for the whole file), handing each to `each` until it
/// answers false. A record that cannot be read ends the walk (what follows
/// cannot be found), reported to `each` as an error.
pub(crate) fn each_record(
    file: impl Read,
    gzipped: bool,
    keep: Option<u64>,
    mut each: impl FnMut(std::io::Result<WarcRecord>) -> bool,
) {
    let mut src: Box<dyn BufRead> = if gzipped {
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    };
    loop {
        match src.fill_buf() {
            Ok([]) => return,
            Ok(_) => {}
            Err(e) => {
                each(Err(e));
                return;
            }
        }
        match read_record(&mut src, keep) {
            Ok(r) => {
                if !each(Ok(r)) {
                    return;
                }
            }
            Err(e) => {
                each(Err(e));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wget_style_sha1_base32_digests_are_checked() {
        // sha1("abc") in base32, as Python's base64.b32encode writes it.
        let sha1 = Sha1::digest(b"abc").to_vec();
        let sha256 = Sha256::digest(b"abc");
        assert_eq!(base32(&sha1), "VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
        assert_eq!(
            digest_matches(
                "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5",
                Some(&sha1),
                &sha256
            ),
            Some(true)
        );
        assert_eq!(
            digest_matches(
                "SHA1:vgmt4nsha2awvor6evyxqugcnsonbwe5",
                Some(&sha1),
                &sha256
            ),
            Some(true)
        );
        assert_eq!(
            digest_matches(
                "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE6",
                Some(&sha1),
                &sha256
            ),
            Some(false)
        );
        assert_eq!(
            digest_matches(&format!("sha256:{}", hex(&sha256)), None, &sha256),
            Some(true)
        );
        assert_eq!(digest_matches("md5:abc", None, &sha256), None);
    }
}
