import { describe, expect, it } from 'vitest';
import { isSafeExternal, parseRedlineLink } from './external';

describe('isSafeExternal', () => {
  it('accepts only http(s)', () => {
    expect(isSafeExternal('https://www.kcna.kp/en/article/q/1.kcmsf')).toBe(true);
    expect(isSafeExternal('http://example.org')).toBe(true);
    expect(isSafeExternal('javascript:alert(1)')).toBe(false);
    expect(isSafeExternal('JaVaScRiPt:alert(1)')).toBe(false);
    expect(isSafeExternal('file:///etc/passwd')).toBe(false);
    expect(isSafeExternal('data:text/html,<script>')).toBe(false);
    expect(isSafeExternal('/relative')).toBe(false);
    expect(isSafeExternal(null)).toBe(false);
  });
});

describe('parseRedlineLink', () => {
  it('reads the core\'s citation links', () => {
    expect(parseRedlineLink('redline://version/34#h12')).toEqual({ kind: 'version', id: 34, highlightId: 12 });
    expect(parseRedlineLink('redline://version/34')).toEqual({ kind: 'version', id: 34, highlightId: null });
    expect(parseRedlineLink('redline://source/5')).toEqual({ kind: 'source', id: 5 });
  });
  it('refuses anything else', () => {
    expect(parseRedlineLink('redline://version/x')).toBeNull();
    expect(parseRedlineLink('redline://settings')).toBeNull();
    expect(parseRedlineLink('https://example.org/version/3')).toBeNull();
    expect(parseRedlineLink('javascript:redline://version/3')).toBeNull();
  });
});
