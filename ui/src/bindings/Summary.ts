// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { NumberChange } from "./NumberChange";
import type { QuoteChange } from "./QuoteChange";
import type { TextChange } from "./TextChange";

export type Summary = { headline: TextChange | null, byline: TextChange | null, paragraphsAdded: number, paragraphsRemoved: number, paragraphsEdited: number, paragraphsMoved: number, quotesAltered: Array<QuoteChange>, numbersChanged: Array<NumberChange>, corrections: Array<string>, };
