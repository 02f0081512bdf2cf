// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type NoteRevision = { id: number, noteId: number, title: string, body: string, savedAt: string, burstStartedAt: string, };
