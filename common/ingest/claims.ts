import { SOURCE_KINDS, type SourceKind } from '../incidents/types.ts';

/**
 * Which incident `source` kinds each connector (the source id an ingest key is issued to) may claim for its
 * events, so a key issued to one upstream cannot pass its reports off as another's (say an Open311 key filing
 * critical "hotline" work orders). Connectors not listed may claim only `manual` or the kind named like them.
 */
export const SOURCE_CLAIMS: Readonly<Record<string, readonly SourceKind[]>> = {
  hotline: ['hotline'],
  open311: ['open311'],
  iot: ['iot'],
  mqtt: ['iot'],
  video: ['video'],
  patrol: ['patrol'],
};

/** The kinds `connectorId` may claim. */
export function claimableKinds(connectorId: string): readonly SourceKind[] {
  const listed = Object.hasOwn(SOURCE_CLAIMS, connectorId) ? SOURCE_CLAIMS[connectorId] : undefined;
  if (listed) return listed;
  const own = SOURCE_KINDS.find((k) => k === connectorId);
  return own && own !== 'manual' ? ['manual', own] : ['manual'];
}

export function mayClaim(connectorId: string, kind: SourceKind): boolean {
  return claimableKinds(connectorId).includes(kind);
}
