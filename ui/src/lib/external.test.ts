import { describe, expect, it } from 'vitest';
import { isSafeExternal } from './external';

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
