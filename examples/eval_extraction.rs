//! Scores extraction on a corpus directory (each `NAME.html` with its
//! expected body `NAME.txt`) with the 4-word-shingle metric; exits 1 when the
//! corpus F1 is under `--floor`. Run through `scripts/eval-extraction`.
//!
//! ```text
//! cargo run --example eval_extraction -- tests/fixtures/extraction --floor 0.95
//! ```

use std::process::ExitCode;

use redline::extract::score::score_corpus;

fn main() -> ExitCode {
    let mut dir = None;
    let mut floor = 0.0;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--floor" => match args.next().and_then(|f| f.parse::<f64>().ok()) {
                Some(f) if (0.0..=1.0).contains(&f) => floor = f,
                _ => return usage("--floor takes a number from 0 to 1"),
            },
            "--verbose" | "-v" => verbose = true,
            a if a.starts_with('-') => return usage(&format!("unknown option {a}")),
            a => dir = Some(std::path::PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        return usage("give the corpus directory");
    };
    let corpus = match score_corpus(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if corpus.pages.is_empty() {
        eprintln!("error: no NAME.html with a NAME.txt in {}", dir.display());
        return ExitCode::from(2);
    }
    if verbose {
        for p in &corpus.pages {
            println!(
                "{:<48} P {:.3}  R {:.3}  F1 {:.3}  {:>7.1} ms",
                p.name,
                p.score.precision,
                p.score.recall,
                p.score.f1(),
                p.elapsed.as_secs_f64() * 1000.0
            );
        }
        println!();
    }
    let names = |it: &mut dyn Iterator<Item = &redline::extract::score::PageScore>| {
        it.map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    let low = names(&mut corpus.below(0.5));
    let empty = names(&mut corpus.empty());
    println!("pages:        {}", corpus.pages.len());
    println!("precision:    {:.4}", corpus.precision());
    println!("recall:       {:.4}", corpus.recall());
    println!("F1:           {:.4}", corpus.f1());
    println!("F1 < 0.5:     {} {}", low.len(), low.join(" "));
    println!("empty bodies: {} {}", empty.len(), empty.join(" "));
    if let Some(p) = corpus.slowest() {
        println!(
            "slowest page: {:.1} ms {} (this build's profile)",
            p.elapsed.as_secs_f64() * 1000.0,
            p.name
        );
    }
    if corpus.f1() < floor {
        eprintln!("F1 {:.4} is under the floor {floor}", corpus.f1());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: eval_extraction DIR [--floor F1] [--verbose]");
    ExitCode::from(2)
}
