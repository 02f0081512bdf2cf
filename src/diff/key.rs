//! A 64-bit key of a block's comparable form ([`crate::normalize`]), so the
//! paragraph alignment compares numbers instead of building and hashing a
//! normalised copy of every paragraph of both versions.

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
