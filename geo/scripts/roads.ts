/** Named roads along the straight lattice lines kept for them (cell edges, so they never cross a building). */
import type { Feature, LineString } from 'geojson';
import type { Lattice } from './lattice.ts';
import { ROADS_EW, ROADS_NS, type NamePair } from './names.ts';
import type { RoadProps } from './types.ts';

function roadName(pool: readonly NamePair[], n: number, zh: string, en: string): NamePair {
  return pool[n] ?? [`${zh}${n + 1}路`, `${en} ${n + 1} Road`];
}

export function generateRoads(lat: Lattice): Array<Feature<LineString, RoadProps>> {
  const { nx, ny } = lat;
  const out: Array<Feature<LineString, RoadProps>> = [];
  const cy = Math.floor(lat.centreCell / nx);
  const cx = lat.centreCell % nx;
  const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < nx && y < ny && lat.inside[y * nx + x] === 1;
  const vertex = (i: number, j: number): [number, number] => {
    const k = j * (nx + 1) + i;
    return [lat.lng[k]!, lat.lat[k]!];
  };
  const emit = (runs: Array<Array<[number, number]>>, names: NamePair, arterial: boolean, id: string): void => {
    runs.forEach((coords, r) => {
      if (coords.length < 2) return;
      const props: RoadProps = { id: runs.length > 1 ? `${id}-${r + 1}` : id, name: names[0], nameEn: names[1], kind: arterial ? 'arterial' : 'secondary', synthetic: true };
      out.push({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });
    });
  };
  // Order lines so that the one nearest the centre gets the first (most important) name: 建设路 runs past Zhiqiang.
  const byCentre = (lines: number[], c: number): number[] => [...lines].sort((a, b) => Math.abs(a - c) - Math.abs(b - c) || a - b);
  byCentre(lat.roadRows, cy).forEach((j, n) => {
    const runs: Array<Array<[number, number]>> = [];
    let cur: Array<[number, number]> = [];
    for (let i = 0; i < nx; i++) {
      if (inside(i, j - 1) || inside(i, j)) {
        if (cur.length === 0) cur.push(vertex(i, j));
        cur.push(vertex(i + 1, j));
      } else if (cur.length) {
        runs.push(cur);
        cur = [];
      }
    }
    if (cur.length) runs.push(cur);
    emit(runs, roadName(ROADS_EW, n, '纬', 'Wei'), n % 2 === 0, `road-ew-${String(n + 1).padStart(3, '0')}`);
  });
  byCentre(lat.roadCols, cx).forEach((i, n) => {
    const runs: Array<Array<[number, number]>> = [];
    let cur: Array<[number, number]> = [];
    for (let j = 0; j < ny; j++) {
      if (inside(i - 1, j) || inside(i, j)) {
        if (cur.length === 0) cur.push(vertex(i, j));
        cur.push(vertex(i, j + 1));
      } else if (cur.length) {
        runs.push(cur);
        cur = [];
      }
    }
    if (cur.length) runs.push(cur);
    emit(runs, roadName(ROADS_NS, n, '经', 'Jing'), n % 2 === 0, `road-ns-${String(n + 1).padStart(3, '0')}`);
  });
  return out;
}
