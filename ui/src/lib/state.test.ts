import { afterEach, describe, expect, it, vi } from 'vitest';
import { dismissToast, openCompare, openNote, openReader, sameSection, toast, ui } from './state.svelte';

afterEach(() => {
  vi.useRealTimers();
  ui.toasts.splice(0);
});

describe('app state', () => {
  it('compares sidebar sections', () => {
    expect(sameSection({ kind: 'library' }, { kind: 'library' })).toBe(true);
    expect(sameSection({ kind: 'project', id: 1 }, { kind: 'project', id: 2 })).toBe(false);
    expect(sameSection({ kind: 'tag', name: 'Korea' }, { kind: 'tag', name: 'korea' })).toBe(true);
    expect(sameSection({ kind: 'tag', name: 'korea' }, { kind: 'library' })).toBe(false);
  });
  it('routes the detail pane and remembers the last source read', () => {
    openReader(4, 9);
    expect(ui.detail).toEqual({ kind: 'reader', sourceId: 4, versionId: 9 });
    expect(ui.lastSourceId).toBe(4);
    openCompare(4);
    expect(ui.detail).toEqual({ kind: 'compare', sourceId: 4, oldId: null, newId: null });
    openNote(2);
    expect(ui.section).toEqual({ kind: 'notes' });
    expect(ui.detail).toEqual({ kind: 'note', noteId: 2 });
    expect(ui.lastSourceId).toBe(4);
  });
  it('shows toasts that go away by themselves', () => {
    vi.useFakeTimers();
    toast('Saved', 'info', 1000);
    toast('Could not clip', 'error', 5000);
    expect(ui.toasts.map((t) => t.text)).toEqual(['Saved', 'Could not clip']);
    vi.advanceTimersByTime(1001);
    expect(ui.toasts.map((t) => t.text)).toEqual(['Could not clip']);
    dismissToast(ui.toasts[0].id);
    expect(ui.toasts).toEqual([]);
  });
});
