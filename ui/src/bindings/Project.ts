// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type Project = { id: number, name: string, description: string, archived: boolean, createdAt: string, updatedAt: string, sourceCount: number, noteCount: number, };
