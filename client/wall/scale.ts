/**
 * The wall scale: the screens are designed at 1920×1080 and grow with the wall (4K, spliced 5760×2160), by
 * the smaller of the width and height ratios so a wide spliced wall does not overflow its height. The CSS
 * root font size (theme.css) follows the same rule; canvas-drawn text (ECharts, MapLibre) does not see CSS,
 * so it is scaled here. Pure: no DOM.
 */
export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;

/** Layout scale of a viewport (1 at 1920×1080), within the root font clamp of theme.css (10px–64px on 16px). */
export function layoutScale(width: number, height: number): number {
  const s = Math.min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT);
  return Math.min(4, Math.max(10 / 16, s));
}

/** Canvas text grows with the wall but never shrinks below its 1080p size (a tablet's chart text stays readable). */
export function textScale(width: number, height: number): number {
  return Math.max(1, Math.round(layoutScale(width, height) * 100) / 100);
}

/** Option keys holding pixel sizes that should grow with the wall. */
const PIXEL_KEYS = new Set(['fontSize', 'lineHeight', 'symbolSize', 'barMaxWidth', 'itemWidth', 'itemHeight', 'itemGap', 'margin', 'distance', 'padding']);
/** Text blocks ECharts draws at 12px unless told: given an explicit size so it can be scaled. */
const TEXT_KEYS = new Set(['axisLabel', 'label', 'textStyle', 'nameTextStyle']);
const GRID_KEYS = new Set(['left', 'right', 'top', 'bottom']);
const ECHARTS_DEFAULT_FONT = 12;

function scaleValue(v: unknown, s: number): unknown {
  if (typeof v === 'number') return Math.round(v * s * 10) / 10;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.map((x) => Math.round((x as number) * s * 10) / 10);
  return v;
}

function walk(node: unknown, s: number, parentKey: string): unknown {
  if (Array.isArray(node)) return node.map((x) => walk(x, s, parentKey));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (PIXEL_KEYS.has(k)) out[k] = scaleValue(v, s);
    else if (parentKey === 'grid' && GRID_KEYS.has(k)) out[k] = scaleValue(v, s);
    else out[k] = walk(v, s, k);
  }
  if (TEXT_KEYS.has(parentKey) && out.fontSize === undefined) out.fontSize = ECHARTS_DEFAULT_FONT * s;
  return out;
}

/**
 * An ECharts option with its pixel sizes (fonts, symbols, gaps, grid margins) multiplied by `s`; text ECharts
 * would draw at its 12px default gets an explicit scaled size. `s` = 1 returns the option untouched.
 */
export function scaleChartOption<T extends object>(option: T, s: number): T {
  if (s === 1) return option;
  const scaled = walk(option, s, '') as Record<string, unknown>;
  scaled.textStyle = { ...(scaled.textStyle as object | undefined), fontSize: ((scaled.textStyle as { fontSize?: number } | undefined)?.fontSize ?? ECHARTS_DEFAULT_FONT * s) };
  for (const axis of ['xAxis', 'yAxis']) {
    const a = scaled[axis] as Record<string, unknown> | Record<string, unknown>[] | undefined;
    if (a && typeof a === 'object') scaled[axis] = Array.isArray(a) ? a.map((x) => withAxisFont(x, s)) : withAxisFont(a, s);
  }
  return scaled as T;
}

function withAxisFont(axis: Record<string, unknown>, s: number): Record<string, unknown> {
  const label = (axis.axisLabel ?? {}) as Record<string, unknown>;
  return label.fontSize === undefined ? { ...axis, axisLabel: { ...label, fontSize: ECHARTS_DEFAULT_FONT * s } } : axis;
}

/**
 * A MapLibre size value (text-size, circle-radius, icon-size …) times `s`: a number, or the outputs of a
 * zoom `interpolate` / `step` expression (zoom stops must stay the top-level input, so the factor goes into
 * each output rather than around the expression). Anything else is returned as it is.
 */
export function scaleMapSize(value: unknown, s: number): unknown {
  if (s === 1) return value;
  if (typeof value === 'number') return Math.round(value * s * 100) / 100;
  if (!Array.isArray(value)) return value;
  const [op] = value as unknown[];
  if (op === 'interpolate') {
    // ['interpolate', interpolation, input, z0, v0, z1, v1, …]
    return value.map((x, i) => (i >= 4 && i % 2 === 0 ? scaleMapSize(x, s) : x));
  }
  if (op === 'step') {
    // ['step', input, v0, z1, v1, …]
    return value.map((x, i) => (i >= 2 && i % 2 === 0 ? scaleMapSize(x, s) : x));
  }
  if (op === 'match') {
    // ['match', input, label, out, label, out, …, fallback]
    return value.map((x, i) => (i >= 3 && (i % 2 === 1 || i === value.length - 1) ? scaleMapSize(x, s) : x));
  }
  return ['*', value, s];
}
