//! Turning served bytes into text in the right encoding.
//!
//! State media and regional outlets still serve EUC-KR, windows-1251,
//! Shift_JIS and GBK, often mislabelled or unlabelled. We follow the browser
//! order — BOM, HTTP header, `<meta>` prescan, then detection — with WHATWG
//! label semantics (encoding_rs), so a page reads as it did in the reporter's
//! browser. Decoding never fails: malformed bytes become U+FFFD.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// Where the encoding was learnt from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodedFrom {
    /// A byte-order mark at the start of the bytes.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type`.
    Header,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">` in the head.
    Meta,
    /// Guessed from the bytes by chardetng.
    Detected,
    /// No label, and the bytes are valid UTF-8 (or plain ASCII).
    Utf8,
}

/// Text decoded from bytes, with the encoding used (WHATWG name, e.g. `EUC-KR`).
#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub from: DecodedFrom,
}

/// How many bytes of the head the `<meta>` prescan looks at. The HTML spec
/// says 1024; real pages put dozens of tags before the charset, so we look
/// further, as Chromium does.
const PRESCAN_BYTES: usize = 4096;

/// Decodes an HTML page: BOM, then the HTTP header, then `<meta>`, then detection
/// (with the URL's top-level domain as a hint).
pub fn decode_html(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return decode_with(bytes, enc, DecodedFrom::Header);
    }
    if let Some(enc) = prescan_meta(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return decode_with(bytes, enc, DecodedFrom::Meta);
    }
    sniff(bytes, url)
}

/// Decodes a plain-text or Markdown file: BOM, then the header charset if
/// any, then UTF-8 when the bytes are valid UTF-8, then detection.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return decode_with(bytes, enc, DecodedFrom::Header);
    }
    sniff(bytes, None)
}

/// Decodes an XML document (a feed, an OPML file, a sitemap): BOM, then the
/// HTTP header, then the `<?xml … encoding="…"?>` declaration (RFC 7303's
/// order), then UTF-8 or detection. State-media feeds still declare
/// windows-1251 or EUC-KR in the declaration only.
pub fn decode_xml(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return decode_with(bytes, enc, DecodedFrom::Header);
    }
    if let Some(enc) = xml_declared(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return decode_with(bytes, enc, DecodedFrom::Meta);
    }
    sniff(bytes, url)
}

/// The encoding named in an XML declaration at the start of `head`.
fn xml_declared(head: &[u8]) -> Option<&'static Encoding> {
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = find(head, b"?>")?;
    let decl = &head[..end];
    let at = find(decl, b"encoding")? + b"encoding".len();
    let rest = &decl[at..];
    let open = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let quote = rest[open];
    let value = &rest[open + 1..];
    let close = value.iter().position(|&b| b == quote)?;
    let enc = Encoding::for_label_no_replacement(&value[..close])?;
    // A declaration that says UTF-16 on bytes without a BOM is read as ASCII-compatible.
    (enc != UTF_16LE && enc != UTF_16BE).then_some(enc)
}

fn decode_bom(bytes: &[u8]) -> Option<Decoded> {
    let (enc, len) = Encoding::for_bom(bytes)?;
    Some(decode_with(&bytes[len..], enc, DecodedFrom::Bom))
}

fn decode_with(bytes: &[u8], enc: &'static Encoding, from: DecodedFrom) -> Decoded {
    let (text, _malformed) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        from,
    }
}

/// Valid UTF-8 is taken as UTF-8 (legacy encodings almost never produce it by
/// accident); otherwise chardetng guesses, helped by the TLD (`.kr`, `.ru`, …).
fn sniff(bytes: &[u8], url: Option<&str>) -> Decoded {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            from: DecodedFrom::Utf8,
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = url.and_then(tld_of);
    let enc = detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Allow);
    decode_with(bytes, enc, DecodedFrom::Detected)
}

/// The last label of the URL's host, lower-case ASCII, as chardetng wants it.
fn tld_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let tld = host.trim_end_matches('.').rsplit('.').next()?;
    let tld = tld.to_ascii_lowercase();
    let ok = !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(tld)
}

/// The encoding named by a `charset=` parameter, by WHATWG label rules.
/// The "replacement" encoding is ignored: it would turn the page into one U+FFFD.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    charset_param(content_type.as_bytes()).and_then(Encoding::for_label_no_replacement)
}

