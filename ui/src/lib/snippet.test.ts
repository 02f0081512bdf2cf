import { describe, expect, it } from 'vitest';
import { groupBySpeaker, parseSnippet, readSnippet } from './snippet';

describe('parseSnippet', () => {
  it('splits matches from context', () => {
    expect(parseSnippet('… the \u0002ceasefire\u0003 held until \u0002dawn\u0003')).toEqual([
      { text: '… the ', match: false },
      { text: 'ceasefire', match: true },
      { text: ' held until ', match: false },
      { text: 'dawn', match: true },
    ]);
  });
  it('keeps markup as text and tolerates an unclosed marker', () => {
    expect(parseSnippet('<img onerror=x> \u0002停戦\u0003交渉')).toEqual([
      { text: '<img onerror=x> ', match: false },
      { text: '停戦', match: true },
      { text: '交渉', match: false },
    ]);
    expect(parseSnippet('a \u0002b')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
    expect(parseSnippet('[x] and [y]', '[', ']')).toEqual([
      { text: 'x', match: true },
      { text: ' and ', match: false },
      { text: 'y', match: true },
    ]);
  });
});

describe('groupBySpeaker', () => {
  it('sorts named speakers and puts unattributed last', () => {
    const g = groupBySpeaker([
      { speaker: 'Kim Yo-jong', text: 'a' },
      { speaker: null, text: 'b' },
      { speaker: 'Artyom Lukin', text: 'c' },
      { speaker: 'Kim Yo-jong', text: 'd' },
      { speaker: ' ', text: 'e' },
    ]);
    expect(g.map((x) => [x.speaker, x.items.map((i) => i.text).join('')])).toEqual([
      ['Artyom Lukin', 'c'],
      ['Kim Yo-jong', 'ad'],
      ['Unattributed', 'be'],
    ]);
  });
});

describe('readSnippet', () => {
  it('reads either marking as text', () => {
    expect(readSnippet('a \u0002b\u0003')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
    expect(readSnippet('&lt;script&gt; the <mark>missile</mark> &amp; more')).toEqual([
      { text: '<script> the ', match: false },
      { text: 'missile', match: true },
      { text: ' & more', match: false },
    ]);
    expect(readSnippet('plain')).toEqual([{ text: 'plain', match: false }]);
  });
  it('decodes an escaped snippet with no match in it (the hit matched the title)', () => {
    expect(readSnippet('Tokyo&#39;s first reaction was sharp: &quot;grave&quot;')).toEqual([
      { text: 'Tokyo\'s first reaction was sharp: "grave"', match: false },
    ]);
  });
});
