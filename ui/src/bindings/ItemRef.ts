// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
export type ItemRef = { id: number, title: string, otherProjects: number, };
