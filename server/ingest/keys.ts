import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isWithinScope } from '#common/geo/types';
import type { Logger } from '../log.ts';
import type { SettingsStore } from '../store/types.ts';

/** What identifies an upstream: `sourceOf(key)` → the source id its messages are filed under. */
export interface KeyLookup {
  get(key: string): string | undefined;
  /**
   * The region a key's events must lie in: the issuer's, for a key an admin below the root issued; null for
   * keys that may report anywhere (INGEST_KEYS, root admins') or unknown keys.
   */
  scopeOf?(key: string): string | null;
}

interface StoredKey {
  id: string;
  source: string;
  /** sha256 of the key: the key itself is shown once, at creation, and never stored. */
  hash: string;
  last4: string;
  createdAt: string;
  createdBy: string;
  /** The issuer's region: admins see and revoke only keys issued within their scope. Absent (older keys): the root. */
  regionId?: string;
}

export interface KeyInfo {
  id: string;
  source: string;
  origin: 'env' | 'admin';
  /** The last four characters, to tell keys apart. */
  last4: string;
  createdAt: string | null;
  /** The region of the admin who issued it; environment keys belong to the root region. */
  regionId: string;
}

const SETTING = 'ingest_keys';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Upstream API keys: those set in the environment (INGEST_KEYS) and those an admin creates or revokes at run
 * time (kept hashed in the settings store). Lookups are synchronous from memory; other nodes pick up an
 * admin's change within `refreshMs`.
 */
export class KeyRing implements KeyLookup {
  private admin = new Map<string, StoredKey>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly env: Map<string, string>,
    private readonly settings: SettingsStore,
    private readonly log: Logger,
    private readonly rootRegionId: string,
  ) {}

  static async open(env: Map<string, string>, settings: SettingsStore, log: Logger, rootRegionId: string, refreshMs = 10_000): Promise<KeyRing> {
    const ring = new KeyRing(env, settings, log, rootRegionId);
    await ring.reload();
    ring.timer = setInterval(() => void ring.reload().catch((err: unknown) => log.error({ err }, 'ingest key reload failed')), refreshMs);
    ring.timer.unref();
    return ring;
  }

  get(key: string): string | undefined {
    const fromEnv = this.env.get(key);
    if (fromEnv) return fromEnv;
    const stored = this.admin.get(sha256(key));
    // The map lookup is by hash already; compare again in constant time for good measure.
    return stored && timingSafeEqual(Buffer.from(stored.hash), Buffer.from(sha256(key))) ? stored.source : undefined;
  }

  scopeOf(key: string): string | null {
    if (this.env.has(key)) return null;
    const region = this.admin.get(sha256(key))?.regionId;
    return region && region !== this.rootRegionId ? region : null;
  }

  /** Every source that has a key, for /healthz. */
  sources(): string[] {
    return [...new Set([...this.env.values(), ...[...this.admin.values()].map((k) => k.source)])];
  }

  /** The keys issued within `scopeRegionId` (environment keys belong to the root region). */
  list(scopeRegionId: string): KeyInfo[] {
    const root = this.rootRegionId;
    const env = [...this.env.entries()].map(([key, source], i): KeyInfo => ({ id: `env-${i + 1}`, source, origin: 'env', last4: key.slice(-4), createdAt: null, regionId: root }));
    const admin = [...this.admin.values()].map((k): KeyInfo => ({ id: k.id, source: k.source, origin: 'admin', last4: k.last4, createdAt: k.createdAt, regionId: k.regionId ?? root }));
    return [...env, ...admin].filter((k) => isWithinScope(k.regionId, scopeRegionId));
  }

  /** A new random key for `source`, recorded with the issuer's region; the only time the key itself is seen. */
  async create(source: string, createdBy: string, regionId: string): Promise<{ info: KeyInfo; key: string }> {
    const key = `gk_${randomBytes(24).toString('base64url')}`;
    const stored: StoredKey = { id: randomUUID(), source, hash: sha256(key), last4: key.slice(-4), createdAt: new Date().toISOString(), createdBy, regionId };
    await this.write([...(await this.read()), stored]);
    this.log.info({ source, id: stored.id, createdBy, regionId }, 'ingest key created');
    return { info: { id: stored.id, source, origin: 'admin', last4: stored.last4, createdAt: stored.createdAt, regionId }, key };
  }

  /**
   * False when there is no such admin-made key issued within `scopeRegionId` (environment keys are revoked by
   * changing the environment); a key of another region is answered as absent, so ids do not leak across scopes.
   */
  async revoke(id: string, scopeRegionId: string): Promise<boolean> {
    const all = await this.read();
    const kept = all.filter((k) => k.id !== id || !isWithinScope(k.regionId ?? this.rootRegionId, scopeRegionId));
    if (kept.length === all.length) return false;
    await this.write(kept);
    this.log.info({ id }, 'ingest key revoked');
    return true;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async read(): Promise<StoredKey[]> {
    const raw = await this.settings.get(SETTING);
    return raw ? (JSON.parse(raw) as StoredKey[]) : [];
  }

  private async write(keys: StoredKey[]): Promise<void> {
    await this.settings.set(SETTING, JSON.stringify(keys));
    this.admin = new Map(keys.map((k) => [k.hash, k]));
  }

  private async reload(): Promise<void> {
    this.admin = new Map((await this.read()).map((k) => [k.hash, k]));
  }
}
