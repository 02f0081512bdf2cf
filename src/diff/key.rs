//! The comparable form of a block, made fast for the diff: the same text as
//! [`normalize`], written into a reused buffer eight bytes at a time where
//! it can (news text is nearly all ASCII, already in NFKC form), and a 64-bit
//! key of it, so the paragraph alignment compares numbers instead of
//! building and hashing a normalised copy of every paragraph of both
//! versions.
//!
//! Text that needs NFKC work goes through [`normalize`] itself; the
//! characters this module handles on its own are checked against it, every
//! one of them, by the tests.

use crate::normalize::{clean_char, nfkc_quick_yes, normalize, word_at, HIGH_BITS, LOW_BITS};

/// Writes [`normalize`]`(s)` into `out` (cleared first).
pub(crate) fn normalize_into(s: &str, out: &mut Vec<u8>) {
    out.clear();
    if !nfkc_quick_yes(s) {
        out.extend_from_slice(normalize(s).as_bytes());
        return;
    }
    out.reserve(s.len());
    let bytes = s.as_bytes();
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if kept_ascii(b) {
            if space {
                out.push(b' ');
                space = false;
            }
            // A run that is already normal (kept ASCII, single spaces inside)
            // is copied as one slice: most of a paragraph, in English.
            let start = i;
            i += 1;
            loop {
                // Eight bytes at a time while they need nothing done, then
                // byte by byte up to what ends the run (or the next plain eight).
                while word_at(bytes, i).is_some_and(plain_word) {
                    i += 8;
                }
                while i < bytes.len() && kept_ascii(bytes[i]) {
                    i += 1;
                }
                if i + 1 < bytes.len() && bytes[i] == b' ' && kept_ascii(bytes[i + 1]) {
                    i += 2;
                    continue;
                }
                break;
            }
            out.extend_from_slice(&bytes[start..i]);
            continue;
        }
        if b < 0x80 {
            // ASCII whitespace.
            i += 1;
            space = !out.is_empty();
            continue;
        }
        let c = s[i..].chars().next().expect("a char starts here");
        i += c.len_utf8();
        let Some(c) = clean_char(c) else {
            continue;
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// An ASCII byte that normalising keeps as it is (anything but whitespace).
fn kept_ascii(b: u8) -> bool {
    b < 0x80 && !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Eight bytes that normalising copies as they are when a kept byte comes
/// before them: printable ASCII and single spaces, the last byte not a space
/// (what follows it is not known here). Controls, tabs and line breaks are
/// left to the byte loop. Each test below is exact per byte: with the high
/// bits clear no addition carries into the next byte.
fn plain_word(w: u64) -> bool {
    if w & HIGH_BITS != 0 {
        return false;
    }
    // Bit 7 of each byte set when the byte is at least 0x20.
    if (w + 0x60 * LOW_BITS) & HIGH_BITS != HIGH_BITS {
        return false;
    }
    // Bit 7 of each byte set when the byte is not a space.
    let not_space = ((w ^ (0x20 * LOW_BITS)) + 0x7f * LOW_BITS) & HIGH_BITS;
    let space = !not_space & HIGH_BITS;
    space & (space >> 8) == 0 && space >> 56 == 0
}

/// [`normalize`]`(s)` by way of [`normalize_into`].
pub(crate) fn normalized(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    normalize_into(s, &mut out);
    String::from_utf8(out).expect("normalize_into writes whole chars")
}

/// A 64-bit key of some bytes: a word at a time, then mixed. Equal keys are
/// checked against the texts before the alignment relies on them.
pub(crate) fn key_of(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, w: u64| (h.rotate_left(23) ^ w).wrapping_mul(K);
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = mix(h, u64::from_le_bytes(w.try_into().expect("eight bytes")));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(last));
    }
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::Sequence;

    fn same_as_normalize(s: &str) {
        assert_eq!(normalized(s), normalize(s), "{s:?}");
    }

    #[test]
    fn every_char_normalises_as_the_normaliser_does() {
        // Each char alone, between words, and in runs with spaces of every
        // kind: the fast path and the fallback must give the same text.
        for c in (0x80u32..0x3_0000).filter_map(char::from_u32) {
            same_as_normalize(&format!("a{c}b"));
            same_as_normalize(&format!(" {c}\u{a0}x {c}{c}\t"));
        }
    }

    #[test]
    fn news_text_normalises_as_the_normaliser_does() {
        for s in [
            "",
            "   ",
            "\u{a0}\u{2009}\u{3000}",
            "  Leading and trailing \t\n ",
            "“We will not wait,” said Ana Ribeiro.\u{00AD}",
            "He said: \u{2018}no\u{2019} \u{200B}twice\u{FEFF}",
            "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ ① ﬁ",
            "МОСКВА, 3 декабря — «Мы не знали», — сказал он.",
            "国务院新闻办公室　今天举行发布会。",
            "القاهرة، 26 نوفمبر\u{200F}",
            "a\x0bb\x0cc\rd",
            "one  two \t three\n\nfour ",
            " x y  z\u{a0}w’s \u{201c}q\u{201d} ",
            "e\u{301}tude caf\u{e9}",
        ] {
            same_as_normalize(s);
        }
    }

    #[test]
    fn runs_normalise_as_the_normaliser_does_at_every_offset() {
        // Strings of bytes that end or break a plain run (spaces in pairs,
        // a tab, a control, a line break, NBSP, curly quotes, DEL) at every
        // place relative to the eight-byte steps, from a fixed sequence.
        const PARTS: [&str; 12] = [
            "a", "Z", " ", "  ", "\t", "\n", "\u{1}", "\u{7f}", "\u{a0}", "“", "é", "9,",
        ];
        let mut sequence = Sequence::new(16);
        let mut next = |n: usize| (sequence.next_u64() >> 33) as usize % n;
        for _ in 0..20_000 {
            let len = next(56);
            // Mostly letters, so that long plain runs occur.
            let s: String = (0..len)
                .map(|_| PARTS.get(next(40)).copied().unwrap_or("x"))
                .collect();
            same_as_normalize(&s);
        }
    }

    #[test]
    fn plain_words_are_exactly_the_copied_ones() {
        // Every byte value in every position of a word of letters, and
        // space pairs in every position.
        for pos in 0..8 {
            for b in 0..=255u8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                let expect = (0x21..0x80).contains(&b) || (b == b' ' && pos != 7);
                assert_eq!(plain_word(u64::from_le_bytes(w)), expect, "{pos} {b:#x}");
            }
        }
        for pos in 0..7 {
            let mut w = *b"abcdefgh";
            w[pos] = b' ';
            w[pos + 1] = b' ';
            assert!(!plain_word(u64::from_le_bytes(w)), "{pos}");
        }
        assert!(plain_word(u64::from_le_bytes(*b"a b c de")));
    }

    #[test]
    fn keys_tell_texts_apart() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "About 30,000 troops.",
            "About 10,000 troops.",
            "About 30,000 troops!",
            "exactly eight",
            "exactly eight.",
        ];
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert_ne!(key_of(a.as_bytes()), key_of(b.as_bytes()), "{a:?} {b:?}");
            }
        }
        assert_eq!(key_of(b"same words"), key_of(b"same words"));
    }
}
