//! `redline search`: full-text search of the library.

use clap::Args;
use redline::search::{self, HitKind, SearchQuery};
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words, "phrases", prefix*, AND / OR / NOT (or -word), parentheses.
    /// Chinese and Japanese find any substring.
    #[arg(required_unless_present = "stems", num_args = 1..)]
    pub query: Vec<String>,
    /// Turn the stem index on or off for this library (on by default; off
    /// makes import cheaper and finds exact forms only). On indexes every
    /// entry, resumably.
    #[arg(long, value_name = "on|off", value_parser = ["on", "off"])]
    pub stems: Option<String>,
    /// Only these kinds: source, note, highlight, quote (repeat or comma-separate).
    #[arg(long = "kind", value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Search every version, not only the latest of each source.
    #[arg(long)]
    pub all_versions: bool,
    #[arg(long, value_name = "ID")]
    pub project: Option<i64>,
    #[arg(long)]
    pub tag: Option<String>,
    /// Outlet: site name or host (yna.co.kr).
    #[arg(long)]
    pub site: Option<String>,
    /// Language tag (zh also matches zh-CN).
    #[arg(long)]
    pub lang: Option<String>,
    /// Captured on or after (2026-11-20 or RFC 3339).
    #[arg(long)]
    pub from: Option<String>,
    /// Captured on or before (a date includes the whole day).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = search::DEFAULT_LIMIT)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

pub async fn run(args: SearchArgs, nb: &Notebook, json: bool) -> Result<(), Error> {
    if let Some(stems) = &args.stems {
        set_stems(nb, stems == "on").await?;
        if args.query.is_empty() {
            return Ok(());
        }
    }
    let kinds = args
        .kinds
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| HitKind::parse(k))
        .collect::<Result<Vec<_>, _>>()?;
    let query = SearchQuery {
        text: args.query.join(" "),
        kinds,
        all_versions: args.all_versions,
        project_id: args.project,
        tag: args.tag,
        site: args.site,
        lang: args.lang,
        from: args.from,
        to: args.to,
        limit: Some(args.limit),
        offset: Some(args.offset),
    };
    let hits = nb.search(&query).await?;
    if let Some(p) = nb.search_reindex_progress().await? {
        eprintln!(
            "redline: the search index is being upgraded ({} of {} rows): until it ends, \
             older entries are found by their exact words only",
            p.done, p.total
        );
    }
    if json {
        return print_json(&hits);
    }
    if hits.is_empty() {
        println!("No matches.");
    }
    for h in &hits {
        let at = h.captured_at.get(..10).unwrap_or(&h.captured_at);
        let target = match h.kind {
            HitKind::Source => format!(
                "source {} version {}",
                h.source_id.unwrap_or_default(),
                h.version_id.unwrap_or_default()
            ),
            HitKind::Note => format!("note {}", h.note_id.unwrap_or_default()),
            HitKind::Highlight => format!(
                "highlight {} (source {})",
                h.highlight_id.unwrap_or_default(),
                h.source_id.unwrap_or_default()
            ),
            HitKind::Quote => format!(
                "quote {} (source {})",
                h.quote_id.unwrap_or_default(),
                h.source_id.unwrap_or_default()
            ),
        };
        println!("{target}  {at}  {}", h.title);
        println!("    {}", search::snippet_plain(&h.snippet));
    }
    Ok(())
}

/// `--stems on|off`: switches the library's stem index and, when on, builds
/// it here with progress on stderr (interrupted, the next open resumes).
async fn set_stems(nb: &Notebook, on: bool) -> Result<(), Error> {
    nb.set_search_stems(on).await?;
    if on {
        while let Some(p) = nb.search_reindex_step().await? {
            eprint!("\rredline: stem index: {} of {} entries", p.done, p.total);
        }
        eprintln!("\rredline: stem search is on");
    } else {
        eprintln!("redline: stem search is off");
    }
    Ok(())
}
