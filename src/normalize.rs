//! The rules of "same text": what counts as a change and what is page noise.
//!
//! (First cut by the lead; the extract work refines it.)

use unicode_normalization::UnicodeNormalization;

/// The comparable form of a piece of text: NFKC, one space for any run of
/// whitespace (NBSP included), no soft hyphens or zero-width characters,
/// straight quotes for curly ones.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkc() {
        let c = match c {
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Drops blocks that are page noise (interface stub; the extract work refines it).
pub fn strip_noise(blocks: Vec<crate::article::Block>) -> Vec<crate::article::Block> {
    blocks
        .into_iter()
        .filter(|b| !normalize(&b.text).is_empty())
        .collect()
}

/// SHA-256 of the normalised title and body: equal fingerprint, same version.
pub fn fingerprint(title: &str, blocks: &[crate::article::Block]) -> String {
    let mut s = normalize(title);
    for b in blocks {
        let n = normalize(&b.text);
        if !n.is_empty() {
            s.push('\u{1F}');
            s.push_str(&n);
        }
    }
    crate::hash::sha256_hex(s.as_bytes())
}
