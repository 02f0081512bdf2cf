//! Which writing system a character belongs to, where that changes how text
//! is cut into words or laid out: scripts written without spaces between
//! words (Chinese, Japanese, Thai), Hangul, and right-to-left scripts.
//!
//! One place for these ranges, so the diff, the quote finder, search and
//! extraction agree on what "CJK" or "right-to-left" means.

/// Han, kana and other scripts written without spaces between words (Thai):
/// their text is compared by characters, not by words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Ext A
        | 0x4E00..=0x9FFF // CJK Unified
        | 0xF900..=0xFAFF // CJK Compatibility
        | 0x20000..=0x2FFFF
        | 0x0E00..=0x0E7F // Thai
    )
}

/// Han (with extensions and compatibility forms), hiragana, katakana and
/// half-width katakana: the text search indexes as character bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F | 0x20000..=0x2FFFF)
}

/// Hangul syllables and jamo. Korean puts spaces between words (eojeol), so
/// it is *not* unspaced, but particles attach to the word before them.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF   // Jamo
        | 0x3130..=0x318F // Compatibility jamo
        | 0xA960..=0xA97F // Jamo extended A
        | 0xAC00..=0xD7AF // Syllables
        | 0xD7B0..=0xD7FF // Jamo extended B
    )
}

/// Hebrew, Arabic (Persian and Urdu too), Syriac, Thaana, N'Ko and their
/// presentation forms: letters of scripts written right to left.
pub fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_told_apart() {
        assert!("東京とソウル".chars().all(is_unspaced));
        assert!("ข่าว".chars().all(is_unspaced));
        assert!(!"서울".chars().any(is_unspaced));
        assert!("서울".chars().all(is_hangul));
        assert!("ｿｳﾙ".chars().all(is_cjk) && !"ｿｳﾙ".chars().any(is_unspaced));
        assert!("الخرطوم".chars().all(is_rtl));
        assert!("ירושלים".chars().all(is_rtl));
        assert!(!"Seoul"
            .chars()
            .any(|c| is_unspaced(c) || is_hangul(c) || is_rtl(c)));
    }
}
