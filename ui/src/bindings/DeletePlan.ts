// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type DeletePlan = { projectId: number, projectName: string, sourcesDeleted: Array<number>, sourcesKept: Array<number>, notesUnlinked: Array<number>, };
