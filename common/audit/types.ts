import { z } from 'zod';

/** One line of the append-only audit log: who did or saw what, when, from where. */
export interface AuditEntry {
  id: number;
  /** ISO time the server recorded it. */
  at: string;
  /** User id; null for the server itself (first start, a script). */
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  /** `area.verb`, e.g. `incident.reporter_read`, `user.update`, `case.dispatch` (AUDIT_ACTIONS). */
  action: string;
  /** What it was done to: `incident:<id>`, `user:<id>`, `party:<id>`, … */
  target: string | null;
  /** Small JSON object: the fields changed, the HTTP status; never a password or a resident's details. */
  detail: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  /**
   * The region the entry is about (the incident's grid, the resident's or user's region, else the acting
   * admin's scope); null for deployment-wide things (the holiday calendar). GET /api/audit shows an admin
   * scoped below the root only the entries within their region, and their own.
   */
  regionId: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** Actions recorded today (others are free-form `area.verb`; the console lists these in its filter). */
export const AUDIT_ACTIONS = [
  'incident.reporter_read',
  'incident.reporter_list_read',
  'incident.reporter_push',
  'case.action',
  'user.create',
  'user.update',
  'user.password_reset',
  'user.password_change',
  'wall_link.create',
  'wall_link.update',
  'wall_link.revoke',
  'wall_link.reissue',
  'ingest_key.create',
  'ingest_key.revoke',
  'party.create',
  'party.update',
  'party.delete',
  'party.import',
  'population.import',
  'holiday.update',
] as const;

/** `GET /api/audit` query: every field narrows; `action` ending in `*` matches a prefix (`case.*`). */
export const auditQuerySchema = z.object({
  actor: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(64).optional(),
  target: z.string().min(1).max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d{1,18}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface AuditPage {
  items: AuditEntry[];
  /** Pass back as `cursor` for older entries; null at the end. */
  nextCursor: string | null;
}
