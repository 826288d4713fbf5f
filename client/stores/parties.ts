import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Party } from '#common/dispatch/types';
import { api } from '../api/http';
import { uploadRaw, type CsvEncoding } from '../api/upload';
import { bodyOf, filterParties, looksMasked, type PartyDraft, type PartyFilters } from './parties-filter';
import { useSessionStore } from './session';

export interface PartyImportReply {
  imported: number;
  /** Rows refused, by line of the file (the header is line 1). */
  errors: { row: number; message: string }[];
}

/** The registry of parties of multi-center governance (`/api/parties`): list, filters, admin writes. */
export const usePartiesStore = defineStore('parties', () => {
  const session = useSessionStore();
  const list = shallowRef<Party[]>([]);
  const state = ref<'idle' | 'loading' | 'ok' | 'error'>('idle');
  const error = ref<string | null>(null);
  const filters = ref<PartyFilters>({ kind: null, search: '' });
  const visible = computed(() => filterParties(list.value, filters.value));

  async function load(): Promise<void> {
    state.value = 'loading';
    try {
      list.value = (await api<{ items: Party[] }>('/api/parties')).items;
      state.value = 'ok';
    } catch (err) {
      error.value = (err as Error).message;
      state.value = 'error';
    }
  }

  /** Create (no id) or update; answers the stored party. Errors reach the caller as HttpError. */
  async function save(draft: PartyDraft, id: string | null): Promise<Party> {
    const body: Partial<ReturnType<typeof bodyOf>> = bodyOf(draft);
    if (id && body.contact && (looksMasked(body.contact.name ?? '') || looksMasked(body.contact.phone ?? ''))) delete body.contact;
    const saved = id
      ? await api<Party>(`/api/parties/${encodeURIComponent(id)}`, { method: 'PATCH', body })
      : await api<Party>('/api/parties', { method: 'POST', body });
    list.value = [...list.value.filter((p) => p.id !== saved.id), saved];
    return saved;
  }

  async function remove(id: string): Promise<void> {
    await api<unknown>(`/api/parties/${encodeURIComponent(id)}`, { method: 'DELETE' });
    list.value = list.value.filter((p) => p.id !== id);
  }

  async function importCsv(file: Blob, encoding: CsvEncoding): Promise<PartyImportReply> {
    const reply = await uploadRaw<PartyImportReply>({ path: `/api/parties/import?encoding=${encoding}`, body: file, token: session.token, contentType: 'text/csv' });
    await load();
    return reply;
  }

  return { list, state, error, filters, visible, load, save, remove, importCsv };
});
