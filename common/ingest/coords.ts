/**
 * Strict coordinate parsing for upstream text (Open311 form fields) and values (JSON numbers).
 * `Number()` is far too kind: it takes '0x1A', ' ', '' (→ 0, i.e. a case at 0,0 in the Gulf of Guinea),
 * 'Infinity' and '1e2'. Only plain decimal degrees pass here.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

export type Axis = 'lat' | 'lng';
const LIMIT: Record<Axis, number> = { lat: 90, lng: 180 };

/** A coordinate in decimal degrees, or why not. Strings must be plain decimals (no hex, exponent, space, garbage). */
export function parseCoordinate(v: unknown, axis: Axis): { ok: true; value: number } | { ok: false; message: string } {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && DECIMAL.test(v)) n = Number(v);
  else return { ok: false, message: `${axis} must be decimal degrees (e.g. 30.657), got ${describe(v)}` };
  if (!Number.isFinite(n)) return { ok: false, message: `${axis} must be a finite number` };
  if (Math.abs(n) > LIMIT[axis]) return { ok: false, message: `${axis} must be between -${LIMIT[axis]} and ${LIMIT[axis]}` };
  return { ok: true, value: n };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v.trim() === '' ? 'an empty value' : JSON.stringify(v.slice(0, 24));
  return v === null ? 'null' : typeof v;
}
