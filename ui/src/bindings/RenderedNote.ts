// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { CitationStatus } from "./CitationStatus";

export type RenderedNote = { html: string, citations: Array<CitationStatus>, };
