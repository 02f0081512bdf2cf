//! A library and scheduler settings for tests that run the real scheduler
//! on a simulated clock against a loopback site.

#![allow(dead_code)]

use std::time::Duration as StdDuration;

use chrono::Duration;
use redline::notebook::{Notebook, SchedulerSettings, Settings};

/// A fresh library in a temp dir, with no politeness gap: the loopback site
/// is ours, and the scheduler's own per-host gap is what the tests measure.
pub async fn notebook() -> (tempfile::TempDir, Notebook) {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        polite_gap: StdDuration::ZERO,
        ..Settings::default()
    };
    let nb = Notebook::open(dir.path().join("library.db"), settings)
        .await
        .unwrap();
    (dir, nb)
}

/// The default scheduler, idling at most `max_idle` between wake-ups, with
/// its request log kept for the assertions.
pub fn scheduler_settings(max_idle: Duration) -> SchedulerSettings {
    SchedulerSettings {
        max_idle,
        record: true,
        ..SchedulerSettings::default()
    }
}
