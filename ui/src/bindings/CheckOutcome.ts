// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { CheckStatus } from "./CheckStatus";

export type CheckOutcome = { sourceId: number, status: CheckStatus, captureId: number | null, 
/**
 * The version the source now stands at (the new one, or the unchanged latest).
 */
versionId: number | null, versionSeq: number | null, title: string | null, 
/**
 * Error code and message when the check failed.
 */
errorCode: string | null, error: string | null, };
