//! What the library tells its views after a write: who changed it and what.
//!
//! One [`LibraryChange`] per committed write. The app forwards each as the
//! `library-changed` event, so every open view refreshes from one signal.

use serde::{Deserialize, Serialize};

use crate::alerts::Alert;

/// Who changed the library: this process, another process (the CLI while the
/// app is open), a background re-check, or a team sync applying what other
/// members wrote (the app does not sync again because of those).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ChangeOrigin {
    App,
    External,
    Watch,
    Team,
}

/// Which part of the library a write touched. A view that shows none of it
/// may skip its refresh; `Library` means "anything" (an outside write).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangeKind {
    /// Sources, their versions and captures, and their flags.
    Sources,
    Notes,
    Highlights,
    Projects,
    Tags,
    /// Feeds, their rules and the items they listed.
    Feeds,
    /// The Changed inbox and its notification settings.
    Alerts,
    /// Only the team link's own record (the last sync, why it failed): the
    /// team status shows it; no other view needs a refresh.
    Team,
    Library,
}

/// Payload of the `library-changed` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LibraryChange {
    pub origin: ChangeOrigin,
    pub what: ChangeKind,
    /// Set when a re-check found a new version of a source.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_version: Option<SourceChanged>,
    /// Set when a background check or feed recorded an alert in the inbox.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<AlertRaised>,
}

/// An alert just recorded, and whether the reporter wants to be notified of
/// its kind (the app groups the notifications it shows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AlertRaised {
    pub alert: Alert,
    pub notify: bool,
}

impl LibraryChange {
    pub fn new(origin: ChangeOrigin, what: ChangeKind) -> Self {
        LibraryChange {
            origin,
            what,
            new_version: None,
            alert: None,
        }
    }
}

/// Payload of the `source-changed` event: a watched source got a new version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceChanged {
    pub source_id: i64,
    pub version_id: i64,
    pub version_seq: i64,
    pub title: String,
}
