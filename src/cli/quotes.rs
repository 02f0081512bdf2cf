//! `redline quotes`: the quote index, by speaker, across every version.

use clap::Args;
use redline::quotes::QuoteFilter;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct QuotesArgs {
    /// Only quotes by speakers whose name contains this.
    #[arg(long)]
    pub speaker: Option<String>,
    /// Only quotes from this source.
    #[arg(long)]
    pub source: Option<i64>,
    /// Only quotes whose words contain this.
    #[arg(long)]
    pub text: Option<String>,
    /// List speakers with their number of quotes instead.
    #[arg(long, conflicts_with_all = ["speaker", "source", "text"])]
    pub speakers: bool,
}

pub async fn run(args: QuotesArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    if args.speakers {
        let list = nb.speakers().await?;
        if json {
            return print_json(&list);
        }
        for s in &list {
            println!(
                "{:>4} quotes in {:>3} sources  {}",
                s.quotes, s.sources, s.speaker
            );
        }
        return Ok(());
    }
    let filter = QuoteFilter {
        speaker: args.speaker,
        source_id: args.source,
        text: args.text,
    };
    let list = nb.quotes(&filter).await?;
    if json {
        return print_json(&list);
    }
    let mut last: Option<&str> = None;
    for q in &list {
        let speaker = q.speaker.as_deref().unwrap_or("(unattributed)");
        if last != Some(speaker) {
            println!("{speaker}");
            last = Some(speaker);
        }
        println!(
            "  “{}”\n    — {} (source {}, version #{}, {})",
            q.text,
            q.source_title,
            q.source_id,
            q.version_seq,
            q.captured_at.get(..10).unwrap_or(&q.captured_at)
        );
    }
    Ok(())
}
