import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import {
  bd09ToGcj02,
  bd09ToGcj02OneStep,
  bd09ToWgs84,
  convert,
  distanceM,
  fromWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  gcj02ToWgs84OneStep,
  isCrs,
  isInChina,
  toWgs84,
  wgs84ToBd09,
  wgs84ToGcj02,
} from '../../common/geo/crs.ts';

type P = [number, number];

/** Grid of WGS-84 points across mainland China (and the South China Sea part of the box). */
function chinaGrid(): P[] {
  const out: P[] = [];
  for (let lng = 73.5; lng <= 135; lng += 1.37) {
    for (let lat = 18.2; lat <= 53.5; lat += 0.83) out.push([lng, lat]);
  }
  return out;
}

describe('published reference pairs', () => {
  // From the README of wandergis/coordtransform (the reference JS port of the published
  // formulas), input (116.404, 39.915). Also reproduced by gcoord and eviltransform.
  it('wgs84 → gcj02 and gcj02 → bd09 match the published values', () => {
    const g = wgs84ToGcj02(116.404, 39.915);
    expect(g[0]).toBeCloseTo(116.41024449916938, 11);
    expect(g[1]).toBeCloseTo(39.91640428150164, 11);
    const b = gcj02ToBd09(116.404, 39.915);
    expect(b[0]).toBeCloseTo(116.41036949371029, 11);
    expect(b[1]).toBeCloseTo(39.92133699351022, 11);
  });

  it('the published one-step inverses reproduce their published values', () => {
    // These are the "one-step" inverses most libraries ship; see the accuracy test below.
    const w = gcj02ToWgs84OneStep(116.404, 39.915);
    expect(w[0]).toBeCloseTo(116.39775550083061, 11);
    expect(w[1]).toBeCloseTo(39.91359571849836, 11);
    const g = bd09ToGcj02OneStep(116.404, 39.915);
    expect(g[0]).toBeCloseTo(116.39762729119315, 11);
    expect(g[1]).toBeCloseTo(39.90865673957631, 11);
  });

  // Fixtures computed with the published formulas (and identical to gcoord 1.0.7 output).
  const FIXTURES: { name: string; wgs84: P; gcj02: P; bd09: P }[] = [
    {
      name: 'Beijing, Tiananmen',
      wgs84: [116.397128, 39.916527],
      gcj02: [116.40337249402477, 39.91793074924595],
      bd09: [116.40973933698186, 39.92426929401509],
    },
    {
      name: 'Chengdu, Chenghua (demo area)',
      wgs84: [104.1, 30.67],
      gcj02: [104.10254257732458, 30.66760737715404],
      bd09: [104.10912632432425, 30.673295640771215],
    },
    {
      name: 'Chengdu, Tianfu Square',
      wgs84: [104.0665, 30.5728],
      gcj02: [104.06900492845789, 30.570345719673213],
      bd09: [104.07548096623567, 30.576356342943978],
    },
  ];

  for (const f of FIXTURES) {
    it(`forward transforms: ${f.name}`, () => {
      const g = fromWgs84(f.wgs84[0], f.wgs84[1], 'gcj02');
      const b = fromWgs84(f.wgs84[0], f.wgs84[1], 'bd09');
      expect(distanceM(g, f.gcj02)).toBeLessThan(1e-6);
      expect(distanceM(b, f.bd09)).toBeLessThan(1e-6);
      // Cross-check against gcoord's forward transform.
      const gc = gcoord.transform<[number, number]>(f.wgs84, gcoord.WGS84, gcoord.GCJ02);
      const bc = gcoord.transform<[number, number]>(f.wgs84, gcoord.WGS84, gcoord.BD09);
      expect(distanceM(g, gc)).toBeLessThan(1e-6);
      expect(distanceM(b, bc)).toBeLessThan(1e-6);
    });

    it(`inverse transforms: ${f.name}`, () => {
      expect(distanceM(toWgs84(f.gcj02[0], f.gcj02[1], 'gcj02'), f.wgs84)).toBeLessThan(0.001);
      expect(distanceM(toWgs84(f.bd09[0], f.bd09[1], 'bd09'), f.wgs84)).toBeLessThan(0.001);
      expect(distanceM(bd09ToGcj02(f.bd09[0], f.bd09[1]), f.gcj02)).toBeLessThan(0.001);
      expect(distanceM(convert(f.bd09[0], f.bd09[1], 'bd09', 'gcj02'), f.gcj02)).toBeLessThan(0.001);
    });
  }

  it('the GCJ-02 offset in Chengdu is a few hundred metres', () => {
    const d = distanceM([104.1, 30.67], wgs84ToGcj02(104.1, 30.67));
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(700);
  });
});

describe('gcoord forward cross-check over China', () => {
  it('matches gcoord to well under a millimetre everywhere on the grid', () => {
    let max = 0;
    for (const p of chinaGrid()) {
      const gc = gcoord.transform<[number, number]>(p, gcoord.WGS84, gcoord.GCJ02);
      const bc = gcoord.transform<[number, number]>(p, gcoord.WGS84, gcoord.BD09);
      max = Math.max(max, distanceM(wgs84ToGcj02(p[0], p[1]), gc), distanceM(wgs84ToBd09(p[0], p[1]), bc));
    }
    expect(max).toBeLessThan(1e-6);
  });
});

