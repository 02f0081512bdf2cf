//! The Tauri commands: each takes the [`Notebook`] from the app's state and
//! calls one of its use cases. Nothing else happens here: the rules, the SQL
//! and the change announcements live in the core.
//!
//! Each function here is the command's one definition: `build.rs` registers
//! and permits every function here marked as a Tauri command, and a test writes the
//! UI's typed caller from its signature and doc comment
//! (`ui/src/bindings/commands.ts`, see `command_table.rs`). Arguments arrive
//! camelCased (`sourceId` → `source_id`). Keep signatures plain:
//! `pub [async] fn name(args) -> ApiResult<T>`.

use std::path::PathBuf;

use redline::alerts::{Alert, AlertKind, NotifySetting};
use redline::autostart::Autostart;
use redline::clip::{CheckOutcome, ClipOutcome, TextFormat};
use redline::export::wacz::{ArchiveVerification, PublicKey, StampReport, StampStatus};
use redline::feeds::opml::FolderAs;
use redline::feeds::{Feed, FeedPoll, FeedRules, NewFeed};
use redline::highlights::Highlight;
use redline::library::{FacetCount, SourceFilter};
use redline::notebook::{CompareView, ExportFormat, OpmlImport, SavedFile, WatchingSettings};
use redline::notes::{Note, NoteFilter, NoteRevision, RenderedNote};
use redline::projects::{DeletePlan, Project};
use redline::quotes::{QuoteEntry, QuoteFilter};
use redline::reextract::ReextractReport;
use redline::search::{Hit, Reindex, SearchQuery};
use redline::tags::TagCount;
use redline::team::protocol::{Invited as TeamInvited, MemberInfo as TeamMember, Role as TeamRole};
use redline::team::sync::{self, Status as TeamStatus, SyncReport, TeamProject};
use redline::versions::{Capture, CapturedPage, Source, Version, VersionSummary};
use redline::Notebook;
use tauri::{AppHandle, Runtime, State};

use crate::chosen::{self, ChosenFiles};
use crate::dialogs;
use crate::error::{ApiError, ApiResult};
use crate::links::PendingLink;

type App<'a> = State<'a, Notebook>;

/// The files the Clip screen accepts.
const ARTICLES: dialogs::Kind<'static> = dialogs::Kind {
    name: "Articles",
    extensions: &["html", "htm", "txt", "md"],
};

/// Feed lists (outlines) other readers export.
const OPML: dialogs::Kind<'static> = dialogs::Kind {
    name: "OPML",
    extensions: &["opml", "xml"],
};

// ---- clip

#[tauri::command]
pub async fn clip_url(app: App<'_>, url: String) -> ApiResult<ClipOutcome> {
    Ok(app.clip_url(&url).await?)
}

/// Pasted HTML, plain text or Markdown; `format` null = sniff. `url` attributes it to a web address.
#[tauri::command]
pub async fn clip_text(
    app: App<'_>,
    content: String,
    format: Option<TextFormat>,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    Ok(app.clip_text(content, format, url).await?)
}

/// Asks for article files in the native open dialog; the paths picked may
/// then be clipped with [`clip_file`] (the page cannot name others).
#[tauri::command]
pub async fn choose_files_to_clip<R: Runtime>(
    shell: AppHandle<R>,
    chosen: State<'_, ChosenFiles>,
) -> ApiResult<Vec<String>> {
    let picked = dialogs::open_paths(&shell, ARTICLES).await?;
    chosen.remember(picked.iter().cloned());
    Ok(picked.iter().map(|p| p.display().to_string()).collect())
}

/// Clips a file the reporter picked or dropped in this session.
#[tauri::command]
pub async fn clip_file(
    app: App<'_>,
    chosen: State<'_, ChosenFiles>,
    path: String,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    let path = chosen.readable(&path)?;
    Ok(app.clip_file(path, url).await?)
}

/// Re-fetches a source now (conditional request); a changed text makes a new version.
#[tauri::command]
pub async fn check_source(app: App<'_>, source_id: i64) -> ApiResult<CheckOutcome> {
    Ok(app.check(source_id).await?)
}

// ---- read

