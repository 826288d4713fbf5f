/**
 * Party registry rules shared by the REST routes, the CSV import and the seed: the input schema, who may see
 * and manage which party (scope), and the projection of contacts per audience.
 */
import { z } from 'zod';
import type { Audience } from '#common/incidents/projection';
import { categoryByCode } from '#common/incidents/categories';
import { isWithinScope } from '#common/geo/types';
import { PARTY_KINDS, type Party } from '#common/dispatch/types';
import { maskFreeText, maskName, maskPhone } from '#common/privacy';
import type { Regions } from '../geo/regions.ts';

export const MAX_PARTY_REGIONS = 200;
const PHONE = /^[0-9+\-() ]{3,24}$/;
/** Full-width digits and brackets (common in files saved on Chinese Windows) as ASCII. */
const asciiDigits = (v: unknown) =>
  typeof v === 'string' ? v.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/（/g, '(').replace(/）/g, ')') : v;

const contactSchema = z
  .strictObject({
    name: z.string().trim().max(64).nullable().optional(),
    phone: z.preprocess(asciiDigits, z.string().trim().regex(PHONE, 'digits, spaces, + - ( ) only').or(z.literal('')).nullable().optional()),
  })
  .nullable();

export const partyFields = {
  kind: z.enum(PARTY_KINDS),
  name: z.string().trim().min(1).max(100),
  categories: z
    .array(z.string().trim())
    .max(100)
    .refine((cs) => cs.every((c) => categoryByCode(c)), { message: 'unknown category code' })
    .transform((cs) => [...new Set(cs)]),
  regionIds: z
    .array(z.string().trim().regex(/^\d{6,15}$/, 'a region code'))
    .min(1)
    .max(MAX_PARTY_REGIONS)
    .transform((rs) => [...new Set(rs)].sort()),
  contact: contactSchema.optional(),
};

export const newPartySchema = z.strictObject({
  id: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1–64 letters, digits, . _ or -').optional(),
  ...partyFields,
});
export const patchPartySchema = z.strictObject({
  kind: partyFields.kind.optional(),
  name: partyFields.name.optional(),
  categories: partyFields.categories.optional(),
  regionIds: partyFields.regionIds.optional(),
  contact: partyFields.contact,
});

/** A contact with both fields empty is no contact. */
export function normalContact(c: { name?: string | null; phone?: string | null } | null | undefined): Party['contact'] {
  const name = c?.name?.trim() || null;
  const phone = c?.phone?.trim() || null;
  return name === null && phone === null ? null : { name, phone };
}

/** The first region id that is unknown or outside `scope`, with why; null when all are fine. */
export function regionProblem(regionIds: readonly string[], regions: Regions, scope: string): string | null {
  for (const id of regionIds) {
    if (!regions.get(id)) return `no region ${id}`;
    if (!isWithinScope(id, scope)) return `region ${id} is outside your scope`;
  }
  return null;
}

/** An admin manages a party only when every region it covers lies in the admin's scope. */
export const mayManage = (p: Pick<Party, 'regionIds'>, scope: string) => p.regionIds.every((r) => isWithinScope(r, scope));

/** Visible to a user when it covers something in their scope, or covers their whole scope (a district department). */
export const mayRead = (p: Pick<Party, 'regionIds'>, scope: string) =>
  p.regionIds.some((r) => isWithinScope(r, scope) || isWithinScope(scope, r));

/** Contacts are personal data: in full for admins and dispatchers, masked for leaders and workers, none for walls. */
export function projectParty(p: Party, audience: Audience): Party {
  if (audience === 'full') return p;
  if (audience === 'wall') return { ...p, contact: null };
  // A number typed into the party's name (a habit of some registries) is masked like one in free text.
  const name = maskFreeText(p.name);
  return { ...p, name, contact: p.contact && { name: maskName(p.contact.name), phone: maskPhone(p.contact.phone) } };
}
