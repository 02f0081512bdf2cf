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

/// Backslash-escapes what Markdown would otherwise read as markup.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn human_time(t: &str) -> String {
    match crate::time::parse(t) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => t.to_string(),
    }
}

fn reference(v: &CitedVersion) -> String {
    let mut parts = vec![md_escape(&v.outlet), format!("\"{}\"", md_escape(&v.title))];
    if let Some(url) = &v.url {
        parts.push(format!("<{url}>"));
    }
    parts.push(format!("captured {}", human_time(&v.captured_at)));
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
    let latest = status
        .latest
        .as_ref()
        .map(|l| format!("version {}, captured {}", l.seq, human_time(&l.captured_at)));
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

/// True when the citation at `range` is the only thing in its paragraph.
fn alone_in_paragraph(md: &str, (start, end): (usize, usize)) -> bool {
    let line_start = md[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = md[end..].find('\n').map_or(md.len(), |i| end + i);
    if !md[line_start..start].trim().is_empty() || !md[end..line_end].trim().is_empty() {
        return false;
    }
    let before_blank = line_start == 0
        || md[..line_start - 1]
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
    let after_blank = line_end >= md.len()
        || md[line_end + 1..]
            .split('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty());
    before_blank && after_blank
}

/// Footnote labels 1, 2, … that the note does not already use for its own footnotes.
fn free_labels(md: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut i = 1;
    while out.len() < n {
        let label = i.to_string();
        if !md.contains(&format!("[^{label}]")) {
            out.push(label);
        }
        i += 1;
    }
    out
}

/// Note `note_id` as Markdown with footnoted citations, titled with a heading.
pub async fn note_markdown(db: &Db, note_id: i64) -> Result<String> {
    let note = crate::notes::get(db, note_id).await?;
    let statuses = citations::check(db, note_id).await?;
    let body = note.body.as_str();
    let labels = free_labels(body, statuses.len());
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
            (CitationKind::Highlight, Some(quote)) if alone_in_paragraph(body, (start, end)) => {
                let quoted: Vec<String> = quote
                    .lines()
                    .map(|l| {
                        if l.trim().is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {}", md_escape(l))
                        }
                    })
                    .collect();
                format!("{}{note_ref}", quoted.join("\n"))
            }
            (CitationKind::Highlight, Some(quote)) => {
                let one_line = quote.split_whitespace().collect::<Vec<_>>().join(" ");
                format!("\u{201C}{}\u{201D}{note_ref}", md_escape(&one_line))
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
