//! Team sync as a use-case family: the sync engine ([`crate::team::sync`])
//! applies what it pulls through this notebook's write path, so the open app
//! refreshes from the same signal as for any other write.

use sqlx::SqliteConnection;

use super::{ChangeKind, ChangeOrigin, Notebook};
use crate::error::Result;

impl Notebook {
    /// One write transaction of the sync engine (a page of changes),
    /// announced as a change to anything, made by the team.
    pub(crate) async fn team_write<T>(
        &self,
        f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        self.write_as(ChangeOrigin::Team, ChangeKind::Library, f)
            .await
    }

    /// A write of the sync's own bookkeeping (the keys of objects about to
    /// go up, the version reached, the last attempt): announced as a team
    /// change only, so the team status refreshes and no other view does
    /// (and the outside-writes watcher knows the commit was ours).
    pub(crate) async fn team_bookkeeping<T>(
        &self,
        f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        self.write_as(ChangeOrigin::Team, ChangeKind::Team, f).await
    }

    pub(crate) async fn team_read<T>(
        &self,
        f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        self.read(f).await
    }

    /// Which of `source_ids` this desk should re-check now: every source
    /// not shared with a team, and the shared ones the team server leases
    /// to this desk (one re-check per story for the whole team). See
    /// [`crate::team::sync::leased_checks`].
    pub async fn leased_checks(&self, source_ids: &[i64]) -> Result<Vec<i64>> {
        crate::team::sync::leased_checks(self, source_ids).await
    }
}
