/**
 * Boundary importer: reads a GeoJSON or Shapefile of streets / communities / grids in any of
 * the supported CRSs, converts it to WGS-84, validates every feature, and replaces the regions
 * of the imported level(s) in `<dataDir>/geo/regions.geojson` — all or nothing.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Crs } from '../../../common/geo/crs.ts';
import { convertParts } from './parts.ts';
import {
  REGION_CODE_LENGTH,
  REGION_LEVELS,
  regionLevelOf,
  type RegionLevel,
  type RegionProps,
} from '../../../common/geo/types.ts';
import { areaOf, firstVertexOutside, type Area, type Ring } from './geometry.ts';
import { InputError, readFeatures, type RawFeature } from './read.ts';
import {
  BUNDLED_REGIONS,
  loadRegions,
  regionsPath,
  resolveBase,
  serializeRegions,
  writeFileAtomic,
  type RegionFeature,
} from './store.ts';

export interface ImportOptions {
  /** Path of the .geojson/.json or .shp file. */
  file: string;
  /** CRS of the file's coordinates. */
  crs: Crs;
  /** Level of every feature; inferred per feature from the id length when omitted. */
  level?: RegionLevel;
  /** Property holding the region code (default `id`; falls back to the GeoJSON feature id). */
  idField?: string;
  nameField?: string;
  nameEnField?: string;
  /** Property holding the parent code; optional, must agree with the id prefix when present. */
  parentField?: string;
  /** Data directory; output goes to `<dataDir>/geo/regions.geojson`. */
  dataDir: string;
  /** Validate and report, but write nothing. */
  dryRun?: boolean;
  /** Base used when `<dataDir>/geo/regions.geojson` does not exist (default: bundled demo). */
  baseFile?: string;
  /** dBASE encoding for shapefiles (default: from .cpg, else utf-8). */
  encoding?: string;
  /** How far (metres) a vertex may lie outside its parent region (shared-edge jitter). */
  toleranceM?: number;
  /** Progress line every this many features (default 1000). */
  progressEvery?: number;
  /** Progress and summary lines (default: stderr). Problems are returned, not logged. */
  log?: (line: string) => void;
  /** Repair repeated vertices and self-intersections (repair.ts), refusing one that changes an area by more than `maxAreaChange`. */
  repair?: { maxAreaChange: number };
}

export interface ImportProblem {
  /** 0-based index of the feature in the file; null for a problem with the file as a whole. */
  index: number | null;
  id: string | null;
  name: string | null;
  reason: string;
}

export interface ImportCounts {
  /** Features read from the file. */
  read: number;
  /** Features imported, per level. */
  imported: Partial<Record<RegionLevel, number>>;
  /** Existing regions replaced (removed because their level is imported), per level. */
  replaced: Partial<Record<RegionLevel, number>>;
  /** Existing descendants dropped because their parent no longer exists, per level. */
  orphansDropped: Partial<Record<RegionLevel, number>>;
  /** Regions in the resulting file. */
  total: number;
}

export interface ImportResult {
  ok: boolean;
  problems: ImportProblem[];
  counts: ImportCounts;
  /** File the import replaced into (null: none, started from an empty set). */
  base: string | null;
  /** File written, or that would be written on a dry run. */
  output: string;
  written: boolean;
  /** Human-readable summary lines (also logged). */
  summary: string[];
}

/** Decimal places kept for output coordinates (1e-8° ≈ 1 mm). */
const COORD_DECIMALS = 8;

export function formatProblem(p: ImportProblem): string {
  if (p.index === null) return `file: ${p.reason}`;
  const who = [p.id ? `id ${p.id}` : null, p.name ? `"${p.name}"` : null].filter(Boolean).join(', ');
  return `feature #${p.index}${who ? ` (${who})` : ''}: ${p.reason}`;
}

function parentLevelOf(level: RegionLevel): RegionLevel | null {
  const i = REGION_LEVELS.indexOf(level);
  return i > 0 ? (REGION_LEVELS[i - 1] ?? null) : null;
}

function codeOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** One feature after the per-feature checks. */
interface Candidate {
  index: number;
  id: string;
  level: RegionLevel;
  parentId: string | null;
  name: string;
  nameEn: string;
  households?: number;
  /** Converted WGS-84 parts, each exterior + holes (null when the geometry was invalid). */
  parts: Ring[][] | null;
}

function polygonAreaOf(f: RegionFeature): Area | null {
  const g = f.geometry;
  if (g.type === 'Polygon') return areaOf([g.coordinates as Ring[]]);
  if (g.type === 'MultiPolygon') return areaOf(g.coordinates as Ring[][]);
  return null;
}

function count<K extends string>(rec: Partial<Record<K, number>>, key: K): void {
  rec[key] = (rec[key] ?? 0) + 1;
}

