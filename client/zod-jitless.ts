/**
 * zod probes for eval with `new Function('')` on its first object parse; the CSP forbids eval, so tell it not
 * to try. Set through zod's shared config object (`globalThis.__zod_globalConfig`, which zod adopts when it
 * loads later, or is the object it already uses), so the entry chunk does not import zod: only the lazy
 * views that validate forms load it, and the wall never does.
 */
export function makeZodJitless(): void {
  const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
  (g.__zod_globalConfig ??= {}).jitless = true;
}
