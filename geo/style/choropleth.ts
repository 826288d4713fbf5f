import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import { PALETTE } from './palette.ts';

export const CHOROPLETH_METRICS = ['open', 'households', 'density', 'aging65', 'livingAlone', 'isolation'] as const;
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number];

/** Sequential ramp: navy → teal → amber → red, readable on the dark ground. */
export const RAMP = ['#12345a', '#1f7a9c', '#3fbfa8', '#f2c14e', '#f2784b', '#e0304e'] as const;

interface MetricDef {
  /** Value of a grid feature: a tile property, or feature-state for live counts. */
  value: ExpressionSpecification;
  /** Lower bounds of the ramp's classes (same length as RAMP). */
  breaks: readonly number[];
}

export const METRICS: Record<ChoroplethMetric, MetricDef> = {
  // Open incidents per grid: set by the client as feature-state `open` from the incidents store.
  open: { value: ['coalesce', ['feature-state', 'open'], 0], breaks: [0, 1, 2, 3, 5, 8] },
  households: { value: ['to-number', ['get', 'households'], 0], breaks: [0, 200, 275, 350, 450, 600] },
  // Residents per km².
  density: { value: ['to-number', ['get', 'density'], 0], breaks: [0, 8000, 12000, 16000, 20000, 26000] },
  // Share of residents aged 65+ (percent), feature-state from the population store; class edges at the
  // UN/WHO aging levels 7 / 14 / 20 %. -1 (no data) keeps the plain grid colour.
  aging65: { value: ['coalesce', ['feature-state', 'aging65'], -1], breaks: [0, 7, 10, 14, 17, 20] },
  // Elderly living alone per grid (care layer); on a wall a suppressed '<5' arrives as 1, inside the 1–5 class.
  livingAlone: { value: ['coalesce', ['feature-state', 'livingAlone'], -1], breaks: [0, 1, 5, 10, 15, 20] },
  // Isolation (community life): % of the community's elderly living alone with no visit or activity in 30 days,
  // every grid coloured by its community's figure (feature-state from the care store); -1: no figure.
  isolation: { value: ['coalesce', ['feature-state', 'isolation'], -1], breaks: [0, 10, 20, 30, 45, 60] },
};

/** Legend rows of a metric: colour and the class's lower bound. */
export function legendOf(metric: ChoroplethMetric): { color: string; from: number; to: number | null }[] {
  const b = METRICS[metric].breaks;
  return RAMP.map((color, i) => ({ color, from: b[i]!, to: i + 1 < b.length ? b[i + 1]! : null }));
}

const hover: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

/** Paint of the grid fill: calm navy normally, classed colours in a choropleth. */
export function gridFillPaint(metric: ChoroplethMetric | null): { 'fill-color': ExpressionSpecification | string; 'fill-opacity': ExpressionSpecification } {
  if (!metric) {
    return {
      'fill-color': ['case', hover, PALETTE.gridFillHover, PALETTE.gridFill],
      'fill-opacity': ['case', hover, 0.7, 0.38],
    };
  }
  const { value, breaks } = METRICS[metric];
  const steps: (string | number)[] = [];
  for (let i = 1; i < RAMP.length; i++) steps.push(breaks[i]!, RAMP[i]!);
  const classed = ['step', value, RAMP[0], ...steps] as ExpressionSpecification;
  return {
    // Negative values mean "no data" (feature-state metrics before their data arrives).
    'fill-color': ['case', ['<', value, 0], PALETTE.gridFill, classed],
    'fill-opacity': ['case', hover, 0.92, 0.72],
  };
}
