// Short names of the inbox's alert kinds, for its chips.
import type { AlertKind } from './types';

const LABELS: Record<AlertKind, string> = {
  cited: 'Cited passage',
  gone: 'Gone',
  redirected: 'Redirected',
  headline: 'Headline',
  quote: 'Quote',
  number: 'Figure',
  feed: 'From a feed',
  edited: 'Revised',
};

export function alertKindLabel(kind: AlertKind): string {
  return LABELS[kind] ?? kind;
}
