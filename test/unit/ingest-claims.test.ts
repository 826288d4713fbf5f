import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '#common/incidents/types';
import { claimableKinds, mayClaim, SOURCE_CLAIMS } from '#common/ingest/claims';

describe('source kinds an ingest key may claim', () => {
  const expected: Record<string, readonly string[]> = {
    hotline: ['hotline'],
    open311: ['open311'],
    iot: ['iot'],
    mqtt: ['iot'],
    video: ['video'],
    patrol: ['patrol'],
    manual: ['manual'],
    'district-app': ['manual'],
    constructor: ['manual'],
    toString: ['manual'],
  };

  it.each(Object.keys(expected))('%s claims exactly its kinds', (connector) => {
    for (const kind of SOURCE_KINDS) expect(mayClaim(connector, kind), `${connector} → ${kind}`).toBe(expected[connector]!.includes(kind));
  });

  it('lists only real source kinds', () => {
    for (const kinds of Object.values(SOURCE_CLAIMS)) for (const k of kinds) expect(SOURCE_KINDS).toContain(k);
    expect(claimableKinds('unknown')).toEqual(['manual']);
  });
});
