import { describe, expect, it } from 'vitest';
import { careCounts, careIndicators, complementCare, emptyCounts, rollup, suppressCare, type CareInput } from '../../common/care/indicators.ts';

const now = new Date('2026-06-30T04:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const G1 = '510108001001001';
const G2 = '510108001001002';
const G3 = '510108001002001';
const C1 = '510108001001';
const person = (id: string, gridId: string, o: Partial<CareInput['residents'][number]> = {}) => ({
  id, gridId, birthDate: '1940-01-01', livingAlone: true, emptyNest: false, conditions: [] as never[], registeredAt: daysAgo(400), ...o,
});

function input(): CareInput {
  return {
    now,
    residents: [
      person('a', G1), // weekly, visited 3 days ago → covered, reached
      person('b', G1), // weekly, visited 10 days ago → overdue, reached (within 30 d)
      person('c', G1), // weekly, never visited → overdue, isolated
      person('d', G2, { livingAlone: false, birthDate: '1955-02-01' }), // quarterly, visited 40 days ago → covered
      person('e', G2, { livingAlone: true, birthDate: '1960-01-01' }), // quarterly alone, attended an activity → reached; overdue (no visit)
      person('f', G3, { registeredAt: daysAgo(2) }), // weekly, new: not yet due
    ],
    lastVisit: new Map([['a', daysAgo(3)], ['b', daysAgo(10)], ['d', daysAgo(40)]]),
    visits: [
      { residentId: 'a', gridId: G1, visitedAt: daysAgo(3), outcome: 'well' },
      { residentId: 'b', gridId: G1, visitedAt: daysAgo(10), outcome: 'needs_help' },
      { residentId: 'd', gridId: G2, visitedAt: daysAgo(40), outcome: 'well' },
    ],
    occurrences: [{ regionId: C1, start: daysAgo(5) }, { regionId: C1, start: daysAgo(12) }, { regionId: C1, start: daysAgo(31) }],
    attended: [
      { regionId: C1, occurrence: daysAgo(5), age: 66, residentId: 'e' },
      { regionId: C1, occurrence: daysAgo(5), age: 35, residentId: null },
      { regionId: C1, occurrence: daysAgo(12), age: null, residentId: null },
      { regionId: C1, occurrence: daysAgo(31), age: 70, residentId: 'c' }, // outside the window: c stays isolated
    ],
    population: new Map([[G1, 1000], [G2, 1000], [G3, 500]]),
  };
}

describe('care indicators', () => {
  it('grid figures, hand-computed', () => {
    const g1 = careIndicators(G1, rollup(careCounts(input()), G1));
    expect(g1.livingAlone).toBe(3);
    expect(g1.reachedAloneRate).toBeCloseTo(2 / 3); // a visited, b visited
    expect(g1.isolationRate).toBeCloseTo(1 / 3);
    expect(g1.visitCoverage).toEqual({ weekly: 1 / 3, monthly: null, quarterly: null });
    expect(g1.overdueVisits).toBe(2);
    expect(g1.visits30d).toBe(2);
    expect(g1.needsHelp30d).toBe(1);
  });

  it('community figures sum the grids and the activities held by the community', () => {
    const c = careIndicators(C1, rollup(careCounts(input()), C1));
    expect(c.residents).toBe(5);
    expect(c.livingAlone).toBe(4); // a b c e
    expect(c.reachedAloneRate).toBeCloseTo(3 / 4); // e by attending
    expect(c.visitCoverage).toEqual({ weekly: 1 / 3, monthly: null, quarterly: 1 / 2 });
    expect(c.activities30d).toBe(2);
    expect(c.attendances30d).toBe(3);
    expect(c.activitiesPer1000).toBeCloseTo(1); // 2 per 2,000 residents
    expect(c.attendancePer1000).toBeCloseTo(1.5);
    expect(c.share60Plus).toBeCloseTo(1 / 2); // of the two attendees whose age is known
  });

  it('street figures include the new resident only where due', () => {
    const s = careIndicators('510108001', rollup(careCounts(input()), '510108001'));
    expect(s.residents).toBe(6);
    expect(s.overdueVisits).toBe(3); // b, c, e; f not yet due
    expect(s.visitCoverage.weekly).toBeCloseTo(1 / 3); // f not counted as due
    expect(s.livingAlone).toBe(5);
    expect(s.isolationRate).toBeCloseTo(2 / 5); // c and f
  });

  it('the wall copy marks counts under 5 and drops rates of groups under 5', () => {
    const counts = rollup(careCounts(input()), C1);
    const w = suppressCare(careIndicators(C1, counts), counts);
    expect(w.residents).toBe(5);
    expect(w.livingAlone).toBe('<5');
    expect(w.isolationRate).toBeNull();
    expect(w.overdueVisits).toBe('<5');
    expect(w.activities30d).toBe('<5');
    expect(w.visitCoverage).toEqual({ weekly: null, monthly: null, quarterly: null });
    expect(w.share60Plus).toBeNull();
    const none = suppressCare(careIndicators(C1, { ...counts, overdue: 0 }), { ...counts, overdue: 0 });
    expect(none.overdueVisits).toBe(0); // zero is not a small count
  });

  it('the wall copy drops a rate that gives a hidden count back', () => {
    // 12 activities and 3 attendances in 30 days among 600 residents; 10 lone elderly of whom 2 were not reached.
    const c = { ...emptyCounts(), population: 600, residents: 40, activities30d: 12, attendances30d: 3, alone: 10, aloneReached: 8 };
    const w = suppressCare(careIndicators(G1, c), c);
    expect(w.attendances30d).toBe('<5');
    // attendancePer1000 / activitiesPer1000 × 12 activities would give the 3 back.
    expect(w.attendancePer1000).toBeNull();
    expect(w.activitiesPer1000).not.toBeNull();
    // 20 % of 10 = 2 not reached.
    expect(w.isolationRate).toBeNull();
    expect(w.reachedAloneRate).toBeNull();
    const more = { ...c, aloneReached: 5 };
    expect(suppressCare(careIndicators(G1, more), more).isolationRate).toBe(0.5);
  });

  it('the wall copy never leaves one hidden part beside a published total', () => {
    // A community of three grids, overdue visits 3, 12 and 10: its total 25 minus 12 and 10 would give the 3 back.
    const G4 = '510108001001003';
    const cells = [[C1, 25], [G1, 3], [G2, 12], [G4, 10]].map(([id, overdue]) => ({ id: id as string, counts: { ...emptyCounts(), residents: 100, overdue: overdue as number } }));
    const exact = cells.map((x) => careIndicators(x.id, x.counts));
    const wall = exact.map((e, k) => suppressCare(e, cells[k]!.counts));
    // The reply for the street: the street's cell first, then its community and grids.
    const street = { ...exact[0]!, regionId: '510108001' };
    const all = [suppressCare(street, cells[0]!.counts), ...wall];
    complementCare(all, [street, ...exact]);
    expect(all.slice(2).map((w) => [w.regionId, w.overdueVisits])).toEqual([[G1, '<5'], [G2, 12], [G4, '<5']]);
    expect(all[1]!.overdueVisits).toBe(25); // the community itself: nothing to subtract it from but the street, equal
  });
});
