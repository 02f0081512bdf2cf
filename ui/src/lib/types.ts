// The types the views use: the shell's generated bindings (ui/src/bindings/,
// via api.ts), plus a few UI-only shapes.

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
  Feed,
  FeedPoll,
  FeedRules,
  FolderAs,
  Highlight,
  Hit,
  NewFeed,
  Note,
  NotifySetting,
  OpmlImport,
  Project,
  QuoteEntry,
  RenderedNote,
  SavedFile,
  SearchQuery,
  Source,
  SourceFilter,
  TagCount,
  TextFormat,
  Version,
  VersionSummary,
  WatchingSettings,
} from './api';
export type { Block } from '../bindings/Block';
export type { CapturedPage } from '../bindings/CapturedPage';
export type { LowConfidence } from '../bindings/LowConfidence';
export type { ReextractReport } from '../bindings/ReextractReport';
export type { BlockDiff } from '../bindings/BlockDiff';
export type { BlockOp } from '../bindings/BlockOp';
export type { CitationState } from '../bindings/CitationState';
export type { Diff } from '../bindings/Diff';
export type { Dir } from '../bindings/Dir';
export type { HitKind } from '../bindings/HitKind';
export type { Span } from '../bindings/Span';
export type { SpanOp } from '../bindings/SpanOp';
export type { Summary } from '../bindings/Summary';
export type { ArchiveVerification } from '../bindings/ArchiveVerification';
export type { PublicKey } from '../bindings/PublicKey';
export type { WaczCheck } from '../bindings/WaczCheck';
export type { WaczCheckItem } from '../bindings/WaczCheckItem';
export type { WaczCheckKind } from '../bindings/WaczCheckKind';

/** Errors cross from the shell as `{ code, message }`. */
export interface AppError {
  code: string;
  message: string;
}
