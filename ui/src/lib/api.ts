// Typed wrappers over every command of the Redline shell (src-tauri).
//
// The UI talks to the backend only through this file. Types come from
// `../bindings/` (generated from Rust by ts-rs: never edit them by hand).
// Every failure is an `ApiError { code, message }`: show `message`, branch on `code`.
//
// Owner: the shell engineer. The command names and argument names here are
// the contract with src-tauri/src/commands.rs.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { save, open } from "@tauri-apps/plugin-dialog";

import { afterFirstPaint } from "./firstpaint";

import type { ApiErrorPayload } from "../bindings/ApiErrorPayload";
import type { AppInfo } from "../bindings/AppInfo";
import type { Capture } from "../bindings/Capture";
import type { CapturedPage } from "../bindings/CapturedPage";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CitationStatus } from "../bindings/CitationStatus";
import type { ClipOutcome } from "../bindings/ClipOutcome";
import type { CompareView } from "../bindings/CompareView";
import type { DeletePlan } from "../bindings/DeletePlan";
import type { FacetCount } from "../bindings/FacetCount";
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
import type { SpeakerCount } from "../bindings/SpeakerCount";
import type { TagCount } from "../bindings/TagCount";
import type { TextFormat } from "../bindings/TextFormat";
import type { Version } from "../bindings/Version";
import type { VersionSummary } from "../bindings/VersionSummary";

