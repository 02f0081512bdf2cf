//! `redline highlight …`: mark passages of a version and find them again later.

use clap::{Args, Subcommand};
use redline::highlights::{Anchor, Highlight};
use redline::{Error, Notebook};
use serde::Serialize;

use super::print_json;

#[derive(Args)]
pub struct HighlightArgs {
    #[command(subcommand)]
    pub command: HighlightCommand,
}

#[derive(Subcommand)]
pub enum HighlightCommand {
    /// Highlight a passage of a version, by char offsets or by its text.
    Add {
        version_id: i64,
        /// Char offsets START END into the version's text.
        #[arg(num_args = 2, value_names = ["START", "END"], required_unless_present = "find")]
        range: Vec<usize>,
        /// Highlight this exact text instead of giving offsets.
        #[arg(long, conflicts_with = "range")]
        find: Option<String>,
        /// Which occurrence of --find (1 = first).
        #[arg(long, default_value_t = 1, requires = "find")]
        nth: usize,
        #[arg(long, default_value = "")]
        comment: String,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List the highlights of a version or of every version of a source.
    List {
        #[arg(long, conflicts_with = "source", required_unless_present = "source")]
        version: Option<i64>,
        #[arg(long)]
        source: Option<i64>,
    },
    /// Change a highlight's comment and/or label.
    Edit {
        id: i64,
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        label: Option<String>,
    },
    /// Delete a highlight.
    Delete { id: i64 },
    /// Find a highlight in another version (default: the source's latest).
    Anchor {
        id: i64,
        #[arg(long)]
        version: Option<i64>,
    },
}

fn print_line(h: &Highlight) {
    let label = if h.label.is_empty() {
        String::new()
    } else {
        format!(" [{}]", h.label)
    };
    let comment = if h.comment.is_empty() {
        String::new()
    } else {
        format!("  — {}", h.comment)
    };
    println!(
        "{:>5}  version {:<5} {}..{}{label}  “{}”{comment}",
        h.id, h.version_id, h.start, h.end, h.text
    );
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnchorJson {
    highlight: Highlight,
    version_id: i64,
    anchor: Anchor,
}

pub async fn run(args: HighlightArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    match args.command {
        HighlightCommand::Add {
            version_id,
            range,
            find,
            nth,
            comment,
            label,
        } => {
            let h = match find {
                Some(needle) => {
                    nb.highlight_text(version_id, &needle, nth, &comment, &label)
                        .await?
                }
                None => {
                    nb.highlight(version_id, range[0], range[1], &comment, &label)
                        .await?
                }
            };
            if json {
                return print_json(&h);
            }
            print_line(&h);
            println!(
                "cite it in a note with {}",
                redline::citations::insert_citation(h.id)
            );
        }
        HighlightCommand::List { version, source } => {
            let list = match (version, source) {
                (Some(v), _) => nb.highlights_of_version(v).await?,
                (None, Some(s)) => nb.highlights_of_source(s).await?,
                (None, None) => unreachable!("clap requires one"),
            };
            if json {
                return print_json(&list);
            }
            list.iter().for_each(print_line);
        }
        HighlightCommand::Edit { id, comment, label } => {
            let h = nb
                .update_highlight(id, comment.as_deref(), label.as_deref())
                .await?;
            if json {
                return print_json(&h);
            }
            print_line(&h);
        }
        HighlightCommand::Delete { id } => {
            nb.delete_highlight(id).await?;
            if json {
                return print_json(&serde_json::json!({ "deleted": id }));
            }
            println!("highlight {id} deleted");
        }
        HighlightCommand::Anchor { id, version } => {
            let (highlight, version_id, anchor) = nb.anchor(id, version).await?;
            if json {
                return print_json(&AnchorJson {
                    highlight,
                    version_id,
                    anchor,
                });
            }
            match anchor {
                Anchor::Exact { start, end } => {
                    println!("unchanged in version {version_id} at {start}..{end}")
                }
                Anchor::Changed {
                    start,
                    end,
                    text,
                    similarity,
                } => println!(
                    "changed in version {version_id} at {start}..{end} ({:.0}% similar): “{text}”",
                    similarity * 100.0
                ),
                Anchor::Ambiguous { candidates } => println!(
                    "the text occurs {} times in version {version_id} and its context does not say which",
                    candidates.len()
                ),
                Anchor::Gone => println!("gone from version {version_id}"),
            }
        }
    }
    Ok(())
}
