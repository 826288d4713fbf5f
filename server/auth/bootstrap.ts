import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { hashPassword, randomPassword } from './passwords.ts';
import type { TokenService } from './tokens.ts';

export const WALL_USERNAME = 'wall';
export const WALL_TOKEN_TTL = '365d';

/**
 * First start: create `admin` (password from config, or random and printed once) and the read-only
 * `wall` account, and print a wall-display link. Later starts change nothing.
 */
export async function bootstrapAccounts(opts: {
  store: Store;
  tokens: TokenService;
  rootRegionId: string;
  adminPassword: string | undefined;
  publicUrl: string;
  log: Logger;
}): Promise<void> {
  const { store, tokens, rootRegionId, log } = opts;
  if ((await store.users.count()) > 0) return;
  // Several nodes may start at once on an empty database: only the one that claims the bootstrap creates accounts.
  const claim = randomUUID();
  if ((await store.settings.setIfAbsent('bootstrap_claim', claim)) !== claim) return;
  const password = opts.adminPassword ?? randomPassword();
  await store.users.create({
    id: randomUUID(),
    username: 'admin',
    displayName: '系统管理员',
    role: 'admin',
    regionId: rootRegionId,
    workerId: null,
    passwordHash: await hashPassword(password),
  });
  const wallId = randomUUID();
  await store.users.create({
    id: wallId,
    username: WALL_USERNAME,
    displayName: '指挥中心大屏',
    role: 'wall',
    regionId: rootRegionId,
    workerId: null,
    // Nobody logs in as the wall: it holds a token only.
    passwordHash: await hashPassword(randomPassword()),
  });
  if (opts.adminPassword) log.info('created user admin with GRIDOPS_ADMIN_PASSWORD');
  else log.warn({ username: 'admin', initialPassword: password }, 'created user admin; this password is shown once');
  const wallToken = await tokens.sign({ sub: wallId, role: 'wall', regionId: rootRegionId }, WALL_TOKEN_TTL);
  log.info({ wallLink: `${opts.publicUrl}/?wall=${wallToken}` }, 'read-only wall display link (valid 365 days)');
}
