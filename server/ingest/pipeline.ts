import type { z } from 'zod';
import { categoryByCode } from '#common/incidents/categories';
import type { IncidentChange } from '#common/incidents/types';
import { isWithinScope } from '#common/geo/types';
import { claimableKinds } from '#common/ingest/claims';
import { ingestEventSchema, reportedAtProblem, type IngestItemResult } from '#common/ingest/schema';
import { toWgs84 } from '#common/geo/crs';
import type { Logger } from '../log.ts';
import type { Regions } from '../geo/regions.ts';
import type { NewIncident, Store } from '../store/types.ts';
import { createGroupCommit } from './group-commit.ts';
import { maskedDeadLetter } from './connectors/common.ts';
import type { SourceRegistry } from './sources.ts';
import type { LocateStep } from './locate.ts';

export interface Pipeline {
  /**
   * validate → normalize → enrich → persist (one transaction with the event log) → publish.
   * Resolves only after the commit, so a caller may acknowledge its upstream then.
   */
  submit(connectorId: string, items: unknown[], now?: Date, options?: SubmitOptions): Promise<IngestItemResult[]>;
  /** Resolves when every submit in flight has finished (graceful shutdown). */
  drain(): Promise<void>;
}

export interface SubmitOptions {
  /**
   * Refuse (and keep as a dead letter) an event whose `source` its connector may not claim
   * (common/ingest/claims.ts): set for events sent with an ingest key, whose sender chose the kind.
   */
  checkClaims?: boolean;
  /** Refuse (and keep) events outside this region: those of a key issued by an admin below the root. */
  scopeRegionId?: string | null;
}

type Rejection = { ok: false; error: { code: string; message: string } };

function reasonOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function createPipeline(deps: {
  store: Store;
  regions: Regions;
  sources: SourceRegistry;
  publish: (changes: IncidentChange[]) => void;
  log: Logger;
  /** Locates address-only events (gazetteer) or parks them before the grid lookup (locate.ts). */
  locate?: LocateStep;
}): Pipeline {
  const { store, regions, sources, publish, log } = deps;
  const commit = createGroupCommit(store);

  function normalize(connectorId: string, raw: unknown, now: Date, options: SubmitOptions): NewIncident | Rejection {
    const parsed = ingestEventSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { code: 'ingest/invalid', message: reasonOf(parsed.error) } };
    const e = parsed.data;
    const claimable = claimableKinds(connectorId);
    if (options.checkClaims && !claimable.includes(e.source)) {
      const message = `source: connector "${connectorId}" may not submit "${e.source}" events (allowed: ${claimable.join(', ')})`;
      return { ok: false, error: { code: 'ingest/source_not_allowed', message } };
    }
    const when = e.reportedAt ? reportedAtProblem(e.reportedAt, now) : null;
    if (when) return { ok: false, error: { code: 'ingest/reported_at', message: `reportedAt: ${when}` } };
    const category = categoryByCode(e.category);
    if (!category) return { ok: false, error: { code: 'ingest/unknown_category', message: `category: unknown code "${e.category}"` } };
    // Only without a locate step (deps.locate places or parks every address-only event first).
    if (!e.location) return { ok: false, error: { code: 'ingest/unlocated', message: 'location: this server has no gazetteer to locate the address' } };
    const [lng, lat] = toWgs84(e.location.lng, e.location.lat, e.crs);
    const reportedAt = e.reportedAt ? new Date(e.reportedAt) : now;
    const gridId = regions.grids.locate(lng, lat);
    if (options.scopeRegionId && !(gridId && isWithinScope(gridId, options.scopeRegionId))) {
      const message = `location: outside region ${options.scopeRegionId}, the region of the admin who issued this key`;
      return { ok: false, error: { code: 'ingest/out_of_scope', message } };
    }
    return {
      source: e.source,
      connectorId,
      externalId: e.externalId,
      category: category.code,
      severity: e.severity ?? category.defaultSeverity,
      // The title is ours (category · place): the upstream's title is often the caller's first words, and
      // titles travel everywhere. The upstream's words stay in the description, which is projected by audience.
      title: incidentTitle(regions, category.nameZh, gridId),
      description: keepUpstreamTitle(e.title, e.description),
      location: { lng, lat },
      address: e.address,
      gridId,
      reportedAt: reportedAt.toISOString(),
      reporter: e.reporter,
    };
  }

  const inflight = new Set<Promise<unknown>>();
  async function run(connectorId: string, items: unknown[], now: Date, options: SubmitOptions): Promise<IngestItemResult[]> {
      const results: (IngestItemResult | null)[] = new Array(items.length).fill(null);
      const batch: NewIncident[] = [];
      const batchIndex: number[] = [];
      const rejected: { reason: string; payload: string }[] = [];
      items.forEach((raw, i) => {
        const n = normalize(connectorId, raw, now, options);
        if ('ok' in n) {
          results[i] = n;
          rejected.push({ reason: `${n.error.code}: ${n.error.message}`, payload: safeJson(raw) });
        } else {
          batch.push(n);
          batchIndex.push(i);
        }
      });
      for (const r of rejected) await store.rejects.add(connectorId, r.reason, r.payload, now);
      const outcomes = batch.length ? await commit(batch, now) : [];
      const changes: IncidentChange[] = [];
      outcomes.forEach((o, k) => {
        const i = batchIndex[k]!;
        if (o.kind === 'duplicate') {
          results[i] = { ok: true, id: o.incidentId, seq: null, duplicate: true, merged: false };
        } else {
          changes.push(o.change);
          results[i] = { ok: true, id: o.change.incident.id, seq: o.change.seq, duplicate: false, merged: o.kind === 'merged' };
        }
      });
      if (changes.length) publish(changes);
      sources.record(connectorId, batch.length, rejected.length, now);
      if (rejected.length) log.debug({ connectorId, rejected: rejected.length }, 'ingest rejected messages');
      return results as IngestItemResult[];
  }

  return {
    submit(connectorId, items, now = new Date(), options = {}) {
      const go = (list: unknown[]) => run(connectorId, list, now, options);
      const p = deps.locate ? deps.locate(connectorId, items, now, options, go) : go(items);
      inflight.add(p);
      void p.finally(() => inflight.delete(p)).catch(() => undefined);
      return p;
    },
    drain: async () => {
      await Promise.allSettled([...inflight]);
    },
  };
}

/** "为老服务 · 双林社区第3网格"; outside every grid the root region (the street or district served). */
export function incidentTitle(regions: Regions, categoryName: string, gridId: string | null): string {
  const place = (gridId ? regions.get(gridId)?.name : undefined) ?? regions.root.name;
  return `${categoryName} · ${place}`;
}

/** The upstream title goes first in the description unless the description already says it. */
function keepUpstreamTitle(title: string, description: string): string {
  const t = title.trim();
  if (t === '' || description.includes(t)) return description;
  return (description ? `${t}\n${description}` : t).slice(0, 4000);
}

/** Refused events carry the caller's details like any other: kept masked, as every dead letter is. */
function safeJson(raw: unknown): string {
  return maskedDeadLetter(raw);
}
