import { describe, expect, it } from 'vitest';
import { alertKindLabel } from './alerts';
import type { AlertKind } from './types';

describe('alertKindLabel', () => {
  it('names every kind the core sends', () => {
    const kinds: AlertKind[] = ['cited', 'gone', 'redirected', 'headline', 'quote', 'number', 'feed', 'edited'];
    const labels = kinds.map(alertKindLabel);
    expect(new Set(labels).size).toBe(kinds.length);
    expect(alertKindLabel('number')).toBe('Figure');
  });
});
