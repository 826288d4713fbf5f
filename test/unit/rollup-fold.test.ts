import { describe, expect, it } from 'vitest';
import type { CaseFacts } from '#common/analytics/facts';
import { foldFacts } from '#common/analytics/facts';
import { keyString, rollupDelta, type RollupRow } from '#common/analytics/rollup';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import { RollupFold } from '#server/store/analytics-rebuild';
import { mulberry32 as rng } from '#server/population/synthetic';

/**
 * The stores fold all the events of one transaction at once (RollupFold: leaf deltas summed, then rolled up,
 * zero rows dropped at the end). That must equal applying rollupDelta event by event, as the stores once did.
 */
const ROOT = '510108';
const GRIDS = ['510108001001001', '510108001001002', '510108002001001', null];
const CATEGORIES = ['garbage_exposed', 'noise', 'fire'];
const STATUSES: IncidentStatus[] = ['reported', 'verifying', 'filed', 'dispatched', 'in_progress', 'feedback', 'checking', 'closed', 'rejected'];

function incident(id: string, r: () => number, t0: number): Incident {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return {
    id, source: 'hotline', connectorId: 'hotline', externalId: null, category: pick(CATEGORIES), severity: 'low',
    title: id, description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: pick(GRIDS),
    status: 'reported', reportedAt: new Date(t0).toISOString(), updatedAt: new Date(t0).toISOString(), dueAt: null,
    assigneeId: null, reportCount: 1, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null,
  };
}

const asMap = (rows: Iterable<RollupRow>) => new Map([...rows].map((r) => [keyString(r), r.c]));

describe('RollupFold', () => {
  it('equals rollupDelta applied event by event, over cases created, moved, closed and reopened', () => {
    const r = rng(7);
    const t0 = Date.parse('2026-03-30T01:00:00Z');
    const states = new Map<string, Incident>();
    const events: { incident: Incident; atMs: number }[] = [];
    for (let n = 0; n < 400; n++) {
      const atMs = t0 + n * 37 * 60_000;
      const known = [...states.keys()];
      let next: Incident;
      if (known.length === 0 || r() < 0.3) next = incident(`I${n}`, r, atMs);
      else {
        const was = states.get(known[Math.floor(r() * known.length)]!)!;
        const roll = r();
        next = { ...was, version: was.version + 1, updatedAt: new Date(atMs).toISOString() };
        if (roll < 0.5) next.status = STATUSES[Math.floor(r() * STATUSES.length)]!;
        else if (roll < 0.65) next.gridId = GRIDS[Math.floor(r() * GRIDS.length)]!;
        else if (roll < 0.8) next.assigneeId = r() < 0.5 ? 'w1' : null;
        else if (roll < 0.9) next.dueAt = new Date(atMs + r() * 3 * 86_400_000).toISOString();
        else next.reportCount += 1; // an absorbed report: no fact changes
      }
      states.set(next.id, next);
      events.push({ incident: next, atMs });
    }

    // Event by event, each case's facts carried over (as the store's facts table does).
    const expected = new Map<string, RollupRow>();
    const facts = new Map<string, CaseFacts>();
    for (const e of events) {
      const prev = facts.get(e.incident.id) ?? null;
      const next = foldFacts(prev, e.incident, e.atMs, ROOT);
      rollupDelta(prev, next, expected);
      facts.set(e.incident.id, next);
    }

    // In folds of varying size, facts loaded from what the earlier folds wrote.
    const stored = new Map<string, CaseFacts>();
    const got = new Map<string, RollupRow>();
    for (let i = 0; i < events.length; ) {
      const size = 1 + Math.floor(r() * 60);
      const fold = new RollupFold(ROOT, (id) => stored.get(id) ?? null);
      for (const e of events.slice(i, i + size)) fold.apply(e.incident, e.atMs);
      for (const row of fold.rows.values()) {
        const have = got.get(keyString(row));
        if (have) for (const [k, v] of Object.entries(row.c)) (have.c as Record<string, unknown>)[k] = Array.isArray(v) ? v.map((x, j) => x + (have.c.hist[j] ?? 0)) : (v as number) + (have.c[k as 'received'] ?? 0);
        else got.set(keyString(row), structuredClone(row));
      }
      for (const f of fold.changedFacts()) stored.set(f.id, f);
      i += size;
    }
    const nonZero = (m: Map<string, RollupRow>) => new Map([...asMap(m.values())].filter(([, c]) => Object.values(c).some((v) => (Array.isArray(v) ? v.some((x) => x !== 0) : v !== 0))));
    expect(nonZero(got).size).toBeGreaterThan(50);
    expect(nonZero(got)).toEqual(nonZero(expected));
    expect(stored).toEqual(facts);
  });
});
