//! Diff of two ~20,000-word versions: ~5% of sentences edited, some
//! paragraphs moved (a few of them edited too). Target: median ≤ 10 ms.
//!
//! Run: `cargo bench --bench diff`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline::article::{Article, Block};
use redline::diff::{diff_articles, render};

const WORDS: &[&str] = &[
    "officials",
    "said",
    "the",
    "talks",
    "in",
    "Geneva",
    "would",
    "resume",
    "next",
    "week",
    "after",
    "a",
    "pause",
    "of",
    "several",
    "months",
    "while",
    "negotiators",
    "sought",
    "to",
    "narrow",
    "differences",
    "over",
    "sanctions",
    "relief",
    "and",
    "inspections",
    "ministry",
    "spokesman",
    "told",
    "reporters",
    "that",
    "government",
    "remained",
    "committed",
    "dialogue",
    "but",
    "warned",
    "against",
    "any",
    "further",
    "escalation",
    "along",
    "border",
    "where",
    "troops",
    "have",
    "massed",
    "since",
    "spring",
    "analysts",
    "say",
    "economy",
    "has",
    "been",
    "hit",
    "hard",
    "by",
    "falling",
    "exports",
    "rising",
    "prices",
    "for",
    "fuel",
    "food",
    "diplomats",
    "from",
    "both",
    "sides",
    "met",
    "behind",
    "closed",
    "doors",
    "on",
    "Tuesday",
    "evening",
    "according",
    "people",
    "familiar",
    "with",
    "matter",
    "who",
    "asked",
    "not",
    "be",
    "named",
    "because",
    "they",
    "were",
    "authorised",
    "speak",
    "publicly",
    "about",
    "it",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn sentence(rng: &mut Rng) -> Vec<String> {
    let n = 14 + rng.next() % 8;
    (0..n)
        .map(|_| WORDS[rng.next() % WORDS.len()].to_string())
        .collect()
}

/// ~20,000 words in ~400 paragraphs of three sentences each.
fn versions() -> (Article, Article) {
    let mut rng = Rng(42);
    let mut paras: Vec<Vec<Vec<String>>> = (0..400)
        .map(|_| (0..3).map(|_| sentence(&mut rng)).collect())
        .collect();
    let text = |p: &Vec<Vec<String>>| {
        p.iter()
            .map(|s| {
                let mut t = s.join(" ");
                t.push('.');
                t
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let old: Vec<Block> = paras.iter().map(|p| Block::paragraph(text(p))).collect();
    let words: usize = old.iter().map(|b| b.text.split_whitespace().count()).sum();
    assert!((18_000..22_000).contains(&words), "{words} words");

    // Edit 5% of the sentences: swap two words and change a figure.
    let total = paras.len() * 3;
    for _ in 0..total / 20 {
        let p = rng.next() % paras.len();
        let s = rng.next() % 3;
        let sent = &mut paras[p][s];
        let k = rng.next() % sent.len();
        sent[k] = "revised".into();
        sent.insert(
            rng.next() % sent.len(),
            format!("{},000", rng.next() % 90 + 10),
        );
    }
    let mut new: Vec<Block> = paras.iter().map(|p| Block::paragraph(text(p))).collect();
    // Move eight paragraphs far away (some of which were also edited above).
    for i in 0..8 {
        let from = 20 + i * 45;
        let b = new.remove(from);
        let to = (from + 150) % new.len();
        new.insert(to, b);
    }
    let article = |blocks| Article {
        title: "Talks to resume in Geneva".into(),
        blocks,
        ..Default::default()
    };
    (article(old), article(new))
}

fn bench(c: &mut Criterion) {
    let (old, new) = versions();
    let d = diff_articles(&old, &new);
    eprintln!(
        "summary: {} edited, {} moved, {} added, {} removed",
        d.summary.paragraphs_edited,
        d.summary.paragraphs_moved,
        d.summary.paragraphs_added,
        d.summary.paragraphs_removed
    );
    c.bench_function("diff 20k words, 5% sentences edited, 8 moved", |b| {
        b.iter(|| diff_articles(black_box(&old), black_box(&new)))
    });
    c.bench_function("render html of that diff", |b| {
        b.iter(|| render::html(black_box(&d)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
