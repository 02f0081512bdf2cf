//! The one-glance account: counts, revised figures, altered quotes and
//! correction notices, read off the aligned blocks.

use std::sync::LazyLock;

use regex::Regex;
use similar::{Algorithm, DiffOp};

use super::align::{dice, tokens, SIMILARITY_THRESHOLD};
use super::{BlockDiff, BlockOp, NumberChange, QuoteChange, Summary, TextChange};
use crate::article::Article;
use crate::normalize::normalize;
use crate::quotes::{find_quotes_of_pair, Quote};

pub(crate) fn summarize(
    old: &Article,
    new: &Article,
    blocks: &[BlockDiff],
    headline: Option<TextChange>,
    byline: Option<TextChange>,
) -> Summary {
    let mut s = Summary {
        headline,
        byline,
        ..Summary::default()
    };
    for b in blocks {
        match b.op {
            BlockOp::Unchanged => {}
            BlockOp::Added => {
                s.paragraphs_added += 1;
                let text = b.new_text.as_deref().unwrap_or_default();
                if is_correction(text) {
                    s.corrections.push(text.to_string());
                }
            }
            BlockOp::Removed => s.paragraphs_removed += 1,
            BlockOp::Edited => s.paragraphs_edited += 1,
            BlockOp::Moved => {
                s.paragraphs_moved += 1;
                if b.edited {
                    s.paragraphs_edited += 1;
                }
            }
        }
        if b.op == BlockOp::Edited || b.edited {
            let (Some(o), Some(n)) = (&b.old_text, &b.new_text) else {
                continue;
            };
            s.numbers_changed.extend(changed_numbers(o, n));
        }
    }
    // Quotes of unchanged paragraphs are carried over from the old version
    // rather than found twice (the result is the same as finding them in each).
    let mut same = vec![None; new.blocks.len()];
    for b in blocks {
        if let (Some(o), Some(n)) = (b.old_index, b.new_index) {
            same[n] = Some(o);
        }
    }
    let (old_quotes, new_quotes) = find_quotes_of_pair(&old.blocks, &new.blocks, &same);
    s.quotes_altered = altered_quotes(&old_quotes, &new_quotes);
    s
}

/// A figure with its unit: "$500 million", "30,000", "12.5%", "1.2 billion",
/// "15 km", "8000亿美元", "200 ألف".
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:(?:US|A|C|HK|NZ)?[$€£¥₩₹₽]\s?)?
        [0-9٠-٩]+(?:[.,][0-9٠-٩]+)*
        (?:
            \s?(?i:million|billion|trillion|thousand|percent|per\s?cent|bn|mn|m|km|kilometres|kilometers|miles|mi|kg|tonnes|tons|barrels|ألف|مليون|مليار|만|억|조)\b
          | \s?[%％]
          | [万亿千百]*(?:美元|元|人|吨|公里|[%％])
          | [万亿]+
          | 万|億|円|ドル
        )?",
    )
    .expect("number pattern")
});

/// Figures that differ between the two texts of one paragraph, paired by position.
fn changed_numbers(old: &str, new: &str) -> Vec<NumberChange> {
    let on = normalize(old);
    let nn = normalize(new);
    let a: Vec<&str> = NUMBER.find_iter(&on).map(|m| m.as_str().trim()).collect();
    let b: Vec<&str> = NUMBER.find_iter(&nn).map(|m| m.as_str().trim()).collect();
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
        if let DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } = op
        {
            for k in 0..old_len.min(new_len) {
                out.push(NumberChange {
                    from: a[old_index + k].to_string(),
                    to: b[new_index + k].to_string(),
                });
            }
        }
    }
    out
}

/// How newsrooms start a correction or update notice, in several languages.
const CORRECTION_STARTS: &[&str] = &[
    "correction:",
    "corrections:",
    "correction —",
    "clarification:",
    "update:",
    "updated:",
    "editor's note:",
    "editors' note:",
    "editor’s note:",
    "an earlier version of this",
    "a previous version of this",
    "this article has been updated",
    "this article has been amended",
    "this article was amended",
    "this article was updated",
    "this story has been updated",
    "this story has been corrected",
    "this article has been corrected",
    "rectificatif",
    "correctif",
    "précision :",
    "korrektur:",
    "berichtigung",
    "in einer früheren version",
    "corrección:",
    "fe de errores",
    "nota del editor",
    "исправление:",
    "уточнение:",
    "поправка:",
    "정정",
    "바로잡습니다",
    "更正",
    "订正",
    "訂正",
    "تصحيح",
    "توضيح",
];

