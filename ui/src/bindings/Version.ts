// PROVISIONAL: written by hand until the Rust type lands; ts-rs regenerates this file.
import type { Block } from "./Block";
import type { Dir } from "./Dir";

export type Version = { id: number, sourceId: number, seq: number, createdAt: string, title: string, byline: string | null, siteName: string | null, lang: string | null, dir: Dir, publishedAt: string | null, modifiedAt: string | null, excerpt: string | null, blocks: Array<Block>, 
/**
 * Blocks joined by "\n\n"; highlight and quote offsets count chars in it.
 */
text: string, textSha256: string, };
