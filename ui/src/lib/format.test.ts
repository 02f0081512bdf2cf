import { describe, expect, it } from 'vitest';
import {
  displayTitle,
  excerpt,
  filterSources,
  guessFormat,
  hostOf,
  isClippableFile,
  looksLikeUrl,
  byteSize,
  lowConfidenceLabel,
  outcomeLabel,
  plural,
  relativeTime,
  shortDate,
  utcTime,
} from './format';

const now = new Date('2026-11-26T23:00:00Z');

describe('relativeTime', () => {
  it('counts back from now', () => {
    expect(relativeTime('2026-11-26T22:59:30Z', now)).toBe('just now');
    expect(relativeTime('2026-11-26T22:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-11-26T20:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-11-25T20:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-11-23T20:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime('2026-10-01T08:00:00Z', now)).toBe('2026-10-01');
  });
  it('keeps what it cannot parse and shows future times as dates', () => {
    expect(relativeTime('vor 5 Minuten', now)).toBe('vor 5 Minuten');
    expect(relativeTime('2026-12-01T00:00:00Z', now)).toBe('2026-12-01');
    expect(relativeTime(null, now)).toBe('');
  });
});

describe('dates', () => {
  it('shows UTC capture times', () => {
    expect(utcTime('2026-11-27T01:05:09+02:00')).toBe('2026-11-26 23:05 UTC');
    expect(shortDate('2026-11-26T23:05:00Z')).toBe('2026-11-26');
    expect(shortDate('Tuesday')).toBe('Tuesday');
  });
});

describe('labels', () => {
  it('names outlets, counts and outcomes', () => {
    expect(hostOf('https://www.yna.co.kr/view/AEN2026112600315')).toBe('yna.co.kr');
    expect(hostOf('not a url')).toBe('');
    expect(plural(1, 'version')).toBe('1 version');
    expect(plural(12000, 'source')).toBe('12,000 sources');
    expect(outcomeLabel('not_modified')).toBe('Unchanged (304)');
    expect(outcomeLabel('failed')).toBe('Failed');
    expect(displayTitle('  ', 'https://www.tass.ru/x')).toBe('tass.ru');
    expect(displayTitle('', null)).toBe('Untitled');
  });
});

describe('clip input', () => {
  it('tells a URL from pasted text', () => {
    expect(looksLikeUrl(' https://example.org/world/summit-ends ')).toBe(true);
    expect(looksLikeUrl('javascript:alert(1)')).toBe(false);
    expect(looksLikeUrl('file:///etc/passwd')).toBe(false);
    expect(looksLikeUrl('https://example.org/a then more words')).toBe(false);
  });
  it('guesses the format of pasted text and files', () => {
    expect(guessFormat('<!DOCTYPE html><html><body><p>x</p>')).toBe('html');
    expect(guessFormat('<p>Seoul, Nov. 26 (Yonhap)</p>')).toBe('html');
    expect(guessFormat('SEOUL, Nov. 26 — North Korea said…')).toBe('text');
    expect(guessFormat('# Notes', 'brief.MD')).toBe('markdown');
    expect(isClippableFile('kcna-2026-11-26.htm')).toBe(true);
    expect(isClippableFile('photo.jpg')).toBe(false);
  });
});

describe('filterSources', () => {
  const rows = [
    { title: 'Ceasefire talks stall', siteName: 'Yonhap', url: 'https://en.yna.co.kr/a' },
    { title: 'Переговоры зашли в тупик', siteName: 'TASS', url: 'https://tass.ru/b' },
    { title: '停戦交渉が決裂', siteName: null, url: 'https://www3.nhk.or.jp/c' },
  ];
  it('matches every word in title, outlet or URL', () => {
    expect(filterSources(rows, 'talks yonhap').map((r) => r.siteName)).toEqual(['Yonhap']);
    expect(filterSources(rows, 'ПЕРЕГОВОРЫ').map((r) => r.siteName)).toEqual(['TASS']);
    expect(filterSources(rows, '交渉').map((r) => r.url)).toEqual(['https://www3.nhk.or.jp/c']);
    expect(filterSources(rows, '  ').length).toBe(3);
    expect(filterSources(rows, 'talks tass')).toEqual([]);
  });
});

describe('excerpt', () => {
  it('keeps a short passage whole, flattening its whitespace', () => {
    expect(excerpt('  “We will not\nretreat,” she said. ')).toBe('“We will not retreat,” she said.');
  });
  it('cuts a long passage at a word and marks the cut', () => {
    const text = 'The ministry said 30,000 troops would be withdrawn from the border region by the end of March, officials confirmed.';
    expect(excerpt(text, 40)).toBe('The ministry said 30,000 troops would…');
  });
  it('cuts unspaced text by characters, never inside a surrogate pair', () => {
    expect(excerpt('外交部发言人表示双方将继续保持沟通𠀀', 17)).toBe('外交部发言人表示双方将继续保持沟通…');
    expect(excerpt('外交部发言人表示双方将继续保持沟通𠀀𠀀', 18)).toBe('外交部发言人表示双方将继续保持沟通𠀀…');
  });
});

describe('low confidence', () => {
  it('says why a version is marked, for every flag the core sends', () => {
    expect(lowConfidenceLabel('empty')).toMatch(/no article text/);
    expect(lowConfidenceLabel('shortOfPage')).toMatch(/part of the article may be missing/);
    expect(lowConfidenceLabel('mostlyLinks')).toMatch(/mostly links/);
  });
  it('gives capture sizes in readable units', () => {
    expect(byteSize(512)).toBe('512 bytes');
    expect(byteSize(81_200)).toBe('81 KB');
    expect(byteSize(3_400_000)).toBe('3.4 MB');
  });
});