/// [`CORRECTION_STARTS`] in normalised form, computed once rather than per block.
static CORRECTION_STARTS_NORMALIZED: LazyLock<Vec<String>> =
    LazyLock::new(|| CORRECTION_STARTS.iter().map(|p| normalize(p)).collect());

pub(crate) fn is_correction(text: &str) -> bool {
    let t = normalize(text).to_lowercase();
    let t = t.trim_start_matches(['*', '(', '[', ' ']);
    CORRECTION_STARTS_NORMALIZED
        .iter()
        .any(|p| t.starts_with(p.as_str()))
        || t.contains("an earlier version of this article")
        || t.contains("an earlier version of this story")
}

/// Quotes present on both sides whose words or attribution changed: exact
/// matches are set aside, then the rest are paired by the same speaker and
/// text, then by similarity of the words.
fn altered_quotes(old: &[Quote], new: &[Quote]) -> Vec<QuoteChange> {
    // Each quote is normalised (and tokenised) once, not once per comparison.
    let old_keys: Vec<String> = old.iter().map(|q| normalize(&q.text)).collect();
    let new_keys: Vec<String> = new.iter().map(|q| normalize(&q.text)).collect();
    let mut old_left: Vec<Option<&Quote>> = old.iter().map(Some).collect();
    let mut new_left: Vec<Option<&Quote>> = new.iter().map(Some).collect();
    // Unchanged: same words, same speaker.
    for (j, n) in new_left.iter_mut().enumerate() {
        let q = n.expect("fresh");
        if let Some(o) = old_left.iter_mut().enumerate().find_map(|(i, o)| {
            o.is_some_and(|o| old_keys[i] == new_keys[j] && o.speaker == q.speaker)
                .then_some(o)
        }) {
            *o = None;
            *n = None;
        }
    }
    let mut out = Vec::new();
    // Same words, new attribution.
    for (j, n) in new_left.iter_mut().enumerate() {
        let Some(q) = *n else { continue };
        if let Some(o) = old_left
            .iter_mut()
            .enumerate()
            .find_map(|(i, o)| (o.is_some() && old_keys[i] == new_keys[j]).then_some(o))
        {
            let oq = o.take().expect("found");
            out.push((q.start, change(oq, q)));
            *n = None;
        }
    }
    // Edited words: best similarity first.
    let new_tokens: Vec<Option<Vec<u64>>> = new_left
        .iter()
        .zip(&new_keys)
        .map(|(n, k)| n.map(|_| tokens(k)))
        .collect();
    let mut cands = Vec::new();
    for (i, o) in old_left.iter().enumerate() {
        if o.is_none() {
            continue;
        }
        let ot = tokens(&old_keys[i]);
        for (j, nt) in new_tokens.iter().enumerate() {
            let Some(nt) = nt else { continue };
            let s = dice(&ot, nt);
            if s >= SIMILARITY_THRESHOLD {
                cands.push((s, i, j));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i, j) in cands {
        if let (Some(o), Some(n)) = (old_left[i], new_left[j]) {
            out.push((n.start, change(o, n)));
            old_left[i] = None;
            new_left[j] = None;
        }
    }
    out.sort_by_key(|(pos, _)| *pos);
    out.into_iter().map(|(_, c)| c).collect()
}

fn change(o: &Quote, n: &Quote) -> QuoteChange {
    QuoteChange {
        speaker: n.speaker.clone(),
        old_speaker: o.speaker.clone(),
        from: o.text.clone(),
        to: n.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_units() {
        let found: Vec<&str> = NUMBER
            .find_iter("$500 million, 30,000 troops, 12.5% and 1.2 billion within 15 km")
            .map(|m| m.as_str().trim())
            .collect();
        assert_eq!(
            found,
            ["$500 million", "30,000", "12.5%", "1.2 billion", "15 km"]
        );
    }

    #[test]
    fn corrections_in_several_languages() {
        assert!(is_correction(
            "Correction: An earlier version misstated the toll."
        ));
        assert!(is_correction(
            "This article has been updated to include a response."
        ));
        assert!(is_correction(
            "Исправление: в предыдущей версии статьи была ошибка."
        ));
        assert!(!is_correction("The correction of the border took years."));
    }
}
