//! `redline diff`: what changed between two versions of a source.

use std::io::IsTerminal;

use clap::Args;
use redline::diff::{render, Diff};
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
    let view = nb.diff_by_seq(args.source_id, args.from, args.to).await?;
    let (old, new, d) = (&view.old, &view.new, &view.diff);
    if args.from.is_none() && old.id == new.id {
        return Err(Error::Invalid(format!(
            "source {} has only one version: nothing to compare yet",
            args.source_id
        )));
    }
    let format = if json { "json" } else { args.format.as_str() };
    match format {
        "json" => print_json_streamed(d)?,
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

/// The diff as pretty JSON, written straight to a buffered stdout: a long
/// story's diff is megabytes, and building it as one string first copied
/// all of it once more (the bytes are those of `print_json`).
fn print_json_streamed(d: &Diff) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, d).map_err(|e| Error::Invalid(e.to_string()))?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(|e| Error::Io {
            path: "standard output".into(),
            reason: e.to_string(),
        })
}
