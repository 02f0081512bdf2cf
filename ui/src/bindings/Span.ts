// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { SpanOp } from "./SpanOp";

export type Span = { op: SpanOp, text: string, };
