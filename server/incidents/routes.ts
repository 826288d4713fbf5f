import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { isWithinScope } from '#common/geo/types';
import type { IncidentDetail } from '#common/incidents/detail';
import { INCIDENT_ACTIONS } from '#common/incidents/history';
import { MAX_ASSISTING_PARTIES } from '#common/incidents/lifecycle';
import { audienceOf, projectHistoryEntry, projectIncident, projectReport, knownNames } from '#common/incidents/projection';
import { INCIDENT_STATUSES, SEVERITIES, SOURCE_KINDS } from '#common/incidents/types';
import { sentTo } from '#common/mobile/tasks';
import { requireRole, userOf } from '../auth/middleware.ts';
import { linkedWorkerId } from '../dispatch/identity.ts';
import type { Regions } from '../geo/regions.ts';
import { CursorError } from '../store/cursor.ts';
import type { IncidentFilter, Store } from '../store/types.ts';
import { writeIncidentsCsv } from './csv.ts';
import { toMediaRef } from '../media/index.ts';
import { idempotent } from './idempotency.ts';
import type { IncidentService } from './service.ts';
import { VERDICT_RESULTS } from '#common/incidents/verdict';
import type { Audit } from '../audit/index.ts';
import type { ReporterReads } from '../audit/reporter-reads.ts';

const csvList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1))
    .optional();

