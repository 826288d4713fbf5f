import type { PublicUser, Role } from '#common/auth/types';

export interface AccountFilter {
  /** Matches username or display name, case-insensitive. */
  text: string;
  role: Role | null;
  state: 'all' | 'active' | 'disabled';
}

export const NO_FILTER: AccountFilter = { text: '', role: null, state: 'all' };

/** The accounts shown for a filter, by username. */
export function filterAccounts(users: readonly PublicUser[], f: AccountFilter): PublicUser[] {
  const q = f.text.trim().toLowerCase();
  return users
    .filter((u) => (f.role === null || u.role === f.role) && (f.state === 'all' || (f.state === 'disabled') === !!u.disabled))
    .filter((u) => !q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q))
    .sort((a, b) => a.username.localeCompare(b.username));
}

/** The list with one account replaced by the server's answer (or added). */
export function withAccount(users: readonly PublicUser[], user: PublicUser): PublicUser[] {
  const i = users.findIndex((u) => u.id === user.id);
  return i < 0 ? [...users, user] : users.map((u, j) => (j === i ? user : u));
}
