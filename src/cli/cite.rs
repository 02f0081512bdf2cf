//! `redline cite …`: citation Markdown, and checking a note's citations
//! against the latest versions of their sources.

use clap::{Args, Subcommand};
use redline::citations::CitationState;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct CiteArgs {
    #[command(subcommand)]
    pub command: CiteCommand,
}

#[derive(Subcommand)]
pub enum CiteCommand {
    /// Print the Markdown that quotes a highlight in a note.
    Insert { highlight_id: i64 },
    /// Check every citation of a note: still current, changed or gone after you cited it.
    Check { note_id: i64 },
}

pub async fn run(args: CiteArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    match args.command {
        CiteCommand::Insert { highlight_id } => {
            let md = nb.cite(highlight_id).await?;
            if json {
                return print_json(&serde_json::json!({ "markdown": md }));
            }
            println!("{md}");
        }
        CiteCommand::Check { note_id } => {
            let list = nb.check_citations(note_id).await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("note {note_id} cites nothing");
            }
            for st in &list {
                let what = st.citation.markdown();
                let label = st.cited.as_ref().map(|c| c.label()).unwrap_or_default();
                let state = match &st.state {
                    CitationState::Current { .. } => "current".to_string(),
                    CitationState::ChangedAfterCite {
                        latest_version_id,
                        new_text,
                        ..
                    } => format!(
                        "CHANGED after you cited it (version {latest_version_id}): “{new_text}”"
                    ),
                    CitationState::GoneAfterCite { latest_version_id } => {
                        format!("GONE after you cited it (not in version {latest_version_id})")
                    }
                    CitationState::Superseded { latest_version_id } => {
                        format!("newer version {latest_version_id} exists")
                    }
                    CitationState::Missing => "not in the library".to_string(),
                };
                println!("{what:<10} {state}  {label}");
            }
        }
    }
    Ok(())
}
