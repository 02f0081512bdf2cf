// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type VersionSummary = { id: number, sourceId: number, seq: number, createdAt: string, title: string, textSha256: string, 
/**
 * Words in the body, for a sense of size.
 */
words: number, };
