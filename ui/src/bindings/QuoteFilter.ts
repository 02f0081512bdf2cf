// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type QuoteFilter = { speaker: string | null, sourceId: number | null, text: string | null, };