#[tauri::command]
pub async fn get_source(app: App<'_>, source_id: i64) -> ApiResult<Source> {
    Ok(app.source(source_id).await?)
}

/// Versions of a source, oldest first.
#[tauri::command]
pub async fn list_versions(app: App<'_>, source_id: i64) -> ApiResult<Vec<VersionSummary>> {
    Ok(app.versions(source_id).await?)
}

/// Every capture attempt (new version / unchanged / not modified / failed), oldest first: the timeline.
#[tauri::command]
pub async fn list_captures(app: App<'_>, source_id: i64) -> ApiResult<Vec<Capture>> {
    Ok(app.captures(source_id).await?)
}

#[tauri::command]
pub async fn get_version(app: App<'_>, version_id: i64) -> ApiResult<Version> {
    Ok(app.version(version_id).await?)
}

/// The page a version was extracted from, as text: the UI shows it inert.
#[tauri::command]
pub async fn get_captured_page(app: App<'_>, version_id: i64) -> ApiResult<CapturedPage> {
    Ok(app.captured_page(version_id).await?)
}

/// Reads a source's stored captures again with this build's extractor (extractor revisions, not new versions).
#[tauri::command]
pub async fn reextract_source(app: App<'_>, source_id: i64) -> ApiResult<ReextractReport> {
    Ok(app.reextract(Some(source_id), false).await?)
}

/// Everything the compare screen shows, in one call: the source, its versions,
/// the two compared and their diff. Without ids: the latest version against
/// the one before it.
#[tauri::command]
pub async fn compare_versions(
    app: App<'_>,
    source_id: i64,
    old_version_id: Option<i64>,
    new_version_id: Option<i64>,
) -> ApiResult<CompareView> {
    Ok(app
        .compare(source_id, old_version_id, new_version_id)
        .await?)
}

// ---- notes

#[tauri::command]
pub async fn list_notes(app: App<'_>, filter: NoteFilter) -> ApiResult<Vec<Note>> {
    Ok(app.notes(&filter).await?)
}

#[tauri::command]
pub async fn get_note(app: App<'_>, note_id: i64) -> ApiResult<Note> {
    Ok(app.note(note_id).await?)
}

#[tauri::command]
pub async fn create_note(app: App<'_>, title: String, body: String) -> ApiResult<Note> {
    Ok(app.create_note(&title, &body).await?)
}

/// Autosave target: history coalesces rapid saves, so calling this every second is fine.
#[tauri::command]
pub async fn save_note(app: App<'_>, note_id: i64, title: String, body: String) -> ApiResult<Note> {
    Ok(app.save_note(note_id, &title, &body).await?)
}

#[tauri::command]
pub async fn delete_note(app: App<'_>, note_id: i64) -> ApiResult<()> {
    Ok(app.delete_note(note_id).await?)
}

#[tauri::command]
pub async fn note_history(app: App<'_>, note_id: i64) -> ApiResult<Vec<NoteRevision>> {
    Ok(app.note_history(note_id).await?)
}

#[tauri::command]
pub async fn restore_note(app: App<'_>, note_id: i64, revision_id: i64) -> ApiResult<Note> {
    Ok(app.restore_note(note_id, revision_id).await?)
}

/// The saved note as sanitised HTML (safe for `{@html}`) with the status of each citation.
#[tauri::command]
pub async fn render_note(app: App<'_>, note_id: i64) -> ApiResult<RenderedNote> {
    Ok(app.render_note(note_id).await?)
}

/// Live preview of unsaved Markdown: sanitised HTML (safe for `{@html}`) with citations resolved and checked.
#[tauri::command]
pub async fn render_draft(app: App<'_>, markdown: String) -> ApiResult<RenderedNote> {
    Ok(app.render_draft(&markdown).await?)
}

/// The Markdown to insert into a note to quote a highlight (`[@h12]`).
#[tauri::command]
pub async fn citation_markdown(app: App<'_>, highlight_id: i64) -> ApiResult<String> {
    Ok(app.cite(highlight_id).await?)
}

// ---- highlights

