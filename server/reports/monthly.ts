import { INCIDENT_STATUSES, TERMINAL_STATUSES, type Incident, type IncidentStatus } from '#common/incidents/types';
import { projectIncident } from '#common/incidents/projection';
import { monthDays, monthlySummaryZh, type MonthlyReport, type OverdueCase } from '#common/reports/monthly';
import type { Role } from '#common/auth/types';
import { queryAnalytics, type AnalyticsDeps } from '../analytics/query.ts';

const OPEN: IncidentStatus[] = INCIDENT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));
const OVERDUE_LISTED = 200;
/** Open cases are read page by page: the newest 2,000 alone missed the oldest, the most overdue, in a busy district. */
const OPEN_PAGE = 2000;
const OPEN_PAGES_MAX = 100;

/** The figures of a month from the analytics rollups (the leader view's indicators), and the overdue cases. */
export async function buildMonthlyReport(deps: AnalyticsDeps, regionId: string, month: string, role: Role): Promise<MonthlyReport> {
  const { from, to } = monthDays(month);
  const [byRegion, byCategory] = await Promise.all([
    queryAnalytics(deps, { regionId, from, to, groupBy: 'region', compare: '1' }, role),
    queryAnalytics(deps, { regionId, from, to, groupBy: 'category', compare: '0' }, role),
  ]);
  const monthEnd = Date.parse(`${to}T23:59:59.999+08:00`);
  const cut = Math.min(monthEnd, deps.now().getTime());
  const monthStart = Date.parse(`${from}T00:00:00+08:00`);
  const due: Incident[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < OPEN_PAGES_MAX; n++) {
    const page = await deps.store.incidents.list({ regionId, statuses: OPEN }, { limit: OPEN_PAGE, cursor });
    due.push(...page.items.filter((i) => i.dueAt !== null && Date.parse(i.dueAt) < cut && Date.parse(i.dueAt) >= monthStart));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const overdue: OverdueCase[] = due
    .map((i) => projectIncident(i, 'masked'))
    .map((i) => ({ id: i.id, title: i.title, status: i.status, dueAt: i.dueAt!, overdueHours: Math.round((cut - Date.parse(i.dueAt!)) / 3_600_000) }))
    .sort((a, b) => b.overdueHours - a.overdueHours)
    .slice(0, OVERDUE_LISTED);
  const regionName = deps.regions.get(regionId)?.name ?? regionId;
  const regions = [...byRegion.items].sort((a, b) => b.received - a.received);
  const categories = [...byCategory.items].sort((a, b) => b.received - a.received);
  const report = { regionId, regionName, month, total: byRegion.total, regions, categories, overdue };
  return { ...report, summary: monthlySummaryZh(report) };
}
