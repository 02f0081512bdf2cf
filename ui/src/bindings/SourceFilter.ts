// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { SourceSort } from "./SourceSort";

export type SourceFilter = { projectId: number | null, tag: string | null, site: string | null, lang: string | null, capturedFrom: string | null, capturedTo: string | null, publishedFrom: string | null, publishedTo: string | null, changedSince: string | null, unviewed: boolean, watched: boolean | null, archived: boolean | null, sort: SourceSort, limit: number | null, offset: number, };