export type {
  AppInfo,
  Capture,
  CheckOutcome,
  CitationStatus,
  ClipOutcome,
  CompareView,
  DeletePlan,
  ExportFormat,
  FacetCount,
  Highlight,
  Hit,
  LibraryChange,
  Note,
  NoteFilter,
  NoteRevision,
  Project,
  QuoteEntry,
  QuoteFilter,
  RenderedNote,
  SavedFile,
  SearchQuery,
  Source,
  SourceChanged,
  SourceFilter,
  SpeakerCount,
  TagCount,
  TextFormat,
  Version,
  VersionSummary,
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

// ---------------------------------------------------------------- app

export const appInfo = () => call<AppInfo>("app_info");

// ---------------------------------------------------------------- clip

export const clipUrl = (url: string) => call<ClipOutcome>("clip_url", { url });
/** Pasted HTML, plain text or Markdown; `format` null = sniff. `url` attributes it to a web address. */
export const clipText = (content: string, format: TextFormat | null = null, url: string | null = null) =>
  call<ClipOutcome>("clip_text", { content, format, url });
/** A local .html/.htm/.txt/.md file (drag and drop gives its path). */
export const clipFile = (path: string, url: string | null = null) =>
  call<ClipOutcome>("clip_file", { path, url });
/** Asks for files with the native dialog and clips each; returns one outcome or error per file. */
export async function clipFilesWithDialog(): Promise<Array<ClipOutcome | ApiError>> {
  const picked = await open({
    multiple: true,
    filters: [{ name: "Articles", extensions: ["html", "htm", "txt", "md"] }],
  });
  const paths = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
  const out: Array<ClipOutcome | ApiError> = [];
  for (const p of paths) {
    try {
      out.push(await clipFile(p));
    } catch (e) {
      out.push(toApiError(e));
    }
  }
  return out;
}

// ---------------------------------------------------------------- sources, versions, captures

/** Sources matching a filter; omitted fields mean "any" (archived defaults to not archived). */
export const listSources = (filter: Partial<SourceFilter> = {}) =>
  call<Source[]>("list_sources", { filter });
export const countSources = (filter: Partial<SourceFilter> = {}) =>
  call<number>("count_sources", { filter });
/** Outlets and languages in the library with their source counts, for filter menus. */
export const listSites = () => call<FacetCount[]>("list_sites");
export const listLanguages = () => call<FacetCount[]>("list_languages");
export const getSource = (sourceId: number) => call<Source>("get_source", { sourceId });
/** Versions of a source, oldest first. */
export const listVersions = (sourceId: number) => call<VersionSummary[]>("list_versions", { sourceId });
/** Every capture attempt (new version / unchanged / not modified / failed), oldest first: the timeline. */
export const listCaptures = (sourceId: number) => call<Capture[]>("list_captures", { sourceId });
export const getVersion = (versionId: number) => call<Version>("get_version", { versionId });
/** The page a version was extracted from, decoded to text (size-capped): shown as inert text, never as HTML. */
export const getCapturedPage = (versionId: number) => call<CapturedPage>("get_captured_page", { versionId });
/** Reads a source's stored captures again with this build's extractor (extractor revisions, not new versions). */
export const reextractSource = (sourceId: number) => call<ReextractReport>("reextract_source", { sourceId });
/** Re-fetches a source now (conditional request); a changed text makes a new version. */
export const checkSource = (sourceId: number) => call<CheckOutcome>("check_source", { sourceId });
/** The diff between two versions of one source (any order of ids is accepted; old = the earlier one given). */
/**
 * Everything the compare screen shows, in one call: the source, its versions,
 * the two compared and their diff. Without ids: the latest version against
 * the one before it.
 */
export const compareVersions = (sourceId: number, oldVersionId: number | null, newVersionId: number | null) =>
  call<CompareView>("compare_versions", { sourceId, oldVersionId, newVersionId });
/** Records that the reporter has seen `versionId` of a source (clears "changed"/"unviewed"). */
export const markViewed = (sourceId: number, versionId: number) =>
  call<void>("mark_viewed", { sourceId, versionId });
export const setWatched = (sourceIds: number[], watched: boolean) =>
  call<void>("set_watched", { sourceIds, watched });
export const setArchived = (sourceIds: number[], archived: boolean) =>
  call<void>("set_archived", { sourceIds, archived });

// ---------------------------------------------------------------- projects

export const listProjects = (includeArchived = false) => call<Project[]>("list_projects", { includeArchived });
export const createProject = (name: string, description = "") =>
  call<Project>("create_project", { name, description });
export const renameProject = (projectId: number, name: string) =>
  call<Project>("rename_project", { projectId, name });
export const describeProject = (projectId: number, description: string) =>
  call<Project>("describe_project", { projectId, description });
export const archiveProjects = (projectIds: number[], archived: boolean) =>
  call<void>("archive_projects", { projectIds, archived });
/** What deleting a project removes (with `alsoSources`: `exclusiveSources` too) and what stays: show it first. */
export const projectDeletePlan = (projectId: number) => call<DeletePlan>("project_delete_plan", { projectId });
/** Deletes the project; with `alsoSources`, also the sources no other project holds. */
export const deleteProject = (projectId: number, alsoSources: boolean) =>
  call<DeletePlan>("delete_project", { projectId, alsoSources });
export const addSourcesToProject = (projectId: number, sourceIds: number[]) =>
  call<void>("add_sources_to_project", { projectId, sourceIds });
export const removeSourcesFromProject = (projectId: number, sourceIds: number[]) =>
  call<void>("remove_sources_from_project", { projectId, sourceIds });
export const addNotesToProject = (projectId: number, noteIds: number[]) =>
  call<void>("add_notes_to_project", { projectId, noteIds });
export const removeNotesFromProject = (projectId: number, noteIds: number[]) =>
  call<void>("remove_notes_from_project", { projectId, noteIds });
/** Projects a source belongs to. */
export const sourceProjects = (sourceId: number) => call<Project[]>("source_projects", { sourceId });

// ---------------------------------------------------------------- tags (by name; names compare case-insensitively)

export const listTags = () => call<TagCount[]>("list_tags");
export const sourceTags = (sourceId: number) => call<string[]>("source_tags", { sourceId });
export const tagSources = (sourceIds: number[], tag: string) => call<void>("tag_sources", { sourceIds, tag });
export const untagSources = (sourceIds: number[], tag: string) =>
  call<void>("untag_sources", { sourceIds, tag });
export const tagNotes = (noteIds: number[], tag: string) => call<void>("tag_notes", { noteIds, tag });
export const untagNotes = (noteIds: number[], tag: string) => call<void>("untag_notes", { noteIds, tag });
export const renameTag = (from: string, to: string) => call<void>("rename_tag", { from, to });
export const deleteTag = (tag: string) => call<void>("delete_tag", { tag });
/** Moves every use of the `from` tags to `into` and deletes them. */
export const mergeTags = (from: string[], into: string) => call<void>("merge_tags", { from, into });

// ---------------------------------------------------------------- notes

export const listNotes = (filter: Partial<NoteFilter> = {}) => call<Note[]>("list_notes", { filter });
export const getNote = (noteId: number) => call<Note>("get_note", { noteId });
export const createNote = (title = "", body = "") => call<Note>("create_note", { title, body });
/** Autosave target: history coalesces rapid saves, so calling this every second is fine. */
export const saveNote = (noteId: number, title: string, body: string) =>
  call<Note>("save_note", { noteId, title, body });
export const deleteNote = (noteId: number) => call<void>("delete_note", { noteId });
export const archiveNote = (noteId: number, archived: boolean) =>
  call<void>("archive_note", { noteId, archived });
export const noteHistory = (noteId: number) => call<NoteRevision[]>("note_history", { noteId });
export const restoreNote = (noteId: number, revisionId: number) =>
  call<Note>("restore_note", { noteId, revisionId });
/** The saved note as sanitised HTML (safe for `{@html}`) with the status of each citation. */
export const renderNote = (noteId: number) => call<RenderedNote>("render_note", { noteId });
/** Live preview of unsaved Markdown: sanitised HTML (safe for `{@html}`) with citations resolved and checked. */
export const renderDraft = (markdown: string) => call<RenderedNote>("render_draft", { markdown });

// ---------------------------------------------------------------- highlights and citations

/** `start`/`end` are char offsets into `Version.text` (blocks joined by "\n\n"). */
export const createHighlight = (versionId: number, start: number, end: number, comment = "", label = "") =>
  call<Highlight>("create_highlight", { versionId, start, end, comment, label });
export const listHighlights = (versionId: number) => call<Highlight[]>("list_highlights", { versionId });
/** Every highlight in the library, newest first (the citation picker). */
export const listAllHighlights = () => call<Highlight[]>("list_all_highlights");
/** Every highlight of a source (all versions), e.g. for the citation picker. */
export const listSourceHighlights = (sourceId: number) =>
  call<Highlight[]>("list_source_highlights", { sourceId });
/** `null` leaves a field as it is. */
export const updateHighlight = (highlightId: number, comment: string | null, label: string | null) =>
  call<Highlight>("update_highlight", { highlightId, comment, label });
export const deleteHighlight = (highlightId: number) => call<void>("delete_highlight", { highlightId });
/** The Markdown to insert into a note to quote a highlight (`[@h12]`). */
export const citationMarkdown = (highlightId: number) => call<string>("citation_markdown", { highlightId });
/** Re-anchors every quoted highlight of a note in its source's latest version. */
export const checkCitations = (noteId: number) => call<CitationStatus[]>("check_citations", { noteId });

// ---------------------------------------------------------------- quotes and search

export const listQuotes = (filter: Partial<QuoteFilter> = {}) => call<QuoteEntry[]>("list_quotes", { filter });
export const listSpeakers = () => call<SpeakerCount[]>("list_speakers");
/** Full-text search; `query.text` accepts words, "phrases", prefix*, AND/OR/NOT. */
export const search = (query: Partial<SearchQuery> & { text: string }) => call<Hit[]>("search", { query });

// ---------------------------------------------------------------- export and backup

export const exportSources = (sourceIds: number[], format: ExportFormat, path: string) =>
  call<SavedFile>("export_sources", { sourceIds, format, path });
/** A zip with every capture's raw bytes, every version's text, hashes and a manifest. */
export const exportBundle = (sourceId: number, path: string) =>
  call<SavedFile>("export_bundle", { sourceId, path });
/** The note as Markdown with footnoted citations. */
export const exportNote = (noteId: number, path: string) => call<SavedFile>("export_note", { noteId, path });
/** A consistent copy of the whole library, taken while it is in use. */
export const backupLibrary = (path: string) => call<SavedFile>("backup_library", { path });

const EXPORT_EXT: Record<ExportFormat, string> = { csl: "json", bibtex: "bib", ris: "ris" };

/** Asks where to save (native dialog); null when the reporter cancels. */
async function askSavePath(defaultPath: string, name: string, extensions: string[]): Promise<string | null> {
  return await save({ defaultPath, filters: [{ name, extensions }] });
}

export async function exportSourcesWithDialog(sourceIds: number[], format: ExportFormat): Promise<SavedFile | null> {
  const ext = EXPORT_EXT[format];
  const path = await askSavePath(`sources.${ext}`, "Citations", [ext]);
  return path === null ? null : exportSources(sourceIds, format, path);
}
export async function exportBundleWithDialog(sourceId: number): Promise<SavedFile | null> {
  const path = await askSavePath(`redline-evidence-${sourceId}.zip`, "Evidence bundle", ["zip"]);
  return path === null ? null : exportBundle(sourceId, path);
}
export async function exportNoteWithDialog(noteId: number, title: string): Promise<SavedFile | null> {
  const safe = (title.trim() || `note-${noteId}`).replace(/[\\/:*?"<>|]+/g, "-").slice(0, 80);
  const path = await askSavePath(`${safe}.md`, "Markdown", ["md"]);
  return path === null ? null : exportNote(noteId, path);
}
export async function backupWithDialog(): Promise<SavedFile | null> {
  const day = new Date().toISOString().slice(0, 10);
  const path = await askSavePath(`redline-backup-${day}.db`, "Redline library", ["db"]);
  return path === null ? null : backupLibrary(path);
}

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
