//! Paragraph alignment: which block of the old version became which block of
//! the new one.
//!
//! 1. Patience diff over the normalised blocks gives the anchors: blocks that
//!    stayed, in order. Between two anchors lies a *gap* in each version.
//! 2. Unmatched blocks are paired: identical text first, then by similarity
//!    (best match first), inside the same gap before across the document.
//! 3. A pair inside one gap, in order with the others there, is an in-place
//!    edit; any other pair is a move. So a paragraph that travelled is always
//!    reported as moved (and possibly edited), never as deleted plus added.

use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

use super::{inline, key, BlockDiff, BlockOp, Span, SpanOp};
use crate::article::Block;
use crate::normalize::{normalize, normalize_into};
use crate::script::is_unspaced;

/// Two paragraphs sharing at least this share of their words are one paragraph, edited.
pub(crate) const SIMILARITY_THRESHOLD: f64 = 0.5;

/// Past this many candidate comparisons, the document-wide search for moved
/// and edited paragraphs gives up (a complete rewrite is shown as such).
const MAX_GLOBAL_COMPARISONS: usize = 400_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Placement {
    InPlace,
    Moved,
}

pub(crate) fn align(old: &[Block], new: &[Block]) -> Vec<BlockDiff> {
    let (on, nn) = keys(old, new);

    let deadline = Instant::now() + Duration::from_millis(500);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Patience, &on, &nn, Some(deadline));

    // Anchors: (old, new) pairs of unchanged blocks, in order.
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    for op in &ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            anchors.extend((0..len).map(|k| (old_index + k, new_index + k)));
        }
    }
    let mut old_pair: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_pair: Vec<Option<(usize, Placement)>> = vec![None; new.len()];
    for &(o, n) in &anchors {
        old_pair[o] = Some(n);
        new_pair[n] = Some((o, Placement::InPlace));
    }
    // Gap number of every block: how many anchors precede it.
    let gaps = |len: usize, anchored: &dyn Fn(usize) -> bool| -> Vec<usize> {
        let mut g = 0;
        (0..len)
            .map(|i| {
                let here = g;
                if anchored(i) {
                    g += 1;
                }
                here
            })
            .collect()
    };
    let old_gap = gaps(old.len(), &|i| old_pair[i].is_some());
    let new_gap = gaps(new.len(), &|i| new_pair[i].is_some());

    let mut pairs: Vec<(usize, usize)> = Vec::new();

    // Identical text elsewhere: a pure move (or a duplicate the diff skipped).
    {
        let mut by_text: HashMap<u64, Vec<usize>> = HashMap::new();
        for o in (0..old.len()).filter(|&o| old_pair[o].is_none()) {
            by_text.entry(on[o]).or_default().push(o);
        }
        let unpaired_new: Vec<usize> = (0..new.len()).filter(|&n| new_pair[n].is_none()).collect();
        for n in unpaired_new {
            if let Some(list) = by_text.get_mut(&nn[n]) {
                if list.is_empty() {
                    continue;
                }
                let k = list
                    .iter()
                    .position(|&o| old_gap[o] == new_gap[n])
                    .unwrap_or(0);
                let o = list.remove(k);
                old_pair[o] = Some(n);
                pairs.push((o, n));
                new_pair[n] = Some((o, Placement::Moved));
            }
        }
    }

    // Edited paragraphs: by similarity, within each gap first, then anywhere.
    let free_old: Vec<usize> = (0..old.len()).filter(|&o| old_pair[o].is_none()).collect();
    let free_new: Vec<usize> = (0..new.len()).filter(|&n| new_pair[n].is_none()).collect();
    // Only the unpaired blocks are tokenised (normalised texts made here).
    let mut old_tokens: HashMap<usize, Vec<u64>> = free_old
        .iter()
        .map(|&o| (o, tokens(&normalize(&old[o].text))))
        .collect();
    let new_tokens: HashMap<usize, Vec<u64>> = free_new
        .iter()
        .map(|&n| (n, tokens(&normalize(&new[n].text))))
        .collect();

    let rivals = Rivals::new(old, &old_pair);

    let mut by_gap: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for &o in &free_old {
        by_gap.entry(old_gap[o]).or_default().0.push(o);
    }
    for &n in &free_new {
        by_gap.entry(new_gap[n]).or_default().1.push(n);
    }
    let mut gap_ids: Vec<usize> = by_gap.keys().copied().collect();
    gap_ids.sort_unstable();
    for g in gap_ids {
        let (os, ns) = &by_gap[&g];
        if os.is_empty() || ns.is_empty() {
            continue;
        }
        let matched = best_matches(os, ns, &old_tokens, &new_tokens, &rivals, usize::MAX);
        for (o, n) in matched {
            old_pair[o] = Some(n);
            new_pair[n] = Some((o, Placement::Moved));
            pairs.push((o, n));
        }
    }
    let rest_old: Vec<usize> = free_old
        .iter()
        .copied()
        .filter(|&o| old_pair[o].is_none())
        .collect();
    let rest_new: Vec<usize> = free_new
        .iter()
        .copied()
        .filter(|&n| new_pair[n].is_none())
        .collect();
    if !rest_old.is_empty() && !rest_new.is_empty() {
        let matched = best_matches(
            &rest_old,
            &rest_new,
            &old_tokens,
            &new_tokens,
            &rivals,
            MAX_GLOBAL_COMPARISONS,
        );
        for (o, n) in matched {
            old_pair[o] = Some(n);
            new_pair[n] = Some((o, Placement::Moved));
            pairs.push((o, n));
        }
    }
    old_tokens.clear();

    // In place: pairs within one gap that keep their order there.
    let mut in_gap: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for &(o, n) in &pairs {
        if old_gap[o] == new_gap[n] {
            in_gap.entry(new_gap[n]).or_default().push((o, n));
        }
    }
    for (_, mut list) in in_gap {
        list.sort_unstable_by_key(|&(_, n)| n);
        let olds: Vec<usize> = list.iter().map(|&(o, _)| o).collect();
        for k in longest_increasing(&olds) {
            let (o, n) = list[k];
            new_pair[n] = Some((o, Placement::InPlace));
        }
    }

    // Reading order: gap by gap, each followed by its anchor.
    let mut out = Vec::with_capacity(new.len() + old.len() / 4);
    let mut o_start = 0;
    let mut n_start = 0;
    let mut bounds = anchors.clone();
    bounds.push((old.len(), new.len()));
    for (ai, &(ao, an)) in bounds.iter().enumerate() {
        let mut pending = (o_start..ao).filter(|&o| old_pair[o].is_none()).peekable();
        for (n, pair) in new_pair.iter().enumerate().take(an).skip(n_start) {
            match *pair {
                Some((o, Placement::InPlace)) => {
                    while let Some(&p) = pending.peek() {
                        if p > o {
                            break;
                        }
                        out.push(removed(old, p));
                        pending.next();
                    }
                    out.push(paired(old, new, &on, &nn, o, n, false));
                }
                Some((o, Placement::Moved)) => out.push(paired(old, new, &on, &nn, o, n, true)),
                None => out.push(added(new, n)),
            }
        }
        for p in pending {
            out.push(removed(old, p));
        }
        if ai < anchors.len() {
            out.push(paired(old, new, &on, &nn, ao, an, false));
            o_start = ao + 1;
            n_start = an + 1;
        }
    }
    out
}