/// `start`/`end` are char offsets into `Version.text` (blocks joined by "\n\n").
#[tauri::command]
pub async fn create_highlight(
    app: App<'_>,
    version_id: i64,
    start: usize,
    end: usize,
    comment: String,
    label: String,
) -> ApiResult<Highlight> {
    Ok(app
        .highlight(version_id, start, end, &comment, &label)
        .await?)
}

#[tauri::command]
pub async fn list_highlights(app: App<'_>, version_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(app.highlights_of_version(version_id).await?)
}

/// Every highlight of a source (all versions), e.g. for the citation picker.
#[tauri::command]
pub async fn list_source_highlights(app: App<'_>, source_id: i64) -> ApiResult<Vec<Highlight>> {
    Ok(app.highlights_of_source(source_id).await?)
}

/// Every highlight in the library, newest first (the citation picker).
#[tauri::command]
pub async fn list_all_highlights(app: App<'_>) -> ApiResult<Vec<Highlight>> {
    Ok(app.all_highlights().await?)
}

/// `null` leaves a field as it is.
#[tauri::command]
pub async fn update_highlight(
    app: App<'_>,
    highlight_id: i64,
    comment: Option<String>,
    label: Option<String>,
) -> ApiResult<Highlight> {
    Ok(app
        .update_highlight(highlight_id, comment.as_deref(), label.as_deref())
        .await?)
}

#[tauri::command]
pub async fn delete_highlight(app: App<'_>, highlight_id: i64) -> ApiResult<()> {
    Ok(app.delete_highlight(highlight_id).await?)
}

// ---- find

/// How far the re-index of word forms has come in a library made before
/// stems were on; None when there is nothing to do. The search pane polls it.
#[tauri::command]
pub async fn search_reindex_progress(app: App<'_>) -> ApiResult<Option<Reindex>> {
    Ok(app.search_reindex_progress().await?)
}

/// Full-text search; `query.text` accepts words, "phrases", prefix*, AND/OR/NOT.
#[tauri::command]
pub async fn search(app: App<'_>, query: SearchQuery) -> ApiResult<Vec<Hit>> {
    Ok(app.search(&query).await?)
}

#[tauri::command]
pub async fn list_quotes(app: App<'_>, filter: QuoteFilter) -> ApiResult<Vec<QuoteEntry>> {
    Ok(app.quotes(&filter).await?)
}

// ---- organise

/// Sources matching a filter; omitted fields mean "any" (archived defaults to not archived).
#[tauri::command]
pub async fn list_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<Vec<Source>> {
    Ok(app.sources(&filter).await?)
}

#[tauri::command]
pub async fn count_sources(app: App<'_>, filter: SourceFilter) -> ApiResult<i64> {
    Ok(app.count_sources(&filter).await?)
}

/// Outlets and languages in the library with their source counts, for filter menus.
#[tauri::command]
pub async fn list_sites(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    Ok(app.sites().await?)
}

#[tauri::command]
pub async fn list_languages(app: App<'_>) -> ApiResult<Vec<FacetCount>> {
    Ok(app.languages().await?)
}

#[tauri::command]
pub async fn set_watched(app: App<'_>, source_ids: Vec<i64>, watched: bool) -> ApiResult<()> {
    app.set_watched(&source_ids, watched).await?;
    Ok(())
}

#[tauri::command]
pub async fn set_archived(app: App<'_>, source_ids: Vec<i64>, archived: bool) -> ApiResult<()> {
    app.set_archived(&source_ids, archived).await?;
    Ok(())
}

/// Records that the reporter has seen `versionId` of a source (clears "changed"/"unviewed").
#[tauri::command]
pub async fn mark_viewed(app: App<'_>, source_id: i64, version_id: i64) -> ApiResult<()> {
    Ok(app.mark_viewed(source_id, version_id).await?)
}

#[tauri::command]
pub async fn list_projects(app: App<'_>, include_archived: bool) -> ApiResult<Vec<Project>> {
    Ok(app.projects(include_archived).await?)
}

#[tauri::command]
pub async fn create_project(app: App<'_>, name: String, description: String) -> ApiResult<Project> {
    Ok(app.create_project(&name, &description).await?)
}

#[tauri::command]
pub async fn rename_project(app: App<'_>, project_id: i64, name: String) -> ApiResult<Project> {
    Ok(app.rename_project(project_id, &name).await?)
}

