// The UI's one door to the shell. Every call goes through here so the views
// never name a command, and every pending call has a timeout (no endless spinner).
// TODO(ui): switch the calls to ui/src/lib/api.ts once the shell commits it.
import { invoke } from '@tauri-apps/api/core';
import { withTimeout } from './errors';
import type {
  CheckOutcome,
  ClipOutcome,
  Capture,
  Diff,
  Highlight,
  Note,
  NoteSummary,
  Project,
  QuoteItem,
  RenderedNote,
  SearchHit,
  SearchOptions,
  Source,
  SourceFilter,
  Tag,
  TextFormat,
  Version,
  VersionSummary,
} from './types';

const QUICK = 20_000;
const NETWORK = 90_000;

function call<T>(cmd: string, args: Record<string, unknown> = {}, ms = QUICK): Promise<T> {
  return withTimeout(invoke<T>(cmd, args), ms, cmd.replace(/_/g, ' '));
}

// clip & watch
export const clipUrl = (url: string) => call<ClipOutcome>('clip_url', { url }, NETWORK);
export const clipText = (text: string, format: TextFormat, url: string | null = null) =>
  call<ClipOutcome>('clip_text', { text, format, url }, NETWORK);
export const clipFile = (path: string) => call<ClipOutcome>('clip_file', { path }, NETWORK);
export const checkSource = (sourceId: number) => call<CheckOutcome>('check_source', { sourceId }, NETWORK);

// sources & versions
export const listSources = (filter: SourceFilter) => call<Source[]>('list_sources', { filter });
export const getSource = (sourceId: number) => call<Source>('get_source', { sourceId });
export const listVersions = (sourceId: number) => call<VersionSummary[]>('list_versions', { sourceId });
export const getVersion = (versionId: number) => call<Version>('get_version', { versionId });
export const listCaptures = (sourceId: number) => call<Capture[]>('list_captures', { sourceId });
export const markViewed = (sourceId: number, versionId: number) =>
  call<void>('mark_viewed', { sourceId, versionId });
export const setWatched = (sourceIds: number[], watched: boolean) =>
  call<void>('set_watched', { sourceIds, watched });
export const setArchived = (sourceIds: number[], archived: boolean) =>
  call<void>('set_archived', { sourceIds, archived });
export const diffVersions = (oldVersionId: number, newVersionId: number) =>
  call<Diff>('diff_versions', { oldVersionId, newVersionId });

// projects & tags
export const listProjects = () => call<Project[]>('list_projects');
export const createProject = (name: string) => call<Project>('create_project', { name });
export const renameProject = (projectId: number, name: string) => call<void>('rename_project', { projectId, name });
export const deleteProject = (projectId: number) => call<void>('delete_project', { projectId });
export const addToProject = (projectId: number, sourceIds: number[]) =>
  call<void>('add_to_project', { projectId, sourceIds });
export const listTags = () => call<Tag[]>('list_tags');
export const tagSources = (name: string, sourceIds: number[]) => call<void>('tag_sources', { name, sourceIds });
export const deleteTag = (tagId: number) => call<void>('delete_tag', { tagId });

// highlights
export const listHighlights = (versionId: number) => call<Highlight[]>('list_highlights', { versionId });
export const listAllHighlights = () => call<Highlight[]>('list_all_highlights');
export const createHighlight = (versionId: number, start: number, end: number, comment = '') =>
  call<Highlight>('create_highlight', { versionId, start, end, comment });
export const deleteHighlight = (highlightId: number) => call<void>('delete_highlight', { highlightId });

// notes
export const listNotes = () => call<NoteSummary[]>('list_notes');
export const getNote = (noteId: number) => call<Note>('get_note', { noteId });
export const createNote = (title: string) => call<Note>('create_note', { title });
export const saveNote = (noteId: number, title: string, body: string) =>
  call<Note>('save_note', { noteId, title, body });
export const renderNote = (noteId: number, body: string) => call<RenderedNote>('render_note', { noteId, body });
export const citeHighlight = (highlightId: number) => call<string>('cite_highlight', { highlightId });

// find
export const search = (query: string, options: SearchOptions) =>
  call<SearchHit[]>('search', { query, options });
export const listQuotes = () => call<QuoteItem[]>('list_quotes');

// export & backup (paths come from the native save dialog)
export const exportNote = (noteId: number, path: string) => call<void>('export_note', { noteId, path }, NETWORK);
export const exportSources = (sourceIds: number[], format: string, path: string) =>
  call<void>('export_sources', { sourceIds, format, path }, NETWORK);
export const exportEvidence = (sourceId: number, path: string) =>
  call<void>('export_evidence', { sourceId, path }, NETWORK);
export const backup = (path: string) => call<void>('backup', { path }, 300_000);