fn removed(old: &[Block], o: usize) -> BlockDiff {
    BlockDiff {
        op: BlockOp::Removed,
        old_index: Some(o),
        new_index: None,
        kind: old[o].kind,
        old_text: Some(old[o].text.clone()),
        new_text: None,
        edited: false,
        spans: vec![Span {
            op: SpanOp::Delete,
            text: old[o].text.clone(),
        }],
    }
}

fn added(new: &[Block], n: usize) -> BlockDiff {
    BlockDiff {
        op: BlockOp::Added,
        old_index: None,
        new_index: Some(n),
        kind: new[n].kind,
        old_text: None,
        new_text: Some(new[n].text.clone()),
        edited: false,
        spans: vec![Span {
            op: SpanOp::Insert,
            text: new[n].text.clone(),
        }],
    }
}

fn paired(
    old: &[Block],
    new: &[Block],
    on: &[u64],
    nn: &[u64],
    o: usize,
    n: usize,
    moved: bool,
) -> BlockDiff {
    let edited = on[o] != nn[n];
    let op = match (moved, edited) {
        (true, _) => BlockOp::Moved,
        (false, true) => BlockOp::Edited,
        (false, false) => BlockOp::Unchanged,
    };
    let spans = if edited {
        inline::spans(&old[o].text, &new[n].text)
    } else {
        vec![Span {
            op: SpanOp::Equal,
            text: new[n].text.clone(),
        }]
    };
    BlockDiff {
        op,
        old_index: Some(o),
        new_index: Some(n),
        kind: new[n].kind,
        old_text: Some(old[o].text.clone()),
        new_text: Some(new[n].text.clone()),
        edited: moved && edited,
        spans,
    }
}

