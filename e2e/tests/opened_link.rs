//! A `redline://` link from another program (the browser extension's "Open
//! in Redline"; the desktop entry passes it as the app's argument) opens
//! that source in the reader of the app it started.

use redline_e2e::{AppSession, Result, UI_TIMEOUT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_the_app_was_started_with_opens_its_source() -> Result<()> {
    // Source 3 of the seeded library is its third story, "… (2)".
    let mut app = AppSession::start_with("link", 5, &["redline://source/3"]).await?;
    let outcome = app
        .wait_js(
            "the reader shows source 3",
            "(() => { const h = document.querySelector('[data-testid=reader-title]'); \
             return h ? h.textContent : null; })()",
            UI_TIMEOUT,
        )
        .await;
    let outcome = match outcome {
        Ok(title) => {
            let title = title.as_str().unwrap_or_default().to_string();
            let _ = app.screenshot("opened").await;
            if title.ends_with("(2)") {
                Ok(())
            } else {
                Err(format!("the reader shows “{title}”, not source 3").into())
            }
        }
        Err(e) => Err(e),
    };
    app.stop().await?;
    outcome
}
