import { describe, expect, it } from 'vitest';
import type { TeamLink } from '../bindings/TeamLink';
import { canWrite, syncLine, syncSummary } from './team';

const now = new Date('2026-12-01T10:00:00Z');

function link(over: Partial<TeamLink> = {}): TeamLink {
  return {
    serverUrl: 'https://team.example.org',
    libraryId: 1,
    libraryName: 'Foreign desk',
    member: 'ana',
    role: 'editor',
    sinceVersion: 42,
    lastSyncAt: null,
    lastAttemptAt: null,
    lastError: null,
    followsProjects: false,
    ...over,
  };
}

describe('syncLine', () => {
  it('says when the last sync went through', () => {
    const l = syncLine(link({ lastSyncAt: '2026-12-01T09:55:00Z', lastAttemptAt: '2026-12-01T09:55:00Z' }), now);
    expect(l.tone).toBe('ok');
    expect(l.label).toBe('Synced 5 min ago');
    expect(l.detail).toContain('version 42');
  });

  it('is honest about a library that never synced', () => {
    expect(syncLine(link(), now).tone).toBe('never');
  });

  it('calls an unreachable server offline, with the last sync that went through', () => {
    const l = syncLine(
      link({
        lastSyncAt: '2026-12-01T07:00:00Z',
        lastAttemptAt: '2026-12-01T09:59:00Z',
        lastError: 'cannot reach the team server: connection refused',
      }),
      now,
    );
    expect(l.tone).toBe('offline');
    expect(l.label).toBe('Offline · last sync 3 h ago');
  });

  it('shows any other failure as it is', () => {
    const l = syncLine(link({ lastError: 'the team server refused the token (revoked or unknown)' }), now);
    expect(l.tone).toBe('failed');
    expect(l.label).toBe('Sync failed · never synced');
    expect(l.detail).toContain('revoked');
  });
});

describe('roles and summaries', () => {
  it('lets owners and editors write, not viewers', () => {
    expect(canWrite(link({ role: 'owner' }))).toBe(true);
    expect(canWrite(link({ role: 'editor' }))).toBe(true);
    expect(canWrite(link({ role: 'viewer' }))).toBe(false);
  });

  it('summarises a sync', () => {
    expect(syncSummary(0, 0)).toBe('Nothing new');
    expect(syncSummary(12, 3)).toBe('12 in, 3 out');
  });
});