#[tauri::command]
pub async fn archive_projects(
    app: App<'_>,
    project_ids: Vec<i64>,
    archived: bool,
) -> ApiResult<()> {
    app.archive_projects(&project_ids, archived).await?;
    Ok(())
}

/// What deleting a project removes (with `alsoSources`: `exclusiveSources` too) and what stays: show it first.
#[tauri::command]
pub async fn project_delete_plan(app: App<'_>, project_id: i64) -> ApiResult<DeletePlan> {
    Ok(app.project_delete_plan(project_id).await?)
}

/// Deletes the project; with `alsoSources`, also the sources no other project holds.
#[tauri::command]
pub async fn delete_project(
    app: App<'_>,
    project_id: i64,
    also_sources: bool,
) -> ApiResult<DeletePlan> {
    Ok(app.delete_project(project_id, also_sources).await?)
}

#[tauri::command]
pub async fn add_sources_to_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    app.add_to_project(project_id, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn remove_sources_from_project(
    app: App<'_>,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    app.remove_from_project(project_id, &source_ids, &[])
        .await?;
    Ok(())
}

#[tauri::command]
pub async fn add_notes_to_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    app.add_to_project(project_id, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn remove_notes_from_project(
    app: App<'_>,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    app.remove_from_project(project_id, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn list_tags(app: App<'_>) -> ApiResult<Vec<TagCount>> {
    Ok(app.tags().await?)
}

#[tauri::command]
pub async fn source_tags(app: App<'_>, source_id: i64) -> ApiResult<Vec<String>> {
    Ok(app.tags_of_source(source_id).await?)
}

#[tauri::command]
pub async fn tag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.tag(&tag, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn untag_sources(app: App<'_>, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.untag(&tag, &source_ids, &[]).await?;
    Ok(())
}

#[tauri::command]
pub async fn tag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.tag(&tag, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn untag_notes(app: App<'_>, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    app.untag(&tag, &[], &note_ids).await?;
    Ok(())
}

#[tauri::command]
pub async fn rename_tag(app: App<'_>, from: String, to: String) -> ApiResult<()> {
    Ok(app.rename_tag(&from, &to).await?)
}

#[tauri::command]
pub async fn delete_tag(app: App<'_>, tag: String) -> ApiResult<()> {
    Ok(app.delete_tag(&tag).await?)
}

// ---- the Changed inbox

/// The inbox, newest first (`unreadOnly`: only what is not read yet).
#[tauri::command]
pub async fn list_alerts(app: App<'_>, unread_only: bool) -> ApiResult<Vec<Alert>> {
    Ok(app.inbox(unread_only, None).await?)
}

#[tauri::command]
pub async fn count_unread_alerts(app: App<'_>) -> ApiResult<i64> {
    Ok(app.inbox_unread().await?)
}

/// Marks alerts read, or unread again.
#[tauri::command]
pub async fn mark_alerts(app: App<'_>, alert_ids: Vec<i64>, read: bool) -> ApiResult<()> {
    Ok(app.mark_alerts(&alert_ids, read).await?)
}

#[tauri::command]
pub async fn mark_all_alerts_read(app: App<'_>) -> ApiResult<u64> {
    Ok(app.mark_all_alerts_read().await?)
}

/// Which kinds of alert raise a desktop notification.
#[tauri::command]
pub async fn notify_settings(app: App<'_>) -> ApiResult<Vec<NotifySetting>> {
    Ok(app.notify_settings().await?)
}

#[tauri::command]
pub async fn set_notify(app: App<'_>, kind: AlertKind, on: bool) -> ApiResult<Vec<NotifySetting>> {
    Ok(app.set_notify(kind, on).await?)
}

// ---- feeds

#[tauri::command]
pub async fn list_feeds(app: App<'_>) -> ApiResult<Vec<Feed>> {
    Ok(app.feeds().await?)
}

/// Subscribes to a feed, news sitemap or section front, with its rules.
#[tauri::command]
pub async fn add_feed(app: App<'_>, feed: NewFeed) -> ApiResult<Feed> {
    Ok(app.add_feed(feed).await?)
}

/// Unsubscribes; what the feed clipped stays in the library.
#[tauri::command]
pub async fn remove_feed(app: App<'_>, feed_id: i64) -> ApiResult<()> {
    Ok(app.remove_feed(feed_id).await?)
}

/// Polls a feed now and clips what its rules want.
#[tauri::command]
pub async fn poll_feed(app: App<'_>, feed_id: i64) -> ApiResult<FeedPoll> {
    Ok(app.poll_feed(feed_id).await?)
}

/// Asks for an OPML file in the native open dialog and subscribes to its
/// feeds with `rules`; `folders` says what its folders become. Null when the reporter cancels.
#[tauri::command]
pub async fn import_opml<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
    folders: FolderAs,
    rules: FeedRules,
) -> ApiResult<Option<OpmlImport>> {
    let picked = dialogs::open_paths(&shell, OPML).await?;
    let Some(path) = picked.first() else {
        return Ok(None);
    };
    chosen::stays_in_its_folder(path)?;
    Ok(Some(app.import_opml_file(path, folders, rules).await?))
}

/// Every feed as OPML, where the reporter chooses to save it.
#[tauri::command]
pub async fn export_opml<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
) -> ApiResult<Option<SavedFile>> {
    let Some(path) = save_path(&shell, "redline-feeds.opml", OPML).await? else {
        return Ok(None);
    };
    Ok(Some(app.export_opml_to(&path).await?))
}

// ---- watching: pause, close to tray, start at login

/// Whether watching is paused, closing the window keeps Redline in the tray, and it starts at login.
#[tauri::command]
pub async fn watching_settings(app: App<'_>) -> ApiResult<WatchingSettings> {
    watching_now(&app).await
}

/// The watching settings as they are now, with this user's autostart entry.
async fn watching_now(app: &Notebook) -> ApiResult<WatchingSettings> {
    Ok(app
        .watching_settings(Autostart::for_user().as_ref())
        .await?)
}

/// Pauses or resumes watching in every process (the tray's item follows).
#[tauri::command]
pub async fn set_watching_paused(app: App<'_>, paused: bool) -> ApiResult<WatchingSettings> {
    app.set_watching_paused(paused).await?;
    watching_now(&app).await
}

#[tauri::command]
pub async fn set_close_to_tray(app: App<'_>, on: bool) -> ApiResult<WatchingSettings> {
    app.set_close_to_tray(on).await?;
    watching_now(&app).await
}

/// Writes or removes the login autostart entry that starts this app hidden in the tray.
#[tauri::command]
pub async fn set_start_at_login(app: App<'_>, on: bool) -> ApiResult<WatchingSettings> {
    let Some(autostart) = Autostart::for_user() else {
        return Err(ApiError::new(
            "unsupported",
            "starting at login is not available on this system",
        ));
    };
    let exe = std::env::current_exe()
        .map_err(|e| ApiError::new("io", format!("cannot tell where Redline is installed: {e}")))?;
    let library = std::env::var_os("REDLINE_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    autostart.set(on, &exe, library.as_deref())?;
    Ok(app.watching_settings(Some(&autostart)).await?)
}

// ---- export: each asks where to save in the native dialog (the page never
// names the file), and returns nothing when the reporter cancels.

/// The save path the reporter confirmed, if it does not lead out of its folder.
async fn save_path<R: Runtime>(
    shell: &AppHandle<R>,
    file_name: &str,
    kind: dialogs::Kind<'_>,
) -> ApiResult<Option<PathBuf>> {
    let Some(path) = dialogs::save_path(shell, file_name, kind).await? else {
        return Ok(None);
    };
    chosen::stays_in_its_folder(&path)?;
    Ok(Some(path))
}

#[tauri::command]
pub async fn export_sources<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
    source_ids: Vec<i64>,
    format: ExportFormat,
) -> ApiResult<Option<SavedFile>> {
    let ext = format.extension();
    let kind = dialogs::Kind {
        name: "Citations",
        extensions: &[ext],
    };
    let Some(path) = save_path(&shell, &format!("sources.{ext}"), kind).await? else {
        return Ok(None);
    };
    Ok(Some(app.export_sources(&source_ids, format, &path).await?))
}

/// A zip with every capture's raw bytes, every version's text, hashes and a manifest.
#[tauri::command]
pub async fn export_bundle<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
    source_id: i64,
) -> ApiResult<Option<SavedFile>> {
    let kind = dialogs::Kind {
        name: "Evidence bundle",
        extensions: &["zip"],
    };
    let name = format!("redline-evidence-{source_id}.zip");
    let Some(path) = save_path(&shell, &name, kind).await? else {
        return Ok(None);
    };
    app.export_bundle(source_id, &path).await?;
    Ok(Some(SavedFile::at(&path)?))
}

/// The note as Markdown with footnoted citations (the shell suggests a file name from its title).
#[tauri::command]
pub async fn export_note<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
    note_id: i64,
) -> ApiResult<Option<SavedFile>> {
    let note = app.note(note_id).await?;
    let kind = dialogs::Kind {
        name: "Markdown",
        extensions: &["md"],
    };
    let name = format!("{}.md", file_stem(&note.title, &format!("note-{note_id}")));
    let Some(path) = save_path(&shell, &name, kind).await? else {
        return Ok(None);
    };
    Ok(Some(app.export_note(note_id, &path).await?))
}

