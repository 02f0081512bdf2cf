// The types the views use: the shell's generated bindings (ui/src/bindings/,
// via api.ts), plus a few UI-only shapes.

export type {
  Capture,
  CheckOutcome,
  CitationStatus,
  ClipOutcome,
  CompareView,
  DeletePlan,
  ExportFormat,
  Highlight,
  Hit,
  Note,
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
} from './api';
import type { Block as Block_ } from '../bindings/Block';
import type { BlockDiff as BlockDiff_ } from '../bindings/BlockDiff';
import type { BlockOp as BlockOp_ } from '../bindings/BlockOp';
import type { CitationState as CitationState_ } from '../bindings/CitationState';
import type { Diff as Diff_ } from '../bindings/Diff';
import type { Dir as Dir_ } from '../bindings/Dir';
import type { HitKind as HitKind_ } from '../bindings/HitKind';
import type { Span as Span_ } from '../bindings/Span';
import type { SpanOp as SpanOp_ } from '../bindings/SpanOp';
import type { Summary as Summary_ } from '../bindings/Summary';
import type { Wire } from './wire';
export type Block = Wire<Block_>;
export type BlockDiff = Wire<BlockDiff_>;
export type BlockOp = Wire<BlockOp_>;
export type CitationState = Wire<CitationState_>;
export type Diff = Wire<Diff_>;
export type Dir = Wire<Dir_>;
export type HitKind = Wire<HitKind_>;
export type Span = Wire<Span_>;
export type SpanOp = Wire<SpanOp_>;
export type Summary = Wire<Summary_>;

/** Errors cross from the shell as `{ code, message }`. */
export interface AppError {
  code: string;
  message: string;
}
