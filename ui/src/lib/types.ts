// The shapes the UI works with. Those that exist in the core mirror its ts-rs
// bindings (ui/src/bindings/, written by the shell); the rest follow the
// command list in issue 4 and are adapted in backend.ts when the core lands.

export type Dir = 'ltr' | 'rtl';
export type BlockKind = 'paragraph' | 'heading';
export interface Block {
  kind: BlockKind;
  text: string;
}

export interface Source {
  id: number;
  url: string | null;
  createdAt: string;
  watched: boolean;
  archived: boolean;
  title: string;
  siteName: string | null;
  lang: string | null;
  dir: string;
  publishedAt: string | null;
  latestVersionId: number | null;
  versionCount: number;
  lastCapturedAt: string | null;
  lastViewedVersionId: number | null;
}

export interface Version {
  id: number;
  sourceId: number;
  seq: number;
  createdAt: string;
  title: string;
  byline: string | null;
  siteName: string | null;
  lang: string | null;
  dir: Dir;
  publishedAt: string | null;
  modifiedAt: string | null;
  excerpt: string | null;
  blocks: Block[];
  text: string;
  textSha256: string;
}

export interface VersionSummary {
  id: number;
  sourceId: number;
  seq: number;
  createdAt: string;
  title: string;
  textSha256: string;
  words: number;
}

export type CaptureOutcome = 'new_version' | 'unchanged' | 'not_modified' | 'failed';

export interface Capture {
  id: number;
  sourceId: number;
  capturedAt: string;
  method: string;
  requestedUrl: string | null;
  finalUrl: string | null;
  httpStatus: number | null;
  outcome: string;
  error: string | null;
  versionId: number | null;
}

export interface ClipOutcome {
  sourceId: number;
  versionId: number;
  versionSeq: number;
  captureId: number;
  newSource: boolean;
  newVersion: boolean;
  title: string;
  url: string | null;
}

export type CheckStatus = 'new_version' | 'unchanged' | 'failed';
export interface CheckOutcome {
  sourceId: number;
  status: CheckStatus;
  captureId: number | null;
  versionId: number | null;
  versionSeq: number | null;
  title: string | null;
  errorCode: string | null;
  error: string | null;
}

export type TextFormat = 'html' | 'text' | 'markdown';

/** What the list of sources is narrowed to (sidebar choice + filter box). */
export interface SourceFilter {
  projectId?: number | null;
  tagId?: number | null;
  watched?: boolean | null;
  unviewed?: boolean | null;
  archived?: boolean | null;
  text?: string | null;
}

export interface Project {
  id: number;
  name: string;
  description: string;
  archived: boolean;
}

export interface Tag {
  id: number;
  name: string;
}

export interface Highlight {
  id: number;
  sourceId: number;
  versionId: number;
  start: number;
  end: number;
  text: string;
  comment: string;
  label: string;
  createdAt: string;
}

export interface NoteSummary {
  id: number;
  title: string;
  updatedAt: string;
}

export interface Note {
  id: number;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface CitationStatus {
  highlightId: number | null;
  sourceId: number;
  versionId: number;
  /** The quoted passage differs or is gone in the newest version. */
  changed: boolean;
  text: string;
}

export interface RenderedNote {
  /** HTML sanitised by the core (ammonia): the only note HTML the UI inserts. */
  html: string;
  citations: CitationStatus[];
}

export interface QuoteItem {
  id: number;
  speaker: string | null;
  text: string;
  sourceId: number;
  versionId: number;
  sourceTitle: string;
  capturedAt: string;
}

export type HitKind = 'source' | 'version' | 'note' | 'highlight' | 'quote';
export interface SearchHit {
  kind: HitKind;
  id: number;
  sourceId: number | null;
  versionId: number | null;
  noteId: number | null;
  title: string;
  /** Snippet text with matches wrapped in \u0002 … \u0003 (no HTML). */
  snippet: string;
}

export interface SearchOptions {
  allVersions?: boolean;
  kinds?: HitKind[];
  projectId?: number | null;
  tagId?: number | null;
}

// --- Diff (core: redline::diff) ---
export type WordOp = { op: 'equal' | 'insert' | 'delete'; text: string };
export type BlockChange = 'equal' | 'inserted' | 'deleted' | 'edited' | 'moved';
export interface BlockDiff {
  change: BlockChange;
  /** Position in the old / new version (0-based), when the block exists there. */
  oldIndex: number | null;
  newIndex: number | null;
  oldText: string | null;
  newText: string | null;
  /** Word-level spans for edited (and moved-and-edited) blocks. */
  words: WordOp[];
}
export interface NumberChange {
  old: string;
  new: string;
}
export interface QuoteChange {
  speaker: string | null;
  old: string | null;
  new: string | null;
}
export interface Summary {
  titleChanged: boolean;
  oldTitle: string;
  newTitle: string;
  bylineChanged: boolean;
  added: number;
  removed: number;
  edited: number;
  moved: number;
  quotes: QuoteChange[];
  numbers: NumberChange[];
  corrections: string[];
}
export interface Diff {
  summary: Summary;
  blocks: BlockDiff[];
}

/** Errors cross from the shell as `{ code, message }`. */
export interface AppError {
  code: string;
  message: string;
}
