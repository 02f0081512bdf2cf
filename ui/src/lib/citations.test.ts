import { describe, expect, it } from 'vitest';
import { citationView, needsAttention } from './citations';

describe('citationView', () => {
  it('reads the core\'s tagged status', () => {
    const v = citationView({
      citation: { kind: 'highlight', id: 12, range: [10, 17] },
      cited: { versionId: 3, sourceId: 1, seq: 2, outlet: 'Example Wire', title: 't', url: null, capturedAt: 'x', textSha256: 'h' },
      quote: 'This is an outrageous act',
      latest: { versionId: 4, sourceId: 1, seq: 3, outlet: 'Example Wire', title: 't', url: null, capturedAt: 'y', textSha256: 'k' },
      state: {
        state: 'changedAfterCite',
        latestVersionId: 4,
        newText: 'This is a regrettable act',
        similarity: 0.7,
        spans: [
          { kind: 'equal', text: 'This is ' },
          { kind: 'delete', text: 'an outrageous' },
          { kind: 'insert', text: 'a regrettable' },
          { kind: 'equal', text: ' act' },
        ],
      },
    });
    expect(v).toEqual({
      key: 'highlight12-0',
      mark: 'changed',
      highlightId: 12,
      citedText: 'This is an outrageous act',
      latestVersionId: 4,
      sourceId: 1,
    });
    expect(needsAttention(v)).toBe(true);
  });
  it('reads the flat shape and other states', () => {
    const flat = citationView({ highlightId: 5, state: 'gone_after_cite', citedVersionId: 1, latestVersionId: 2, citedText: 'x', newText: null, spans: [] }, 3);
    expect(flat.mark).toBe('gone');
    expect(flat.highlightId).toBe(5);
    expect(flat.latestVersionId).toBe(2);
    expect(needsAttention(flat)).toBe(true);
    expect(citationView({ citation: { kind: 'version', id: 9 }, state: { state: 'superseded', latestVersionId: 11 } }).mark).toBe('superseded');
    expect(citationView({ citation: { kind: 'source', id: 9 }, state: { state: 'missing' } }).mark).toBe('missing');
    const cur = citationView({ citation: { kind: 'highlight', id: 1 }, state: { state: 'current', latestVersionId: 2 } });
    expect(cur.mark).toBe('current');
    expect(needsAttention(cur)).toBe(false);
  });
});
