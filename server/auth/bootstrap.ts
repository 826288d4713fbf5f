import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { hashPassword, randomPassword } from './passwords.ts';
import type { TokenService } from './tokens.ts';
import { issueWallLink, WALL_LINK_DAYS } from './wall-links.ts';

export const WALL_USERNAME = 'wall';
/** Where the first start leaves the wall link: readable by the operator only, never printed to the log. */
export const WALL_LINK_FILE = 'wall-link.txt';

/**
 * First start: create `admin` (password from config, or random and printed once) and the read-only
 * `wall` account, and write a wall-display link to DATA_DIR/wall-link.txt (mode 0600). Later starts change nothing.
 */
export async function bootstrapAccounts(opts: {
  store: Store;
  tokens: TokenService;
  rootRegionId: string;
  adminPassword: string | undefined;
  publicUrl: string;
  dataDir: string;
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
  const { token } = await issueWallLink({ store, tokens }, {
    wall: { id: wallId, regionId: rootRegionId },
    label: 'first start',
    createdBy: null,
    days: WALL_LINK_DAYS,
  });
  // The log is often shipped and shared; a wall link is a credential, so it goes to a file only the operator reads.
  mkdirSync(opts.dataDir, { recursive: true });
  const file = resolve(join(opts.dataDir, WALL_LINK_FILE));
  writeFileSync(file, `${opts.publicUrl}/?wall=${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // a file left from an earlier install keeps its old mode otherwise
  log.info({ wallLinkFile: file }, `read-only wall display link written to ${file} (valid ${WALL_LINK_DAYS} days; revoke with DELETE /api/wall-links/{id})`);
}
