//! Finding a highlighted passage again in another version of its story, by
//! its text and the context kept on each side. When it cannot say *where* with
//! confidence it says so instead of guessing. No storage here: a highlight
//! comes in, an [`Anchor`] goes out.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::Highlight;
use crate::versions::Version;

/// Lowest word-level similarity at which an edited passage is still "the same passage".
pub const CHANGED_THRESHOLD: f32 = 0.6;
/// Chars of matching context that make one of several equal passages the right one.
const CONTEXT_CONFIRMS: usize = 12;

/// Where a highlight is in another version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Anchor {
    /// The same text, found with its context (or found only once).
    Exact { start: usize, end: usize },
    /// The passage was edited: the best match within a paragraph, with its
    /// word-level similarity (0..1) to the highlighted text.
    Changed {
        start: usize,
        end: usize,
        text: String,
        similarity: f32,
    },
    /// The same text occurs more than once and the context does not say which
    /// one was meant: the passage is still there, its place is uncertain.
    Ambiguous { candidates: Vec<AnchorSpan> },
    /// Nothing close enough is left.
    Gone,
}

/// A char range in a version's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnchorSpan {
    pub start: usize,
    pub end: usize,
}

/// Finds the highlighted passage in version `v` (usually a later version of
/// the same source).
///
/// - The same text occurring once, or several times with exactly one
///   occurrence whose context matches, is `Exact`.
/// - Several occurrences and no deciding context is `Ambiguous`.
/// - Otherwise the best word-level fuzzy match inside one paragraph (or as many
///   consecutive paragraphs as the highlight spans) at or above
///   [`CHANGED_THRESHOLD`] is `Changed`, else `Gone`.
///
/// A single exact occurrence whose context no longer matches is checked
/// against the fuzzy matches: if an edited passage elsewhere carries the
/// original context, that one is the highlight (it was a repeated phrase).
pub fn anchor(h: &Highlight, v: &Version) -> Anchor {
    let text = Text::new(&v.text);
    let n = h.text.chars().count();
    if v.id == h.version_id {
        let (s, e) = (h.start as usize, h.end as usize);
        if e <= text.chars.len() && s < e && text.slice(s, e) == h.text {
            return Anchor::Exact { start: s, end: e };
        }
    }
    let prefix: Vec<char> = h.prefix.chars().collect();
    let suffix: Vec<char> = h.suffix.chars().collect();
    let needed = CONTEXT_CONFIRMS.min(prefix.len() + suffix.len());
    let occurrences = text.find_all(&h.text);
    let scored: Vec<(usize, usize)> = occurrences
        .iter()
        .map(|&s| (s, text.context_score(s, s + n, &prefix, &suffix)))
        .collect();

    match scored.len() {
        0 => {}
        1 => {
            let (s, score) = scored[0];
            if score >= needed {
                return Anchor::Exact {
                    start: s,
                    end: s + n,
                };
            }
            // Found once, context gone: was this a phrase repeated elsewhere
            // that has been edited where it was highlighted?
            if let Some(m) = fuzzy(&text, h, Some((s, s + n))) {
                if text.context_similarity(m.start, m.end, &prefix, &suffix) >= 0.75 {
                    return changed(&text, m);
                }
            }
            return Anchor::Exact {
                start: s,
                end: s + n,
            };
        }
        _ => {
            let mut ranked = scored.clone();
            ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
            let (best, second) = (ranked[0], ranked[1]);
            if best.1 > second.1 && best.1 >= needed.max(1) {
                return Anchor::Exact {
                    start: best.0,
                    end: best.0 + n,
                };
            }
            return Anchor::Ambiguous {
                candidates: scored
                    .iter()
                    .map(|&(s, _)| AnchorSpan {
                        start: s,
                        end: s + n,
                    })
                    .collect(),
            };
        }
    }
    match fuzzy(&text, h, None) {
        Some(m) => changed(&text, m),
        None => Anchor::Gone,
    }
}

fn changed(text: &Text, m: FuzzyMatch) -> Anchor {
    Anchor::Changed {
        start: m.start,
        end: m.end,
        text: text.slice(m.start, m.end),
        similarity: m.similarity,
    }
}

struct FuzzyMatch {
    start: usize,
    end: usize,
    similarity: f32,
}

