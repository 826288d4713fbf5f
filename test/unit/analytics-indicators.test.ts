import { describe, expect, it } from 'vitest';
import { histQuantile, HIST_BUCKETS, zeroCounters } from '#common/analytics/counters';
import type { CaseFacts } from '#common/analytics/facts';
import { foldFacts } from '#common/analytics/facts';
import { changeOf, indicatorsOf } from '#common/analytics/indicators';
import { periodRange, previousRange, rangeParts, splitRange, type RangePart } from '#common/analytics/periods';
import type { RollupRow } from '#common/analytics/rollup';
import { cstDay, firstDayOfMonth, rollupDelta } from '#common/analytics/rollup';
import { sumRows } from '#common/analytics/sum';
import type { Incident, IncidentStatus } from '#common/incidents/types';

const ms = (local: string): number => Date.parse(`${local}+08:00`);
const iso = (local: string): string => new Date(ms(local)).toISOString();
const day = (d: string): number => cstDay(ms(`${d}T12:00`));
const ROOT = '510108';

function base(id: string): Incident {
  return {
    id, source: 'hotline', connectorId: 'hotline', externalId: null, category: 'garbage_exposed', severity: 'low',
    title: id, description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: '510108001001001',
    status: 'reported', reportedAt: iso('2026-03-30T09:00'), updatedAt: iso('2026-03-30T09:00'), dueAt: null,
    assigneeId: null, reportCount: 1, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null,
  };
}

type Step = [local: string, patch: Partial<Incident> & { status?: IncidentStatus }];

/** Fold a case's snapshots into facts and keep the rollups up to date event by event, as the stores do. */
function play(rows: Map<string, RollupRow>, id: string, steps: Step[], reported = '2026-03-30T09:00'): CaseFacts {
  let inc: Incident = { ...base(id), reportedAt: iso(reported) };
  let facts: CaseFacts | null = null;
  for (const [at, patch] of [[reported, {}] as Step, ...steps]) {
    inc = { ...inc, ...patch, updatedAt: iso(at) };
    const next = foldFacts(facts, inc, ms(at), ROOT);
    rollupDelta(facts, next, rows);
    facts = next;
  }
  return facts!;
}

const flow = (dispatch: string, due: string, accept: string, feedback: string, close: string): Step[] => [
  [dispatch.replace(/T.*/, 'T08:00'), { status: 'verifying' }],
  [dispatch.replace(/T.*/, 'T08:30'), { status: 'filed' }],
  [dispatch, { status: 'dispatched', assigneeId: 'w1', dueAt: iso(due) }],
  [accept, { status: 'in_progress' }],
  [feedback, { status: 'feedback' }],
  [feedback.replace(/:(\d\d)$/, ':$1'), { status: 'checking' }],
  [close, { status: 'closed' }],
];

function indicators(rows: Map<string, RollupRow>, from: string, toExclusive: string) {
  const sum = sumRows(rows.values(), { from: day(from), to: day(toExclusive) }, '', () => 'all').get('all') ?? zeroCounters();
  return indicatorsOf(sum);
}

