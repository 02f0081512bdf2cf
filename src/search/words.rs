//! Words as the word index sees them: folded case and accents, runs of
//! letters, digits and combining marks.

use unicode_normalization::UnicodeNormalization;

/// Case- and accent-folds like the trigram tokenizer does.
pub(super) fn fold(s: &str) -> String {
    // ASCII has nothing to decompose and no combining marks, and its
    // lower case is ASCII's: the same result without the Unicode tables
    // (most words of most stories; stemming a batch import folds each).
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of spaced text as the word index sees them: runs of letters,
/// digits and combining marks, with their byte offsets.
pub(super) fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_word = |c: char| {
        crate::script::is_alphanumeric(c) || unicode_normalization::char::is_combining_mark(c)
    };
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if is_word(c) {
                break;
            }
            rest.next();
        }
        let &(start, _) = rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !is_word(c) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Unicode path of [`fold`], which the ASCII fast path must equal.
    fn fold_unicode(s: &str) -> String {
        s.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn ascii_fast_path_folds_as_the_unicode_path() {
        let mut every: String = (0u8..128).map(char::from).collect();
        every.push_str(" Ministry SAID 1,250 TONNES; O'Neill's \"Ceasefire\" e-mail\t\r\n");
        for s in [every.as_str(), "", "ABC", "x9Y", "\u{0}\u{7f}"] {
            assert_eq!(fold(s), fold_unicode(s), "{s:?}");
        }
        // Not ASCII: still the Unicode path.
        assert_eq!(fold("Äußerung Café ПЕРЕГОВОРЫ"), "außerung cafe переговоры");
    }
}
