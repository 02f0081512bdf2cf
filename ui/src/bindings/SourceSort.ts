// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type SourceSort = "capturedDesc" | "capturedAsc" | "publishedDesc" | "publishedAsc" | "title" | "site";
