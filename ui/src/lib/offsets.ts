// Offsets into a version's text count Unicode scalar values (chars) of the
// blocks joined by "\n\n" — the core's rule. JavaScript strings count UTF-16
// units, so every offset that crosses the boundary is converted here.

export const BLOCK_SEPARATOR_CHARS = 2;

/** Number of chars (code points) in `s`. */
export function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Chars before UTF-16 index `u` of `s`. */
export function utf16ToChar(s: string, u: number): number {
  return charLength(s.slice(0, Math.max(0, Math.min(u, s.length))));
}

/** UTF-16 index of char offset `c` in `s` (clamped to the string). */
export function charToUtf16(s: string, c: number): number {
  let n = 0;
  let i = 0;
  while (i < s.length && n < c) {
    const code = s.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < s.length ? 2 : 1;
    n++;
  }
  return i;
}

/** Char offset at which each block starts in the joined text. */
export function blockStarts(texts: string[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const t of texts) {
    out.push(at);
    at += charLength(t) + BLOCK_SEPARATOR_CHARS;
  }
  return out;
}

export interface CharRange {
  start: number;
  end: number;
}

/**
 * A DOM selection, given as (block index, UTF-16 offset within the block's text)
 * for both ends, as a char range of the joined text. Ends may come in any order;
 * surrounding whitespace is trimmed. Null for an empty selection.
 */
export function selectionRange(
  texts: string[],
  a: { block: number; offset: number },
  b: { block: number; offset: number },
): CharRange | null {
  const starts = blockStarts(texts);
  const abs = (p: { block: number; offset: number }) =>
    starts[p.block] + utf16ToChar(texts[p.block], p.offset);
  let start = abs(a);
  let end = abs(b);
  if (end < start) [start, end] = [end, start];
  const joined = Array.from(texts.join('\n\n'));
  while (start < end && /\s/.test(joined[start])) start++;
  while (end > start && /\s/.test(joined[end - 1])) end--;
  return end > start ? { start, end } : null;
}

export interface Segment {
  text: string;
  /** The highlight covering this run, if any (the earliest-starting one wins). */
  highlightId: number | null;
}

/**
 * Splits one block's text into runs, marking those covered by highlights.
 * `blockStart` is the block's char offset in the joined text; highlight ranges
 * are char ranges of the joined text. The reader renders each run as a text node.
 */
export function segmentBlock(
  text: string,
  blockStart: number,
  highlights: { id: number; start: number; end: number }[],
): Segment[] {
  const len = charLength(text);
  const blockEnd = blockStart + len;
  const cuts = new Set<number>([0, len]);
  const inBlock = highlights
    .filter((h) => h.end > blockStart && h.start < blockEnd)
    .map((h) => ({ id: h.id, s: Math.max(0, h.start - blockStart), e: Math.min(len, h.end - blockStart) }))
    .sort((x, y) => x.s - y.s || x.id - y.id);
  for (const h of inBlock) {
    cuts.add(h.s);
    cuts.add(h.e);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i];
    const e = points[i + 1];
    if (e <= s) continue;
    const cover = inBlock.find((h) => h.s <= s && h.e >= e);
    const piece = text.slice(charToUtf16(text, s), charToUtf16(text, e));
    const id = cover ? cover.id : null;
    const last = out[out.length - 1];
    if (last && last.highlightId === id) last.text += piece;
    else out.push({ text: piece, highlightId: id });
  }
  return out;
}
