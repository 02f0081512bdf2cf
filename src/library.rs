//! The library view: sources filtered, sorted and paged, the menus that feed
//! the filters, and the per-source flags a reporter flips (watch, archive,
//! viewed).
//!
//! Date rules: "captured" means when the source was first clipped; a bound
//! given as a plain date (`2026-11-26`) covers that whole UTC day; times are
//! compared as instants (SQLite `julianday`), so a `published_at` with an
//! offset (`+09:00`) sorts and filters correctly.

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use crate::error::{Error, Result};
use crate::projects::require_all;
use crate::versions::{Source, SOURCE_SELECT};

/// How a source list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SourceSort {
    /// Most recently clipped first.
    #[default]
    CapturedDesc,
    CapturedAsc,
    /// Newest publication first; sources without a date last.
    PublishedDesc,
    PublishedAsc,
    Title,
    /// By outlet, then title.
    Site,
}

/// Which sources to list. Every set field narrows the list (AND).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SourceFilter {
    pub project_id: Option<i64>,
    /// A tag name (case-insensitive).
    pub tag: Option<String>,
    /// The outlet (`site_name` of the latest version), case-insensitive.
    pub site: Option<String>,
    /// A language tag; "en" also matches "en-GB".
    pub lang: Option<String>,
    pub captured_from: Option<String>,
    pub captured_to: Option<String>,
    pub published_from: Option<String>,
    pub published_to: Option<String>,
    /// Has a version after the first made at or after this time.
    pub changed_since: Option<String>,
    /// Only sources whose latest version the reporter has not opened.
    pub unviewed: bool,
    pub watched: Option<bool>,
    /// `Some(false)` (the default) hides archived sources, `Some(true)` shows
    /// only them, `None` shows both.
    pub archived: Option<bool>,
    pub sort: SourceSort,
    pub limit: Option<i64>,
    pub offset: i64,
}

impl Default for SourceFilter {
    fn default() -> Self {
        SourceFilter {
            project_id: None,
            tag: None,
            site: None,
            lang: None,
            captured_from: None,
            captured_to: None,
            published_from: None,
            published_to: None,
            changed_since: None,
            unviewed: false,
            watched: None,
            archived: Some(false),
            sort: SourceSort::default(),
            limit: None,
            offset: 0,
        }
    }
}

/// One entry of a filter menu (an outlet or a language) with its source count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

enum Arg {
    Text(String),
    Int(i64),
}

/// A lower bound: the instant the text names.
fn lower_bound(field: &str, s: &str) -> Result<String> {
    let t = crate::time::parse(s)
        .ok_or_else(|| Error::Invalid(format!("{field}: not a date or time: {s:?}")))?;
    Ok(crate::time::format(t))
}

/// An upper bound and whether it is inclusive: a plain date covers its whole day.
fn upper_bound(field: &str, s: &str) -> Result<(String, bool)> {
    let t = crate::time::parse(s)
        .ok_or_else(|| Error::Invalid(format!("{field}: not a date or time: {s:?}")))?;
    if chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok() {
        Ok((crate::time::format(t + chrono::Duration::days(1)), false))
    } else {
        Ok((crate::time::format(t), true))
    }
}

