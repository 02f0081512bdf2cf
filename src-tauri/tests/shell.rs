//! The shell's own contract, without a window: the error shape the UI relies
//! on, the notebook the commands call over a real library file, change events
//! for writes by other processes, and capabilities that grant nothing broad.

use std::time::Duration;

#[path = "../../tests/common/server.rs"]
mod server;

use server::{Response, TestServer};

use redline::clip::TextFormat;
use redline::notebook::{ChangeOrigin, ExportFormat, Settings};
use redline::Notebook;
use redline_app::chosen::{stays_in_its_folder, ChosenFiles};
use redline_app::ApiError;

const WIRE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Seoul and Tokyo agree $500 million fund for displaced fishermen | Harbour Wire</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Seoul and Tokyo agree $500 million fund for displaced fishermen</h1>
<p class="byline">By Min-ji Park and Kenji Sato</p>
<figure><img src="boat.jpg" alt=""><figcaption>Fishing boats moored at Busan's Jagalchi harbour on Tuesday.</figcaption></figure>
<p>BUSAN, South Korea — South Korea and Japan agreed on Tuesday to set up a $500 million fund for about 30,000 fishermen whose grounds were closed after the reactor discharge, officials from both governments said.</p>
<p>"This is not charity, it is a debt we owe to the coastal towns," Foreign Minister Cho Tae-yul told reporters after the talks.</p>
<h2>WHO PAYS</h2>
<p>Under the deal, Tokyo will cover 60% of the fund and Seoul the rest, with the first payments expected before the spring season opens in March.</p>
</article><aside>Advertisement</aside></body></html>"#;

/// A fresh library; re-checks of one site wait 10 ms, not the app's 5 s.
async fn library() -> (tempfile::TempDir, Notebook) {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        polite_gap: Duration::from_millis(10),
        ..Settings::default()
    };
    let app = Notebook::open(dir.path().join("redline.db"), settings)
        .await
        .unwrap();
    (dir, app)
}

#[test]
fn errors_cross_to_the_ui_as_code_and_message_only() {
    let e: ApiError = redline::Error::not_found("source", 42).into();
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"code":"not_found","message":"source 42 not found"}"#
    );
    let e: ApiError = redline::Error::Invalid("a tag needs a name".into()).into();
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        serde_json::json!({ "code": "invalid", "message": "a tag needs a name" })
    );
}

#[tokio::test]
async fn a_missing_source_is_a_not_found_error() {
    let (_dir, app) = library().await;
    let err: ApiError = app.source(999).await.unwrap_err().into();
    assert_eq!(err.code, "not_found");
    assert_eq!(err.message, "source 999 not found");
    let err = app.versions(999).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn pasted_html_becomes_a_source_with_a_version_and_announces_the_write() {
    let (_dir, app) = library().await;
    let mut changes = app.subscribe();
    let out = app
        .clip_text(
            WIRE.to_string(),
            Some(TextFormat::Html),
            Some("https://harbour-wire.example/asia/fishermen-fund".into()),
        )
        .await
        .unwrap();
    assert!(out.new_source);
    assert!(out.new_version);
    assert_eq!(out.version_seq, 1);
    assert_eq!(
        changes.try_recv().unwrap().origin,
        ChangeOrigin::App,
        "a clip announces library-changed"
    );

    let sources = app
        .sources(&redline::library::SourceFilter::default())
        .await
        .unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].id, out.source_id);
    assert_eq!(sources[0].version_count, 1);

    let versions = app.versions(out.source_id).await.unwrap();
    assert_eq!(versions.len(), 1);
    let v = app.version(versions[0].id).await.unwrap();
    assert_eq!(v.id, out.version_id);
    assert!(
        v.text.contains("30,000 fishermen"),
        "body kept: {:?}",
        v.text
    );
    let captures = app.captures(out.source_id).await.unwrap();
    assert_eq!(captures.len(), 1);
    assert_eq!(captures[0].outcome, "new_version");
    assert_eq!(captures[0].method, "paste");
}

