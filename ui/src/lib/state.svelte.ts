// App-wide UI state (Svelte 5 runes): what the sidebar selected, what the
// detail pane shows, and a revision counter that every view re-reads on.

export type Section =
  | { kind: 'library' }
  | { kind: 'watched' }
  | { kind: 'changed' }
  | { kind: 'project'; id: number }
  | { kind: 'tag'; name: string }
  | { kind: 'notes' }
  | { kind: 'quotes' }
  | { kind: 'search' }
  | { kind: 'inbox' }
  | { kind: 'feeds' };

export type Detail =
  | { kind: 'none' }
  | { kind: 'clip' }
  | { kind: 'reader'; sourceId: number; versionId: number | null }
  | { kind: 'compare'; sourceId: number; oldId: number | null; newId: number | null }
  | { kind: 'note'; noteId: number }
  | { kind: 'manage' }
  | { kind: 'verify' }
  | { kind: 'team' };

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export const ui = $state({
  section: { kind: 'library' } as Section,
  detail: { kind: 'none' } as Detail,
  paletteOpen: false,
  /** Bumped on every `library-changed` event: views that read it refetch. */
  revision: 0,
  /** Bumped when only the team link's record changed (a sync ran): the team status refetches. */
  teamRevision: 0,
  toasts: [] as Toast[],
  /** Set by Ctrl+F so the search pane focuses its input. */
  focusSearch: 0,
  /** Set by Ctrl+L so the clip screen focuses its input. */
  focusClip: 0,
  /** The source last opened in the reader: the citation picker offers its highlights. */
  lastSourceId: null as number | null,
  /** Files dropped on the window (native drag and drop), waiting for the Clip screen. */
  dropped: null as string[] | null,
  /** True while files are dragged over the window. */
  dragging: false,
});

let toastSeq = 0;

export function toast(text: string, kind: Toast['kind'] = 'info', ms = 6000): void {
  const id = ++toastSeq;
  ui.toasts.push({ id, kind, text });
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  const i = ui.toasts.findIndex((t) => t.id === id);
  if (i >= 0) ui.toasts.splice(i, 1);
}

export function openReader(sourceId: number, versionId: number | null = null): void {
  ui.detail = { kind: 'reader', sourceId, versionId };
  ui.lastSourceId = sourceId;
}

export function openCompare(sourceId: number, oldId: number | null = null, newId: number | null = null): void {
  ui.detail = { kind: 'compare', sourceId, oldId, newId };
}

export function openNote(noteId: number): void {
  if (ui.section.kind !== 'notes') ui.section = { kind: 'notes' };
  ui.detail = { kind: 'note', noteId };
}

export function openClip(): void {
  ui.detail = { kind: 'clip' };
  ui.focusClip++;
}

export function openSearch(): void {
  ui.section = { kind: 'search' };
  ui.focusSearch++;
}

export function sameSection(a: Section, b: Section): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'project' && b.kind === 'project') return a.id === b.id;
  if (a.kind === 'tag' && b.kind === 'tag') return a.name.toLowerCase() === b.name.toLowerCase();
  return true;
}
