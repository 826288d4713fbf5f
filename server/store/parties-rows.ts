import type { Party, PartyKind } from '#common/dispatch/types';

/** A `parties` row as both stores keep it, with its covered regions joined in. */
export interface PartyRow {
  id: string;
  kind: PartyKind;
  name: string;
  categories: string;
  contact_name: string | null;
  contact_phone: string | null;
  synthetic: boolean | number;
  region_ids: string | null;
}

export const toParty = (r: PartyRow): Party => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  categories: JSON.parse(r.categories) as string[],
  regionIds: r.region_ids ? r.region_ids.split(',').sort() : [],
  contact: r.contact_name === null && r.contact_phone === null ? null : { name: r.contact_name, phone: r.contact_phone },
  synthetic: r.synthetic === true || r.synthetic === 1,
});

/** Assignee ids per query: keeps each IN list / array parameter small. */
export const WORKLOAD_CHUNK = 500;
