//! A reporter's day in the real app: clip a story, read it, see a revision,
//! compare, highlight and cite a passage, learn that the outlet changed the
//! cited words, and find it all again with search.

mod common;

use std::time::Duration;

use common::pages::{self, HEADLINE_1, HEADLINE_2, QUOTED};
use common::server::{Response, TestServer};
use redline_e2e::{AppSession, Result, UI_TIMEOUT};

const NETWORK: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporters_day() -> Result<()> {
    let server = TestServer::start().await;
    let path = "/asia/2026/11/26/north-korea-missile-japan";
    server.set(path, Response::html(pages::story(1)));
    let url = server.url(path);

    let mut app = AppSession::start("day").await?;
    let outcome = walk(&mut app, &server, path, &url).await;
    if outcome.is_err() {
        let _ = app.screenshot("failed").await;
    }
    app.stop().await?;
    outcome
}

async fn walk(app: &mut AppSession, server: &TestServer, path: &str, url: &str) -> Result<()> {
    app.screenshot("empty-library").await?;

    // Clip the URL.
    app.click("clip-open").await?;
    let input = app.testid("clip-input").await?;
    input.send_keys(url).await?;
    app.screenshot("clip").await?;
    app.click("clip-button").await?;
    app.wait_css(
        "[data-testid=\"clip-status\"][data-state=\"done\"]",
        NETWORK,
    )
    .await?;

    // It is in the list.
    app.click("nav-library").await?;
    let row = app
        .wait_css("[data-testid=\"source-row\"]", UI_TIMEOUT)
        .await?;
    let source_id = row.attr("data-source-id").await?.expect("row has an id");
    assert_eq!(row.attr("data-title").await?.as_deref(), Some(HEADLINE_1));
    app.screenshot("list").await?;

    // Open the reader.
    common::open_source(app, &source_id).await?;
    let title = app.testid("reader-title").await?.text().await?;
    assert_eq!(title, HEADLINE_1);
    let body = app.testid("reader-body").await?.text().await?;
    assert!(body.contains("about 30,000 troops"), "{body}");
    assert!(!body.contains("Updated"), "page noise kept: {body}");
    assert!(!body.contains("Advertisement"), "page noise kept: {body}");
    app.screenshot("reader").await?;

    // The outlet publishes a revision; Re-check now.
    server.set(path, Response::html(pages::story(2)));
    app.click("recheck-button").await?;
    app.wait_css(
        "[data-testid=\"recheck-status\"][data-state=\"new_version\"]",
        NETWORK,
    )
    .await?;
    app.wait_js(
        "two versions in the timeline",
        "document.querySelectorAll('[data-testid=\"timeline-entry\"][data-outcome=\"new_version\"]').length === 2",
        UI_TIMEOUT,
    )
    .await?;
    app.screenshot("reader-v2").await?;

    // Compare: headline, figure, moved paragraph.
    app.click("compare-button").await?;
    app.testid("compare-summary").await?;
    let headline = app.testid("summary-headline").await?.text().await?;
    assert!(
        headline.contains(HEADLINE_1) && headline.contains(HEADLINE_2),
        "headline change shown: {headline}"
    );
    let numbers = app
        .wait_js(
            "changed figures listed",
            "Array.from(document.querySelectorAll('[data-testid=\"summary-number\"]')).map(e => e.textContent.trim())",
            UI_TIMEOUT,
        )
        .await?;
    let numbers: Vec<String> = serde_json::from_value(numbers)?;
    assert!(
        numbers
            .iter()
            .any(|n| n.contains("30,000") && n.contains("10,000")),
        "{numbers:?}"
    );
    let moved = app
        .wait_js(
            "a moved paragraph",
            "Array.from(document.querySelectorAll('[data-testid=\"compare-block\"][data-change=\"moved\"]')).map(e => e.textContent)",
            UI_TIMEOUT,
        )
        .await?;
    let moved: Vec<String> = serde_json::from_value(moved)?;
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(moved[0].contains("Yokosuka"), "{moved:?}");
    let label = app.testid("moved-label").await?.text().await?;
    assert!(label.contains("moved from ¶"), "{label}");
    app.screenshot("compare").await?;
    if let Ok(side) = app.testid("compare-mode-side").await {
        side.click().await?;
        app.screenshot("compare-side-by-side").await?;
    }

    // Highlight the foreign minister's words in the latest version.
    common::open_source(app, &source_id).await?;
    common::select_in_reader(app, QUOTED).await?;
    app.click("highlight-action").await?;
    let mark = app.testid("reader-highlight").await?;
    assert_eq!(mark.text().await?, QUOTED);
    app.screenshot("highlight").await?;

    // Cite it in a new note.
    app.click("new-note").await?;
    let title = app.testid("note-title").await?;
    title.send_keys("Missile launch: Tokyo's reaction").await?;
    common::type_in_note(app, "Tokyo's first reaction was sharp:\n\n").await?;
    app.click("insert-citation").await?;
    app.testid("citation-option").await?.click().await?;
    app.wait_js(
        "the quote in the preview",
        &format!(
            "(document.querySelector('[data-testid=\"note-preview\"]')?.textContent || '').includes({})",
            serde_json::json!(QUOTED)
        ),
        UI_TIMEOUT,
    )
    .await?;
    app.wait_css(
        "[data-testid=\"note-saved\"][data-state=\"saved\"]",
        UI_TIMEOUT,
    )
    .await?;
    assert!(app
        .all("[data-testid=\"changed-after-cite\"]")
        .await?
        .is_empty());
    app.screenshot("note").await?;

    // The outlet softens the quoted words; re-check.
    server.set(path, Response::html(pages::story(3)));
    common::open_source(app, &source_id).await?;
    app.click("recheck-button").await?;
    app.wait_css(
        "[data-testid=\"recheck-status\"][data-state=\"new_version\"]",
        NETWORK,
    )
    .await?;

    // The note says the quote changed after it was cited.
    app.click("nav-notes").await?;
    app.testid("note-row").await?.click().await?;
    let mark = app.testid("changed-after-cite").await?;
    let mark_text = mark.text().await?;
    assert!(
        mark_text
            .to_lowercase()
            .contains("changed after you cited it"),
        "{mark_text}"
    );
    app.screenshot("note-changed-after-cite").await?;

    // Search finds the note and the source.
    app.click("nav-search").await?;
    let q = app.testid("search-input").await?;
    q.send_keys("missile").await?;
    let kinds = app
        .wait_js(
            "search hits for the source and the note",
            "(() => { const k = Array.from(document.querySelectorAll('[data-testid=\"search-result\"]')).map(e => e.getAttribute('data-kind')); return (k.includes('source') || k.includes('version')) && k.includes('note') ? k : null; })()",
            UI_TIMEOUT,
        )
        .await?;
    let kinds: Vec<String> = serde_json::from_value(kinds)?;
    assert!(kinds.contains(&"note".to_string()), "{kinds:?}");
    app.screenshot("search").await?;

    // The reporter follows the outlet's Asia feed; the app's own watch
    // scheduler polls it, clips the new story, and the inbox tells of it.
    let summit = "/asia/2026/11/27/seoul-summit-opens";
    server.set(summit, Response::html(summit_story()));
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Asia — The Daily Ledger</title>\
         <link>{base}/asia</link><description>Asia news</description>\
         <item><title>Seoul summit opens under the shadow of the launch</title>\
         <link>{base}{summit}</link><guid>{base}{summit}</guid></item></channel></rss>",
        base = server.url("").trim_end_matches('/'),
    );
    server.set(
        "/asia/rss.xml",
        Response::new(200, "application/rss+xml", feed),
    );
    app.click("nav-feeds").await?;
    app.testid("feed-url")
        .await?
        .send_keys(&server.url("/asia/rss.xml"))
        .await?;
    app.click("feed-subscribe").await?;
    app.wait_css("[data-testid=\"feed-item\"]", UI_TIMEOUT)
        .await?;
    app.click("nav-inbox").await?;
    // The scheduler polls within its idle wait (30 s), then clips the item
    // after the site's gap. The alert names the story it clipped.
    let title = app
        .wait_js(
            "an inbox alert for the story the feed brought",
            "(() => { const t = Array.from(document.querySelectorAll('[data-testid=\"inbox-item\"] [data-testid=\"inbox-title\"]')).map(e => e.textContent); return t.find(x => x.includes('Seoul summit opens')) ?? null; })()",
            Duration::from_secs(120),
        )
        .await?;
    assert_eq!(
        title.as_str(),
        Some("Seoul summit opens under the shadow of the launch")
    );
    app.wait_css("[data-testid=\"inbox-unread\"]", UI_TIMEOUT)
        .await?;
    app.screenshot("inbox").await?;

    // Evidence: the reporter names a time stamping authority and asks for a
    // trusted timestamp on each capture; the library keeps both settings.
    app.click("verify-open").await?;
    app.wait_testid("tsa-url", UI_TIMEOUT)
        .await?
        .send_keys(&server.url("/tsa"))
        .await?;
    app.js(
        "document.querySelector('[data-testid=\"tsa-url\"]').form.requestSubmit()",
        vec![],
    )
    .await?;
    app.wait_js(
        "the per-capture switch enabled once an authority is saved",
        "(() => { const c = document.querySelector('[data-testid=\"tsa-per-capture\"]'); return !!c && !c.disabled; })()",
        UI_TIMEOUT,
    )
    .await?;
    app.click("tsa-per-capture").await?;
    let db = redline::Db::open(app.db_path()).await?;
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    loop {
        let mut conn = db.pool().acquire().await?;
        let tsa = redline::settings::tsa_url(&mut conn).await?;
        let on = redline::settings::timestamp_captures(&mut conn).await?;
        if tsa.as_deref() == Some(server.url("/tsa").as_str()) && on {
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("the library has tsa {tsa:?}, per capture {on}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    db.close().await;
    app.screenshot("verify-timestamps").await?;
    Ok(())
}

/// A second story of the same outlet, for its feed.
fn summit_story() -> String {
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
     <title>Seoul summit opens under the shadow of the launch | The Daily Ledger</title></head><body>\
     <nav><a href=\"/\">Home</a> <a href=\"/asia\">Asia</a></nav><article>\
     <h1>Seoul summit opens under the shadow of the launch</h1><p class=\"byline\">By Min-ji Seo in Seoul</p>\
     <p>SEOUL — Leaders of South Korea, Japan and the United States opened a two-day summit in Seoul on \
     Friday, a day after North Korea fired a ballistic missile over northern Japan.</p>\
     <p>“We will answer provocation with unity,” President Lee Jae-myung said in his opening remarks, \
     according to a pool report.</p>\
     <p>Officials said the three governments would discuss sharing missile-warning data in real time and \
     a joint exercise planned for the spring, involving about 12,000 personnel.</p>\
     <p>The summit is the first of its kind held in Seoul since 2023.</p></article>\
     <footer>© 2026 The Daily Ledger</footer></body></html>"
        .to_string()
}
