//! Matching one query against one piece of text in memory, with the same
//! language-aware forms the stem index uses: a feed rule ("clip items about
//! «санкции»") reads like a search and finds what search would find.

use std::collections::HashSet;

use super::cjk::is_cjk_letter;
use super::query::{Node, ParsedQuery};
use super::stem::{forms, row_lang};
use super::words::{fold, words_of};

/// A text prepared once for many [`ParsedQuery::matches_in`] calls.
#[derive(Debug)]
pub struct MatchText {
    /// The folded words in order, for phrases and prefixes.
    words: Vec<String>,
    /// Every word's folded forms in the text's language.
    forms: HashSet<String>,
    /// The folded text, for unspaced (CJK) terms matched as substrings.
    folded: String,
}

impl MatchText {
    /// Prepares `text`; `lang` is its declared language, if any (else detected).
    pub fn new(text: &str, lang: Option<&str>) -> Self {
        let lang = row_lang(lang, text);
        let mut words = Vec::new();
        let mut all = HashSet::new();
        for (_, w) in words_of(text) {
            let f = fold(w);
            all.extend(forms(w, lang));
            all.insert(f.clone());
            words.push(f);
        }
        MatchText {
            words,
            forms: all,
            folded: fold(text),
        }
    }
}

impl ParsedQuery {
    /// True when `text` satisfies the query (see [`MatchText`]).
    pub fn matches(&self, text: &str, lang: Option<&str>) -> bool {
        self.matches_in(&MatchText::new(text, lang))
    }

    /// [`ParsedQuery::matches`] on a prepared text.
    pub fn matches_in(&self, text: &MatchText) -> bool {
        node_matches(&self.root, text)
    }
}

fn node_matches(node: &Node, t: &MatchText) -> bool {
    match node {
        Node::And(v) => v.iter().all(|n| node_matches(n, t)),
        Node::Or(v) => v.iter().any(|n| node_matches(n, t)),
        Node::Not(n) => !node_matches(n, t),
        Node::Term {
            text,
            prefix,
            quoted,
        } => term_matches(text, *prefix, *quoted, t),
    }
}

fn term_matches(term: &str, prefix: bool, quoted: bool, t: &MatchText) -> bool {
    if term.chars().any(is_cjk_letter) {
        return t.folded.contains(&fold(term));
    }
    let words: Vec<&str> = words_of(term).map(|(_, w)| w).collect();
    match words.as_slice() {
        [] => false,
        [one] if prefix => {
            let f = fold(one);
            t.words.iter().any(|w| w.starts_with(&f))
        }
        [one] if quoted => t.words.contains(&fold(one)),
        [one] => {
            let f = fold(one);
            t.forms.contains(&f) || forms(one, "").iter().any(|g| t.forms.contains(g))
        }
        many => {
            let folded: Vec<String> = many.iter().map(|w| fold(w)).collect();
            let n = folded.len();
            t.words.windows(n).any(|win| {
                win.iter().zip(&folded).enumerate().all(|(i, (w, f))| {
                    if prefix && i == n - 1 {
                        w.starts_with(f.as_str())
                    } else {
                        w == f
                    }
                })
            })
        }
    }
}
