//! `redline diff`: what changed between two versions of a source.

use std::io::IsTerminal;

use clap::Args;
use redline::diff::render;
use redline::{Error, Notebook};

#[derive(Args)]
pub struct DiffArgs {
    pub source_id: i64,
    /// Older version number (default: the one before `--to`).
    #[arg(long)]
    pub from: Option<i64>,
    /// Newer version number (default: the latest).
    #[arg(long)]
    pub to: Option<i64>,
    #[arg(long, value_parser = ["text", "html", "json"], default_value = "text")]
    pub format: String,
}

pub async fn run(args: DiffArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let id_of = async |seq: Option<i64>| match seq {
        Some(seq) => nb
            .version_of(args.source_id, Some(seq))
            .await
            .map(|v| Some(v.id)),
        None => Ok(None),
    };
    let (from, to) = (id_of(args.from).await?, id_of(args.to).await?);
    let view = nb.compare(args.source_id, from, to).await?;
    let (old, new, d) = (&view.old, &view.new, &view.diff);
    if from.is_none() && old.id == new.id {
        return Err(Error::Invalid(format!(
            "source {} has only one version: nothing to compare yet",
            args.source_id
        )));
    }
    let format = if json { "json" } else { args.format.as_str() };
    match format {
        "json" => super::print_json(d)?,
        "html" => println!("{}", render::html(d)),
        _ => {
            println!(
                "source {}: version #{} ({}) → #{} ({})",
                args.source_id, old.seq, old.created_at, new.seq, new.created_at
            );
            print!("{}", render::text(d, std::io::stdout().is_terminal()));
        }
    }
    Ok(())
}
