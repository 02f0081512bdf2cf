// The Compare screen's model: the core's structured diff → rows for the inline
// (track-changes) view and the side-by-side view, and the change cursor.

import type { BlockDiff, Span, Summary } from './types';

export interface Side {
  /** 1-based paragraph number in that version. */
  number: number;
  parts: Span[];
}

export interface Row {
  op: BlockDiff['op'];
  left: Side | null;
  right: Side | null;
  /** "moved from ¶4" on the new side of a moved block. */
  movedLabel: string | null;
}

function whole(op: Span['op'], text: string | null | undefined): Span[] {
  return text ? [{ op, text }] : [];
}

/** Word spans for the inline view: deletions and insertions interleaved. */
export function inlineParts(b: BlockDiff): Span[] {
  switch (b.op) {
    case 'unchanged':
      return whole('equal', b.newText || b.oldText);
    case 'added':
      return whole('insert', b.newText);
    case 'removed':
      return whole('delete', b.oldText);
    case 'edited':
    case 'moved':
      return b.spans.length ? b.spans : whole('equal', b.newText || b.oldText);
  }
}

/** The old side keeps equal and deleted words; the new side equal and inserted ones. */
export function sideParts(spans: Span[], side: 'old' | 'new'): Span[] {
  const drop = side === 'old' ? 'insert' : 'delete';
  return spans.filter((w) => w.op !== drop);
}

export function movedLabel(b: BlockDiff): string | null {
  if (b.op !== 'moved' || b.oldIndex == null) return null;
  return `moved from ¶${b.oldIndex + 1}${b.edited ? ' and edited' : ''}`;
}

/** Aligned rows for the side-by-side view, in the diff's order. */
export function sideRows(blocks: BlockDiff[]): Row[] {
  return blocks.map((b) => {
    const spans = inlineParts(b);
    const left = b.oldIndex != null && b.op !== 'added' ? { number: b.oldIndex + 1, parts: sideParts(spans, 'old') } : null;
    const right = b.newIndex != null && b.op !== 'removed' ? { number: b.newIndex + 1, parts: sideParts(spans, 'new') } : null;
    return { op: b.op, left, right, movedLabel: movedLabel(b) };
  });
}

/** Indices of blocks that changed, for next / previous change. */
export function changeIndices(blocks: BlockDiff[]): number[] {
  const out: number[] = [];
  blocks.forEach((b, i) => {
    if (b.op !== 'unchanged') out.push(i);
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

/** "2 added · 1 removed · 3 edited · 1 moved", or "No changes to the body". */
export function countsLine(s: Summary): string {
  const parts: string[] = [];
  const n = (k: number, w: string) => `${k} paragraph${k === 1 ? '' : 's'} ${w}`;
  if (s.paragraphsAdded) parts.push(n(s.paragraphsAdded, 'added'));
  if (s.paragraphsRemoved) parts.push(n(s.paragraphsRemoved, 'removed'));
  if (s.paragraphsEdited) parts.push(n(s.paragraphsEdited, 'edited'));
  if (s.paragraphsMoved) parts.push(n(s.paragraphsMoved, 'moved'));
  return parts.length ? parts.join(' · ') : 'No changes to the body';
}

/** True when the summary has nothing to report at all. */
export function isEmptySummary(s: Summary): boolean {
  return (
    !s.headline &&
    !s.byline &&
    s.paragraphsAdded + s.paragraphsRemoved + s.paragraphsEdited + s.paragraphsMoved === 0 &&
    s.quotesAltered.length === 0 &&
    s.numbersChanged.length === 0 &&
    s.corrections.length === 0
  );
}
