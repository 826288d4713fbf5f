import type { UserPatch } from './types.ts';

const COLUMNS: Record<keyof UserPatch, string> = {
  displayName: 'display_name',
  role: 'role',
  regionId: 'region_id',
  workerId: 'worker_id',
  disabled: 'disabled',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  tokensAfterMs: 'tokens_after_ms',
};

/** The SET list and values of a user patch; `param(i)` spells the i-th placeholder (`?` or `$n`). */
export function userPatchSql(patch: UserPatch, param: (i: number) => string): { set: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [key, column] of Object.entries(COLUMNS) as [keyof UserPatch, string][]) {
    const v = patch[key];
    if (v === undefined) continue;
    values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    parts.push(`${column} = ${param(values.length)}`);
  }
  return { set: parts.join(', '), values };
}
