//! A clipped page full of script (`<script>`, `onerror=`, `javascript:` links,
//! an `onload`, an SVG script, a `javascript:` iframe) runs nothing in the
//! reader, compare and note views.

mod common;

use std::time::Duration;

use common::pages;
use common::server::{Response, TestServer};
use redline_e2e::{AppSession, Result, UI_TIMEOUT};
use serde_json::json;

const NETWORK: Duration = Duration::from_secs(60);

/// What the page's scripts would have changed had any of them run.
const PROBE: &str = "return { title: document.title, pwned: (typeof window.__pwned === 'undefined') ? null : String(window.__pwned) };";

async fn assert_nothing_ran(app: &AppSession, view: &str, app_title: &str) -> Result<()> {
    let probe = app.js(PROBE, vec![]).await?;
    assert_eq!(
        probe,
        json!({ "title": app_title, "pwned": null }),
        "script ran in the {view} view"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_page_runs_nothing_anywhere() -> Result<()> {
    let server = TestServer::start().await;
    let path = "/monitors/report";
    server.set(path, Response::html(pages::hostile(1)));
    let url = server.url(path);

    let mut app = AppSession::start("hostile").await?;
    let outcome = walk(&mut app, &server, path, &url).await;
    if outcome.is_err() {
        let _ = app.screenshot("failed").await;
    }
    app.stop().await?;
    outcome
}

async fn walk(app: &mut AppSession, server: &TestServer, path: &str, url: &str) -> Result<()> {
    let app_title = app.client.title().await?;
    assert!(!app_title.contains("PWNED"));

    app.clip_url(url, NETWORK).await?;
    app.click("nav-library").await?;
    let row = app
        .wait_css("[data-testid=\"source-row\"]", UI_TIMEOUT)
        .await?;
    let source_id = row.attr("data-source-id").await?.expect("row has an id");

    // Reader: the text is there, as text; clicking the javascript: link does nothing.
    common::open_source(app, &source_id).await?;
    let body = app.testid("reader-body").await?;
    let text = body.text().await?;
    assert!(text.contains("violations of the ceasefire"), "{text}");
    assert!(
        text.contains("<script>window.__pwned='escaped'</script>"),
        "{text}"
    );
    let live = app
        .js(
            "const b = document.querySelector('[data-testid=\"reader-body\"]'); return b.querySelectorAll('script, img, iframe, svg, a[href^=\"javascript\"], [onerror], [onload]').length;",
            vec![],
        )
        .await?;
    assert_eq!(live, json!(0), "live elements from the page in the reader");
    let _ = app
        .js(
            "document.querySelectorAll('[data-testid=\"reader\"] a').forEach(a => { if (!a.closest('[data-testid=\"external-link\"]')) a.click(); });",
            vec![],
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_nothing_ran(app, "reader", &app_title).await?;
    app.screenshot("reader").await?;

    // Compare, after a revision.
    server.set(path, Response::html(pages::hostile(2)));
    app.click("recheck-button").await?;
    app.wait_css(
        "[data-testid=\"recheck-status\"][data-state=\"new_version\"]",
        NETWORK,
    )
    .await?;
    app.click("compare-button").await?;
    app.testid("compare-summary").await?;
    app.wait_css("[data-testid=\"compare-block\"]", UI_TIMEOUT)
        .await?;
    let live = app
        .js(
            "const c = document.querySelector('[data-testid=\"compare\"]'); return c.querySelectorAll('script, img, iframe, svg, a[href^=\"javascript\"], [onerror], [onload]').length;",
            vec![],
        )
        .await?;
    assert_eq!(live, json!(0), "live elements from the page in compare");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_nothing_ran(app, "compare", &app_title).await?;
    app.screenshot("compare").await?;

    // A note that quotes the page and carries its own hostile Markdown.
    common::open_source(app, &source_id).await?;
    common::select_in_reader(app, "The numbers speak for themselves").await?;
    app.click("highlight-action").await?;
    app.testid("reader-highlight").await?;
    app.click("new-note").await?;
    app.testid("note-title")
        .await?
        .send_keys("Monitors")
        .await?;
    common::type_in_note(
        app,
        "<script>window.__pwned='note'</script> <img src=x onerror=\"window.__pwned='note-img'\"> [report](javascript:window.__pwned='note-link')\n\n",
    )
    .await?;
    app.click("insert-citation").await?;
    app.testid("citation-option").await?.click().await?;
    app.wait_js(
        "the quote in the preview",
        "(document.querySelector('[data-testid=\"note-preview\"]')?.textContent || '').includes('The numbers speak for themselves')",
        UI_TIMEOUT,
    )
    .await?;
    let live = app
        .js(
            "const p = document.querySelector('[data-testid=\"note-preview\"]'); return p.querySelectorAll('script, iframe, [onerror], [onload], a[href^=\"javascript\"]').length;",
            vec![],
        )
        .await?;
    assert_eq!(live, json!(0), "live elements in the note preview");
    let _ = app
        .js(
            "document.querySelectorAll('[data-testid=\"note-preview\"] a:not([href^=\"redline:\"]):not([href^=\"http\"])').forEach(a => a.click());",
            vec![],
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_nothing_ran(app, "note", &app_title).await?;
    app.screenshot("note").await?;
    Ok(())
}
