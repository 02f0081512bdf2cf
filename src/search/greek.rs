//! Greek names across scripts (issue 10, item 4): Μητσοτάκης ↔ Mitsotakis,
//! Τσίπρας ↔ Tsipras.
//!
//! Latin → Greek is ambiguous (an *i* may be ι, η, υ, ει or οι; an *o* ο or
//! ω), so a Latin name is not turned into one Greek spelling. Instead both
//! sides meet at a *sound key* in Latin letters: the Greek word written
//! letter by letter in Latin ([`to_latin`]), then both that and the Latin
//! name folded the same way ([`key`]: the vowels and digraphs that spellings
//! disagree on merged, double letters single, one case ending off). The
//! stem index stores each Greek word's key beside its Snowball form, marked
//! with a leading `0` so it can never meet an ordinary word's form; a Latin
//! query looks it up in the transliteration tier. Greek → Latin needs no
//! key: the Latin spelling's ordinary forms are searched.

use super::words::fold;

/// Greek letters (folded: lower case, no accents) in Latin, digraphs first.
const GREEK_TO_LATIN: &[(&str, &str)] = &[
    ("ου", "ou"),
    ("αυ", "av"),
    ("ευ", "ev"),
    ("μπ", "mp"),
    ("ντ", "nt"),
    ("γκ", "gk"),
    ("γγ", "ng"),
    ("α", "a"),
    ("β", "v"),
    ("γ", "g"),
    ("δ", "d"),
    ("ε", "e"),
    ("ζ", "z"),
    ("η", "i"),
    ("θ", "th"),
    ("ι", "i"),
    ("κ", "k"),
    ("λ", "l"),
    ("μ", "m"),
    ("ν", "n"),
    ("ξ", "x"),
    ("ο", "o"),
    ("π", "p"),
    ("ρ", "r"),
    ("σ", "s"),
    ("ς", "s"),
    ("τ", "t"),
    ("υ", "y"),
    ("φ", "f"),
    ("χ", "ch"),
    ("ψ", "ps"),
    ("ω", "o"),
];

const VOWELS: &str = "αεηιουω";

/// A Greek word letter by letter in Latin, as English-language news spells
/// Greek names (Μητσοτάκης → mitsotakis). γι before a vowel is *y*
/// (Μπακογιάννης → mpakoyannis).
pub(super) fn to_latin(word: &str) -> String {
    let w = fold(word);
    let mut out = String::with_capacity(w.len());
    let mut rest = w.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("γι") {
            if after.chars().next().is_some_and(|v| VOWELS.contains(v)) {
                out.push('y');
                rest = after;
                continue;
            }
        }
        match GREEK_TO_LATIN.iter().find(|(g, _)| rest.starts_with(g)) {
            Some((g, l)) => {
                out.push_str(l);
                rest = &rest[g.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Spellings that Latin renderings of one Greek sound disagree on, merged.
const MERGE: &[(&str, &str)] = &[
    ("ph", "f"),
    ("kh", "h"),
    ("ch", "h"),
    ("c", "k"),
    ("y", "i"),
    ("ai", "e"),
    ("ei", "i"),
    ("oi", "i"),
    ("ou", "u"),
    ("mp", "b"),
    ("mb", "b"),
    ("nt", "d"),
    ("nd", "d"),
    ("gk", "g"),
    ("ng", "g"),
];

/// Case endings of Greek names and nouns, in the merged spelling.
const ENDINGS: &[&str] = &[
    "is", "as", "os", "es", "us", "on", "i", "a", "o", "e", "u", "s",
];

/// The sound key of a Latin-letter word (see the module docs), or None for
/// one too short to be a name (the key keeps three letters).
pub(super) fn key(latin: &str) -> Option<String> {
    let mut w = fold(latin);
    if !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    for (from, to) in MERGE {
        w = w.replace(from, to);
    }
    let mut single = String::with_capacity(w.len());
    for c in w.chars() {
        if !single.ends_with(c) {
            single.push(c);
        }
    }
    let stem = ENDINGS
        .iter()
        .find(|e| single.ends_with(*e) && single.len() >= e.len() + 3)
        .map_or(single.as_str(), |e| &single[..single.len() - e.len()]);
    (stem.len() >= 3).then(|| format!("0{stem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_names_meet_their_latin_spellings() {
        for (greek, latin) in [
            ("Μητσοτάκης", "Mitsotakis"),
            ("Μητσοτάκη", "Mitsotakis"),
            ("Τσίπρας", "Tsipras"),
            ("Τσίπρα", "Tsipras"),
            ("Βαρουφάκης", "Varoufakis"),
            ("Παπανδρέου", "Papandreou"),
            ("Μπακογιάννη", "Bakoyannis"),
            ("Κυριάκος", "Kyriakos"),
            ("Χρυσοχοΐδης", "Chrysochoidis"),
        ] {
            assert_eq!(key(&to_latin(greek)), key(latin), "{greek} / {latin}");
        }
        assert_eq!(to_latin("Τσίπρας"), "tsipras");
        // Different names keep different keys.
        assert_ne!(key(&to_latin("Τσίπρας")), key("Tsakalotos"));
        assert_ne!(key(&to_latin("Μητσοτάκης")), key("Mitsos"));
        assert_eq!(key("Io"), None);
    }
}
