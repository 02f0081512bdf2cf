//! Finding things: full-text search and the quote index.

use super::Notebook;
use crate::error::Result;
use crate::quotes::{self, QuoteEntry, QuoteFilter, SpeakerCount};
use crate::search::{self, Hit, SearchQuery};

impl Notebook {
    pub async fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>> {
        self.read(async |c| search::search(c, query).await).await
    }

    /// How far the upgrade of the search index has come, while it runs.
    pub async fn search_reindex_progress(&self) -> Result<Option<search::Reindex>> {
        self.read(async |c| search::reindex_progress(c).await).await
    }

    /// Turns the language-aware stem index on (queues a resumable re-index)
    /// or off (drops it); see `search` for why it is off by default.
    pub async fn set_search_stems(&self, on: bool) -> Result<()> {
        search::set_stems(self.db.pool(), on).await
    }

    /// Indexes one batch of the stem re-index; `None` when nothing is left.
    pub async fn search_reindex_step(&self) -> Result<Option<search::Reindex>> {
        search::reindex_step(self.db.pool(), search::REINDEX_BATCH).await
    }

    pub async fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteEntry>> {
        self.read(async |c| quotes::list(c, filter).await).await
    }

    pub async fn speakers(&self) -> Result<Vec<SpeakerCount>> {
        self.read(async |c| quotes::speakers(c).await).await
    }
}
