//! `redline clip` and `redline check`.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use redline::clip::{CheckStatus, ClipInput, TextFormat};
use redline::fetch::FetchLimits;
use redline::versions::CaptureMethod;
use redline::{Error, Notebook};

use super::{print_json, FetchArgs};

#[derive(Args)]
pub struct ClipArgs {
    /// An http(s) URL, a .html/.htm/.txt/.md file, or `-` for standard input.
    pub target: String,
    /// Attribute file or stdin content to this URL.
    #[arg(long)]
    pub url: Option<String>,
    /// Format of stdin content (default: guessed).
    #[arg(long, value_parser = ["html", "text", "markdown"])]
    pub format: Option<String>,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

pub async fn clip(args: ClipArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let limits = args.fetch.limits();
    let input = if args.target == "-" {
        let mut content = Vec::new();
        // One byte past the limit, so the core can refuse what is too large
        // instead of storing a silently truncated copy.
        std::io::stdin()
            .take(limits.max_bytes + 1)
            .read_to_end(&mut content)
            .map_err(|e| Error::Io {
                path: "standard input".into(),
                reason: e.to_string(),
            })?;
        let format = match args.format.as_deref() {
            Some("html") => TextFormat::Html,
            Some("markdown") => TextFormat::Markdown,
            Some(_) => TextFormat::Text,
            None => TextFormat::sniff(&content),
        };
        ClipInput::Text {
            content,
            format,
            url: args.url,
            method: CaptureMethod::Paste,
        }
    } else if looks_like_url(&args.target) {
        if args.url.is_some() {
            return Err(Error::Invalid(
                "--url is for files and standard input".into(),
            ));
        }
        ClipInput::Url(args.target)
    } else {
        ClipInput::File {
            path: PathBuf::from(&args.target),
            url: args.url,
        }
    };
    let out = nb.clip(input).await?;
    // Never silent: also with --json, where the field says it.
    if let Some(why) = out.low_confidence {
        eprintln!("warning: low confidence: {}", why.message());
    }
    if json {
        return print_json(&out);
    }
    let what = match (out.new_source, out.new_version) {
        (true, _) => "new source",
        (false, true) => "new version",
        (false, false) => "unchanged",
    };
    println!(
        "source {}  version {} (#{})  {}  {}",
        out.source_id, out.version_id, out.version_seq, what, out.title
    );
    if let Some(u) = &out.suggested_url {
        println!("  the page names {u} as its address; not used (give --url to file it there)");
    }
    Ok(())
}

/// Anything with a scheme is treated as a URL (and refused if not http/https),
/// so `file:///etc/passwd` or `javascript:` never reach the file reader.
fn looks_like_url(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !std::path::Path::new(s).exists()
        }
        None => false,
    }
}

#[derive(Args)]
pub struct CheckArgs {
    /// Sources to re-check.
    pub source_ids: Vec<i64>,
    /// Re-check every source that is not archived.
    #[arg(long, conflicts_with = "source_ids")]
    pub all: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

pub async fn check(args: CheckArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let ids = if args.all {
        // Sources named one by one are checked as asked; `--all` leaves a
        // shared story to the member of the team who holds its re-check.
        let all = nb.checkable_sources().await?;
        let mine = nb.leased_checks(&all).await?;
        if mine.len() < all.len() {
            eprintln!(
                "{} shared source(s) left to the team: another member is re-checking them \
                 (their results arrive with `redline team sync`).",
                all.len() - mine.len()
            );
        }
        mine
    } else if args.source_ids.is_empty() {
        return Err(Error::Invalid(
            "name the sources to check, or use --all".into(),
        ));
    } else {
        args.source_ids.clone()
    };
    // Many sources: say up front how long politeness makes it take, then
    // keep one progress line on stderr (stdout and JSON stay clean).
    let talk = !json && ids.len() > 1;
    if talk {
        let plan = nb.check_plan(&ids).await?;
        eprintln!(
            "Re-checking {} source(s) on {} site(s), one request per site every {}: at least {}.",
            plan.sources,
            plan.sites,
            span(plan.gap_secs),
            span(plan.at_least_secs)
        );
    }
    let (mut new, mut failed) = (0, 0);
    let outcomes = nb
        .check_many_with(&ids, |o, done| {
            match o.status {
                CheckStatus::NewVersion => new += 1,
                CheckStatus::Failed => failed += 1,
                _ => {}
            }
            if talk {
                eprint!(
                    "\rchecked {done}/{}: {new} new version(s), {failed} failed\x1b[K",
                    ids.len()
                );
                if done == ids.len() {
                    eprintln!();
                }
            }
        })
        .await;
    if json {
        print_json(&outcomes)?;
    } else {
        for o in &outcomes {
            match o.status {
                CheckStatus::NewVersion => println!(
                    "source {}  new version #{}  {}",
                    o.source_id,
                    o.version_seq.unwrap_or_default(),
                    o.title.as_deref().unwrap_or_default()
                ),
                CheckStatus::Unchanged => println!(
                    "source {}  unchanged  {}",
                    o.source_id,
                    o.title.as_deref().unwrap_or_default()
                ),
                CheckStatus::Failed => println!(
                    "source {}  failed: {}",
                    o.source_id,
                    o.error.as_deref().unwrap_or_default()
                ),
            }
        }
    }
    // A scheduled `check` must be able to tell that nothing worked.
    if !outcomes.is_empty() && outcomes.iter().all(|o| o.status == CheckStatus::Failed) {
        return Err(Error::Invalid(format!(
            "every check failed ({} of {})",
            outcomes.len(),
            outcomes.len()
        )));
    }
    Ok(())
}

impl FetchArgs {
    pub fn limits(&self) -> FetchLimits {
        let mut l = FetchLimits::default();
        if let Some(s) = self.timeout {
            l.total_timeout = std::time::Duration::from_secs_f64(s);
        }
        if let Some(s) = self.connect_timeout {
            l.connect_timeout = std::time::Duration::from_secs_f64(s);
        }
        if let Some(m) = self.max_mib {
            l.max_bytes = (m * 1024.0 * 1024.0) as u64;
        }
        l
    }
}

/// A duration as a reporter reads it: "5 s", "2 min 30 s", "2 h 47 min".
fn span(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        0..60 if secs < 10.0 && secs.fract() != 0.0 => format!("{secs:.1} s"),
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}
