//! CLI shell: parse arguments, call the core, print. One file per noun.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deferred::Deferred;
use serde::Serialize;

use redline::db::Connections;
use redline::notebook::{Notebook, Settings};
use redline::{Db, Error};

mod backup;
mod browser;
mod cite;
mod clip;
mod deferred;
mod diff;
mod export;
mod extract;
mod feed;
mod highlight;
mod import;
mod inbox;
mod note;
mod project;
mod quotes;
mod reextract;
mod schedule;
mod search;
mod storage;
mod tag;
mod team;
mod versions;

#[derive(Parser)]
#[command(
    name = "redline",
    version,
    about = "Clip articles, keep every revision, see what changed."
)]
pub struct Cli {
    /// Library database (default: the app's data directory).
    #[arg(long, global = true, env = "REDLINE_DB")]
    pub db: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Clip a URL, a file or standard input (adds a version to a known source).
    Clip(Deferred<clip::ClipArgs>),
    /// Re-check sources for new versions (conditional requests; 304 is unchanged).
    Check(Deferred<clip::CheckArgs>),
    /// Import saved pages, a URL list, bookmarks, or a WARC/WACZ archive, in batches.
    Import(Deferred<import::ImportArgs>),
    /// List the sources in the library, filtered and sorted.
    Sources(Deferred<versions::SourcesArgs>),
    /// List the versions (and captures) of a source.
    Versions(Deferred<versions::VersionsArgs>),
    /// Show a version's text and metadata.
    Show(Deferred<versions::ShowArgs>),
    /// What changed between two versions of a source (default: the two latest).
    Diff(Deferred<diff::DiffArgs>),
    /// Extract an article from an HTML file without touching the library.
    Extract(Deferred<extract::ExtractArgs>),
    /// Read stored captures again with this build's extractor (extractor revisions, not new versions).
    Reextract(Deferred<reextract::ReextractArgs>),
    /// Move a library written by an older Redline to content-addressed storage (resumable).
    UpgradeStorage,
    /// Write, list, render and restore notes.
    Note(Deferred<note::NoteArgs>),
    /// Mark passages of a version.
    Highlight(Deferred<highlight::HighlightArgs>),
    /// Citations in notes: insert and check against newer versions.
    Cite(Deferred<cite::CiteArgs>),
    /// Quoted speech by speaker, across every version of every source.
    Quotes(Deferred<quotes::QuotesArgs>),
    /// Full-text search across sources, versions, notes, highlights and quotes.
    Search(Deferred<search::SearchArgs>),
    /// Projects: stories or beats that hold sources and notes.
    #[command(subcommand)]
    Project(Deferred<project::ProjectCommand>),
    /// Tags on sources and notes.
    #[command(subcommand)]
    Tag(Deferred<tag::TagCommand>),
    /// Watch sources (re-check them on a schedule), or stop watching with --off;
    /// `watch run` runs the scheduler, `watch status` shows who runs it.
    Watch(Deferred<tag::WatchArgs>),
    /// The Changed inbox: what background re-checks and feeds found.
    Inbox {
        #[command(subcommand)]
        command: Option<inbox::InboxCommand>,
    },
    /// Feeds, news sitemaps and section fronts: subscribe, list, OPML.
    #[command(subcommand)]
    Feed(Deferred<feed::FeedCommand>),
    /// Archive sources (or bring them back with --off).
    Archive(Deferred<tag::ArchiveArgs>),
    /// Export sources (CSL-JSON, BibTeX, RIS), an evidence bundle, or a note.
    #[command(subcommand)]
    Export(Deferred<export::ExportCommand>),
    /// Check a WACZ export (signature, hashes, records, index) or an
    /// evidence bundle, and name what fails.
    Verify(Deferred<export::VerifyAnyArgs>),
    /// Re-check every hash in an evidence bundle and name tampered files.
    VerifyBundle(Deferred<export::VerifyArgs>),
    /// Copy the whole library to FILE while it is in use.
    Backup(Deferred<backup::BackupArgs>),
    /// Replace the library with a backup (the old file is kept beside it).
    Restore(Deferred<backup::RestoreArgs>),
    /// Set up the browser extension's host for this user (install | uninstall).
    #[command(subcommand)]
    Browser(Deferred<browser::BrowserCommand>),
    /// Team libraries: join, share projects, sync, members.
    #[command(subcommand)]
    Team(Deferred<team::TeamCommand>),
    /// Run the team sync service on PostgreSQL (plain HTTP; put TLS in front).
    Serve(Deferred<team::ServeArgs>),
}

