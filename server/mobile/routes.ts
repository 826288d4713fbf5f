import { Router } from 'express';
import { categoryByCode } from '#common/incidents/categories';
import { audienceOf, projectIncident } from '#common/incidents/projection';
import { PATROL_APP_CONNECTOR, patrolReportSchema, type MyReport, type PatrolReportResult } from '#common/mobile/report';
import { requireRole, userOf } from '../auth/middleware.ts';
import { linkedWorkerId } from '../dispatch/identity.ts';
import { idempotent } from '../incidents/idempotency.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import type { Store } from '../store/types.ts';

/** How many open cases one worker's list holds, and how many of their own reports it shows. */
const TASK_LIMIT = 200;
const REPORT_LIMIT = 50;

/** External id of a worker's street report: theirs alone, so "my reports" is a prefix read and ids never collide. */
const externalIdOf = (userId: string, clientId: string) => `${userId}:${clientId}`;

/** Whether user `userId` sent one of the reports of incident `incidentId` from the app (their photos may follow it). */
export async function reportedBy(store: Store, incidentId: string, userId: string): Promise<boolean> {
  const prefix = externalIdOf(userId, '');
  return (await store.incidents.reports(incidentId)).some((r) => r.connectorId === PATROL_APP_CONNECTOR && r.externalId?.startsWith(prefix));
}

/**
 * The grid worker's own endpoints (the app under /m):
 *   GET  /api/me/tasks    open cases assigned to me or my roster worker, or that I assist — in any region
 *   POST /api/me/reports  a report from the street: through the ingest pipeline as `source: patrol`
 *   GET  /api/me/reports  what became of my reports
 */
export function mobileRoutes(deps: { store: Store; pipeline: Pipeline; now: () => Date }): Router {
  const { store, pipeline } = deps;
  const r = Router();
  const worker = requireRole('worker');

  r.get('/me/tasks', worker, async (req, res) => {
    const user = userOf(req);
    const workerId = await linkedWorkerId(store, { id: user.sub, role: user.role });
    const ids = workerId ? [user.sub, workerId] : [user.sub];
    const items = await store.mobile.tasks(ids, TASK_LIMIT);
    const audience = audienceOf(user.role);
    res.json({ items: items.map((i) => projectIncident(i, audience)) });
  });

  r.post('/me/reports', worker, async (req, res) => {
    const user = userOf(req);
    // The client id is the key when the app sent none: a report resent after a lost reply is taken once.
    if (!req.get('Idempotency-Key') && typeof req.body?.id === 'string') req.headers['idempotency-key'] = req.body.id;
    await idempotent(req, res, { store: store.idempotency, userId: user.sub, scope: 'me/reports' }, async () => {
      const body = patrolReportSchema.safeParse(req.body);
      if (!body.success) {
        const message = body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        return { status: 400, body: { error: { code: 'report/invalid', message } } };
      }
      const b = body.data;
      const category = categoryByCode(b.category);
      if (!category) return { status: 400, body: { error: { code: 'report/unknown_category', message: `Unknown category ${b.category}.` } } };
      const [result] = await pipeline.submit(
        PATROL_APP_CONNECTOR,
        [
          {
            externalId: externalIdOf(user.sub, b.id),
            source: 'patrol',
            category: category.code,
            title: category.nameZh,
            description: b.note,
            location: b.location,
            reportedAt: b.reportedAt,
            reporter: null,
          },
        ],
        // No scope limit: a worker on a grid's edge reports what they see, and the desk that holds the place gets it.
        deps.now(),
      );
      if (!result || !result.ok) {
        const error = result?.ok === false ? result.error : { code: 'report/failed', message: 'The report was not taken.' };
        return { status: 422, body: { error } };
      }
      const reply: PatrolReportResult = { id: b.id, incidentId: result.id, merged: result.merged, duplicate: result.duplicate };
      return { status: result.duplicate ? 200 : 201, body: reply };
    });
  });

  r.get('/me/reports', worker, async (req, res) => {
    const user = userOf(req);
    const prefix = externalIdOf(user.sub, '');
    const reports = await store.mobile.reportsByPrefix(PATROL_APP_CONNECTOR, prefix, REPORT_LIMIT);
    const items: MyReport[] = [];
    for (const rep of reports) {
      const incident = await store.incidents.get(rep.incidentId);
      items.push({
        id: (rep.externalId ?? '').slice(prefix.length),
        incidentId: rep.incidentId,
        category: rep.category,
        reportedAt: rep.reportedAt,
        status: incident?.status ?? null,
        reportCount: incident?.reportCount ?? 1,
        mergedInto: incident?.mergedInto ?? null,
        title: incident?.title ?? rep.title,
      });
    }
    res.json({ items });
  });

  return r;
}
