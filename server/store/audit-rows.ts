import type { AuditEntry } from '#common/audit/types';

/** What an admin scoped below the root may see of the log: entries within `regionId`, and `actorId`'s own. */
export interface AuditScope {
  regionId: string;
  actorId: string;
}

/** An `audit_log` row as both stores keep it. */
export interface AuditRow {
  id: number | string;
  at_ms: number | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  user_agent: string | null;
  region_id: string | null;
}

export const toAuditEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: new Date(Number(r.at_ms)).toISOString(),
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  action: r.action,
  target: r.target,
  detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  ip: r.ip,
  userAgent: r.user_agent,
  regionId: r.region_id,
});

/** The WHERE clause of an audit query; `p(i)` spells the i-th placeholder. Actor matches the id or the username. */
export function auditWhere(
  f: { actor?: string; action?: string; target?: string; from?: Date; to?: Date; beforeId?: number; scope?: AuditScope },
  p: (i: number) => string,
): { where: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (...ph: string[]) => string, ...v: unknown[]) => {
    const ph = v.map((x) => (values.push(x), p(values.length)));
    parts.push(sql(...ph));
  };
  if (f.actor) add((a, b) => `(actor_id = ${a} OR actor_name = ${b})`, f.actor, f.actor);
  if (f.action?.endsWith('*')) add((a) => `substr(action, 1, ${f.action!.length - 1}) = ${a}`, f.action.slice(0, -1));
  else if (f.action) add((a) => `action = ${a}`, f.action);
  if (f.target) add((a) => `target = ${a}`, f.target);
  if (f.from) add((a) => `at_ms >= ${a}`, f.from.getTime());
  if (f.to) add((a) => `at_ms < ${a}`, f.to.getTime());
  if (f.beforeId !== undefined) add((a) => `id < ${a}`, f.beforeId);
  // Within the region (ids nest by prefix, as isWithinScope), or the viewer's own action.
  if (f.scope) add((a, b, c) => `(substr(region_id, 1, ${a}) = ${b} OR actor_id = ${c})`, f.scope.regionId.length, f.scope.regionId, f.scope.actorId);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}
