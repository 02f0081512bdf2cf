// The shell's commands as typed calls, written from src-tauri/src/commands.rs
// by `cargo test -p redline-app export_bindings`. Do not edit: change the command.

import type { Alert } from "./Alert";
import type { AlertKind } from "./AlertKind";
import type { ArchiveVerification } from "./ArchiveVerification";
import type { Capture } from "./Capture";
import type { CapturedPage } from "./CapturedPage";
import type { CheckOutcome } from "./CheckOutcome";
import type { ClipOutcome } from "./ClipOutcome";
import type { CompareView } from "./CompareView";
import type { DeletePlan } from "./DeletePlan";
import type { ExportFormat } from "./ExportFormat";
import type { FacetCount } from "./FacetCount";
import type { Feed } from "./Feed";
import type { FeedPoll } from "./FeedPoll";
import type { FeedRules } from "./FeedRules";
import type { FolderAs } from "./FolderAs";
import type { Highlight } from "./Highlight";
import type { Hit } from "./Hit";
import type { NewFeed } from "./NewFeed";
import type { Note } from "./Note";
import type { NoteFilter } from "./NoteFilter";
import type { NoteRevision } from "./NoteRevision";
import type { NotifySetting } from "./NotifySetting";
import type { OpmlImport } from "./OpmlImport";
import type { Project } from "./Project";
import type { PublicKey } from "./PublicKey";
import type { QuoteEntry } from "./QuoteEntry";
import type { QuoteFilter } from "./QuoteFilter";
import type { ReextractReport } from "./ReextractReport";
import type { Reindex } from "./Reindex";
import type { RenderedNote } from "./RenderedNote";
import type { SavedFile } from "./SavedFile";
import type { SearchQuery } from "./SearchQuery";
import type { Source } from "./Source";
import type { SourceFilter } from "./SourceFilter";
import type { StampReport } from "./StampReport";
import type { StampStatus } from "./StampStatus";
import type { SyncReport } from "./SyncReport";
import type { TagCount } from "./TagCount";
import type { TeamInvited } from "./TeamInvited";
import type { TeamMember } from "./TeamMember";
import type { TeamProject } from "./TeamProject";
import type { TeamRole } from "./TeamRole";
import type { TeamStatus } from "./TeamStatus";
import type { TextFormat } from "./TextFormat";
import type { Version } from "./Version";
import type { VersionSummary } from "./VersionSummary";
import type { WatchingSettings } from "./WatchingSettings";

