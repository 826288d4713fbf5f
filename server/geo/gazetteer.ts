/**
 * The offline gazetteer: an address with no coordinates (Open311 `address_string`, a hotline order) located
 * from the deployment's own buildings, POIs and roads. Exact names first, then a fuzzy match that tolerates
 * abbreviations (双林小区 for 双林安置小区); building, unit and room numbers are parsed off. It never guesses:
 * no match or two different places equally good → null, and the caller parks the report for a dispatcher.
 */

export interface GazetteerFeature {
  kind: 'building' | 'poi' | 'road';
  name: string;
  gridId: string | null;
  /** A representative point (building/POI centroid, road midpoint), WGS-84. */
  point: [number, number];
}

export interface AddressMatch {
  point: [number, number];
  gridId: string | null;
  /** What was matched: a building, an estate (all its buildings), a POI, or a road. */
  precision: 'building' | 'estate' | 'poi' | 'road';
  matched: string;
  /** 1 exact; below 1 fuzzy (Dice of the longest common subsequence). */
  score: number;
  building: number | null;
  unit: number | null;
  room: string | null;
}

const FUZZY_MIN = 0.7;
/** Same-named places closer than this (degrees, ~200 m) are one place (an estate split by a grid line). */
const SAME_PLACE_DEG = 0.002;
const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十二 → 12, 二十三 → 23, 三 → 3 (the small numbers of buildings and units). */
function cnNumber(s: string): string {
  return s.replace(/[零〇一二两三四五六七八九十]+/g, (m) => {
    if (!m.includes('十')) return [...m].map((c) => CN_DIGITS[c] ?? c).join('');
    const [tens, ones] = m.split('十');
    return String((tens ? (CN_DIGITS[tens] ?? 1) : 1) * 10 + (ones ? (CN_DIGITS[ones] ?? 0) : 0));
  });
}

