import type { PublicUser, Role } from '#common/auth/types';
import type { StoredUser } from './types.ts';

/** A `users` row as both stores keep it. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  region_id: string;
  password_hash: string;
  disabled: number;
}

export const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  regionId: r.region_id,
  passwordHash: r.password_hash,
  disabled: Boolean(r.disabled),
});

export const toPublic = ({ passwordHash: _omit, ...user }: StoredUser): PublicUser => user;
