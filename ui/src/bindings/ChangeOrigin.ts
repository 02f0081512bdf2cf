// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type ChangeOrigin = "app" | "external" | "watch";