/// A consistent copy of the whole library, taken while it is in use.
#[tauri::command]
pub async fn backup_library<R: Runtime>(
    shell: AppHandle<R>,
    app: App<'_>,
) -> ApiResult<Option<SavedFile>> {
    let kind = dialogs::Kind {
        name: "Redline library",
        extensions: &["db"],
    };
    let day = chrono::Local::now().format("%Y-%m-%d");
    let Some(path) = save_path(&shell, &format!("redline-backup-{day}.db"), kind).await? else {
        return Ok(None);
    };
    app.backup(&path).await?;
    Ok(Some(SavedFile::at(&path)?))
}

// ---- evidence: checking a WACZ archive, and the key this library signs with

/// The archives the verifier opens.
const ARCHIVES: dialogs::Kind<'static> = dialogs::Kind {
    name: "Web archives (WACZ)",
    extensions: &["wacz"],
};

/// Asks for a WACZ in the native open dialog; the file picked may then be
/// checked with [`verify_archive`] (the page cannot name another). Null when cancelled.
#[tauri::command]
pub async fn choose_archive_to_verify<R: Runtime>(
    shell: AppHandle<R>,
    chosen: State<'_, ChosenFiles>,
) -> ApiResult<Option<String>> {
    let picked = dialogs::open_paths(&shell, ARCHIVES).await?;
    let first = picked.into_iter().next();
    chosen.remember(first.iter().cloned());
    Ok(first.map(|p| p.display().to_string()))
}

