//! `redline inbox`: the Changed inbox — what background re-checks and feeds
//! found — and which kinds of alert notify.

use clap::Subcommand;
use redline::alerts::AlertKind;
use redline::{Error, Notebook};

use super::print_json;
use super::schedule::OnOff;

#[derive(Subcommand)]
pub enum InboxCommand {
    /// List alerts, newest first.
    List {
        /// Only the unread ones.
        #[arg(long)]
        unread: bool,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Mark alerts read (all of them with --all).
    Read {
        #[arg(required_unless_present = "all")]
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Mark alerts unread again.
    Unread {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Show which kinds of alert raise a desktop notification, or set one.
    Notify {
        /// cited, gone, redirected, headline, quote, number, feed or edited.
        kind: Option<String>,
        #[arg(requires = "kind")]
        state: Option<OnOff>,
    },
}

pub async fn run(command: Option<InboxCommand>, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command.unwrap_or(InboxCommand::List {
        unread: false,
        limit: 50,
    }) {
        InboxCommand::List { unread, limit } => {
            let alerts = nb.inbox(unread, Some(limit)).await?;
            if json {
                return print_json(&alerts);
            }
            if alerts.is_empty() {
                println!(
                    "{}",
                    if unread {
                        "No unread alerts."
                    } else {
                        "The inbox is empty."
                    }
                );
            }
            for a in &alerts {
                let mark = if a.read { ' ' } else { '•' };
                let kinds: Vec<&str> = a.kinds.iter().map(|k| k.as_str()).collect();
                println!(
                    "{mark} {:>4}  {}  [{}]  {}\n         {}",
                    a.id,
                    a.created_at.get(..16).unwrap_or(&a.created_at),
                    kinds.join(", "),
                    a.title,
                    a.summary
                );
            }
            Ok(())
        }
        InboxCommand::Read { ids, all } => {
            if all {
                let n = nb.mark_all_alerts_read().await?;
                if json {
                    return print_json(&serde_json::json!({ "marked": n }));
                }
                println!("Marked {n} alerts read.");
            } else {
                nb.mark_alerts(&ids, true).await?;
                if json {
                    return print_json(&serde_json::json!({ "marked": ids.len() }));
                }
                println!("Marked {} read.", ids.len());
            }
            Ok(())
        }
        InboxCommand::Unread { ids } => {
            nb.mark_alerts(&ids, false).await?;
            if json {
                return print_json(&serde_json::json!({ "marked": ids.len() }));
            }
            println!("Marked {} unread.", ids.len());
            Ok(())
        }
        InboxCommand::Notify { kind, state } => {
            let settings = match (kind, state) {
                (Some(kind), Some(state)) => {
                    nb.set_notify(AlertKind::parse(&kind)?, matches!(state, OnOff::On))
                        .await?
                }
                (Some(kind), None) => {
                    let kind = AlertKind::parse(&kind)?;
                    let mut all = nb.notify_settings().await?;
                    all.retain(|s| s.kind == kind);
                    all
                }
                (None, _) => nb.notify_settings().await?,
            };
            if json {
                return print_json(&settings);
            }
            for s in settings {
                let on = if s.on { "on " } else { "off" };
                println!("{on}  {:<10}  {}", s.kind.as_str(), s.label);
            }
            Ok(())
        }
    }
}
