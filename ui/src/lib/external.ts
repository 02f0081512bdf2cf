// External links never navigate the app window: they open in the system
// browser through plugin-opener, and only http(s) addresses are handed over.
import { openUrl } from '@tauri-apps/plugin-opener';

export function isSafeExternal(href: string | null | undefined): href is string {
  if (!href) return false;
  try {
    const u = new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export async function openExternal(href: string): Promise<void> {
  if (isSafeExternal(href)) await openUrl(href);
}

/** Where a `redline://` link in a rendered note points (the core writes `redline://version/34#h12`). */
export type InternalLink = { kind: 'version'; id: number; highlightId: number | null } | { kind: 'source'; id: number };

export function parseRedlineLink(href: string): InternalLink | null {
  const m = /^redline:\/\/(version|source)\/(\d+)(?:#h(\d+))?$/i.exec(href.trim());
  if (!m) return null;
  const id = Number(m[2]);
  if (m[1].toLowerCase() === 'source') return { kind: 'source', id };
  return { kind: 'version', id, highlightId: m[3] ? Number(m[3]) : null };
}

/**
 * Installed once on the document: any click on an <a href> (in the sanitised
 * note preview, the diff HTML, or our own links) is stopped; http(s) links go
 * to the system browser, anything else (javascript:, file:) does nothing.
 */
export function interceptLinks(
  doc: Document,
  onInternal: (link: InternalLink) => void,
  open: (href: string) => void = (h) => void openExternal(h),
): () => void {
  const handler = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!a) return;
    const href = a.getAttribute('href') ?? '';
    if (href.startsWith('#')) return;
    e.preventDefault();
    const internal = parseRedlineLink(href);
    if (internal) onInternal(internal);
    else if (isSafeExternal(href)) open(href);
  };
  doc.addEventListener('click', handler, true);
  doc.addEventListener('auxclick', handler, true);
  return () => {
    doc.removeEventListener('click', handler, true);
    doc.removeEventListener('auxclick', handler, true);
  };
}
