import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { PARTY_KINDS, type Candidate, type Party } from '#common/dispatch/types';
import { isWithinScope } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { maskFreeText, maskName } from '#common/privacy';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import type { Candidates } from './candidates.ts';
import { decodeCsv, readPartiesCsv } from './csv-import.ts';
import { mayManage, mayRead, newPartySchema, normalContact, patchPartySchema, projectParty, regionProblem } from './parties.ts';

export const listQuery = z.object({
  regionId: z.string().regex(/^\d{6,15}$/).optional(),
  category: z.string().max(64).optional(),
  kind: z.enum(PARTY_KINDS).optional(),
});
export const candidatesQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

/** Error codes → HTTP status, in one place. */
const STATUS: Record<string, number> = {
  'party/not_found': 404,
  'party/exists': 409,
  'incident/not_found': 404,
  'scope/forbidden': 403,
  'party/unsupported_type': 415,
};
const fail = (res: Response, code: string, message: string) => res.status(STATUS[code] ?? 400).json({ error: { code, message } });
const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

const STAFF = ['admin', 'leader', 'dispatcher'] as const;
const CSV_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/csv'];
const ENCODINGS = { 'utf-8': 'utf-8', utf8: 'utf-8', gbk: 'gbk', gb2312: 'gbk', gb18030: 'gb18030' } as const;

/**
 * Party registry (GET for every signed-in user but walls, contacts projected per role; POST/PATCH/DELETE and
 * CSV import for admins within their scope), ranked candidates of an incident and the roster workers in scope.
 */
