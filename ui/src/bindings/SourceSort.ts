// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type SourceSort = "captured_desc" | "captured_asc" | "published" | "title" | "site";
