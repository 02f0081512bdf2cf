import { describe, expect, it } from 'vitest';
import { clickSelect, emptySelection, pruneSelection } from './selection';

const order = [10, 11, 12, 13, 14];
const plain = { toggle: false, extend: false };
const toggle = { toggle: true, extend: false };
const extend = { toggle: false, extend: true };

describe('list selection', () => {
  it('selects one on a plain click', () => {
    const s = clickSelect(emptySelection(), order, 12, plain);
    expect([...s.ids]).toEqual([12]);
    expect(s.anchor).toBe(12);
  });
  it('toggles with Ctrl and extends with Shift from the anchor', () => {
    let s = clickSelect(emptySelection(), order, 11, plain);
    s = clickSelect(s, order, 13, toggle);
    expect([...s.ids].sort()).toEqual([11, 13]);
    s = clickSelect(s, order, 11, toggle);
    expect([...s.ids]).toEqual([13]);
    // The anchor is the last clicked row (11, even though it was toggled off).
    s = clickSelect(s, order, 13, extend);
    expect([...s.ids].sort()).toEqual([11, 12, 13]);
    expect(s.anchor).toBe(11);
    s = clickSelect(s, order, 10, plain);
    s = clickSelect(s, order, 12, toggle);
    s = clickSelect(s, order, 14, { toggle: true, extend: true });
    expect([...s.ids].sort()).toEqual([10, 12, 13, 14]);
  });
  it('keeps only ids still listed', () => {
    const s = pruneSelection({ ids: new Set([10, 12, 99]), anchor: 99 }, [10, 11, 12]);
    expect([...s.ids].sort()).toEqual([10, 12]);
    expect(s.anchor).toBeNull();
  });
});
