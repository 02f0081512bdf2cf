// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type TagCount = { id: number, name: string, sourceCount: number, noteCount: number, };
