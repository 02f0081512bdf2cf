//! The *Changed* inbox: what the background re-checks and feed polls found
//! that a reporter should look at — a cited passage that changed, a headline
//! rewritten, a quote or a figure revised, a story gone or redirected, new
//! stories from a feed. One alert per finding, read or unread; whether a
//! kind also raises a desktop notification is the reporter's setting.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::diff::Summary;
use crate::error::{Error, Result};

/// What an alert is about. The order is importance: an alert's first kind
/// names it, and notifications group by it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlertKind {
    /// A passage quoted by a note's citation is no longer in the story.
    Cited,
    /// The story answers 404 or 410.
    Gone,
    /// The story's address now redirects elsewhere.
    Redirected,
    Headline,
    Quote,
    Number,
    /// A feed's rule clipped a new story.
    Feed,
    /// Any other revision of a watched story.
    Edited,
}

impl AlertKind {
    pub const ALL: [AlertKind; 8] = [
        AlertKind::Cited,
        AlertKind::Gone,
        AlertKind::Redirected,
        AlertKind::Headline,
        AlertKind::Quote,
        AlertKind::Number,
        AlertKind::Feed,
        AlertKind::Edited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Cited => "cited",
            AlertKind::Gone => "gone",
            AlertKind::Redirected => "redirected",
            AlertKind::Headline => "headline",
            AlertKind::Quote => "quote",
            AlertKind::Number => "number",
            AlertKind::Feed => "feed",
            AlertKind::Edited => "edited",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        AlertKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "no alert kind {s:?}; the kinds are {}",
                    AlertKind::ALL.map(AlertKind::as_str).join(", ")
                ))
            })
    }

    /// How a notification or a list names a group of `n` alerts of this kind.
    pub fn describe(self, n: usize) -> String {
        let (one, many) = match self {
            AlertKind::Cited => ("A passage you cited changed", "passages you cited changed"),
            AlertKind::Gone => ("A watched story disappeared", "watched stories disappeared"),
            AlertKind::Redirected => (
                "A watched story now redirects elsewhere",
                "watched stories now redirect elsewhere",
            ),
            AlertKind::Headline => (
                "A watched story changed its headline",
                "watched stories changed their headline",
            ),
            AlertKind::Quote => ("A quote was altered", "quotes were altered"),
            AlertKind::Number => ("A figure was revised", "stories revised a figure"),
            AlertKind::Feed => ("A new story from a feed", "new stories from feeds"),
            AlertKind::Edited => ("A watched story changed", "watched stories changed"),
        };
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    }

    /// Kinds that notify unless the reporter says otherwise: every finding
    /// but a plain revision, which the inbox lists without a ping.
    fn notifies_by_default(self) -> bool {
        self != AlertKind::Edited
    }
}

/// One entry of the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Alert {
    pub id: i64,
    pub created_at: String,
    /// Most important first; never empty.
    pub kinds: Vec<AlertKind>,
    pub source_id: Option<i64>,
    pub feed_id: Option<i64>,
    /// The compare this alert opens: from `old_version_id` to `new_version_id`.
    pub old_version_id: Option<i64>,
    pub new_version_id: Option<i64>,
    /// The story's (or feed's) title.
    pub title: String,
    /// One line: what changed.
    pub summary: String,
    pub read: bool,
}

/// An alert to record.
#[derive(Clone, Debug, Default)]
pub struct NewAlert {
    pub kinds: Vec<AlertKind>,
    pub source_id: Option<i64>,
    pub feed_id: Option<i64>,
    pub old_version_id: Option<i64>,
    pub new_version_id: Option<i64>,
    pub title: String,
    pub summary: String,
}

/// Whether notifications of one kind are on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotifySetting {
    pub kind: AlertKind,
    pub label: String,
    pub on: bool,
}

