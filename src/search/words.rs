//! Words as the word index sees them: folded case and accents, runs of
//! letters, digits and combining marks.

use unicode_normalization::UnicodeNormalization;

/// Case- and accent-folds like the trigram tokenizer does.
pub(super) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of spaced text as the word index sees them: runs of letters,
/// digits and combining marks, with their byte offsets.
pub(super) fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
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
