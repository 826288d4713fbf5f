// The test project only includes test/**, so pull the local typings in explicitly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./shapefile.d.ts" />
/** Reading boundary files: GeoJSON (.geojson/.json) or ESRI Shapefile (.shp + .dbf). */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import shapefile from 'shapefile';

/** A raw input feature, before any validation. */
export interface RawFeature {
  id?: unknown;
  properties: Record<string, unknown>;
  geometry: unknown;
}

export class InputError extends Error {}

export interface ReadOptions {
  /** dBASE text encoding for shapefiles; default: from the .cpg file if any, else utf-8. */
  encoding?: string;
  /** Called every `progressEvery` features while reading a shapefile. */
  onProgress?: (read: number) => void;
  progressEvery?: number;
}

/** Map the content of a .cpg file (or a user-supplied label) to a TextDecoder label. */
export function encodingLabel(label: string): string {
  const l = label.trim().toLowerCase();
  if (/^(cp|windows-?|ansi[ _])?936$/.test(l) || l === 'gb2312') return 'gbk';
  if (l === 'utf8') return 'utf-8';
  return l;
}

export async function readFeatures(file: string, options: ReadOptions = {}): Promise<RawFeature[]> {
  if (!existsSync(file)) throw new InputError(`file not found: ${file}`);
  const ext = extname(file).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return readGeoJson(file);
  if (ext === '.shp') return readShapefile(file, options);
  if (ext === '.zip') throw new InputError('zipped shapefiles are not supported: unzip and pass the .shp file');
  throw new InputError(`unsupported file type "${ext}": expected .geojson, .json or .shp`);
}

function asRaw(f: unknown): RawFeature | null {
  if (typeof f !== 'object' || f === null) return null;
  const o = f as Record<string, unknown>;
  const props = o.properties;
  return {
    id: o.id,
    properties: typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {},
    geometry: o.geometry,
  };
}

async function readGeoJson(file: string): Promise<RawFeature[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot parse ${file} as JSON: ${(err as Error).message}`);
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  let list: unknown[];
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) list = o.features;
  else if (o.type === 'Feature') list = [doc];
  else throw new InputError(`${file} is not a GeoJSON FeatureCollection or Feature`);
  // A non-object entry is kept as an empty feature so that validation names it by index.
  return list.map((f) => asRaw(f) ?? { properties: {}, geometry: null });
}

async function readShapefile(file: string, options: ReadOptions): Promise<RawFeature[]> {
  const base = file.slice(0, -4);
  const dbf = [`${base}.dbf`, `${base}.DBF`].find((p) => existsSync(p));
  if (!dbf) throw new InputError(`no .dbf file next to ${file}: the attributes (id, name) live there`);
  let encoding = options.encoding;
  if (!encoding) {
    const cpg = [`${base}.cpg`, `${base}.CPG`].find((p) => existsSync(p));
    encoding = cpg ? (await readFile(cpg, 'latin1')).trim() : 'utf-8';
  }
  const label = encodingLabel(encoding);
  try {
    new TextDecoder(label);
  } catch {
    throw new InputError(`unknown text encoding "${encoding}" for ${dbf}`);
  }
  const out: RawFeature[] = [];
  const every = options.progressEvery ?? 1000;
  try {
    const source = await shapefile.open(file, dbf, { encoding: label });
    for (;;) {
      const r = await source.read();
      if (r.done) break;
      out.push({ properties: r.value.properties ?? {}, geometry: r.value.geometry });
      if (options.onProgress && out.length % every === 0) options.onProgress(out.length);
    }
  } catch (err) {
    throw new InputError(`cannot read shapefile ${file}: ${(err as Error).message}`);
  }
  return out;
}
