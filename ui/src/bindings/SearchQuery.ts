// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { HitKind } from "./HitKind";

export type SearchQuery = { text: string, kinds: Array<HitKind>, allVersions: boolean, projectId: number | null, tag: string | null, site: string | null, lang: string | null, from: string | null, to: string | null, limit: number | null, offset: number | null, };
