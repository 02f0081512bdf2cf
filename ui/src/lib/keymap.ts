// The app's keyboard map: a key event → a command id. Kept apart from the DOM
// so the bindings are tested and listed in the palette with their keys.

export type CommandId =
  | 'palette'
  | 'clip'
  | 'new-note'
  | 'search'
  | 'close'
  | 'next-change'
  | 'prev-change'
  | 'list-down'
  | 'list-up'
  | 'open';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** True when the event comes from a text field or the note editor. */
  inEditable?: boolean;
}

interface Binding {
  key: string;
  mod: boolean;
  shift?: boolean;
  command: CommandId;
  /** Whether the binding also fires while typing in a field. */
  inFields: boolean;
}

const BINDINGS: Binding[] = [
  { key: 'k', mod: true, command: 'palette', inFields: true },
  { key: 'l', mod: true, command: 'clip', inFields: true },
  { key: 'n', mod: true, command: 'new-note', inFields: true },
  { key: 'f', mod: true, command: 'search', inFields: true },
  { key: 'escape', mod: false, command: 'close', inFields: true },
  { key: 'j', mod: false, command: 'list-down', inFields: false },
  { key: 'arrowdown', mod: false, command: 'list-down', inFields: false },
  { key: 'k', mod: false, command: 'list-up', inFields: false },
  { key: 'arrowup', mod: false, command: 'list-up', inFields: false },
  { key: 'enter', mod: false, command: 'open', inFields: false },
  { key: 'n', mod: false, command: 'next-change', inFields: false },
  { key: 'p', mod: false, command: 'prev-change', inFields: false },
];

/** Ctrl on Linux and Windows, Cmd on macOS. */
export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

export function commandFor(e: KeyLike, mac = false): CommandId | null {
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other || e.altKey) return null;
  const key = e.key.toLowerCase();
  for (const b of BINDINGS) {
    if (b.key !== key || b.mod !== mod || !!b.shift !== e.shiftKey) continue;
    if (e.inEditable && !b.inFields) continue;
    return b.command;
  }
  return null;
}

/** "Ctrl+K" / "⌘K" for the palette and tooltips. */
export function shortcutLabel(command: CommandId, mac = false): string {
  const b = BINDINGS.find((x) => x.command === command);
  if (!b) return '';
  const key = b.key.length === 1 ? b.key.toUpperCase() : b.key === 'escape' ? 'Esc' : b.key;
  if (!b.mod) return key;
  return mac ? `⌘${key}` : `Ctrl+${key}`;
}
