//! Changes inside one paragraph pair: words for spaced scripts, characters
//! (graphemes) for Chinese and Japanese, then a cleanup that swallows short
//! equal runs between changes so the result reads like an editor's markup
//! ("from [-Washington or its vassals-]{+anyone+}") instead of confetti.

use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use similar::{Algorithm, ChangeTag, DiffTag};
use unicode_segmentation::UnicodeSegmentation;

use super::{Span, SpanOp};
use crate::script::is_unspaced;

/// A single paragraph never takes longer than this; past it the diff is coarser, not wrong.
const DEADLINE: Duration = Duration::from_millis(20);

#[derive(Debug, PartialEq)]
enum Seg {
    Equal(String),
    Change { del: String, ins: String },
}

pub(crate) fn spans(old: &str, new: &str) -> Vec<Span> {
    let mut segs = segments(old, new);
    cleanup(&mut segs);

    let mut out = Vec::with_capacity(segs.len() * 2);
    for s in segs {
        match s {
            Seg::Equal(text) => out.push(Span {
                op: SpanOp::Equal,
                text,
            }),
            Seg::Change { del, ins } => {
                if !del.is_empty() {
                    out.push(Span {
                        op: SpanOp::Delete,
                        text: del,
                    });
                }
                if !ins.is_empty() {
                    out.push(Span {
                        op: SpanOp::Insert,
                        text: ins,
                    });
                }
            }
        }
    }
    out
}

/// The word (or character) diff of a pair as runs of equal and changed text.
fn segments(old: &str, new: &str) -> Vec<Seg> {
    let (old_tokens, new_tokens): (Vec<&str>, Vec<&str>) = if unspaced(old) || unspaced(new) {
        (old.graphemes(true).collect(), new.graphemes(true).collect())
    } else {
        (
            old.split_word_bounds().collect(),
            new.split_word_bounds().collect(),
        )
    };
    let (old_ids, new_ids) = numbered(&old_tokens, &new_tokens);
    let ops = similar::capture_diff_deadline(
        Algorithm::Myers,
        &old_ids,
        0..old_ids.len(),
        &new_ids,
        0..new_ids.len(),
        Some(Instant::now() + DEADLINE),
    );
    let mut segs = Vec::new();
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let mut add = |tag, tokens: &[&str]| {
            for token in tokens {
                push(&mut segs, tag, token);
            }
        };
        match tag {
            DiffTag::Equal => add(ChangeTag::Equal, &old_tokens[old_range]),
            DiffTag::Delete => add(ChangeTag::Delete, &old_tokens[old_range]),
            DiffTag::Insert => add(ChangeTag::Insert, &new_tokens[new_range]),
            DiffTag::Replace => {
                add(ChangeTag::Delete, &old_tokens[old_range]);
                add(ChangeTag::Insert, &new_tokens[new_range]);
            }
        }
    }
    segs
}

/// Adds a run of text to the segments, joining it to the last one when it
/// continues it (a deletion next to an insertion is one change).
fn push(segs: &mut Vec<Seg>, tag: ChangeTag, v: &str) {
    match (tag, segs.last_mut()) {
        (ChangeTag::Equal, Some(Seg::Equal(s))) => s.push_str(v),
        (ChangeTag::Equal, _) => segs.push(Seg::Equal(v.to_string())),
        (ChangeTag::Delete, Some(Seg::Change { del, .. })) => del.push_str(v),
        (ChangeTag::Insert, Some(Seg::Change { ins, .. })) => ins.push_str(v),
        (ChangeTag::Delete, _) => segs.push(Seg::Change {
            del: v.to_string(),
            ins: String::new(),
        }),
        (ChangeTag::Insert, _) => segs.push(Seg::Change {
            del: String::new(),
            ins: v.to_string(),
        }),
    }
}

/// Semantic cleanup (after diff-match-patch): an equal run between two
/// changes that is no longer than the changes on either side of it, or is
/// only whitespace and punctuation, is folded into one larger change.
fn cleanup(segs: &mut Vec<Seg>) {
    let mut i = 1;
    while i + 1 < segs.len() {
        let fold = match (&segs[i - 1], &segs[i], &segs[i + 1]) {
            (Seg::Change { del: d1, ins: i1 }, Seg::Equal(e), Seg::Change { del: d2, ins: i2 }) => {
                let el = e.chars().count();
                let left = d1.chars().count().max(i1.chars().count());
                let right = d2.chars().count().max(i2.chars().count());
                (el <= left && el <= right) || !e.chars().any(char::is_alphanumeric)
            }
            _ => false,
        };
        if !fold {
            i += 1;
            continue;
        }
        let next = segs.remove(i + 1);
        let eq = segs.remove(i);
        let (Seg::Change { del: d2, ins: i2 }, Seg::Equal(e)) = (next, eq) else {
            unreachable!("checked above")
        };
        if let Seg::Change { del, ins } = &mut segs[i - 1] {
            del.push_str(&e);
            del.push_str(&d2);
            ins.push_str(&e);
            ins.push_str(&i2);
        }
        // The grown change may now swallow the equal run before it.
        i = i.saturating_sub(1).max(1);
    }
}

