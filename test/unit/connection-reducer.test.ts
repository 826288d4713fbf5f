import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEARTBEAT_MS,
  freshness,
  initialConnection,
  onApplied,
  onConnected,
  onConnecting,
  onDisconnected,
  onHeartbeat,
  onUnauthorized,
} from '../../client/stores/connection-reducer';

const hb = (seq: number, intervalMs = 5000) => ({ at: '2026-11-25T00:00:00Z', seq, intervalMs });

describe('connection reducer', () => {
  it('goes connecting → connected and is live while heartbeats arrive', () => {
    const s = initialConnection();
    onConnecting(s);
    expect(s.status).toBe('connecting');
    expect(freshness(s, 0)).toBe('offline');
    onConnected(s, 1000);
    expect(s.status).toBe('connected');
    onHeartbeat(s, hb(0), 5000);
    expect(freshness(s, 9000)).toBe('live');
  });

  it('turns stale after 2.5 of the server’s own heartbeat periods of silence, and live again on the next one', () => {
    const s = initialConnection();
    onConnected(s, 0);
    // Before any heartbeat the default period applies.
    expect(freshness(s, DEFAULT_HEARTBEAT_MS * 2.5)).toBe('live');
    expect(freshness(s, DEFAULT_HEARTBEAT_MS * 2.5 + 1)).toBe('stale');
    onHeartbeat(s, hb(0, 5000), 0);
    expect(freshness(s, 12_500)).toBe('live');
    expect(freshness(s, 12_501)).toBe('stale');
    onHeartbeat(s, hb(0, 5000), 13_000);
    expect(freshness(s, 13_001)).toBe('live');
    onHeartbeat(s, hb(0, 1000), 20_000);
    expect(freshness(s, 22_600)).toBe('stale');
  });

  it('asks for a resync only after a snapshot and when the server is ahead', () => {
    const s = initialConnection();
    expect(onHeartbeat(s, hb(5), 0)).toBe(false);
    onApplied(s, 5, true);
    expect(onHeartbeat(s, hb(5), 0)).toBe(false);
    expect(onHeartbeat(s, hb(8), 0)).toBe(true);
    onApplied(s, 8, false);
    expect(onHeartbeat(s, hb(8), 0)).toBe(false);
  });

  it('counts reconnects and never moves lastSeq backwards except on a snapshot', () => {
    const s = initialConnection();
    onConnecting(s);
    onConnected(s, 0);
    onApplied(s, 10, true);
    onDisconnected(s);
    expect(s.status).toBe('reconnecting');
    expect(freshness(s, 0)).toBe('offline');
    onConnected(s, 100);
    expect(s.reconnects).toBe(1);
    onApplied(s, 7, false);
    expect(s.lastSeq).toBe(10);
    onApplied(s, 3, true);
    expect(s.lastSeq).toBe(3);
    expect(s.snapshots).toBe(2);
  });

  it('stays unauthorized through a disconnect', () => {
    const s = initialConnection();
    onUnauthorized(s);
    onDisconnected(s);
    expect(s.status).toBe('unauthorized');
    expect(freshness(s, 0)).toBe('offline');
  });
});
