//! Which writing system a character belongs to, where that changes how text
//! is cut into words or laid out: scripts written without spaces between
//! words (Chinese, Japanese, Thai), Hangul, and right-to-left scripts.
//!
//! One place for these ranges, so the diff, the quote finder, search and
//! extraction agree on what "CJK" or "right-to-left" means.

/// Han, kana and the other scripts written without spaces between words
/// (Thai, Lao, Khmer): their text is compared, and scored, by characters,
/// not by words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Ext A
        | 0x4E00..=0x9FFF // CJK Unified
        | 0xF900..=0xFAFF // CJK Compatibility
        | 0x20000..=0x2FFFF
        | 0x0E00..=0x0EFF // Thai, Lao
        | 0x1780..=0x17FF // Khmer
    )
}

/// Characters a reader sees as two columns wide: Han, kana, Hangul and the
/// full-width forms (，：（）). Extraction weighs text by this, so a Chinese
/// or Korean paragraph weighs about what its English one does.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF   // Hangul jamo
        | 0x2E80..=0x9FFF // CJK radicals, punctuation, kana, Han
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility
        | 0xFF01..=0xFF60 // Full-width forms
        | 0xFFE0..=0xFFE6 // Full-width signs
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

/// [`char::is_alphabetic`], answered without Unicode's tables for the
/// letters most text is made of (Latin, basic Cyrillic, Hangul syllables,
/// the main Han block): the extractor and the word splitter ask it of every
/// character of a page, and the table lookup is most of their time on
/// Russian, Korean or Chinese text. Held to `char::is_alphabetic` for
/// every character by a test.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{0400}'..='\u{0481}' | '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FFF}' => true,
        c => c.is_alphabetic(),
    }
}

/// [`char::is_alphanumeric`] by way of [`is_alphabetic`].
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    match c {
        '0'..='9' => true,
        '\0'..='\u{7F}' => c.is_ascii_alphabetic(),
        c => is_alphabetic(c) || c.is_numeric(),
    }
}

/// Hebrew, Arabic (Persian and Urdu too), Syriac, Thaana, N'Ko and their
/// presentation forms: letters of scripts written right to left.
pub fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The alphabets search has word forms for (stemming, Korean particles).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hangul,
    Other,
}

/// The alphabet of one letter. Arabic here is the Arabic script only (Persian
/// and Urdu included); Hebrew is right to left but has no forms.
pub fn alphabet(c: char) -> Alphabet {
    if is_hangul(c) {
        return Alphabet::Hangul;
    }
    match c as u32 {
        0x41..=0x24F | 0x1E00..=0x1EFF => Alphabet::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Alphabet::Greek,
        0x400..=0x52F => Alphabet::Cyrillic,
        0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Alphabet::Arabic,
        _ => Alphabet::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_digits_are_what_unicode_says_for_every_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn scripts_are_told_apart() {
        assert!("東京とソウル".chars().all(is_unspaced));
        assert!("ข่าว".chars().all(is_unspaced));
        assert!(!"서울".chars().any(is_unspaced));
        assert!("서울".chars().all(is_hangul));
        assert!("ｿｳﾙ".chars().all(is_cjk) && !"ｿｳﾙ".chars().any(is_unspaced));
        assert!("ພາສາລາວ".chars().all(is_unspaced));
        assert!("ខ្មែរ".chars().all(is_unspaced));
        assert!("北京，서울：".chars().all(is_wide) && !"Seoul,".chars().any(is_wide));
        assert!("الخرطوم".chars().all(is_rtl));
        assert!("ירושלים".chars().all(is_rtl));
        assert!(!"Seoul"
            .chars()
            .any(|c| is_unspaced(c) || is_hangul(c) || is_rtl(c)));
    }

    #[test]
    fn alphabets_for_word_forms() {
        assert_eq!(alphabet('S'), Alphabet::Latin);
        assert_eq!(alphabet('ş'), Alphabet::Latin);
        assert_eq!(alphabet('Α'), Alphabet::Greek);
        assert_eq!(alphabet('К'), Alphabet::Cyrillic);
        assert_eq!(alphabet('خ'), Alphabet::Arabic);
        assert_eq!(alphabet('پ'), Alphabet::Arabic);
        assert_eq!(alphabet('서'), Alphabet::Hangul);
        assert_eq!(alphabet('א'), Alphabet::Other);
        assert_eq!(alphabet('東'), Alphabet::Other);
    }
}