/// The tokens of both texts as numbers, equal exactly where the tokens are,
/// so the diff compares integers. `similar`'s `TextDiff` numbers them the
/// same way but hashes each token with SipHash, which was a fifth of a word
/// diff; a token here is a few bytes, and the map lives for one paragraph.
fn numbered<'t>(old: &[&'t str], new: &[&'t str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: FxHashMap<&'t str, u32> = FxHashMap::default();
    ids.reserve(old.len());
    let mut id = |t: &&'t str| {
        let next = u32::try_from(ids.len()).expect("fewer than 2^32 tokens in a paragraph");
        *ids.entry(*t).or_insert(next)
    };
    (
        old.iter().map(&mut id).collect(),
        new.iter().map(&mut id).collect(),
    )
}

/// Mostly Han or kana: no spaces to split words on, so compare characters.
fn unspaced(s: &str) -> bool {
    let mut cjk = 0usize;
    let mut other = 0usize;
    for c in s.chars() {
        if is_unspaced(c) {
            cjk += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    cjk > 0 && cjk >= other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::Sequence;

    fn render(spans: &[Span]) -> String {
        spans
            .iter()
            .map(|s| match s.op {
                SpanOp::Equal => s.text.clone(),
                SpanOp::Delete => format!("[-{}-]", s.text),
                SpanOp::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn short_equal_runs_are_absorbed() {
        let s = spans(
            "threats from Washington or its vassals, she said",
            "threats from anyone, least of all Washington, she said",
        );
        assert_eq!(
            render(&s),
            "threats from [-Washington or its vassals-]{+anyone, least of all Washington+}, she said"
        );
    }

    /// The segments as `similar`'s `TextDiff` finds them, token by token:
    /// what [`segments`] did before it numbered the tokens itself.
    fn segments_by_text_diff(old: &str, new: &str) -> Vec<Seg> {
        let mut cfg = similar::TextDiff::configure();
        cfg.algorithm(Algorithm::Myers);
        let diff = if unspaced(old) || unspaced(new) {
            cfg.diff_graphemes(old, new)
        } else {
            cfg.diff_unicode_words(old, new)
        };
        let mut segs = Vec::new();
        for c in diff.iter_all_changes() {
            push(&mut segs, c.tag(), c.value());
        }
        segs
    }

    #[test]
    fn numbered_tokens_diff_as_text_diff_does() {
        // Generated paragraph pairs from a small vocabulary (repeats make
        // Myers choose between equal paths), over and under the 100 tokens
        // where TextDiff starts numbering its own, spaced and unspaced.
        const WORDS: [&str; 11] = [
            "the",
            "minister",
            "said",
            "3.5",
            "e-mail",
            "“no”",
            ",",
            "港口关闭",
            "了",
            "é",
            "",
        ];
        let mut sequence = Sequence::new(0x2545_f491_4f6c_dd1d);
        let mut next = || (sequence.next_u64() >> 33) as usize;
        for round in 0..900 {
            let len = [12, 60, 150][round % 3];
            let unspaced_text = round % 5 == 0;
            let words: Vec<&str> = (0..len).map(|_| WORDS[next() % WORDS.len()]).collect();
            let mut edited = words.clone();
            for _ in 0..1 + next() % 6 {
                let at = next() % edited.len();
                match next() % 3 {
                    0 => {
                        edited.remove(at);
                    }
                    1 => edited.insert(at, WORDS[next() % WORDS.len()]),
                    _ => edited[at] = WORDS[next() % WORDS.len()],
                }
            }
            let sep = if unspaced_text { "" } else { " " };
            let (old, new) = (words.join(sep), edited.join(sep));
            assert_eq!(
                segments(&old, &new),
                segments_by_text_diff(&old, &new),
                "{old:?} → {new:?}"
            );
        }
    }

    #[test]
    fn a_figure_is_one_change() {
        let s = spans("about 30,000 soldiers", "about 10,000 soldiers");
        assert_eq!(render(&s), "about [-30,000-]{+10,000+} soldiers");
    }
}
