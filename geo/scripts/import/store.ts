/** Loading the current regions and writing the new ones atomically. */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Geometry } from 'geojson';
import type { RegionProps } from '../../../common/geo/types.ts';
import { InputError } from './read.ts';

export interface RegionFeature {
  type: 'Feature';
  properties: RegionProps;
  geometry: Geometry;
}

/** The bundled demo dataset, used as the base when the data dir has no regions yet. */
export const BUNDLED_REGIONS = fileURLToPath(new URL('../../data/regions.geojson', import.meta.url));

export function regionsPath(dataDir: string): string {
  return join(dataDir, 'geo', 'regions.geojson');
}

/** Which file the import replaces into: the data dir's regions if present, else `fallback`. */
export function resolveBase(dataDir: string, fallback: string = BUNDLED_REGIONS): string | null {
  const own = regionsPath(dataDir);
  if (existsSync(own)) return own;
  return existsSync(fallback) ? fallback : null;
}

export interface RegionCollection {
  features: RegionFeature[];
  /** Other top-level members of the FeatureCollection (e.g. `synthetic`, `note`), kept on rewrite. */
  members: Record<string, unknown>;
}

export async function loadRegions(file: string): Promise<RegionCollection> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read current regions ${file}: ${(err as Error).message}`);
  }
  const o = (doc ?? {}) as { type?: unknown; features?: unknown } & Record<string, unknown>;
  if (o.type !== 'FeatureCollection' || !Array.isArray(o.features)) {
    throw new InputError(`current regions ${file} is not a GeoJSON FeatureCollection`);
  }
  const out: RegionFeature[] = [];
  o.features.forEach((f: unknown, i) => {
    const p = (f as { properties?: Partial<RegionProps> } | null)?.properties;
    if (!p || typeof p.id !== 'string' || typeof p.level !== 'string') {
      throw new InputError(`current regions ${file}: feature ${i} has no id/level`);
    }
    out.push(f as RegionFeature);
  });
  const { type: _type, features: _features, bbox: _bbox, ...members } = o;
  return { features: out, members };
}

/** GeoJSON text, one feature per line (diff-friendly, still valid JSON). */
export function serializeRegions(features: RegionFeature[], members: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ type: 'FeatureCollection', ...members }).slice(0, -1);
  if (features.length === 0) return `${head},"features":[]}\n`;
  return `${head},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** Write `text` to `file` atomically: temp file in the same dir, fsync, rename, fsync dir. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.${process.pid}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  // Make the rename itself durable (not supported on every platform: best effort).
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* ignore */
  }
}
