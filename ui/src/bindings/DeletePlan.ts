// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { ItemRef } from "./ItemRef";
import type { Project } from "./Project";

export type DeletePlan = { project: Project, exclusiveSources: Array<ItemRef>, sharedSources: Array<ItemRef>, notes: Array<ItemRef>, };
