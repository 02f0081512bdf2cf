// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { BlockKind } from "./BlockKind";

export type Block = { kind: BlockKind, text: string, };
