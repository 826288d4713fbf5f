/**
 * The one place where an unmasked read of person-level community-life data (care registry, visits,
 * registrations, volunteer members) is reported. A no-op until the audit log (branch `operations`) is merged:
 * the lead wires this function to it, and every caller is already in place.
 */
export interface PersonalRead {
  /** User id and role of the reader. */
  actorId: string;
  role: string;
  /** What was read: 'care_resident' | 'visit' | 'registration' | 'volunteer_hours'. */
  kind: string;
  /** Record ids read (capped by the caller's page). */
  ids: readonly string[];
  regionId: string;
  at: Date;
}

export function auditPersonalRead(_read: PersonalRead): void {
  // Intentionally empty: see the comment above.
}