/// What a revision is worth telling: its kinds and a one-line account, from
/// the diff's summary and the number of cited passages it lost. A revision
/// with nothing notable is still `Edited`.
pub fn revision_alert(summary: &Summary, cited_lost: usize) -> (Vec<AlertKind>, String) {
    let mut kinds = Vec::new();
    let mut parts = Vec::new();
    if cited_lost > 0 {
        kinds.push(AlertKind::Cited);
        parts.push(if cited_lost == 1 {
            "a passage you cited changed".to_string()
        } else {
            format!("{cited_lost} passages you cited changed")
        });
    }
    if let Some(h) = &summary.headline {
        kinds.push(AlertKind::Headline);
        parts.push(format!("headline “{}” → “{}”", h.from, h.to));
    }
    if let Some(q) = summary.quotes_altered.first() {
        kinds.push(AlertKind::Quote);
        let who = q.speaker.as_deref().unwrap_or("unattributed");
        let more = summary.quotes_altered.len() - 1;
        parts.push(if more == 0 {
            format!("quote ({who}) “{}” → “{}”", q.from, q.to)
        } else {
            format!("quote ({who}) “{}” → “{}” and {more} more", q.from, q.to)
        });
    }
    if !summary.numbers_changed.is_empty() {
        kinds.push(AlertKind::Number);
        let list: Vec<String> = summary
            .numbers_changed
            .iter()
            .take(3)
            .map(|n| format!("{} → {}", n.from, n.to))
            .collect();
        parts.push(format!("figures {}", list.join(", ")));
    }
    if kinds.is_empty() {
        kinds.push(AlertKind::Edited);
    }
    let counts = [
        (summary.paragraphs_added, "added"),
        (summary.paragraphs_removed, "removed"),
        (summary.paragraphs_edited, "edited"),
        (summary.paragraphs_moved, "moved"),
    ];
    let counted: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if !counted.is_empty() {
        parts.push(format!("paragraphs: {}", counted.join(", ")));
    }
    if parts.is_empty() {
        parts.push("revised".to_string());
    }
    (kinds, parts.join(" · "))
}

/// `line` with its first letter in upper case (summaries are composed from
/// lower-case parts, then read as a sentence).
pub fn capitalised(line: &str) -> String {
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Records `alert`; returns it as the inbox shows it.
pub async fn insert(conn: &mut SqliteConnection, alert: &NewAlert, now: &str) -> Result<Alert> {
    let kinds = encode_kinds(&alert.kinds);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alerts (created_at, kinds, source_id, feed_id, old_version_id, \
         new_version_id, title, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(now)
    .bind(&kinds)
    .bind(alert.source_id)
    .bind(alert.feed_id)
    .bind(alert.old_version_id)
    .bind(alert.new_version_id)
    .bind(&alert.title)
    .bind(&alert.summary)
    .fetch_one(&mut *conn)
    .await?;
    get(conn, id).await
}

fn encode_kinds(kinds: &[AlertKind]) -> String {
    let mut sorted = kinds.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    created_at: String,
    kinds: String,
    source_id: Option<i64>,
    feed_id: Option<i64>,
    old_version_id: Option<i64>,
    new_version_id: Option<i64>,
    title: String,
    summary: String,
    read_at: Option<String>,
}

impl Row {
    fn into_alert(self) -> Alert {
        Alert {
            id: self.id,
            created_at: self.created_at,
            // A kind this build does not know (a newer Redline wrote it) reads as a plain change.
            kinds: self
                .kinds
                .split(',')
                .map(|k| AlertKind::parse(k).unwrap_or(AlertKind::Edited))
                .collect(),
            source_id: self.source_id,
            feed_id: self.feed_id,
            old_version_id: self.old_version_id,
            new_version_id: self.new_version_id,
            title: self.title,
            summary: self.summary,
            read: self.read_at.is_some(),
        }
    }
}

const COLUMNS: &str = "id, created_at, kinds, source_id, feed_id, old_version_id, \
     new_version_id, title, summary, read_at";

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Alert> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM alerts WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(Row::into_alert)
        .ok_or_else(|| Error::not_found("alert", id))
}

/// The newest alerts first (only unread ones with `unread_only`).
pub async fn list(
    conn: &mut SqliteConnection,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<Alert>> {
    let filter = if unread_only {
        "WHERE read_at IS NULL"
    } else {
        ""
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts {filter} ORDER BY id DESC LIMIT ?"
    ))
    .bind(limit.max(0))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Row::into_alert).collect())
}

pub async fn unread_count(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM alerts WHERE read_at IS NULL")
            .fetch_one(conn)
            .await?,
    )
}

