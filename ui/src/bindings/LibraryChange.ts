// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { ChangeOrigin } from "./ChangeOrigin";

export type LibraryChange = { origin: ChangeOrigin, };
