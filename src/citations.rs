//! Citations in notes, pinned to versions.
//!
//! # Syntax
//!
//! A citation is an `@`, a letter and an id in square brackets, so that it
//! reads as a plain bracketed reference in any Markdown viewer:
//!
//! | written  | means |
//! | -------- | ----- |
//! | `[@h12]` | quote highlight 12: its exact text, from the exact version it was made on |
//! | `[@v34]` | cite version 34 (one captured revision of a source) |
//! | `[@s5]`  | cite source 5 as of its latest version |
//!
//! ```markdown
//! The ministry first put the toll at 30,000:
//!
//! [@h12]
//!
//! It later revised the figure [@v34]; see also the agency's wire [@s5].
//! ```
//!
//! A `[@h…]` alone in its paragraph renders as a block quote of the passage
//! with "— Outlet, Title, version 3 captured 2026-11-26 23:05 UTC" linking to
//! `redline://version/<id>#h12`; inside a sentence it renders as an inline
//! quotation with the same link. Citations inside code spans and code blocks,
//! escaped ones (`\[@h12]`) and link texts (`[@h12](…)`) are left alone.
//!
//! When the source has a newer version, each quoted highlight is re-anchored in
//! it ([`crate::highlights::anchor()`]); if the passage was edited or removed the
//! rendered note says "changed after you cited it" and shows a word-level diff.

use crate::html;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::diff::{self, SpanOp};
use crate::error::{Error, Result};
use crate::highlights::{self, Anchor};
use crate::markdown;
use crate::versions::{self, Version};
use crate::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CitationKind {
    Highlight,
    Version,
    Source,
}

impl CitationKind {
    fn letter(self) -> char {
        match self {
            CitationKind::Highlight => 'h',
            CitationKind::Version => 'v',
            CitationKind::Source => 's',
        }
    }
}

/// One citation as written in a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CitationRef {
    pub kind: CitationKind,
    pub id: i64,
    /// Byte range of `[@h12]` in the Markdown.
    pub range: (usize, usize),
}

impl CitationRef {
    /// The citation as written, e.g. `[@h12]`.
    pub fn markdown(&self) -> String {
        format!("[@{}{}]", self.kind.letter(), self.id)
    }
}

/// The Markdown that quotes highlight `highlight_id`. Put it on a line of its
/// own to get a block quote.
pub fn insert_citation(highlight_id: i64) -> String {
    format!("[@h{highlight_id}]")
}

fn citation_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\[@([hvs])([0-9]{1,18})\]").expect("valid regex"))
}

/// Every citation in `md`, in order, skipping code spans, code blocks, escaped
/// brackets and bracketed link texts.
pub fn parse(md: &str) -> Vec<CitationRef> {
    let code = markdown::code_ranges(md);
    let bytes = md.as_bytes();
    citation_regex()
        .captures_iter(md)
        .filter_map(|c| {
            let m = c.get(0)?;
            let (start, end) = (m.start(), m.end());
            if code.iter().any(|&(s, e)| start < e && s < end) {
                return None;
            }
            if start > 0 && bytes[start - 1] == b'\\' {
                return None;
            }
            if matches!(bytes.get(end), Some(b'(') | Some(b'[') | Some(b':')) {
                return None;
            }
            let kind = match &c[1] {
                "h" => CitationKind::Highlight,
                "v" => CitationKind::Version,
                _ => CitationKind::Source,
            };
            Some(CitationRef {
                kind,
                id: c[2].parse().ok()?,
                range: (start, end),
            })
        })
        .collect()
}

/// The version a citation points at, with what a reference needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CitedVersion {
    pub version_id: i64,
    pub source_id: i64,
    /// 1, 2, 3 … within the source.
    pub seq: i64,
    /// Site name, else the URL's host, else "Unknown outlet".
    pub outlet: String,
    pub title: String,
    pub url: Option<String>,
    /// When this version was captured (RFC 3339 UTC).
    pub captured_at: String,
    pub text_sha256: String,
}

impl CitedVersion {
    /// "Outlet, Title, version 3 captured 2026-11-26 23:05 UTC".
    pub fn label(&self) -> String {
        format!(
            "{}, {}, version {} captured {}",
            self.outlet,
            self.title,
            self.seq,
            crate::time::human(&self.captured_at)
        )
    }

