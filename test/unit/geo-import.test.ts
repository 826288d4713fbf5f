import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { distanceM, fromWgs84 } from '../../common/geo/crs.ts';
import type { RegionProps } from '../../common/geo/types.ts';
import { formatProblem, importBoundaries, type ImportOptions } from '../../geo/scripts/import/index.ts';
import { findSelfIntersection, firstVertexOutside, areaOf } from '../../geo/scripts/import/geometry.ts';
import { main, parseCli } from '../../geo/scripts/import.ts';
import { writePolygonShapefile } from '../fixtures/geo/write-shapefile.ts';

const FIX = fileURLToPath(new URL('../fixtures/geo/', import.meta.url));
const fix = (name: string): string => join(FIX, name);

type Region = Feature<Polygon, RegionProps>;

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

async function regionsIn(dataDir: string): Promise<Region[]> {
  return (await readJson<FeatureCollection<Polygon, RegionProps>>(join(dataDir, 'geo', 'regions.geojson')))
    .features as Region[];
}

let dataDir: string;
let logs: string[];

/** Options with the test data dir, a silent logger, and the fixture base instead of the bundled demo. */
function opts(o: Partial<ImportOptions> & Pick<ImportOptions, 'file' | 'crs'>): ImportOptions {
  return { dataDir, baseFile: fix('base-regions.geojson'), log: (l) => logs.push(l), ...o };
}

