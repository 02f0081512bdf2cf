//! Comparing two versions of one source: everything the compare screen shows,
//! in one call.

use serde::{Deserialize, Serialize};

use super::Notebook;
use crate::diff::{self, Diff};
use crate::error::{Error, Result};
use crate::versions::{self, Source, VersionSeq, VersionSummary};

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

/// Two versions of a source picked by number, and their diff: what the
/// `diff` command prints.
#[derive(Clone, Debug)]
pub struct SeqDiff {
    pub old: VersionSeq,
    pub new: VersionSeq,
    pub diff: Diff,
}

impl Notebook {
    /// Compares versions `old` and `new` (numbers, 1, 2, …) of `source_id`,
    /// with the defaults of [`Notebook::compare`]. It reads only the two
    /// versions compared: the compare screen's list of every version with
    /// its word count is most of a short diff's reading.
    pub async fn diff_by_seq(
        &self,
        source_id: i64,
        old: Option<i64>,
        new: Option<i64>,
    ) -> Result<SeqDiff> {
        self.read(async |c| {
            let list = versions::version_seqs(c, source_id).await?;
            let by_seq = |seq: i64| {
                list.iter().find(|v| v.seq == seq).cloned().ok_or_else(|| {
                    Error::not_found("version", format!("{seq} of source {source_id}"))
                })
            };
            let (old, new) = (old.map(by_seq).transpose()?, new.map(by_seq).transpose()?);
            if list.is_empty() {
                versions::get_source(c, source_id).await?;
                return Err(Error::not_found("version of source", source_id));
            }
            let new = match new {
                Some(v) => v,
                None => list.last().cloned().expect("not empty"),
            };
            let old = match old {
                Some(v) => v,
                None => list
                    .iter()
                    .rev()
                    .find(|v| v.seq < new.seq)
                    .unwrap_or(&new)
                    .clone(),
            };
            let old_article = versions::article_to_compare(c, old.id).await?;
            let new_article = if new.id == old.id {
                old_article.clone()
            } else {
                versions::article_to_compare(c, new.id).await?
            };
            let diff = diff::diff_articles(&old_article, &new_article);
            Ok(SeqDiff { old, new, diff })
        })
        .await
    }

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
