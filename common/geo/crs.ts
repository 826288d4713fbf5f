/**
 * Coordinate reference systems used by Chinese map data, and conversions between them.
 *
 * - `wgs84`    — WGS-84 longitude/latitude (GPS, OpenStreetMap, MapLibre, our stored data).
 * - `cgcs2000` — China Geodetic Coordinate System 2000. It differs from WGS-84 by a few
 *                centimetres at most (same ellipsoid up to a tiny flattening difference,
 *                frame offset well under 0.1 m), far below the precision of community
 *                boundaries, so it is treated as IDENTICAL to WGS-84 here.
 * - `gcj02`    — GCJ-02, the state-mandated obfuscated "Mars" datum used by AMap (高德),
 *                Tencent and most Chinese web maps: WGS-84 plus a smooth, non-linear offset
 *                of a few hundred metres. The offset applies only inside China.
 * - `bd09`     — BD-09, Baidu's datum: a further small rotation/scaling of GCJ-02.
 *
 * The forward transforms (WGS-84 → GCJ-02 → BD-09) are the well-known published formulas
 * (the same ones as in gcoord / coordtransform / eviltransform; krasovsky ellipsoid constants).
 * There is no closed-form inverse, and the usual one-step inverse (`wgs ≈ gcj − offset(gcj)`)
 * is off by up to a couple of metres. The inverses here refine the forward transform by
 * fixed-point iteration until the residual is below 1e-9 degrees (≈ 0.1 mm), which
 * converges in 2–4 iterations because the offset field varies slowly.
 *
 * Pure: no Node or DOM imports.
 */
import type { LngLat } from './types.ts';

export const CRS_LIST = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_LIST)[number];

export function isCrs(value: unknown): value is Crs {
  return typeof value === 'string' && (CRS_LIST as readonly string[]).includes(value);
}

/** Residual (degrees) at which the iterative inverses stop. */
export const INVERSE_TOLERANCE_DEG = 1e-9;
/** Iteration cap for the inverses (convergence normally takes 2–4 steps). */
export const INVERSE_MAX_ITERATIONS = 30;

const { sin, cos, sqrt, abs, atan2, PI } = Math;

// Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943; // 0.00669342162296594323 rounded to a double
const BD_FACTOR = (PI * 3000.0) / 180.0;

/**
 * Rough "inside China" guard, the bounding box used by the published GCJ-02 code and by the
 * map providers' SDKs (lng 72.004–137.8347, lat 0.8293–55.8271). Outside it GCJ-02 and BD-09
 * conversions are the identity for GCJ (BD-09 still applies its own shift on top of GCJ).
 */