export function dispatchRoutes(deps: { store: Store; regions: Regions; candidates: Candidates }): Router {
  const { store, regions } = deps;
  const r = Router();

  /** The party, when it exists and the caller may read it (otherwise it does not exist for them). */
  async function readable(req: Request, res: Response): Promise<Party | null> {
    const p = await store.parties.get(String(req.params.id));
    if (!p || !mayRead(p, userOf(req).regionId)) {
      fail(res, 'party/not_found', 'No such party in your scope.');
      return null;
    }
    return p;
  }

  r.get('/parties', requireRole('admin', 'leader', 'dispatcher', 'worker'), async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) return void fail(res, 'party/bad_query', issues(q.error));
    const user = userOf(req);
    const regionId = q.data.regionId;
    if (regionId && !isWithinScope(regionId, user.regionId)) return void fail(res, 'scope/forbidden', `Region ${regionId} is outside your scope.`);
    const audience = audienceOf(user.role);
    const items = (await store.parties.list()).filter(
      (p) =>
        mayRead(p, user.regionId) &&
        (!regionId || p.regionIds.some((x) => isWithinScope(x, regionId) || isWithinScope(regionId, x))) &&
        (!q.data.category || p.categories.includes(q.data.category)) &&
        (!q.data.kind || p.kind === q.data.kind),
    );
    res.json({ items: items.map((p) => projectParty(p, audience)) });
  });

  r.get('/parties/:id', requireRole('admin', 'leader', 'dispatcher', 'worker'), async (req, res) => {
    const p = await readable(req, res);
    if (p) res.json(projectParty(p, audienceOf(userOf(req).role)));
  });

  r.post('/parties', requireRole('admin'), async (req, res) => {
    const body = newPartySchema.safeParse(req.body);
    if (!body.success) return void fail(res, 'party/invalid', issues(body.error));
    const scope = userOf(req).regionId;
    const problem = regionProblem(body.data.regionIds, regions, scope);
    if (problem) return void fail(res, problem.includes('scope') ? 'scope/forbidden' : 'party/bad_region', problem);
    const { id, contact, ...rest } = body.data;
    if (id && (await store.parties.get(id))) return void fail(res, 'party/exists', `Party ${id} exists.`);
    const party: Party = { id: id ?? `PTY-${randomUUID()}`, ...rest, contact: normalContact(contact), synthetic: false };
    await store.parties.put([party], new Date());
    res.status(201).json(party);
  });

  r.patch('/parties/:id', requireRole('admin'), async (req, res) => {
    const p = await readable(req, res);
    if (!p) return;
    const scope = userOf(req).regionId;
    if (!mayManage(p, scope)) return void fail(res, 'scope/forbidden', `Party ${p.id} covers regions outside your scope.`);
    const body = patchPartySchema.safeParse(req.body);
    if (!body.success) return void fail(res, 'party/invalid', issues(body.error));
    const { contact, ...rest } = body.data;
    const next: Party = { ...p, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), contact: contact === undefined ? p.contact : normalContact(contact) };
    const problem = regionProblem(next.regionIds, regions, scope);
    if (problem) return void fail(res, problem.includes('scope') ? 'scope/forbidden' : 'party/bad_region', problem);
    await store.parties.put([next], new Date());
    res.json(next);
  });

  r.delete('/parties/:id', requireRole('admin'), async (req, res) => {
    const p = await readable(req, res);
    if (!p) return;
    if (!mayManage(p, userOf(req).regionId)) return void fail(res, 'scope/forbidden', `Party ${p.id} covers regions outside your scope.`);
    await store.parties.delete(p.id);
    res.status(204).end();
  });

  r.post(
    '/parties/import',
    requireRole('admin'),
    express.raw({ type: CSV_TYPES, limit: '5mb' }),
    async (req, res) => {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      // An empty body of a CSV type is an empty file (the raw parser leaves no Buffer for it).
      const body = Buffer.isBuffer(req.body) ? req.body : CSV_TYPES.some((t) => type.startsWith(t)) ? Buffer.alloc(0) : null;
      if (!body) return void fail(res, 'party/unsupported_type', 'Send the CSV as the raw body (Content-Type: text/csv).');
      const asked = (typeof req.query.encoding === 'string' ? req.query.encoding : /charset=([\w-]+)/.exec(type)?.[1])?.toLowerCase();
      const encoding = asked === undefined ? null : ENCODINGS[asked as keyof typeof ENCODINGS];
      if (encoding === undefined) return void fail(res, 'party/bad_encoding', `Unsupported encoding: ${String(asked).slice(0, 20)}.`);
      let text: string;
      try {
        text = decodeCsv(body, encoding);
      } catch {
        return void fail(res, 'party/bad_encoding', 'The file is not valid UTF-8; send ?encoding=gbk for files saved by Excel on Chinese Windows.');
      }
      const { parties, errors } = readPartiesCsv(text, { regions, scope: userOf(req).regionId, existing: await store.parties.list() });
      await store.parties.put(parties, new Date());
      res.json({ imported: parties.length, errors });
    },
  );

  r.get('/incidents/:id/candidates', requireRole(...STAFF), async (req, res) => {
    const q = candidatesQuery.safeParse(req.query);
    if (!q.success) return void fail(res, 'candidates/bad_query', issues(q.error));
    const user = userOf(req);
    const incident = await store.incidents.get(String(req.params.id));
    if (!incident || !isWithinScope(incident.gridId ?? regions.root.id, user.regionId)) {
      return void fail(res, 'incident/not_found', 'No such incident in your scope.');
    }
    const items = await deps.candidates.candidates(incident, user.regionId, q.data.limit);
    res.json({ items: audienceOf(user.role) === 'full' ? items : items.map(maskCandidate) });
  });

  r.get('/workers', requireRole(...STAFF), async (req, res) => {
    const user = userOf(req);
    const items = await deps.candidates.workers(user.regionId);
    res.json({ items: audienceOf(user.role) === 'full' ? items : items.map((w) => ({ ...w, name: maskName(w.name) })) });
  });

  return r;
}

/** Leaders see worker names masked as everywhere else (grid-facts.ts), and party names with numbers masked. */
const maskCandidate = (c: Candidate): Candidate => ({ ...c, name: c.kind === 'worker' ? maskName(c.name) : maskFreeText(c.name) });
