//! `redline import`: saved pages, URL lists, bookmarks and web archives.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use redline::import::{ImportFrom, ImportOptions, ImportProgress, DEFAULT_BATCH};
use redline::{Error, Notebook};

use super::{print_json, FetchArgs};

#[derive(Args)]
pub struct ImportArgs {
    /// A folder of saved pages, a text file of URLs, a bookmarks export
    /// (Netscape HTML), or a .warc, .warc.gz or .wacz archive.
    pub path: PathBuf,
    /// What PATH is (default: guessed from the folder, extension or doctype).
    #[arg(long, value_parser = ["folder", "urls", "bookmarks", "archive"])]
    pub kind: Option<String>,
    /// Put every imported source in this project (made if missing).
    #[arg(long)]
    pub project: Option<String>,
    /// Items stored per transaction.
    #[arg(long, default_value_t = DEFAULT_BATCH as u32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

pub async fn run(args: ImportArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let from = match args.kind.as_deref() {
        None => ImportFrom::detect(&args.path)?,
        Some("folder") => ImportFrom::Folder(args.path),
        Some("urls") => ImportFrom::UrlList(args.path),
        Some("bookmarks") => ImportFrom::Bookmarks(args.path),
        Some(_) => ImportFrom::Archive(args.path),
    };
    let options = ImportOptions {
        project: args.project,
        batch: args.batch as usize,
    };
    let bar = Bar::new();
    let report = nb.import(from, options, |p| bar.show(p)).await?;
    bar.done();
    if json {
        print_json(&report)?;
    } else {
        println!(
            "imported {}  ({} new sources, {} new versions, {} unchanged)  duplicates {}  skipped {}  failed {}  in {:.1} s",
            report.imported,
            report.new_sources,
            report.new_versions,
            report.unchanged,
            report.duplicates,
            report.skipped,
            report.failed.len(),
            report.elapsed_ms as f64 / 1000.0
        );
        for f in &report.skips {
            println!("  skipped: {}: {}", f.item, f.reason);
        }
        for f in &report.failed {
            println!("  failed: {}: {}", f.item, f.reason);
        }
    }
    Ok(())
}

/// The progress line on stderr: redrawn in place on a terminal, a plain
/// line per batch otherwise (a log keeps the trail). Never on stdout, so
/// `--json` output stays one document.
struct Bar {
    tty: bool,
    started: Instant,
}

impl Bar {
    fn new() -> Self {
        Bar {
            tty: std::io::stderr().is_terminal(),
            started: Instant::now(),
        }
    }

    fn show(&self, p: &ImportProgress) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = p.done as f64 / secs;
        let head = match p.total {
            Some(total) if total > 0 => {
                let width = 30;
                let filled = (p.done as usize * width / total as usize).min(width);
                format!(
                    "[{}{}] {}/{}",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    p.done,
                    total
                )
            }
            _ => format!("{} items", p.done),
        };
        let line = format!(
            "{head}  {rate:.0}/s  imported {}  duplicates {}  failed {}",
            p.imported, p.duplicates, p.failed
        );
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{line}");
        } else {
            let _ = writeln!(err, "import: {line}");
        }
        let _ = err.flush();
    }

    fn done(&self) {
        if self.tty {
            eprintln!();
        }
    }
}
