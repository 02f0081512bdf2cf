import { describe, expect, it } from 'vitest';
import { commandFor, isMac, shortcutLabel } from './keymap';

const ev = (key: string, o: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean; edit: boolean }> = {}) => ({
  key,
  ctrlKey: !!o.ctrl,
  metaKey: !!o.meta,
  shiftKey: !!o.shift,
  altKey: !!o.alt,
  inEditable: !!o.edit,
});

describe('commandFor', () => {
  it('maps Ctrl shortcuts on Linux', () => {
    expect(commandFor(ev('k', { ctrl: true }))).toBe('palette');
    expect(commandFor(ev('K', { ctrl: true }))).toBe('palette');
    expect(commandFor(ev('l', { ctrl: true }))).toBe('clip');
    expect(commandFor(ev('n', { ctrl: true }))).toBe('new-note');
    expect(commandFor(ev('f', { ctrl: true }))).toBe('search');
    expect(commandFor(ev('Escape'))).toBe('close');
  });
  it('uses Cmd on macOS and ignores Ctrl there', () => {
    expect(commandFor(ev('k', { meta: true }), true)).toBe('palette');
    expect(commandFor(ev('k', { ctrl: true }), true)).toBeNull();
    expect(commandFor(ev('k', { meta: true }), false)).toBeNull();
  });
  it('lets plain keys through while typing', () => {
    expect(commandFor(ev('j'))).toBe('list-down');
    expect(commandFor(ev('j', { edit: true }))).toBeNull();
    expect(commandFor(ev('n', { edit: true }))).toBeNull();
    expect(commandFor(ev('l', { ctrl: true, edit: true }))).toBe('clip');
    expect(commandFor(ev('l', { ctrl: true, alt: true }))).toBeNull();
    expect(commandFor(ev('l', { ctrl: true, shift: true }))).toBeNull();
  });
  it('labels shortcuts per platform', () => {
    expect(shortcutLabel('palette')).toBe('Ctrl+K');
    expect(shortcutLabel('clip', true)).toBe('⌘L');
    expect(shortcutLabel('close')).toBe('Esc');
    expect(isMac('MacIntel')).toBe(true);
    expect(isMac('Linux x86_64')).toBe(false);
  });
});
