// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type ClipOutcome = { sourceId: number, versionId: number, 
/**
 * Version number within the source (1, 2, …).
 */
versionSeq: number, captureId: number, newSource: boolean, newVersion: boolean, title: string, url: string | null, };
