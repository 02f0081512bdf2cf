//! What a library's commits write: its write-ahead log, emptied by a
//! checkpoint, counted in frames.
#![allow(dead_code)]

use std::path::Path;

/// Frames in the library's write-ahead log: what its commits have written
/// since the last checkpoint (4 KiB a page, plus a 24-byte frame header).
pub fn wal_frames(db: &Path) -> u64 {
    let wal = db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
    std::fs::metadata(wal).map_or(0, |m| m.len().saturating_sub(32) / (4096 + 24))
}

/// Checkpoints the library from a connection of its own and empties its log.
pub async fn checkpoint(db: &Path) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}
