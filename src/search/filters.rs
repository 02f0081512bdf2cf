//! The library filters of a search (project, tag, site, language, dates)
//! as SQL conditions with their bound arguments.

use super::query::invalid;
use super::SearchQuery;
use crate::error::Result;

pub(super) enum Arg {
    Text(String),
    Int(i64),
}

pub(super) struct Filters {
    pub(super) project_id: Option<i64>,
    pub(super) tag: Option<String>,
    pub(super) site: Option<String>,
    pub(super) lang: Option<String>,
    pub(super) from: Option<String>,
    /// Exclusive upper bound when `to` was a plain date.
    pub(super) to: Option<(String, bool)>,
}

pub(super) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Filters {
    pub(super) fn from_query(q: &SearchQuery) -> Result<Self> {
        let from = match non_empty(&q.from) {
            None => None,
            Some(s) => Some(crate::time::format(crate::time::parse(&s).ok_or_else(
                || {
                    invalid(format!(
                        "\"{s}\" is not a date (use 2026-11-26 or RFC 3339)"
                    ))
                },
            )?)),
        };
        let to = match non_empty(&q.to) {
            None => None,
            Some(s) => {
                let t = crate::time::parse(&s).ok_or_else(|| {
                    invalid(format!(
                        "\"{s}\" is not a date (use 2026-11-26 or RFC 3339)"
                    ))
                })?;
                if chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").is_ok() {
                    Some((crate::time::format(t + chrono::Duration::days(1)), true))
                } else {
                    Some((crate::time::format(t), false))
                }
            }
        };
        Ok(Filters {
            project_id: q.project_id,
            tag: non_empty(&q.tag),
            // SQLite's lower() folds ASCII only; both sides go through it.
            site: non_empty(&q.site),
            lang: non_empty(&q.lang).map(|s| s.to_lowercase()),
            from,
            to,
        })
    }

    /// Conditions on a source's version `v` (and `v.source_id`).
    pub(super) fn source_sql(&self, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(p) = self.project_id {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM project_sources ps \
                 WHERE ps.project_id = ? AND ps.source_id = v.source_id)",
            );
            args.push(Arg::Int(p));
        }
        if let Some(t) = &self.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM source_tags st JOIN tags t ON t.id = st.tag_id \
                 WHERE st.source_id = v.source_id AND t.name = ?)",
            );
            args.push(Arg::Text(t.clone()));
        }
        if let Some(site) = &self.site {
            sql.push_str(
                " AND (lower(v.site_name) = lower(?) OR EXISTS (SELECT 1 FROM sources s \
                 WHERE s.id = v.source_id AND (instr(lower(s.url), '://' || lower(?) || '/') > 0 \
                 OR instr(lower(s.url), '.' || lower(?) || '/') > 0)))",
            );
            for _ in 0..3 {
                args.push(Arg::Text(site.clone()));
            }
        }
        if let Some(lang) = &self.lang {
            sql.push_str(" AND (lower(v.lang) = ? OR substr(lower(v.lang), 1, ?) = ?)");
            args.push(Arg::Text(lang.clone()));
            args.push(Arg::Int(lang.chars().count() as i64 + 1));
            args.push(Arg::Text(format!("{lang}-")));
        }
        sql.push_str(&self.time_sql("v.created_at", args));
        sql
    }

    /// Conditions on a note `n`.
    pub(super) fn note_sql(&self, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(p) = self.project_id {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM project_notes pn \
                 WHERE pn.project_id = ? AND pn.note_id = n.id)",
            );
            args.push(Arg::Int(p));
        }
        if let Some(t) = &self.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM note_tags nt JOIN tags t ON t.id = nt.tag_id \
                 WHERE nt.note_id = n.id AND t.name = ?)",
            );
            args.push(Arg::Text(t.clone()));
        }
        sql.push_str(&self.time_sql("n.updated_at", args));
        sql
    }

    pub(super) fn time_sql(&self, column: &str, args: &mut Vec<Arg>) -> String {
        let mut sql = String::new();
        if let Some(from) = &self.from {
            sql.push_str(&format!(" AND {column} >= ?"));
            args.push(Arg::Text(from.clone()));
        }
        if let Some((to, exclusive)) = &self.to {
            let op = if *exclusive { "<" } else { "<=" };
            sql.push_str(&format!(" AND {column} {op} ?"));
            args.push(Arg::Text(to.clone()));
        }
        sql
    }
}
