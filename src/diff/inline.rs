//! Changes inside one paragraph pair: words for spaced scripts, characters
//! (graphemes) for Chinese and Japanese, then a cleanup that swallows short
//! equal runs between changes so the result reads like an editor's markup
//! ("from [-Washington or its vassals-]{+anyone+}") instead of confetti.

use std::time::{Duration, Instant};

use similar::{Algorithm, ChangeTag, TextDiff};

use super::{Span, SpanOp};
use crate::script::is_unspaced;

/// A single paragraph never takes longer than this; past it the diff is coarser, not wrong.
const DEADLINE: Duration = Duration::from_millis(20);

enum Seg {
    Equal(String),
    Change { del: String, ins: String },
}

pub(crate) fn spans(old: &str, new: &str) -> Vec<Span> {
    let mut cfg = TextDiff::configure();
    cfg.algorithm(Algorithm::Myers)
        .deadline(Instant::now() + DEADLINE);
    let diff = if unspaced(old) || unspaced(new) {
        cfg.diff_graphemes(old, new)
    } else {
        cfg.diff_unicode_words(old, new)
    };

    let mut segs: Vec<Seg> = Vec::new();
    for ch in diff.iter_all_changes() {
        let v = ch.value();
        match (ch.tag(), segs.last_mut()) {
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

    #[test]
    fn a_figure_is_one_change() {
        let s = spans("about 30,000 soldiers", "about 10,000 soldiers");
        assert_eq!(render(&s), "about [-30,000-]{+10,000+} soldiers");
    }
}