/// Checks a WACZ picked in this session: signature, timestamp, every file's hash, every record, the index.
#[tauri::command]
pub async fn verify_archive(
    app: App<'_>,
    chosen: State<'_, ChosenFiles>,
    path: String,
) -> ApiResult<ArchiveVerification> {
    let path = chosen.readable(&path)?;
    Ok(app.verify_archive(&path).await?)
}

/// This library's public signing key and its fingerprint, for the reporter to publish.
#[tauri::command]
pub async fn library_public_key(app: App<'_>) -> ApiResult<PublicKey> {
    Ok(app.public_key()?)
}

/// The time stamping authority, the per-capture switch and what waits.
#[tauri::command]
pub async fn stamp_status(app: App<'_>) -> ApiResult<StampStatus> {
    Ok(app.stamp_status().await?)
}

/// Sets or (with `null`) clears the RFC 3161 time stamping authority.
#[tauri::command]
pub async fn set_timestamp_authority(app: App<'_>, url: Option<String>) -> ApiResult<StampStatus> {
    app.set_timestamp_authority(url.as_deref()).await?;
    Ok(app.stamp_status().await?)
}

/// Turns a trusted timestamp for each new capture on or off.
#[tauri::command]
pub async fn set_timestamp_captures(app: App<'_>, on: bool) -> ApiResult<StampStatus> {
    app.set_timestamp_captures(on).await?;
    Ok(app.stamp_status().await?)
}

