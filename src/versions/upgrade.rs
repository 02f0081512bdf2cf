//! Moves a library written before content-addressed storage (issue 16.3) to
//! it: each capture's own compressed bytes into a shared blob (checked
//! against its recorded hash on the way), each version's blocks JSON to its
//! compact layout. Runs in batches, one transaction each, so an interrupted
//! run loses nothing and the next run carries on where it stopped; a library
//! reads correctly at every point in between (readers accept both forms).

use std::ops::ControlFlow;

use serde::Serialize;
use sqlx::SqliteConnection;

use super::{blob, layout};
use crate::article::{join_blocks, Block};
use crate::db::Db;
use crate::error::Result;

/// Rows moved per transaction: small enough that another writer waits
/// well under a second, large enough that commits do not dominate.
pub const BATCH: usize = 200;

/// What the upgrade is working on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UpgradeStep {
    /// Raw bytes of captures into blobs.
    Captures,
    /// Blocks JSON of versions (and of extractor revisions) to layouts.
    Versions,
}

/// Where an upgrade stands after a committed batch.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeProgress {
    pub step: UpgradeStep,
    pub done: u64,
    pub total: u64,
}

/// What one run of the upgrade did.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeReport {
    pub captures_moved: u64,
    pub versions_rewritten: u64,
    /// Rows left as they were because their stored bytes do not match
    /// their recorded hash or size, or their blocks do not match their
    /// text: evidence is not rewritten on a guess (`redline backup` names them).
    pub rows_kept: u64,
    /// Work left for a later run (the run was stopped).
    pub remaining: u64,
}

/// Rows still in the old form: (captures, versions and extractor revisions).
pub async fn pending(conn: &mut SqliteConnection) -> Result<(u64, u64)> {
    let (captures, versions): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM captures WHERE raw_zstd IS NOT NULL), \
                (SELECT COUNT(*) FROM versions WHERE substr(blocks, 1, 1) = '[') \
              + (SELECT COUNT(*) FROM extractor_revisions WHERE substr(blocks, 1, 1) = '[')",
    )
    .fetch_one(conn)
    .await?;
    Ok((captures as u64, versions as u64))
}

/// Upgrades the library in batches of `batch` rows, calling `progress` after
/// each committed batch; `ControlFlow::Break` stops after that batch (the
/// rest waits for the next run).
#[tracing::instrument(skip_all, err)]
pub async fn upgrade_storage(
    db: &Db,
    batch: usize,
    mut progress: impl FnMut(UpgradeProgress) -> ControlFlow<()>,
) -> Result<UpgradeReport> {
    let batch = batch.max(1);
    let (captures, versions) = pending(&mut *db.pool().acquire().await?).await?;
    let mut report = UpgradeReport::default();
    let mut step = Progress {
        step: UpgradeStep::Captures,
        total: captures,
        done: 0,
    };
    // A capture kept as it was stays in the old form; the cursor steps past it.
    let mut after = 0;
    while step.done < step.total {
        let mut tx = db.write().await?;
        let moved = move_captures(&mut tx, after, batch).await?;
        tx.commit().await?;
        if moved.rows == 0 {
            break;
        }
        after = moved.last_id;
        report.captures_moved += moved.changed;
        report.rows_kept += moved.rows - moved.changed;
        if step.advance(moved.rows, &mut progress).is_break() {
            report.remaining = step.total - step.done + versions;
            return Ok(report);
        }
    }
    let mut step = Progress {
        step: UpgradeStep::Versions,
        total: versions,
        done: 0,
    };
    for table in ["versions", "extractor_revisions"] {
        let mut after = 0;
        loop {
            let mut tx = db.write().await?;
            let moved = rewrite_layouts(&mut tx, table, after, batch).await?;
            tx.commit().await?;
            if moved.rows == 0 {
                break;
            }
            after = moved.last_id;
            report.versions_rewritten += moved.changed;
            report.rows_kept += moved.rows - moved.changed;
            if step.advance(moved.rows, &mut progress).is_break() {
                report.remaining = step.total.saturating_sub(step.done);
                return Ok(report);
            }
        }
    }
    Ok(report)
}

struct Progress {
    step: UpgradeStep,
    total: u64,
    done: u64,
}

impl Progress {
    fn advance(
        &mut self,
        rows: u64,
        report: &mut impl FnMut(UpgradeProgress) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        self.done = (self.done + rows).min(self.total);
        tracing::info!(step = ?self.step, done = self.done, total = self.total, "storage upgrade");
        report(UpgradeProgress {
            step: self.step,
            done: self.done,
            total: self.total,
        })
    }
}

/// One batch: rows looked at, rows changed, the last id looked at.
struct Batch {
    rows: u64,
    changed: u64,
    last_id: i64,
}

async fn move_captures(conn: &mut SqliteConnection, after: i64, batch: usize) -> Result<Batch> {
    type Row = (i64, i64, Vec<u8>, Option<i64>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, source_id, raw_zstd, raw_size, raw_sha256 FROM captures \
         WHERE raw_zstd IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
    )
    .bind(after)
    .bind(batch as i64)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Batch {
        rows: rows.len() as u64,
        changed: 0,
        last_id: after,
    };
    for (id, source_id, zstd, size, sha) in rows {
        out.last_id = id;
        let raw = match (size, &sha) {
            (Some(size), Some(_)) => blob::inflate(&zstd, None, size).ok(),
            _ => None,
        };
        let Some(raw) = raw else {
            tracing::warn!(
                capture = id,
                "raw bytes unreadable or unrecorded; kept as they are"
            );
            continue;
        };
        let actual = crate::hash::sha256_hex(&raw);
        if Some(raw.len() as i64) != size || sha.as_deref() != Some(actual.as_str()) {
            tracing::warn!(
                capture = id,
                "raw bytes do not match their hash; kept as they are"
            );
            continue;
        }
        let blob_id = blob::store(conn, source_id, &raw, &actual).await?;
        sqlx::query(
            "UPDATE captures SET blob_id = ?, raw_zstd = NULL, raw_size = NULL, \
                raw_sha256 = NULL WHERE id = ?",
        )
        .bind(blob_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        out.changed += 1;
    }
    Ok(out)
}

async fn rewrite_layouts(
    conn: &mut SqliteConnection,
    table: &str,
    after: i64,
    batch: usize,
) -> Result<Batch> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, blocks, text FROM {table} \
         WHERE substr(blocks, 1, 1) = '[' AND id > ? ORDER BY id LIMIT ?"
    ))
    .bind(after)
    .bind(batch as i64)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Batch {
        rows: rows.len() as u64,
        changed: 0,
        last_id: after,
    };
    for (id, json, text) in rows {
        out.last_id = id;
        let blocks: Option<Vec<Block>> = serde_json::from_str(&json).ok();
        let Some(blocks) = blocks.filter(|b| join_blocks(b) == text) else {
            tracing::warn!(table, id, "blocks do not match the text; kept as they are");
            continue;
        };
        sqlx::query(&format!("UPDATE {table} SET blocks = ? WHERE id = ?"))
            .bind(layout::encode(&blocks))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        out.changed += 1;
    }
    Ok(out)
}
