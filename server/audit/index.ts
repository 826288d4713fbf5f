import type { Request } from 'express';
import type { NewAuditEntry } from '#common/audit/types';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';

/** What a caller records; the actor and origin come from the request when one is given. */
export interface AuditRecord {
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  /** Defaults to the request's user. */
  actor?: { id: string | null; name?: string | null; role?: string | null } | null;
  /** Defaults to the request's client address (Express `req.ip`, which honours TRUST_PROXY). */
  ip?: string | null;
  userAgent?: string | null;
  /**
   * The region the entry is about (AuditEntry.regionId): the incident's grid, the resident's region … Defaults
   * to the request user's scope (an admin's action is about their region); null for deployment-wide things.
   */
  regionId?: string | null;
}

export interface Audit {
  /**
   * Append one entry. Resolves when it is stored; rejects when the store fails, so a caller guarding a read
   * of personal data can refuse to answer rather than answer unaudited.
   */
  record(entry: AuditRecord, req?: Request): Promise<void>;
}

const MAX_UA = 256;

export function createAudit(deps: { store: Store; log: Logger; now?: () => Date }): Audit {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  // Display names are looked up once per user: the log stays readable after a rename, as it was then.
  return {
    async record(entry, req) {
      const user = req?.user;
      const actor = entry.actor ?? (user ? { id: user.sub, role: user.role, name: null } : null);
      const name = actor?.name ?? (actor?.id ? ((await store.users.byId(actor.id).catch(() => null))?.username ?? null) : null);
      const row: NewAuditEntry = {
        actorId: actor?.id ?? null,
        actorName: name,
        actorRole: actor?.role ?? null,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? null,
        ip: entry.ip ?? req?.ip ?? null,
        userAgent: (entry.userAgent ?? req?.get('user-agent') ?? null)?.slice(0, MAX_UA) ?? null,
        regionId: entry.regionId !== undefined ? entry.regionId : (user?.regionId ?? null),
      };
      try {
        await store.audit.append(row, now());
      } catch (err) {
        log.error({ err, action: row.action }, 'audit append failed');
        throw err;
      }
    },
  };
}
