// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { CitationState } from "./CitationState";
import type { Span } from "./Span";

export type CitationStatus = { highlightId: number, state: CitationState, citedVersionId: number, latestVersionId: number | null, citedText: string, newText: string | null, spans: Array<Span>, };
