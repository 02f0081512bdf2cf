//! Team libraries: a desk shares projects through a sync service on
//! PostgreSQL (`redline serve`), while every desktop keeps its own SQLite
//! library and works offline. See ARCHITECTURE.md, "Team library".
//!
//! [`protocol`] is what both sides exchange, [`server`] the service,
//! [`client`] the desktop's HTTP side and [`sync`] what a desktop does with
//! it (pull, apply through the notebook's write path, push what changed).

pub mod client;
pub mod protocol;
pub mod server;
pub mod sync;

use rand_core::{OsRng, RngCore};

/// Why talking to a team library failed. Each has a stable [`code`](Self::code).
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// Tokens would cross the network in the clear.
    #[error(
        "refusing plain http:// to {0}: use https:// (a reverse proxy terminates TLS), \
         http:// only on this machine"
    )]
    Insecure(String),
    #[error("this library has not joined a team library (redline team join URL TOKEN)")]
    NotJoined,
    #[error("the team server refused the token (revoked or unknown)")]
    Unauthorized,
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("the team server refused the change: {0}")]
    Refused(String),
    #[error("too many requests to the team server; try again shortly")]
    RateLimited,
    #[error("the team library kept changing during the push; run sync again")]
    Busy,
    #[error("the team server failed: {0}")]
    Server(String),
    #[error("cannot reach the team server: {0}")]
    Unreachable(String),
}

impl TeamError {
    pub fn code(&self) -> &'static str {
        match self {
            TeamError::Insecure(_) => "team_insecure_url",
            TeamError::NotJoined => "team_not_joined",
            TeamError::Unauthorized => "team_unauthorized",
            TeamError::Forbidden(_) => "team_forbidden",
            TeamError::Refused(_) => "team_refused",
            TeamError::RateLimited => "team_rate_limited",
            TeamError::Busy => "team_busy",
            TeamError::Server(_) => "team_server",
            TeamError::Unreachable(_) => "team_unreachable",
        }
    }
}

/// 128 random bits as hex: tokens and the keys of objects that have no
/// natural name (projects, notes, note revisions).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
