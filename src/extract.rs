//! Readable-article extraction: the article and its metadata out of a page.
//! (Interface stub; the extract work implements it.)

use crate::article::{Article, Block};
use crate::error::{Error, Result};

/// Extracts the article of an HTML page; `url` resolves relative links.
pub fn extract_html(html: &str, _url: Option<&str>) -> Result<Article> {
    if html.trim().is_empty() {
        return Err(Error::Extract("the page is empty".into()));
    }
    unimplemented!("extract work")
}

/// An article from plain text or Markdown: title from the first line or heading.
pub fn extract_plain(text: &str, _markdown: bool) -> Article {
    let mut paras = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
    let title = paras.next().unwrap_or_default().to_string();
    Article {
        title,
        blocks: paras.map(Block::paragraph).collect(),
        ..Article::default()
    }
}