describe('round trips across China', () => {
  const grid = chinaGrid();

  it('wgs84 → gcj02 → wgs84 under 5 cm (iterative inverse)', () => {
    let max = 0;
    let maxOneStep = 0;
    for (const p of grid) {
      const g = wgs84ToGcj02(p[0], p[1]);
      max = Math.max(max, distanceM(p, gcj02ToWgs84(g[0], g[1])));
      maxOneStep = Math.max(maxOneStep, distanceM(p, gcj02ToWgs84OneStep(g[0], g[1])));
    }
    // Measured: iterative ≈ 0.15 mm, one-step ≈ 4 m.
    expect(max).toBeLessThan(0.05);
    expect(max).toBeLessThan(0.001);
    expect(maxOneStep).toBeGreaterThan(1);
  });

  it('wgs84 → bd09 → wgs84 under 5 cm (iterative inverse)', () => {
    let max = 0;
    let maxOneStep = 0;
    for (const p of grid) {
      const b = wgs84ToBd09(p[0], p[1]);
      max = Math.max(max, distanceM(p, bd09ToWgs84(b[0], b[1])));
      const g = bd09ToGcj02OneStep(b[0], b[1]);
      maxOneStep = Math.max(maxOneStep, distanceM(p, gcj02ToWgs84OneStep(g[0], g[1])));
    }
    expect(max).toBeLessThan(0.05);
    expect(max).toBeLessThan(0.001);
    expect(maxOneStep).toBeGreaterThan(1);
  });

  it('the iterative inverse beats gcoord’s own inverse (1e-6° stop, ≈ 0.1 m)', () => {
    let ours = 0;
    let theirs = 0;
    for (const p of grid) {
      const g = wgs84ToGcj02(p[0], p[1]);
      ours = Math.max(ours, distanceM(p, gcj02ToWgs84(g[0], g[1])));
      theirs = Math.max(theirs, distanceM(p, gcoord.transform<[number, number]>(g, gcoord.GCJ02, gcoord.WGS84)));
    }
    expect(ours).toBeLessThan(theirs);
  });

  it('cgcs2000 is treated as WGS-84, and convert() is consistent', () => {
    expect(toWgs84(104.1, 30.67, 'cgcs2000')).toEqual([104.1, 30.67]);
    expect(fromWgs84(104.1, 30.67, 'cgcs2000')).toEqual([104.1, 30.67]);
    const g = convert(104.1, 30.67, 'cgcs2000', 'gcj02');
    expect(g).toEqual(wgs84ToGcj02(104.1, 30.67));
    expect(convert(g[0], g[1], 'gcj02', 'gcj02')).toEqual(g);
  });
});

describe('outside China', () => {
  const outside: P[] = [
    [2.3522, 48.8566], // Paris
    [-74.006, 40.7128], // New York
    [151.2093, -33.8688], // Sydney
    [139.6917, 60.0], // north of the box
  ];

  it('isInChina guard', () => {
    expect(isInChina(104.1, 30.67)).toBe(true);
    expect(isInChina(116.397128, 39.916527)).toBe(true);
    for (const p of outside) expect(isInChina(p[0], p[1])).toBe(false);
  });

  it('GCJ-02 is the identity outside China, both ways', () => {
    for (const p of outside) {
      expect(fromWgs84(p[0], p[1], 'gcj02')).toEqual(p);
      expect(toWgs84(p[0], p[1], 'gcj02')).toEqual(p);
    }
  });

  it('BD-09 round trip still works outside China (Baidu shift only)', () => {
    for (const p of outside) {
      const b = fromWgs84(p[0], p[1], 'bd09');
      expect(distanceM(toWgs84(b[0], b[1], 'bd09'), p)).toBeLessThan(0.001);
    }
  });
});

describe('distanceM', () => {
  it('haversine distances', () => {
    expect(distanceM([104.1, 30.67], [104.1, 30.67])).toBe(0);
    // One degree of latitude ≈ 111.195 km on the mean sphere.
    expect(distanceM([104, 30], [104, 31])).toBeCloseTo(111195, -1);
    // Beijing ↔ Chengdu ≈ 1 517 km.
    const d = distanceM({ lng: 116.397128, lat: 39.916527 }, { lng: 104.0665, lat: 30.5728 });
    expect(d / 1000).toBeGreaterThan(1500);
    expect(d / 1000).toBeLessThan(1530);
    expect(distanceM([0, 0], [180, 0])).toBeCloseTo(Math.PI * 6371008.8, 0);
  });

  it('isCrs', () => {
    expect(isCrs('gcj02')).toBe(true);
    expect(isCrs('GCJ02')).toBe(false);
    expect(isCrs(undefined)).toBe(false);
  });
});
