//! Escaping text into HTML the core builds itself (diffs, rendered citations).
//! Page text is never trusted markup: it is always escaped, never sanitised in.

/// `s` as HTML text or a double- or single-quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}
