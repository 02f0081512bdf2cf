// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type CaptureMethod = "fetch" | "file" | "paste" | "browser" | "feed";
