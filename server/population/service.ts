import { addMonths, suppressReply } from '#common/population/indicators';
import { buildGridLayer, suppressGridLayer, type GridLayer } from '#common/population/grids';
import type { ExactPopulationReply, PopulationReply } from '#common/population/types';
import type { Audience } from '#common/incidents/projection';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import { buildReply, HISTORY_MONTHS } from './reply.ts';

export interface PopulationService {
  /** Exact reply of a region (staff). */
  exact(regionId: string): Promise<ExactPopulationReply>;
  /** The reply as `audience` may see it: the wall gets the suppressed variant. */
  reply(regionId: string, audience: Audience): Promise<PopulationReply>;
  /** Per-grid cells of a region subtree for the map, projected likewise. */
  grids(regionId: string, audience: Audience): Promise<GridLayer>;
}

export function createPopulationService(store: Store, regions: Regions): PopulationService {
  async function rowsOf(regionId: string) {
    const latest = await store.population.latestMonth(regionId);
    return latest ? store.population.rows(regionId, addMonths(latest, -(HISTORY_MONTHS - 1))) : [];
  }

  async function exact(regionId: string): Promise<ExactPopulationReply> {
    const children = (regions.tree(regionId)?.children ?? []).map(({ id, name, nameEn }) => ({ id, name, nameEn }));
    return buildReply(regionId, await rowsOf(regionId), children);
  }

  return {
    exact,
    reply: async (regionId, audience) => {
      const r = await exact(regionId);
      return audience === 'wall' ? suppressReply(r) : r;
    },
    grids: async (regionId, audience) => {
      const latest = await store.population.latestMonth(regionId);
      const layer = buildGridLayer(regionId, latest ? await store.population.rows(regionId, latest) : []);
      return audience === 'wall' ? suppressGridLayer(layer) : layer;
    },
  };
}
