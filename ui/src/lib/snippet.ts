// Search snippets arrive as plain text with match markers; the UI renders the
// parts as text nodes (<mark> for matches), never as HTML.

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Splits `s` at `open`/`close` markers (default: the core's \u0002 … \u0003). */
export function parseSnippet(s: string, open = '\u0002', close = '\u0003'): SnippetPart[] {
  const out: SnippetPart[] = [];
  let i = 0;
  let match = false;
  while (i < s.length) {
    const next = s.indexOf(match ? close : open, i);
    const end = next < 0 ? s.length : next;
    if (end > i) out.push({ text: s.slice(i, end), match });
    if (next < 0) break;
    i = next + (match ? close.length : open.length);
    match = !match;
  }
  return out;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * Reads a snippet whichever marking the core chose: \u0002…\u0003 markers on
 * plain text, or the search's HTML-escaped text with <mark>…</mark> (decoded
 * back to text here, also when nothing in it is marked, so it is still
 * rendered as text nodes and an apostrophe never shows as `&#39;`).
 */
export function readSnippet(s: string): SnippetPart[] {
  if (s.includes('\u0002')) return parseSnippet(s);
  return parseSnippet(s, '<mark>', '</mark>').map((p) => ({
    text: p.text.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m),
    match: p.match,
  }));
}

/** Groups items by speaker, named speakers alphabetically, unattributed last. */
export function groupBySpeaker<T extends { speaker: string | null }>(items: T[]): { speaker: string; items: T[] }[] {
  const map = new Map<string, T[]>();
  for (const it of items) {
    const k = it.speaker?.trim() || '';
    const list = map.get(k);
    if (list) list.push(it);
    else map.set(k, [it]);
  }
  const named = [...map.keys()].filter((k) => k).sort((a, b) => a.localeCompare(b));
  const groups = named.map((k) => ({ speaker: k, items: map.get(k)! }));
  if (map.has('')) groups.push({ speaker: 'Unattributed', items: map.get('')! });
  return groups;
}
