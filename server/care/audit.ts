import type { Request } from 'express';
import type { Audit } from '../audit/index.ts';

/**
 * The one place where an unmasked read of person-level community-life data (care registry, visits,
 * registrations, volunteer members) is recorded in the audit log. Awaited before the answer goes out: a read
 * that cannot be recorded is refused (the route's error handler answers 500), as for reporters.
 */
export interface PersonalRead {
  /** What was read: 'care_resident' | 'visit' | 'registration' | 'volunteer_hours'. */
  kind: string;
  /** Record ids read (capped by the caller's page). */
  ids: readonly string[];
  regionId: string;
}

/** Ids kept in one entry: a list page is audited as one read, not one entry per row. */
const MAX_IDS = 200;

export async function auditPersonalRead(audit: Audit | undefined, req: Request, read: PersonalRead): Promise<void> {
  if (!audit || read.ids.length === 0) return;
  await audit.record(
    { action: `care.${read.kind}_read`, target: `region:${read.regionId}`, detail: { count: read.ids.length, ids: read.ids.slice(0, MAX_IDS) }, regionId: read.regionId },
    req,
  );
}
