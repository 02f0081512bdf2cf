// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type NoteFilter = { projectId: number | null, tag: string | null, includeArchived: boolean, };