/// Fetch limits any fetching command accepts.
#[derive(Args, Clone, Debug)]
pub struct FetchArgs {
    /// Total time limit for one fetch, in seconds (default 30, at most 3600).
    #[arg(long, value_name = "SECONDS", value_parser = seconds, allow_hyphen_values = true)]
    pub timeout: Option<f64>,
    /// Connect time limit, in seconds (default 10, at most 3600).
    #[arg(long, value_name = "SECONDS", value_parser = seconds, allow_hyphen_values = true)]
    pub connect_timeout: Option<f64>,
    /// Largest page accepted, in MiB after decompression (default 20, at most 50).
    #[arg(long, value_name = "MIB", value_parser = mebibytes, allow_hyphen_values = true)]
    pub max_mib: Option<f64>,
}

/// Longest time limit accepted, in seconds (an hour).
const MAX_SECONDS: f64 = 3600.0;
/// Largest page accepted, in MiB: the bound on one clip's memory (README, fetch limits).
const MAX_MIB: f64 = 50.0;

/// A number in (0, max]: NaN, infinities and negatives never reach a
/// `Duration` (where they panic) or a byte count (where they wrap).
fn bounded(s: &str, max: f64, unit: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= max => Ok(v),
        _ => Err(format!(
            "must be a number of {unit} above 0 and at most {max}"
        )),
    }
}

fn seconds(s: &str) -> Result<f64, String> {
    bounded(s, MAX_SECONDS, "seconds")
}