/// The best window of words, inside one paragraph (or as many consecutive ones
/// as the highlight spans), resembling the highlight; `skip` excludes windows
/// overlapping that char range.
///
/// A window scores 1.5 per highlight word it contains (in order) minus 0.5 per
/// word it has: an inserted clause costs less than losing the passage's own
/// words, and stray extra words never pay. A word replaced at either edge is
/// then taken back in, so "三万名" → "一万名" matches "一万名", not "万名".
fn fuzzy(text: &Text, h: &Highlight, skip: Option<(usize, usize)>) -> Option<FuzzyMatch> {
    let wanted: Vec<&str> = words(&h.text).into_iter().map(|(w, _, _)| w).collect();
    let n = wanted.len();
    if n == 0 {
        return None;
    }
    let span_blocks = h.text.matches("\n\n").count() + 1;
    let mut best: Option<Candidate> = None;
    for b in 0..text.blocks.len().saturating_sub(span_blocks - 1) {
        let region_start = text.blocks[b].0;
        let region_end = text.blocks[b + span_blocks - 1].1;
        let words_in = text
            .words
            .iter()
            .filter(|w| w.1 >= region_start && w.2 <= region_end)
            .copied();
        // Words overlapping `skip` split the region: no window may cross them.
        let mut segments: Vec<Vec<Word>> = vec![Vec::new()];
        for w in words_in {
            match skip {
                Some((ss, se)) if w.1 < se && ss < w.2 => segments.push(Vec::new()),
                _ => segments.last_mut().expect("one segment").push(w),
            }
        }
        for region in segments {
            if region.is_empty() || !could_reach(&wanted, &region) {
                continue;
            }
            let tokens: Vec<&str> = region.iter().map(|w| w.0).collect();
            if let Some((score, first, last)) = best_window(&wanted, &tokens) {
                let len = last + 1 - first;
                if best
                    .as_ref()
                    .is_none_or(|(s, l, _, _)| score > *s || (score == *s && len < *l))
                {
                    best = Some((score, len, region, first));
                }
            }
        }
    }
    let (_, len, region, i) = best?;
    let (mut first, mut last) = (i, i + len - 1);
    // Take back words replaced at the edges.
    let tokens: Vec<&str> = region.iter().map(|w| w.0).collect();
    let ops =
        similar::capture_diff_slices(similar::Algorithm::Myers, &wanted, &tokens[first..=last]);
    let equal: Vec<(usize, usize)> = ops
        .iter()
        .filter_map(|op| match *op {
            similar::DiffOp::Equal { old_index, len, .. } => Some((old_index, len)),
            _ => None,
        })
        .collect();
    let (lead, trail) = match (equal.first(), equal.last()) {
        (Some(&(o, _)), Some(&(lo_, l))) => (o, n - (lo_ + l)),
        _ => return None,
    };
    for _ in 0..lead {
        if first == 0 || ends_sentence(tokens[first - 1]) {
            break;
        }
        first -= 1;
    }
    for _ in 0..trail {
        if last + 1 >= tokens.len() || ends_sentence(tokens[last]) {
            break;
        }
        last += 1;
    }
    let window = &tokens[first..=last];
    let similarity = common_words(&wanted, window) as f32 / n.max(window.len()) as f32;
    (similarity >= CHANGED_THRESHOLD).then(|| FuzzyMatch {
        start: region[first].1,
        end: region[last].2,
        similarity,
    })
}

/// The window of `tokens` scoring best: +1 per highlight word matched (in
/// order), -0.5 per other word inside the window. A dynamic programme over
/// (text word, highlight word), O(len × n) instead of trying every window.
/// Returns (score, first, last) with ties going to the shorter window.
fn best_window(wanted: &[&str], tokens: &[&str]) -> Option<(f32, usize, usize)> {
    let n = wanted.len();
    // prev[i] / cur[i]: best (score, start) of a window ending at the previous /
    // current text word having used highlight words 1..=i.
    let none = (f32::NEG_INFINITY, 0usize);
    let mut prev = vec![none; n + 1];
    let mut best: Option<(f32, usize, usize)> = None;
    for (j, t) in tokens.iter().enumerate() {
        let mut cur = vec![none; n + 1];
        for i in 1..=n {
            // Skip highlight word i.
            let mut cell = cur[i - 1];
            // Text word j inside the window but unmatched.
            if prev[i].0 - 0.5 > cell.0 {
                cell = (prev[i].0 - 0.5, prev[i].1);
            }
            if wanted[i - 1] == *t {
                // Continue a window, or start one here.
                let (base, start) = if prev[i - 1].0 > 0.0 {
                    prev[i - 1]
                } else {
                    (0.0, j)
                };
                let m = base + 1.0;
                if m > cell.0 || (m == cell.0 && start > cell.1) {
                    cell = (m, start);
                }
            }
            cur[i] = cell;
        }
        let (score, start) = cur[n];
        if score > 0.0
            && best.is_none_or(|(s, f, l)| score > s || (score == s && j - start < l - f))
        {
            best = Some((score, start, j));
        }
        prev = cur;
    }
    best
}

