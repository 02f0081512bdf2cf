//! `redline export sources|bundle` and `redline verify-bundle`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use redline::export;
use redline::notebook::ExportFormat;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Citations of sources (their latest versions).
    Sources {
        /// Source ids.
        #[arg(value_delimiter = ',', required_unless_present = "project")]
        ids: Vec<i64>,
        /// Every source of a project (id or name), archived ones included.
        #[arg(long, conflicts_with = "ids")]
        project: Option<String>,
        #[arg(long, value_enum, default_value = "csl")]
        format: ExportFormat,
        /// Write to a file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The evidence bundle of a source: every capture's raw bytes, every
    /// version's text, and a manifest of hashes.
    Bundle {
        source_id: i64,
        #[arg(long, short)]
        output: PathBuf,
    },
    /// A note as Markdown with footnoted citations (for Pandoc).
    Note {
        note_id: i64,
        /// Write to a file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub async fn run(command: ExportCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        ExportCommand::Sources {
            ids,
            project,
            format,
            output,
        } => {
            let ids = match project {
                Some(p) => {
                    let project = nb.resolve_project(&p).await?;
                    nb.sources_of_project(project.id).await?
                }
                None => ids,
            };
            let text = nb.cite_sources(&ids, format).await?;
            emit(&text, output, json, &format!("{} citation(s)", ids.len()))
        }
        ExportCommand::Note { note_id, output } => {
            let text = nb.note_markdown(note_id).await?;
            emit(&text, output, json, &format!("note {note_id}"))
        }
        ExportCommand::Bundle { source_id, output } => {
            let manifest = nb.export_bundle(source_id, &output).await?;
            if json {
                return print_json(&manifest);
            }
            println!(
                "Wrote {}: {} capture(s), {} version(s) of \"{}\".",
                output.display(),
                manifest.captures.len(),
                manifest.versions.len(),
                manifest.title
            );
            Ok(())
        }
    }
}

/// Prints an export, or writes it to a file and says so. With `--json` and no
/// file, the export is printed as is (it is already a document).
fn emit(text: &str, output: Option<PathBuf>, json: bool, what: &str) -> Result<(), Error> {
    let Some(path) = output else {
        print!("{text}");
        return Ok(());
    };
    std::fs::write(&path, text).map_err(|e| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if json {
        return print_json(&serde_json::json!({ "path": path.display().to_string() }));
    }
    println!("Wrote {what} to {}.", path.display());
    Ok(())
}

/// `redline verify-bundle FILE.zip` (needs no library).
#[derive(Args)]
pub struct VerifyArgs {
    pub file: PathBuf,
}

/// Prints the report; fails (exit status 1) when anything does not match.
pub async fn verify(args: VerifyArgs, json: bool) -> Result<(), Error> {
    let report = export::verify_bundle(&args.file)?;
    if json {
        print_json(&report)?;
    } else {
        println!(
            "{}: {} file(s) match their hashes.",
            args.file.display(),
            report.verified.len()
        );
        for f in &report.tampered {
            println!("  TAMPERED  {f}");
        }
        for f in &report.missing {
            println!("  MISSING   {f}");
        }
        for f in &report.extra {
            println!("  EXTRA     {f}");
        }
        for f in &report.duplicates {
            println!("  DUPLICATE {f}");
        }
        for g in &report.gaps {
            println!("  GAP       {g} (missing from the numbering)");
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::Export(format!(
            "{} does not verify: {} tampered, {} missing, {} extra",
            args.file.display(),
            report.tampered.len(),
            report.missing.len(),
            report.extra.len()
        )))
    }
}
