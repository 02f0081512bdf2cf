// The note view's reading of the core's citation statuses. The core reports a
// tagged state per citation; the UI needs: is the passage changed or gone since
// it was cited, the cited text, and where to go. (The word-level change is shown
// in the rendered note, which the core builds.)

export type CitationMark = 'current' | 'changed' | 'gone' | 'superseded' | 'missing';

export interface CitationView {
  key: string;
  mark: CitationMark;
  highlightId: number | null;
  citedText: string;
  latestVersionId: number | null;
  /** The source, when the core says which (else look it up from the version). */
  sourceId: number | null;
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Loose) : {});
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function markOf(state: string): CitationMark {
  const s = state.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (s === 'changedAfterCite') return 'changed';
  if (s === 'goneAfterCite') return 'gone';
  if (s === 'superseded') return 'superseded';
  if (s === 'missing') return 'missing';
  return 'current';
}

/**
 * Reads one citation status, in the core's shape (`state: { state, latestVersionId,
 * newText, spans: [{ kind, text }] }`, `citation`, `quote`, `latest`) or the flat
 * one the shell first described (`state: "changed_after_cite"`, `citedText`, …).
 */
export function citationView(raw: unknown, index = 0): CitationView {
  const c = obj(raw);
  const tagged = obj(c.state);
  const stateName = typeof c.state === 'string' ? c.state : (str(tagged.state) ?? 'current');
  const citation = obj(c.citation);
  const latest = obj(c.latest);
  const cited = obj(c.cited);
  const citationKind = str(citation.kind);
  const highlightId = num(c.highlightId) ?? (citationKind === 'highlight' ? num(citation.id) : null);
  return {
    key: `${citationKind ?? 'h'}${num(citation.id) ?? highlightId ?? index}-${index}`,
    mark: markOf(stateName),
    highlightId,
    citedText: str(c.quote) ?? str(c.citedText) ?? '',
    latestVersionId: num(tagged.latestVersionId) ?? num(c.latestVersionId) ?? num(latest.versionId),
    sourceId: num(latest.sourceId) ?? num(cited.sourceId),
  };
}

/** Citations the reporter must look at: the quoted passage changed or is gone. */
export function needsAttention(v: CitationView): boolean {
  return v.mark === 'changed' || v.mark === 'gone';
}