/// Asks the authority now for every capture waiting for a token (the
/// scheduler also does, between checks).
#[tauri::command]
pub async fn stamp_waiting_captures(app: App<'_>) -> ApiResult<StampReport> {
    Ok(app.timestamp_pending_captures().await?)
}

// ---- team library

/// Where this library stands with its team library; null when it has not joined one.
#[tauri::command]
pub async fn team_status(app: App<'_>) -> ApiResult<Option<TeamStatus>> {
    if sync::link(&app).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(sync::status(&app).await?))
}

/// Joins the team library at `url` with an invitation token (checked with the server first).
#[tauri::command]
pub async fn team_join(app: App<'_>, url: String, token: String) -> ApiResult<TeamStatus> {
    sync::join(&app, url.trim(), token.trim()).await?;
    Ok(sync::status(&app).await?)
}

/// Shares a project with the team; its sources, versions and notes go up with the next sync.
#[tauri::command]
pub async fn team_share_project(app: App<'_>, project_id: i64) -> ApiResult<TeamStatus> {
    sync::share(&app, &project_id.to_string()).await?;
    Ok(sync::status(&app).await?)
}

/// The team library's projects, marked with whether this desk pulls them (asks the server).
#[tauri::command]
pub async fn team_projects(app: App<'_>) -> ApiResult<Vec<TeamProject>> {
    Ok(sync::team_projects(&app).await?)
}

/// Pulls a team project (by key) from the next sync on; a desk that pulled the whole library keeps what it has.
#[tauri::command]
pub async fn team_follow(app: App<'_>, key: String) -> ApiResult<Vec<TeamProject>> {
    sync::follow(&app, &key).await?;
    Ok(sync::team_projects(&app).await?)
}

/// Stops pulling and pushing a team project (by key); what this desk has of it stays.
#[tauri::command]
pub async fn team_unfollow(app: App<'_>, key: String) -> ApiResult<Vec<TeamProject>> {
    sync::unfollow(&app, &key).await?;
    Ok(sync::team_projects(&app).await?)
}

/// Pulls what the team changed and pushes what changed here, now.
#[tauri::command]
pub async fn team_sync(app: App<'_>) -> ApiResult<SyncReport> {
    Ok(sync::sync(&app).await?)
}

/// Brings back a shared note a member deleted, for everyone (at the next sync).
#[tauri::command]
pub async fn team_undelete_note(app: App<'_>, key: String) -> ApiResult<TeamStatus> {
    sync::undelete_note(&app, &key).await?;
    Ok(sync::status(&app).await?)
}

/// Brings back a shared highlight a member deleted, for everyone (at the next sync).
#[tauri::command]
pub async fn team_undelete_highlight(app: App<'_>, key: String) -> ApiResult<TeamStatus> {
    sync::undelete_highlight(&app, &key).await?;
    Ok(sync::status(&app).await?)
}

/// The team library's members, with their roles (owners only).
#[tauri::command]
pub async fn team_members(app: App<'_>) -> ApiResult<Vec<TeamMember>> {
    Ok(sync::members(&app).await?)
}

/// Invites a member (owners only); the answer holds their token, shown once.
#[tauri::command]
pub async fn team_invite(app: App<'_>, name: String, role: TeamRole) -> ApiResult<TeamInvited> {
    Ok(sync::invite(&app, &name, role).await?)
}

/// Revokes a member (owners only): their next request is refused.
#[tauri::command]
pub async fn team_revoke(app: App<'_>, name: String) -> ApiResult<Vec<TeamMember>> {
    sync::revoke(&app, &name).await?;
    Ok(sync::members(&app).await?)
}

// ---- links from other programs

/// The `redline://` link Redline was launched with, once (the page asks
/// when it has loaded; later links arrive as the `open-link` event).
#[tauri::command]
pub fn take_opened_link(pending: State<'_, PendingLink>) -> ApiResult<Option<String>> {
    Ok(pending.take())
}

/// A title made safe as a file name: no path separators or characters that
/// some file systems refuse; `fallback` when nothing is left.
fn file_stem(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in title.trim().chars().take(80) {
        let bad =
            matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control();
        if !bad {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}
