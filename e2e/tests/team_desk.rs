//! A desk shares a project through a team library, in the real app: join
//! with the server's address and an invitation token, share a project, see
//! it arrive on a colleague's desk, resolve a note both edited at once, and
//! see the sidebar say so when the server goes away. The server is the real
//! `redline serve` code on a private PostgreSQL; the colleague's desk is a
//! second library synced by the core, as `redline team sync` does.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::pages::{self, HEADLINE_1, QUOTED};
use common::postgres::Postgres;
use common::server::{Response, TestServer};
use redline::notebook::Settings;
use redline::notes::NoteFilter;
use redline::team::client::Client;
use redline::team::protocol::Role;
use redline::team::server::{self, RateLimit, ServeConfig};
use redline::team::sync;
use redline::Notebook;
use redline_e2e::{AppSession, Result, UI_TIMEOUT};

const NETWORK: Duration = Duration::from_secs(60);
const NOTE_TITLE: &str = "Missile launch: what Tokyo said";
const BEN_LINE: &str = "Ben: the ministry confirmed the protest went through Beijing.";
const ANA_LINE: &str = "Ana: Hokkaido evacuation alerts lasted 40 minutes.";

/// The team service, in this process, on a loopback port.
struct Service {
    url: String,
    task: tokio::task::JoinHandle<redline::Result<()>>,
}

