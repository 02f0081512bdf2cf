// The UI's one door to the Redline shell (src-tauri).
//
// The commands themselves are generated from their Rust definitions into
// `../bindings/commands.ts`, and their types into `../bindings/` (ts-rs):
// never edit those by hand. This file sends them (after first paint, with
// errors shaped), adds the defaults the views rely on, and listens to events.
// Every failure is an `ApiError { code, message }`: show `message`, branch on `code`.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import { afterFirstPaint } from "./firstpaint";
import { commands as generated } from "../bindings/commands";

import type { Alert } from "../bindings/Alert";
import type { AlertKind } from "../bindings/AlertKind";
import type { ApiErrorPayload } from "../bindings/ApiErrorPayload";
import type { Capture } from "../bindings/Capture";
import type { CapturedPage } from "../bindings/CapturedPage";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CitationStatus } from "../bindings/CitationStatus";
import type { ClipOutcome } from "../bindings/ClipOutcome";
import type { CompareView } from "../bindings/CompareView";
import type { DeletePlan } from "../bindings/DeletePlan";
import type { FacetCount } from "../bindings/FacetCount";
import type { Feed } from "../bindings/Feed";
import type { FeedPoll } from "../bindings/FeedPoll";
import type { FeedRules } from "../bindings/FeedRules";
import type { FolderAs } from "../bindings/FolderAs";
import type { OpmlImport } from "../bindings/OpmlImport";
import type { WatchingSettings } from "../bindings/WatchingSettings";
import type { NewFeed } from "../bindings/NewFeed";
import type { NotifySetting } from "../bindings/NotifySetting";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { Highlight } from "../bindings/Highlight";
import type { Hit } from "../bindings/Hit";
import type { LibraryChange } from "../bindings/LibraryChange";
import type { Note } from "../bindings/Note";
import type { NoteFilter } from "../bindings/NoteFilter";
import type { NoteRevision } from "../bindings/NoteRevision";
import type { Project } from "../bindings/Project";
import type { QuoteEntry } from "../bindings/QuoteEntry";
import type { QuoteFilter } from "../bindings/QuoteFilter";
import type { ReextractReport } from "../bindings/ReextractReport";
import type { RenderedNote } from "../bindings/RenderedNote";
import type { SavedFile } from "../bindings/SavedFile";
import type { SearchQuery } from "../bindings/SearchQuery";
import type { Source } from "../bindings/Source";
import type { SourceChanged } from "../bindings/SourceChanged";
import type { SourceFilter } from "../bindings/SourceFilter";
import type { TagCount } from "../bindings/TagCount";
import type { TeamStatus } from "../bindings/TeamStatus";
import type { TeamLink } from "../bindings/TeamLink";
import type { TeamMember } from "../bindings/TeamMember";
import type { TeamProject } from "../bindings/TeamProject";
import type { TeamInvited } from "../bindings/TeamInvited";
import type { TeamRole } from "../bindings/TeamRole";
import type { SyncReport } from "../bindings/SyncReport";
import type { TextFormat } from "../bindings/TextFormat";
import type { Version } from "../bindings/Version";
import type { VersionSummary } from "../bindings/VersionSummary";

export type {
  SyncReport,
  TeamInvited,
  TeamLink,
  TeamMember,
  TeamProject,
  TeamRole,
  TeamStatus,
  Alert,
  AlertKind,
  Capture,
  CheckOutcome,
  CitationStatus,
  ClipOutcome,
  CompareView,
  DeletePlan,
  ExportFormat,
  FacetCount,
  Feed,
  FeedPoll,
  FeedRules,
  FolderAs,
  Highlight,
  Hit,
  LibraryChange,
  NewFeed,
  Note,
  NoteFilter,
  NoteRevision,
  NotifySetting,
  OpmlImport,
  Project,
  QuoteEntry,
  QuoteFilter,
  RenderedNote,
  SavedFile,
  SearchQuery,
  Source,
  SourceChanged,
  SourceFilter,
  TagCount,
  TextFormat,
  Version,
  VersionSummary,
  WatchingSettings,
};

/** A failed command: `code` is stable (`not_found`, `timeout`, `http_status`, …), `message` is for people. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/** Turns whatever `invoke` rejected with into an ApiError (the shell always sends `{ code, message }`). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const p = e as ApiErrorPayload;
    return new ApiError(String(p.code), String(p.message));
  }
  if (typeof e === "string") return new ApiError("internal", e);
  if (e instanceof Error) return new ApiError("internal", e.message);
  return new ApiError("internal", "Something went wrong.");
}

/** Every command waits for the window's first frame (see firstpaint.ts); after that, for nothing. */
const painted: Promise<void> =
  typeof window === "undefined" ? Promise.resolve() : afterFirstPaint(window);

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  await painted;
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toApiError(e);
  }
}

// ---------------------------------------------------------------- the commands

/**
 * Every command as a typed call, generated from its one definition in
 * src-tauri/src/commands.rs (see ../bindings/commands.ts for each one's
 * documentation). Most are used as they are; the few below add the defaults
 * the views rely on.
 */
