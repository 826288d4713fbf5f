import { regionAncestry } from '#common/geo/types';
import { suppressReply } from '#common/population/indicators';
import type { Audience } from '#common/incidents/projection';
import type { Logger } from '../log.ts';
import { parseRoom, roomOf } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import { POPULATION_REV_KEY } from './import.ts';
import type { PopulationService } from './service.ts';

export interface PopulationLive {
  /** After an import on this node: push to this node's subscribers of the regions containing `gridIds`. */
  imported(gridIds: Iterable<string>): Promise<void>;
  close(): void;
}

/**
 * Live population: `population:updated { regionId, reply }` to every subscribed room of an affected region,
 * one projection per audience (the wall room gets the suppressed reply). Each node pushes to its own rooms:
 * the importing node at once, the others (and every node after a CLI import) when they see the population
 * revision change, polled every `pollMs`.
 */
export async function createPopulationLive(deps: { io: IoServer; store: Store; service: PopulationService; log: Logger; pollMs?: number }): Promise<PopulationLive> {
  const { io, store, service, log } = deps;
  let rev = await store.settings.get(POPULATION_REV_KEY);

  async function push(affected: Set<string> | null): Promise<void> {
    const audiences = new Map<string, Audience[]>();
    for (const room of io.of('/').adapter.rooms.keys()) {
      const r = parseRoom(room);
      if (!r || (affected && !affected.has(r.regionId))) continue;
      audiences.set(r.regionId, [...(audiences.get(r.regionId) ?? []), r.audience]);
    }
    for (const [regionId, list] of audiences) {
      const exact = await service.exact(regionId);
      for (const audience of list) {
        const reply = audience === 'wall' ? suppressReply(exact) : exact;
        io.local.to(roomOf(regionId, audience)).emit('population:updated', { regionId, reply });
      }
    }
  }

  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    store.settings
      .get(POPULATION_REV_KEY)
      .then(async (now) => {
        if (now === rev) return;
        rev = now;
        await push(null);
      })
      .catch((err: unknown) => log.error({ err }, 'population revision check failed'))
      .finally(() => (checking = false));
  }, deps.pollMs ?? 10_000);

  return {
    imported: async (gridIds) => {
      rev = await store.settings.get(POPULATION_REV_KEY);
      const affected = new Set<string>();
      for (const g of gridIds) for (const id of regionAncestry(g)) affected.add(id);
      await push(affected);
    },
    close: () => clearInterval(timer),
  };
}
