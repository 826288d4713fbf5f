/**
 * A street office's LAN deployment is plain HTTP on its own address, not a secure context: there the browser has
 * no crypto.randomUUID (nor crypto.subtle), and the desk's actions, which made their Idempotency-Key with it, all
 * failed. Client code makes ids with api/ids.ts (crypto.getRandomValues, available everywhere).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { clientId } from '../../client/api/ids';

const CLIENT = join(import.meta.dirname, '../../client');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

describe('client code in an insecure context (plain HTTP on a LAN address)', () => {
  it('never calls crypto.randomUUID or crypto.subtle', () => {
    const offenders = sources(CLIENT).filter((f) => /crypto\.(randomUUID|subtle)\b/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\/?\*).*$/gm, '')));
    expect(offenders).toEqual([]);
  });

  it('makes distinct ids without crypto.randomUUID', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array<ArrayBuffer>) => real.getRandomValues(a) });
    try {
      const ids = new Set(Array.from({ length: 100 }, () => clientId()));
      expect(ids.size).toBe(100);
      expect([...ids].every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
