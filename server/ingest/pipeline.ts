import type { z } from 'zod';
import { categoryByCode } from '#common/incidents/categories';
import type { IncidentChange } from '#common/incidents/types';
import { ingestEventSchema, reportedAtProblem, type IngestItemResult } from '#common/ingest/schema';
import { toWgs84 } from '#common/geo/crs';
import type { Logger } from '../log.ts';
import type { Regions } from '../geo/regions.ts';
import type { NewIncident, Store } from '../store/types.ts';
import { createGroupCommit } from './group-commit.ts';
import { renderPayload } from './dead-letters.ts';
import type { SourceRegistry } from './sources.ts';

export interface Pipeline {
  /**
   * validate → normalize → enrich → persist (one transaction with the event log) → publish.
   * Resolves only after the commit, so a caller may acknowledge its upstream then.
   */
  submit(connectorId: string, items: unknown[], now?: Date): Promise<IngestItemResult[]>;
  /** Resolves when every submit in flight has finished (graceful shutdown). */
  drain(): Promise<void>;
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
}): Pipeline {
  const { store, regions, sources, publish, log } = deps;
  const commit = createGroupCommit(store);

  function normalize(connectorId: string, raw: unknown, now: Date): NewIncident | Rejection {
    const parsed = ingestEventSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { code: 'ingest/invalid', message: reasonOf(parsed.error) } };
    const e = parsed.data;
    const when = e.reportedAt ? reportedAtProblem(e.reportedAt, now) : null;
    if (when) return { ok: false, error: { code: 'ingest/reported_at', message: `reportedAt: ${when}` } };
    const category = categoryByCode(e.category);
    if (!category) return { ok: false, error: { code: 'ingest/unknown_category', message: `category: unknown code "${e.category}"` } };
    const [lng, lat] = toWgs84(e.location.lng, e.location.lat, e.crs);
    const reportedAt = e.reportedAt ? new Date(e.reportedAt) : now;
    return {
      source: e.source,
      connectorId,
      externalId: e.externalId,
      category: category.code,
      severity: e.severity ?? category.defaultSeverity,
      title: e.title,
      description: e.description,
      location: { lng, lat },
      address: e.address,
      gridId: regions.grids.locate(lng, lat),
      reportedAt: reportedAt.toISOString(),
      reporter: e.reporter,
    };
  }

  const inflight = new Set<Promise<unknown>>();
  async function run(connectorId: string, items: unknown[], now: Date): Promise<IngestItemResult[]> {
      const results: (IngestItemResult | null)[] = new Array(items.length).fill(null);
      const batch: NewIncident[] = [];
      const batchIndex: number[] = [];
      const rejected: { reason: string; payload: string }[] = [];
      items.forEach((raw, i) => {
        const n = normalize(connectorId, raw, now);
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
    submit(connectorId, items, now = new Date()) {
      const p = run(connectorId, items, now);
      inflight.add(p);
      void p.finally(() => inflight.delete(p)).catch(() => undefined);
      return p;
    },
    drain: async () => {
      await Promise.allSettled([...inflight]);
    },
  };
}

function safeJson(raw: unknown): string {
  return renderPayload(raw);
}
