import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { HEATMAP_LOOK } from './layers-points.ts';
import { PALETTE, SEVERITY_COLORS } from './palette.ts';

/**
 * Day replay's points. The source holds every place an incident stood during the day loaded (set once per
 * day); what a replayed instant shows is feature-state only: `sev` (severity rank 1–4, 0 = not open then) and
 * `grp` (0 new, 1 being handled, 2 under review). A seek therefore never re-tiles: no worker round trip, no
 * frame of old points, the instant is drawn in the very next frame. Plain circles, unclustered: clustering
 * and icons are layout, which feature-state cannot change.
 */
export const REPLAY_SOURCE = 'incidents-replay';
/** The replay layers and the toggle group (LAYER_GROUPS) each follows. */
export const REPLAY_LAYERS = { 'replay-heat': 'heatmap', 'replay-point': 'incidents' } as const;
/** Feature-state values of `grp`. */
export const REPLAY_GROUP = { new: 0, working: 1, review: 2 } as const;

const sev: ExpressionSpecification = ['to-number', ['feature-state', 'sev'], 0];
const grp: ExpressionSpecification = ['to-number', ['feature-state', 'grp'], 0];
const sevColor: ExpressionSpecification = [
  'match', sev, 4, SEVERITY_COLORS.critical, 3, SEVERITY_COLORS.high, 2, SEVERITY_COLORS.medium, SEVERITY_COLORS.low,
];
/** A radius at this zoom for an open point, 0 (no fragments to shade) for one not open at the instant. */
const radius = (r: number): ExpressionSpecification => ['case', ['>', sev, 0], r, 0];

export function replayLayers(): LayerSpecification[] {
  return [
    {
      id: 'replay-heat', type: 'heatmap', source: REPLAY_SOURCE, maxzoom: 18, layout: { visibility: 'none' },
      paint: {
        // The live heatmap's weights by severity (palette SEVERITY_WEIGHT), 0 when not open.
        'heatmap-weight': ['match', sev, 4, 6, 3, 4, 2, 2, 1, 1, 0],
        ...HEATMAP_LOOK,
      },
    },
    {
      // The live points' stages by other means: new a ring, being handled solid, under review solid with a white rim.
      id: 'replay-point', type: 'circle', source: REPLAY_SOURCE, layout: { visibility: 'none' },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, radius(2.5), 12, radius(4), 14, radius(5.5), 17, radius(9)],
        'circle-color': sevColor,
        'circle-opacity': ['case', ['==', grp, REPLAY_GROUP.new], 0.25, 0.95],
        'circle-stroke-color': ['match', grp, REPLAY_GROUP.new, sevColor, REPLAY_GROUP.review, '#ffffff', PALETTE.background],
        'circle-stroke-width': ['case', ['>', sev, 0], 1.5, 0],
      },
    },
  ];
}
