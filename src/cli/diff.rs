//! `redline diff`: what changed between two versions of a source.

use std::io::IsTerminal;

use clap::Args;
use redline::diff::{self, render};
use redline::versions;
use redline::{Db, Error};

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

pub async fn run(args: DiffArgs, db: &Db, json: bool) -> Result<(), Error> {
    let mut conn = db.pool().acquire().await?;
    let list = versions::list_versions(&mut conn, args.source_id).await?;
    if list.is_empty() {
        return Err(Error::not_found("source", args.source_id));
    }
    let to = args.to.unwrap_or(list.last().map(|v| v.seq).unwrap_or(1));
    let from = match args.from {
        Some(f) => f,
        None if to > 1 => to - 1,
        None => {
            return Err(Error::Invalid(format!(
                "source {} has only one version: nothing to compare yet",
                args.source_id
            )))
        }
    };
    let old = versions::get_version_by_seq(&mut conn, args.source_id, from).await?;
    let new = versions::get_version_by_seq(&mut conn, args.source_id, to).await?;
    let d = diff::diff_articles(&old.article(), &new.article());
    let format = if json { "json" } else { args.format.as_str() };
    match format {
        "json" => super::print_json(&d)?,
        "html" => println!("{}", render::html(&d)),
        _ => {
            println!(
                "source {}: version #{} ({}) → #{} ({})",
                args.source_id, old.seq, old.created_at, new.seq, new.created_at
            );
            print!("{}", render::text(&d, std::io::stdout().is_terminal()));
        }
    }
    Ok(())
}
