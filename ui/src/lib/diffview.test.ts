import { describe, expect, it } from 'vitest';
import { changeIndices, countsLine, inlineParts, isEmptySummary, sideRows, stepChange } from './diffview';
import type { BlockDiff, Summary } from './types';

const blocks: BlockDiff[] = [
  { change: 'equal', oldIndex: 0, newIndex: 0, oldText: 'SEOUL, Nov. 26 (Yonhap) —', newText: 'SEOUL, Nov. 26 (Yonhap) —', words: [] },
  {
    change: 'edited',
    oldIndex: 1,
    newIndex: 1,
    oldText: 'About 30,000 troops were moved.',
    newText: 'About 10,000 troops were moved.',
    words: [
      { op: 'equal', text: 'About ' },
      { op: 'delete', text: '30,000' },
      { op: 'insert', text: '10,000' },
      { op: 'equal', text: ' troops were moved.' },
    ],
  },
  { change: 'moved', oldIndex: 4, newIndex: 2, oldText: '“No,” said Park.', newText: '“No,” said Park.', words: [] },
  { change: 'deleted', oldIndex: 2, newIndex: null, oldText: 'Related: Summit diary', newText: null, words: [] },
  { change: 'inserted', oldIndex: null, newIndex: 3, oldText: null, newText: 'Correction: an earlier version misstated the figure.', words: [] },
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
    expect(rows[1].left).toEqual({ number: 2, parts: [{ op: 'equal', text: 'About ' }, { op: 'delete', text: '30,000' }, { op: 'equal', text: ' troops were moved.' }] });
    expect(rows[1].right!.parts.map((w) => w.text).join('')).toBe('About 10,000 troops were moved.');
    expect(rows[2].movedLabel).toBe('moved from ¶5');
    expect(rows[2].left!.number).toBe(5);
    expect(rows[2].right!.number).toBe(3);
    expect(rows[3].right).toBeNull();
    expect(rows[4].left).toBeNull();
    expect(rows[0].movedLabel).toBeNull();
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
      titleChanged: false, oldTitle: 'a', newTitle: 'a', bylineChanged: false,
      added: 1, removed: 1, edited: 1, moved: 1, quotes: [], numbers: [], corrections: [],
    };
    expect(countsLine(s)).toBe('1 added · 1 removed · 1 edited · 1 moved');
    expect(isEmptySummary(s)).toBe(false);
    const none = { ...s, added: 0, removed: 0, edited: 0, moved: 0 };
    expect(countsLine(none)).toBe('No changes to the body');
    expect(isEmptySummary(none)).toBe(true);
  });
});
