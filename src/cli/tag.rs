//! `redline tag …`, plus the per-source flags `redline watch` and `redline archive`.

use clap::{Args, Subcommand};
use redline::{library, tags, Db, Error};

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

pub async fn run(command: TagCommand, db: &Db, json: bool) -> Result<(), Error> {
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
            let mut tx = db.write().await?;
            let s = if l.sources.is_empty() {
                0
            } else {
                tags::tag_sources(&mut tx, &l.sources, &l.tag).await?
            };
            let n = if l.notes.is_empty() {
                0
            } else {
                tags::tag_notes(&mut tx, &l.notes, &l.tag).await?
            };
            tx.commit().await?;
            done(
                json,
                &format!("Tagged {s} source(s) and {n} note(s) \"{}\".", l.tag),
                s,
                n,
            )
        }
        TagCommand::Remove(l) => {
            let mut tx = db.write().await?;
            let s = tags::untag_sources(&mut tx, &l.sources, &l.tag).await?;
            let n = tags::untag_notes(&mut tx, &l.notes, &l.tag).await?;
            tx.commit().await?;
            done(
                json,
                &format!("Untagged {s} source(s) and {n} note(s) \"{}\".", l.tag),
                s,
                n,
            )
        }
        TagCommand::List => {
            let mut conn = db.pool().acquire().await?;
            let list = tags::list(&mut conn).await?;
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
            let mut conn = db.pool().acquire().await?;
            tags::rename(&mut conn, &from, &to).await?;
            done(json, &format!("Renamed tag \"{from}\" to \"{to}\"."), 0, 0)
        }
        TagCommand::Delete { name } => {
            let mut conn = db.pool().acquire().await?;
            tags::delete(&mut conn, &name).await?;
            done(json, &format!("Deleted tag \"{name}\"."), 0, 0)
        }
        TagCommand::Merge { from, into } => {
            let mut tx = db.write().await?;
            let names: Vec<&str> = from.iter().map(String::as_str).collect();
            tags::merge(&mut tx, &names, &into).await?;
            tx.commit().await?;
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

/// `redline watch IDS [--off]`
#[derive(Args)]
pub struct WatchArgs {
    #[arg(required = true, value_delimiter = ',')]
    pub sources: Vec<i64>,
    /// Stop watching instead.
    #[arg(long)]
    pub off: bool,
}

pub async fn watch(args: WatchArgs, db: &Db, json: bool) -> Result<(), Error> {
    let mut tx = db.write().await?;
    let n = library::set_watched(&mut tx, &args.sources, !args.off).await?;
    tx.commit().await?;
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

pub async fn archive(args: ArchiveArgs, db: &Db, json: bool) -> Result<(), Error> {
    let mut tx = db.write().await?;
    let n = library::set_archived(&mut tx, &args.sources, !args.undo).await?;
    tx.commit().await?;
    let verb = if args.undo { "Unarchived" } else { "Archived" };
    done(json, &format!("{verb} {n} source(s)."), n, 0)
}