/// Keys of the blocks' normalised texts, equal exactly when the texts are
/// (see [`key`]): the alignment then compares and hashes numbers. Keys that
/// collide on different texts are checked for, and the texts are numbered
/// instead when they do.
fn keys(old: &[Block], new: &[Block]) -> (Vec<u64>, Vec<u64>) {
    let mut buf = String::new();
    let mut key_of = |b: &Block| {
        normalize_into(&b.text, &mut buf);
        key::key_of(buf.as_bytes())
    };
    let ok: Vec<u64> = old.iter().map(&mut key_of).collect();
    let nk: Vec<u64> = new.iter().map(&mut key_of).collect();
    let all = || old.iter().zip(&ok).chain(new.iter().zip(&nk));
    if keys_are_exact(all()) {
        return (ok, nk);
    }
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut id_of = |b: &Block| {
        let next = ids.len() as u64;
        *ids.entry(normalize(&b.text)).or_insert(next)
    };
    let ok = old.iter().map(&mut id_of).collect();
    let nk = new.iter().map(&mut id_of).collect();
    (ok, nk)
}

/// No two blocks share a key unless their normalised texts are the same.
fn keys_are_exact<'a>(blocks: impl Iterator<Item = (&'a Block, &'a u64)>) -> bool {
    let mut first: HashMap<u64, &str> = HashMap::new();
    for (b, &k) in blocks {
        match first.entry(k) {
            Entry::Vacant(e) => {
                e.insert(&b.text);
            }
            Entry::Occupied(e) => {
                let seen = *e.get();
                if seen != b.text && normalize(seen) != normalize(&b.text) {
                    return false;
                }
            }
        }
    }
    true
}

/// Greedy best-first pairing of `os` with `ns` by [`dice`] above the threshold,
/// unless the document's settled paragraphs are as alike (see [`Rivals`]).
fn best_matches(
    os: &[usize],
    ns: &[usize],
    ot: &HashMap<usize, Vec<u64>>,
    nt: &HashMap<usize, Vec<u64>>,
    rivals: &Rivals,
    budget: usize,
) -> Vec<(usize, usize)> {
    if os.len().saturating_mul(ns.len()) > budget {
        return Vec::new();
    }
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for &o in os {
        let a = &ot[&o];
        for &n in ns {
            let b = &nt[&n];
            // Cheap bound: Dice can't exceed 2·min/(sum).
            let (la, lb) = (a.len(), b.len());
            if la + lb > 0 && (2 * la.min(lb)) as f64 / ((la + lb) as f64) < SIMILARITY_THRESHOLD {
                continue;
            }
            let s = dice(a, b);
            if s >= SIMILARITY_THRESHOLD {
                cands.push((s, o, n));
            }
        }
    }
    cands.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| x.1.abs_diff(x.2).cmp(&y.1.abs_diff(y.2)))
            .then_with(|| x.1.cmp(&y.1))
    });
    let mut used_o = std::collections::HashSet::new();
    let mut used_n = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (s, o, n) in cands {
        if used_o.contains(&o) || used_n.contains(&n) {
            continue;
        }
        if rivals.any(&ot[&o], s) || rivals.any(&nt[&n], s) {
            continue;
        }
        used_o.insert(o);
        used_n.insert(n);
        out.push((o, n));
    }
    out
}

/// How many settled paragraphs, at most, stand for the document's ordinary
/// likeness (enough that the likeliest look-alike among them is found).
const RIVAL_SAMPLE: usize = 256;

/// Settled paragraphs (unchanged, or moved unchanged) of the old version,
/// evenly spread: what two paragraphs that are *not* one another look like
/// in this document.
///
/// Sharing half its words with a removed paragraph makes an added one its
/// revision in ordinary prose, where unrelated paragraphs share a fifth. In
/// template-like prose (a live blog, results written out, a long report)
/// unrelated paragraphs share half their words through the template alone,
/// and were paired at the threshold as moved-and-edited, with invented
/// figure changes. So a pair must be more alike than either paragraph is
/// with any settled one, which it certainly is not the revision of.
struct Rivals<'a> {
    texts: Vec<&'a str>,
    /// Tokenised on first use: most diffs pair nothing by similarity.
    tokens: OnceCell<Vec<Vec<u64>>>,
}

impl<'a> Rivals<'a> {
    fn new(old: &'a [Block], old_pair: &[Option<usize>]) -> Self {
        let settled: Vec<&str> = (0..old.len())
            .filter(|&o| old_pair[o].is_some())
            .map(|o| old[o].text.as_str())
            .collect();
        let stride = settled.len().div_ceil(RIVAL_SAMPLE).max(1);
        Rivals {
            texts: settled.into_iter().step_by(stride).collect(),
            tokens: OnceCell::new(),
        }
    }

    /// True when some settled paragraph is at least `s` alike with `t`.
    fn any(&self, t: &[u64], s: f64) -> bool {
        let sample = self
            .tokens
            .get_or_init(|| self.texts.iter().map(|x| tokens(&normalize(x))).collect());
        sample.iter().any(|x| dice_at_least(t, x, s))
    }
}

