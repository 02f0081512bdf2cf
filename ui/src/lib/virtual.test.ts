import { describe, expect, it } from 'vitest';
import { moveCursor, scrollToReveal, visibleWindow } from './virtual';

describe('visibleWindow', () => {
  it('renders only the rows in view plus overscan, for 100,000 rows', () => {
    const w = visibleWindow(500_000, 600, 50, 100_000, 5);
    expect(w).toEqual({ start: 9995, end: 10018, offsetTop: 499_750, totalHeight: 5_000_000 });
    expect(w.end - w.start).toBeLessThan(30);
  });
  it('starts at the top and clamps past the end', () => {
    expect(visibleWindow(0, 600, 50, 100_000, 5)).toEqual({ start: 0, end: 18, offsetTop: 0, totalHeight: 5_000_000 });
    const end = visibleWindow(9_999_999, 600, 50, 100_000, 5);
    expect(end.end).toBe(100_000);
    expect(end.start).toBe(99_983);
  });
  it('handles short and empty lists', () => {
    expect(visibleWindow(0, 600, 50, 3)).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 150 });
    expect(visibleWindow(100, 600, 50, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(visibleWindow(-40, 600, 50, 3).start).toBe(0);
  });
});

describe('keyboard cursor', () => {
  it('scrolls only when the row is out of view', () => {
    expect(scrollToReveal(3, 0, 600, 50)).toBeNull();
    expect(scrollToReveal(20, 0, 600, 50)).toBe(450);
    expect(scrollToReveal(2, 400, 600, 50)).toBe(100);
  });
  it('moves within bounds', () => {
    expect(moveCursor(-1, 1, 10)).toBe(0);
    expect(moveCursor(-1, -1, 10)).toBe(9);
    expect(moveCursor(9, 1, 10)).toBe(9);
    expect(moveCursor(5, -10, 10)).toBe(0);
    expect(moveCursor(0, 1, 0)).toBe(-1);
  });
});
