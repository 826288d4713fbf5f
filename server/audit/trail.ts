import type { NextFunction, Request, Response } from 'express';
import type { Audit } from './index.ts';

/** Where things lie, for an entry's region (AuditEntry.regionId); undefined when the thing does not exist. */
export interface RegionLookup {
  /** The incident's grid, or the root for one outside every grid. */
  incident(id: string): Promise<string | undefined>;
  /** The account's scope region. */
  user(id: string): Promise<string | undefined>;
}

/** A state-changing API route worth an audit entry: method, path below /api, and how to name it. */
interface Rule {
  method: string;
  path: RegExp;
  action: string;
  target: (m: RegExpMatchArray, req: Request) => string | null;
  /** Which body fields to keep (never passwords, notes or residents' details). */
  detail?: (req: Request) => Record<string, unknown>;
  /**
   * The region the action is about, looked up after the response (a moved user's new region); null for the
   * whole deployment; undefined (or no function): the acting admin's scope.
   */
  region?: (m: RegExpMatchArray, req: Request, look: RegionLookup) => Promise<string | null | undefined>;
}

const bodyRegion = async (_m: RegExpMatchArray, req: Request) => {
  const r = pick(req.body, ['regionId']).regionId;
  return typeof r === 'string' ? r : undefined;
};
const userRegion = async (m: RegExpMatchArray, _req: Request, look: RegionLookup) => look.user(m[1]!);

const pick = (body: unknown, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (body && typeof body === 'object') for (const k of keys) if (k in body) out[k] = (body as Record<string, unknown>)[k];
  return out;
};

/**
 * Admin actions and case actions on the routes that exist today, recorded after the response with its
 * status (refused attempts are audited too). Features that read personal data record their reads
 * themselves through `audit.record` (they know whether the read was unmasked).
 */
export const AUDITED_ROUTES: readonly Rule[] = [
  { method: 'POST', path: /^\/users$/, action: 'user.create', target: (_m, req) => `username:${String(pick(req.body, ['username']).username ?? '')}`, detail: (req) => pick(req.body, ['role', 'regionId', 'displayName', 'workerId']), region: bodyRegion },
  { method: 'PATCH', path: /^\/users\/([^/]+)$/, action: 'user.update', target: (m) => `user:${m[1]}`, detail: (req) => pick(req.body, ['disabled', 'role', 'regionId', 'displayName']), region: userRegion },
  { method: 'POST', path: /^\/users\/([^/]+)\/password-reset$/, action: 'user.password_reset', target: (m) => `user:${m[1]}`, region: userRegion },
  { method: 'POST', path: /^\/me\/password$/, action: 'user.password_change', target: (_m, req) => (req.user ? `user:${req.user.sub}` : null) },
  { method: 'POST', path: /^\/wall-links$/, action: 'wall_link.create', target: () => null, detail: (req) => pick(req.body, ['label', 'days', 'rotation', 'regionId']) },
  { method: 'PATCH', path: /^\/wall-links\/([^/]+)$/, action: 'wall_link.update', target: (m) => `wall_link:${m[1]}`, detail: (req) => pick(req.body, ['label', 'rotation', 'regionId']) },
  { method: 'POST', path: /^\/wall-links\/([^/]+)\/reissue$/, action: 'wall_link.reissue', target: (m) => `wall_link:${m[1]}` },
  { method: 'DELETE', path: /^\/wall-links\/([^/]+)$/, action: 'wall_link.revoke', target: (m) => `wall_link:${m[1]}` },
  { method: 'POST', path: /^\/ingest\/keys$/, action: 'ingest_key.create', target: () => null, detail: (req) => pick(req.body, ['source', 'label']) },
  { method: 'DELETE', path: /^\/ingest\/keys\/([^/]+)$/, action: 'ingest_key.revoke', target: (m) => `ingest_key:${m[1]}` },
  { method: 'POST', path: /^\/parties$/, action: 'party.create', target: (_m, req) => `party:${String(pick(req.body, ['id']).id ?? '')}`, detail: (req) => pick(req.body, ['kind', 'name', 'regionIds']) },
  { method: 'POST', path: /^\/parties\/import$/, action: 'party.import', target: () => null },
  { method: 'PATCH', path: /^\/parties\/([^/]+)$/, action: 'party.update', target: (m) => `party:${m[1]}`, detail: (req) => ({ fields: Object.keys((req.body ?? {}) as object) }) },
  { method: 'DELETE', path: /^\/parties\/([^/]+)$/, action: 'party.delete', target: (m) => `party:${m[1]}` },
  { method: 'POST', path: /^\/population\/import$/, action: 'population.import', target: () => null },
  {
    method: 'POST',
    path: /^\/incidents\/([^/]+)\/actions$/,
    action: 'case.action',
    target: (m) => `incident:${m[1]}`,
    detail: (req) => ({ ...pick(req.body, ['action', 'version', 'assigneeId', 'assistingPartyIds', 'dueAt', 'targetId', 'reportId']) }),
    region: (m, _req, look) => look.incident(m[1]!),
  },
  { method: 'PUT', path: /^\/holidays\/(\d{4})$/, action: 'holiday.update', target: (m) => `holiday_year:${m[1]}`, region: async () => null },
];

/**
 * The path as Express routes it: routing is case-insensitive and ignores trailing slashes, so
 * PATCH /api/USERS/x/ reaches the same handler as /api/users/x and must leave the same entry.
 */
const routedPath = (path: string): string => path.replace(/\/+$/, '') || '/';
const caselessRules = new Map<RegExp, RegExp>();
function caseless(re: RegExp): RegExp {
  let ci = caselessRules.get(re);
  if (!ci) caselessRules.set(re, (ci = new RegExp(re.source, 'i')));
  return ci;
}

/**
 * Mounted at /api before the routers: records matching requests of a signed-in user as they finish. The
 * response is held until the entry is stored, so a client that got its answer finds the entry in the log
 * (a failed append is logged and the response still goes out).
 */
export function auditTrail(audit: Audit, look: RegionLookup, onError: (err: unknown) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = routedPath(req.path);
    const rule = AUDITED_ROUTES.find((r) => r.method === req.method && caseless(r.path).test(path));
    if (rule) {
      const m = path.match(caseless(rule.path))!;
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      let held = false;
      res.end = ((...args: unknown[]) => {
        if (held || !req.user) return end(...args); // unauthenticated attempts are the access log's business
        held = true;
        const detail = { ...(rule.detail?.(req) ?? {}), status: res.statusCode, ...(res.get('Idempotent-Replayed') ? { replayed: true } : {}) };
        Promise.resolve()
          .then(() => rule.region?.(m, req, look))
          .catch(() => undefined) // a failed lookup still leaves the entry, in the acting admin's region
          .then((region) => audit.record({ action: rule.action, target: rule.target(m, req), detail, ...(region !== undefined ? { regionId: region } : {}) }, req))
          .catch(onError)
          .finally(() => end(...args));
        return res;
      }) as Response['end'];
    }
    next();
  };
}
