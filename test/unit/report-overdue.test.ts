/** The monthly report lists every overdue open case of the month, however many open cases come before them. */
import { describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import type { AnalyticsDeps } from '#server/analytics/query';
import { buildMonthlyReport } from '#server/reports/monthly';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const inc = (n: number, dueAt: string | null): Incident =>
  ({ id: `INC-${n}`, title: `事件 ${n}`, description: '', address: null, status: 'dispatched', dueAt, reportedAt: new Date(NOW - n * 3_600_000).toISOString(), gridId: '510108001001001' }) as unknown as Incident;

// Newest first, as the store lists them: 2,500 cases due in December, then the two oldest, overdue in November.
const open = [...Array.from({ length: 2500 }, (_, n) => inc(n + 1, '2026-12-02T00:00:00Z')), inc(2501, '2026-11-20T00:00:00Z'), inc(2502, '2026-11-10T00:00:00Z')];
const deps = {
  now: () => new Date(NOW),
  roster: [],
  regions: { get: () => ({ name: '猛追湾街道', nameEn: 'Mengzhuiwan' }) },
  store: {
    analytics: { sum: async () => new Map(), openDue: async () => [] },
    parties: { list: async () => [] },
    incidents: {
      list: async (_f: unknown, page: { limit: number; cursor?: string | null }) => {
        const from = Number(page.cursor ?? 0);
        const items = open.slice(from, from + page.limit);
        return { items, nextCursor: from + page.limit < open.length ? String(from + page.limit) : null };
      },
    },
  },
} as unknown as AnalyticsDeps;

describe('monthly report: overdue cases', () => {
  it('reads every page of open cases, not only the first', async () => {
    const r = await buildMonthlyReport(deps, '510108001', '2026-11', 'leader');
    expect(r.overdue.map((c) => c.id)).toEqual(['INC-2502', 'INC-2501']);
  });
});