export function isInChina(lng: number, lat: number): boolean {
  return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(y * PI) + 40.0 * sin((y / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((160.0 * sin((y / 12.0) * PI) + 320 * sin((y * PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLng(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(x * PI) + 40.0 * sin((x / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((150.0 * sin((x / 12.0) * PI) + 300.0 * sin((x / 30.0) * PI)) * 2.0) / 3.0;
  return ret;
}

/** GCJ-02 offset (degrees) to add to a WGS-84 position. */
function gcjOffset(lng: number, lat: number): [number, number] {
  let dLat = transformLat(lng - 105.0, lat - 35.0);
  let dLng = transformLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * PI;
  let magic = sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * PI);
  dLng = (dLng * 180.0) / ((KRASOVSKY_A / sqrtMagic) * cos(radLat) * PI);
  return [dLng, dLat];
}

/** WGS-84 → GCJ-02 (published forward formula). Identity outside China. */
export function wgs84ToGcj02(lng: number, lat: number): [number, number] {
  if (!isInChina(lng, lat)) return [lng, lat];
  const [dLng, dLat] = gcjOffset(lng, lat);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 → BD-09 (published forward formula). */
export function gcj02ToBd09(lng: number, lat: number): [number, number] {
  const z = sqrt(lng * lng + lat * lat) + 0.00002 * sin(lat * BD_FACTOR);
  const theta = atan2(lat, lng) + 0.000003 * cos(lng * BD_FACTOR);
  return [z * cos(theta) + 0.0065, z * sin(theta) + 0.006];
}

/** WGS-84 → BD-09 (via GCJ-02). */
export function wgs84ToBd09(lng: number, lat: number): [number, number] {
  const [gLng, gLat] = wgs84ToGcj02(lng, lat);
  return gcj02ToBd09(gLng, gLat);
}

/**
 * The one-step GCJ-02 → WGS-84 inverse found in most libraries (`wgs ≈ gcj − offset(gcj)`).
 * Kept only to measure it against the iterative inverse; do not use for data.
 */
export function gcj02ToWgs84OneStep(lng: number, lat: number): [number, number] {
  if (!isInChina(lng, lat)) return [lng, lat];
  const [dLng, dLat] = gcjOffset(lng, lat);
  return [lng - dLng, lat - dLat];
}

/**
 * The published closed-form BD-09 → GCJ-02 approximation (the usual one-step inverse).
 * Used as the starting point of the iterative inverse.
 */
export function bd09ToGcj02OneStep(lng: number, lat: number): [number, number] {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_FACTOR);
  const theta = atan2(y, x) - 0.000003 * cos(x * BD_FACTOR);
  return [z * cos(theta), z * sin(theta)];
}

/**
 * Solve forward(p) = target by fixed-point refinement p ← p − (forward(p) − target),
 * starting from `start`. Converges because forward is the identity plus a slowly
 * varying offset (its Jacobian is within ~1e-3 of the identity matrix).
 */
function invert(
  forward: (lng: number, lat: number) => [number, number],
  targetLng: number,
  targetLat: number,
  start: [number, number],
): [number, number] {
  let [lng, lat] = start;
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [fLng, fLat] = forward(lng, lat);
    const dLng = fLng - targetLng;
    const dLat = fLat - targetLat;
    if (abs(dLng) < INVERSE_TOLERANCE_DEG && abs(dLat) < INVERSE_TOLERANCE_DEG) break;
    lng -= dLng;
    lat -= dLat;
  }
  return [lng, lat];
}

/** GCJ-02 → WGS-84, iterative (residual < 1e-9°). Identity outside China. */
export function gcj02ToWgs84(lng: number, lat: number): [number, number] {
  if (!isInChina(lng, lat)) return [lng, lat];
  return invert(wgs84ToGcj02, lng, lat, gcj02ToWgs84OneStep(lng, lat));
}

/** BD-09 → GCJ-02, iterative (residual < 1e-9°). */
export function bd09ToGcj02(lng: number, lat: number): [number, number] {
  return invert(gcj02ToBd09, lng, lat, bd09ToGcj02OneStep(lng, lat));
}

/** BD-09 → WGS-84, iterative on the whole WGS-84 → BD-09 chain (residual < 1e-9°). */
export function bd09ToWgs84(lng: number, lat: number): [number, number] {
  const [gLng, gLat] = bd09ToGcj02OneStep(lng, lat);
  if (!isInChina(gLng, gLat)) return bd09ToGcj02(lng, lat);
  return invert(wgs84ToBd09, lng, lat, gcj02ToWgs84OneStep(gLng, gLat));
}

/** Convert a position in `from` to WGS-84. */
export function toWgs84(lng: number, lat: number, from: Crs): [number, number] {
  switch (from) {
    case 'wgs84':
    case 'cgcs2000':
      return [lng, lat];
    case 'gcj02':
      return gcj02ToWgs84(lng, lat);
    case 'bd09':
      return bd09ToWgs84(lng, lat);
  }
}

/** Convert a WGS-84 position to `to`. */
export function fromWgs84(lng: number, lat: number, to: Crs): [number, number] {
  switch (to) {
    case 'wgs84':
    case 'cgcs2000':
      return [lng, lat];
    case 'gcj02':
      return wgs84ToGcj02(lng, lat);
    case 'bd09':
      return wgs84ToBd09(lng, lat);
  }
}

/** Convert a position between any two supported CRSs (via WGS-84). */
export function convert(lng: number, lat: number, from: Crs, to: Crs): [number, number] {
  if (from === to) return [lng, lat];
  const [wLng, wLat] = toWgs84(lng, lat, from);
  return fromWgs84(wLng, wLat, to);
}

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6371008.8;

export type LngLatLike = readonly [number, number] | readonly number[] | LngLat;

function lngLatOf(p: LngLatLike): [number, number] {
  if ('lng' in p) return [p.lng, p.lat];
  return [p[0] ?? NaN, p[1] ?? NaN];
}

/** Great-circle (haversine) distance in metres between two WGS-84 positions. */
export function distanceM(a: LngLatLike, b: LngLatLike): number {
  const [lng1, lat1] = lngLatOf(a);
  const [lng2, lat2] = lngLatOf(b);
  const toRad = PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLng = (lng2 - lng1) * toRad;
  const h = sin(dLat / 2) ** 2 + cos(lat1 * toRad) * cos(lat2 * toRad) * sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, sqrt(h)));
}
