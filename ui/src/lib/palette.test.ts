import { describe, expect, it } from 'vitest';
import { filterPalette, matchScore } from './palette';

const items = [
  { id: 'open', label: 'Open in browser' },
  { id: 'new-note', label: 'New note' },
  { id: 'clip', label: 'Clip a URL' },
  { id: 'compare', label: 'Compare versions', keywords: 'diff changes' },
  { id: 'src-1', label: 'Ceasefire talks stall as Seoul weighs response' },
  { id: 'src-2', label: 'Переговоры о перемирии зашли в тупик' },
];

describe('palette filter', () => {
  it('needs every character in order', () => {
    expect(matchScore('nn', 'New note')).toBeGreaterThan(0);
    expect(matchScore('xz', 'New note')).toBe(-1);
    expect(matchScore('', 'anything')).toBe(0);
  });
  it('ranks word starts first', () => {
    expect(filterPalette(items, 'nn').map((i) => i.id)).toEqual(['new-note', 'open']);
    expect(filterPalette(items, 'clip').map((i) => i.id)).toEqual(['clip', 'src-1']);
  });
  it('matches keywords and other scripts', () => {
    expect(filterPalette(items, 'diff').map((i) => i.id)).toEqual(['compare']);
    expect(filterPalette(items, 'перем').map((i) => i.id)).toEqual(['src-2']);
  });
  it('returns everything (up to the limit) for an empty query', () => {
    expect(filterPalette(items, '  ').length).toBe(6);
    expect(filterPalette(items, '', 2).map((i) => i.id)).toEqual(['open', 'new-note']);
  });
});
