//! Snippets: a passage around the matches, escaped for HTML, cut in Rust
//! where FTS5's `snippet()` would cost more (CJK hits, phrase queries).

use super::cjk::is_cjk;
use super::words::{fold, words_of};
use super::{CLOSE, OPEN};

/// Characters of context kept before the first match in a hand-cut snippet.
pub(super) const BEFORE: usize = 24;
/// Length of a hand-cut snippet, in characters.
pub(super) const WINDOW: usize = 96;

/// Cuts a passage around the first needle and wraps every needle in the
/// match markers. Matching folds case and accents, like the tokenizers.
///
/// The text is folded once, char by char, into one buffer that remembers
/// which original char each folded char came from (one allocation, not one
/// per char: bodies run to thousands of characters and 20 hits are cut per
/// search).
pub(super) fn cut_snippet(text: &str, needles: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut folded: Vec<char> = Vec::with_capacity(chars.len());
    // For each original char, where its folded chars start in `folded`.
    let mut start_of: Vec<usize> = Vec::with_capacity(chars.len() + 1);
    // For each folded char, the original char it came from.
    let mut origin: Vec<usize> = Vec::with_capacity(chars.len());
    let mut buf = [0u8; 4];
    for (i, &c) in chars.iter().enumerate() {
        start_of.push(folded.len());
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            origin.push(i);
        } else if is_cjk(c) {
            folded.push(c);
            origin.push(i);
        } else {
            for f in fold(c.encode_utf8(&mut buf)).chars() {
                folded.push(f);
                origin.push(i);
            }
        }
    }
    start_of.push(folded.len());
    let needles: Vec<Vec<char>> = needles
        .iter()
        .map(|n| n.chars().collect::<Vec<char>>())
        .filter(|n| !n.is_empty())
        .collect();
    // The length in original chars of the needle that starts at char `i`.
    let match_at = |i: usize| -> Option<usize> {
        let f = start_of[i];
        if f == start_of[i + 1] {
            return None; // folds to nothing (a combining mark)
        }
        needles
            .iter()
            .find(|n| folded[f..].starts_with(n))
            .map(|n| origin[f + n.len() - 1] + 1 - i)
    };
    let first = (0..chars.len()).find(|&i| match_at(i).is_some());
    let start = first.map_or(0, |f| f.saturating_sub(BEFORE));
    let end = (start + WINDOW).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    while i < end {
        if let Some(len) = match_at(i) {
            out.push(OPEN);
            out.extend(&chars[i..(i + len).min(chars.len())]);
            out.push(CLOSE);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    if i < chars.len() {
        out.push('…');
    }
    out
}

/// A query term for [`cut_word_snippet`]: its words, folded.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct WordNeedle {
    pub(super) words: Vec<String>,
    /// The last word is a prefix (`"grain dea"*`).
    pub(super) prefix: bool,
}

/// Like FTS5's snippet() for spaced text, without running the query again:
/// a passage around the first occurrence of any needle, every occurrence in
/// it marked. A needle of several words matches them consecutive, whatever
/// punctuation or spacing lies between (as the word index does), so a
/// phrase is marked whole.
pub(super) fn cut_word_snippet(text: &str, needles: &[WordNeedle]) -> String {
    let words: Vec<(usize, &str)> = words_of(text).collect();
    let folded: Vec<String> = words.iter().map(|(_, w)| fold(w)).collect();
    // The number of words of the needle that starts at word `i`.
    let match_at = |i: usize| -> Option<usize> {
        needles.iter().find_map(|n| {
            let k = n.words.len();
            let got = folded.get(i..i + k)?;
            let last = k - 1;
            let hit = got.iter().zip(&n.words).enumerate().all(|(j, (g, w))| {
                if j == last && n.prefix {
                    g.starts_with(w.as_str())
                } else {
                    g == w
                }
            });
            hit.then_some(k)
        })
    };
    cut_around(text, &words, &match_at)
}

/// Like [`cut_word_snippet`] for a hit found by its forms: marks every
/// word for which `matches` (its forms meet the query's) holds, so the
/// snippet shows the form the story uses (`Лаврова` for `Лавров`).
pub(super) fn cut_form_snippet(text: &str, matches: &dyn Fn(&str) -> bool) -> String {
    let words: Vec<(usize, &str)> = words_of(text).collect();
    let match_at = |i: usize| matches(words[i].1).then_some(1);
    cut_around(text, &words, &match_at)
}

/// The passage around the first word where `match_at` (the number of words
/// matched from there) holds, every match in it marked.
fn cut_around(
    text: &str,
    words: &[(usize, &str)],
    match_at: &dyn Fn(usize) -> Option<usize>,
) -> String {
    let first = (0..words.len()).find(|&i| match_at(i).is_some());
    // Byte offset of the passage: BEFORE characters before the first match.
    let from = first.map_or(0, |f| {
        let at = words[f].0;
        text[..at]
            .char_indices()
            .rev()
            .nth(BEFORE - 1)
            .map_or(0, |(i, _)| i)
    });
    let to = text[from..]
        .char_indices()
        .nth(WINDOW)
        .map_or(text.len(), |(i, _)| from + i);
    let mut out = String::with_capacity(to - from + 16);
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    let mut i = words.partition_point(|(s, _)| *s < from);
    while i < words.len() && words[i].0 < to {
        match match_at(i) {
            Some(k) => {
                let (start, _) = words[i];
                let (last, w) = words[i + k - 1];
                let end = last + w.len();
                out.push_str(&text[at..start]);
                out.push(OPEN);
                out.push_str(&text[start..end]);
                out.push(CLOSE);
                at = end;
                i += k;
            }
            None => i += 1,
        }
    }
    if at < to {
        out.push_str(&text[at..to]);
    }
    if at.max(to) < text.len() {
        out.push('…');
    }
    out
}

/// Escapes a snippet for HTML and turns the match markers into `<mark>`,
/// keeping the tags balanced whatever the text contained.
pub(super) fn to_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            OPEN if !open => {
                out.push_str("<mark>");
                open = true;
            }
            CLOSE if open => {
                out.push_str("</mark>");
                open = false;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out.trim().to_string()
}

/// A snippet as plain text with the matches in «guillemets», for terminals.
pub fn snippet_plain(html: &str) -> String {
    html.replace("<mark>", "«")
        .replace("</mark>", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse;

    #[test]
    fn cuts_and_escapes_snippets() {
        let s = cut_snippet("北京消息：<外交部>发言人表示，中国愿意", &["中国".into()]);
        assert_eq!(
            to_html(&s),
            "北京消息：&lt;外交部&gt;发言人表示，<mark>中国</mark>愿意"
        );
        assert_eq!(to_html("a\u{2}b\u{2}c"), "a<mark>bc</mark>");
    }

    #[test]
    fn cuts_phrase_snippets_on_word_boundaries() {
        let needles = parse("\"grain deal\" Odes*").unwrap().word_needles();
        let s = cut_word_snippet(
            "Ministers met in Odessa. The grain, deal or no deal: a grain\n\ndeal & <more>",
            &needles,
        );
        assert_eq!(
            to_html(&s),
            "Ministers met in <mark>Odessa</mark>. The <mark>grain, deal</mark> or no deal: \
             a <mark>grain deal</mark> &amp; &lt;more&gt;"
        );
        // Folds case and accents; no match inside a longer word.
        let needles = parse("\"cafe deal\"").unwrap().word_needles();
        let s = cut_word_snippet("Cafés dealt. CAFÉ Deal signed", &needles);
        assert_eq!(to_html(&s), "Cafés dealt. <mark>CAFÉ Deal</mark> signed");
    }
}