#[tokio::test]
async fn writes_by_another_process_are_announced_as_external_changes() {
    let (dir, app) = library().await;
    let mut changes = app.subscribe();
    tokio::spawn(redline_app::background::poll_external(app.clone()));
    // Let the poller take its first reading before the other "process" writes.
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A second, independent connection pool stands in for the `redline` CLI.
    let cli = redline::Db::open(dir.path().join("redline.db"))
        .await
        .unwrap();
    let clipper =
        redline::clip::Clipper::new(cli.clone(), redline::fetch::FetchLimits::default()).unwrap();
    clipper
        .clip(redline::clip::ClipInput::Text {
            content: WIRE.as_bytes().to_vec(),
            format: TextFormat::Html,
            url: None,
            method: redline::versions::CaptureMethod::Paste,
        })
        .await
        .unwrap();

    let change = tokio::time::timeout(Duration::from_secs(20), changes.recv())
        .await
        .expect("the app noticed the outside write")
        .unwrap();
    assert_eq!(change.origin, ChangeOrigin::External);
}

#[tokio::test]
async fn the_apps_own_write_is_announced_once_not_again_as_external() {
    let (_dir, app) = library().await;
    let mut changes = app.subscribe();
    tokio::spawn(redline_app::background::poll_external(app.clone()));
    tokio::time::sleep(Duration::from_millis(200)).await;

    app.clip_text(WIRE.to_string(), Some(TextFormat::Html), None)
        .await
        .unwrap();
    assert_eq!(changes.recv().await.unwrap().origin, ChangeOrigin::App);
    // The poller sees the commit (data_version moved) within one interval; it
    // must attribute it to the announced write instead of refreshing again.
    let again =
        tokio::time::timeout(redline_app::background::EXTERNAL_POLL * 3, changes.recv()).await;
    assert!(again.is_err(), "a second announcement: {again:?}");
}

#[test]
fn capabilities_grant_only_the_apps_commands_and_named_plugin_calls() {
    let cap: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    for p in cap["permissions"].as_array().unwrap() {
        let id = p
            .as_str()
            .or_else(|| p["identifier"].as_str())
            .unwrap()
            .to_string();
        let plugin = id.split(':').next().unwrap();
        assert!(
            !id.ends_with(":default") && !id.contains("allow-all"),
            "no blanket grants: {id}"
        );
        match plugin {
            _ if !id.contains(':') => assert_eq!(
                id, "app-commands",
                "the app's commands are granted as the one set build.rs makes"
            ),
            "core" => assert!(id.starts_with("core:event:"), "{id}"),
            "dialog" => panic!("the page may not open dialogs; the commands do: {id}"),
            "opener" => {
                assert_eq!(id, "opener:allow-open-url");
                assert_eq!(
                    p["allow"],
                    serde_json::json!([{ "url": "https://*" }, { "url": "http://*" }]),
                    "links open in the system browser, web URLs only"
                );
            }
            "notification" => {}
            other => panic!("unexpected plugin permission {other}: {id}"),
        }
    }
}

#[test]
fn the_window_runs_under_a_strict_content_security_policy() {
    let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    assert_eq!(conf["identifier"], "org.redline.app");
    assert_eq!(conf["productName"], "Redline");
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-eval"));
    assert!(csp.contains("object-src 'none'"));
    assert!(csp.contains("frame-src 'none'"));
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    // No form may post anywhere; styles come only from the app's own files
    // (Svelte's style: directives and CodeMirror set styles through the CSSOM,
    // which CSP does not govern, and CodeMirror's sheets are constructed).
    assert!(csp.contains("form-action 'none'"), "{csp}");
    let style_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("style-src"))
        .unwrap();
    assert!(!style_src.contains("unsafe-inline"), "{style_src}");
}

#[tokio::test]
async fn clipping_a_url_and_rechecking_it_records_each_revision() {
    let server = TestServer::start().await;
    server.set("/asia/fund", Response::html(WIRE));
    let (_dir, app) = library().await;
    let url = server.url("/asia/fund");

    let first = app.clip_url(&format!("  {url}  ")).await.unwrap();
    assert!(first.new_source && first.new_version);

    let same = app.check(first.source_id).await.unwrap();
    assert_eq!(same.status, redline::clip::CheckStatus::Unchanged);
    assert_eq!(same.version_id, Some(first.version_id));

    server.set(
        "/asia/fund",
        Response::html(WIRE.replace("about 30,000 fishermen", "about 10,000 fishermen")),
    );
    let second = app.check(first.source_id).await.unwrap();
    assert_eq!(second.status, redline::clip::CheckStatus::NewVersion);
    assert_eq!(second.version_seq, Some(2));

    let outcomes: Vec<String> = app
        .captures(first.source_id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.outcome)
        .collect();
    assert_eq!(outcomes, ["new_version", "unchanged", "new_version"]);
}

