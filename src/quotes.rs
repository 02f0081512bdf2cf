//! Quoted speech and its speaker, found in every version.
//! (Interface stub; the diff work implements it.)

use sqlx::SqliteConnection;

use crate::article::Block;
use crate::error::Result;
use crate::versions::Version;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Quote {
    pub speaker: Option<String>,
    pub text: String,
    pub block_index: usize,
    /// Char offsets in the blocks joined by "\n\n".
    pub start: usize,
    pub end: usize,
}

pub fn find_quotes(_blocks: &[Block]) -> Vec<Quote> {
    Vec::new()
}

/// Replaces the stored quotes of a version with those found in it.
pub async fn store_for_version(_conn: &mut SqliteConnection, _version: &Version) -> Result<()> {
    Ok(())
}