/// Marks alerts read (or unread again). Unknown ids are refused, so a typo
/// is not silently a no-op.
pub async fn mark(conn: &mut SqliteConnection, ids: &[i64], read: bool, now: &str) -> Result<()> {
    for &id in ids {
        get(&mut *conn, id).await?;
        sqlx::query("UPDATE alerts SET read_at = ? WHERE id = ?")
            .bind(read.then_some(now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Marks every unread alert read; returns how many.
pub async fn mark_all_read(conn: &mut SqliteConnection, now: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE alerts SET read_at = ? WHERE read_at IS NULL")
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// The kinds whose notifications are on.
pub async fn notify_settings(conn: &mut SqliteConnection) -> Result<Vec<NotifySetting>> {
    let off: Option<Vec<AlertKind>> = crate::settings::notify_off(conn).await?.map(|list| {
        list.split(',')
            .filter_map(|k| AlertKind::parse(k).ok())
            .collect()
    });
    Ok(AlertKind::ALL
        .into_iter()
        .map(|kind| NotifySetting {
            kind,
            label: kind.describe(1),
            on: match &off {
                Some(off) => !off.contains(&kind),
                None => kind.notifies_by_default(),
            },
        })
        .collect())
}

/// Turns notifications of `kind` on or off.
pub async fn set_notify(conn: &mut SqliteConnection, kind: AlertKind, on: bool) -> Result<()> {
    let mut off: Vec<AlertKind> = notify_settings(&mut *conn)
        .await?
        .into_iter()
        .filter(|s| !s.on)
        .map(|s| s.kind)
        .collect();
    off.retain(|k| *k != kind);
    if !on {
        off.push(kind);
    }
    crate::settings::set_notify_off(conn, &encode_kinds(&off)).await
}

/// Whether `alert` should raise a desktop notification.
pub fn notifies(alert: &Alert, settings: &[NotifySetting]) -> bool {
    alert
        .kinds
        .iter()
        .any(|k| settings.iter().any(|s| s.kind == *k && s.on))
}

/// One desktop notification for a burst of alerts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub title: String,
    pub body: String,
}

/// Groups alerts that arrived together by their first kind, most important
/// kind first: a re-check round that revised five headlines is one
/// notification ("5 watched stories changed their headline"), not five.
pub fn group_notifications(alerts: &[Alert]) -> Vec<Notification> {
    let mut groups: std::collections::BTreeMap<AlertKind, Vec<&Alert>> = Default::default();
    for a in alerts {
        if let Some(k) = a.kinds.first() {
            groups.entry(*k).or_default().push(a);
        }
    }
    groups
        .into_iter()
        .map(|(kind, list)| {
            let body = match list.as_slice() {
                [one] => format!("{}\n{}", one.title, one.summary),
                many => {
                    let mut titles: Vec<String> = many
                        .iter()
                        .take(3)
                        .map(|a| format!("• {}", a.title))
                        .collect();
                    if many.len() > 3 {
                        titles.push(format!("and {} more in the inbox", many.len() - 3));
                    }
                    titles.join("\n")
                }
            };
            Notification {
                title: kind.describe(list.len()),
                body,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{NumberChange, TextChange};

    #[test]
    fn a_revision_names_what_matters_most_first() {
        let summary = Summary {
            headline: Some(TextChange {
                from: "Talks collapse".into(),
                to: "Talks stall".into(),
            }),
            numbers_changed: vec![NumberChange {
                from: "30,000".into(),
                to: "25,000".into(),
            }],
            paragraphs_edited: 2,
            ..Summary::default()
        };
        let (kinds, line) = revision_alert(&summary, 1);
        assert_eq!(
            kinds,
            [AlertKind::Cited, AlertKind::Headline, AlertKind::Number]
        );
        assert_eq!(
            line,
            "a passage you cited changed · headline “Talks collapse” → “Talks stall” · \
             figures 30,000 → 25,000 · paragraphs: 2 edited"
        );
    }

    #[test]
    fn a_plain_revision_is_edited() {
        let summary = Summary {
            paragraphs_added: 1,
            ..Summary::default()
        };
        let (kinds, line) = revision_alert(&summary, 0);
        assert_eq!(kinds, [AlertKind::Edited]);
        assert_eq!(capitalised(&line), "Paragraphs: 1 added");
    }

    fn alert(id: i64, kinds: Vec<AlertKind>, title: &str) -> Alert {
        Alert {
            id,
            created_at: String::new(),
            kinds,
            source_id: Some(id),
            feed_id: None,
            old_version_id: None,
            new_version_id: None,
            title: title.into(),
            summary: "Figures 30,000 → 25,000".into(),
            read: false,
        }
    }

    #[test]
    fn a_burst_of_alerts_is_one_notification_per_kind() {
        let burst = [
            alert(1, vec![AlertKind::Number], "Floods in Sindh"),
            alert(
                2,
                vec![AlertKind::Headline, AlertKind::Number],
                "Talks stall",
            ),
            alert(3, vec![AlertKind::Number], "Grain exports"),
            alert(4, vec![AlertKind::Number], "Kharkiv strike"),
            alert(5, vec![AlertKind::Number], "Sahel aid"),
        ];
        let shown = group_notifications(&burst);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0].title, "A watched story changed its headline");
        assert_eq!(shown[0].body, "Talks stall\nFigures 30,000 → 25,000");
        assert_eq!(shown[1].title, "4 stories revised a figure");
        assert_eq!(
            shown[1].body,
            "• Floods in Sindh\n• Grain exports\n• Kharkiv strike\nand 1 more in the inbox"
        );
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in AlertKind::ALL {
            assert_eq!(AlertKind::parse(k.as_str()).unwrap(), k);
        }
        assert!(AlertKind::parse("headlines").is_err());
        assert_eq!(AlertKind::Gone.describe(3), "3 watched stories disappeared");
    }
}
