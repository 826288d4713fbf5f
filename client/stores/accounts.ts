import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PasswordResetResponse, UserPatchBody } from '#common/accounts/schema';
import type { PublicUser } from '#common/auth/types';
import { api } from '../api/http';
import { filterAccounts, NO_FILTER, withAccount, type AccountFilter } from './accounts-filter';

/** Accounts in the admin's scope: list, filter, and the changes an admin makes. */
export const useAccountsStore = defineStore('accounts', () => {
  const users = shallowRef<PublicUser[]>([]);
  const filter = ref<AccountFilter>({ ...NO_FILTER });
  const loading = ref(false);
  const shown = computed(() => filterAccounts(users.value, filter.value));

  async function load(): Promise<void> {
    loading.value = true;
    try {
      users.value = (await api<{ users: PublicUser[] }>('/api/users')).users;
    } finally {
      loading.value = false;
    }
  }

  async function patch(id: string, body: UserPatchBody): Promise<PublicUser> {
    const user = await api<PublicUser>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });
    users.value = withAccount(users.value, user);
    return user;
  }

  /** The one-time password, to show the admin once. */
  async function resetPassword(id: string): Promise<string> {
    const reply = await api<PasswordResetResponse>(`/api/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' });
    users.value = withAccount(users.value, { ...users.value.find((u) => u.id === id)!, mustChangePassword: true });
    return reply.temporaryPassword;
  }

  return { users, filter, shown, loading, load, patch, resetPassword };
});
