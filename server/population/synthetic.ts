/**
 * SYNTHETIC demo population data. Nothing here describes real people or real grids.
 *
 * Deterministic (seeded PRNG per grid and month): the same grids, end month and seed give
 * the same numbers. Shaped like Chengdu's 7th census (2020): 60+ ≈ 18 %, 65+ ≈ 13.6 %,
 * 2.49 persons per household. Former factory housing (厂区宿舍) is older (65+ ≈ 22 %),
 * resettlement estates (安置小区) younger (≈ 9 %), and every grid ages slowly over the months.
 * Every returned row carries `synthetic: true`.
 */
import { AGE_BANDS, ESTATE_TYPES, SPECIAL_GROUPS, type EstateType, type GridMonthPopulation, type PopulationAggregate } from '#common/population/types';
import { emptyAggregate, monthRange, residentsAged } from '#common/population/indicators';

export interface SyntheticGridInput {
  id: string;
  households?: number;
  estateType?: EstateType;
}

export interface SyntheticOptions {
  /** Last month, `'YYYY-MM'`. */
  endMonth: string;
  /** Months of history ending at `endMonth`; default 24. */
  months?: number;
  seed?: number;
}

/** Band shape (percent of residents) of a Chengdu-like population, young part (0–64) and old part (65+). */
const YOUNG_SHAPE = [4.5, 5.0, 4.6, 4.2, 5.5, 7.5, 9.0, 8.0, 7.0, 8.0, 8.2, 6.5, 4.0];
const OLD_SHAPE = [4.6, 3.4, 2.3, 1.6, 1.0, 0.5, 0.15, 0.02];
/** Share of males per band (more women among the old). */
const MALE_SHARE = [0.52, 0.52, 0.52, 0.52, 0.51, 0.51, 0.51, 0.505, 0.505, 0.5, 0.5, 0.5, 0.49, 0.49, 0.48, 0.47, 0.45, 0.42, 0.38, 0.33, 0.3];

interface EstateProfile {
  share65: number; // percent of residents at the start of the series
  personsPerHousehold: number;
  floatingShare: number;
  soeRetireeOf60: number;
  landLostOfResidents: number;
  livingAloneOf65: number;
}

const PROFILES: Record<EstateType, EstateProfile> = {
  factory: { share65: 22, personsPerHousehold: 2.2, floatingShare: 0.12, soeRetireeOf60: 0.45, landLostOfResidents: 0.005, livingAloneOf65: 0.12 },
  resettlement: { share65: 9, personsPerHousehold: 2.85, floatingShare: 0.18, soeRetireeOf60: 0.03, landLostOfResidents: 0.42, livingAloneOf65: 0.08 },
  commodity: { share65: 10.5, personsPerHousehold: 2.45, floatingShare: 0.3, soeRetireeOf60: 0.06, landLostOfResidents: 0.01, livingAloneOf65: 0.09 },
  old_town: { share65: 16, personsPerHousehold: 2.4, floatingShare: 0.25, soeRetireeOf60: 0.15, landLostOfResidents: 0.01, livingAloneOf65: 0.11 },
};
/** Estate mix of derived types (weights sum to 1); calibrated so the overall 65+ share ≈ 13.6 %. */
const ESTATE_MIX: [EstateType, number][] = [['factory', 0.2], ['resettlement', 0.2], ['commodity', 0.4], ['old_town', 0.2]];
/** 65+ share growth, percentage points per month (≈ 0.45 pp a year). */
const AGING_PP_PER_MONTH = 0.0375;

/** Default seed: the census reference day, 2020-11-01. */
export const DEFAULT_SEED = 20201101;

/** FNV-1a over a string, mixed with a seed: a 32-bit unsigned integer. */
function hash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Estate type derived deterministically from a grid id (used when the region data has none). */
export function estateTypeForGrid(gridId: string, seed = DEFAULT_SEED): EstateType {
  let u = hash(`estate:${gridId}`, seed) / 4294967296;
  for (const [type, w] of ESTATE_MIX) if ((u -= w) < 0) return type;
  return 'commodity';
}

/** Grids of a regions GeoJSON (features with RegionProps); picks up `estateType` when a feature has one. */
export function gridsFromRegions(geojson: { features: { properties?: Record<string, unknown> | null }[] }): SyntheticGridInput[] {
  const out: SyntheticGridInput[] = [];
  for (const f of geojson.features) {
    const p = f.properties ?? {};
    if (p.level !== 'grid' || typeof p.id !== 'string') continue;
    const grid: SyntheticGridInput = { id: p.id };
    if (typeof p.households === 'number' && p.households > 0) grid.households = p.households;
    const et = p.estateType;
    if (typeof et === 'string' && (ESTATE_TYPES as readonly string[]).includes(et)) grid.estateType = et as EstateType;
    out.push(grid);
  }
  return out;
}