export const listQuery = z.object({
  regionId: z.string().regex(/^\d{6,15}$/).optional(),
  status: csvList(INCIDENT_STATUSES),
  severity: csvList(SEVERITIES),
  source: csvList(SOURCE_KINDS),
  category: z.string().transform((s) => s.split(',').filter(Boolean)).optional(),
  connector: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const actionBody = z.strictObject({
  action: z.enum(INCIDENT_ACTIONS),
  /** The version the caller saw: a stale one is refused with 409 incident/conflict. */
  version: z.number().int().min(1),
  note: z.string().max(2000).optional(),
  assigneeId: z.string().max(64).optional(),
  assistingPartyIds: z.array(z.string().min(1).max(64)).max(MAX_ASSISTING_PARTIES).optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  targetId: z.string().min(1).max(64).optional(),
  reportId: z.string().min(1).max(32).optional(),
  /** record_verdict / revisit_rework from the desk: the resident's answer to a phone callback (回访). */
  verdict: z.strictObject({ result: z.enum(VERDICT_RESULTS), channel: z.literal('phone') }).optional(),
});

/** Display names of the staff who acted or added photos (a handful of distinct ids per case); unknown ids are left out. */
async function actorNames(store: Store, actorIds: readonly string[]): Promise<Record<string, string>> {
  const ids = [...new Set(actorIds)].filter((id) => id !== 'system');
  const users = await Promise.all(ids.map((id) => store.users.byId(id)));
  return Object.fromEntries(users.flatMap((u) => (u ? [[u.id, u.displayName]] : [])));
}

/** HTTP status of each refusal; anything else is a 400. */
const ACTION_STATUS: Record<string, number> = {
  'incident/not_found': 404,
  'incident/forbidden': 403,
  'incident/invalid_transition': 409,
  'incident/conflict': 409,
  'incident/extension_pending': 409,
  'incident/no_extension': 409,
};

const bad = (res: Response, code: string, message: string, status = 400) => res.status(status).json({ error: { code, message } });

/** Filters from the query string, inside the caller's scope; null after answering 4xx. */
function filterOf(req: Request, res: Response): (IncidentFilter & { limit: number; cursor?: string }) | null {
  const q = listQuery.safeParse(req.query);
  if (!q.success) {
    bad(res, 'incident/bad_query', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return null;
  }
  const user = userOf(req);
  const regionId = q.data.regionId ?? user.regionId;
  if (!isWithinScope(regionId, user.regionId)) {
    bad(res, 'scope/forbidden', `Region ${regionId} is outside your scope.`, 403);
    return null;
  }
  const { status, severity, source, category, connector, ...rest } = q.data;
  return { ...rest, regionId, statuses: status, severities: severity, sources: source, categories: category, connectorId: connector };
}

/** Read API (list with filters and cursor paging, one incident with its history and reports, CSV) and actions. */
export function incidentRoutes(deps: { store: Store; regions: Regions; service: IncidentService; audit?: Audit; reads?: ReporterReads }): Router {
  const { store, regions, service } = deps;
  const r = Router();

  r.get('/incidents', async (req, res) => {
    const f = filterOf(req, res);
    if (!f) return;
    try {
      const page = await store.incidents.list(f, { limit: f.limit, cursor: f.cursor });
      const audience = audienceOf(userOf(req).role);
      // The page's unmasked reporters are audited before it is answered (one entry naming the incidents).
      await deps.reads?.list(req, page.items, audience, { via: 'list', regionId: f.regionId });
      res.json({ items: page.items.map((i) => projectIncident(i, audience)), nextCursor: page.nextCursor });
    } catch (err) {
      if (err instanceof CursorError) return void bad(res, 'incident/bad_cursor', 'The cursor is not one this server gave out.');
      throw err;
    }
  });

  // Exports are for staff at their desks; wall displays get aggregates only.
  r.get('/incidents.csv', requireRole('admin', 'leader', 'dispatcher'), async (req, res) => {
    const f = filterOf(req, res);
    if (!f) return;
    const lang = req.query.lang === 'en' ? 'en' : 'zh';
    const { limit: _l, cursor: _c, ...filter } = f;
    await writeIncidentsCsv(res, store, filter, audienceOf(userOf(req).role), lang, regions);
  });

  r.get('/incidents/:id', async (req, res) => {
    const user = userOf(req);
    const incident = await store.incidents.get(req.params.id);
    // A case sent to a worker (or one they assist) is theirs to read wherever it lies, like service.act lets them act on it.
    const theirs = incident !== null && user.role === 'worker' && sentTo(incident, { id: user.sub, workerId: await linkedWorkerId(store, { id: user.sub, role: user.role }) }) !== null;
    if (!incident || (!theirs && !isWithinScope(incident.gridId ?? regions.root.id, user.regionId))) {
      return void bad(res, 'incident/not_found', 'No such incident in your scope.', 404);
    }
    const audience = audienceOf(user.role);
    if (audience === 'wall') return void res.json({ incident: projectIncident(incident, audience), history: [], reports: [], media: [] });
    const [history, reports, media] = await Promise.all([
      store.incidents.history(incident.id),
      store.incidents.reports(incident.id),
      store.media.list(incident.id),
    ]);
    // Every reporter's name is masked wherever it occurs: a second caller may name the first.
    const names = knownNames(incident, reports);
    // An unmasked read of who reported is audited before it is answered (a failed append refuses the read).
    const people = [incident.reporter, ...reports.map((rep) => rep.reporter)].filter((x) => x && (x.name !== null || x.phone !== null));
    const reporters = new Set(people.map((x) => `${x?.name ?? ''}|${x?.phone ?? ''}`)).size;
    if (audience === 'full' && reporters > 0 && deps.audit) {
      await deps.audit.record({ action: 'incident.reporter_read', target: `incident:${incident.id}`, detail: { reporters }, regionId: incident.gridId ?? regions.root.id }, req);
    }
    const detail: IncidentDetail = {
      incident: projectIncident(incident, audience, names),
      history: history.map((e) => projectHistoryEntry(e, audience, names)),
      reports: reports.map((rep) => projectReport(rep, audience, names)),
      actors: await actorNames(store, [...history.map((e) => e.actorId), ...media.map((m) => m.uploadedBy)]),
      // Photos (issue 9), oldest first; the uploader is a staff or worker account id, not a citizen.
      media: media.map(toMediaRef),
    };
    res.json(detail);
  });

  r.post('/incidents/:id/actions', async (req, res) => {
    const user = userOf(req);
    const id = req.params.id;
    await idempotent(req, res, { store: store.idempotency, userId: user.sub, scope: id }, async () => {
      const body = actionBody.safeParse(req.body);
      if (!body.success) {
        return { status: 400, body: { error: { code: 'incident/bad_action', message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } } };
      }
      const audience = audienceOf(user.role);
      const { action, ...input } = body.data;
      const result = await service.act(id, action, { id: user.sub, role: user.role, regionId: user.regionId }, input);
      if (result.ok) {
        const seq = result.changes[0]!.seq;
        const names = knownNames(result.incident, []);
        return {
          status: 200,
          body: { incident: projectIncident(result.incident, audience, names), seq, entry: projectHistoryEntry(result.entry, audience, names) },
        };
      }
      const { current, ...error } = result.error;
      return {
        status: ACTION_STATUS[error.code] ?? 400,
        body: { error: { ...error, ...(current ? { current: projectIncident(current, audience) } : {}) } },
      };
    });
  });

  return r;
}