describe('analytics indicators', () => {
  it('counts a case closed on time, a late one, an open overdue one and a rejected one (hand-computed)', () => {
    const rows = new Map<string, RollupRow>();
    // A: dispatched 04-01 10:00, due 04-02 10:00, accepted in 20 min, feedback 04-01 16:00, closed 04-01 17:00.
    play(rows, 'A', flow('2026-04-01T10:00', '2026-04-02T10:00', '2026-04-01T10:20', '2026-04-01T16:00', '2026-04-01T17:00'), '2026-04-01T07:00');
    // B: due 04-02 12:00, accepted after 2 h (late), feedback 04-03 (after the deadline), closed 04-03: settles on its deadline day.
    play(rows, 'B', flow('2026-04-01T10:00', '2026-04-02T12:00', '2026-04-01T12:00', '2026-04-03T09:00', '2026-04-03T10:00'), '2026-04-01T07:00');
    // C: dispatched, never accepted, due 04-02 09:00 and still open.
    play(rows, 'C', [['2026-04-01T08:00', { status: 'verifying' }], ['2026-04-01T08:30', { status: 'filed' }],
      ['2026-04-01T09:00', { status: 'dispatched', assigneeId: 'w2', dueAt: iso('2026-04-02T09:00') }]], '2026-04-01T07:00');
    // D: rejected at verification: received, never filed, never due.
    play(rows, 'D', [['2026-04-01T08:00', { status: 'verifying' }], ['2026-04-01T08:10', { status: 'rejected' }]], '2026-04-01T07:00');

    const i = indicators(rows, '2026-04-01', '2026-04-04');
    expect(i.received).toBe(4);
    expect(i.filed).toBe(3);
    expect(i.due).toBe(3);
    expect(i.closed).toBe(2);
    expect(i.closedOnTime).toBe(1);
    expect(i.overdue).toBe(2);
    expect(i.closureRate).toBeCloseTo(2 / 3);
    expect(i.onTimeRate).toBeCloseTo(1 / 3);
    expect(i.acceptOnTimeRate).toBeCloseTo(1 / 3); // A accepted in 20 min; B after 2 h; C never
    expect(i.reworkRate).toBe(0);
    // report → close: A 10 h = 600 min, B 2 d 3 h = 3060 min
    expect(i.meanCloseMinutes).toBe((600 + 3060) / 2);
    expect(i.satisfactionRate).toBeNull();
    expect(i.replyRate).toBe(0);

    // The day of the deadlines (04-02) holds B's and C's due; A settled on 04-01 when it closed.
    const d1 = indicators(rows, '2026-04-01', '2026-04-02');
    expect([d1.received, d1.due, d1.closed]).toEqual([4, 1, 1]);
    const d2 = indicators(rows, '2026-04-02', '2026-04-03');
    expect([d2.received, d2.due, d2.closed, d2.overdue]).toEqual([0, 2, 1, 2]);
    expect(d2.closureRate).toBe(0.5);
    // B's closure time counts on the day it closed.
    expect(indicators(rows, '2026-04-03', '2026-04-04').meanCloseMinutes).toBe(3060);
  });

  it('a case reworked twice (after check, then 发回重办 by an unsatisfied verdict) counts once in 返工率 and by its final verdict', () => {
    const rows = new Map<string, RollupRow>();
    const v = (result: 'satisfied' | 'unsatisfied', at: string) => ({ verdict: { result, channel: 'hotline' as const, at: iso(at) } });
    play(rows, 'R', [
      ['2026-04-10T08:00', { status: 'verifying' }],
      ['2026-04-10T08:10', { status: 'filed' }],
      ['2026-04-10T09:00', { status: 'dispatched', assigneeId: 'w1', dueAt: iso('2026-04-12T09:00') }],
      ['2026-04-10T09:10', { status: 'in_progress' }],
      ['2026-04-10T11:00', { status: 'feedback' }],
      ['2026-04-10T11:30', { status: 'checking' }],
      ['2026-04-10T12:00', { status: 'dispatched' }], // rework after check
      ['2026-04-10T13:00', { status: 'in_progress' }],
      ['2026-04-10T15:00', { status: 'feedback' }],
      ['2026-04-10T15:10', { status: 'checking' }],
      ['2026-04-10T16:00', { status: 'closed' }],
      ['2026-04-11T10:00', { status: 'dispatched', ...v('unsatisfied', '2026-04-11T10:00') }], // 发回重办
      ['2026-04-11T11:00', { status: 'in_progress' }],
      ['2026-04-11T14:00', { status: 'feedback' }],
      ['2026-04-11T14:30', { status: 'checking' }],
      ['2026-04-11T15:00', { status: 'closed' }],
      ['2026-04-11T18:00', v('satisfied', '2026-04-11T18:00')],
    ]);
    // Its first closure on 04-10 no longer counts: the case settles when it closed for good (04-11, before its deadline).
    const d10 = indicators(rows, '2026-04-10', '2026-04-11');
    expect([d10.due, d10.closed]).toEqual([0, 0]);
    expect(d10.meanCloseMinutes).toBeNull();
    const d11 = indicators(rows, '2026-04-11', '2026-04-12');
    expect([d11.due, d11.closed, d11.closedOnTime, d11.reworked, d11.replied, d11.satisfied]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(d11.reworkRate).toBe(1);
    expect(d11.satisfactionRate).toBe(1);
    expect(d11.replyRate).toBe(1);
    // accepted within the hour of its only dispatch from filed
    expect(d11.acceptOnTimeRate).toBeNull(); // dispatched on 04-10, not in this day
    expect(indicators(rows, '2026-04-10', '2026-04-11').acceptOnTimeRate).toBe(1);
  });

  it('an unsatisfied verdict on a case past its deadline makes it overdue again on the deadline day', () => {
    const rows = new Map<string, RollupRow>();
    play(rows, 'U', [
      ['2026-04-10T08:10', { status: 'filed' }],
      ['2026-04-10T09:00', { status: 'dispatched', assigneeId: 'w1', dueAt: iso('2026-04-11T09:00') }],
      ['2026-04-10T09:10', { status: 'in_progress' }],
      ['2026-04-10T11:00', { status: 'feedback' }],
      ['2026-04-10T11:30', { status: 'checking' }],
      ['2026-04-10T12:00', { status: 'closed' }],
    ]);
    expect(indicators(rows, '2026-04-10', '2026-04-11').closedOnTime).toBe(1);
    // Now the verdict reopens it after its deadline.
    const rows2 = new Map<string, RollupRow>();
    play(rows2, 'U', [
      ['2026-04-10T08:10', { status: 'filed' }],
      ['2026-04-10T09:00', { status: 'dispatched', assigneeId: 'w1', dueAt: iso('2026-04-11T09:00') }],
      ['2026-04-10T09:10', { status: 'in_progress' }],
      ['2026-04-10T11:00', { status: 'feedback' }],
      ['2026-04-10T11:30', { status: 'checking' }],
      ['2026-04-10T12:00', { status: 'closed' }],
      ['2026-04-12T10:00', { status: 'dispatched', verdict: { result: 'unsatisfied', channel: 'phone', at: iso('2026-04-12T10:00') } }],
    ]);
    expect(indicators(rows2, '2026-04-10', '2026-04-11').due).toBe(0);
    const d = indicators(rows2, '2026-04-11', '2026-04-12');
    expect([d.due, d.closed, d.overdue, d.reworked]).toEqual([1, 0, 1, 1]);
  });

  it('a case crossing a month boundary: received in March, due and closed in April', () => {
    const rows = new Map<string, RollupRow>();
    play(rows, 'X', flow('2026-03-31T16:00', '2026-04-01T16:00', '2026-03-31T16:30', '2026-04-01T10:00', '2026-04-01T11:00'), '2026-03-31T15:00');
    const march = indicators(rows, '2026-03-01', '2026-04-01');
    const april = indicators(rows, '2026-04-01', '2026-05-01');
    expect([march.received, march.filed, march.dispatched, march.due]).toEqual([1, 1, 1, 0]);
    expect(march.closureRate).toBeNull();
    expect([april.received, april.due, april.closed, april.closedOnTime]).toEqual([0, 1, 1, 1]);
    expect(april.meanCloseMinutes).toBe(20 * 60);
    // Whole months come from month rows, the ends from day rows: 03-15 … 04-20 mixes both and agrees.
    const mixed = indicators(rows, '2026-03-15', '2026-04-20');
    expect([mixed.received, mixed.due, mixed.closed]).toEqual([1, 1, 1]);
    const ch = changeOf(april, march);
    expect(ch.received).toBe(-1);
    expect(ch.closureRate).toBeNull();
  });

  it('an approved extension counts in 延期率; a merged duplicate counts nowhere', () => {
    const rows = new Map<string, RollupRow>();
    const ext = { requestedBy: 'w1', requestedAt: iso('2026-04-01T12:00'), reason: 'parts', proposedDueAt: null };
    play(rows, 'E', [
      ['2026-04-01T08:10', { status: 'filed' }],
      ['2026-04-01T09:00', { status: 'dispatched', assigneeId: 'w1', dueAt: iso('2026-04-02T09:00') }],
      ['2026-04-01T09:10', { status: 'in_progress' }],
      ['2026-04-01T12:00', { extension: ext }],
      ['2026-04-01T13:00', { extension: null, dueAt: iso('2026-04-05T09:00') }],
    ], '2026-04-01T08:00');
    play(rows, 'M', [['2026-04-01T08:10', { status: 'rejected', mergedInto: 'E' }]], '2026-04-01T08:00');
    const i = indicators(rows, '2026-04-01', '2026-04-10');
    expect([i.received, i.due, i.extended, i.overdue]).toEqual([1, 1, 1, 1]);
    expect(i.extensionRate).toBe(1);
  });

  it('p90 from the histogram stays within the bucket error', () => {
    const h = new Array<number>(HIST_BUCKETS).fill(0);
    expect(histQuantile(h, 0.9)).toBeNull();
    const rows = new Map<string, RollupRow>();
    for (let k = 1; k <= 10; k++) {
      play(rows, `P${k}`, flow('2026-04-01T09:00', '2026-04-03T09:00', '2026-04-01T09:10', '2026-04-01T09:20', `2026-04-01T${String(9 + k).padStart(2, '0')}:00`), '2026-04-01T08:00');
    }
    const i = indicators(rows, '2026-04-01', '2026-04-02');
    // closes after 2 … 11 hours: p90 is the 9th value, 10 h = 600 min
    expect(i.p90CloseMinutes!).toBeGreaterThan(600 / 1.14);
    expect(i.p90CloseMinutes!).toBeLessThan(600 * 1.14);
    expect(i.meanCloseMinutes).toBe(((2 + 11) / 2) * 60);
  });

  it('periods in CST and the previous period', () => {
    const now = ms('2026-05-14T10:00'); // a Thursday
    expect(periodRange('today', now)).toEqual({ from: day('2026-05-14'), to: day('2026-05-15') });
    expect(periodRange('week', now)).toEqual({ from: day('2026-05-11'), to: day('2026-05-18') });
    expect(periodRange('month', now)).toEqual({ from: day('2026-05-01'), to: day('2026-06-01') });
    expect(periodRange('quarter', now)).toEqual({ from: day('2026-04-01'), to: day('2026-07-01') });
    expect(periodRange('year', now)).toEqual({ from: day('2026-01-01'), to: day('2027-01-01') });
    expect(previousRange(periodRange('month', now))).toEqual({ from: day('2026-04-01'), to: day('2026-05-01') });
    expect(previousRange(periodRange('quarter', now))).toEqual({ from: day('2026-01-01'), to: day('2026-04-01') });
    expect(previousRange(periodRange('week', now))).toEqual({ from: day('2026-05-04'), to: day('2026-05-11') });
    expect(splitRange({ from: day('2026-03-15'), to: day('2026-06-03') })).toEqual({
      months: [2026 * 12 + 3, 2026 * 12 + 5],
      days: [{ from: day('2026-03-15'), to: day('2026-04-01') }, { from: day('2026-06-01'), to: day('2026-06-03') }],
    });
    expect(splitRange({ from: day('2026-03-15'), to: day('2026-03-20') }).months).toBeNull();
  });
});

describe('rangeParts', () => {
  /** Signed count of each day the parts cover (a month part covers its days). */
  const cover = (parts: RangePart[]): Map<number, number> => {
    const out = new Map<number, number>();
    for (const p of parts) {
      const [from, to] = p.level === 'd' ? [p.from, p.to] : [firstDayOfMonth(p.from), firstDayOfMonth(p.to)];
      for (let d = from; d < to; d++) out.set(d, (out.get(d) ?? 0) + p.sign);
    }
    return out;
  };
  const dayRows = (parts: RangePart[]) => parts.filter((p) => p.level === 'd').reduce((n, p) => n + p.to - p.from, 0);

  it('covers every day of the range once and no other, from ≤ 16 day rows at each end', () => {
    const base = day('2025-12-01');
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 3000; i++) {
      const from = base + Math.floor(rand() * 500);
      const to = from + 1 + Math.floor(rand() * (i % 3 === 0 ? 40 : 800));
      const parts = rangeParts({ from, to });
      const got = [...cover(parts)].filter(([, n]) => n !== 0);
      expect(got.every(([, n]) => n === 1), `${from}..${to}`).toBe(true);
      expect(got.map(([d]) => d).sort((a, b) => a - b)).toEqual(Array.from({ length: to - from }, (_, k) => from + k));
      expect(dayRows(parts), `${from}..${to}`).toBeLessThanOrEqual(Math.min(to - from, 32));
      expect(dayRows(parts)).toBeLessThanOrEqual(dayRows(splitRange({ from, to }).days.map((d) => ({ level: 'd', ...d, sign: 1 }))));
    }
  });

  it('takes a month row less its outside days when that reads fewer rows', () => {
    const m = (y: number, mo: number) => y * 12 + mo - 1;
    // A year ending yesterday (2026-11-28): 2 days of 2025-11, 12 months, November 2026 less its last 2 days.
    expect(rangeParts({ from: day('2025-11-29'), to: day('2026-11-29') })).toEqual([
      { level: 'd', from: day('2025-11-29'), to: day('2025-12-01'), sign: 1 },
      { level: 'd', from: day('2026-11-29'), to: day('2026-12-01'), sign: -1 },
      { level: 'm', from: m(2025, 12), to: m(2026, 12), sign: 1 },
    ]);
    expect(rangeParts({ from: day('2026-03-02'), to: day('2026-03-31') })).toEqual([
      { level: 'd', from: day('2026-03-01'), to: day('2026-03-02'), sign: -1 },
      { level: 'd', from: day('2026-03-31'), to: day('2026-04-01'), sign: -1 },
      { level: 'm', from: m(2026, 3), to: m(2026, 4), sign: 1 },
    ]);
    expect(rangeParts({ from: day('2026-03-10'), to: day('2026-03-15') })).toEqual([{ level: 'd', from: day('2026-03-10'), to: day('2026-03-15'), sign: 1 }]);
    expect(rangeParts({ from: day('2026-03-01'), to: day('2026-05-01') })).toEqual([{ level: 'm', from: m(2026, 3), to: m(2026, 5), sign: 1 }]);
  });
});
