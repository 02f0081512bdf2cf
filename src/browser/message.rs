//! The messages the extension and the host exchange: one JSON object each
//! way, told apart by `type`. Every request is checked against these types
//! (unknown fields and unknown types are refused) before anything runs.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::notebook::PageStatus;

/// Longest URL, title, selection and browser names a request may carry:
/// generous for real pages, small enough that no reply built from them
/// nears the browser's 1 MiB limit on what a host sends.
const MAX_URL: usize = 8 * 1024;
const MAX_TITLE: usize = 4 * 1024;
const MAX_SELECTION: usize = 64 * 1024;
const MAX_NAME: usize = 200;

/// What the extension asks.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
#[ts(export)]
pub enum BrowserRequest {
    /// Is the host there, and which version?
    Ping,
    /// Clip the page as rendered (and highlight the selection, if any).
    Clip {
        url: String,
        /// `document.documentElement.outerHTML` after the page's scripts ran.
        dom: String,
        /// The tab's title as the browser shows it.
        title: String,
        #[serde(default)]
        #[ts(optional)]
        selection: Option<String>,
        /// "Chromium", "Chrome", "Firefox", …
        browser: String,
        browser_version: String,
        extension_version: String,
        /// When the page was serialised, RFC 3339 by the browser's clock.
        captured_at: String,
    },
    /// Is this page in the library (badge, capture on visit)?
    Lookup {
        url: String,
    },
    /// The projects and tags to offer in the popup.
    Lists,
    AddToProject {
        source_id: i64,
        project_id: i64,
    },
    /// Label a source with a tag (created if needed).
    Tag {
        source_id: i64,
        tag: String,
    },
}

impl BrowserRequest {
    /// Bounds the free-text fields (the DOM itself is bounded by the message
    /// cap and the clip limit) and checks the capture time is a time.
    pub fn validate(&self) -> Result<()> {
        let long = |what: &str, s: &str, max: usize| {
            if s.len() > max {
                Err(Error::Invalid(format!(
                    "the {what} is longer than {max} bytes"
                )))
            } else {
                Ok(())
            }
        };
        match self {
            BrowserRequest::Clip {
                url,
                title,
                selection,
                browser,
                browser_version,
                extension_version,
                captured_at,
                ..
            } => {
                long("url", url, MAX_URL)?;
                long("title", title, MAX_TITLE)?;
                long(
                    "selection",
                    selection.as_deref().unwrap_or(""),
                    MAX_SELECTION,
                )?;
                for (what, s) in [
                    ("browser", browser),
                    ("browser version", browser_version),
                    ("extension version", extension_version),
                ] {
                    long(what, s, MAX_NAME)?;
                    if s.trim().is_empty() {
                        return Err(Error::Invalid(format!("the {what} is empty")));
                    }
                }
                chrono::DateTime::parse_from_rfc3339(captured_at).map_err(|e| {
                    Error::Invalid(format!("capturedAt is not an RFC 3339 time: {e}"))
                })?;
                Ok(())
            }
            BrowserRequest::Lookup { url } => long("url", url, MAX_URL),
            BrowserRequest::Tag { tag, .. } => long("tag", tag, MAX_NAME),
            BrowserRequest::Ping | BrowserRequest::Lists | BrowserRequest::AddToProject { .. } => {
                Ok(())
            }
        }
    }
}

/// What a clip did, as the popup says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClipStatus {
    NewSource,
    NewVersion,
    Unchanged,
}

/// An error as the extension sees it: a stable code and a message to show.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReplyError {
    pub code: String,
    pub message: String,
}

impl From<&Error> for ReplyError {
    fn from(e: &Error) -> Self {
        ReplyError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

/// A project or tag to offer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// What the host answers: one reply per request, in order.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum BrowserReply {
    Pong {
        host_version: String,
    },
    Clipped {
        status: ClipStatus,
        source_id: i64,
        version_id: i64,
        version_seq: i64,
        capture_id: i64,
        title: String,
        /// The highlight made from the selection.
        highlight_id: Option<i64>,
        /// Why the selection did not become a highlight (the clip is kept).
        selection_error: Option<ReplyError>,
    },
    Page {
        /// None: the page is not in the library.
        source: Option<PageStatus>,
    },
    Lists {
        projects: Vec<Named>,
        tags: Vec<Named>,
    },
    AddedToProject {
        project_id: i64,
        source_id: i64,
    },
    Tagged {
        tag: String,
        source_id: i64,
    },
    Error {
        code: String,
        message: String,
    },
}

/// Codes of the refusals the host itself makes (the core's errors keep
/// their own [`Error::code`]).
pub mod code {
    /// The message is not JSON (or not UTF-8).
    pub const BAD_JSON: &str = "bad_json";
    /// JSON, but not a request: a missing or unknown field, a wrong type.
    pub const INVALID_MESSAGE: &str = "invalid_message";
    /// A `type` this host does not know (a newer extension?).
    pub const UNKNOWN_TYPE: &str = "unknown_type";
    /// Longer than [`crate::browser::host::MAX_MESSAGE`]; read and discarded.
    pub const TOO_LARGE: &str = "message_too_large";
    /// The answer would pass the browser's 1 MiB limit.
    pub const REPLY_TOO_LARGE: &str = "reply_too_large";
    /// The selection sent with a clip is not in the article's text.
    pub const SELECTION_NOT_FOUND: &str = "selection_not_found";
}

impl BrowserReply {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        BrowserReply::Error {
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn from_error(e: &Error) -> Self {
        BrowserReply::error(e.code(), e.to_string())
    }
}
