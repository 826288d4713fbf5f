import { describe, expect, it } from 'vitest';
import { applyAction } from '#common/incidents/lifecycle';
import type { Incident } from '#common/incidents/types';
import { isAssignedTo } from '#common/dispatch/identity';
import {
  LIVE_POSITION_MAX_AGE_MS,
  rankingPosition,
  haversineM,
  rankCandidates,
  W_ON_DUTY,
  type PartyFacts,
  type RankTarget,
  type WorkerFacts,
} from '#common/dispatch/ranking';
import { onDutyAt, SHIFT_PATTERN_IDS, shiftPatternOf } from '#common/dispatch/shifts';

const cst = (local: string): Date => new Date(`${local}+08:00`);
const HERE = { lng: 104.1, lat: 30.67 };
/** A point `m` metres north of HERE. */
const north = (m: number) => ({ lng: HERE.lng, lat: HERE.lat + m / 111_195 });
const target: RankTarget = { location: HERE, gridId: '510108003002001', regionId: '510108003002001', category: 'garbage_exposed' };

const worker = (id: string, over: Partial<WorkerFacts> = {}): WorkerFacts => ({
  id,
  name: id,
  gridId: '510108003002009',
  position: north(500),
  onDuty: true,
  openCases: 0,
  onTimeRate: null,
  ...over,
});
const party = (id: string, over: Partial<PartyFacts> = {}): PartyFacts => ({
  id,
  name: id,
  categories: ['garbage_exposed'],
  regionIds: ['510108003002'],
  openCases: 0,
  onTimeRate: null,
  ...over,
});
const ids = (t: RankTarget, ws: WorkerFacts[], ps: PartyFacts[] = []) => rankCandidates(t, ws, ps).map((c) => c.id);

describe('haversineM', () => {
  it('measures metres on the sphere', () => {
    expect(haversineM(HERE, HERE)).toBe(0);
    expect(haversineM(HERE, north(1000))).toBeCloseTo(1000, -1);
    // 0.01° of longitude at 30.67°N ≈ 957 m
    expect(haversineM(HERE, { lng: 104.11, lat: 30.67 })).toBeCloseTo(957, -1);
  });
});

describe('rankCandidates', () => {
  it('puts the nearest first when all else is equal', () => {
    expect(ids(target, [worker('far', { position: north(2000) }), worker('near', { position: north(100) }), worker('mid', { position: north(800) })])).toEqual([
      'near',
      'mid',
      'far',
    ]);
  });

  it('demotes an off-duty worker below an on-duty one a little farther away', () => {
    const list = rankCandidates(target, [worker('off', { position: north(100), onDuty: false }), worker('on', { position: north(400) })], []);
    expect(list.map((c) => c.id)).toEqual(['on', 'off']);
    expect(list[0]!.score - list[1]!.score).toBeGreaterThan(0);
    expect(list[1]!.reasons).toContainEqual({ code: 'on_duty', value: false });
  });

  it('demotes an overloaded worker', () => {
    expect(ids(target, [worker('busy', { position: north(200), openCases: 12 }), worker('free', { position: north(400) })])).toEqual(['free', 'busy']);
    // …but a single open case does not outweigh being much nearer.
    expect(ids(target, [worker('one', { position: north(100), openCases: 1 }), worker('free', { position: north(2500) })])).toEqual(['one', 'free']);
  });

  it('rewards the home grid and a good on-time record', () => {
    expect(ids(target, [worker('other', { position: north(300) }), worker('home', { position: north(300), gridId: target.gridId! })])).toEqual(['home', 'other']);
    expect(ids(target, [worker('late', { onTimeRate: 0.2 }), worker('punctual', { onTimeRate: 1 })])).toEqual(['punctual', 'late']);
  });

  it('excludes parties that do not handle the category or do not cover the region', () => {
    const list = ids(target, [], [
      party('wrong-category', { categories: ['fire'] }),
      party('other-community', { regionIds: ['510108003003'] }),
      party('ok'),
      party('district', { regionIds: ['510108'] }),
    ]);
    expect(list).toEqual(['ok', 'district']);
  });

  it('prefers the party whose region is closest to the incident', () => {
    expect(ids(target, [], [party('district', { regionIds: ['510108'] }), party('grid', { regionIds: ['510108003002001'] })])).toEqual(['grid', 'district']);
  });

  it('ranks a nearby on-duty worker above parties, and parties above a far off-duty worker', () => {
    const list = ids(target, [worker('near'), worker('far-off', { position: north(6000), onDuty: false })], [party('dept')]);
    expect(list).toEqual(['near', 'dept', 'far-off']);
  });

  it('keeps the given order for equal scores (stable), and respects the limit', () => {
    const same = ['c', 'a', 'b'].map((id) => worker(id));
    expect(ids(target, same)).toEqual(['c', 'a', 'b']);
    expect(rankCandidates(target, same, [], 2).map((c) => c.id)).toEqual(['c', 'a']);
  });

  it('keeps some places for the best parties when many workers score higher', () => {
    const many = ['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => worker(id));
    const list = ids(target, many, [party('p-low', { openCases: 9 }), party('p-best')]).slice(0, 10);
    expect(list).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'p-best', 'p-low']);
    expect(rankCandidates(target, many, [party('p-low', { openCases: 9 }), party('p-best')], 3).map((c) => c.id)).toEqual(['w1', 'w2', 'p-best']);
    expect(rankCandidates(target, many, [], 3).map((c) => c.id)).toEqual(['w1', 'w2', 'w3']);
  });

  it('gives every worker reason the contract names, in numbers a client formats', () => {
    const [c] = rankCandidates(target, [worker('w', { position: north(320), openCases: 3, onTimeRate: 0.92, gridId: target.gridId! })], []);
    expect(c!.kind).toBe('worker');
    expect(c!.reasons).toEqual([
      { code: 'distance_m', value: 320 },
      { code: 'home_grid', value: true },
      { code: 'on_duty', value: true },
      { code: 'open_cases', value: 3 },
      { code: 'handles_category', value: true },
      { code: 'on_time_rate', value: 0.92 },
    ]);
    expect(W_ON_DUTY).toBeGreaterThan(0);
  });

  it('scores a worker with no known position without a distance', () => {
    const [c] = rankCandidates(target, [worker('w', { position: null })], []);
    expect(c!.reasons[0]).toEqual({ code: 'distance_m', value: null });
  });
});

