//! `redline sources`, `redline versions` and `redline show`.

use clap::Args;
use redline::versions::{self, CaptureOutcome};
use redline::{Db, Error};
use serde::Serialize;

use super::print_json;

pub async fn sources(db: &Db, json: bool) -> Result<(), Error> {
    let mut conn = db.pool().acquire().await?;
    let list = versions::list_sources(&mut conn).await?;
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

pub async fn list(args: VersionsArgs, db: &Db, json: bool) -> Result<(), Error> {
    let mut conn = db.pool().acquire().await?;
    let source = versions::get_source(&mut conn, args.source_id).await?;
    let list = versions::list_versions(&mut conn, args.source_id).await?;
    let captures = versions::list_captures(&mut conn, args.source_id).await?;
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

pub async fn show(args: ShowArgs, db: &Db, json: bool) -> Result<(), Error> {
    let mut conn = db.pool().acquire().await?;
    let source = versions::get_source(&mut conn, args.source_id).await?;
    let version = match args.version {
        Some(seq) => versions::get_version_by_seq(&mut conn, args.source_id, seq).await?,
        None => versions::latest_version(&mut conn, args.source_id)
            .await?
            .ok_or_else(|| Error::not_found("version of source", args.source_id))?,
    };
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
