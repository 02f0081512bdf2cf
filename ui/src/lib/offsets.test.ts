import { describe, expect, it } from 'vitest';
import { blockStarts, charLength, charToUtf16, segmentBlock, selectionRange, utf16ToChar } from './offsets';

describe('char offsets', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charLength('Seoul')).toBe(5);
    expect(charLength('𠮷野家')).toBe(3); // 𠮷 is outside the BMP
    expect('𠮷野家'.length).toBe(4);
    expect(utf16ToChar('𠮷野家', 2)).toBe(1);
    expect(charToUtf16('𠮷野家', 2)).toBe(3);
    expect(charToUtf16('abc', 10)).toBe(3);
  });
  it('places blocks with the "\\n\\n" separator', () => {
    expect(blockStarts(['Headline', '𠮷 is rare', 'مرحبا'])).toEqual([0, 10, 21]);
  });
});

describe('selectionRange', () => {
  const blocks = ['SEOUL, Nov. 26 — Talks stalled.', '“We will not yield,” said Kim Yo-jong.', '𠮷野家 reopened.'];
  it('maps a selection inside one block', () => {
    const r = selectionRange(blocks, { block: 1, offset: 1 }, { block: 1, offset: 18 });
    const joined = Array.from(blocks.join('\n\n'));
    expect(r).toEqual({ start: 34, end: 51 });
    expect(joined.slice(r!.start, r!.end).join('')).toBe('We will not yield');
  });
  it('orders reversed ends, spans blocks and trims whitespace', () => {
    const r = selectionRange(blocks, { block: 2, offset: 5 }, { block: 1, offset: 38 });
    expect(r).toEqual({ start: 73, end: 76 });
    expect(Array.from(blocks.join('\n\n')).slice(73, 76).join('')).toBe('𠮷野家');
    const across = selectionRange(blocks, { block: 1, offset: 30 }, { block: 2, offset: 3 });
    expect(Array.from(blocks.join('\n\n')).slice(across!.start, across!.end).join('')).toBe('Yo-jong.\n\n𠮷野');
  });
  it('is null for a collapsed selection', () => {
    expect(selectionRange(blocks, { block: 0, offset: 4 }, { block: 0, offset: 4 })).toBeNull();
    expect(selectionRange(blocks, { block: 0, offset: 5 }, { block: 0, offset: 7 })).toEqual({ start: 5, end: 6 });
  });
});

describe('segmentBlock', () => {
  it('splits a block at highlights given in joined-text offsets', () => {
    const text = '“We will not yield,” said Kim Yo-jong.';
    expect(segmentBlock(text, 33, [{ id: 7, start: 34, end: 51 }])).toEqual([
      { text: '“', highlightId: null },
      { text: 'We will not yield', highlightId: 7 },
      { text: ',” said Kim Yo-jong.', highlightId: null },
    ]);
  });
  it('clips highlights that run across blocks and handles astral chars', () => {
    expect(segmentBlock('𠮷野家 reopened.', 70, [{ id: 2, start: 60, end: 72 }])).toEqual([
      { text: '𠮷野', highlightId: 2 },
      { text: '家 reopened.', highlightId: null },
    ]);
    expect(segmentBlock('plain', 0, [])).toEqual([{ text: 'plain', highlightId: null }]);
  });
  it('lets the earlier highlight win where two overlap', () => {
    expect(segmentBlock('abcdef', 0, [
      { id: 1, start: 0, end: 4 },
      { id: 2, start: 2, end: 6 },
    ])).toEqual([
      { text: 'abcd', highlightId: 1 },
      { text: 'ef', highlightId: 2 },
    ]);
  });
});
