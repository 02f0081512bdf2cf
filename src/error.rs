//! The core's error type. Every variant carries a stable `code` so shells can
//! show a helpful message (the UI gets `{ code, message }`, the CLI one line).

use crate::fetch::FetchError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the library at {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("cannot update the library schema: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Invalid(String),
    /// Two versions of different sources were to be compared.
    #[error(
        "version {version_id} belongs to source {version_source}, not {source_id}: \
         only two versions of the same source can be compared"
    )]
    NotSameSource {
        version_id: i64,
        version_source: i64,
        source_id: i64,
    },
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("nothing readable found: {0}")]
    Extract(String),
    /// The page would take more work than one extraction may spend (nesting,
    /// element count or time); refused rather than pinning a core.
    #[error("the page is too complex to read: {0}")]
    ExtractBudget(String),
    #[error("{0}")]
    Export(String),
    /// A feed, OPML file or sitemap that cannot be read as one.
    #[error("not a feed Redline can read: {0}")]
    Feed(String),
    /// The time stamping authority gave no valid timestamp.
    #[error("no trusted timestamp: {0}")]
    Timestamp(String),
    /// Another process runs the scheduler on this library.
    #[error("{0}")]
    Busy(String),
    /// Talking to a team library (issue 15).
    #[error(transparent)]
    Team(#[from] crate::team::TeamError),
}

impl Error {
    /// A short stable identifier for the kind of failure (`not_found`, `fetch_timeout`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Open { .. } => "open_failed",
            Error::Migrate(_) => "migrate_failed",
            Error::Database(_) => "database",
            Error::NotFound { .. } => "not_found",
            Error::Invalid(_) => "invalid",
            Error::NotSameSource { .. } => "not_same_source",
            Error::Fetch(e) => e.code(),
            Error::Io { .. } => "io",
            Error::Extract(_) => "extract_failed",
            Error::ExtractBudget(_) => "extract_too_complex",
            Error::Export(_) => "export_failed",
            Error::Feed(_) => "bad_feed",
            Error::Timestamp(_) => "timestamp_failed",
            Error::Busy(_) => "scheduler_busy",
            Error::Team(e) => e.code(),
        }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            what,
            id: id.to_string(),
        }
    }
}
