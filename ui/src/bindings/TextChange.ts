// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type TextChange = { from: string, to: string, };
