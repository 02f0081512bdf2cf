// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type QuoteEntry = { id: number, speaker: string | null, text: string, sourceId: number, versionId: number, versionSeq: number, sourceTitle: string, capturedAt: string, };
