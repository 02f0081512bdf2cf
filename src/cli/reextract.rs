//! `redline reextract`.

use clap::Args;
use redline::reextract::ReextractOutcome;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct ReextractArgs {
    /// The source whose versions to re-extract.
    #[arg(required_unless_present = "all")]
    pub source_id: Option<i64>,
    /// Re-extract every source.
    #[arg(long, conflicts_with = "source_id")]
    pub all: bool,
    /// Also versions this build's extractor already made.
    #[arg(long)]
    pub every_version: bool,
}

pub async fn run(args: ReextractArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let source = if args.all { None } else { args.source_id };
    let report = nb.reextract(source, args.every_version).await?;
    if json {
        return print_json(&report);
    }
    for v in &report.versions {
        let from = v.from_extractor.as_deref().unwrap_or("unknown");
        let what = match v.outcome {
            ReextractOutcome::Revised => format!(
                "revised (extractor {from} -> {}), {} highlight(s) moved",
                report.extractor, v.highlights_moved
            ),
            ReextractOutcome::Same => "same text".to_string(),
            ReextractOutcome::KeptForHighlights => format!(
                "kept: highlight(s) {} not found in the new text",
                v.unanchored_highlights
                    .iter()
                    .map(|h| h.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ReextractOutcome::NoCapture => "kept: no stored capture to read".to_string(),
            ReextractOutcome::Failed => format!(
                "kept: the capture no longer extracts: {}",
                v.error.as_deref().unwrap_or_default()
            ),
        };
        println!("source {}  version #{}  {what}", v.source_id, v.seq);
        if let Some(why) = v.low_confidence {
            println!("  low confidence: {}", why.message());
        }
    }
    println!(
        "{} version(s) read with extractor {}: {} revised, {} same, {} kept",
        report.versions.len(),
        report.extractor,
        report.count(ReextractOutcome::Revised),
        report.count(ReextractOutcome::Same),
        report.versions.len()
            - report.count(ReextractOutcome::Revised)
            - report.count(ReextractOutcome::Same),
    );
    Ok(())
}
