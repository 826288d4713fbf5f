import type { NextFunction, Request, Response } from 'express';
import type { Audit } from './index.ts';

/** A state-changing API route worth an audit entry: method, path below /api, and how to name it. */
interface Rule {
  method: string;
  path: RegExp;
  action: string;
  target: (m: RegExpMatchArray, req: Request) => string | null;
  /** Which body fields to keep (never passwords, notes or residents' details). */
  detail?: (req: Request) => Record<string, unknown>;
}

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
  { method: 'POST', path: /^\/users$/, action: 'user.create', target: (_m, req) => `username:${String(pick(req.body, ['username']).username ?? '')}`, detail: (req) => pick(req.body, ['role', 'regionId', 'displayName', 'workerId']) },
  { method: 'PATCH', path: /^\/users\/([^/]+)$/, action: 'user.update', target: (m) => `user:${m[1]}`, detail: (req) => pick(req.body, ['disabled', 'role', 'regionId', 'displayName']) },
  { method: 'POST', path: /^\/users\/([^/]+)\/password-reset$/, action: 'user.password_reset', target: (m) => `user:${m[1]}` },
  { method: 'POST', path: /^\/me\/password$/, action: 'user.password_change', target: (_m, req) => (req.user ? `user:${req.user.sub}` : null) },
  { method: 'POST', path: /^\/wall-links$/, action: 'wall_link.create', target: () => null, detail: (req) => pick(req.body, ['label', 'days', 'rotation']) },
  { method: 'PATCH', path: /^\/wall-links\/([^/]+)$/, action: 'wall_link.update', target: (m) => `wall_link:${m[1]}`, detail: (req) => pick(req.body, ['label', 'rotation']) },
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
  },
  { method: 'PUT', path: /^\/holidays\/(\d{4})$/, action: 'holiday.update', target: (m) => `holiday_year:${m[1]}` },
];

/**
 * Mounted at /api before the routers: records matching requests of a signed-in user as they finish. The
 * response is held until the entry is stored, so a client that got its answer finds the entry in the log
 * (a failed append is logged and the response still goes out).
 */
export function auditTrail(audit: Audit, onError: (err: unknown) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const rule = AUDITED_ROUTES.find((r) => r.method === req.method && r.path.test(req.path));
    if (rule) {
      const m = req.path.match(rule.path)!;
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      let held = false;
      res.end = ((...args: unknown[]) => {
        if (held || !req.user) return end(...args); // unauthenticated attempts are the access log's business
        held = true;
        const detail = { ...(rule.detail?.(req) ?? {}), status: res.statusCode, ...(res.get('Idempotent-Replayed') ? { replayed: true } : {}) };
        audit
          .record({ action: rule.action, target: rule.target(m, req), detail }, req)
          .catch(onError)
          .finally(() => end(...args));
        return res;
      }) as Response['end'];
    }
    next();
  };
}
