// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type Note = { id: number, title: string, body: string, createdAt: string, updatedAt: string, archived: boolean, projectIds: Array<number>, tags: Array<string>, };
