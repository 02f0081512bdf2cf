// Command palette filtering: subsequence match, ranked so that word starts and
// contiguous runs win ("nn" → "New note" before "Open in browser").

export interface PaletteItem {
  id: string;
  label: string;
  /** Extra words that also match (e.g. "compare" for "Diff"). */
  keywords?: string;
  hint?: string;
}

/** A score for `query` against `text`, or -1 when not every query char appears in order. */
export function matchScore(query: string, text: string): number {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  if (!q) return 0;
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const at = t.indexOf(ch, ti);
    if (at < 0) return -1;
    const wordStart = at === 0 || /[\s\-_/.:]/.test(t[at - 1]);
    score += 1;
    if (at === prev + 1) score += 3;
    if (wordStart) score += 5;
    if (at === 0) score += 2;
    prev = at;
    ti = at + 1;
  }
  // Prefer shorter labels when equally good.
  return score * 100 - Math.min(99, t.length);
}

export function filterPalette<T extends PaletteItem>(items: T[], query: string, limit = 50): T[] {
  if (!query.trim()) return items.slice(0, limit);
  const scored: { item: T; score: number; i: number }[] = [];
  items.forEach((item, i) => {
    const a = matchScore(query, item.label);
    const b = item.keywords ? matchScore(query, item.keywords) - 50 : -1;
    const score = Math.max(a, b);
    if (score >= 0) scored.push({ item, score, i });
  });
  scored.sort((x, y) => y.score - x.score || x.i - y.i);
  return scored.slice(0, limit).map((s) => s.item);
}
