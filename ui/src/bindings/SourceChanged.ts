// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type SourceChanged = { sourceId: number, versionId: number, versionSeq: number, title: string, };
