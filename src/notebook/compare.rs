//! Comparing two versions of one source: everything the compare screen shows,
//! in one call.

use serde::{Deserialize, Serialize};

use super::Notebook;
use crate::diff::{self, Diff};
use crate::error::{Error, Result};
use crate::versions::{self, Source, VersionSummary};

/// A source, its versions (to pick from), the two compared and their diff.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompareView {
    pub source: Source,
    /// Every version of the source, oldest first.
    pub versions: Vec<VersionSummary>,
    pub old: VersionSummary,
    pub new: VersionSummary,
    pub diff: Diff,
}

impl Notebook {
    /// Compares two versions of `source_id`. `new` defaults to the latest
    /// version and `old` to the one before `new` (or `new` itself when it is
    /// the first). A version of another source is refused: comparing two
    /// stories says nothing about either.
    pub async fn compare(
        &self,
        source_id: i64,
        old: Option<i64>,
        new: Option<i64>,
    ) -> Result<CompareView> {
        self.read(async |c| {
            let source = versions::get_source(c, source_id).await?;
            let list = versions::list_versions(c, source_id).await?;
            let pick = async |c: &mut sqlx::SqliteConnection, id: i64| -> Result<VersionSummary> {
                if let Some(v) = list.iter().find(|v| v.id == id) {
                    return Ok(v.clone());
                }
                // Unknown is `not_found`; known but elsewhere is the typed refusal.
                let other = versions::get_version(c, id).await?;
                Err(Error::NotSameSource {
                    version_id: id,
                    version_source: other.source_id,
                    source_id,
                })
            };
            let new = match new {
                Some(id) => pick(c, id).await?,
                None => list
                    .last()
                    .cloned()
                    .ok_or_else(|| Error::not_found("version of source", source_id))?,
            };
            let old = match old {
                Some(id) => pick(c, id).await?,
                None => list
                    .iter()
                    .rev()
                    .find(|v| v.seq < new.seq)
                    .unwrap_or(&new)
                    .clone(),
            };
            let old_text = versions::get_version(c, old.id).await?;
            let new_text = versions::get_version(c, new.id).await?;
            let diff = diff::diff_articles(&old_text.article(), &new_text.article());
            Ok(CompareView {
                source,
                versions: list,
                old,
                new,
                diff,
            })
        })
        .await
    }
}
