import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AuditEntry, AuditPage } from '#common/audit/types';
import { api } from '../api/http';
import { auditQueryString, EMPTY_AUDIT_FILTER, type AuditFilterForm } from './audit-query';

/** The audit log as the admin pages it: newest first, more on demand. */
export const useAuditStore = defineStore('audit', () => {
  const filter = ref<AuditFilterForm>({ ...EMPTY_AUDIT_FILTER });
  const items = shallowRef<AuditEntry[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);

  async function load(more = false): Promise<void> {
    loading.value = true;
    try {
      const page = await api<AuditPage>(`/api/audit?${auditQueryString(filter.value, more ? nextCursor.value : null)}`);
      items.value = more ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } finally {
      loading.value = false;
    }
  }

  return { filter, items, nextCursor, loading, load };
});