/// Whether [`dice`]`(a, b) >= s`, stopping as soon as the answer is known
/// (most settled paragraphs are far from a candidate pair's likeness).
fn dice_at_least(a: &[u64], b: &[u64], s: f64) -> bool {
    let total = a.len() + b.len();
    if total == 0 {
        return true;
    }
    // Shared tokens needed: 2·common / total >= s.
    let need = (s * total as f64 / 2.0).ceil().max(0.0) as usize;
    if a.len().min(b.len()) < need {
        return false;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        if common >= need {
            return true;
        }
        if common + (a.len() - i).min(b.len() - j) < need {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common >= need
}

/// Indices of one longest strictly increasing subsequence of `xs`.
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into xs
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for i in 0..xs.len() {
        let pos = tails.partition_point(|&t| xs[t] < xs[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

/// A sorted bag of hashed tokens: lower-cased words, and for unspaced
/// scripts character bigrams (single characters alone would make any two
/// Chinese paragraphs look alike).
pub(crate) fn tokens(s: &str) -> Vec<u64> {
    // Each word is hashed as it is read (the hash of its lower-cased UTF-8),
    // ASCII letters without the Unicode case tables.
    let mut out = Vec::new();
    let mut word: Option<u64> = None;
    let mut prev_cjk: Option<char> = None;
    for c in s.chars() {
        if c.is_ascii() {
            prev_cjk = None;
            if c.is_ascii_alphanumeric() {
                let h = word.unwrap_or(FNV_START);
                word = Some(fnv_step(h, c.to_ascii_lowercase() as u8));
            } else if let Some(h) = word.take() {
                out.push(h);
            }
        } else if is_unspaced(c) {
            if let Some(h) = word.take() {
                out.push(h);
            }
            if let Some(p) = prev_cjk {
                let mut buf = [0u8; 8];
                p.encode_utf8(&mut buf[..4]);
                c.encode_utf8(&mut buf[4..]);
                out.push(fnv(&buf));
            }
            prev_cjk = Some(c);
        } else {
            prev_cjk = None;
            if c.is_alphanumeric() {
                let mut h = word.unwrap_or(FNV_START);
                let mut utf8 = [0u8; 4];
                for l in c.to_lowercase() {
                    for &b in l.encode_utf8(&mut utf8).as_bytes() {
                        h = fnv_step(h, b);
                    }
                }
                word = Some(h);
            } else if let Some(h) = word.take() {
                out.push(h);
            }
        }
    }
    if let Some(h) = word {
        out.push(h);
    }
    out.sort_unstable();
    out
}

const FNV_START: u64 = 0xcbf29ce484222325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x100000001b3)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_START, |h, &b| fnv_step(h, b))
}

/// Dice coefficient of two sorted token bags: 1.0 same words, 0.0 none shared.
pub(crate) fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis_picks_the_longest_run() {
        assert_eq!(
            longest_increasing(&[0, 1, 2, 13, 3, 4, 11, 5]),
            vec![0, 1, 2, 4, 5, 7]
        );
        assert!(longest_increasing(&[]).is_empty());
    }

    /// The tokens as first written: words collected, lower-cased, then hashed.
    fn tokens_by_words(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut prev_cjk: Option<char> = None;
        for c in s.chars() {
            if is_unspaced(c) {
                if !word.is_empty() {
                    out.push(fnv(word.as_bytes()));
                    word.clear();
                }
                if let Some(p) = prev_cjk {
                    let mut buf = [0u8; 8];
                    p.encode_utf8(&mut buf[..4]);
                    c.encode_utf8(&mut buf[4..]);
                    out.push(fnv(&buf));
                }
                prev_cjk = Some(c);
            } else {
                prev_cjk = None;
                if c.is_alphanumeric() {
                    word.extend(c.to_lowercase());
                } else if !word.is_empty() {
                    out.push(fnv(word.as_bytes()));
                    word.clear();
                }
            }
        }
        if !word.is_empty() {
            out.push(fnv(word.as_bytes()));
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn tokens_hash_words_as_they_are_read() {
        for s in [
            "",
            "The Mayor said 30,000 residents left; the MAYOR denied it.",
            "İstanbul'da ΣΟΦΊΑ Straße ǅemal — naïve café",
            "国务院新闻办公室今天举行发布会 with English 和中文",
            "МОСКВА, 3 декабря — «Мы не знали», — сказал он.",
            "ภาษาไทย mixed ١٢٣ digits",
        ] {
            assert_eq!(tokens(s), tokens_by_words(s), "{s:?}");
        }
    }

    #[test]
    fn dice_of_reordered_words_is_one() {
        assert_eq!(dice(&tokens("a b c"), &tokens("c b a")), 1.0);
        assert_eq!(dice(&tokens("a b"), &tokens("c d")), 0.0);
    }
}
