// The Compare screen's model: the core's structured diff → rows for the inline
// (track-changes) view and the side-by-side view, and the change cursor.

import type { BlockDiff, Summary, WordOp } from './types';

export interface Side {
  /** 1-based paragraph number in that version. */
  number: number;
  parts: WordOp[];
}

export interface Row {
  change: BlockDiff['change'];
  left: Side | null;
  right: Side | null;
  /** "moved from ¶4" on the new side of a moved block. */
  movedLabel: string | null;
}

function whole(op: WordOp['op'], text: string | null): WordOp[] {
  return text ? [{ op, text }] : [];
}

/** Word spans for the inline view: deletions and insertions interleaved. */
export function inlineParts(b: BlockDiff): WordOp[] {
  switch (b.change) {
    case 'equal':
      return whole('equal', b.newText ?? b.oldText);
    case 'inserted':
      return whole('insert', b.newText);
    case 'deleted':
      return whole('delete', b.oldText);
    case 'edited':
    case 'moved':
      return b.words.length ? b.words : whole('equal', b.newText ?? b.oldText);
  }
}

/** The old side keeps equal and deleted words; the new side equal and inserted ones. */
export function sideParts(words: WordOp[], side: 'old' | 'new'): WordOp[] {
  const drop = side === 'old' ? 'insert' : 'delete';
  return words.filter((w) => w.op !== drop);
}

export function movedLabel(b: BlockDiff): string | null {
  if (b.change !== 'moved' || b.oldIndex == null) return null;
  return `moved from ¶${b.oldIndex + 1}`;
}

/** Aligned rows for the side-by-side view, in the diff's order. */
export function sideRows(blocks: BlockDiff[]): Row[] {
  return blocks.map((b) => {
    const words = inlineParts(b);
    const left =
      b.oldIndex != null && b.change !== 'inserted'
        ? { number: b.oldIndex + 1, parts: sideParts(words, 'old') }
        : null;
    const right =
      b.newIndex != null && b.change !== 'deleted'
        ? { number: b.newIndex + 1, parts: sideParts(words, 'new') }
        : null;
    return { change: b.change, left, right, movedLabel: movedLabel(b) };
  });
}

/** Indices of blocks that changed, for next / previous change. */
export function changeIndices(blocks: BlockDiff[]): number[] {
  const out: number[] = [];
  blocks.forEach((b, i) => {
    if (b.change !== 'equal') out.push(i);
  });
  return out;
}

/** The next (dir 1) or previous (dir -1) changed block after `current`, wrapping around. */
export function stepChange(changes: number[], current: number, dir: 1 | -1): number | null {
  if (changes.length === 0) return null;
  if (dir === 1) return changes.find((i) => i > current) ?? changes[0];
  for (let k = changes.length - 1; k >= 0; k--) if (changes[k] < current) return changes[k];
  return changes[changes.length - 1];
}

/** "2 added · 1 removed · 3 edited · 1 moved", or "No changes to the text". */
export function countsLine(s: Summary): string {
  const parts: string[] = [];
  if (s.added) parts.push(`${s.added} added`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.edited) parts.push(`${s.edited} edited`);
  if (s.moved) parts.push(`${s.moved} moved`);
  return parts.length ? parts.join(' · ') : 'No changes to the body';
}

/** True when the summary has nothing to report at all. */
export function isEmptySummary(s: Summary): boolean {
  return (
    !s.titleChanged &&
    !s.bylineChanged &&
    s.added + s.removed + s.edited + s.moved === 0 &&
    s.quotes.length === 0 &&
    s.numbers.length === 0 &&
    s.corrections.length === 0
  );
}
