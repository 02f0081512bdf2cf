//! `redline note …`: write, list and keep the history of Markdown notes.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use redline::notes::{Note, NoteFilter};
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct NoteArgs {
    #[command(subcommand)]
    pub command: NoteCommand,
}

/// Where a note's Markdown comes from.
#[derive(Args, Clone)]
pub struct BodyArgs {
    /// The Markdown text.
    #[arg(long, conflicts_with = "file")]
    pub body: Option<String>,
    /// Read the Markdown from a file ('-' for standard input).
    #[arg(long)]
    pub file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum NoteCommand {
    /// Create a note.
    New {
        title: String,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Save a new title and/or body (kept in the note's history).
    Save {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// List notes, most recently edited first.
    List {
        #[arg(long)]
        project: Option<i64>,
        #[arg(long)]
        tag: Option<String>,
        /// Include archived notes.
        #[arg(long)]
        all: bool,
    },
    /// Print a note's Markdown.
    Show { id: i64 },
    /// Print a note as sanitised HTML with its citations resolved.
    Render { id: i64 },
    /// List the kept revisions of a note, newest first.
    History { id: i64 },
    /// Bring back an earlier revision (itself a new revision).
    Restore { id: i64, revision: i64 },
    /// Archive a note (or bring it back with --undo).
    Archive {
        id: i64,
        #[arg(long)]
        undo: bool,
    },
    /// Delete a note and its history.
    Delete { id: i64 },
    /// Add a tag to a note.
    Tag { id: i64, tag: String },
    /// Remove a tag from a note.
    Untag { id: i64, tag: String },
    /// Put a note in exactly these projects (none: take it out of all).
    Projects { id: i64, project_ids: Vec<i64> },
}

fn read_body(args: &BodyArgs) -> Result<Option<String>, Error> {
    if let Some(b) = &args.body {
        return Ok(Some(b.clone()));
    }
    let Some(path) = &args.file else {
        return Ok(None);
    };
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(io)?;
        Ok(Some(s))
    } else {
        std::fs::read_to_string(path).map(Some).map_err(io)
    }
}

fn print_note_line(n: &Note) {
    let tags = if n.tags.is_empty() {
        String::new()
    } else {
        format!("  #{}", n.tags.join(" #"))
    };
    let archived = if n.archived { "  (archived)" } else { "" };
    println!(
        "{:>5}  {}  {}{tags}{archived}",
        n.id,
        &n.updated_at[..16.min(n.updated_at.len())],
        n.title
    );
}

pub async fn run(args: NoteArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    match args.command {
        NoteCommand::New { title, body } => {
            let body = read_body(&body)?.unwrap_or_default();
            let n = nb.create_note(&title, &body).await?;
            if json {
                return print_json(&n);
            }
            println!("note {} created", n.id);
        }
        NoteCommand::Save { id, title, body } => {
            let current = nb.note(id).await?;
            let body = read_body(&body)?.unwrap_or(current.body);
            let title = title.unwrap_or(current.title);
            let n = nb.save_note(id, &title, &body).await?;
            if json {
                return print_json(&n);
            }
            println!("note {} saved", n.id);
        }
        NoteCommand::List { project, tag, all } => {
            let filter = NoteFilter {
                project_id: project,
                tag,
                include_archived: all,
            };
            let list = nb.notes(&filter).await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No notes. Write one: redline note new TITLE --body TEXT");
            }
            list.iter().for_each(print_note_line);
        }
        NoteCommand::Show { id } => {
            let n = nb.note(id).await?;
            if json {
                return print_json(&n);
            }
            println!("# {}\n\n{}", n.title, n.body);
        }
        NoteCommand::Render { id } => {
            let r = nb.render_note(id).await?;
            if json {
                return print_json(&r);
            }
            println!("{}", r.html);
        }
        NoteCommand::History { id } => {
            let h = nb.note_history(id).await?;
            if json {
                return print_json(&h);
            }
            for r in &h {
                println!(
                    "  revision {:<6} {}  {:>6} chars  {}",
                    r.id,
                    r.saved_at,
                    r.body.chars().count(),
                    r.title
                );
            }
        }
        NoteCommand::Restore { id, revision } => {
            let n = nb.restore_note(id, revision).await?;
            if json {
                return print_json(&n);
            }
            println!("note {} restored to revision {revision}", n.id);
        }
        NoteCommand::Archive { id, undo } => {
            let n = nb.archive_note(id, !undo).await?;
            if json {
                return print_json(&n);
            }
            println!(
                "note {} {}",
                n.id,
                if undo { "unarchived" } else { "archived" }
            );
        }
        NoteCommand::Delete { id } => {
            nb.delete_note(id).await?;
            if json {
                return print_json(&serde_json::json!({ "deleted": id }));
            }
            println!("note {id} deleted");
        }
        NoteCommand::Tag { id, tag } => {
            finish(&nb.tag_note(id, &tag).await?, json)?;
        }
        NoteCommand::Untag { id, tag } => {
            finish(&nb.untag_note(id, &tag).await?, json)?;
        }
        NoteCommand::Projects { id, project_ids } => {
            finish(&nb.set_note_projects(id, &project_ids).await?, json)?;
        }
    }
    Ok(())
}

fn finish(n: &Note, json: bool) -> Result<(), Error> {
    if json {
        return print_json(n);
    }
    print_note_line(n);
    Ok(())
}
