// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type NoteSummary = { id: number, title: string, excerpt: string, createdAt: string, updatedAt: string, archived: boolean, };
