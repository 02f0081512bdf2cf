// Formatting for lists, the reader and the timeline. Times arrive as RFC 3339 UTC.

import type { LowConfidence } from '../bindings/LowConfidence';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function relativeTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = now.getTime() - t;
  if (d < 0) return shortDate(iso);
  if (d < MINUTE) return 'just now';
  if (d < HOUR) return `${Math.floor(d / MINUTE)} min ago`;
  if (d < DAY) return `${Math.floor(d / HOUR)} h ago`;
  if (d < 7 * DAY) {
    const n = Math.floor(d / DAY);
    return n === 1 ? 'yesterday' : `${n} days ago`;
  }
  return shortDate(iso);
}

/** "2026-11-26" from an RFC 3339 time; the input itself when it is not one. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(iso);
  return m ? m[1] : iso;
}

/** "2026-11-26 23:05 UTC": capture times are shown in UTC, as evidence. */
export function utcTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** The host of a URL without "www.", for the outlet column. */
export function hostOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** "1 version" / "3 versions". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const OUTCOME_LABELS: Record<string, string> = {
  new_version: 'New version',
  unchanged: 'Unchanged',
  not_modified: 'Unchanged (304)',
  failed: 'Failed',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome;
}

const LOW_CONFIDENCE: Record<LowConfidence, string> = {
  empty: 'Redline found no article text on this page.',
  shortOfPage: 'The text shown is far shorter than the page; part of the article may be missing.',
  mostlyLinks: 'The text shown is mostly links; it may be a menu or a list of other stories.',
};

/** Why the reader marks a version: the extraction may have missed the article. */
export function lowConfidenceLabel(kind: LowConfidence): string {
  return LOW_CONFIDENCE[kind] ?? 'Redline may have missed part of this article.';
}

/** The size of a capture for people: "812 KB", "3.4 MB". */
export function byteSize(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** A title to show even when extraction found none. */
export function displayTitle(title: string | null | undefined, url?: string | null): string {
  const t = (title ?? '').trim();
  if (t) return t;
  return hostOf(url) || 'Untitled';
}

/** True when the text is a single http(s) URL (the Clip box then fetches instead of pasting). */
export function looksLikeUrl(text: string): boolean {
  const t = text.trim();
  if (!/^https?:\/\/\S+$/i.test(t)) return false;
  try {
    const u = new URL(t);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Format of a pasted or dropped text: HTML if it looks like markup, Markdown for .md. */
export function guessFormat(text: string, fileName = ''): 'html' | 'text' | 'markdown' {
  const name = fileName.toLowerCase();
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown';
  if (name.endsWith('.html') || name.endsWith('.htm')) return 'html';
  if (name.endsWith('.txt')) return 'text';
  const head = text.trimStart().slice(0, 512).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(p|div|article|body|h1)[\s>]/.test(head))
    return 'html';
  return 'text';
}

/** Files the Clip screen accepts when dropped. */
export function isClippableFile(name: string): boolean {
  return /\.(html?|txt|md)$/i.test(name);
}

/** Sources whose title, outlet or URL contain every word of `query` (case-insensitive). */
export function filterSources<T extends { title: string; siteName: string | null; url: string | null }>(
  items: T[],
  query: string,
): T[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items;
  return items.filter((s) => {
    const hay = `${s.title} ${s.siteName ?? ''} ${s.url ?? ''}`.toLocaleLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The first `max` characters of a passage, cut at a word when one is near, with an ellipsis. */
export function excerpt(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > max * 0.6 ? head.slice(0, space) : head).trimEnd()}…`;
}