async function seedBase(): Promise<string> {
  const out = join(dataDir, 'geo', 'regions.geojson');
  await mkdir(join(dataDir, 'geo'), { recursive: true });
  await copyFile(fix('base-regions.geojson'), out);
  return out;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gridops-geo-import-'));
  logs = [];
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('importBoundaries: good GCJ-02 grid file', () => {
  it('replaces the grid level, converting back to WGS-84 within 1 m of the originals', async () => {
    await seedBase();
    const res = await importBoundaries(opts({ file: fix('grids-gcj02.geojson'), crs: 'gcj02', level: 'grid' }));
    expect(res.problems.map(formatProblem)).toEqual([]);
    expect(res.ok).toBe(true);
    expect(res.written).toBe(true);
    expect(res.counts).toMatchObject({ read: 8, imported: { grid: 8 }, replaced: { grid: 5 }, orphansDropped: {}, total: 12 });

    const regions = await regionsIn(dataDir);
    expect(regions).toHaveLength(12);
    const grids = regions.filter((f) => f.properties.level === 'grid');
    expect(grids.map((f) => f.properties.id).sort()).toEqual([
      '510108001001001',
      '510108001001002',
      '510108001001003',
      '510108001001004',
      '510108001001005',
      '510108001001006',
      '510108001002001',
      '510108001002002',
    ]);
    // Old grid names are gone, upper levels untouched (still synthetic).
    expect(grids.every((f) => f.properties.synthetic === false)).toBe(true);
    expect(regions.filter((f) => f.properties.level !== 'grid').every((f) => f.properties.synthetic === true)).toBe(true);
    const g1 = grids.find((f) => f.properties.id === '510108001001001');
    expect(g1?.properties).toEqual({
      id: '510108001001001',
      level: 'grid',
      parentId: '510108001001',
      name: '志强第1网格',
      nameEn: 'Zhiqiang Grid 1',
      synthetic: false,
    });

    // Every vertex within 1 m (in fact ~1 mm: iterative inverse + 1e-8° rounding) of the original.
    const originals = await readJson<FeatureCollection<Polygon, { id: string }>>(fix('grids-wgs84.geojson'));
    let worst = 0;
    for (const o of originals.features) {
      const got = grids.find((f) => f.properties.id === o.properties.id);
      expect(got).toBeDefined();
      const a = o.geometry.coordinates[0] ?? [];
      const b = got?.geometry.coordinates[0] ?? [];
      expect(b).toHaveLength(a.length);
      a.forEach((p, i) => {
        worst = Math.max(worst, distanceM(p, b[i] ?? [NaN, NaN]));
      });
    }
    expect(worst).toBeLessThan(1);
    expect(worst).toBeLessThan(0.01);

    // Atomic write left no temp files behind; the summary mentions the counts.
    expect(await readdir(join(dataDir, 'geo'))).toEqual(['regions.geojson']);
    expect(logs.join('\n')).toMatch(/imported 8 grid regions; replaced 5 grid existing regions/);
    expect(logs.join('\n')).toMatch(/dropped 0 orphaned descendant regions/);
  });

  it('infers the level from the id length and falls back to the given base when the data dir is empty', async () => {
    const res = await importBoundaries(opts({ file: fix('grids-gcj02.geojson'), crs: 'gcj02' }));
    expect(res.ok).toBe(true);
    expect(res.base).toBe(fix('base-regions.geojson'));
    expect(res.counts.imported).toEqual({ grid: 8 });
    expect(await regionsIn(dataDir)).toHaveLength(12);
    // The base file itself is never modified.
    expect(await readFile(fix('base-regions.geojson'), 'utf8')).not.toContain('synthetic":false');
  });

  it('dry run validates and writes nothing', async () => {
    const res = await importBoundaries(opts({ file: fix('grids-gcj02.geojson'), crs: 'gcj02', dryRun: true }));
    expect(res.ok).toBe(true);
    expect(res.written).toBe(false);
    expect(existsSync(join(dataDir, 'geo'))).toBe(false);
  });

  it('replacing communities drops their orphaned grids and says how many (BD-09 input)', async () => {
    await seedBase();
    const res = await importBoundaries(opts({ file: fix('communities-bd09.geojson'), crs: 'bd09' }));
    expect(res.problems.map(formatProblem)).toEqual([]);
    // Community 002 disappears, so its one grid is orphaned; community 001 keeps its id, so its 4 grids stay.
    expect(res.counts).toMatchObject({ imported: { community: 2 }, replaced: { community: 2 }, orphansDropped: { grid: 1 } });
    expect(logs.join('\n')).toMatch(/dropped 1 orphaned descendant region \(1 grid\)/);
    const regions = await regionsIn(dataDir);
    const ids = regions.map((f) => f.properties.id);
    expect(ids).not.toContain('510108001002');
    expect(ids).not.toContain('510108001002001');
    expect(ids).toContain('510108001003');
    expect(ids.filter((id) => id.startsWith('510108001001') && id.length === 15)).toHaveLength(4);
    // BD-09 → WGS-84: the community corner comes back to (104.09, 30.66) within a millimetre.
    const c1 = regions.find((f) => f.properties.id === '510108001001');
    expect(distanceM(c1?.geometry.coordinates[0]?.[0] ?? [0, 0], [104.09, 30.66])).toBeLessThan(0.005);
  });

  it('keeps the collection’s other members and clears its synthetic flag once nothing is synthetic', async () => {
    const fc = await readJson<FeatureCollection<Polygon, RegionProps>>(fix('base-regions.geojson'));
    for (const f of fc.features) if (f.properties.level !== 'grid') f.properties.synthetic = false;
    await mkdir(join(dataDir, 'geo'), { recursive: true });
    const out = join(dataDir, 'geo', 'regions.geojson');
    await writeFile(out, JSON.stringify({ type: 'FeatureCollection', synthetic: true, note: 'demo', features: fc.features }));
    const res = await importBoundaries(opts({ file: fix('grids-gcj02.geojson'), crs: 'gcj02' }));
    expect(res.ok).toBe(true);
    const written = await readJson<Record<string, unknown>>(out);
    expect(written).toMatchObject({ type: 'FeatureCollection', synthetic: false, note: 'demo' });
    expect(written.features).toHaveLength(12);
  });

  it('reports progress on large files', async () => {
    await seedBase();
    const res = await importBoundaries(opts({ file: fix('grids-gcj02.geojson'), crs: 'gcj02', progressEvery: 2 }));
    expect(res.ok).toBe(true);
    expect(logs).toContain('imported 4/8 (50 %)');
    expect(logs).toContain('imported 8/8 (100 %)');
  });
});

describe('importBoundaries: bad features', () => {
  const EXPECTED: [number, RegExp][] = [
    [1, /invalid id "51010800100102": 14 digits, a grid code has 15/],
    [2, /missing name/],
    [3, /geometry type Point/],
    [4, /ring not closed/],
    [5, /ring has 3 positions \(at least 4 needed\)/],
    [6, /self-intersection near \(104\.1040000, 30\.6620000\)/],
    [7, /duplicate id \(same as feature #0\)/],
    [8, /parent 510108001009 not found/],
    [9, /not contained in parent 510108001001: vertex .* lies \d+ m outside/],
    [10, /^parts cross or touch near \(104\.09\d+, 30\.67\d+\)$/],
    [11, /missing id/],
    [12, /^part 2 lies inside part 1$/],
    [13, /^part 2 exterior ring: ring not closed/],
  ];

  it('names every bad feature with index, id/name and reason, and leaves the data dir byte-identical', async () => {
    const out = await seedBase();
    const before = await readFile(out);
    const res = await importBoundaries(opts({ file: fix('bad-grids.geojson'), crs: 'gcj02', level: 'grid' }));
    expect(res.ok).toBe(false);
    expect(res.written).toBe(false);
    expect(res.problems.map((p) => p.index)).toEqual(EXPECTED.map(([i]) => i));
    for (const [index, reason] of EXPECTED) {
      const p = res.problems.find((q) => q.index === index);
      expect(p?.reason, `feature #${index}`).toMatch(reason);
    }
    // Named by id and name where the feature has them.
    expect(formatProblem(res.problems[0]!)).toBe(
      'feature #1 (id 51010800100102, "短编码"): invalid id "51010800100102": 14 digits, a grid code has 15',
    );
    expect(formatProblem(res.problems.find((p) => p.index === 8)!)).toMatch(/^feature #8 \(id 510108001009001, "无父"\)/);
    expect(formatProblem(res.problems.find((p) => p.index === 11)!)).toMatch(/^feature #11 \("无编码"\): missing id/);
    // Feature #0 is fine and not reported.
    expect(res.problems.some((p) => p.index === 0)).toBe(false);
    expect(Buffer.compare(await readFile(out), before)).toBe(0);
    expect(await readdir(join(dataDir, 'geo'))).toEqual(['regions.geojson']);
  });

  it('writes nothing at all when the data dir has no regions yet', async () => {
    const res = await importBoundaries(opts({ file: fix('bad-grids.geojson'), crs: 'gcj02' }));
    expect(res.ok).toBe(false);
    expect(res.problems.length).toBe(EXPECTED.length);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('allows ~1 m of jitter along the parent boundary, not more', async () => {
    await seedBase();
    // Community 510108001001 spans lng 104.09–104.11; 1e-5° of longitude ≈ 0.96 m at 30.67° N.
    const grid = (x1: number): Feature<Polygon> => ({
      type: 'Feature',
      properties: { id: '510108001001001', name: '边界网格' },
      geometry: {
        type: 'Polygon',
        coordinates: [[[104.1, 30.66], [x1, 30.66], [x1, 30.67], [104.1, 30.67], [104.1, 30.66]]],
      },
    });
    const file = join(dataDir, 'edge.geojson');
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [grid(104.11 + 0.5e-5)] }));
    expect((await importBoundaries(opts({ file, crs: 'wgs84' }))).ok).toBe(true);
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [grid(104.11 + 5e-5)] }));
    const res = await importBoundaries(opts({ file, crs: 'wgs84' }));
    expect(res.ok).toBe(false);
    expect(res.problems[0]?.reason).toMatch(/lies 4\.\d\d m outside it \(tolerance 1 m\)/);
  });

  it('a parent in the same file counts; a parent whose level is being replaced does not', async () => {
    await seedBase();
    const sq = (x: number, y: number, d: number): number[][][] => [
      [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]],
    ];
    const file = join(dataDir, 'mixed.geojson');
    const community = { type: 'Feature', properties: { id: '510108001003', name: '新社区' }, geometry: { type: 'Polygon', coordinates: sq(104.11, 30.68, 0.02) } };
    const grid = { type: 'Feature', properties: { id: '510108001003001', name: '新网格' }, geometry: { type: 'Polygon', coordinates: sq(104.115, 30.685, 0.005) } };
    const orphan = { type: 'Feature', properties: { id: '510108001001001', name: '旧社区的网格' }, geometry: { type: 'Polygon', coordinates: sq(104.095, 30.665, 0.005) } };
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [community, grid] }));
    const ok = await importBoundaries(opts({ file, crs: 'cgcs2000', dryRun: true }));
    expect(ok.problems.map(formatProblem)).toEqual([]);
    expect(ok.counts.imported).toEqual({ community: 1, grid: 1 });
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [community, grid, orphan] }));
    const bad = await importBoundaries(opts({ file, crs: 'cgcs2000' }));
    expect(bad.ok).toBe(false);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]?.reason).toMatch(/parent 510108001001 not found .*being replaced/);
  });

  it('reports unreadable input as a file-level problem', async () => {
    const res = await importBoundaries(opts({ file: join(dataDir, 'nope.geojson'), crs: 'wgs84' }));
    expect(res.ok).toBe(false);
    expect(formatProblem(res.problems[0]!)).toMatch(/^file: file not found/);
    const notGeo = join(dataDir, 'x.json');
    await writeFile(notGeo, '{"hello": 1}');
    expect((await importBoundaries(opts({ file: notGeo, crs: 'wgs84' }))).problems[0]?.reason).toMatch(/not a GeoJSON/);
  });
});

