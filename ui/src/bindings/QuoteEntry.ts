// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type QuoteEntry = { id: number, versionId: number, sourceId: number, speaker: string | null, text: string, start: number, end: number, sourceTitle: string, sourceUrl: string | null, versionSeq: number, capturedAt: string, };
