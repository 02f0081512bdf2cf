//! The indexes of each searchable table and the SQL of one table's arm of
//! the search: which index a query goes to, the ranked and unranked
//! windows, and the title and snippet of a hit.

use sqlx::{Row, SqliteConnection};

use super::filters::{Arg, Filters};
use super::query::Lowered;
use super::snippet::{cut_snippet, cut_word_snippet, to_html, WordNeedle};
use super::{HitKind, Mode, EXACT, PHRASE_WINDOW, RANK_WINDOW, STEM_WINDOW};
use crate::error::Result;

/// Only versions that no later version of the same source follows.
pub(super) const LATEST_ONLY: &str =
    " AND NOT EXISTS (SELECT 1 FROM versions nv WHERE nv.source_id = v.source_id AND nv.seq > v.seq)";

/// The pair of indexes of one searchable table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Table {
    pub(super) kind: HitKind,
}

impl Table {
    pub(super) fn of(kind: HitKind) -> Self {
        Table { kind }
    }

    pub(super) fn index(self, mode: Mode) -> &'static str {
        match (self.kind, mode) {
            (HitKind::Source, Mode::Words) => "versions_fts",
            (HitKind::Source, Mode::Cjk) => "versions_bigram",
            (HitKind::Source, Mode::Trigram) => "versions_cjk",
            (HitKind::Note, Mode::Words) => "notes_fts",
            (HitKind::Note, Mode::Cjk) => "notes_bigram",
            (HitKind::Note, Mode::Trigram) => "notes_cjk",
            (HitKind::Highlight, Mode::Words) => "highlights_fts",
            (HitKind::Highlight, Mode::Cjk) => "highlights_bigram",
            (HitKind::Highlight, Mode::Trigram) => "highlights_cjk",
            (HitKind::Quote, Mode::Words) => "quotes_fts",
            (HitKind::Quote, Mode::Cjk) => "quotes_bigram",
            (HitKind::Quote, Mode::Trigram) => "quotes_cjk",
            (HitKind::Source, Mode::Stem) => "versions_stem",
            (HitKind::Note, Mode::Stem) => "notes_stem",
            (HitKind::Highlight, Mode::Stem) => "highlights_stem",
            (HitKind::Quote, Mode::Stem) => "quotes_stem",
        }
    }

    /// bm25 column weights: a title (or speaker) match counts more.
    pub(super) fn weights(self) -> &'static str {
        match self.kind {
            HitKind::Source | HitKind::Note => "10.0, 1.0",
            HitKind::Highlight => "2.0, 1.0",
            HitKind::Quote => "5.0, 1.0",
        }
    }

    /// The base table and its two indexed columns.
    pub(super) fn base(self) -> &'static str {
        match self.kind {
            HitKind::Source => "versions",
            HitKind::Note => "notes",
            HitKind::Highlight => "highlights",
            HitKind::Quote => "quotes",
        }
    }

    pub(super) fn columns(self) -> (&'static str, &'static str) {
        match self.kind {
            HitKind::Source => ("title", "text"),
            HitKind::Note => ("title", "body"),
            HitKind::Highlight => ("text", "comment"),
            HitKind::Quote => ("speaker", "text"),
        }
    }

    /// The FROM clause of this table's arm, joined to its index `idx`.
    pub(super) fn from(self, idx: &str) -> String {
        match self.kind {
            HitKind::Source => format!("{idx} JOIN versions v ON v.id = {idx}.rowid"),
            HitKind::Note => format!("{idx} JOIN notes n ON n.id = {idx}.rowid"),
            HitKind::Highlight => format!(
                "{idx} JOIN highlights h ON h.id = {idx}.rowid JOIN versions v ON v.id = h.version_id"
            ),
            HitKind::Quote => format!(
                "{idx} JOIN quotes q ON q.id = {idx}.rowid JOIN versions v ON v.id = q.version_id"
            ),
        }
    }

    /// The row ids of the newest [`PHRASE_WINDOW`] matches, unranked: with no
    /// `bm25()` FTS5 walks the matches newest first and stops.
    pub(super) async fn window(
        self,
        conn: &mut SqliteConnection,
        mode: Mode,
        all_versions: bool,
        filters: &Filters,
        expr: &str,
    ) -> Result<Vec<i64>> {
        let idx = self.index(mode);
        let mut args = vec![Arg::Text(expr.to_string())];
        let latest = if all_versions || !matches!(self.kind, HitKind::Source | HitKind::Quote) {
            ""
        } else {
            LATEST_ONLY
        };
        let conditions = match self.kind {
            HitKind::Note => filters.note_sql(&mut args),
            _ => filters.source_sql(&mut args),
        };
        let sql = format!(
            "SELECT {idx}.rowid FROM {} WHERE {idx} MATCH ?{latest}{conditions} \
             ORDER BY {idx}.rowid DESC LIMIT {PHRASE_WINDOW}",
            self.from(idx)
        );
        let mut q = sqlx::query_scalar(&sql);
        for a in &args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        Ok(q.fetch_all(conn).await?)
    }

    /// One arm of the UNION for a phrase query: the rows `ids` (found by
    /// [`Table::window`]) scored by bm25 of `rank`, the query with each
    /// phrase's words as an AND. FTS5 walks `rank` only between the oldest
    /// and newest id; the `+` keeps SQLite from turning the id list into
    /// per-row lookups, which would recompute bm25's statistics every time.
    pub(super) fn select_ranked(
        self,
        mode: Mode,
        ids: &[i64],
        args: &mut Vec<Arg>,
        rank: Option<&str>,
    ) -> String {
        let idx = self.index(mode);
        let lo = ids.iter().min().copied().unwrap_or_default();
        let hi = ids.iter().max().copied().unwrap_or_default();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let Some(rank) = rank else {
            // Unranked: every row scores 0 and the date orders them.
            args.push(Arg::Text(format!("[{list}]")));
            let (columns, captured) = self.arm_columns();
            let key = match self.kind {
                HitKind::Source => "v.id",
                HitKind::Note => "n.id",
                HitKind::Highlight => "h.id",
                HitKind::Quote => "q.id",
            };
            let from = match self.kind {
                HitKind::Source => "versions v",
                HitKind::Note => "notes n",
                HitKind::Highlight => "highlights h JOIN versions v ON v.id = h.version_id",
                HitKind::Quote => "quotes q JOIN versions v ON v.id = q.version_id",
            };
            return format!(
                "SELECT {columns}, 0.0 AS score, {captured} AS captured_at, {key} AS row_id, \
                 {EXACT} AS tier FROM {from} WHERE {key} IN (SELECT value FROM json_each(?))"
            );
        };
        // The bounds are bound, not written in: the SQL text then depends
        // only on the kinds and filters, so sqlx's statement cache hits.
        args.push(Arg::Text(rank.to_string()));
        args.push(Arg::Int(lo));
        args.push(Arg::Int(hi));
        args.push(Arg::Text(format!("[{list}]")));
        let (columns, captured) = self.arm_columns();
        format!(
            "SELECT {columns}, -bm25({idx}, {}) AS score, {captured} AS captured_at, \
             {idx}.rowid AS row_id, {EXACT} AS tier FROM {} \
             WHERE {idx} MATCH ? AND {idx}.rowid >= ? AND {idx}.rowid <= ? \
             AND +{idx}.rowid IN (SELECT value FROM json_each(?))",
            self.weights(),
            self.from(idx)
        )
    }

    /// The identifying columns of a hit of this kind, and its date.
    pub(super) fn arm_columns(self) -> (&'static str, &'static str) {
        match self.kind {
            HitKind::Source => (
                "'source' AS kind, v.source_id AS source_id, v.id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, NULL AS quote_id",
                "v.created_at",
            ),
            HitKind::Note => (
                "'note' AS kind, NULL AS source_id, NULL AS version_id, \
                 n.id AS note_id, NULL AS highlight_id, NULL AS quote_id",
                "n.updated_at",
            ),
            HitKind::Highlight => (
                "'highlight' AS kind, h.source_id AS source_id, h.version_id AS version_id, \
                 NULL AS note_id, h.id AS highlight_id, NULL AS quote_id",
                "v.created_at",
            ),
            HitKind::Quote => (
                "'quote' AS kind, q.source_id AS source_id, q.version_id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, q.id AS quote_id",
                "v.created_at",
            ),
        }
    }

    /// One arm of the UNION: the matching rows of this table with their score.
    pub(super) fn select(
        self,
        mode: Mode,
        all_versions: bool,
        filters: &Filters,
        args: &mut Vec<Arg>,
        lowered: &Lowered,
        tier: i64,
    ) -> String {
        let idx = self.index(mode);
        let score = format!("-bm25({idx}, {})", self.weights());
        args.push(Arg::Text(lowered.matches.clone()));
        let latest = if all_versions { "" } else { LATEST_ONLY };
        let arm = match self.kind {
            HitKind::Source => format!(
                "SELECT 'source' AS kind, v.source_id AS source_id, v.id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, NULL AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, v.id AS row_id \
                 FROM {idx} JOIN versions v ON v.id = {idx}.rowid \
                 WHERE {idx} MATCH ?{latest}{}",
                filters.source_sql(args)
            ),
            HitKind::Note => format!(
                "SELECT 'note' AS kind, NULL AS source_id, NULL AS version_id, \
                 n.id AS note_id, NULL AS highlight_id, NULL AS quote_id, {score} AS score, \
                 n.updated_at AS captured_at, n.id AS row_id \
                 FROM {idx} JOIN notes n ON n.id = {idx}.rowid \
                 WHERE {idx} MATCH ?{}",
                filters.note_sql(args)
            ),
            HitKind::Highlight => format!(
                "SELECT 'highlight' AS kind, h.source_id AS source_id, h.version_id AS version_id, \
                 NULL AS note_id, h.id AS highlight_id, NULL AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, h.id AS row_id \
                 FROM {idx} JOIN highlights h ON h.id = {idx}.rowid \
                 JOIN versions v ON v.id = h.version_id \
                 WHERE {idx} MATCH ?{}",
                filters.source_sql(args)
            ),
            HitKind::Quote => format!(
                "SELECT 'quote' AS kind, q.source_id AS source_id, q.version_id AS version_id, \
                 NULL AS note_id, NULL AS highlight_id, q.id AS quote_id, {score} AS score, \
                 v.created_at AS captured_at, q.id AS row_id \
                 FROM {idx} JOIN quotes q ON q.id = {idx}.rowid \
                 JOIN versions v ON v.id = q.version_id \
                 WHERE {idx} MATCH ?{latest}{}",
                filters.source_sql(args)
            ),
        };
        // FTS5 walks the matches newest first and stops at the window, so
        // bm25 is computed for at most RANK_WINDOW rows per table (the
        // stem tiers, which only fill what the exact tier left, fewer).
        let window = if tier == EXACT {
            RANK_WINDOW
        } else {
            STEM_WINDOW
        };
        format!(
            "SELECT kind, source_id, version_id, note_id, highlight_id, quote_id, score, \
             captured_at, row_id, {tier} AS tier \
             FROM ({arm} ORDER BY {idx}.rowid DESC LIMIT {window})"
        )
    }

    /// The hit's title and its snippet as safe HTML.
    pub(super) async fn title_and_snippet(
        self,
        conn: &mut SqliteConnection,
        mode: Mode,
        expr: &str,
        row_id: i64,
        needles: &[String],
        word_needles: Option<&[WordNeedle]>,
    ) -> Result<(String, String)> {
        match (mode, word_needles) {
            (Mode::Words, Some(word_needles)) => {
                let (title, body) = self.title_and_body(conn, row_id).await?;
                Ok((title, to_html(&cut_word_snippet(&body, word_needles))))
            }
            (Mode::Words, None) => {
                // (title, FTS5 column of the text, the hit's table and key)
                let (title_sql, column, from, key) = match self.kind {
                    HitKind::Source => ("v.title", 1, "versions v", "v.id"),
                    HitKind::Note => ("n.title", 1, "notes n", "n.id"),
                    HitKind::Highlight => (
                        "v.title",
                        -1,
                        "highlights h JOIN versions v ON v.id = h.version_id",
                        "h.id",
                    ),
                    HitKind::Quote => (
                        "v.title",
                        1,
                        "quotes q JOIN versions v ON v.id = q.version_id",
                        "q.id",
                    ),
                };
                let idx = self.index(mode);
                let sql = format!(
                    "SELECT {title_sql} AS title, \
                     snippet({idx}, {column}, char(2), char(3), '…', 24) AS snippet \
                     FROM {idx}, {from} \
                     WHERE {idx} MATCH ? AND {idx}.rowid = ? AND {key} = {idx}.rowid"
                );
                let row = sqlx::query(&sql)
                    .bind(expr)
                    .bind(row_id)
                    .fetch_one(&mut *conn)
                    .await?;
                let snippet: Option<String> = row.try_get("snippet")?;
                Ok((
                    row.try_get("title")?,
                    to_html(snippet.as_deref().unwrap_or("")),
                ))
            }
            (Mode::Cjk | Mode::Trigram | Mode::Stem, _) => {
                let (title, body) = self.title_and_body(conn, row_id).await?;
                Ok((title, to_html(&cut_snippet(&body, needles))))
            }
        }
    }

    /// The hit's title and whole text, for snippets cut in Rust.
    pub(super) async fn title_and_body(
        self,
        conn: &mut SqliteConnection,
        row_id: i64,
    ) -> Result<(String, String)> {
        let sql = match self.kind {
            HitKind::Source => "SELECT v.title, v.text FROM versions v WHERE v.id = ?",
            HitKind::Note => "SELECT n.title, n.body FROM notes n WHERE n.id = ?",
            HitKind::Highlight => {
                "SELECT v.title, \
                 CASE WHEN h.comment = '' THEN h.text ELSE h.text || ' — ' || h.comment END \
                 FROM highlights h JOIN versions v ON v.id = h.version_id WHERE h.id = ?"
            }
            HitKind::Quote => {
                "SELECT v.title, q.text FROM quotes q JOIN versions v ON v.id = q.version_id \
                 WHERE q.id = ?"
            }
        };
        Ok(sqlx::query_as(sql)
            .bind(row_id)
            .fetch_one(&mut *conn)
            .await?)
    }
}
