//! The article's title from the page's agreeing signals.
//!
//! Outlets declare a headline in up to four places: the `<h1>`, `og:title`,
//! the JSON-LD `headline` and `<title>` (with the site's name appended).
//! Each can be wrong alone — JSON-LD `headline` is sometimes a description,
//! the `<h1>` sometimes the logo — so the title is the candidate most of the
//! others agree with; ties go to the most carefully kept declaration.

use super::score::tokens;

/// Where a title candidate was declared, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TitleSource {
    JsonLd,
    OpenGraph,
    H1,
    TitleTag,
    /// Readability's guess; the last resort.
    Readability,
}

/// The candidate with the most agreeing others (ties by source strength).
pub(super) fn choose_title(candidates: &[(TitleSource, String)]) -> Option<String> {
    // Readability's guess is derived from `<title>` and the headings: it
    // neither votes nor wins while a declaration exists.
    let declared: Vec<(TitleSource, String)> = candidates
        .iter()
        .filter(|(s, _)| *s != TitleSource::Readability)
        .cloned()
        .collect();
    let candidates = if declared.is_empty() {
        candidates
    } else {
        &declared[..]
    };
    let toks: Vec<Vec<String>> = candidates.iter().map(|(_, t)| tokens(t)).collect();
    candidates
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| !t.is_empty())
        .map(|(i, (source, title))| {
            let votes = candidates
                .iter()
                .enumerate()
                .filter(|(j, (s, _))| *j != i && *s != *source && *s != TitleSource::Readability)
                .filter(|(j, _)| agree(&toks[i], &toks[*j]))
                .count();
            (votes, *source as usize, i, title)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)))
        .map(|(_, _, _, title)| title.clone())
}

/// Two titles agree when their words are the same, one begins with the other
/// (a kicker or a site name added), or they share most of their words.
fn agree(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.starts_with(short) || long.ends_with(short) {
        return short.len() * 2 >= long.len();
    }
    let common = short.iter().filter(|w| long.contains(w)).count();
    common * 5 >= long.len() * 4
}
