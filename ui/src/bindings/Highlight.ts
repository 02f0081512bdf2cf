// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type Highlight = { id: number, sourceId: number, versionId: number, start: number, end: number, text: string, prefix: string, suffix: string, comment: string, label: string, createdAt: string, };
