/**
 * Community-life flows on the server:
 * - a visit is stored, its volunteer hours credited, and a "needs help" outcome opens an elderly-care incident
 *   through the ingest pipeline (validation, merge, publish like every upstream);
 * - the welfare sweep finds residents past their tier's interval and opens one welfare task per resident and
 *   due period, dispatched to the grid's worker through the case flow (idempotent across nodes, see sweep);
 * - indicators are computed from the store for a region subtree (common/care/indicators.ts);
 * - every change pushes `care:changed` to the rooms of the regions containing it (a hint; clients refetch).
 */
import { randomUUID } from 'node:crypto';
import { careCounts, careIndicators, complementCare, rollup, suppressCare, type CareCounts, type CareIndicatorsReply, type WallCareReply } from '#common/care/indicators';
import { duePeriodKey, visitStatus } from '#common/care/tiers';
import { nextWelfareStep, welfareAssignee } from '#common/care/welfare';
import { SYSTEM_ACTOR } from '#common/incidents/history';
import type { CareResident, Visit } from '#common/care/types';
import { regionAncestry } from '#common/geo/types';
import type { Audience } from '#common/incidents/projection';
import { totalResidents } from '#common/population/indicators';
import { CST_OFFSET_MS } from '#common/time';
import type { Regions } from '../geo/regions.ts';
import type { IncidentService } from '../incidents/service.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import type { Logger } from '../log.ts';
import { roomOf } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import { gridCentre } from './places.ts';
import { occurrences } from './ics.ts';
import { loadTierRules } from './tier-rules.ts';

/** The ingest connector id of community-life incidents (claims only `manual`, common/ingest/claims.ts). */
export const CARE_CONNECTOR = 'care';
const DAY = 86_400_000;
const TREND_WEEKS = 8;

export type NewVisit = Omit<Visit, 'id' | 'gridId' | 'incidentId' | 'createdBy'>;

