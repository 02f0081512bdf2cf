//! `redline feed …`: subscribe to feeds, news sitemaps and section fronts,
//! list and remove them, and trade them as OPML.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use redline::feeds::opml::FolderAs;
use redline::feeds::{FeedKind, FeedRules, NewFeed};
use redline::{Error, Notebook};

use super::print_json;

#[derive(Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed (RSS, Atom, JSON Feed, RDF), a news sitemap or a section front.
    Add(AddArgs),
    /// List feeds with their rules, item counts and next poll.
    List,
    /// Unsubscribe (what the feed clipped stays).
    Remove { id: i64 },
    /// Poll a feed now and clip what its rules want.
    Poll { id: i64 },
    /// Subscribe to every feed of an OPML file.
    ImportOpml(ImportArgs),
    /// Write every feed as OPML (to FILE, or standard output).
    ExportOpml { file: Option<PathBuf> },
    /// The feeds a clipped page announces (<link rel=alternate>).
    Discover { source: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Feed,
    Sitemap,
    Front,
}

/// What happens to new items (shared by `add` and `import-opml`).
#[derive(Args)]
pub struct RuleArgs {
    /// Clip new items (else they are only listed).
    #[arg(long)]
    pub clip: bool,
    /// Clip only items matching this search query (implies --clip).
    #[arg(long)]
    pub query: Option<String>,
    /// Put clipped items into this project (id or name).
    #[arg(long)]
    pub project: Option<String>,
    /// Tag clipped items (repeat for more).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Watch clipped items (re-checked on the decaying schedule).
    #[arg(long)]
    pub watch: bool,
}

#[derive(Args)]
pub struct AddArgs {
    pub url: String,
    #[arg(long, value_enum, default_value = "feed")]
    pub kind: Kind,
    /// For a section front: only links under this path (default: the front's own path).
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// Minutes between polls (default 60, at least 5).
    #[arg(long, value_name = "MINUTES")]
    pub every: Option<u32>,
    /// Poll even where the site's robots.txt disallows it (your decision).
    #[arg(long)]
    pub ignore_robots: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Folders {
    Project,
    Tag,
    None,
}

#[derive(Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// What the file's folders become.
    #[arg(long, value_enum, default_value = "project")]
    pub folders: Folders,
    #[command(flatten)]
    pub rules: RuleArgs,
}

async fn rules(args: RuleArgs, nb: &Notebook) -> Result<FeedRules, Error> {
    let project_id = match &args.project {
        Some(p) => Some(nb.resolve_project(p).await?.id),
        None => None,
    };
    Ok(FeedRules {
        auto_clip: args.clip || args.query.is_some(),
        query: args.query,
        project_id,
        tags: args.tags,
        watch_items: args.watch,
    })
}

pub async fn run(command: FeedCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        FeedCommand::Add(a) => {
            let feed = NewFeed {
                url: a.url,
                kind: match a.kind {
                    Kind::Feed => FeedKind::Feed,
                    Kind::Sitemap => FeedKind::Sitemap,
                    Kind::Front => FeedKind::Front,
                },
                title: a.title,
                path_prefix: a.prefix,
                rules: rules(a.rules, nb).await?,
                ignore_robots: a.ignore_robots,
                every_secs: a.every.map(|m| i64::from(m) * 60),
            };
            let feed = nb.add_feed(feed).await?;
            if json {
                return print_json(&feed);
            }
            println!(
                "Feed {} added: {} ({}).",
                feed.id,
                feed.url,
                feed.kind.as_str()
            );
            Ok(())
        }
        FeedCommand::List => {
            let list = nb.feeds().await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No feeds yet. Add one: redline feed add URL --clip");
            }
            for f in &list {
                let rule = match (&f.rules.query, f.rules.auto_clip) {
                    (Some(q), _) => format!("clips \"{q}\""),
                    (None, true) => "clips every item".into(),
                    (None, false) => "lists items".into(),
                };
                println!(
                    "{:>4}  {:<7} {}  {}  [{rule}; {} items, {} clipped; next {}]{}",
                    f.id,
                    f.kind.as_str(),
                    f.title.as_deref().unwrap_or("(untitled)"),
                    f.url,
                    f.items,
                    f.clipped,
                    f.next_check_at.as_deref().unwrap_or("now"),
                    f.last_error
                        .as_deref()
                        .map(|e| format!("\n      last error: {e}"))
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        FeedCommand::Remove { id } => {
            nb.remove_feed(id).await?;
            if json {
                return print_json(&serde_json::json!({ "removed": id }));
            }
            println!("Feed {id} removed; what it clipped stays.");
            Ok(())
        }
        FeedCommand::Poll { id } => {
            let poll = nb.poll_feed(id).await?;
            if json {
                return print_json(&poll);
            }
            if let Some(e) = &poll.error {
                return Err(Error::Invalid(format!("feed {id}: {e}")));
            }
            println!(
                "Feed {id}: {} new item(s), {} clipped, {} already in the library, {} listed only{}.",
                poll.new_items,
                poll.clipped,
                poll.duplicates,
                poll.skipped,
                if poll.not_modified { " (not modified)" } else { "" }
            );
            for e in &poll.errors {
                println!("  not clipped: {e}");
            }
            Ok(())
        }
        FeedCommand::ImportOpml(a) => {
            let bytes = std::fs::read(&a.file).map_err(|e| Error::Io {
                path: a.file.display().to_string(),
                reason: e.to_string(),
            })?;
            let folders = match a.folders {
                Folders::Project => FolderAs::Project,
                Folders::Tag => FolderAs::Tag,
                Folders::None => FolderAs::Nothing,
            };
            let out = nb
                .import_opml(&bytes, folders, rules(a.rules, nb).await?)
                .await?;
            if json {
                return print_json(&out);
            }
            println!(
                "Imported {} feed(s) ({} already subscribed, {} project(s) made).",
                out.added, out.already, out.projects_created
            );
            for e in &out.errors {
                println!("  skipped: {e}");
            }
            Ok(())
        }
        FeedCommand::ExportOpml { file } => {
            let opml = nb.export_opml().await?;
            match file {
                Some(path) => std::fs::write(&path, opml).map_err(|e| Error::Io {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }),
                None => {
                    print!("{opml}");
                    Ok(())
                }
            }
        }
        FeedCommand::Discover { source } => {
            let found = nb.discover_feeds(source).await?;
            if json {
                return print_json(&found);
            }
            if found.is_empty() {
                println!("Source {source} announces no feeds.");
            }
            for f in &found {
                println!("{}  {}", f.url, f.title.as_deref().unwrap_or(""));
            }
            Ok(())
        }
    }
}
