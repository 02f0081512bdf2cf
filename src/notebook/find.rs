//! Finding things: full-text search and the quote index.

use super::Notebook;
use crate::error::Result;
use crate::quotes::{self, QuoteEntry, QuoteFilter, SpeakerCount};
use crate::search::{self, Hit, SearchQuery};

impl Notebook {
    pub async fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>> {
        self.read(async |c| search::search(c, query).await).await
    }

    pub async fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteEntry>> {
        self.read(async |c| quotes::list(c, filter).await).await
    }

    pub async fn speakers(&self) -> Result<Vec<SpeakerCount>> {
        self.read(async |c| quotes::speakers(c).await).await
    }
}