/** How a command is sent: api.ts passes its own (first paint, error shape). */
export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export const commands = (call: Call) => ({
  clipUrl: (url: string) => call<ClipOutcome>("clip_url", { url }),
  /** Pasted HTML, plain text or Markdown; `format` null = sniff. `url` attributes it to a web address. */
  clipText: (content: string, format: TextFormat | null, url: string | null) => call<ClipOutcome>("clip_text", { content, format, url }),
  /** Asks for article files in the native open dialog; the paths picked may then be clipped with [`clip_file`] (the page cannot name others). */
  chooseFilesToClip: () => call<string[]>("choose_files_to_clip"),
  /** Clips a file the reporter picked or dropped in this session. */
  clipFile: (path: string, url: string | null) => call<ClipOutcome>("clip_file", { path, url }),
  /** Re-fetches a source now (conditional request); a changed text makes a new version. */
  checkSource: (sourceId: number) => call<CheckOutcome>("check_source", { sourceId }),
  getSource: (sourceId: number) => call<Source>("get_source", { sourceId }),
  /** Versions of a source, oldest first. */
  listVersions: (sourceId: number) => call<VersionSummary[]>("list_versions", { sourceId }),
  /** Every capture attempt (new version / unchanged / not modified / failed), oldest first: the timeline. */
  listCaptures: (sourceId: number) => call<Capture[]>("list_captures", { sourceId }),
  getVersion: (versionId: number) => call<Version>("get_version", { versionId }),
  /** The page a version was extracted from, as text: the UI shows it inert. */
  getCapturedPage: (versionId: number) => call<CapturedPage>("get_captured_page", { versionId }),
  /** Reads a source's stored captures again with this build's extractor (extractor revisions, not new versions). */
  reextractSource: (sourceId: number) => call<ReextractReport>("reextract_source", { sourceId }),
  /** Everything the compare screen shows, in one call: the source, its versions, the two compared and their diff. Without ids: the latest version against the one before it. */
  compareVersions: (sourceId: number, oldVersionId: number | null, newVersionId: number | null) => call<CompareView>("compare_versions", { sourceId, oldVersionId, newVersionId }),
  listNotes: (filter: NoteFilter) => call<Note[]>("list_notes", { filter }),
  getNote: (noteId: number) => call<Note>("get_note", { noteId }),
  createNote: (title: string, body: string) => call<Note>("create_note", { title, body }),
  /** Autosave target: history coalesces rapid saves, so calling this every second is fine. */
  saveNote: (noteId: number, title: string, body: string) => call<Note>("save_note", { noteId, title, body }),
  deleteNote: (noteId: number) => call<void>("delete_note", { noteId }),
  noteHistory: (noteId: number) => call<NoteRevision[]>("note_history", { noteId }),
  restoreNote: (noteId: number, revisionId: number) => call<Note>("restore_note", { noteId, revisionId }),
  /** The saved note as sanitised HTML (safe for `{@html}`) with the status of each citation. */
  renderNote: (noteId: number) => call<RenderedNote>("render_note", { noteId }),
  /** Live preview of unsaved Markdown: sanitised HTML (safe for `{@html}`) with citations resolved and checked. */
  renderDraft: (markdown: string) => call<RenderedNote>("render_draft", { markdown }),
  /** The Markdown to insert into a note to quote a highlight (`[@h12]`). */
  citationMarkdown: (highlightId: number) => call<string>("citation_markdown", { highlightId }),
  /** `start`/`end` are char offsets into `Version.text` (blocks joined by "\n\n"). */
  createHighlight: (versionId: number, start: number, end: number, comment: string, label: string) => call<Highlight>("create_highlight", { versionId, start, end, comment, label }),
  listHighlights: (versionId: number) => call<Highlight[]>("list_highlights", { versionId }),
  /** Every highlight of a source (all versions), e.g. for the citation picker. */
  listSourceHighlights: (sourceId: number) => call<Highlight[]>("list_source_highlights", { sourceId }),
  /** Every highlight in the library, newest first (the citation picker). */
  listAllHighlights: () => call<Highlight[]>("list_all_highlights"),
  /** `null` leaves a field as it is. */
  updateHighlight: (highlightId: number, comment: string | null, label: string | null) => call<Highlight>("update_highlight", { highlightId, comment, label }),
  deleteHighlight: (highlightId: number) => call<void>("delete_highlight", { highlightId }),
  /** How far the re-index of word forms has come in a library made before stems were on; None when there is nothing to do. The search pane polls it. */
  searchReindexProgress: () => call<Reindex | null>("search_reindex_progress"),
  /** Full-text search; `query.text` accepts words, "phrases", prefix*, AND/OR/NOT. */
  search: (query: SearchQuery) => call<Hit[]>("search", { query }),
  listQuotes: (filter: QuoteFilter) => call<QuoteEntry[]>("list_quotes", { filter }),
  /** Sources matching a filter; omitted fields mean "any" (archived defaults to not archived). */
  listSources: (filter: SourceFilter) => call<Source[]>("list_sources", { filter }),
  countSources: (filter: SourceFilter) => call<number>("count_sources", { filter }),
  /** Outlets and languages in the library with their source counts, for filter menus. */
  listSites: () => call<FacetCount[]>("list_sites"),
  listLanguages: () => call<FacetCount[]>("list_languages"),
  setWatched: (sourceIds: number[], watched: boolean) => call<void>("set_watched", { sourceIds, watched }),
  setArchived: (sourceIds: number[], archived: boolean) => call<void>("set_archived", { sourceIds, archived }),
  /** Records that the reporter has seen `versionId` of a source (clears "changed"/"unviewed"). */
  markViewed: (sourceId: number, versionId: number) => call<void>("mark_viewed", { sourceId, versionId }),
  listProjects: (includeArchived: boolean) => call<Project[]>("list_projects", { includeArchived }),
  createProject: (name: string, description: string) => call<Project>("create_project", { name, description }),
  renameProject: (projectId: number, name: string) => call<Project>("rename_project", { projectId, name }),
  archiveProjects: (projectIds: number[], archived: boolean) => call<void>("archive_projects", { projectIds, archived }),
  /** What deleting a project removes (with `alsoSources`: `exclusiveSources` too) and what stays: show it first. */
  projectDeletePlan: (projectId: number) => call<DeletePlan>("project_delete_plan", { projectId }),
  /** Deletes the project; with `alsoSources`, also the sources no other project holds. */
  deleteProject: (projectId: number, alsoSources: boolean) => call<DeletePlan>("delete_project", { projectId, alsoSources }),
  addSourcesToProject: (projectId: number, sourceIds: number[]) => call<void>("add_sources_to_project", { projectId, sourceIds }),
  removeSourcesFromProject: (projectId: number, sourceIds: number[]) => call<void>("remove_sources_from_project", { projectId, sourceIds }),
  addNotesToProject: (projectId: number, noteIds: number[]) => call<void>("add_notes_to_project", { projectId, noteIds }),
  removeNotesFromProject: (projectId: number, noteIds: number[]) => call<void>("remove_notes_from_project", { projectId, noteIds }),
  listTags: () => call<TagCount[]>("list_tags"),
  sourceTags: (sourceId: number) => call<string[]>("source_tags", { sourceId }),
  tagSources: (sourceIds: number[], tag: string) => call<void>("tag_sources", { sourceIds, tag }),
  untagSources: (sourceIds: number[], tag: string) => call<void>("untag_sources", { sourceIds, tag }),
  tagNotes: (noteIds: number[], tag: string) => call<void>("tag_notes", { noteIds, tag }),
  untagNotes: (noteIds: number[], tag: string) => call<void>("untag_notes", { noteIds, tag }),
  renameTag: (from: string, to: string) => call<void>("rename_tag", { from, to }),
  deleteTag: (tag: string) => call<void>("delete_tag", { tag }),
  /** The inbox, newest first (`unreadOnly`: only what is not read yet). */
  listAlerts: (unreadOnly: boolean) => call<Alert[]>("list_alerts", { unreadOnly }),
  countUnreadAlerts: () => call<number>("count_unread_alerts"),
  /** Marks alerts read, or unread again. */
  markAlerts: (alertIds: number[], read: boolean) => call<void>("mark_alerts", { alertIds, read }),
  markAllAlertsRead: () => call<number>("mark_all_alerts_read"),
  /** Which kinds of alert raise a desktop notification. */
  notifySettings: () => call<NotifySetting[]>("notify_settings"),
  setNotify: (kind: AlertKind, on: boolean) => call<NotifySetting[]>("set_notify", { kind, on }),
  listFeeds: () => call<Feed[]>("list_feeds"),
  /** Subscribes to a feed, news sitemap or section front, with its rules. */
  addFeed: (feed: NewFeed) => call<Feed>("add_feed", { feed }),
  /** Unsubscribes; what the feed clipped stays in the library. */
  removeFeed: (feedId: number) => call<void>("remove_feed", { feedId }),
  /** Polls a feed now and clips what its rules want. */
  pollFeed: (feedId: number) => call<FeedPoll>("poll_feed", { feedId }),
  /** Asks for an OPML file in the native open dialog and subscribes to its feeds with `rules`; `folders` says what its folders become. Null when the reporter cancels. */
  importOpml: (folders: FolderAs, rules: FeedRules) => call<OpmlImport | null>("import_opml", { folders, rules }),
  /** Every feed as OPML, where the reporter chooses to save it. */
  exportOpml: () => call<SavedFile | null>("export_opml"),
  /** Whether watching is paused, closing the window keeps Redline in the tray, and it starts at login. */
  watchingSettings: () => call<WatchingSettings>("watching_settings"),
  /** Pauses or resumes watching in every process (the tray's item follows). */
  setWatchingPaused: (paused: boolean) => call<WatchingSettings>("set_watching_paused", { paused }),
  setCloseToTray: (on: boolean) => call<WatchingSettings>("set_close_to_tray", { on }),
  /** Writes or removes the login autostart entry that starts this app hidden in the tray. */
  setStartAtLogin: (on: boolean) => call<WatchingSettings>("set_start_at_login", { on }),
  exportSources: (sourceIds: number[], format: ExportFormat) => call<SavedFile | null>("export_sources", { sourceIds, format }),
  /** A zip with every capture's raw bytes, every version's text, hashes and a manifest. */
  exportBundle: (sourceId: number) => call<SavedFile | null>("export_bundle", { sourceId }),
  /** The note as Markdown with footnoted citations (the shell suggests a file name from its title). */
  exportNote: (noteId: number) => call<SavedFile | null>("export_note", { noteId }),
  /** A consistent copy of the whole library, taken while it is in use. */
  backupLibrary: () => call<SavedFile | null>("backup_library"),
  /** Asks for a WACZ in the native open dialog; the file picked may then be checked with [`verify_archive`] (the page cannot name another). Null when cancelled. */
  chooseArchiveToVerify: () => call<string | null>("choose_archive_to_verify"),
  /** Checks a WACZ picked in this session: signature, timestamp, every file's hash, every record, the index. */
  verifyArchive: (path: string) => call<ArchiveVerification>("verify_archive", { path }),
  /** This library's public signing key and its fingerprint, for the reporter to publish. */
  libraryPublicKey: () => call<PublicKey>("library_public_key"),
  /** The time stamping authority, the per-capture switch and what waits. */
  stampStatus: () => call<StampStatus>("stamp_status"),
  /** Sets or (with `null`) clears the RFC 3161 time stamping authority. */
  setTimestampAuthority: (url: string | null) => call<StampStatus>("set_timestamp_authority", { url }),
  /** Turns a trusted timestamp for each new capture on or off. */
  setTimestampCaptures: (on: boolean) => call<StampStatus>("set_timestamp_captures", { on }),
  /** Asks the authority now for every capture waiting for a token (the scheduler also does, between checks). */
  stampWaitingCaptures: () => call<StampReport>("stamp_waiting_captures"),
  /** Where this library stands with its team library; null when it has not joined one. */
  teamStatus: () => call<TeamStatus | null>("team_status"),
  /** Joins the team library at `url` with an invitation token (checked with the server first). */
  teamJoin: (url: string, token: string) => call<TeamStatus>("team_join", { url, token }),
  /** Shares a project with the team; its sources, versions and notes go up with the next sync. */
  teamShareProject: (projectId: number) => call<TeamStatus>("team_share_project", { projectId }),
  /** The team library's projects, marked with whether this desk pulls them (asks the server). */
  teamProjects: () => call<TeamProject[]>("team_projects"),
  /** Pulls a team project (by key) from the next sync on; a desk that pulled the whole library keeps what it has. */
  teamFollow: (key: string) => call<TeamProject[]>("team_follow", { key }),
  /** Stops pulling and pushing a team project (by key); what this desk has of it stays. */
  teamUnfollow: (key: string) => call<TeamProject[]>("team_unfollow", { key }),
  /** Pulls what the team changed and pushes what changed here, now. */
  teamSync: () => call<SyncReport>("team_sync"),
  /** Brings back a shared note a member deleted, for everyone (at the next sync). */
  teamUndeleteNote: (key: string) => call<TeamStatus>("team_undelete_note", { key }),
  /** Brings back a shared highlight a member deleted, for everyone (at the next sync). */
  teamUndeleteHighlight: (key: string) => call<TeamStatus>("team_undelete_highlight", { key }),
  /** The team library's members, with their roles (owners only). */
  teamMembers: () => call<TeamMember[]>("team_members"),
  /** Invites a member (owners only); the answer holds their token, shown once. */
  teamInvite: (name: string, role: TeamRole) => call<TeamInvited>("team_invite", { name, role }),
  /** Revokes a member (owners only): their next request is refused. */
  teamRevoke: (name: string) => call<TeamMember[]>("team_revoke", { name }),
  /** The `redline://` link Redline was launched with, once (the page asks when it has loaded; later links arrive as the `open-link` event). */
  takeOpenedLink: () => call<string | null>("take_opened_link"),
});
