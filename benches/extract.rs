//! Extraction speed: ms per page for the test fixtures, decoding included
//! for the legacy-encoded ones. Run with `cargo bench --bench extract`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline::charset::decode_html;
use redline::extract::extract_html;
use redline::normalize::fingerprint;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn encoded(name: &str, label: &str) -> Vec<u8> {
    let html = fixture(name).replace("<!--META-->", "");
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).expect("label");
    enc.encode(&html).0.into_owned()
}

fn bench(c: &mut Criterion) {
    let url = Some("https://news.example/story");
    let mut g = c.benchmark_group("extract");
    for name in [
        "wire_en.html",
        "wire_en_noise.html",
        "ar_utf8.html",
        "he_utf8.html",
    ] {
        let html = fixture(name);
        g.bench_function(name, |b| {
            b.iter(|| {
                let a = extract_html(black_box(&html), url).unwrap();
                fingerprint(&a.title, &a.blocks)
            })
        });
    }
    // Corpus pages in the structures of issue 9 (chrome scored, not deleted).
    for name in [
        "port-strike--brightspot.html",
        "council-budget--aspnet.html",
        "zh-rail--ad-portal.html",
    ] {
        let path = format!(
            "{}/tests/fixtures/extraction/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        g.bench_function(name, |b| {
            b.iter(|| extract_html(black_box(&html), url).unwrap())
        });
    }
    // Undeclared legacy encodings: detection + decoding + extraction.
    for (name, label) in [
        ("ko_euckr.html", "euc-kr"),
        ("ru_1251.html", "windows-1251"),
        ("ja_sjis.html", "shift_jis"),
        ("zh_gbk.html", "gbk"),
    ] {
        let bytes = encoded(name, label);
        g.bench_function(format!("{name} (detect)"), |b| {
            b.iter(|| {
                let d = decode_html(black_box(&bytes), None, url);
                extract_html(&d.text, url).unwrap()
            })
        });
    }
    g.finish();
}

/// Every page of the extraction corpus, decoded as a clip decodes it: the
/// median per page, and the slowest single page (the 1 s bound).
fn corpus(c: &mut Criterion) {
    let dir = format!("{}/tests/fixtures/extraction", env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    pages.sort();
    let run = |bytes: &[u8]| {
        let d = decode_html(bytes, None, None);
        extract_html(&d.text, None).map(|a| a.blocks.len())
    };
    let slowest = pages
        .iter()
        .map(|(name, bytes)| {
            let t = std::time::Instant::now();
            let _ = run(bytes);
            (t.elapsed(), name)
        })
        .max()
        .unwrap();
    eprintln!(
        "corpus: {} pages, slowest single page {:.2} ms ({})",
        pages.len(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    let mut g = c.benchmark_group("corpus");
    g.bench_function(format!("all {} pages", pages.len()), |b| {
        b.iter(|| {
            for (_, bytes) in &pages {
                let _ = black_box(run(black_box(bytes)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, corpus);
criterion_main!(benches);
