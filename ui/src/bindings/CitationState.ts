// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type CitationState = "current" | "changed_after_cite" | "gone_after_cite";
