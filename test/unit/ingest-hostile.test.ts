import { describe, expect, it } from 'vitest';
import { parseCoordinate } from '#common/ingest/coords';
import { MAX_REPORTED_AGE_MS, MAX_REPORTED_AHEAD_MS, reportedAtProblem } from '#common/ingest/schema';
import { capDeadLetters, nestedDeeperThan, renderPayload } from '#server/ingest/dead-letters';
import type { RejectStore } from '#server/store/types';

const deep = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, iteratively', () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan(deep(32), 32)).toBe(false);
    expect(nestedDeeperThan(deep(33), 32)).toBe(true);
    expect(nestedDeeperThan({ ok: 1, list: [1, 2, deep(40)] }, 32)).toBe(true);
    expect(nestedDeeperThan(deep(200_000), 32)).toBe(true);
  });
});

describe('renderPayload', () => {
  it('is bounded in depth, items and length, and never throws', () => {
    const r = renderPayload(deep(200_000));
    expect(r.length).toBeLessThan(200);
    expect(r).toContain('…');
    expect(renderPayload({ a: 'x'.repeat(200_000) }).length).toBeLessThanOrEqual(65_536);
    expect(renderPayload(Array.from({ length: 10_000 }, (_, i) => i))).toContain('… 9800 more');
    expect(renderPayload({ n: 1, s: 'a"b', t: true, z: null, u: undefined, big: 10n })).toBe('{"n":1,"s":"a\\"b","t":true,"z":null,"u":"(undefined)","big":"(bigint)"}');
    expect(JSON.parse(renderPayload({ a: [1, { b: '2' }] }))).toEqual({ a: [1, { b: '2' }] });
    expect(renderPayload('text')).toBe('text');
  });
});

describe('parseCoordinate', () => {
  it.each([
    ['30.657', 'lat', 30.657],
    ['-104.5', 'lng', -104.5],
    ['+0.5', 'lat', 0.5],
    ['.5', 'lat', 0.5],
    [30.5, 'lat', 30.5],
    ['180', 'lng', 180],
  ] as const)('takes %j as %s', (v, axis, value) => {
    expect(parseCoordinate(v, axis)).toEqual({ ok: true, value });
  });
  it.each([
    ['0x1A', 'lat'], ['', 'lat'], ['  ', 'lat'], [' 30.5', 'lat'], ['30.5 ', 'lat'], ['Infinity', 'lat'], ['NaN', 'lng'], ['1e1', 'lat'],
    ['30.5abc', 'lat'], ['30,5', 'lat'], ['91', 'lat'], ['-180.1', 'lng'], [Infinity, 'lng'], [NaN, 'lat'], [null, 'lat'], [true, 'lat'], ['5.', 'lat'],
  ] as const)('refuses %j as %s, with a reason', (v, axis) => {
    const r = parseCoordinate(v, axis);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(axis);
  });
});

describe('reportedAtProblem', () => {
  const now = new Date('2026-11-29T00:00:00Z');
  it('takes the window [now − 30 days, now + 10 minutes] and refuses outside it', () => {
    expect(reportedAtProblem(now.toISOString(), now)).toBeNull();
    expect(reportedAtProblem(new Date(now.getTime() + MAX_REPORTED_AHEAD_MS).toISOString(), now)).toBeNull();
    expect(reportedAtProblem(new Date(now.getTime() - MAX_REPORTED_AGE_MS).toISOString(), now)).toBeNull();
    expect(reportedAtProblem(new Date(now.getTime() + MAX_REPORTED_AHEAD_MS + 1000).toISOString(), now)).toMatch(/future/);
    expect(reportedAtProblem(new Date(now.getTime() - MAX_REPORTED_AGE_MS - 1000).toISOString(), now)).toMatch(/past/);
    expect(reportedAtProblem('1970-01-01T00:00:00Z', now)).toMatch(/past/);
  });
});

describe('capDeadLetters', () => {
  it('keeps at most the cap per connector per clock hour and counts the rest', async () => {
    const stored: string[] = [];
    const inner: RejectStore = {
      add: async (c, reason) => void stored.push(`${c}:${reason}`),
      list: async () => [],
      countSince: async () => 0,
      prune: async () => 0,
    };
    const capped = capDeadLetters(inner, 3);
    const t0 = new Date('2026-11-29T01:00:00Z');
    for (let i = 0; i < 5; i++) await capped.add('a', `r${i}`, '{}', new Date(t0.getTime() + i * 1000));
    await capped.add('b', 'other', '{}', t0);
    await capped.add('a', 'next hour', '{}', new Date('2026-11-29T02:00:00Z'));
    expect(stored).toEqual(['a:r0', 'a:r1', 'a:r2', 'b:other', 'a:next hour']);
    expect(capped.dropped()).toEqual([{ connectorId: 'a', hour: '2026-11-29T01:00:00.000Z', stored: 3, dropped: 2 }]);
    expect(capped.dropped('b')).toEqual([]);
  });

  it('counts what the store already holds for the hour (a restart does not reset the cap)', async () => {
    const stored: string[] = [];
    const since: string[] = [];
    const inner: RejectStore = {
      add: async (_c, reason) => void stored.push(reason),
      list: async () => [],
      countSince: async (c, t) => (since.push(`${c}@${t.toISOString()}`), 2),
      prune: async () => 0,
    };
    const capped = capDeadLetters(inner, 3);
    const at = new Date('2026-11-29T01:30:00Z');
    await Promise.all(['x', 'y', 'z'].map((r) => capped.add('a', r, '{}', at)));
    expect(stored).toHaveLength(1);
    expect(since).toEqual(['a@2026-11-29T01:00:00.000Z']);
    expect(capped.dropped()[0]).toMatchObject({ stored: 3, dropped: 2 });
  });
});
