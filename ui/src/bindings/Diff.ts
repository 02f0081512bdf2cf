// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { BlockDiff } from "./BlockDiff";
import type { Summary } from "./Summary";
import type { TextChange } from "./TextChange";

export type Diff = { title: TextChange | null, byline: TextChange | null, blocks: Array<BlockDiff>, summary: Summary, };