function fmtLevels(rec: Partial<Record<RegionLevel, number>>): string {
  const parts = REGION_LEVELS.filter((l) => rec[l]).map((l) => `${rec[l]} ${l}`);
  return parts.length ? parts.join(', ') : '0';
}

export async function importBoundaries(opts: ImportOptions): Promise<ImportResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const idField = opts.idField ?? 'id';
  const nameField = opts.nameField ?? 'name';
  const nameEnField = opts.nameEnField ?? 'nameEn';
  const parentField = opts.parentField ?? 'parentId';
  const toleranceM = opts.toleranceM ?? 1;
  const every = Math.max(1, opts.progressEvery ?? 1000);
  const output = regionsPath(opts.dataDir);
  const counts: ImportCounts = { read: 0, imported: {}, replaced: {}, orphansDropped: {}, total: 0 };
  const problems: ImportProblem[] = [];
  const fail = (base: string | null): ImportResult => ({
    ok: false,
    problems,
    counts,
    base,
    output,
    written: false,
    summary: [],
  });

  // 1. Read the input and the current regions.
  let raw: RawFeature[];
  let base: string | null = null;
  let current: RegionFeature[] = [];
  let members: Record<string, unknown> = {};
  try {
    raw = await readFeatures(opts.file, {
      encoding: opts.encoding,
      progressEvery: every,
      onProgress: (n) => log(`read ${n} features…`),
    });
    base = resolveBase(opts.dataDir, opts.baseFile ?? BUNDLED_REGIONS);
    if (base) ({ features: current, members } = await loadRegions(base));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push({ index: null, id: null, name: null, reason: err.message });
    return fail(base);
  }
  counts.read = raw.length;
  if (raw.length === 0) {
    problems.push({ index: null, id: null, name: null, reason: 'the file contains no features' });
    return fail(base);
  }

  // 2. Per-feature checks and conversion to WGS-84.
  const candidates: Candidate[] = [];
  let outsideChina = 0;
  raw.forEach((f, index) => {
    const props = f.properties;
    const id = codeOf(props[idField]) ?? (idField === 'id' ? codeOf(f.id) : null);
    const name = textOf(props[nameField]);
    const add = (reason: string): void => {
      problems.push({ index, id, name, reason });
    };

    let level: RegionLevel | null = null;
    if (id === null) {
      add(`missing id (property "${idField}")`);
    } else if (!/^\d+$/.test(id)) {
      add(`invalid id "${id}": region codes are digits only`);
    } else if (opts.level) {
      const want = REGION_CODE_LENGTH[opts.level];
      if (id.length !== want) add(`invalid id "${id}": ${id.length} digits, a ${opts.level} code has ${want}`);
      else level = opts.level;
    } else {
      level = regionLevelOf(id);
      if (!level) {
        const lens = REGION_LEVELS.map((l) => `${l} ${REGION_CODE_LENGTH[l]}`).join(', ');
        add(`invalid id "${id}": ${id.length} digits, expected one of ${lens}`);
      }
    }
    if (name === null) add(`missing name (property "${nameField}")`);

    let parentId: string | null = null;
    if (id !== null && level !== null) {
      const pl = parentLevelOf(level);
      parentId = pl ? id.slice(0, REGION_CODE_LENGTH[pl]) : null;
      const declared = codeOf(props[parentField]);
      if (declared !== null && declared !== parentId) {
        add(`parent "${declared}" (property "${parentField}") does not match the id prefix "${parentId ?? '(none)'}"`);
      }
    }

    // Geometry: a Polygon or a MultiPolygon, every part checked and converted (parts.ts).
    const geo = convertParts(f.geometry, { crs: opts.crs, repair: opts.repair, decimals: COORD_DECIMALS });
    geo.problems.forEach(add);
    for (const line of geo.repairs) log(`repaired feature #${index} ${id ?? ''} ${name ?? ''}: ${line}`);
    outsideChina += geo.outsideChina;
    const parts = geo.parts;

    if (id !== null && level !== null) {
      // Kept even without a name, so that its children find their parent.
      const nameEn = textOf(props[nameEnField]) ?? name ?? '';
      const hh = props.households;
      candidates.push({
        index,
        id,
        level,
        parentId,
        name: name ?? '',
        nameEn,
        ...(typeof hh === 'number' && Number.isSafeInteger(hh) && hh >= 0 ? { households: hh } : {}),
        parts,
      });
    }
    const n = index + 1;
    if (raw.length >= every && (n % every === 0 || n === raw.length)) {
      log(`imported ${n}/${raw.length} (${Math.floor((n / raw.length) * 100)} %)`);
    }
  });
  if (outsideChina > 0 && (opts.crs === 'gcj02' || opts.crs === 'bd09')) {
    log(`warning: ${outsideChina} positions lie outside China, where ${opts.crs} offsets do not apply`);
  }

  // 3. Duplicates.
  const byId = new Map<string, Candidate>();
  for (const c of candidates) {
    const first = byId.get(c.id);
    if (first) problems.push({ index: c.index, id: c.id, name: c.name, reason: `duplicate id (same as feature #${first.index})` });
    else byId.set(c.id, c);
  }

  // 4. The resulting region set: current regions minus the imported levels, minus orphans.
  const levels = new Set<RegionLevel>(candidates.map((c) => c.level));
  if (levels.size === 0) {
    return fail(base);
  }
  const shallowest = Math.min(...[...levels].map((l) => REGION_LEVELS.indexOf(l)));
  const present = new Set<string>(byId.keys());
  const keptCurrent = new Map<string, RegionFeature>();
  const replacedIds = new Set<string>();
  for (const level of REGION_LEVELS) {
    const depth = REGION_LEVELS.indexOf(level);
    for (const f of current) {
      const p = f.properties;
      if (p.level !== level) continue;
      if (levels.has(level)) {
        count(counts.replaced, level);
        replacedIds.add(p.id);
      } else if (depth > shallowest && p.parentId !== null && !present.has(p.parentId)) {
        count(counts.orphansDropped, level);
      } else {
        keptCurrent.set(p.id, f);
        present.add(p.id);
      }
    }
  }

  // 5. Parents exist and contain their children.
  const areaCache = new Map<string, Area | null>();
  const parentArea = (id: string): Area | null | undefined => {
    if (areaCache.has(id)) return areaCache.get(id);
    let a: Area | null | undefined;
    const inFile = byId.get(id);
    if (inFile) a = inFile.parts ? areaOf(inFile.parts) : null;
    else {
      const cur = keptCurrent.get(id);
      a = cur ? polygonAreaOf(cur) : undefined;
    }
    if (a !== undefined) areaCache.set(id, a);
    return a;
  };
  for (const c of byId.values()) {
    if (c.parentId === null) continue;
    const area = parentArea(c.parentId);
    if (area === undefined) {
      const why = replacedIds.has(c.parentId)
        ? ` (it exists now, but its level is being replaced by this file)`
        : '';
      problems.push({
        index: c.index,
        id: c.id,
        name: c.name,
        reason: `parent ${c.parentId} not found in the current regions nor in this file${why}`,
      });
      continue;
    }
    if (area === null || c.parts === null) continue; // parent or child geometry already reported
    const out = firstVertexOutside(c.parts.flat(), area, toleranceM);
    if (out) {
      problems.push({
        index: c.index,
        id: c.id,
        name: c.name,
        reason:
          `not contained in parent ${c.parentId}: vertex (${out.pos[0].toFixed(7)}, ${out.pos[1].toFixed(7)}) ` +
          `lies ${out.distanceM < 10 ? out.distanceM.toFixed(2) : Math.round(out.distanceM)} m outside it (tolerance ${toleranceM} m)`,
      });
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
    return fail(base);
  }

  // 6. Assemble and write.
  const imported: RegionFeature[] = [...byId.values()].map((c) => {
    count(counts.imported, c.level);
    const props: RegionProps = {
      id: c.id,
      level: c.level,
      parentId: c.parentId,
      name: c.name,
      nameEn: c.nameEn,
      ...(c.households !== undefined ? { households: c.households } : {}),
      synthetic: false,
    };
    // One part stays a Polygon (as every region was before MultiPolygons were accepted).
    const parts = c.parts as Ring[][];
    const geometry: Polygon | MultiPolygon =
      parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
    return { type: 'Feature', properties: props, geometry };
  });
  const rank = (f: RegionFeature): number => REGION_LEVELS.indexOf(f.properties.level);
  const all = [...keptCurrent.values(), ...imported].sort(
    (a, b) => rank(a) - rank(b) || (a.properties.id < b.properties.id ? -1 : a.properties.id > b.properties.id ? 1 : 0),
  );
  counts.total = all.length;
  // The collection-level `synthetic` flag (set by the demo generator) stays true only while
  // some region is still synthetic.
  if ('synthetic' in members) members = { ...members, synthetic: all.some((f) => f.properties.synthetic === true) };

  const orphans = Object.values(counts.orphansDropped).reduce((s, n) => s + n, 0);
  const summary = [
    `read ${counts.read} features from ${opts.file} (${opts.crs} → wgs84)`,
    `imported ${fmtLevels(counts.imported)} regions; replaced ${fmtLevels(counts.replaced)} existing regions` +
      (base ? ` (from ${base})` : ' (no existing regions)'),
    `dropped ${orphans} orphaned descendant region${orphans === 1 ? '' : 's'}` +
      (orphans ? ` (${fmtLevels(counts.orphansDropped)})` : ''),
    opts.dryRun
      ? `dry run: would write ${counts.total} regions to ${output}; nothing written`
      : `wrote ${counts.total} regions to ${output}`,
  ];
  if (!opts.dryRun) await writeFileAtomic(output, serializeRegions(all, members));
  for (const line of summary) log(line);
  return { ok: true, problems, counts, base, output, written: !opts.dryRun, summary };
}