#[tokio::test]
async fn a_refused_url_is_an_error_with_the_fetchers_code() {
    let (_dir, app) = library().await;
    let err = app.clip_url("file:///etc/passwd").await.unwrap_err();
    assert_eq!(err.code(), "unsupported_scheme");
    let sources = app
        .sources(&redline::library::SourceFilter::default())
        .await
        .unwrap();
    assert!(
        sources.is_empty(),
        "a refused clip leaves the library as it was"
    );
}

/// A fresh library with the wire story clipped from `/asia/fund` on a
/// loopback server, which the test may then revise.
async fn fund_clipped() -> (
    TestServer,
    tempfile::TempDir,
    Notebook,
    redline::clip::ClipOutcome,
) {
    let server = TestServer::start().await;
    server.set("/asia/fund", Response::html(WIRE));
    let (dir, app) = library().await;
    let clip = app.clip_url(&server.url("/asia/fund")).await.unwrap();
    (server, dir, app, clip)
}

#[test]
fn every_command_is_registered_and_permitted_from_its_one_definition() {
    let commands = redline_app::command_table::read(include_str!("../src/commands.rs"));
    assert!(commands.len() > 20, "{commands:?}");
    let handler = include_str!(concat!(env!("OUT_DIR"), "/handler.rs"));
    let set = include_str!(concat!(
        env!("OUT_DIR"),
        "/app-permissions/app-commands.toml"
    ));
    for c in &commands {
        assert!(
            handler.contains(&format!("commands::{},", c.name))
                || handler.contains(&format!("commands::{}]", c.name)),
            "{} is not registered: {handler}",
            c.name
        );
        let allow = format!("\"allow-{}\"", c.name.replace('_', "-"));
        assert!(set.contains(&allow), "{} is not permitted: {set}", c.name);
    }
    assert_eq!(set.matches("\"allow-").count(), commands.len(), "{set}");
}

