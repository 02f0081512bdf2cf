//! `redline tag …`, plus the per-source flags `redline watch` and `redline archive`.

use clap::{Args, Subcommand};
use redline::{Error, Notebook};

use super::print_json;

#[derive(Subcommand)]
pub enum TagCommand {
    /// Label sources (and notes with --note) with a tag.
    Add(Labelled),
    /// Remove a tag from sources (and notes with --note).
    Remove(Labelled),
    /// List tags with how many sources and notes carry them.
    List,
    /// Rename a tag (letter case included).
    Rename { from: String, to: String },
    /// Delete a tag; what it labelled stays.
    Delete { name: String },
    /// Fold tags into one: `redline tag merge sanctions санкции --into Sanctions`.
    Merge {
        #[arg(required = true)]
        from: Vec<String>,
        #[arg(long)]
        into: String,
    },
}

#[derive(Args)]
pub struct Labelled {
    pub tag: String,
    /// Source ids.
    #[arg(value_delimiter = ',')]
    pub sources: Vec<i64>,
    /// Note ids.
    #[arg(long = "note", value_delimiter = ',')]
    pub notes: Vec<i64>,
}

pub async fn run(command: TagCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        TagCommand::Add(l) | TagCommand::Remove(l)
            if l.sources.is_empty() && l.notes.is_empty() =>
        {
            Err(Error::Invalid(format!(
                "name some source ids (or --note ids) for tag \"{}\"",
                l.tag
            )))
        }
        TagCommand::Add(l) => {
            let c = nb.tag(&l.tag, &l.sources, &l.notes).await?;
            let (s, n) = (c.sources, c.notes);
            done(
                json,
                &format!("Tagged {s} source(s) and {n} note(s) \"{}\".", l.tag),
                s,
                n,
            )
        }
        TagCommand::Remove(l) => {
            let c = nb.untag(&l.tag, &l.sources, &l.notes).await?;
            let (s, n) = (c.sources, c.notes);
            done(
                json,
                &format!("Untagged {s} source(s) and {n} note(s) \"{}\".", l.tag),
                s,
                n,
            )
        }
        TagCommand::List => {
            let list = nb.tags().await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No tags yet. Tag a source: redline tag add NAME SOURCE_ID");
            }
            for t in &list {
                println!(
                    "{:<30} {:>5} sources {:>5} notes",
                    t.name, t.source_count, t.note_count
                );
            }
            Ok(())
        }
        TagCommand::Rename { from, to } => {
            nb.rename_tag(&from, &to).await?;
            done(json, &format!("Renamed tag \"{from}\" to \"{to}\"."), 0, 0)
        }
        TagCommand::Delete { name } => {
            nb.delete_tag(&name).await?;
            done(json, &format!("Deleted tag \"{name}\"."), 0, 0)
        }
        TagCommand::Merge { from, into } => {
            nb.merge_tags(&from, &into).await?;
            done(
                json,
                &format!("Merged {} into \"{into}\".", from.join(", ")),
                0,
                0,
            )
        }
    }
}

fn done(json: bool, message: &str, sources: u64, notes: u64) -> Result<(), Error> {
    if json {
        return print_json(&serde_json::json!({
            "message": message,
            "sources": sources,
            "notes": notes,
        }));
    }
    println!("{message}");
    Ok(())
}

/// `redline watch IDS [--off]`, or `redline watch run|status|schedule`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub command: Option<super::schedule::WatchCommand>,
    #[arg(required = true, value_delimiter = ',')]
    pub sources: Vec<i64>,
    /// Stop watching instead.
    #[arg(long)]
    pub off: bool,
}

pub async fn watch(args: WatchArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let n = nb.set_watched(&args.sources, !args.off).await?;
    let verb = if args.off {
        "Stopped watching"
    } else {
        "Watching"
    };
    done(json, &format!("{verb} {n} more source(s)."), n, 0)
}

/// `redline archive IDS [--undo]`
#[derive(Args)]
pub struct ArchiveArgs {
    #[arg(required = true, value_delimiter = ',')]
    pub sources: Vec<i64>,
    /// Bring the sources back from the archive.
    #[arg(long)]
    pub undo: bool,
}

pub async fn archive(args: ArchiveArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let n = nb.set_archived(&args.sources, !args.undo).await?;
    let verb = if args.undo { "Unarchived" } else { "Archived" };
    done(json, &format!("{verb} {n} source(s)."), n, 0)
}
