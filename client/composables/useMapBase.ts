import type { Map as MapLibreMap, RasterSourceSpecification } from 'maplibre-gl';
import { onBeforeUnmount, watch, type ShallowRef } from 'vue';
import { BASE_SOURCE, baseRasterLayer, DISTRICT_FILL, districtFillOpacity } from '#geo/style/style.ts';
import { useMapStore } from '../stores/map';
import { useSessionStore } from '../stores/session';

/** pmtiles' TileType values of image tiles (png, jpeg, webp, avif); 1 (MVT) and 6 (MLT) are vector tiles. */
const RASTER_TILE_TYPES: Record<number, string> = { 2: 'png', 3: 'jpeg', 4: 'webp', 5: 'avif' };

/**
 * The PMTiles base map of the deployment (`MapConfig.base.type === 'pmtiles'`), drawn under our own layers.
 * pmtiles is imported only then (mapPmtiles.ts, its own chunk), so a deployment without one pays nothing for it
 * and makes no request for it. The archive is read with range requests that carry the session's bearer token.
 * A raster archive becomes a `raster` source with the header's zoom range and bounds; a vector archive would
 * need a style of its own, which GridOps does not ship: it is not drawn, with one console warning. The XYZ kind
 * is in the style from the start (buildStyle).
 */
export function useMapBase(map: ShallowRef<MapLibreMap | null>, loaded: ShallowRef<boolean>) {
  const store = useMapStore();
  const session = useSessionStore();
  let added: MapLibreMap | null = null;

  async function addPmtilesBase(m: MapLibreMap, path: string): Promise<void> {
    const { openPmtiles } = await import('./mapPmtiles');
    const url = new URL(path, window.location.origin).href;
    const header = await openPmtiles(url, () => session.token);
    if (map.value !== m) return; // unmounted meanwhile
    if (!RASTER_TILE_TYPES[header.tileType]) {
      console.warn(
        `GridOps: the PMTiles base map (${path}) holds ${header.tileType === 1 || header.tileType === 6 ? 'vector' : 'unknown'} tiles ` +
          `(tile type ${header.tileType}). A vector base map needs a style of its own, which GridOps does not provide: it is not drawn. ` +
          'Use a raster (png/jpg/webp) PMTiles file, or MAP_BASE_XYZ.',
      );
      return;
    }
    const spec: RasterSourceSpecification = {
      type: 'raster',
      tiles: [`pmtiles://${url}/{z}/{x}/{y}`],
      tileSize: 256,
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
    };
    if (header.minLon < header.maxLon && header.minLat < header.maxLat) spec.bounds = [header.minLon, header.minLat, header.maxLon, header.maxLat];
    m.addSource(BASE_SOURCE, spec);
    // Right above the background, under every layer of ours; shown as the layer switch says now.
    const above = m.getLayersOrder().find((id) => m.getLayer(id)?.type !== 'background');
    m.addLayer(baseRasterLayer('pmtiles', store.ui.layers.base) as Parameters<MapLibreMap['addLayer']>[0], above);
    m.setPaintProperty(DISTRICT_FILL, 'fill-opacity', districtFillOpacity(store.ui.layers.base));
    store.pmtilesDrawn = true;
  }

  const stop = watch(
    [loaded, () => store.config?.base],
    ([isLoaded, base]) => {
      const m = map.value;
      if (!isLoaded || !m || base?.type !== 'pmtiles' || added === m || m.getSource(BASE_SOURCE)) return;
      added = m;
      addPmtilesBase(m, base.url).catch((err: unknown) => {
        // The rest of the map works without it; say why it is missing.
        console.warn(`GridOps: the PMTiles base map (${base.url}) could not be read: ${(err as Error).message}`);
      });
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    stop();
    store.pmtilesDrawn = false;
    added = null;
  });
}