#[tokio::test]
async fn comparing_two_versions_gives_the_diff_and_its_escaped_html() {
    let (server, _dir, app, first) = fund_clipped().await;
    server.set(
        "/asia/fund",
        Response::html(WIRE.replace("about 30,000 fishermen", "about 10,000 fishermen")),
    );
    let second = app.check(first.source_id).await.unwrap();
    let view = app
        .compare(first.source_id, Some(first.version_id), second.version_id)
        .await
        .unwrap();
    assert_eq!((view.old.seq, view.new.seq), (1, 2));
    let figures: Vec<(String, String)> = view
        .diff
        .summary
        .numbers_changed
        .iter()
        .map(|n| (n.from.clone(), n.to.clone()))
        .collect();
    assert_eq!(figures, [("30,000".to_string(), "10,000".to_string())]);
    assert_eq!(
        view.versions.iter().map(|v| v.seq).collect::<Vec<_>>(),
        [1, 2],
        "the pickers' list comes with the view"
    );
    let latest = app.compare(first.source_id, None, None).await.unwrap();
    assert_eq!(
        (latest.old.seq, latest.new.seq),
        (1, 2),
        "by default the latest version against the one before"
    );

    let other = app
        .clip_text("A second story.\n\nWith a body.", None, None)
        .await
        .unwrap();
    let err = app
        .compare(
            first.source_id,
            Some(first.version_id),
            Some(other.version_id),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_same_source");
    let err = app
        .compare(first.source_id, Some(first.version_id), Some(999))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn a_cited_highlight_renders_in_the_note_and_is_listed_for_the_picker() {
    let (_dir, app) = library().await;
    let clip = app
        .clip_text(
            WIRE.to_string(),
            Some(TextFormat::Html),
            Some("https://harbour-wire.example/asia/fishermen-fund".into()),
        )
        .await
        .unwrap();
    let version = app.version(clip.version_id).await.unwrap();
    let passage = "This is not charity, it is a debt we owe to the coastal towns";
    let start = version.text.find(passage).expect("passage in the text");
    let start = version.text[..start].chars().count();
    let end = start + passage.chars().count();
    let h = app
        .highlight(clip.version_id, start, end, "", "")
        .await
        .unwrap();
    assert_eq!(h.text, passage);
    let picker = app.all_highlights().await.unwrap();
    assert_eq!(picker.iter().map(|h| h.id).collect::<Vec<_>>(), [h.id]);

    let cite = app.cite(h.id).await.unwrap();
    let body = format!("Seoul's line:\n\n{cite}\n\n<script>alert(1)</script>");
    let note = app.create_note("Fishermen fund", &body).await.unwrap();
    let rendered = app.render_note(note.id).await.unwrap();
    assert!(rendered.html.contains("coastal towns"), "{}", rendered.html);
    assert!(!rendered.html.contains("<script"), "{}", rendered.html);
    assert_eq!(rendered.citations.len(), 1);
    let draft = app.render_draft(&format!("Draft {cite}")).await.unwrap();
    assert_eq!(draft.citations.len(), 1);
    assert!(draft.html.contains("coastal towns"), "{}", draft.html);
}

#[tokio::test]
async fn projects_tags_filters_and_exports_through_the_shell() {
    let (dir, app) = library().await;
    let clip = app
        .clip_text(
            WIRE.to_string(),
            Some(TextFormat::Html),
            Some("https://harbour-wire.example/asia/fishermen-fund".into()),
        )
        .await
        .unwrap();
    let mut changes = app.subscribe();
    let project = app.create_project("Korea–Japan summit", "").await.unwrap();
    assert_eq!(changes.try_recv().unwrap().origin, ChangeOrigin::App);
    app.add_to_project(project.id, &[clip.source_id], &[])
        .await
        .unwrap();
    app.tag("fisheries", &[clip.source_id], &[]).await.unwrap();

    let in_project = redline::library::SourceFilter {
        project_id: Some(project.id),
        ..Default::default()
    };
    let listed = app.sources(&in_project).await.unwrap();
    assert_eq!(
        listed.iter().map(|s| s.id).collect::<Vec<_>>(),
        [clip.source_id]
    );
    let tags = app.tags().await.unwrap();
    assert_eq!(
        tags.iter()
            .map(|t| (t.name.as_str(), t.source_count))
            .collect::<Vec<_>>(),
        [("fisheries", 1)]
    );

    app.set_watched(&[clip.source_id], true).await.unwrap();
    assert!(app.source(clip.source_id).await.unwrap().watched);

    let csl = dir.path().join("sources.json");
    let saved = app
        .export_sources(&[clip.source_id], ExportFormat::Csl, &csl)
        .await
        .unwrap();
    assert!(saved.bytes > 0);
    let items: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&csl).unwrap()).unwrap();
    assert_eq!(items.as_array().map(Vec::len), Some(1));

    let backup = dir.path().join("backup.db");
    let report = app.backup(&backup).await.unwrap();
    assert!(report.bytes > 0 && backup.exists());
}

#[tokio::test]
async fn search_finds_sources_and_notes() {
    let (_dir, app) = library().await;
    let clip = app
        .clip_text(WIRE.to_string(), Some(TextFormat::Html), None)
        .await
        .unwrap();
    let note = app
        .create_note("Fishermen: who pays", "Tokyo covers most of the fund.")
        .await
        .unwrap();
    let hits = app
        .search(&redline::search::SearchQuery {
            text: "fishermen".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut found: Vec<(String, Option<i64>, Option<i64>)> = hits
        .iter()
        .map(|h| (h.kind.as_str().to_string(), h.source_id, h.note_id))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("note".to_string(), None, Some(note.id)),
            ("source".to_string(), Some(clip.source_id), None),
        ]
    );
    let err = app
        .search(&redline::search::SearchQuery {
            text: "\"unclosed".into(),
            ..Default::default()
        })
        .await;
    if let Err(e) = err {
        assert_eq!(e.code(), "invalid", "{e:?}");
    }
}

/// A folder with the wire story saved as `Downloads/fund.html` and a private
/// key the page must never be able to read.
fn downloads(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let downloads = dir.join("Downloads");
    let ssh = dir.join(".ssh");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::create_dir_all(&ssh).unwrap();
    let story = downloads.join("fund.html");
    std::fs::write(&story, WIRE).unwrap();
    let key = ssh.join("id_ed25519");
    std::fs::write(
        &key,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    )
    .unwrap();
    (story, key)
}

