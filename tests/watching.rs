//! Watching beside the app's window: the tray's pause item follows a pause
//! made by the CLI in another process, and closing the window hides it only
//! while watching is on.

mod common;

use std::time::Duration;

use common::cli::redline;
use redline::notebook::{CloseAction, Notebook, Settings};
use tokio::sync::mpsc;

async fn notebook(dir: &tempfile::TempDir) -> Notebook {
    Notebook::open(dir.path().join("library.db"), Settings::default())
        .await
        .unwrap()
}

/// Runs the CLI on `db` in another process, as a reporter would; it must succeed.
async fn cli(db: &std::path::Path, args: &'static [&'static str]) {
    let db = db.to_path_buf();
    let out = tokio::task::spawn_blocking(move || redline(&db, args))
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The next pause state the follower reports, within a few seconds.
async fn next(rx: &mut mpsc::UnboundedReceiver<bool>) -> bool {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the follower saw the change within 10 s")
        .expect("the follower is running")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_follows_a_pause_made_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let nb = notebook(&dir).await;
    // What the app runs: the outside-write poll and the tray's follower.
    tokio::spawn({
        let nb = nb.clone();
        async move { nb.watch_external(Duration::from_millis(50)).await }
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    tokio::spawn({
        let nb = nb.clone();
        async move {
            nb.follow_watching_paused(|paused| {
                let _ = tx.send(paused);
            })
            .await
        }
    });
    assert!(!next(&mut rx).await, "starts from the library: not paused");

    cli(&db, &["watch", "pause"]).await;
    assert!(next(&mut rx).await, "the CLI's pause reached the tray");

    // A write that is not about settings does not make it report again;
    // the resume does.
    cli(&db, &["project", "new", "Pyongyang desk"]).await;
    cli(&db, &["watch", "resume"]).await;
    assert!(!next(&mut rx).await, "the resume reached the tray");

    // A pause made in this process (the app's own pane) too.
    nb.set_watching_paused(true).await.unwrap();
    assert!(next(&mut rx).await);
}

#[tokio::test]
async fn closing_hides_the_window_only_while_watching_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let nb = notebook(&dir).await;
    assert!(nb.close_to_tray().await.unwrap(), "on by default");
    assert_eq!(nb.close_action(true).await.unwrap(), CloseAction::Hide);
    // No tray to come back through: quit.
    assert_eq!(nb.close_action(false).await.unwrap(), CloseAction::Quit);

    nb.set_watching_paused(true).await.unwrap();
    assert_eq!(nb.close_action(true).await.unwrap(), CloseAction::Quit);
    nb.set_watching_paused(false).await.unwrap();

    nb.set_close_to_tray(false).await.unwrap();
    assert_eq!(nb.close_action(true).await.unwrap(), CloseAction::Quit);
    // The setting lives in the library: another process reads it the same.
    drop(nb);
    let again = notebook(&dir).await;
    assert!(!again.close_to_tray().await.unwrap());
    let settings = again.watching_settings(None).await.unwrap();
    assert!(!settings.close_to_tray);
    assert!(!settings.paused);
    assert_eq!(settings.start_at_login, None);
    again.set_close_to_tray(true).await.unwrap();
    assert_eq!(again.close_action(true).await.unwrap(), CloseAction::Hide);
}
