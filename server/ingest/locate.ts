/**
 * The locate step of ingest (issue 13 item 7): an event with an address and no coordinates is placed with the
 * deployment's gazetteer before the pipeline's grid lookup, or parked for a dispatcher to place on the map.
 * It wraps the pipeline's run and costs one scan of the batch when every event has its location.
 */
import { categoryByCode } from '#common/incidents/categories';
import { SYSTEM_ACTOR, type HistoryEntry } from '#common/incidents/history';
import { isWithinScope } from '#common/geo/types';
import { claimableKinds } from '#common/ingest/claims';
import type { LocateInfo } from '#common/ingest/parked';
import { ingestEventSchema, reportedAtProblem, type IngestEvent, type IngestItemResult } from '#common/ingest/schema';
import type { Gazetteer } from '../geo/gazetteer.ts';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { SubmitOptions } from './pipeline.ts';

export type Run = (items: unknown[]) => Promise<IngestItemResult[]>;
/** Locates (or parks) the address-only events of `items`, hands the rest with their places to `run`. */
export type LocateStep = (connectorId: string, items: unknown[], now: Date, options: SubmitOptions, run: Run) => Promise<IngestItemResult[]>;

const lacksLocation = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as { location?: unknown }).location === undefined;

/** The checks the pipeline makes before the location, so a refused event is refused there, not parked. */
function refusedBeforeLocation(connectorId: string, e: IngestEvent, now: Date, options: SubmitOptions): boolean {
  if (options.checkClaims && !claimableKinds(connectorId).includes(e.source)) return true;
  if (e.reportedAt && reportedAtProblem(e.reportedAt, now)) return true;
  return !categoryByCode(e.category);
}

/** The `locate` history entry of an incident that took an address-only report (its status unchanged). */
export async function recordLocate(store: Store, result: IngestItemResult, locate: LocateInfo, actor: { id: string; role: HistoryEntry['actorRole'] }, now: Date): Promise<void> {
  if (!result.ok || result.duplicate || result.seq === null) return;
  const incident = await store.incidents.get(result.id);
  if (!incident) return;
  await store.parked.recordLocate(
    {
      incidentId: incident.id,
      at: now.toISOString(),
      actorId: actor.id,
      actorRole: actor.role,
      action: 'locate',
      from: incident.status,
      to: incident.status,
      note: null,
      assigneeId: incident.assigneeId,
      dueAt: incident.dueAt,
      locate,
    },
    result.seq,
  );
}

export function createLocateStep(deps: { gazetteer: Gazetteer; store: Store; regions: Regions; log: Logger }): LocateStep {
  const { gazetteer, store, regions, log } = deps;
  return async (connectorId, items, now, options, run) => {
    if (!items.some(lacksLocation)) return run(items);
    const results: IngestItemResult[] = new Array(items.length);
    const pass: unknown[] = [];
    const passAt: number[] = [];
    const how = new Map<number, LocateInfo>();
    for (let i = 0; i < items.length; i++) {
      const raw = items[i];
      const parsed = lacksLocation(raw) ? ingestEventSchema.safeParse(raw) : null;
      // With a location, or invalid (the pipeline refuses it with its reason): passed on as it is.
      if (!parsed?.success || !parsed.data.address || refusedBeforeLocation(connectorId, parsed.data, now, options)) {
        pass.push(raw);
        passAt.push(i);
        continue;
      }
      const e = parsed.data;
      const m = gazetteer.locate(e.address!);
      const grid = m ? regions.grids.locate(m.point[0], m.point[1]) : null;
      // A place outside the sending key's region is not trusted: a dispatcher decides.
      if (m && (!options.scopeRegionId || (grid && isWithinScope(grid, options.scopeRegionId)))) {
        how.set(pass.length, { method: m.score === 1 ? 'exact' : 'fuzzy', score: Math.round(m.score * 1000) / 1000, matched: m.matched });
        pass.push({ ...(raw as object), location: { lng: m.point[0], lat: m.point[1] }, crs: 'wgs84' });
        passAt.push(i);
        continue;
      }
      const reportedAt = e.reportedAt ?? now.toISOString();
      const { report, duplicate } = await store.parked.add(
        {
          connectorId,
          externalId: e.externalId,
          source: e.source,
          category: e.category,
          title: e.title,
          description: e.description,
          address: e.address!,
          reporter: e.reporter,
          reportedAt,
          regionId: options.scopeRegionId ?? regions.root.id,
          event: { ...e, reportedAt },
        },
        now,
      );
      // Delivered again after a dispatcher placed it: the incident it became.
      results[i] = report.incidentId
        ? { ok: true, id: report.incidentId, seq: null, duplicate: true, merged: false }
        : { ok: true, id: report.id, seq: null, duplicate, merged: false, parked: true };
    }
    if (pass.length === 0) return results;
    const ran = await run(pass);
    ran.forEach((r, k) => (results[passAt[k]!] = r));
    for (const [k, locate] of how) {
      // After the commit: a failure here loses the history line, never the acknowledged incident.
      await recordLocate(store, ran[k]!, locate, { id: SYSTEM_ACTOR, role: 'system' }, now).catch((err: unknown) => log.error({ err }, 'locate history entry not written'));
    }
    return results;
  };
}
