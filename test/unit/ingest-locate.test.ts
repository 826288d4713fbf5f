import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEventSchema } from '#common/ingest/schema';
import type { IncidentChange } from '#common/incidents/types';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
import { gazetteerFromDataset } from '#server/geo/gazetteer-data';
import { Regions } from '#server/geo/regions';
import { createLocateStep } from '#server/ingest/locate';
import { createPipeline, type Pipeline } from '#server/ingest/pipeline';
import { SourceRegistry } from '#server/ingest/sources';
import { createLogger } from '#server/log';
import { createSqliteStore } from '#server/store/sqlite/index';
import type { Store } from '#server/store/types';

const base = { externalId: 'e1', source: 'hotline', category: 'garbage_exposed', title: '垃圾' } as const;

describe('ingest schema: location or address', () => {
  it('takes an address without a location, and a location without an address', () => {
    expect(ingestEventSchema.safeParse({ ...base, address: '双林安置小区3栋' }).success).toBe(true);
    expect(ingestEventSchema.safeParse({ ...base, location: { lng: 104.1, lat: 30.67 } }).success).toBe(true);
  });
  it('refuses neither (or a blank address) with an issue on location', () => {
    for (const over of [{}, { address: '   ' }, { address: null }]) {
      const r = ingestEventSchema.safeParse({ ...base, ...over });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({ path: ['location'] });
      expect(r.error!.issues[0]!.message).toMatch(/address/);
    }
  });
});

describe('the pipeline with the gazetteer locate step', () => {
  const regions = new Regions(readRegions(BUNDLED_GEO_DIR));
  const gazetteer = gazetteerFromDataset(BUNDLED_GEO_DIR);
  const log = createLogger('silent');
  let dir: string;
  let store: Store;
  let pipeline: Pipeline;
  const published: IncidentChange[] = [];
  const now = new Date();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gridops-locate-'));
    store = createSqliteStore(join(dir, 'db.sqlite'), regions.root.id);
    const locate = createLocateStep({ gazetteer, store, regions, log });
    pipeline = createPipeline({ store, regions, sources: new SourceRegistry(), publish: (c) => published.push(...c), log, locate });
  });
  afterAll(async () => {
    await pipeline.drain();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('locates a known address to the building, in its grid, and records the match in the history', async () => {
    const [r] = await pipeline.submit('hotline', [{ ...base, externalId: 'known', address: '成华区双林社区双林安置小区3栋2单元501室' }], now);
    expect(r).toMatchObject({ ok: true, duplicate: false });
    const incident = await store.incidents.get((r as { id: string }).id);
    const expected = gazetteer.locate('双林安置小区3栋')!;
    expect(incident!.location).toEqual({ lng: expected.point[0], lat: expected.point[1] });
    expect(incident!.gridId).toBe(regions.grids.locate(expected.point[0], expected.point[1]));
    expect(incident!.gridId).not.toBeNull();
    const history = await store.incidents.history(incident!.id);
    expect(history).toEqual([expect.objectContaining({ action: 'locate', actorId: 'system', from: 'reported', to: 'reported', locate: { method: 'exact', score: 1, matched: '双林安置小区3栋' } })]);
  });

  it('an abbreviated name is a fuzzy match with its score', async () => {
    const [r] = await pipeline.submit('hotline', [{ ...base, externalId: 'fuzzy', category: 'streetlight_out', address: '建华小区1栋' }], now);
    const history = await store.incidents.history((r as { id: string }).id);
    expect(history[0]!.locate).toMatchObject({ method: 'fuzzy', matched: '建华安置小区1栋' });
    expect(history[0]!.locate!.score).toBeGreaterThanOrEqual(0.7);
    expect(history[0]!.locate!.score).toBeLessThan(1);
  });

  it('parks an unknown address (acknowledged, nothing published) and events with a location pass untouched', async () => {
    const before = published.length;
    const results = await pipeline.submit('hotline', [
      { ...base, externalId: 'unknown', address: '不存在的地方8号' },
      { ...base, externalId: 'pinned', category: 'graffiti', location: { lng: 104.1, lat: 30.67 } },
    ], now);
    expect(results[0]).toMatchObject({ ok: true, parked: true, seq: null });
    expect(results[1]).toMatchObject({ ok: true, duplicate: false });
    expect(published.length - before).toBe(1);
    const list = await store.parked.open(regions.root.id, 10);
    expect(list.items.map((p) => p.externalId)).toEqual(['unknown']);
    expect(await store.incidents.history((results[1] as { id: string }).id)).toEqual([]);
  });

  it('refuses, not parks, an address-only event the pipeline would refuse anyway', async () => {
    const [r] = await pipeline.submit('hotline', [{ ...base, externalId: 'badcat', category: 'no_such_category', address: '不存在的地方9号' }], now);
    expect(r).toMatchObject({ ok: false, error: { code: 'ingest/unknown_category' } });
    expect((await store.parked.open(regions.root.id, 10)).items.some((p) => p.externalId === 'badcat')).toBe(false);
  });
});

describe('a parked report as each role sees it', () => {
  it('dispatchers in full; leaders with the caller and the phone in the text masked', async () => {
    const { projectParked } = await import('#server/ingest/parked-routes');
    const p = {
      id: 'PRK-1', connectorId: 'hotline', externalId: 'x', source: 'hotline' as const, category: 'garbage_exposed', title: '垃圾',
      description: '我叫王小五，电话13800138000', address: '河边大树下', reporter: { name: '王小五', phone: '13800138000' },
      reportedAt: '2026-11-29T00:00:00.000Z', receivedAt: '2026-11-29T00:00:00.000Z', regionId: '510108', incidentId: null, placedBy: null, placedAt: null,
    };
    expect(projectParked(p, 'full')).toEqual(p);
    const masked = projectParked(p, 'masked');
    expect(masked.reporter!.name).not.toBe('王小五');
    expect(masked.reporter!.phone).not.toBe('13800138000');
    expect(masked.description).not.toContain('13800138000');
    expect(masked.description).not.toContain('王小五');
    expect(masked.address).toBe('河边大树下');
  });
});