    /// `redline://version/<id>`, the app's link to this exact version.
    pub fn link(&self) -> String {
        format!("redline://version/{}", self.version_id)
    }
}

/// A word-level piece of a passage diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PassageChange {
    pub kind: PassageChangeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PassageChangeKind {
    Equal,
    Delete,
    Insert,
}

/// How a citation stands against the library today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum CitationState {
    /// The cited passage (or version) is what the source's latest version says.
    Current {
        #[serde(rename = "latestVersionId")]
        latest_version_id: i64,
    },
    /// A later version edited the quoted passage.
    ChangedAfterCite {
        #[serde(rename = "latestVersionId")]
        latest_version_id: i64,
        #[serde(rename = "newText")]
        new_text: String,
        similarity: f32,
        /// Word-level diff from the quoted text to `new_text`.
        spans: Vec<PassageChange>,
    },
    /// A later version no longer contains the quoted passage.
    GoneAfterCite {
        #[serde(rename = "latestVersionId")]
        latest_version_id: i64,
    },
    /// A cited version (`[@v…]`) has newer versions; the citation still pins the old one.
    Superseded {
        #[serde(rename = "latestVersionId")]
        latest_version_id: i64,
    },
    /// The cited highlight, version or source is not in the library.
    Missing,
}

/// One citation of a note with what it points at and how it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CitationStatus {
    pub citation: CitationRef,
    /// The version cited (for `[@h…]` the highlight's version); None when missing.
    pub cited: Option<CitedVersion>,
    /// The quoted text, for `[@h…]`.
    pub quote: Option<String>,
    /// The latest version of the source, when it is not the cited one.
    pub latest: Option<CitedVersion>,
    pub state: CitationState,
}

/// Checks every citation of note `note_id` against the latest versions.
pub async fn check(db: &Db, note_id: i64) -> Result<Vec<CitationStatus>> {
    // Only the body is needed; reading it here rather than through
    // `notes::get` keeps `notes` (which renders with citations) above this module.
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM notes WHERE id = ?")
        .bind(note_id)
        .fetch_optional(db.pool())
        .await?;
    let body = body.ok_or_else(|| Error::not_found("note", note_id))?;
    check_markdown(db, &body).await
}

/// [`check`] for Markdown that is not (yet) a stored note, e.g. the live preview.
pub async fn check_markdown(db: &Db, md: &str) -> Result<Vec<CitationStatus>> {
    let mut conn = db.pool().acquire().await?;
    let mut out = Vec::new();
    for citation in parse(md) {
        out.push(check_one(&mut conn, citation).await?);
    }
    Ok(out)
}

/// Resolves and checks one citation.
pub async fn check_one(
    conn: &mut SqliteConnection,
    citation: CitationRef,
) -> Result<CitationStatus> {
    let missing = |citation| CitationStatus {
        citation,
        cited: None,
        quote: None,
        latest: None,
        state: CitationState::Missing,
    };
    let (cited_version, highlight) = match citation.kind {
        CitationKind::Highlight => {
            let Some(h) = optional(highlights::get_in(conn, citation.id).await)? else {
                return Ok(missing(citation));
            };
            (versions::get_version(conn, h.version_id).await?, Some(h))
        }
        CitationKind::Version => {
            let Some(v) = optional(versions::get_version(conn, citation.id).await)? else {
                return Ok(missing(citation));
            };
            (v, None)
        }
        CitationKind::Source => match versions::latest_version(conn, citation.id).await? {
            Some(v) => (v, None),
            None => return Ok(missing(citation)),
        },
    };
    let latest = versions::latest_version(conn, cited_version.source_id)
        .await?
        .unwrap_or_else(|| cited_version.clone());
    let url = source_url(conn, cited_version.source_id).await?;
    let cited = describe(&cited_version, url.as_deref());
    let latest_id = latest.id;
    let state = if latest.id == cited_version.id {
        CitationState::Current {
            latest_version_id: latest_id,
        }
    } else {
        match &highlight {
            None => CitationState::Superseded {
                latest_version_id: latest_id,
            },
            Some(h) => match highlights::anchor(h, &latest) {
                Anchor::Exact { .. } | Anchor::Ambiguous { .. } => CitationState::Current {
                    latest_version_id: latest_id,
                },
                Anchor::Changed {
                    text, similarity, ..
                } => CitationState::ChangedAfterCite {
                    latest_version_id: latest_id,
                    spans: word_diff(&h.text, &text),
                    new_text: text,
                    similarity,
                },
                Anchor::Gone => CitationState::GoneAfterCite {
                    latest_version_id: latest_id,
                },
            },
        }
    };
    let latest = (latest.id != cited_version.id).then(|| describe(&latest, url.as_deref()));
    Ok(CitationStatus {
        citation,
        cited: Some(cited),
        quote: highlight.map(|h| h.text),
        latest,
        state,
    })
}