fn mebibytes(s: &str) -> Result<f64, String> {
    bounded(s, MAX_MIB, "MiB")
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Invalid(e.to_string()))?;
    println!("{s}");
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // Diagnostics only on request (RUST_LOG=debug); errors are printed once, below.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    // One thread for a command that does one thing and exits: starting a
    // worker per core cost more than most commands (BENCHMARKS.md, start-up).
    // Commands that serve, watch or fetch many pages keep the worker pool.
    let mut builder = match &cli.command {
        Command::Serve(_)
        | Command::Watch(_)
        | Command::Check(_)
        | Command::Feed(_)
        | Command::Team(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let rt = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("redline: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redline: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Help and version go out as clap prints them; a usage error is one line on
/// stderr like every other error (clap's own adds a usage block and a hint).
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    // The first paragraph is the error; the rest is usage and tips.
    let text = e.to_string();
    let first: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let first = first.join(" ");
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    eprintln!("redline: {first} (see redline --help)");
    ExitCode::from(2)
}

/// Opens the library. A command that only reads never creates one: given a
/// path by `--db` or `REDLINE_DB` that holds no library, it fails instead of
/// leaving an empty library (and its directories) at a mistyped path.
async fn open(
    db: Option<PathBuf>,
    reads_only: bool,
    connections: Connections,
    settings: Settings,
) -> Result<Notebook, Error> {
    let db = match db {
        Some(path) if reads_only => Db::open_existing_with(path, connections).await?,
        Some(path) => Db::open(path).await?,
        None => Db::open(redline::db::default_path()).await?,
    };
    Notebook::new(db, settings)
}

async fn run(cli: Cli) -> Result<(), Error> {
    let json = cli.json;
    match cli.command {
        Command::Extract(Deferred(args)) => extract::run(args, json).await,
        Command::Browser(Deferred(c)) => browser::run(c, json),
        Command::VerifyBundle(Deferred(args)) => export::verify(args, json).await,
        Command::Verify(Deferred(args)) => export::verify_any(args, json).await,
        Command::Serve(Deferred(args)) => team::serve(args).await,
        Command::Team(Deferred(team::TeamCommand::Init(args))) => team::init(args, json).await,
        Command::Team(Deferred(team::TeamCommand::MoveBlobs(args))) => {
            team::move_blobs(args, json).await
        }
        Command::Restore(Deferred(args)) => {
            // Restore must not hold the library open while it swaps the file.
            let path = cli.db.unwrap_or_else(redline::db::default_path);
            backup::restore(args, &path, json).await
        }
        command => {
            let reads_only = matches!(
                command,
                Command::Sources(_)
                    | Command::Versions(_)
                    | Command::Show(_)
                    | Command::Diff(_)
                    | Command::Quotes(_)
                    | Command::Search(_)
                    | Command::Export(_)
                    | Command::Backup(_)
            );
            let limits = match &command {
                Command::Clip(Deferred(args)) => args.fetch.limits(),
                Command::Check(Deferred(args)) => args.fetch.limits(),
                Command::Import(Deferred(args)) => args.fetch.limits(),
                _ => Default::default(),
            };
            let settings = Settings {
                limits,
                ..Settings::default()
            };
            // A short reading command runs one query after another: one
            // connection, so the schema is parsed once (see `Connections`).
            let connections = match command {
                Command::Sources(_)
                | Command::Versions(_)
                | Command::Show(_)
                | Command::Diff(_)
                | Command::Quotes(_)
                | Command::Search(_) => Connections::One,
                _ => Connections::Pool,
            };
            let db = open(cli.db, reads_only, connections, settings).await?;
            let result = match command {
                Command::Clip(Deferred(args)) => clip::clip(args, &db, json).await,
                Command::Check(Deferred(args)) => clip::check(args, &db, json).await,
                Command::Import(Deferred(args)) => import::run(args, &db, json).await,
                Command::Sources(Deferred(args)) => versions::sources(args, &db, json).await,
                Command::Versions(Deferred(args)) => versions::list(args, &db, json).await,
                Command::Show(Deferred(args)) => versions::show(args, &db, json).await,
                Command::Diff(Deferred(args)) => diff::run(args, &db, json).await,
                Command::Note(Deferred(args)) => note::run(args, &db, json).await,
                Command::Highlight(Deferred(args)) => highlight::run(args, &db, json).await,
                Command::Cite(Deferred(args)) => cite::run(args, &db, json).await,
                Command::Quotes(Deferred(args)) => quotes::run(args, &db, json).await,
                Command::Search(Deferred(args)) => search::run(args, &db, json).await,
                Command::Project(Deferred(c)) => project::run(c, &db, json).await,
                Command::Tag(Deferred(c)) => tag::run(c, &db, json).await,
                Command::Watch(Deferred(args)) => match args.command {
                    Some(c) => schedule::run(c, &db, json).await,
                    None => tag::watch(args, &db, json).await,
                },
                Command::Feed(Deferred(c)) => feed::run(c, &db, json).await,
                Command::Inbox { command } => inbox::run(command, &db, json).await,
                Command::Archive(Deferred(args)) => tag::archive(args, &db, json).await,
                Command::Export(Deferred(c)) => export::run(c, &db, json).await,
                Command::Backup(Deferred(args)) => backup::run(args, &db, json).await,
                Command::Reextract(Deferred(args)) => reextract::run(args, &db, json).await,
                Command::UpgradeStorage => storage::upgrade(&db, json).await,
                Command::Team(Deferred(c)) => team::run(c, &db, json).await,
                Command::Extract(_)
                | Command::Serve(_)
                | Command::VerifyBundle(_)
                | Command::Verify(_)
                | Command::Restore(_)
                | Command::Browser(_) => {
                    unreachable!("handled above")
                }
            };
            db.close().await;
            result
        }
    }
}
