import { regionAncestry } from '#common/geo/types';
import type { Audience } from '#common/incidents/projection';

/** One room per region and audience, so each audience gets its own projection of a change. */
export function roomOf(regionId: string, audience: Audience): string {
  return `r:${regionId}:${audience}`;
}

export function parseRoom(room: string): { regionId: string; audience: Audience } | null {
  const m = /^r:(\d+):(full|masked|wall)$/.exec(room);
  return m ? { regionId: m[1]!, audience: m[2] as Audience } : null;
}

/** Rooms a change in `regionId` (a grid, or the root for points outside every grid) goes to. */
export function roomsFor(regionId: string, audience: Audience): string[] {
  return regionAncestry(regionId).map((id) => roomOf(id, audience));
}