describe('shift roster', () => {
  it('covers every hour of the week with at least one pattern', () => {
    for (let h = 0; h < 7 * 24; h++) {
      const at = new Date(cst('2026-03-01T00:30:00').getTime() + h * 3600_000);
      expect(SHIFT_PATTERN_IDS.some((p) => onDutyAt(p, at)), at.toISOString()).toBe(true);
    }
  });

  it('follows day and night shifts, a night belonging to the day it starts', () => {
    expect(onDutyAt('A', cst('2026-03-02T09:00:00'))).toBe(true); // Monday day
    expect(onDutyAt('A', cst('2026-03-02T21:00:00'))).toBe(false);
    expect(onDutyAt('A', cst('2026-03-01T09:00:00'))).toBe(false); // Sunday
    expect(onDutyAt('C', cst('2026-03-02T21:00:00'))).toBe(true); // Monday night
    expect(onDutyAt('C', cst('2026-03-03T03:00:00'))).toBe(true); // …until Tuesday 08:00
    expect(onDutyAt('C', cst('2026-03-07T03:00:00'))).toBe(false); // Saturday 03:00: Friday night is D's
    expect(onDutyAt('D', cst('2026-03-07T03:00:00'))).toBe(true);
  });

  it('takes a worker’s own pattern, else a stable one from its id', () => {
    expect(shiftPatternOf({ id: 'x', shift: 'B' })).toBe('B');
    expect(shiftPatternOf({ id: 'gw-1', shift: 'nonsense' })).toBe(shiftPatternOf({ id: 'gw-1' }));
    const spread = new Set(Array.from({ length: 40 }, (_, i) => shiftPatternOf({ id: `gw-${i}` })));
    expect(spread.size).toBe(SHIFT_PATTERN_IDS.length);
  });
});

describe('roster worker ↔ worker account', () => {
  const inc = (assigneeId: string): Incident => ({
    id: 'INC-1', source: 'patrol', connectorId: 'sim', externalId: null, category: 'garbage_exposed', severity: 'low', title: 't',
    description: '', location: HERE, address: null, gridId: null, status: 'dispatched', reportedAt: '2026-03-02T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z', dueAt: null, assigneeId, reportCount: 1,
    version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null,
  });

  it('treats a case assigned to the roster id or to the account id as the account’s', () => {
    expect(isAssignedTo('gw-1', { id: 'u1', workerId: 'gw-1' })).toBe(true);
    expect(isAssignedTo('u1', { id: 'u1', workerId: 'gw-1' })).toBe(true);
    expect(isAssignedTo('gw-2', { id: 'u1', workerId: 'gw-1' })).toBe(false);
    expect(isAssignedTo('gw-1', { id: 'u1' })).toBe(false);
    expect(isAssignedTo(null, { id: 'u1', workerId: 'gw-1' })).toBe(false);
  });

  it('lets the linked account accept a case dispatched to its roster id, and nobody else', () => {
    const now = new Date('2026-03-02T02:00:00Z');
    expect(applyAction(inc('gw-1'), 'accept', { id: 'u1', role: 'worker', workerId: 'gw-1' }, {}, now).ok).toBe(true);
    const other = applyAction(inc('gw-1'), 'accept', { id: 'u2', role: 'worker', workerId: 'gw-2' }, {}, now);
    expect(other.ok ? null : other.error.code).toBe('incident/forbidden');
  });
});

describe('rankingPosition (issue 9: live positions)', () => {
  const home = { lng: 104.1, lat: 30.67 };
  const now = Date.parse('2026-03-06T06:00:00Z');
  const fix = (ageMs: number) => ({ lng: 104.12, lat: 30.68, at: new Date(now - ageMs).toISOString() });
  it('uses a live fix younger than 2 minutes, else the home grid', () => {
    expect(rankingPosition(fix(60_000), home, now)).toEqual({ position: { lng: 104.12, lat: 30.68 }, live: true });
    expect(rankingPosition(fix(LIVE_POSITION_MAX_AGE_MS), home, now)).toEqual({ position: home, live: false });
    expect(rankingPosition(null, home, now)).toEqual({ position: home, live: false });
    expect(rankingPosition(null, null, now)).toEqual({ position: null, live: false });
  });
});
