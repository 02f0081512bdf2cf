// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type QuoteChange = { speaker: string | null, from: string, to: string, };