async fn serve(pg: &Postgres) -> Result<Service> {
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let config = ServeConfig {
        database_url: pg.url(),
        listen: "127.0.0.1:0".parse()?,
        rate: RateLimit::default(),
        bucket: None,
    };
    let task = tokio::spawn(server::serve(config, move |addr| {
        let _ = tx.send(addr);
    }));
    let addr = rx.await?;
    Ok(Service {
        url: format!("http://{addr}"),
        task,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_shares_a_project_and_resolves_a_conflict_in_the_app() -> Result<()> {
    let pg = tokio::task::spawn_blocking(Postgres::start).await?;
    let owner_token = server::init_library(&pg.url(), "Foreign desk", "ana").await?;
    let service = serve(&pg).await?;
    let owner = Client::new(&service.url, &owner_token)?;
    let library = owner.me().await?.library_id;
    let ben_token = owner.invite(library, "ben", Role::Editor).await?.token;

    let web = TestServer::start().await;
    let path = "/asia/2026/11/26/north-korea-missile-japan";
    web.set(path, Response::html(pages::story(1)));

    let mut app = AppSession::start("team").await?;
    let outcome = walk(&mut app, service, &owner_token, &ben_token, &web.url(path)).await;
    drop(pg);
    if outcome.is_err() {
        let _ = app.screenshot("failed").await;
    }
    app.stop().await?;
    outcome
}

async fn walk(
    app: &mut AppSession,
    service: Service,
    owner_token: &str,
    ben_token: &str,
    story_url: &str,
) -> Result<()> {
    // Ana's library: the story, a project holding it and her draft note
    // (written through the core while the app is open, as the CLI would).
    let ana = Notebook::open(app.db_path(), Settings::default()).await?;
    let clip = ana.clip_url(story_url).await?;
    let project = ana.create_project("North Korea missile", "").await?;
    let note = ana
        .create_note(
            NOTE_TITLE,
            "Tokyo lodged a protest through its embassy in Beijing.\n",
        )
        .await?;
    ana.add_to_project(project.id, &[clip.source_id], &[note.id])
        .await?;
    ana.highlight_text(
        clip.version_id,
        QUOTED,
        1,
        "Kamikawa, on the record",
        "quote",
    )
    .await?;

    // Not joined yet: the sidebar offers to join.
    let entry = app.wait_testid("team-open", UI_TIMEOUT).await?;
    let label = app
        .js(
            "return document.querySelector('[data-testid=\"team-open\"]').textContent",
            vec![],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    if !label.contains("Join a team library") {
        return Err(format!("the sidebar's team entry says {label:?}").into());
    }
    entry.click().await?;
    app.wait_testid("team-join-form", UI_TIMEOUT).await?;
    app.testid("team-url")
        .await?
        .send_keys(&service.url)
        .await?;
    app.testid("team-token")
        .await?
        .send_keys(owner_token)
        .await?;
    app.screenshot("join").await?;
    app.click("team-join").await?;
    let name = app.wait_testid("team-library-name", NETWORK).await?;
    assert_eq!(name.text().await?, "Foreign desk");
    assert_eq!(app.testid("team-member").await?.text().await?, "ana");
    app.wait_css(
        "[data-testid=\"team-sync-line\"][data-tone=\"ok\"]",
        NETWORK,
    )
    .await?;

    // Share the project: it is marked in the pane and the sidebar, and goes up.
    app.click(&format!("team-share-{}", project.id)).await?;
    let shared = format!(
        "[data-testid=\"team-project-{}\"][data-shared=\"true\"]",
        project.id
    );
    app.wait_css(&shared, UI_TIMEOUT).await?;
    app.wait_testid(&format!("nav-project-shared-{}", project.id), UI_TIMEOUT)
        .await?;
    app.wait_js(
        "the share pushed",
        "/ out$/.test(document.querySelector('[data-testid=\"team-last-report\"]')?.textContent || '') \
         && !(document.querySelector('[data-testid=\"team-last-report\"]')?.textContent || '').includes(' 0 out')",
        NETWORK,
    )
    .await?;
    app.screenshot("shared").await?;

    // What the desk pulls: every team project, until one is unticked; then
    // only the ticked ones (the link says so), until it is ticked again.
    let pull = "[data-testid=\"team-pull\"][data-name=\"North Korea missile\"]";
    let tick = format!("document.querySelector('{pull} input').click()");
    app.wait_css(&format!("{pull}[data-followed=\"true\"]"), NETWORK)
        .await?;
    app.js(&tick, vec![]).await?;
    app.wait_css(&format!("{pull}[data-followed=\"false\"]"), NETWORK)
        .await?;
    let link = sync::link(&ana).await?.expect("joined");
    assert!(link.follows_projects, "unticking chose projects: {link:?}");
    app.screenshot("unfollowed").await?;
    app.js(&tick, vec![]).await?;
    app.wait_css(&format!("{pull}[data-followed=\"true\"]"), NETWORK)
        .await?;
    app.wait_css(&shared, UI_TIMEOUT).await?;

    // Ben's desk gets the story, word for word, and the note.
    let ben_dir = tempfile::tempdir()?;
    let ben = Notebook::open(ben_dir.path().join("ben.db"), Settings::default()).await?;
    sync::join(&ben, &service.url, ben_token).await?;
    sync::sync(&ben).await?;
    let theirs = ben.sources(&Default::default()).await?;
    assert_eq!(theirs.len(), 1, "the shared story reached Ben");
    assert_eq!(theirs[0].title, HEADLINE_1);
    let ours = ana.version(clip.version_id).await?;
    let their_versions = ben.versions(theirs[0].id).await?;
    let their_text = ben.version(their_versions[0].id).await?.text;
    assert_eq!(their_text, ours.text, "the same text on both desks");
    let ben_note = ben
        .notes(&NoteFilter::default())
        .await?
        .into_iter()
        .find(|n| n.title == NOTE_TITLE)
        .expect("the shared note reached Ben");

    // Both edit the note from the same revision. Ana's edit is written
    // first, so whichever of the app's syncs (its own timer, or the button)
    // meets Ben's, the two are rival heads, never one on top of the other.
    ana.save_note(note.id, NOTE_TITLE, &format!("{}{ANA_LINE}\n", note.body))
        .await?;
    ben.save_note(
        ben_note.id,
        NOTE_TITLE,
        &format!("{}{BEN_LINE}\n", ben_note.body),
    )
    .await?;
    sync::sync(&ben).await?;
    app.click("team-sync-now").await?;
    let badge = app.wait_testid("team-conflicts-badge", NETWORK).await?;
    assert_eq!(badge.text().await?, "1");
    app.wait_testid(&format!("team-conflict-open-{}", note.id), UI_TIMEOUT)
        .await?;
    app.screenshot("conflict").await?;

    // Nothing was lost: both lines are in the note; Ana keeps both and saves.
    app.click(&format!("team-conflict-open-{}", note.id))
        .await?;
    let editor = app
        .wait_css("[data-testid=\"note-editor\"] .cm-content", UI_TIMEOUT)
        .await?;
    let text = editor.text().await?;
    assert!(text.contains(BEN_LINE) && text.contains(ANA_LINE), "{text}");
    common::type_in_note(app, " Both checked with the ministry.").await?;
    app.wait_css(
        "[data-testid=\"note-saved\"][data-state=\"saved\"]",
        UI_TIMEOUT,
    )
    .await?;
    app.click("team-open").await?;
    app.click("team-sync-now").await?;
    app.wait_testid("team-no-conflicts", NETWORK).await?;
    // The saved note may have cleared the conflict before the sync sent it.
    app.wait_js(
        "the sync over",
        "!document.querySelector('[data-testid=\"team-sync-now\"]').disabled",
        NETWORK,
    )
    .await?;
    assert!(app
        .all("[data-testid=\"team-conflicts-badge\"]")
        .await?
        .is_empty());
    app.screenshot("resolved").await?;

    // Ben gets the resolved text.
    sync::sync(&ben).await?;
    let resolved = ben.note(ben_note.id).await?.body;
    assert!(
        resolved.contains(BEN_LINE)
            && resolved.contains(ANA_LINE)
            && resolved.contains("Both checked with the ministry."),
        "{resolved}"
    );

    // Ben deletes the highlight; Ana sees the deletion and restores it for everyone.
    let theirs = ben.all_highlights().await?;
    assert_eq!(theirs.len(), 1, "the highlight reached Ben");
    ben.delete_highlight(theirs[0].id).await?;
    sync::sync(&ben).await?;
    app.click("team-sync-now").await?;
    app.wait_testid("team-restore-highlight", NETWORK).await?;
    assert!(
        ana.all_highlights().await?.is_empty(),
        "the deletion reached Ana"
    );
    app.screenshot("deleted-highlight").await?;
    app.click("team-restore-highlight").await?;
    // The button goes when the restore is written here; the pane then syncs to
    // send it. Ben may look only once that sync is over: the sync button is
    // disabled from the same render that removes the restore button.
    app.wait_js(
        "the restore button gone and its sync over",
        "!document.querySelector('[data-testid=\"team-restore-highlight\"]') \
         && !document.querySelector('[data-testid=\"team-sync-now\"]').disabled",
        NETWORK,
    )
    .await?;
    let back = ana.all_highlights().await?;
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].text, QUOTED);
    assert_eq!(back[0].comment, "Kamikawa, on the record");
    sync::sync(&ben).await?;
    let theirs = ben.all_highlights().await?;
    assert_eq!(
        theirs.len(),
        1,
        "the restored highlight is back on Ben's desk"
    );
    assert_eq!(theirs[0].text, QUOTED);

    // Ana, the owner, invites a viewer and revokes Ben, from the pane.
    app.wait_testid("team-member-ben", NETWORK).await?;
    app.testid("team-invite-name")
        .await?
        .send_keys("chloe")
        .await?;
    app.testid("team-invite-role")
        .await?
        .select_by_value("viewer")
        .await?;
    app.click("team-invite").await?;
    let token = app
        .wait_testid("team-invited-token", NETWORK)
        .await?
        .text()
        .await?;
    let chloe = Client::new(&service.url, token.trim())?.me().await?;
    assert_eq!((chloe.member.as_str(), chloe.role), ("chloe", Role::Viewer));
    app.click("team-revoke-ben").await?;
    app.click("team-revoke-ben").await?;
    app.wait_css(
        "[data-testid=\"team-member-ben\"][data-revoked=\"true\"]",
        NETWORK,
    )
    .await?;
    app.screenshot("members").await?;
    let refused = sync::sync(&ben).await;
    assert!(
        matches!(
            refused,
            Err(redline::Error::Team(redline::team::TeamError::Unauthorized))
        ),
        "a revoked member is refused at once: {refused:?}"
    );

    // The server goes away: the sidebar says the desk is offline, and since when.
    service.task.abort();
    let _ = service.task.await;
    app.click("team-sync-now").await?;
    app.wait_css(
        "[data-testid=\"team-sync-line\"][data-tone=\"offline\"]",
        NETWORK,
    )
    .await?;
    let line = app
        .js(
            "return document.querySelector('[data-testid=\"team-sync-line\"]').textContent",
            vec![],
        )
        .await?;
    assert!(
        line.as_str()
            .is_some_and(|l| l.starts_with("Offline · last sync")),
        "{line}"
    );
    app.wait_testid("team-last-error", UI_TIMEOUT).await?;
    app.screenshot("offline").await?;
    Ok(())
}