export function createCareService(deps: { store: Store; regions: Regions; pipeline: Pipeline; io: IoServer; now: () => Date; log: Logger; incidents?: Pick<IncidentService, 'act' | 'roster'> }) {
  const { store, regions, pipeline, io, log } = deps;

  function changed(regionId: string): void {
    const rooms = regionAncestry(regionId).flatMap((id) => (['full', 'masked', 'wall'] as const).map((a) => roomOf(id, a)));
    io.to(rooms).emit('care:changed', { regionId });
  }

  async function ingestFor(resident: CareResident, externalId: string, severity: 'medium' | 'high', title: string, description: string, now: Date): Promise<string | null> {
    const at = resident.location ?? gridCentre(regions, resident.gridId);
    if (!at) return null;
    const [res] = await pipeline.submit(
      CARE_CONNECTOR,
      [{ externalId, source: 'manual', category: 'elderly_care', severity, title, description, location: at, address: resident.address, reportedAt: now.toISOString() }],
      now,
    );
    if (!res?.ok) log.warn({ externalId, error: res?.error }, 'care: incident refused by the pipeline');
    return res?.ok ? res.id : null;
  }

  async function logVisit(input: NewVisit, resident: CareResident, createdBy: string): Promise<Visit> {
    const now = deps.now();
    const visit: Visit = { ...input, id: randomUUID(), gridId: resident.gridId, incidentId: null, createdBy };
    await store.care.addVisit(visit);
    if (visit.visitorKind === 'volunteer' && visit.partyId && visit.hours > 0) {
      await store.care.addHours([{ id: randomUUID(), partyId: visit.partyId, member: visit.visitorName, regionId: resident.gridId, hours: visit.hours, at: visit.visitedAt, activityId: null, visitId: visit.id }]);
    }
    if (visit.outcome === 'needs_help') {
      // The note is the visitor's words: it travels in the description, which incidents project per audience.
      const id = await ingestFor(resident, `visit:${visit.id}`, 'high', '关爱探访: 需要帮助', `关爱探访发现需要帮助 (resident ${resident.id}). ${visit.note}`.trim(), now);
      if (id) {
        visit.incidentId = id;
        await store.care.setVisitIncident(visit.id, id);
      }
    }
    changed(resident.gridId);
    return visit;
  }

  /**
   * Walks a welfare incident through the case flow to dispatched, to the grid's worker (common/care/welfare.ts).
   * Each step is decided on the locked row by the incident service: a node racing another finds the step
   * taken and reads again, so each is applied once; a case a person already moved on is left as it is.
   */
  async function dispatchWelfare(incidentId: string, gridId: string, now: Date): Promise<void> {
    const flow = deps.incidents;
    if (!flow) return;
    const assigneeId = welfareAssignee(flow.roster, gridId, now);
    if (!assigneeId) return void log.warn({ incidentId, gridId }, 'care: no grid worker for a welfare task; left for the desk');
    const actor = { id: SYSTEM_ACTOR, role: 'admin' as const, regionId: regions.root.id, workerId: null };
    for (let i = 0; i < 6; i++) {
      const incident = await store.incidents.get(incidentId);
      const step = incident && nextWelfareStep(incident.status);
      if (!step) return;
      const r = await flow.act(incidentId, step, actor, step === 'dispatch' ? { assigneeId, note: '关爱探访逾期，请网格员上门探访' } : {}, now);
      if (!r.ok && r.error.code !== 'incident/invalid_transition' && r.error.code !== 'incident/conflict') {
        return void log.warn({ incidentId, step, error: r.error }, 'care: welfare task not dispatched');
      }
    }
  }

  /**
   * One round of the welfare sweep over a subtree; returns the tasks this call created. Safe on every node at
   * once: the report's external id (care, welfare:<resident>|<due>) is unique, so a second submit answers the
   * same incident; the case-flow steps are each taken once; the store's claim on (resident, due) counts it
   * once and keeps the next rounds from submitting it again. A node stopped half-way leaves no claim, so the
   * next round finishes the job.
   */
  async function sweep(regionId = regions.root.id): Promise<number> {
    const now = deps.now();
    const [residents, last, rules, done] = await Promise.all([store.care.residents(regionId), store.care.lastVisits(regionId), loadTierRules(store), store.care.welfareTasks(regionId)]);
    const claimed = new Set(done.map((t) => duePeriodKey(t.residentId, t.dueAt)));
    let created = 0;
    for (const r of residents) {
      const s = visitStatus(r, last.get(r.id) ?? null, now, rules);
      if (!s.overdue || claimed.has(duePeriodKey(r.id, s.dueAt))) continue;
      const id = await ingestFor(r, `welfare:${duePeriodKey(r.id, s.dueAt)}`, 'medium', '关爱探访逾期', `关爱探访逾期: ${s.tier} visit due ${s.dueAt} (resident ${r.id}); welfare check by the grid worker.`, now);
      if (!id) continue;
      await dispatchWelfare(id, r.gridId, now);
      if (!(await store.care.claimWelfareTask({ residentId: r.id, dueAt: s.dueAt, gridId: r.gridId, createdAt: now.toISOString() }))) continue;
      created++;
      await store.care.setWelfareIncident(r.id, s.dueAt, id);
      changed(r.gridId);
    }
    return created;
  }

  async function counts(regionId: string, now: Date, since: Date): Promise<Map<string, CareCounts>> {
    const ancestors = regionAncestry(regionId).filter((a) => a !== regionId);
    const [residents, lastVisit, visits, activities, attended, latest, rules] = await Promise.all([
      store.care.residents(regionId),
      store.care.lastVisits(regionId),
      store.care.visits(regionId, new Date(now.getTime() - 30 * DAY), 100_000),
      store.care.activities(regionId, ancestors),
      store.care.attended(regionId, ancestors, since),
      store.population.latestMonth(regionId),
      loadTierRules(store),
    ]);
    const population = new Map<string, number>();
    if (latest) for (const row of await store.population.rows(regionId, latest)) if (row.month === latest) population.set(row.gridId, totalResidents(row.aggregate));
    const from = new Date(now.getTime() - 30 * DAY);
    const occ = activities.flatMap((a) => occurrences(a, from, now).map((start) => ({ regionId: a.regionId, start })));
    return careCounts({ now, residents, lastVisit, visits, occurrences: occ, attended, population, rules });
  }

  /** GET /api/care/indicators: the region, every community and grid within it, the weekly attendance trend. */
  async function indicators(regionId: string, audience: Audience): Promise<CareIndicatorsReply | WallCareReply> {
    const now = deps.now();
    const weekStart = startOfCstWeek(now.getTime());
    const trendFrom = new Date(weekStart - (TREND_WEEKS - 1) * 7 * DAY);
    const c = await counts(regionId, now, trendFrom);
    const ids = [regionId, ...regions.features.map((f) => f.properties).filter((p) => (p.level === 'community' || p.level === 'grid') && p.id !== regionId && p.id.startsWith(regionId)).map((p) => p.id)];
    const ancestors = regionAncestry(regionId).filter((a) => a !== regionId);
    const attended = await store.care.attended(regionId, ancestors, trendFrom);
    const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => weekStart - (TREND_WEEKS - 1 - i) * 7 * DAY);
    const perWeek = weeks.map((w) => attended.filter((a) => Date.parse(a.occurrence) >= w && Date.parse(a.occurrence) < w + 7 * DAY).length);
    const synthetic = regions.features.some((f) => f.properties.synthetic === true);
    const cells = ids.map((id) => ({ id, counts: rollup(c, id) }));
    if (audience === 'wall') {
      const exact = cells.map((x) => careIndicators(x.id, x.counts));
      const wall = exact.map((e, k) => suppressCare(e, cells[k]!.counts));
      complementCare(wall, exact);
      const [region, ...children] = wall;
      const mark = (n: number) => (n >= 1 && n <= 4 ? ('<5' as const) : n);
      return { region: region!, children, attendanceTrend: weeks.map((w, i) => ({ weekStart: new Date(w).toISOString(), attended: mark(perWeek[i]!) })), synthetic };
    }
    const [region, ...children] = cells.map((x) => careIndicators(x.id, x.counts));
    return { region: region!, children, attendanceTrend: weeks.map((w, i) => ({ weekStart: new Date(w).toISOString(), attended: perWeek[i]! })), synthetic };
  }

  return { logVisit, sweep, indicators, changed };
}

export type CareService = ReturnType<typeof createCareService>;

/** Monday 00:00 CST of the week holding `ms`. */
export function startOfCstWeek(ms: number): number {
  const local = ms + CST_OFFSET_MS;
  const day = Math.floor(local / DAY);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday: Monday = 0
  return (day - weekday) * DAY - CST_OFFSET_MS;
}

/** The sweep every `intervalMs` on every node (the store's claim keeps one task per period). */
export function startWelfareSweep(service: CareService, intervalMs: number, log: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = service
      .sweep()
      .catch((err: unknown) => log.error({ err }, 'care: welfare sweep failed'))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
