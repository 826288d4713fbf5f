import { describe, expect, it } from 'vitest';
import type { WorkerSummary } from '#common/dispatch/types';
import { applyPush, emptyWorkers, fromList, isStale, trackCollection, workersCollection, workersSummary } from '../../client/stores/workers-reducer';

const T = Date.parse('2026-03-06T02:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const worker = (id: string, at: number | null, onPatrol = false): WorkerSummary => ({
  id, name: `W${id}`, gridId: '510108001001001', regionId: '510108001001001', onDuty: true, openCases: 0, onPatrol,
  lastPosition: at === null ? null : { lng: 104.1, lat: 30.67, at: iso(at), accuracy: 5 },
});
const push = (sentAt: number, items: [string, number, boolean][]) => ({
  sentAt: iso(sentAt),
  items: items.map(([workerId, at, onPatrol]) => ({ workerId, onPatrol, position: { lng: 104.2, lat: 30.7, at: iso(at), accuracy: 4 } })),
});

describe('workers reducer', () => {
  it('takes the roster with last positions, keeping a newer pushed fix that raced the request', () => {
    let s = fromList(emptyWorkers(), [worker('a', T), worker('b', null)]);
    s = applyPush(s, push(T + 5000, [['a', T + 5000, true]]), T + 5000);
    const again = fromList(s, [worker('a', T), worker('b', null)]);
    expect(again.byId.get('a')!.position!.at).toBe(iso(T + 5000));
    expect(again.byId.get('b')!.position).toBeNull();
  });

  it('applies pushes: newer fixes only, patrol state, unknown workers skipped, same state when nothing changes', () => {
    const s0 = fromList(emptyWorkers(), [worker('a', T), worker('b', null)]);
    const s1 = applyPush(s0, push(T + 10_000, [['a', T + 10_000, true], ['b', T + 9000, false], ['zz', T, true]]), T + 10_000);
    expect(s1.byId.get('a')).toMatchObject({ onPatrol: true, position: { at: iso(T + 10_000) } });
    expect(s1.byId.get('b')!.position!.at).toBe(iso(T + 9000));
    expect(s1.byId.has('zz')).toBe(false);
    const older = applyPush(s1, push(T + 11_000, [['a', T + 1000, true]]), T + 11_000);
    expect(older.byId).toBe(s1.byId);
  });

  it('marks a marker stale after 2 minutes by the server clock', () => {
    let s = fromList(emptyWorkers(), [worker('a', T, true)]);
    // The server's clock runs 30 s ahead of this browser.
    s = applyPush(s, push(T + 30_000, []), T);
    const p = s.byId.get('a')!.position!;
    expect(isStale(p, T + 80_000, s.skewMs)).toBe(false);
    expect(isStale(p, T + 90_000, s.skewMs)).toBe(true);
    const fc = workersCollection(s, T + 95_000);
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]!.properties).toEqual({ id: 'a', name: 'Wa', stale: true, onPatrol: true });
    expect(workersSummary(s, T)).toEqual({ placed: 1, onPatrol: 1, stale: 0 });
  });

  it('draws a track as one line from two fixes on', () => {
    const f = (ms: number) => ({ lng: 104.1, lat: 30.67 + ms / 1e9, at: iso(ms), accuracy: null });
    expect(trackCollection([f(T)]).features).toHaveLength(0);
    expect(trackCollection([f(T), f(T + 10_000), f(T + 20_000)]).features[0]!.geometry.coordinates).toHaveLength(3);
  });
});
