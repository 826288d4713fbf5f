export const ROLES = ['admin', 'leader', 'dispatcher', 'worker', 'wall'] as const;
export type Role = (typeof ROLES)[number];

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Root of the region subtree this user may see and act on. */
  regionId: string;
  /** The roster grid worker this `worker` account is (geo/data workers); null for other roles. */
  workerId: string | null;
  /** A disabled user's tokens fail and their sockets are closed. */
  disabled?: boolean;
  /** Set by an admin's password reset: every API but `POST /api/me/password` and `GET /api/auth/me` answers 403 until changed. */
  mustChangePassword?: boolean;
}

export interface LoginResponse {
  token: string;
  user: PublicUser;
}