/// A best window so far: score, length in words, the words of its region
/// (with char ranges) and the index of its first word there.
type Candidate<'a> = (f32, usize, Vec<Word<'a>>, usize);
/// A word and its char range.
type Word<'a> = (&'a str, usize, usize);

fn ends_sentence(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "。" | "！" | "？" | "؟")
}

/// Words of `wanted` found in `window`, in order (longest common subsequence).
fn common_words(wanted: &[&str], window: &[&str]) -> usize {
    similar::capture_diff_slices(similar::Algorithm::Myers, wanted, window)
        .iter()
        .map(|op| match op {
            similar::DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum()
}

/// Cheap upper bound: can any window of this region reach the threshold?
fn could_reach(wanted: &[&str], region: &[(&str, usize, usize)]) -> bool {
    use std::collections::HashMap;
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for w in region {
        *pool.entry(w.0).or_default() += 1;
    }
    let mut common = 0;
    for w in wanted {
        if let Some(c) = pool.get_mut(w) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
        }
    }
    common as f32 / wanted.len() as f32 >= CHANGED_THRESHOLD
}

/// Words (and punctuation) of `s` with their char ranges; whitespace dropped.
fn words(s: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    let mut char_pos = 0;
    let mut byte_pos = 0;
    for (b, w) in s.split_word_bound_indices() {
        char_pos += s[byte_pos..b].chars().count();
        byte_pos = b;
        let len = w.chars().count();
        if !w.trim().is_empty() {
            out.push((w, char_pos, char_pos + len));
        }
    }
    out
}

/// A version's text prepared for searching by chars.
struct Text<'a> {
    s: &'a str,
    chars: Vec<char>,
    /// Char ranges of blocks (split on "\n\n").
    blocks: Vec<(usize, usize)>,
    words: Vec<(&'a str, usize, usize)>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Self {
        let chars: Vec<char> = s.chars().collect();
        let mut blocks = Vec::new();
        let mut pos = 0;
        for part in s.split(crate::article::BLOCK_SEPARATOR) {
            let len = part.chars().count();
            blocks.push((pos, pos + len));
            pos += len + 2;
        }
        Text {
            s,
            chars,
            blocks,
            words: words(s),
        }
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// Char offsets of every occurrence of `needle` (overlapping ones included).
    fn find_all(&self, needle: &str) -> Vec<usize> {
        let mut out = Vec::new();
        if needle.is_empty() {
            return out;
        }
        let mut from = 0;
        while let Some(i) = self.s[from..].find(needle) {
            let b = from + i;
            out.push(self.s[..b].chars().count());
            from = b + self.s[b..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// Chars of stored context that match exactly right before and after `start..end`.
    fn context_score(&self, start: usize, end: usize, prefix: &[char], suffix: &[char]) -> usize {
        let before = prefix
            .iter()
            .rev()
            .zip(self.chars[..start].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = suffix
            .iter()
            .zip(self.chars[end..].iter())
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    }

    /// Char-level similarity (0..1) of the stored context to the text around `start..end`.
    fn context_similarity(
        &self,
        start: usize,
        end: usize,
        prefix: &[char],
        suffix: &[char],
    ) -> f32 {
        let before = &self.chars[start.saturating_sub(prefix.len())..start];
        let after = &self.chars[end..(end + suffix.len()).min(self.chars.len())];
        let total = prefix.len() + suffix.len();
        if total == 0 {
            return 0.0;
        }
        let r = |a: &[char], b: &[char]| {
            let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
            similar::get_diff_ratio(&ops, a.len(), b.len())
        };
        (r(prefix, before) * prefix.len() as f32 + r(suffix, after) * suffix.len() as f32)
            / total as f32
    }
}
