//! A note as Markdown that Pandoc (and any CommonMark reader with footnotes)
//! understands: each citation becomes a footnote naming outlet, title, URL,
//! capture time (UTC), version number and the version's SHA-256, so a reader
//! outside Redline can tell exactly which revision was cited.
//!
//! `[@h…]` quotes keep their text: alone in a paragraph they become a block
//! quote, inside a sentence a quotation, each followed by its footnote.
//! `[@v…]` and `[@s…]` become a bare footnote reference. When the source
//! changed after the citation, the footnote says so.

use crate::citations::{self, CitationKind, CitationState, CitationStatus, CitedVersion};
use crate::db::Db;
use crate::error::Result;
use crate::markdown::{self, escape as md_escape};

fn reference(v: &CitedVersion) -> String {
    let mut parts = vec![md_escape(&v.outlet), format!("\"{}\"", md_escape(&v.title))];
    if let Some(url) = &v.url {
        parts.push(format!("<{url}>"));
    }
    parts.push(format!("captured {}", crate::time::human(&v.captured_at)));
    parts.push(format!("version {}", v.seq));
    parts.push(format!("sha256 {}", v.text_sha256));
    parts.join(", ")
}

fn footnote(status: &CitationStatus) -> String {
    let Some(cited) = &status.cited else {
        return format!(
            "Citation {} is no longer in the library.",
            md_escape(&status.citation.markdown())
        );
    };
    let mut text = reference(cited);
    let latest = status.latest.as_ref().map(|l| {
        format!(
            "version {}, captured {}",
            l.seq,
            crate::time::human(&l.captured_at)
        )
    });
    match (&status.state, latest) {
        (CitationState::ChangedAfterCite { new_text, .. }, Some(l)) => text.push_str(&format!(
            ". Changed after it was cited: {l} reads \u{201C}{}\u{201D}",
            md_escape(new_text)
        )),
        (CitationState::GoneAfterCite { .. }, Some(l)) => {
            text.push_str(&format!(". The passage is no longer in {l}"))
        }
        (CitationState::Superseded { .. }, Some(l)) => {
            text.push_str(&format!(". A later revision exists: {l}"))
        }
        _ => {}
    }
    text.push('.');
    text
}

/// Note `note_id` as Markdown with footnoted citations, titled with a heading.
pub async fn note_markdown(db: &Db, note_id: i64) -> Result<String> {
    let note = crate::notes::get(db, note_id).await?;
    let statuses = citations::check(db, note_id).await?;
    let body = note.body.as_str();
    let labels = markdown::free_footnote_labels(body, statuses.len());
    let mut out = String::new();
    if !note.title.trim().is_empty() {
        out.push_str(&format!("# {}\n\n", md_escape(note.title.trim())));
    }
    let mut pos = 0;
    for (status, label) in statuses.iter().zip(&labels) {
        let (start, end) = status.citation.range;
        let mut text_before = &body[pos..start];
        let note_ref = format!("[^{label}]");
        let replacement = match (&status.citation.kind, &status.quote) {
            (CitationKind::Highlight, Some(quote))
                if markdown::alone_in_paragraph(body, (start, end)) =>
            {
                format!("{}{note_ref}", markdown::block_quote(quote))
            }
            (CitationKind::Highlight, Some(quote)) => {
                format!("{}{note_ref}", markdown::inline_quote(quote))
            }
            _ => {
                // "revised the figure [@v34]" → "revised the figure[^1]".
                text_before = text_before.strip_suffix(' ').unwrap_or(text_before);
                note_ref
            }
        };
        out.push_str(text_before);
        out.push_str(&replacement);
        pos = end;
    }
    out.push_str(&body[pos..]);
    if !statuses.is_empty() {
        while !out.ends_with("\n\n") {
            out.push('\n');
        }
        for (status, label) in statuses.iter().zip(&labels) {
            out.push_str(&format!("[^{label}]: {}\n", footnote(status)));
        }
    } else if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