describe('importBoundaries: shapefile', () => {
  it('reads .shp + .dbf (UTF-8 names, numeric codes, custom field names)', async () => {
    await seedBase();
    // Two grids of community 510108001001 (lng 104.09–104.11, lat 30.66–30.68), given in GCJ-02.
    const ring = (x0: number, x1: number): [number, number][] =>
      (
        [
          [x0, 30.66],
          [x1, 30.66],
          [x1, 30.68],
          [x0, 30.68],
          [x0, 30.66],
        ] as [number, number][]
      ).map(([x, y]) => fromWgs84(x, y, 'gcj02'));
    const base = join(dataDir, 'grids');
    writePolygonShapefile(
      base,
      [
        { name: 'CODE', type: 'N', length: 15 },
        { name: 'MC', type: 'C', length: 40 },
        { name: 'MC_EN', type: 'C', length: 40 },
      ],
      [
        { rings: [ring(104.09, 104.1)], attributes: { CODE: 510108001001001, MC: '志强西网格', MC_EN: 'Zhiqiang West' } },
        { rings: [ring(104.1, 104.11)], attributes: { CODE: 510108001001002, MC: '志强东网格', MC_EN: null } },
      ],
    );
    const res = await importBoundaries(
      opts({ file: `${base}.shp`, crs: 'gcj02', level: 'grid', idField: 'CODE', nameField: 'MC', nameEnField: 'MC_EN' }),
    );
    expect(res.problems.map(formatProblem)).toEqual([]);
    expect(res.counts.imported).toEqual({ grid: 2 });
    const grids = (await regionsIn(dataDir)).filter((f) => f.properties.level === 'grid');
    expect(grids.map((f) => [f.properties.id, f.properties.name, f.properties.nameEn])).toEqual([
      ['510108001001001', '志强西网格', 'Zhiqiang West'],
      ['510108001001002', '志强东网格', '志强东网格'], // no English name: falls back to the name
    ]);
    // Exterior rings come out counter-clockwise (RFC 7946), converted back to WGS-84.
    const r0 = grids[0]?.geometry.coordinates[0] ?? [];
    expect(r0).toHaveLength(5);
    for (const corner of [[104.09, 30.66], [104.1, 30.66], [104.1, 30.68], [104.09, 30.68]]) {
      expect(Math.min(...r0.map((p) => distanceM(p, corner)))).toBeLessThan(0.01);
    }
    let s = 0;
    for (let i = 0; i + 1 < r0.length; i++) s += r0[i]![0]! * r0[i + 1]![1]! - r0[i + 1]![0]! * r0[i]![1]!;
    expect(s).toBeGreaterThan(0);
  });

  it('names bad shapefile records too', async () => {
    const base = join(dataDir, 'bad');
    writePolygonShapefile(base, [{ name: 'id', type: 'C', length: 20 }, { name: 'name', type: 'C', length: 20 }], [
      { rings: [[[104.1, 30.67], [104.101, 30.67], [104.101, 30.671], [104.1, 30.671], [104.1, 30.67]]], attributes: { id: '5101080010010', name: 'x' } },
    ]);
    const res = await importBoundaries(opts({ file: `${base}.shp`, crs: 'wgs84' }));
    expect(res.ok).toBe(false);
    expect(formatProblem(res.problems[0]!)).toMatch(/^feature #0 \(id 5101080010010, "x"\): invalid id .* 13 digits/);
  });
});

describe('geometry helpers', () => {
  it('finds self-intersections, including across rings and spikes, and accepts simple rings', () => {
    const square: [number, number][] = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(findSelfIntersection([square])).toBeNull();
    expect(findSelfIntersection([[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]])).toEqual([0.5, 0.5]);
    // A hole crossing the exterior ring.
    expect(findSelfIntersection([square, [[0.5, 0.5], [1.5, 0.5], [1.5, 0.6], [0.5, 0.6], [0.5, 0.5]]])).not.toBeNull();
    // A spike folding back along the previous edge.
    expect(findSelfIntersection([[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]])).not.toBeNull();
    // Duplicate consecutive vertices are harmless.
    expect(findSelfIntersection([[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]])).toBeNull();
  });

  it('checks containment with a metric tolerance', () => {
    const parent = areaOf([[[[104, 30], [104.01, 30], [104.01, 30.01], [104, 30.01], [104, 30]]]]);
    expect(firstVertexOutside([[[104.005, 30.005], [104.01, 30.005], [104.005, 30.006], [104.005, 30.005]]], parent, 1)).toBeNull();
    const out = firstVertexOutside([[[104.005, 30.005], [104.0101, 30.005], [104.005, 30.006], [104.005, 30.005]]], parent, 1);
    expect(out?.distanceM).toBeGreaterThan(9);
    expect(out?.distanceM).toBeLessThan(11);
  });
});

describe('CLI', () => {
  it('parses options', () => {
    const o = parseCli(['f.shp', '--crs', 'bd09', '--level', 'community', '--id-field', 'code', '--dry-run'], {});
    expect(o).toMatchObject({ file: 'f.shp', crs: 'bd09', level: 'community', idField: 'code', dryRun: true, dataDir: './data' });
    expect(parseCli(['f.shp', '--crs', 'wgs84'], { DATA_DIR: '/srv/gridops' })).toMatchObject({ dataDir: '/srv/gridops' });
    expect(parseCli(['f.shp'], {})).toMatch(/--crs is required/);
    expect(parseCli(['f.shp', '--crs', 'mars'], {})).toMatch(/--crs is required/);
    expect(parseCli(['f.shp', '--crs', 'wgs84', '--level', 'block'], {})).toMatch(/--level/);
    expect(parseCli(['--crs', 'wgs84'], {})).toMatch(/one input file/);
  });

  it('exits 1 on bad input and 0 on success', async () => {
    const stderr = process.stderr.write.bind(process.stderr);
    const captured: string[] = [];
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await seedBase();
      expect(await main([fix('bad-grids.geojson'), '--crs', 'gcj02', '--data-dir', dataDir])).toBe(1);
      expect(captured.join('')).toMatch(/13 problems in .*bad-grids\.geojson/);
      expect(captured.join('')).toMatch(/nothing was written/);
      expect(await main([fix('grids-gcj02.geojson'), '--crs', 'gcj02', '--data-dir', dataDir])).toBe(0);
      expect(captured.join('')).toMatch(/wrote 12 regions to/);
      expect(await main(['--crs', 'gcj02'])).toBe(2);
    } finally {
      process.stderr.write = stderr;
    }
  });
});
