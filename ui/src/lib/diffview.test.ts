import { describe, expect, it } from 'vitest';
import { changeIndices, countsLine, inlineParts, isEmptySummary, movedLabel, sideRows, stepChange } from './diffview';
import type { BlockDiff, Summary } from './types';

const p = 'paragraph' as const;
const blocks: BlockDiff[] = [
  { op: 'unchanged', oldIndex: 0, newIndex: 0, kind: p, oldText: 'SEOUL, Nov. 26 (Yonhap) —', newText: 'SEOUL, Nov. 26 (Yonhap) —', edited: false, spans: [] },
  {
    op: 'edited',
    oldIndex: 1,
    newIndex: 1,
    kind: p,
    oldText: 'About 30,000 troops were moved.',
    newText: 'About 10,000 troops were moved.',
    edited: true,
    spans: [
      { op: 'equal', text: 'About ' },
      { op: 'delete', text: '30,000' },
      { op: 'insert', text: '10,000' },
      { op: 'equal', text: ' troops were moved.' },
    ],
  },
  { op: 'moved', oldIndex: 4, newIndex: 2, kind: p, oldText: '“No,” said Park.', newText: '“No,” said Park.', edited: false, spans: [] },
  { op: 'removed', oldIndex: 2, newIndex: null, kind: p, oldText: 'Related: Summit diary', newText: '', edited: false, spans: [] },
  { op: 'added', oldIndex: null, newIndex: 3, kind: p, oldText: '', newText: 'Correction: an earlier version misstated the figure.', edited: false, spans: [] },
];

describe('diff view model', () => {
  it('builds inline parts per change kind', () => {
    expect(inlineParts(blocks[0])).toEqual([{ op: 'equal', text: 'SEOUL, Nov. 26 (Yonhap) —' }]);
    expect(inlineParts(blocks[1]).map((w) => w.op)).toEqual(['equal', 'delete', 'insert', 'equal']);
    expect(inlineParts(blocks[3])).toEqual([{ op: 'delete', text: 'Related: Summit diary' }]);
    expect(inlineParts(blocks[4])).toEqual([{ op: 'insert', text: 'Correction: an earlier version misstated the figure.' }]);
  });
  it('aligns rows side by side with paragraph numbers and move labels', () => {
    const rows = sideRows(blocks);
    expect(rows[1].left).toEqual({
      number: 2,
      parts: [
        { op: 'equal', text: 'About ' },
        { op: 'delete', text: '30,000' },
        { op: 'equal', text: ' troops were moved.' },
      ],
    });
    expect(rows[1].right!.parts.map((w) => w.text).join('')).toBe('About 10,000 troops were moved.');
    expect(rows[2].movedLabel).toBe('moved from ¶5');
    expect(rows[2].left!.number).toBe(5);
    expect(rows[2].right!.number).toBe(3);
    expect(rows[3].right).toBeNull();
    expect(rows[4].left).toBeNull();
    expect(rows[0].movedLabel).toBeNull();
    expect(movedLabel({ ...blocks[2], edited: true })).toBe('moved from ¶5 and edited');
  });
  it('steps through changes and wraps', () => {
    const c = changeIndices(blocks);
    expect(c).toEqual([1, 2, 3, 4]);
    expect(stepChange(c, -1, 1)).toBe(1);
    expect(stepChange(c, 2, 1)).toBe(3);
    expect(stepChange(c, 4, 1)).toBe(1);
    expect(stepChange(c, 1, -1)).toBe(4);
    expect(stepChange(c, 3, -1)).toBe(2);
    expect(stepChange([], 0, 1)).toBeNull();
  });
  it('summarises counts', () => {
    const s: Summary = {
      headline: null,
      byline: null,
      paragraphsAdded: 1,
      paragraphsRemoved: 2,
      paragraphsEdited: 1,
      paragraphsMoved: 1,
      quotesAltered: [],
      numbersChanged: [],
      corrections: [],
    };
    expect(countsLine(s)).toBe('1 paragraph added · 2 paragraphs removed · 1 paragraph edited · 1 paragraph moved');
    expect(isEmptySummary(s)).toBe(false);
    const none = { ...s, paragraphsAdded: 0, paragraphsRemoved: 0, paragraphsEdited: 0, paragraphsMoved: 0 };
    expect(countsLine(none)).toBe('No changes to the body');
    expect(isEmptySummary(none)).toBe(true);
    expect(isEmptySummary({ ...none, headline: { from: 'a', to: 'b' } })).toBe(false);
  });
});