#[tokio::test]
async fn a_file_is_clipped_only_after_the_reporter_chose_it_in_this_session() {
    let (dir, app) = library().await;
    let (story, key) = downloads(dir.path());
    let chosen = ChosenFiles::default();

    for path in [&key, &story] {
        let err = chosen.readable(path.to_str().unwrap()).unwrap_err();
        assert_eq!(err.code, "path_not_chosen", "{}", path.display());
    }
    // The dialog or a drop on the window records the file; only then it clips.
    chosen.remember([story.clone()]);
    let path = chosen.readable(story.to_str().unwrap()).unwrap();
    let out = app.clip_file(path, None).await.unwrap();
    assert!(out.new_source);
    assert_eq!(
        chosen.readable(key.to_str().unwrap()).unwrap_err().code,
        "path_not_chosen",
        "choosing one file does not open its neighbours"
    );
    let spelled_otherwise = dir.path().join("Downloads/../Downloads/fund.html");
    assert_eq!(
        chosen
            .readable(spelled_otherwise.to_str().unwrap())
            .unwrap_err()
            .code,
        "path_not_chosen"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_chosen_link_that_leads_out_of_its_folder_is_refused() {
    let (dir, app) = library().await;
    let (story, key) = downloads(dir.path());
    let bait = dir.path().join("Downloads/press-release.html");
    std::os::unix::fs::symlink(&key, &bait).unwrap();
    let beside = dir.path().join("Downloads/fund-latest.html");
    std::os::unix::fs::symlink("fund.html", &beside).unwrap();

    let chosen = ChosenFiles::default();
    chosen.remember([bait.clone(), beside.clone(), story]);
    let err = chosen.readable(bait.to_str().unwrap()).unwrap_err();
    assert_eq!(err.code, "symlink_out");
    assert!(app
        .sources(&redline::library::SourceFilter::default())
        .await
        .unwrap()
        .is_empty());
    // A link to a file in the same folder is what the reporter saw.
    let path = chosen.readable(beside.to_str().unwrap()).unwrap();
    app.clip_file(path, None).await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn an_export_never_writes_through_a_link_out_of_the_chosen_folder() {
    let (dir, app) = library().await;
    let clip = app
        .clip_text(WIRE.to_string(), Some(TextFormat::Html), None)
        .await
        .unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let bashrc = dir.path().join(".bashrc");
    std::fs::write(&bashrc, "export PATH=$HOME/bin:$PATH\n").unwrap();
    let linked = exports.join("sources.json");
    std::os::unix::fs::symlink(&bashrc, &linked).unwrap();
    let dangling = exports.join("notes.md");
    std::os::unix::fs::symlink(dir.path().join("elsewhere/new.md"), &dangling).unwrap();

    for path in [&linked, &dangling] {
        let err = stays_in_its_folder(path).unwrap_err();
        assert_eq!(err.code, "symlink_out", "{}", path.display());
    }
    assert_eq!(
        std::fs::read_to_string(&bashrc).unwrap(),
        "export PATH=$HOME/bin:$PATH\n"
    );
    let fresh = exports.join("fund.json");
    stays_in_its_folder(&fresh).unwrap();
    app.export_sources(&[clip.source_id], ExportFormat::Csl, &fresh)
        .await
        .unwrap();
}

#[test]
fn no_command_takes_a_path_from_the_page_unless_the_reporter_chose_it() {
    // Exports and backups ask for their path in the shell's own save dialog;
    // the one command that reads a named file checks the session's choices.
    let commands = include_str!("../src/commands.rs");
    for command in commands.split("#[tauri::command]").skip(1) {
        let signature = &command[..command.find('{').unwrap()];
        let name = signature
            .split("fn ")
            .nth(1)
            .unwrap()
            .split(['(', '<'])
            .next()
            .unwrap();
        if signature.contains("path: String") {
            assert!(
                signature.contains("State<'_, ChosenFiles>")
                    && command.contains("chosen.readable(&path)?"),
                "{name} takes a path from the page without checking it was chosen"
            );
        }
    }
}
