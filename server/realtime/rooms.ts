import { regionAncestry } from '#common/geo/types';
import type { Role } from '#common/auth/types';
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

/** Every socket of one account, wall accounts included: closed together when the account changes. */
export function accountRoom(userId: string): string {
  return `acct:${userId}`;
}

/** Every socket of one user, whatever it subscribed to: pushes meant for a person (an SLA reminder). */
export function userRoom(userId: string): string {
  return `u:${userId}`;
}

/** Sockets of users of one role whose scope is rooted at `regionId`: pushes meant for a duty (dispatchers, leaders). */
export function roleRoom(role: Role, regionId: string): string {
  return `s:${role}:${regionId}`;
}

/** Role rooms of everyone of `roles` whose scope holds `regionId` (their scope root is one of its ancestors). */
export function roleRoomsFor(regionId: string, roles: readonly Role[]): string[] {
  return regionAncestry(regionId).flatMap((id) => roles.map((role) => roleRoom(role, id)));
}