/// Finds `charset=` in a `Content-Type`-like value, unquoting it.
fn charset_param(value: &[u8]) -> Option<&[u8]> {
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < value.len() && value[i].is_ascii_whitespace() {
            i += 1;
        }
        if value.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < value.len() && value[i].is_ascii_whitespace() {
            i += 1;
        }
        let (start, end) = match value.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = value[start..]
                    .iter()
                    .position(|&b| b == q)
                    .map_or(value.len(), |p| start + p);
                (start, end)
            }
            Some(_) => {
                let end = value[i..]
                    .iter()
                    .position(|&b| b == b';' || b.is_ascii_whitespace())
                    .map_or(value.len(), |p| i + p);
                (i, end)
            }
            None => return None,
        };
        return (end > start).then(|| &value[start..end]);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A simplified HTML-spec prescan: walks the tags of the first bytes, skipping
/// comments, and returns the first usable charset of a `<meta>` tag.
fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < head.len() {
        if head[i..].starts_with(b"<!--") {
            i = find(&head[i + 4..], b"-->").map_or(head.len(), |p| i + 4 + p + 3);
            continue;
        }
        if head[i] == b'<'
            && head.len() >= i + 6
            && head[i + 1..i + 5].eq_ignore_ascii_case(b"meta")
            && matches!(head[i + 5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
        {
            let (attrs, end) = tag_attributes(head, i + 5);
            i = end;
            if let Some(enc) = meta_charset(&attrs) {
                return Some(meta_fixup(enc));
            }
            continue;
        }
        i += 1;
    }
    None
}

/// Per the spec, a `<meta>` claiming UTF-16 means UTF-8 (the bytes were
/// ASCII-compatible to be read at all), and x-user-defined means windows-1252.
fn meta_fixup(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    }
}

fn meta_charset(attrs: &[(String, Vec<u8>)]) -> Option<&'static Encoding> {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    };
    if let Some(label) = get("charset") {
        if let Some(enc) = Encoding::for_label_no_replacement(label.trim_ascii()) {
            return Some(enc);
        }
    }
    let is_content_type =
        get("http-equiv").is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(b"content-type"));
    if is_content_type {
        if let Some(content) = get("content") {
            return charset_param(content).and_then(Encoding::for_label_no_replacement);
        }
    }
    None
}

/// Reads the attributes of a tag starting at `i` (just after the tag name);
/// returns them (lower-case names) and the index after the tag.
fn tag_attributes(s: &[u8], mut i: usize) -> (Vec<(String, Vec<u8>)>, usize) {
    let mut attrs = Vec::new();
    loop {
        while i < s.len() && (s[i].is_ascii_whitespace() || s[i] == b'/') {
            i += 1;
        }
        if i >= s.len() {
            return (attrs, i);
        }
        if s[i] == b'>' {
            return (attrs, i + 1);
        }
        let start = i;
        while i < s.len() && !s[i].is_ascii_whitespace() && !matches!(s[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&s[start..i]).to_ascii_lowercase();
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = Vec::new();
        if i < s.len() && s[i] == b'=' {
            i += 1;
            while i < s.len() && s[i].is_ascii_whitespace() {
                i += 1;
            }
            match s.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = i + 1;
                    let ve = s[vs..]
                        .iter()
                        .position(|&b| b == q)
                        .map_or(s.len(), |p| vs + p);
                    value.extend_from_slice(&s[vs..ve]);
                    i = (ve + 1).min(s.len());
                }
                Some(_) => {
                    let vs = i;
                    while i < s.len() && !s[i].is_ascii_whitespace() && s[i] != b'>' {
                        i += 1;
                    }
                    value.extend_from_slice(&s[vs..i]);
                }
                None => {}
            }
        }
        if !name.is_empty() && !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_param_reads_quoted_and_bare_labels() {
        assert_eq!(
            charset_param(b"text/html; charset=EUC-KR"),
            Some(&b"EUC-KR"[..])
        );
        assert_eq!(
            charset_param(b"text/html;charset=\"gbk\""),
            Some(&b"gbk"[..])
        );
        assert_eq!(charset_param(b"text/html"), None);
    }

    #[test]
    fn tld_is_lower_case_last_label() {
        assert_eq!(tld_of("https://News.Example.KR/a").as_deref(), Some("kr"));
        assert_eq!(tld_of("not a url"), None);
    }
}
