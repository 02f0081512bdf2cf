//! The library's storage layout: upgrading a library written before
//! content-addressed storage (issue 16.3).

use std::ops::ControlFlow;

use super::Notebook;
use crate::error::Result;
use crate::versions::upgrade::{self, UpgradeProgress, UpgradeReport};

impl Notebook {
    /// Moves raw bytes into shared blobs and blocks JSON to layouts, in
    /// batches of [`upgrade::BATCH`], reporting after each; `Break` from
    /// `progress` stops after the batch (a later run resumes). Readers
    /// accept both layouts, so nothing is announced: no view changes.
    pub async fn upgrade_storage(
        &self,
        progress: impl FnMut(UpgradeProgress) -> ControlFlow<()>,
    ) -> Result<UpgradeReport> {
        upgrade::upgrade_storage(&self.db, upgrade::BATCH, progress).await
    }

    /// Rows still in the old layout: (captures, versions).
    pub async fn storage_pending(&self) -> Result<(u64, u64)> {
        self.read(async |c| upgrade::pending(c).await).await
    }
}
