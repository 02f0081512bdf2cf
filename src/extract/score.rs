//! How good an extraction is: the token-shingle metric that public
//! article-extraction benchmarks report, so our figures compare with theirs.
//!
//! Both texts become lower-case word tokens (each Han ideograph or kana is a
//! token of its own, since those scripts put no spaces between words), then
//! multisets of 4-token shingles. Precision is the share of the extracted
//! shingles found in the expected body, recall the share of the expected
//! ones found in the extraction.

use std::collections::HashMap;

use crate::script::is_unspaced;

/// Length of a shingle in tokens.
const SHINGLE: usize = 4;

/// Precision and recall of one extracted body against the expected one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
}

impl Score {
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        harmonic(self.precision, self.recall)
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Scores `extracted` against `expected`. An empty extraction of a page that
/// has a body scores 0 for both: it lost the article.
pub fn score(extracted: &str, expected: &str) -> Score {
    let got = shingles(&tokens(extracted));
    let want = shingles(&tokens(expected));
    let total = |m: &HashMap<Vec<String>, usize>| m.values().sum::<usize>();
    let (n_got, n_want) = (total(&got), total(&want));
    if n_got == 0 || n_want == 0 {
        let same = n_got == n_want;
        let v = if same { 1.0 } else { 0.0 };
        return Score {
            precision: v,
            recall: v,
        };
    }
    let common: usize = got
        .iter()
        .map(|(s, &n)| n.min(want.get(s).copied().unwrap_or(0)))
        .sum();
    Score {
        precision: common as f64 / n_got as f64,
        recall: common as f64 / n_want as f64,
    }
}

/// Lower-case word tokens; Han ideographs, kana and other unspaced scripts
/// are one token per character.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_unspaced(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The multiset of `SHINGLE`-token windows; a text shorter than one window
/// is a single shingle of all its tokens.
fn shingles(tokens: &[String]) -> HashMap<Vec<String>, usize> {
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < SHINGLE {
        out.insert(tokens.to_vec(), 1);
        return out;
    }
    for w in tokens.windows(SHINGLE) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// One page's result in a corpus evaluation.
#[derive(Clone, Debug)]
pub struct PageScore {
    pub name: String,
    pub score: Score,
    /// The extraction gave no body (or failed) although one was expected.
    pub empty: bool,
    /// Time to decode and extract the page (no page may take a second).
    pub elapsed: std::time::Duration,
}

/// A corpus's figures: precision and recall are means over pages (each page
/// counts once, however long), F1 their harmonic mean.
#[derive(Clone, Debug, Default)]
pub struct CorpusScore {
    pub pages: Vec<PageScore>,
}

impl CorpusScore {
    pub fn precision(&self) -> f64 {
        self.mean(|s| s.precision)
    }

    pub fn recall(&self) -> f64 {
        self.mean(|s| s.recall)
    }

    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }

    /// Pages whose own F1 is below `floor`.
    pub fn below(&self, floor: f64) -> impl Iterator<Item = &PageScore> {
        self.pages.iter().filter(move |p| p.score.f1() < floor)
    }

    pub fn empty(&self) -> impl Iterator<Item = &PageScore> {
        self.pages.iter().filter(|p| p.empty)
    }

    /// The page that took longest to decode and extract.
    pub fn slowest(&self) -> Option<&PageScore> {
        self.pages.iter().max_by_key(|p| p.elapsed)
    }

    fn mean(&self, f: impl Fn(&Score) -> f64) -> f64 {
        if self.pages.is_empty() {
            return 0.0;
        }
        self.pages.iter().map(|p| f(&p.score)).sum::<f64>() / self.pages.len() as f64
    }
}

/// Scores every `NAME.html` of `dir` that has an expected body `NAME.txt`
/// beside it (UTF-8, blocks separated by blank lines). Pages are decoded as a
/// clip decodes them (declared or detected charset), and a page that fails
/// to extract counts as an empty body.
pub fn score_corpus(dir: &std::path::Path) -> crate::Result<CorpusScore> {
    let io = |path: &std::path::Path, e: std::io::Error| crate::Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter(|p| p.with_extension("txt").is_file())
        .collect();
    names.sort();
    let mut corpus = CorpusScore::default();
    for page in names {
        let bytes = std::fs::read(&page).map_err(|e| io(&page, e))?;
        let expected_path = page.with_extension("txt");
        let expected =
            std::fs::read_to_string(&expected_path).map_err(|e| io(&expected_path, e))?;
        let started = std::time::Instant::now();
        let decoded = crate::charset::decode_html(&bytes, None, None);
        let body = super::extract_html(&decoded.text, None)
            .map(|a| a.text())
            .unwrap_or_default();
        let elapsed = started.elapsed();
        corpus.pages.push(PageScore {
            name: page
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            score: score(&body, &expected),
            empty: tokens(&body).is_empty() && !tokens(&expected).is_empty(),
            elapsed,
        });
    }
    Ok(corpus)
}