const commands = generated(call);

export const {
  clipUrl,
  chooseFilesToClip,
  checkSource,
  listSites,
  listLanguages,
  searchReindexProgress,
  getSource,
  listVersions,
  listCaptures,
  getVersion,
  getCapturedPage,
  reextractSource,
  compareVersions,
  markViewed,
  setWatched,
  setArchived,
  renameProject,
  archiveProjects,
  projectDeletePlan,
  deleteProject,
  addSourcesToProject,
  removeSourcesFromProject,
  addNotesToProject,
  removeNotesFromProject,
  listTags,
  sourceTags,
  tagSources,
  untagSources,
  tagNotes,
  untagNotes,
  renameTag,
  deleteTag,
  getNote,
  saveNote,
  deleteNote,
  noteHistory,
  restoreNote,
  renderNote,
  renderDraft,
  listHighlights,
  listAllHighlights,
  listSourceHighlights,
  updateHighlight,
  deleteHighlight,
  citationMarkdown,
  listAlerts,
  countUnreadAlerts,
  markAlerts,
  markAllAlertsRead,
  notifySettings,
  setNotify,
  listFeeds,
  addFeed,
  removeFeed,
  pollFeed,
  takeOpenedLink,
  libraryPublicKey,
  stampStatus,
  setTimestampAuthority,
  setTimestampCaptures,
  stampWaitingCaptures,
  teamStatus,
  teamJoin,
  teamShareProject,
  teamSync,
  teamProjects,
  teamFollow,
  teamUnfollow,
  teamUndeleteNote,
  teamUndeleteHighlight,
  teamMembers,
  teamInvite,
  teamRevoke,
  watchingSettings,
  setWatchingPaused,
  setCloseToTray,
  setStartAtLogin,
} = commands;

/** Pasted HTML, plain text or Markdown; `format` null = sniff. `url` attributes it to a web address. */
export const clipText = (content: string, format: TextFormat | null = null, url: string | null = null) =>
  commands.clipText(content, format, url);
/** A file picked with `chooseFilesToClip` or dropped on the window (else `path_not_chosen`). */
export const clipFile = (path: string, url: string | null = null) => commands.clipFile(path, url);
/** Sources matching a filter; omitted fields mean "any" (archived defaults to not archived). */
export const listSources = (filter: Partial<SourceFilter> = {}) => commands.listSources(filter as SourceFilter);
export const countSources = (filter: Partial<SourceFilter> = {}) => commands.countSources(filter as SourceFilter);
export const listProjects = (includeArchived = false) => commands.listProjects(includeArchived);
export const createProject = (name: string, description = "") => commands.createProject(name, description);
export const listNotes = (filter: Partial<NoteFilter> = {}) => commands.listNotes(filter as NoteFilter);
export const createNote = (title = "", body = "") => commands.createNote(title, body);
/** `start`/`end` are char offsets into `Version.text` (blocks joined by "\n\n"). */
export const createHighlight = (versionId: number, start: number, end: number, comment = "", label = "") =>
  commands.createHighlight(versionId, start, end, comment, label);
export const listQuotes = (filter: Partial<QuoteFilter> = {}) => commands.listQuotes(filter as QuoteFilter);
/** Full-text search; `query.text` accepts words, "phrases", prefix*, AND/OR/NOT. */
export const search = (query: Partial<SearchQuery> & { text: string }) => commands.search(query as SearchQuery);

// Each asks where to save in the native dialog, opened by the shell (the page
// never names the file), and resolves to null when the reporter cancels.
export const exportSourcesWithDialog = commands.exportSources;
export const exportBundleWithDialog = commands.exportBundle;
export const exportNoteWithDialog = commands.exportNote;
export const backupWithDialog = commands.backupLibrary;
export const importOpmlWithDialog = commands.importOpml;
export const exportOpmlWithDialog = commands.exportOpml;

/** Asks for a .wacz in the native dialog (null when cancelled); only that file may then be verified. */
export const chooseArchiveToVerify = commands.chooseArchiveToVerify;
/** Checks a WACZ picked with `chooseArchiveToVerify` (else `path_not_chosen`). */
export const verifyArchive = commands.verifyArchive;

// ---------------------------------------------------------------- events

/**
 * Fired after any write — by this app, by the background re-checks, or by the
 * `redline` CLI while the app is open. Refresh what is visible.
 */
export const onLibraryChanged = (handler: (change: LibraryChange) => void): Promise<UnlistenFn> =>
  listen<LibraryChange>("library-changed", (e) => handler(e.payload));

/** A watched source got a new version in a background re-check. */
export const onSourceChanged = (handler: (change: SourceChanged) => void): Promise<UnlistenFn> =>
  listen<SourceChanged>("source-changed", (e) => handler(e.payload));

/**
 * A `redline://` link from another program (the browser extension's popup,
 * a link in an exported note) while the app runs; the one the app was
 * launched with is fetched once with `takeOpenedLink`.
 */
export const onOpenLink = (handler: (link: string) => void): Promise<UnlistenFn> =>
  listen<string>("open-link", (e) => handler(e.payload));
