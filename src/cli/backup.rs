//! `redline backup FILE` and `redline restore FILE`.

use std::path::{Path, PathBuf};

use clap::Args;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct BackupArgs {
    /// A new file for the copy (never overwritten).
    pub file: PathBuf,
}

/// Copies the library while it stays in use.
pub async fn run(args: BackupArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let report = nb.backup(&args.file).await?;
    if json {
        return print_json(&report);
    }
    println!(
        "Backed up {} sources, {} versions, {} notes to {} ({} bytes).",
        report.sources, report.versions, report.notes, report.path, report.bytes
    );
    Ok(())
}

#[derive(Args)]
pub struct RestoreArgs {
    /// A backup made by `redline backup`.
    pub file: PathBuf,
}

/// Replaces the library at `library` with a backup. Call it *without* opening
/// the library first: restore refuses while any connection has it open.
pub async fn restore(args: RestoreArgs, library: &Path, json: bool) -> Result<(), Error> {
    let report = Notebook::restore(&args.file, library).await?;
    if json {
        return print_json(&report);
    }
    println!(
        "Restored {} sources, {} versions, {} notes into {}.",
        report.sources, report.versions, report.notes, report.path
    );
    if let Some(previous) = &report.previous {
        println!("The library it replaced is kept at {previous}.");
    }
    Ok(())
}