fn optional<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(crate::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn source_url(conn: &mut SqliteConnection, source_id: i64) -> Result<Option<String>> {
    let url: Option<Option<String>> = sqlx::query_scalar("SELECT url FROM sources WHERE id = ?")
        .bind(source_id)
        .fetch_optional(conn)
        .await?;
    Ok(url.flatten())
}

fn describe(v: &Version, url: Option<&str>) -> CitedVersion {
    let host = url.and_then(|u| url::Url::parse(u).ok()).and_then(|u| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_string())
    });
    let outlet = v
        .site_name
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or(host)
        .unwrap_or_else(|| "Unknown outlet".into());
    CitedVersion {
        version_id: v.id,
        source_id: v.source_id,
        seq: v.seq,
        outlet,
        title: v.title.clone(),
        url: url.map(str::to_string),
        captured_at: v.created_at.clone(),
        text_sha256: v.text_sha256.clone(),
    }
}

/// Word-level diff of a passage: the compare view's own ([`diff::passage_spans`]),
/// so a cited passage and its paragraph in a compare are marked up alike.
pub fn word_diff(old: &str, new: &str) -> Vec<PassageChange> {
    diff::passage_spans(old, new)
        .into_iter()
        .map(|span| PassageChange {
            kind: match span.op {
                SpanOp::Equal => PassageChangeKind::Equal,
                SpanOp::Delete => PassageChangeKind::Delete,
                SpanOp::Insert => PassageChangeKind::Insert,
            },
            text: span.text,
        })
        .collect()
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Renders `md` to sanitised HTML with `statuses` (from [`check_markdown`] on
/// the same `md`) in place of the citations.
pub fn render_with(md: &str, statuses: &[CitationStatus]) -> String {
    // Citations become private-use placeholders that Markdown leaves alone;
    // after rendering they are replaced by HTML built from escaped text, and
    // the whole document is sanitised once more.
    let strip = |s: &str| s.replace([OPEN, CLOSE], "");
    let mut src = String::with_capacity(md.len());
    let mut at = 0;
    for (i, st) in statuses.iter().enumerate() {
        let (s, e) = st.citation.range;
        if s < at || e > md.len() {
            continue;
        }
        src.push_str(&strip(&md[at..s]));
        src.push(OPEN);
        src.push_str(&i.to_string());
        src.push(CLOSE);
        at = e;
    }
    src.push_str(&strip(&md[at..]));
    let mut html = markdown::to_html(&src);
    for (i, st) in statuses.iter().enumerate() {
        let token = format!("{OPEN}{i}{CLOSE}");
        let alone = format!("<p>{token}</p>");
        if html.contains(&alone) {
            html = html.replace(&alone, &block_html(st));
        }
        html = html.replace(&token, &inline_html(st));
    }
    markdown::sanitize(&html)
}

fn href(st: &CitationStatus, cited: &CitedVersion) -> String {
    match st.citation.kind {
        CitationKind::Highlight => format!("{}#h{}", cited.link(), st.citation.id),
        _ => cited.link(),
    }
}

fn missing_html(st: &CitationStatus) -> String {
    format!(
        "<span class=\"redline-cite-missing\">{} (not in the library)</span>",
        html::escape(&st.citation.markdown())
    )
}

fn diff_html(spans: &[PassageChange]) -> String {
    spans
        .iter()
        .map(|s| match s.kind {
            PassageChangeKind::Equal => html::escape(&s.text),
            PassageChangeKind::Delete => {
                format!(
                    "<del class=\"redline-diff\">{}</del>",
                    html::escape(&s.text)
                )
            }
            PassageChangeKind::Insert => {
                format!(
                    "<ins class=\"redline-diff\">{}</ins>",
                    html::escape(&s.text)
                )
            }
        })
        .collect()
}

/// What changed since the citation, as a sentence (empty when nothing did).
fn change_note(st: &CitationStatus) -> Option<(&'static str, String)> {
    let latest = st.latest.as_ref()?;
    let when = format!(
        "version {} captured {}",
        latest.seq,
        crate::time::human(&latest.captured_at)
    );
    match &st.state {
        CitationState::ChangedAfterCite { spans, .. } => Some((
            "redline-changed",
            format!(
                "changed after you cited it — {}: {}",
                html::escape(&when),
                diff_html(spans)
            ),
        )),
        CitationState::GoneAfterCite { .. } => Some((
            "redline-gone",
            format!(
                "removed after you cited it — not in {}",
                html::escape(&when)
            ),
        )),
        CitationState::Superseded { .. } => Some((
            "redline-changed",
            format!("a newer {} exists", html::escape(&when)),
        )),
        _ => None,
    }
}

fn block_html(st: &CitationStatus) -> String {
    let (Some(cited), Some(quote)) = (&st.cited, &st.quote) else {
        return format!("<p>{}</p>", inline_html(st));
    };
    let class = match st.state {
        CitationState::ChangedAfterCite { .. } => "redline-quote redline-quote-changed",
        CitationState::GoneAfterCite { .. } => "redline-quote redline-quote-gone",
        _ => "redline-quote",
    };
    let paragraphs: String = quote
        .split(crate::article::BLOCK_SEPARATOR)
        .map(|p| format!("<p>{}</p>", html::escape(p)))
        .collect();
    let note = change_note(st)
        .map(|(c, t)| format!("<p class=\"{c}\">{t}</p>"))
        .unwrap_or_default();
    format!(
        "<blockquote class=\"{class}\">{paragraphs}<p class=\"redline-attribution\">— <a class=\"redline-cite\" href=\"{}\">{}</a></p>{note}</blockquote>",
        html::escape(&href(st, cited)),
        html::escape(&cited.label())
    )
}

fn inline_html(st: &CitationStatus) -> String {
    let Some(cited) = &st.cited else {
        return missing_html(st);
    };
    let link = format!(
        "<a class=\"redline-cite\" href=\"{}\">{}</a>",
        html::escape(&href(st, cited)),
        html::escape(&cited.label())
    );
    let note = change_note(st)
        .map(|(_, t)| format!(" <span class=\"redline-cite-note\">({t})</span>"))
        .unwrap_or_default();
    match &st.quote {
        Some(q) => format!(
            "<q class=\"redline-quote\">{}</q> ({link}){note}",
            html::escape(&q.replace(crate::article::BLOCK_SEPARATOR, " "))
        ),
        None => format!("({link}){note}"),
    }
}

/// The passages of `source_id` that some note quotes (`[@h…]`), each once.
/// The Changed inbox asks this of a story that just got a new version.
pub async fn cited_passages(conn: &mut SqliteConnection, source_id: i64) -> Result<Vec<String>> {
    let passages: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, text FROM highlights WHERE source_id = ?")
            .bind(source_id)
            .fetch_all(&mut *conn)
            .await?;
    if passages.is_empty() {
        return Ok(Vec::new());
    }
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM notes WHERE body LIKE '%[@h%'")
        .fetch_all(&mut *conn)
        .await?;
    let cited: std::collections::HashSet<i64> = bodies
        .iter()
        .flat_map(|b| parse(b))
        .filter(|c| c.kind == CitationKind::Highlight)
        .map(|c| c.id)
        .collect();
    let mut out: Vec<String> = passages
        .into_iter()
        .filter(|(id, _)| cited.contains(id))
        .map(|(_, text)| text)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}
