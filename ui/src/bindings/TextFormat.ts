// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type TextFormat = "html" | "text" | "markdown";
