// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { BlockKind } from "./BlockKind";
import type { BlockOp } from "./BlockOp";
import type { Span } from "./Span";

export type BlockDiff = { op: BlockOp, oldIndex: number | null, newIndex: number | null, kind: BlockKind, oldText: string, newText: string, edited: boolean, spans: Array<Span>, };
