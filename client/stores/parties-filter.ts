import type { Party, PartyKind } from '#common/dispatch/types';

/** The registry screen's list as pure functions: filter by kind and a search over name, id and contact. */
export interface PartyFilters {
  kind: PartyKind | null;
  search: string;
}

export function filterParties(list: readonly Party[], f: PartyFilters): Party[] {
  const q = f.search.trim().toLowerCase();
  return list
    .filter((p) => (f.kind === null || p.kind === f.kind) && (!q || [p.name, p.id, p.contact?.name ?? ''].some((s) => s.toLowerCase().includes(q))))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** What the form edits: a party without its id and synthetic mark (the server keeps those). */
export interface PartyDraft {
  kind: PartyKind;
  name: string;
  categories: string[];
  regionIds: string[];
  contactName: string;
  contactPhone: string;
}

export const emptyDraft = (): PartyDraft => ({ kind: 'department', name: '', categories: [], regionIds: [], contactName: '', contactPhone: '' });

export const draftOf = (p: Party): PartyDraft => ({
  kind: p.kind,
  name: p.name,
  categories: [...p.categories],
  regionIds: [...p.regionIds],
  contactName: p.contact?.name ?? '',
  contactPhone: p.contact?.phone ?? '',
});

/** The REST body for a draft: a contact with neither field is none. */
export function bodyOf(d: PartyDraft): Omit<Party, 'id' | 'synthetic'> {
  const name = d.contactName.trim() || null;
  const phone = d.contactPhone.trim() || null;
  return { kind: d.kind, name: d.name.trim(), categories: d.categories, regionIds: d.regionIds, contact: name || phone ? { name, phone } : null };
}

/**
 * A masked contact (what leaders receive: 王*, 139****1111) must not be sent back as if it were the real one:
 * the form then leaves the contact out of a PATCH, so the stored one stays.
 */
export const looksMasked = (s: string): boolean => s.includes('*');