/** Integer near `x` with randomised rounding, so small expectations are not always rounded to 0. */
const draw = (x: number, rnd: () => number): number => Math.max(0, Math.floor(x + rnd()));

function gridMonth(grid: SyntheticGridInput, type: EstateType, monthIdx: number, seed: number, month: string): PopulationAggregate {
  const p = PROFILES[type];
  const g = mulberry32(hash(`grid:${grid.id}`, seed)); // stable per grid
  const households0 = grid.households ?? 250 + Math.floor(g() * 650);
  const share65Base = p.share65 * (0.85 + g() * 0.3);
  const pph = p.personsPerHousehold * (0.94 + g() * 0.12);
  const groupJitter = () => 0.8 + g() * 0.4;
  const jit = Object.fromEntries(SPECIAL_GROUPS.map((k) => [k, groupJitter()])) as Record<string, number>;
  const livingAloneRate = p.livingAloneOf65 * (0.85 + g() * 0.3);
  const floatingShare = Math.min(0.6, p.floatingShare * (0.8 + g() * 0.4));

  const rnd = mulberry32(hash(`month:${grid.id}:${month}`, seed)); // noise per month
  const households = Math.round(households0 * (1 + 0.0008 * monthIdx) + (rnd() - 0.5) * 4);
  const residents = households * pph;
  const s65 = Math.min(40, share65Base + AGING_PP_PER_MONTH * monthIdx) / 100;
  const youngSum = YOUNG_SHAPE.reduce((x, y) => x + y, 0);
  const oldSum = OLD_SHAPE.reduce((x, y) => x + y, 0);
  const shape = [...YOUNG_SHAPE.map((w) => (w / youngSum) * (1 - s65)), ...OLD_SHAPE.map((w) => (w / oldSum) * s65)];

  const a = emptyAggregate();
  a.households = households;
  AGE_BANDS.forEach((b, i) => {
    const n = residents * (shape[i] ?? 0);
    const male = MALE_SHARE[i] ?? 0.5;
    a.residents.male[b] = draw(n * male, rnd);
    a.residents.female[b] = draw(n * (1 - male), rnd);
  });
  const total = residentsAged(a, 0);
  a.floating = Math.min(total, draw(total * floatingShare, rnd));
  a.registered = total - a.floating;
  const aged60 = residentsAged(a, 60);
  const aged65 = residentsAged(a, 65);
  const gr = a.groups;
  gr.oldestOld = residentsAged(a, 80);
  gr.livingAlone = draw(aged65 * livingAloneRate, rnd);
  gr.emptyNest = Math.max(gr.livingAlone, draw(aged60 * 0.3 * (jit.emptyNest ?? 1), rnd));
  gr.disabledCare = draw(aged60 * 0.045 * (jit.disabledCare ?? 1), rnd);
  gr.dementia = draw(aged60 * 0.055 * (jit.dementia ?? 1), rnd);
  gr.extremeHardship = draw(total * 0.003 * (jit.extremeHardship ?? 1), rnd);
  gr.minimumLiving = draw(total * 0.012 * (jit.minimumLiving ?? 1), rnd);
  gr.disabled = draw(total * 0.025 * (jit.disabled ?? 1), rnd);
  gr.veterans = draw(total * 0.012 * (jit.veterans ?? 1), rnd);
  gr.soeRetirees = draw(aged60 * p.soeRetireeOf60 * (jit.soeRetirees ?? 1), rnd);
  gr.landLostFarmers = draw(total * p.landLostOfResidents * (jit.landLostFarmers ?? 1), rnd);
  return a;
}

/**
 * SYNTHETIC population rows for `grids` × `months` (default 24) ending at `endMonth`,
 * grid by grid, months oldest first. Every row has `synthetic: true`.
 */
export function generateSyntheticPopulation(grids: readonly SyntheticGridInput[], options: SyntheticOptions): GridMonthPopulation[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const months = monthRange(options.endMonth, options.months ?? 24);
  const out: GridMonthPopulation[] = [];
  for (const grid of grids) {
    const type = grid.estateType ?? estateTypeForGrid(grid.id, seed);
    months.forEach((month, i) => {
      out.push({ gridId: grid.id, month, synthetic: true, aggregate: gridMonth(grid, type, i, seed, month) });
    });
  }
  return out;
}
