// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { HitKind } from "./HitKind";

export type Hit = { kind: HitKind, sourceId: number | null, versionId: number | null, noteId: number | null, highlightId: number | null, quoteId: number | null, title: string, snippet: string, score: number, capturedAt: string, };