/// The WHERE clause (with its arguments) for a filter.
fn where_clause(f: &SourceFilter) -> Result<(String, Vec<Arg>)> {
    let mut conds: Vec<String> = Vec::new();
    let mut args = Vec::new();
    if let Some(p) = f.project_id {
        conds.push(
            "EXISTS (SELECT 1 FROM project_sources ps WHERE ps.source_id = s.id AND ps.project_id = ?)"
                .into(),
        );
        args.push(Arg::Int(p));
    }
    if let Some(tag) = &f.tag {
        conds.push(
            "EXISTS (SELECT 1 FROM source_tags st JOIN tags t ON t.id = st.tag_id \
             WHERE st.source_id = s.id AND t.name = ?)"
                .into(),
        );
        args.push(Arg::Text(tag.trim().to_string()));
    }
    if let Some(site) = &f.site {
        conds.push("v.site_name = ? COLLATE NOCASE".into());
        args.push(Arg::Text(site.trim().to_string()));
    }
    if let Some(lang) = &f.lang {
        conds.push("(v.lang = ? COLLATE NOCASE OR v.lang LIKE ?)".into());
        let lang = lang.trim().to_string();
        // LIKE is case-insensitive for ASCII; language tags are ASCII.
        args.push(Arg::Text(lang.clone()));
        args.push(Arg::Text(format!("{}-%", lang.replace(['%', '_'], ""))));
    }
    let ranges = [
        (
            "s.created_at",
            "capturedFrom",
            &f.captured_from,
            "capturedTo",
            &f.captured_to,
        ),
        (
            "v.published_at",
            "publishedFrom",
            &f.published_from,
            "publishedTo",
            &f.published_to,
        ),
    ];
    for (col, from_name, from, to_name, to) in ranges {
        if let Some(from) = from {
            conds.push(format!("julianday({col}) >= julianday(?)"));
            args.push(Arg::Text(lower_bound(from_name, from)?));
        }
        if let Some(to) = to {
            let (bound, inclusive) = upper_bound(to_name, to)?;
            let op = if inclusive { "<=" } else { "<" };
            conds.push(format!("julianday({col}) {op} julianday(?)"));
            args.push(Arg::Text(bound));
        }
    }
    if let Some(since) = &f.changed_since {
        conds.push(
            "EXISTS (SELECT 1 FROM versions cv WHERE cv.source_id = s.id AND cv.seq > 1 \
             AND julianday(cv.created_at) >= julianday(?))"
                .into(),
        );
        args.push(Arg::Text(lower_bound("changedSince", since)?));
    }
    if f.unviewed {
        conds.push(
            "v.id IS NOT NULL AND (s.last_viewed_version_id IS NULL OR v.seq > \
             (SELECT lv.seq FROM versions lv WHERE lv.id = s.last_viewed_version_id))"
                .into(),
        );
    }
    if let Some(w) = f.watched {
        conds.push("s.watched = ?".into());
        args.push(Arg::Int(w as i64));
    }
    if let Some(a) = f.archived {
        conds.push("s.archived = ?".into());
        args.push(Arg::Int(a as i64));
    }
    let clause = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    Ok((clause, args))
}

