/**
 * A rate as leaders read it: a percentage rounded to `decimals`, but never 100 % unless every case counts and never
 * 0 % unless none does. Plain rounding showed 2,499 of 2,500 closed as 结案率 100.0% (and 1 of 5,000 as 0.0%).
 */
export function percentText(v: number | null | undefined, decimals = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const step = 10 ** -decimals;
  let p = Math.round(v * 100 * 10 ** decimals) / 10 ** decimals;
  if (p >= 100 && v < 1) p = 100 - step;
  if (p <= 0 && v > 0) p = step;
  return `${p.toFixed(decimals)}%`;
}
