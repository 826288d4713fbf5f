/**
 * GET /api/analytics answered from the rollups: sums per group, minus the cases counted as due on a
 * deadline that has not come yet (ranges ending after now), turned into indicators and named.
 */
import type { AnalyticsItem, AnalyticsResponse, AnalyticsQuery, GroupBy } from '#common/analytics/api';
import type { Counters } from '#common/analytics/counters';
import { addCounters, zeroCounters } from '#common/analytics/counters';
import type { CaseFacts } from '#common/analytics/facts';
import { changeOf, indicatorsOf } from '#common/analytics/indicators';
import type { DayRange } from '#common/analytics/periods';
import { previousRange, rangeMs } from '#common/analytics/periods';
import type { RollupKind } from '#common/analytics/rollup';
import { cstDay, dayLabel, settleContribution } from '#common/analytics/rollup';
import { REGION_CODE_LENGTH } from '#common/geo/types';
import type { Role } from '#common/auth/types';
import { categoryByCode } from '#common/incidents/categories';
import type { RosterWorker } from '#common/geo/types';
import type { Regions } from '../geo/regions.ts';
import { projectWorker } from '../geo/grid-facts.ts';
import type { AnalyticsStore, RollupGroup } from '../store/analytics-types.ts';
import type { Store } from '../store/types.ts';

export interface AnalyticsDeps {
  store: Store;
  regions: Regions;
  roster: readonly RosterWorker[];
  now: () => Date;
}

const DAY_RE = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000);

export function dayRangeOf(q: Pick<AnalyticsQuery, 'from' | 'to'>): DayRange {
  return { from: DAY_RE(q.from), to: DAY_RE(q.to) + 1 };
}

function plan(groupBy: GroupBy, regionId: string): { kind: RollupKind; group: RollupGroup } {
  switch (groupBy) {
    case 'region':
      return { kind: '', group: { by: 'region', codeLength: Math.min(REGION_CODE_LENGTH.grid, regionId.length + 3) } };
    case 'day':
      return { kind: '', group: { by: 'day' } };
    case 'category':
      return { kind: 'c', group: { by: 'value' } };
    case 'source':
      return { kind: 's', group: { by: 'value' } };
    default:
      return { kind: 'a', group: { by: 'value' } };
  }
}

function keyOfFacts(f: CaseFacts, kind: RollupKind, group: RollupGroup): string {
  if (group.by === 'total') return '';
  if (group.by === 'region') return f.grid.slice(0, group.codeLength);
  if (group.by === 'day') return String(cstDay(f.dueMs!));
  return kind === '' ? '' : kind === 'c' ? f.category : kind === 's' ? f.source : f.assignee;
}

/** Sums over `range`, less the due parts of open cases whose deadline is still ahead of `now`. */
async function sumAt(a: AnalyticsStore, regionId: string, range: DayRange, kind: RollupKind, group: RollupGroup, nowMs: number): Promise<Map<string, Counters>> {
  const sums = await a.sum({ regionId, range, kind, group });
  const { fromMs, toMs } = rangeMs(range);
  if (toMs > nowMs) {
    for (const f of await a.openDue(regionId, Math.max(fromMs, nowMs + 1), toMs)) {
      const part = settleContribution(f);
      const key = keyOfFacts(f, kind, group);
      const c = sums.get(key);
      if (part && c) addCounters(c, part[1], -1);
    }
  }
  return sums;
}

export async function queryAnalytics(deps: AnalyticsDeps, q: AnalyticsQuery & { regionId: string }, role: Role): Promise<AnalyticsResponse> {
  const { store, regions } = deps;
  const nowMs = deps.now().getTime();
  const range = dayRangeOf(q);
  const { kind, group } = plan(q.groupBy, q.regionId);
  const [groups, totals] = await Promise.all([
    sumAt(store.analytics, q.regionId, range, kind, group, nowMs),
    sumAt(store.analytics, q.regionId, range, '', { by: 'total' }, nowMs),
  ]);
  const parties = q.groupBy === 'party' || q.groupBy === 'worker' ? new Map((await store.parties.list()).map((p) => [p.id, p])) : null;
  const workers = new Map(deps.roster.map((w) => [w.id, w]));
  const items: (AnalyticsItem & { nameEn: string })[] = [];
  for (const [key, c] of groups) {
    let name = key;
    let nameEn = key;
    if (q.groupBy === 'region') {
      const r = regions.get(key);
      if (r) [name, nameEn] = [r.name, r.nameEn];
    } else if (q.groupBy === 'day') {
      name = nameEn = dayLabel(Number(key));
    } else if (q.groupBy === 'category') {
      const cat = categoryByCode(key);
      if (cat) [name, nameEn] = [cat.nameZh, cat.nameEn];
    } else if (q.groupBy === 'party') {
      const p = parties!.get(key);
      if (!p) continue;
      name = nameEn = p.name;
    } else if (q.groupBy === 'worker') {
      if (key === '' || parties!.has(key)) continue;
      const w = workers.get(key);
      if (w) ({ name, nameEn } = projectWorker(w, role));
    }
    items.push({ key: q.groupBy === 'day' ? name : key, name, nameEn, ...indicatorsOf(c) });
  }
  items.sort(q.groupBy === 'region' || q.groupBy === 'day' ? (x, y) => (x.key < y.key ? -1 : 1) : (x, y) => y.received - x.received || (x.key < y.key ? -1 : 1));
  const total = indicatorsOf(totals.get('') ?? zeroCounters());
  const res: AnalyticsResponse = { regionId: q.regionId, from: q.from, to: q.to, groupBy: q.groupBy, items, total };
  if (q.compare === '1') {
    const prev = previousRange(range);
    const p = await sumAt(store.analytics, q.regionId, prev, '', { by: 'total' }, nowMs);
    const prevTotal = indicatorsOf(p.get('') ?? zeroCounters());
    res.total = { ...total, change: changeOf(total, prevTotal) };
    res.previous = { from: dayLabel(prev.from), to: dayLabel(prev.to - 1), total: prevTotal };
  }
  return res;
}
