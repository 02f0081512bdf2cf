// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type CaptureOutcome = "new_version" | "unchanged" | "not_modified" | "failed";
