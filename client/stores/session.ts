import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginResponse, PublicUser } from '#common/auth/types';
import { api } from '../api/http';

const STORAGE_KEY = 'gridops.session';

interface Saved {
  token: string;
  user: PublicUser;
}

function load(): Saved | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    return null;
  }
}

/** Who is signed in: the token for REST and the socket, and the user it belongs to. */
export const useSessionStore = defineStore('session', () => {
  const saved = load();
  const token = ref<string | null>(saved?.token ?? null);
  const user = ref<PublicUser | null>(saved?.user ?? null);
  const isWall = computed(() => user.value?.role === 'wall');

  function set(res: LoginResponse): void {
    token.value = res.token;
    user.value = res.user;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: res.token, user: res.user } satisfies Saved));
  }

  function clear(): void {
    token.value = null;
    user.value = null;
    localStorage.removeItem(STORAGE_KEY);
  }

  async function login(username: string, password: string): Promise<void> {
    set(await api<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password } }));
  }

  /** A wall link carries its token in `?wall=`; validate it by asking who it belongs to. */
  async function adoptWallToken(wallToken: string): Promise<boolean> {
    token.value = wallToken;
    try {
      const me = await api<PublicUser>('/api/auth/me');
      set({ token: wallToken, user: me });
      return true;
    } catch {
      clear();
      return false;
    }
  }

  /** On the server's own machine a wall screen signs itself in, read-only. */
  async function wallAutoLogin(): Promise<boolean> {
    try {
      set(await api<LoginResponse>('/api/auth/wall-token', { method: 'POST' }));
      return true;
    } catch {
      return false;
    }
  }

  return { token, user, isWall, set, login, logout: clear, clear, adoptWallToken, wallAutoLogin };
});
