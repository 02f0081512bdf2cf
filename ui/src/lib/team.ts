// How the team link reads in the sidebar and the team pane: one line a
// reporter can trust at a glance ("Synced 2 min ago", "Offline since …").

import type { TeamLink } from '../bindings/TeamLink';
import { relativeTime } from './format';

export type SyncTone = 'ok' | 'never' | 'offline' | 'failed';

export interface SyncLine {
  tone: SyncTone;
  /** The short line under the team library's name. */
  label: string;
  /** The longer explanation (tooltip, pane). */
  detail: string;
}

/** The server could not be reached: the desk works offline and catches up later. */
function unreachable(error: string): boolean {
  return error.startsWith('cannot reach the team server');
}

/** The sync state of `link` as of `now`. */
export function syncLine(link: TeamLink, now: Date = new Date()): SyncLine {
  const last = link.lastSyncAt ? relativeTime(link.lastSyncAt, now) : '';
  if (link.lastError) {
    const since = last ? `last sync ${last}` : 'never synced';
    if (unreachable(link.lastError)) {
      return {
        tone: 'offline',
        label: `Offline · ${since}`,
        detail: `The team server cannot be reached; everything you do is kept here and goes up at the next sync (${since}).`,
      };
    }
    return { tone: 'failed', label: `Sync failed · ${since}`, detail: link.lastError };
  }
  if (!link.lastSyncAt) {
    return { tone: 'never', label: 'Not synced yet', detail: 'The first sync runs within a minute.' };
  }
  return { tone: 'ok', label: `Synced ${last}`, detail: `Up to version ${link.sinceVersion} of ${link.libraryName}.` };
}

/** Viewers read the team library; only owners and editors share and write. */
export function canWrite(link: TeamLink): boolean {
  return link.role === 'owner' || link.role === 'editor';
}

/** "3 in, 1 out" for a sync report; "Nothing new" when nothing moved. */
export function syncSummary(pulled: number, pushed: number): string {
  if (pulled === 0 && pushed === 0) return 'Nothing new';
  return `${pulled} in, ${pushed} out`;
}
