//! Shared by the end-to-end tests: the core's loopback test server and the
//! pages it serves.

#![allow(dead_code)]

#[path = "../../../tests/common/server.rs"]
pub mod server;

#[path = "../../../tests/common/postgres.rs"]
pub mod postgres;

pub mod pages;

use std::time::Duration;

use redline_e2e::{AppSession, Result};

/// Selects `needle` inside the reader body (as a reporter would drag over it)
/// and lets the reader notice the selection.
pub async fn select_in_reader(app: &AppSession, needle: &str) -> Result<()> {
    let found = app
        .js(
            r#"
            const needle = arguments[0];
            const body = document.querySelector('[data-testid="reader-body"]');
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
              const i = node.data.indexOf(needle);
              if (i >= 0) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + needle.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
                return true;
              }
            }
            return false;
            "#,
            vec![serde_json::json!(needle)],
        )
        .await?;
    if found != serde_json::json!(true) {
        return Err(format!("{needle:?} is not in one text node of the reader").into());
    }
    Ok(())
}

/// Types into the CodeMirror editor of the note view (at the end of the document).
pub async fn type_in_note(app: &AppSession, text: &str) -> Result<()> {
    let content = app
        .wait_css(
            "[data-testid=\"note-editor\"] .cm-content",
            Duration::from_secs(20),
        )
        .await?;
    content.click().await?;
    content.send_keys(text).await?;
    Ok(())
}

/// Opens a source from the list by its id.
pub async fn open_source(app: &AppSession, source_id: &str) -> Result<()> {
    app.click("nav-library").await?;
    let row = app
        .wait_css(
            &format!("[data-testid=\"source-row\"][data-source-id=\"{source_id}\"]"),
            Duration::from_secs(20),
        )
        .await?;
    row.click().await?;
    app.wait_css(
        &format!("[data-testid=\"reader\"][data-source-id=\"{source_id}\"]"),
        Duration::from_secs(20),
    )
    .await?;
    Ok(())
}
