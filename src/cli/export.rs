//! `redline export sources|bundle|wacz|key|note`, `redline verify` and
//! `redline verify-bundle`.

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
    /// A signed WACZ web archive (replays in pywb and ReplayWeb.page) of
    /// sources: every capture as WARC records, every version's text.
    Wacz {
        /// Source ids.
        #[arg(value_delimiter = ',', required_unless_present_any = ["project", "all"])]
        ids: Vec<i64>,
        /// Every source of a project (id or name), archived ones included.
        #[arg(long, conflicts_with_all = ["ids", "all"])]
        project: Option<String>,
        /// Every source in the library.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// The archive's title (default: the project's name, or "Redline export").
        #[arg(long)]
        title: Option<String>,
        /// Export without the trusted timestamp, even though a time
        /// stamping authority is set (e.g. while it cannot be reached).
        #[arg(long)]
        no_timestamp: bool,
        #[arg(long, short)]
        output: PathBuf,
    },
    /// The RFC 3161 time stamping authority that stamps every WACZ export:
    /// shows it, sets it (`URL`) or turns it off (`--off`).
    Tsa {
        #[arg(conflicts_with = "off")]
        url: Option<String>,
        #[arg(long)]
        off: bool,
    },
    /// Trusted timestamps on each capture: `--on` queues every new capture
    /// for a token from the TSA (`--off` stops it); then asks the TSA for
    /// the tokens still pending (a failure is kept and asked again next time).
    Stamp {
        #[arg(long, conflicts_with = "off")]
        on: bool,
        #[arg(long)]
        off: bool,
    },
    /// The library's public signing key, to publish so that others can
    /// check its WACZ exports (made on first use).
    Key,
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
        ExportCommand::Wacz {
            ids,
            project,
            all,
            title,
            no_timestamp,
            output,
        } => {
            let (ids, default_title) = match (project, all) {
                (Some(p), _) => {
                    let project = nb.resolve_project(&p).await?;
                    (nb.sources_of_project(project.id).await?, project.name)
                }
                (None, true) => (nb.every_source().await?, "Redline library".to_string()),
                (None, false) => (ids, "Redline export".to_string()),
            };
            let title = title.unwrap_or(default_title);
            let report = nb.export_wacz(&ids, &title, &output, !no_timestamp).await?;
            if json {
                return print_json(&report);
            }
            println!(
                "Wrote {}: {} source(s), {} capture(s), {} WARC record(s), {} bytes (raw captures {} bytes).",
                output.display(),
                report.sources,
                report.captures,
                report.records,
                report.bytes,
                report.raw_bytes
            );
            println!(
                "Signed by key {}{}.",
                export::wacz::fingerprint(&report.public_key),
                match &report.timestamped {
                    Some(t) => format!(", timestamped {t} by the library's TSA"),
                    None => String::new(),
                }
            );
            Ok(())
        }
        ExportCommand::Tsa { url, off } => {
            if off {
                nb.set_timestamp_authority(None).await?;
            } else if let Some(url) = &url {
                nb.set_timestamp_authority(Some(url)).await?;
            }
            let now = nb.timestamp_authority().await?;
            if json {
                return print_json(&serde_json::json!({ "tsaUrl": now }));
            }
            match now {
                Some(u) => println!("WACZ exports are timestamped by {u}."),
                None => println!(
                    "No time stamping authority: WACZ exports are signed, not timestamped."
                ),
            }
            Ok(())
        }
        ExportCommand::Stamp { on, off } => {
            if on || off {
                nb.set_timestamp_captures(on).await?;
            }
            let enabled = nb.timestamp_captures().await?;
            let report = nb.timestamp_pending_captures().await?;
            if json {
                let mut v =
                    serde_json::to_value(&report).map_err(|e| Error::Invalid(e.to_string()))?;
                v["timestampCaptures"] = serde_json::Value::Bool(enabled);
                return print_json(&v);
            }
            println!(
                "Capture timestamps are {}.",
                if enabled { "on" } else { "off" }
            );
            match &report.tsa {
                None => println!(
                    "No time stamping authority set (redline export tsa URL): {} captures wait.",
                    report.pending
                ),
                Some(tsa) => println!(
                    "{} stamped by {tsa}, {} failed, {} waiting.",
                    report.stamped, report.failed, report.pending
                ),
            }
            if let Some(e) = &report.error {
                println!("  failed: {e}");
            }
            Ok(())
        }
        ExportCommand::Key => {
            let signer = nb.signing_key()?;
            let public_key = signer.public_key();
            if json {
                return print_json(&serde_json::json!({
                    "publicKey": public_key,
                    "fingerprint": export::wacz::fingerprint(&public_key),
                }));
            }
            println!("{public_key}");
            println!("fingerprint {}", export::wacz::fingerprint(&public_key));
            Ok(())
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

/// `redline verify FILE.wacz|FILE.zip`: a WACZ, or an evidence bundle.
#[derive(Args)]
pub struct VerifyAnyArgs {
    pub file: PathBuf,
    /// Also require this public key (base64, as `redline export key` prints).
    #[arg(long)]
    pub key: Option<String>,
    /// Require a trusted timestamp whose authority chains to a CA in this
    /// PEM file.
    #[arg(long, value_name = "PEM")]
    pub tsa_ca: Option<PathBuf>,
}

/// Checks a WACZ (or, for a `.zip`, an evidence bundle); exit status 1 when
/// anything fails, each failure named.
pub async fn verify_any(args: VerifyAnyArgs, json: bool) -> Result<(), Error> {
    let is_bundle = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_bundle {
        return verify(VerifyArgs { file: args.file }, json).await;
    }
    let tsa_ca = match &args.tsa_ca {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| Error::Io {
            path: p.display().to_string(),
            reason: e.to_string(),
        })?),
        None => None,
    };
    let mut check = Notebook::verify_wacz(&args.file, tsa_ca.as_deref())?;
    if let Some(want) = &args.key {
        check.expect_key(want);
    }
    if json {
        print_json(&check)?;
    } else {
        println!(
            "{}: {} file(s), {} WARC record(s), {} index line(s); {}.",
            args.file.display(),
            check.files,
            check.records,
            check.index_lines,
            match (&check.signed, &check.key_fingerprint) {
                (true, Some(k)) => format!("signed by key {k}"),
                _ => "NOT validly signed".to_string(),
            }
        );
        if let (Some(t), Some(who)) = (&check.timestamp, &check.timestamp_authority) {
            println!(
                "  timestamp {t} by {who}{}",
                if check.timestamp_trusted {
                    " (chains to the CA given)"
                } else {
                    " (authority not checked: pass --tsa-ca)"
                }
            );
        }
        if check.capture_timestamps > 0 {
            println!(
                "  {} capture timestamp(s): each over its capture's payload digest",
                check.capture_timestamps
            );
        }
        for p in &check.problems {
            println!("  FAILED  {p}");
        }
    }
    if check.ok {
        Ok(())
    } else {
        Err(Error::Export(format!(
            "{} does not verify: {} problem(s)",
            args.file.display(),
            check.problems.len().max(1)
        )))
    }
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