/** Full-width to half-width, no spaces or punctuation, Chinese numerals before 栋/幢/单元/号/楼/室 as digits. */
export function normalizeAddress(s: string): string {
  const half = s.normalize('NFKC').replace(/[\s,，。、;；:：()（）【】[\]"“”'‘’#·\-－—_/]+/g, (m) => (/[-－—_/]/.test(m) ? '-' : ''));
  return half.replace(/([零〇一二两三四五六七八九十]+)(?=栋|幢|号楼|单元|楼|号|室)/g, (m) => cnNumber(m));
}

/** Building / unit / room numbers: 3栋2单元501室, 3幢2单元501, 3号楼, or 3-2-501. */
export function parseUnitNumbers(rest: string): { building: number | null; unit: number | null; room: string | null } {
  const dashed = /(\d+)-(\d+)-(\d+)/.exec(rest);
  if (dashed) return { building: Number(dashed[1]), unit: Number(dashed[2]), room: dashed[3]! };
  const building = /(\d+)(?:栋|幢|号楼)/.exec(rest);
  const unit = /(\d+)单元/.exec(rest);
  const room = /(?:单元|栋|幢|号楼|-)(\d{3,4})(?:室|号)?/.exec(rest.slice(unit ? unit.index : building ? building.index : 0));
  return { building: building ? Number(building[1]) : null, unit: unit ? Number(unit[1]) : null, room: room ? room[1]! : null };
}

function lcs(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = new Array<number>(y.length + 1).fill(0);
  for (const cx of x) {
    const cur = [0];
    for (let j = 0; j < y.length; j++) cur.push(cx === y[j] ? prev[j]! + 1 : Math.max(prev[j + 1]!, cur[j]!));
    prev = cur;
  }
  return prev[y.length]!;
}

const dice = (a: string, b: string) => (2 * lcs(a, b)) / ([...a].length + [...b].length);

interface Place {
  name: string;
  precision: AddressMatch['precision'];
  points: [number, number][];
  gridIds: (string | null)[];
  /** Buildings of an estate by number. */
  buildings: Map<number, { point: [number, number]; gridId: string | null }[]>;
}

export class Gazetteer {
  private readonly places: Place[] = [];
  /** Region names (street, community …) dropped from an address before matching. */
  private readonly regionNames: string[];

  constructor(features: readonly GazetteerFeature[], regionNames: readonly string[] = []) {
    this.regionNames = [...regionNames].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
    const byKey = new Map<string, Place>();
    const place = (name: string, precision: Place['precision']) => {
      const key = `${precision}:${name}`;
      return byKey.get(key) ?? byKey.set(key, { name, precision, points: [], gridIds: [], buildings: new Map() }).get(key)!;
    };
    for (const f of features) {
      const name = normalizeAddress(f.name);
      const b = f.kind === 'building' ? /^(.*?)(\d+)(?:栋|幢|号楼)$/.exec(name) : null;
      if (b) {
        const estate = place(b[1]!, 'estate');
        estate.points.push(f.point);
        estate.gridIds.push(f.gridId);
        const list = estate.buildings.get(Number(b[2])) ?? [];
        list.push({ point: f.point, gridId: f.gridId });
        estate.buildings.set(Number(b[2]), list);
      } else {
        const p = place(name, f.kind === 'road' ? 'road' : 'poi');
        p.points.push(f.point);
        p.gridIds.push(f.gridId);
      }
    }
    this.places = [...byKey.values()];
  }

  /** The place of an address, or null when there is none or no single best one (park it for a dispatcher). */
  locate(address: string): AddressMatch | null {
    const full = normalizeAddress(address);
    // Exact: the longest place name contained in the address as written.
    const exact = this.places.filter((p) => full.includes(p.name)).sort((a, b) => b.name.length - a.name.length || rank(a) - rank(b));
    let best: { place: Place; score: number; rest: string }[];
    if (exact.length > 0) {
      const top = exact.filter((p) => p.name.length === exact[0]!.name.length && rank(p) === rank(exact[0]!));
      best = top.map((p) => ({ place: p, score: 1, rest: full.slice(full.indexOf(p.name) + p.name.length) }));
    } else {
      // Region names (成华区, 双林社区 …) say nothing about which building: dropped before a fuzzy match.
      let text = full;
      for (const r of this.regionNames) text = text.split(r).join('');
      // Fuzzy: the part before the first number is the place as the caller spelled it.
      const cut = text.search(/\d/);
      const head = cut < 0 ? text : text.slice(0, cut);
      if ([...head].length < 2) return null;
      const scored = this.places.map((p) => ({ place: p, score: dice(head, p.name), rest: cut < 0 ? '' : text.slice(cut) })).filter((s) => s.score >= FUZZY_MIN);
      const max = Math.max(0, ...scored.map((s) => s.score));
      best = scored.filter((s) => s.score === max);
    }
    if (best.length !== 1) return null; // none, or two different places equally good
    const { place, score, rest } = best[0]!;
    const nums = place.precision === 'estate' ? parseUnitNumbers(rest) : { building: null, unit: null, room: null };
    const hits = nums.building !== null ? place.buildings.get(nums.building) : undefined;
    const spot = hits ? onePlace(hits.map((h) => h.point)) : onePlace(place.points);
    if (!spot) return null;
    const gridIds = hits ? hits.map((h) => h.gridId) : place.gridIds;
    return {
      point: spot,
      gridId: new Set(gridIds).size === 1 ? gridIds[0]! : null,
      precision: hits ? 'building' : place.precision,
      matched: hits ? `${place.name}${nums.building}栋` : place.name,
      score,
      ...nums,
    };
  }
}

/** Buildings and estates before POIs before roads when names tie. */
const rank = (p: Place) => ({ estate: 0, building: 0, poi: 1, road: 2 })[p.precision];

/** The mean of points that lie together; null when they are far apart (two places of one name). */
function onePlace(points: readonly [number, number][]): [number, number] | null {
  if (points.length === 0) return null;
  const lng = points.reduce((a, p) => a + p[0], 0) / points.length;
  const lat = points.reduce((a, p) => a + p[1], 0) / points.length;
  const spread = Math.max(...points.map((p) => Math.max(Math.abs(p[0] - lng), Math.abs(p[1] - lat))));
  // An estate's buildings spread over a few hundred metres; a building or POI name twice, far apart, is two places.
  return spread <= SAME_PLACE_DEG * (points.length > 2 ? 5 : 1) ? [lng, lat] : null;
}
