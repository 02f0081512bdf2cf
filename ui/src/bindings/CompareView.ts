// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { Diff } from "./Diff";
import type { VersionSummary } from "./VersionSummary";

export type CompareView = { old: VersionSummary, new: VersionSummary, diff: Diff, html: string, };
