//! Reading sources, their versions and their captures.

use super::Notebook;
use crate::error::{Error, Result};
use crate::versions::{self, Capture, CapturedPage, Source, Version, VersionSummary};

impl Notebook {
    pub async fn source(&self, source_id: i64) -> Result<Source> {
        self.read(async |c| versions::get_source(c, source_id).await)
            .await
    }

    /// The versions of a known source, oldest first (unknown: `not_found`).
    pub async fn versions(&self, source_id: i64) -> Result<Vec<VersionSummary>> {
        self.read(async |c| {
            versions::get_source(c, source_id).await?;
            versions::list_versions(c, source_id).await
        })
        .await
    }

    /// Every capture attempt of a known source, for its timeline.
    pub async fn captures(&self, source_id: i64) -> Result<Vec<Capture>> {
        self.read(async |c| {
            versions::get_source(c, source_id).await?;
            versions::list_captures(c, source_id).await
        })
        .await
    }

    pub async fn version(&self, version_id: i64) -> Result<Version> {
        self.read(async |c| versions::get_version(c, version_id).await)
            .await
    }

    /// Version `seq` (1, 2, …) of a source, or its latest when `seq` is None.
    pub async fn version_of(&self, source_id: i64, seq: Option<i64>) -> Result<Version> {
        self.read(async |c| match seq {
            Some(seq) => versions::get_version_by_seq(c, source_id, seq).await,
            None => versions::latest_version(c, source_id)
                .await?
                .ok_or_else(|| Error::not_found("version of source", source_id)),
        })
        .await
    }

    /// The page a version was extracted from, as captured: decoded text, cut
    /// at [`versions::CAPTURED_TEXT_MAX`] bytes, for the reader to show as
    /// inert text. `not_found` when the capture kept no bytes.
    pub async fn captured_page(&self, version_id: i64) -> Result<CapturedPage> {
        self.read(async |c| versions::captured_page(c, version_id).await)
            .await?
            .ok_or_else(|| Error::not_found("captured page of version", version_id))
    }
}
