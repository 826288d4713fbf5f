import { describe, expect, it } from 'vitest';
import { categoryByCode } from '#common/incidents/categories';
import { PARTY_KINDS } from '#common/dispatch/types';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
import { Regions } from '#server/geo/regions';
import { syntheticParties } from '#server/dispatch/seed';
import { newPartySchema } from '#server/dispatch/parties';

const regions = new Regions(readRegions(BUNDLED_GEO_DIR));

describe('synthetic party registry', () => {
  const parties = syntheticParties(regions);

  it('is deterministic and marked synthetic', () => {
    expect(syntheticParties(regions)).toEqual(parties);
    expect(parties.every((p) => p.synthetic)).toBe(true);
    expect(new Set(parties.map((p) => p.id)).size).toBe(parties.length);
  });

  it('passes the same validation as a party an admin enters, with known categories and regions', () => {
    for (const p of parties) {
      const { synthetic: _s, ...input } = p;
      expect(newPartySchema.safeParse(input).success, p.id).toBe(true);
      expect(p.categories.every((c) => categoryByCode(c))).toBe(true);
      expect(p.regionIds.every((r) => regions.get(r))).toBe(true);
    }
  });

  it('has every kind, the five departments, and a property company for every grid', () => {
    expect(new Set(parties.map((p) => p.kind))).toEqual(new Set(PARTY_KINDS));
    const names = parties.map((p) => p.name).join(' ');
    for (const dept of ['城管', '住房和城乡建设', '市场监督', '派出所', '消防']) expect(names).toContain(dept);
    const covered = new Set(parties.filter((p) => p.kind === 'property').flatMap((p) => p.regionIds));
    for (const f of regions.features.filter((x) => x.properties.level === 'grid')) expect(covered.has(f.properties.id), f.properties.id).toBe(true);
  });
});
