import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Incident } from '#common/incidents/types';
import type { ChoroplethMetric } from '#geo/style/choropleth.ts';
import { SEVERITY_RANK, SEVERITY_WEIGHT, STATUS_GROUPS } from '#geo/style/palette.ts';
import { DEFAULT_LAYERS, type LayerGroup, type LayerVisibility } from '#geo/style/style.ts';
import { isOpen } from './incidents-reducer';

/** Map UI state: what is shown and what is picked. Pure data; the store wraps it. */
export interface MapUi {
  /** Region the map (and the live feed) follows: the last breadcrumb. */
  focusId: string | null;
  /** Region whose panel is open. */
  selectedId: string | null;
  metric: ChoroplethMetric | null;
  layers: LayerVisibility;
}

export function initialMapUi(): MapUi {
  return { focusId: null, selectedId: null, metric: null, layers: { ...DEFAULT_LAYERS } };
}

export function toggleLayer(ui: MapUi, group: LayerGroup, on = !ui.layers[group]): MapUi {
  return { ...ui, layers: { ...ui.layers, [group]: on } };
}

export function setMetric(ui: MapUi, metric: ChoroplethMetric | null): MapUi {
  return { ...ui, metric };
}

/** Open incidents per grid. */
export function openByGrid(incidents: readonly Incident[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of incidents) if (i.gridId && isOpen(i)) out.set(i.gridId, (out.get(i.gridId) ?? 0) + 1);
  return out;
}

/** Grids whose count changed between two tallies (gone ones → 0): the feature-state updates to make. */
export function countChanges(prev: ReadonlyMap<string, number>, next: ReadonlyMap<string, number>): [string, number][] {
  const out: [string, number][] = [];
  for (const [id, n] of next) if (prev.get(id) !== n) out.push([id, n]);
  for (const id of prev.keys()) if (!next.has(id)) out.push([id, 0]);
  return out;
}

export interface IncidentPointProps {
  id: string;
  severity: Incident['severity'];
  /** Severity rank 1–4, for cluster colour (worst inside). */
  sev: number;
  /** Heat weight. */
  w: number;
  /** Stage group, for the point's shape. */
  group: string;
  gridId: string | null;
}

/** Open incidents as map points. */
export function incidentCollection(incidents: readonly Incident[]): FeatureCollection<Point, IncidentPointProps> {
  const features: Feature<Point, IncidentPointProps>[] = [];
  for (const i of incidents) {
    if (!isOpen(i)) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [i.location.lng, i.location.lat] },
      properties: {
        id: i.id,
        severity: i.severity,
        sev: SEVERITY_RANK[i.severity],
        w: SEVERITY_WEIGHT[i.severity],
        group: STATUS_GROUPS[i.status],
        gridId: i.gridId,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Open incidents of one region (a grid, or any region by code prefix), newest first, capped. */
export function openIn(incidents: readonly Incident[], regionId: string, max = 20): Incident[] {
  return incidents
    .filter((i) => isOpen(i) && i.gridId !== null && i.gridId.startsWith(regionId))
    .sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))
    .slice(0, max);
}