fn order_by(sort: SourceSort) -> &'static str {
    match sort {
        SourceSort::CapturedDesc => " ORDER BY s.created_at DESC, s.id DESC",
        SourceSort::CapturedAsc => " ORDER BY s.created_at ASC, s.id ASC",
        SourceSort::PublishedDesc => {
            " ORDER BY julianday(v.published_at) IS NULL, julianday(v.published_at) DESC, s.id DESC"
        }
        SourceSort::PublishedAsc => {
            " ORDER BY julianday(v.published_at) IS NULL, julianday(v.published_at) ASC, s.id ASC"
        }
        SourceSort::Title => " ORDER BY COALESCE(v.title, '') COLLATE NOCASE, s.id",
        SourceSort::Site => {
            " ORDER BY v.site_name IS NULL, v.site_name COLLATE NOCASE, \
             COALESCE(v.title, '') COLLATE NOCASE, s.id"
        }
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(s) => q.bind(s),
                Arg::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

/// The sources matching `filter`, in its order, one page of them.
pub async fn list_sources(
    conn: &mut SqliteConnection,
    filter: &SourceFilter,
) -> Result<Vec<Source>> {
    let (clause, args) = where_clause(filter)?;
    let sql = format!(
        "{SOURCE_SELECT}{clause}{} LIMIT ? OFFSET ?",
        order_by(filter.sort)
    );
    let q = bind_all!(sqlx::query_as(&sql), args);
    Ok(q.bind(filter.limit.unwrap_or(-1))
        .bind(filter.offset.max(0))
        .fetch_all(conn)
        .await?)
}

/// How many sources match `filter` (ignoring its limit and offset).
pub async fn count_sources(conn: &mut SqliteConnection, filter: &SourceFilter) -> Result<i64> {
    let (clause, args) = where_clause(filter)?;
    let sql = format!("SELECT COUNT(*) FROM ({SOURCE_SELECT}{clause})");
    let q = bind_all!(sqlx::query_scalar(&sql), args);
    Ok(q.fetch_one(conn).await?)
}

/// Outlets of the sources not archived, most sources first.
pub async fn list_sites(conn: &mut SqliteConnection) -> Result<Vec<FacetCount>> {
    let sql = format!(
        "SELECT MIN(site_name) AS value, COUNT(*) AS count FROM ({SOURCE_SELECT} WHERE s.archived = 0) \
         WHERE site_name IS NOT NULL AND site_name <> '' \
         GROUP BY site_name COLLATE NOCASE ORDER BY count DESC, value COLLATE NOCASE"
    );
    Ok(sqlx::query_as(&sql).fetch_all(conn).await?)
}

/// Languages of the sources not archived, most sources first.
pub async fn list_languages(conn: &mut SqliteConnection) -> Result<Vec<FacetCount>> {
    let sql = format!(
        "SELECT MIN(lang) AS value, COUNT(*) AS count FROM ({SOURCE_SELECT} WHERE s.archived = 0) \
         WHERE lang IS NOT NULL AND lang <> '' \
         GROUP BY lang COLLATE NOCASE ORDER BY count DESC, value COLLATE NOCASE"
    );
    Ok(sqlx::query_as(&sql).fetch_all(conn).await?)
}

/// Turns watching on or off for sources; returns how many changed. Unknown
/// ids are an error (run inside a transaction so nothing half-applies).
pub async fn set_watched(
    conn: &mut SqliteConnection,
    source_ids: &[i64],
    watched: bool,
) -> Result<u64> {
    set_flag(conn, source_ids, "watched", watched).await
}

/// Archives (or brings back) sources; returns how many changed.
pub async fn set_archived(
    conn: &mut SqliteConnection,
    source_ids: &[i64],
    archived: bool,
) -> Result<u64> {
    set_flag(conn, source_ids, "archived", archived).await
}

async fn set_flag(
    conn: &mut SqliteConnection,
    ids: &[i64],
    column: &'static str,
    on: bool,
) -> Result<u64> {
    require_all(conn, "sources", "source", ids).await?;
    let sql = format!("UPDATE sources SET {column} = ? WHERE id = ? AND {column} <> ?");
    let mut n = 0;
    for id in ids {
        n += sqlx::query(&sql)
            .bind(on)
            .bind(id)
            .bind(on)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Records that the reporter opened `version_id` of a source. Only moves
/// forward: reopening an older version does not make newer ones unread again.
pub async fn mark_viewed(
    conn: &mut SqliteConnection,
    source_id: i64,
    version_id: i64,
) -> Result<()> {
    let owner: Option<i64> = sqlx::query_scalar("SELECT source_id FROM versions WHERE id = ?")
        .bind(version_id)
        .fetch_optional(&mut *conn)
        .await?;
    match owner {
        None => return Err(Error::not_found("version", version_id)),
        Some(s) if s != source_id => {
            return Err(Error::Invalid(format!(
                "version {version_id} belongs to source {s}, not {source_id}"
            )))
        }
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE sources SET last_viewed_version_id = ? WHERE id = ? AND \
         (last_viewed_version_id IS NULL OR \
          (SELECT seq FROM versions WHERE id = last_viewed_version_id) < \
          (SELECT seq FROM versions WHERE id = ?))",
    )
    .bind(version_id)
    .bind(source_id)
    .bind(version_id)
    .execute(conn)
    .await?;
    Ok(())
}
