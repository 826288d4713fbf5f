import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { CHOROPLETH_METRICS, gridFillPaint, legendOf, RAMP } from '#geo/style/choropleth.ts';
import { buildStyle, DEFAULT_LAYERS, groupOf, LAYER_GROUPS, type LayerGroup } from '#geo/style/style.ts';

const TILES = 'http://127.0.0.1:8080/api/geo/tiles/{z}/{x}/{y}.pbf';
const allOn = Object.fromEntries(Object.keys(LAYER_GROUPS).map((k) => [k, true])) as Record<LayerGroup, boolean>;

const modes = [
  { name: 'default', opts: { tiles: TILES } },
  ...CHOROPLETH_METRICS.map((metric) => ({ name: `choropleth ${metric}`, opts: { tiles: TILES, metric } })),
  { name: 'heatmap, every layer, English', opts: { tiles: TILES, layers: allOn, locale: 'en' } },
  { name: 'xyz base layer', opts: { tiles: TILES, base: { type: 'xyz' as const, tiles: 'http://tiles.intranet/{z}/{x}/{y}.png' }, layers: allOn } },
  { name: 'pmtiles base (drawn only with the pmtiles protocol)', opts: { tiles: TILES, base: { type: 'pmtiles' as const, url: '/api/geo/base.pmtiles' } } },
];

describe('map style', () => {
  it.each(modes)('passes the MapLibre style-spec validator: $name', ({ opts }) => {
    const errors = validateStyleMin(buildStyle(opts));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('fetches nothing but our own tiles: no glyphs, no sprite, no foreign URL', () => {
    const style = buildStyle({ tiles: TILES, layers: allOn });
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const urls = JSON.stringify(style.sources).match(/https?:\/\/[^"]+/g) ?? [];
    expect(urls).toEqual([TILES]);
  });

  it('keeps the layers the end-to-end tests count and switches groups by visibility', () => {
    const style = buildStyle({ tiles: TILES, layers: { heatmap: true, pois: false } });
    const byId = new Map(style.layers.map((l) => [l.id, l]));
    expect(byId.has('grid-fill') && byId.has('incident-point')).toBe(true);
    expect(byId.get('incident-heat')?.layout).toMatchObject({ visibility: 'visible' });
    expect(byId.get('poi-icon')?.layout).toMatchObject({ visibility: 'none' });
    expect(byId.has('base-raster')).toBe(false);
    expect(DEFAULT_LAYERS.base).toBe(false);
    for (const [group, ids] of Object.entries(LAYER_GROUPS)) for (const id of ids) expect(groupOf(id)).toBe(group);
  });

  it('classes a choropleth metric into the ramp, with a legend row per class', () => {
    for (const m of CHOROPLETH_METRICS) {
      const rows = legendOf(m);
      expect(rows).toHaveLength(RAMP.length);
      expect(rows.at(-1)!.to).toBeNull();
      expect(rows.every((r, i) => i === 0 || r.from > rows[i - 1]!.from)).toBe(true);
    }
    expect(JSON.stringify(gridFillPaint('open')['fill-color'])).toContain('feature-state');
    expect(JSON.stringify(gridFillPaint(null)['fill-color'])).toContain('hover');
  });
});
