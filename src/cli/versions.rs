//! `redline sources`, `redline versions` and `redline show`.

use clap::Args;
use redline::versions::{self, CaptureOutcome};
use redline::{Error, Notebook};
use serde::Serialize;

use super::print_json;

#[derive(Args)]
pub struct SourcesArgs {
    /// Only sources in this project (id or name).
    #[arg(long)]
    pub project: Option<String>,
    /// Only sources with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only this outlet (site name).
    #[arg(long)]
    pub site: Option<String>,
    /// Only this language ("en" also matches "en-GB").
    #[arg(long)]
    pub lang: Option<String>,
    /// First clipped on or after DATE (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub captured_from: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub captured_to: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub published_from: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub published_to: Option<String>,
    /// Has a new version made on or after DATE.
    #[arg(long, value_name = "DATE")]
    pub changed_since: Option<String>,
    /// Only sources with versions you have not opened yet.
    #[arg(long)]
    pub unviewed: bool,
    /// Only watched sources.
    #[arg(long)]
    pub watched: bool,
    /// Show archived sources instead of the others.
    #[arg(long)]
    pub archived: bool,
    /// Order: captured-desc (default), captured-asc, published-desc, published-asc, title, site.
    #[arg(long, value_parser = ["captured-desc", "captured-asc", "published-desc", "published-asc", "title", "site"])]
    pub sort: Option<String>,
    #[arg(long)]
    pub limit: Option<i64>,
}

pub async fn sources(args: SourcesArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    use redline::library::{SourceFilter, SourceSort};
    let project_id = match &args.project {
        Some(p) => Some(nb.resolve_project(p).await?.id),
        None => None,
    };
    let filter = SourceFilter {
        project_id,
        tag: args.tag,
        site: args.site,
        lang: args.lang,
        captured_from: args.captured_from,
        captured_to: args.captured_to,
        published_from: args.published_from,
        published_to: args.published_to,
        changed_since: args.changed_since,
        unviewed: args.unviewed,
        watched: args.watched.then_some(true),
        archived: Some(args.archived),
        sort: match args.sort.as_deref() {
            Some("captured-asc") => SourceSort::CapturedAsc,
            Some("published-desc") => SourceSort::PublishedDesc,
            Some("published-asc") => SourceSort::PublishedAsc,
            Some("title") => SourceSort::Title,
            Some("site") => SourceSort::Site,
            _ => SourceSort::CapturedDesc,
        },
        limit: args.limit,
        offset: 0,
    };
    let list = nb.sources(&filter).await?;
    if json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("The library is empty. Clip something: redline clip <URL|FILE|->");
    }
    for s in &list {
        println!(
            "{:>5}  {:>2} v  {:<10}  {}  {}",
            s.id,
            s.version_count,
            s.last_captured_at
                .as_deref()
                .unwrap_or("")
                .get(..10)
                .unwrap_or(""),
            s.title,
            s.url.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct VersionsArgs {
    pub source_id: i64,
    /// Also list every capture attempt (unchanged, not modified, failed).
    #[arg(long)]
    pub captures: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionsJson {
    source: versions::Source,
    versions: Vec<versions::VersionSummary>,
    captures: Vec<versions::Capture>,
}

pub async fn list(args: VersionsArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let source = nb.source(args.source_id).await?;
    let list = nb.versions(args.source_id).await?;
    let captures = nb.captures(args.source_id).await?;
    if json {
        return print_json(&VersionsJson {
            source,
            versions: list,
            captures,
        });
    }
    println!("{}  {}", source.title, source.url.as_deref().unwrap_or(""));
    for v in &list {
        println!(
            "  #{:<3} version {:<6} {}  {:>6} words  {}  sha256 {}",
            v.seq,
            v.id,
            v.created_at,
            v.words,
            v.title,
            &v.text_sha256[..12]
        );
    }
    if args.captures {
        println!("captures:");
        for c in &captures {
            let what = match c.outcome() {
                CaptureOutcome::NewVersion => "new version".to_string(),
                CaptureOutcome::Unchanged => "unchanged".to_string(),
                CaptureOutcome::NotModified => "not modified (304)".to_string(),
                CaptureOutcome::Failed => format!("failed: {}", c.error.as_deref().unwrap_or("")),
            };
            println!("  {}  {:<7} {}", c.captured_at, c.method, what);
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct ShowArgs {
    pub source_id: i64,
    /// Version number within the source (1, 2, …); default the latest.
    #[arg(long)]
    pub version: Option<i64>,
}

pub async fn show(args: ShowArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    let source = nb.source(args.source_id).await?;
    let version = nb.version_of(args.source_id, args.version).await?;
    if json {
        return print_json(&version);
    }
    println!("{}", version.title);
    let meta = [
        ("by", version.byline.clone()),
        ("site", version.site_name.clone()),
        ("url", source.url.clone()),
        ("language", version.lang.clone()),
        ("direction", Some(version.dir.as_str().to_string())),
        ("published", version.published_at.clone()),
        ("modified", version.modified_at.clone()),
        (
            "version",
            Some(format!(
                "#{} (id {}), captured {}",
                version.seq, version.id, version.created_at
            )),
        ),
        (
            "extractor",
            Some(
                version
                    .extractor
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
            ),
        ),
        (
            "warning",
            version
                .low_confidence
                .map(|l| format!("low confidence: {}", l.message())),
        ),
    ];
    for (k, v) in meta {
        if let Some(v) = v {
            println!("{k:>10}: {v}");
        }
    }
    println!();
    for b in &version.blocks {
        match b.kind {
            redline::article::BlockKind::Heading => println!("## {}\n", b.text),
            redline::article::BlockKind::Paragraph => println!("{}\n", b.text),
        }
    }
    Ok(())
}
