import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { VisitStatus } from '#common/care/tiers';
import type { CareResident, Registration } from '#common/care/types';
import { api } from '../api/http';
import { clientId } from '../api/ids';
import * as R from './care-reducer';

export type ScheduleRow = VisitStatus & { resident: CareResident };

/** The console's community-life desk: calendar range, registrations of one occurrence, visit list, registry. */
export const useCommunityStore = defineStore('community', () => {
  const view = ref<'month' | 'week'>('month');
  /** Any instant inside the period shown. */
  const anchor = ref(Date.now());
  const occurrences = shallowRef<R.Occurrence[]>([]);
  const picked = shallowRef<R.Occurrence | null>(null);
  const registrations = shallowRef<Registration[]>([]);
  const schedule = shallowRef<ScheduleRow[]>([]);
  const residents = shallowRef<CareResident[]>([]);
  const error = ref<string | null>(null);
  const message = ref<string | null>(null);

  function range(): { from: Date; to: Date } {
    if (view.value === 'week') return R.cstWeek(anchor.value);
    const days = R.monthGrid(anchor.value);
    return { from: new Date(`${days[0]!.date}T00:00:00+08:00`), to: new Date(Date.parse(`${days.at(-1)!.date}T00:00:00+08:00`) + 86_400_000) };
  }

  const guard = async <T>(f: () => Promise<T>): Promise<T | null> => {
    try {
      const v = await f();
      error.value = null;
      return v;
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    }
  };

  async function loadCalendar(): Promise<void> {
    const { from, to } = range();
    const r = await guard(() => api<{ activities: R.ActivityView[] }>(`/api/activities?from=${from.toISOString()}&to=${to.toISOString()}`));
    if (r) occurrences.value = R.flattenOccurrences(r.activities, 2000);
    if (picked.value) picked.value = occurrences.value.find((o) => o.key === picked.value!.key) ?? null;
  }

  function move(step: number): void {
    const days = view.value === 'week' ? 7 : 30;
    anchor.value += step * days * 86_400_000;
    void loadCalendar();
  }

  async function createActivity(body: Record<string, unknown>): Promise<boolean> {
    const r = await guard(() => api('/api/activities', { method: 'POST', body }));
    if (r) await loadCalendar();
    return r !== null;
  }

  async function pick(o: R.Occurrence | null): Promise<void> {
    picked.value = o;
    registrations.value = [];
    if (!o) return;
    const r = await guard(() => api<{ registrations: Registration[] }>(`/api/activities/${o.activityId}/registrations`));
    if (r && picked.value?.key === o.key) registrations.value = r.registrations.filter((x) => x.occurrence === o.start);
  }

  async function register(body: { name: string; phone: string | null; age: number | null }): Promise<void> {
    const o = picked.value;
    if (!o) return;
    // One key per submission: a resend after a lost reply (or a second click in flight) registers once.
    const key = clientId();
    const r = await guard(() => api(`/api/activities/${o.activityId}/registrations`, { method: 'POST', body: { ...body, occurrence: o.start }, headers: { 'Idempotency-Key': key } }));
    if (r) await Promise.all([pick(o), loadCalendar()]);
  }

  async function saveAttendance(attendedIds: string[]): Promise<void> {
    const o = picked.value;
    if (!o) return;
    const r = await guard(() => api(`/api/activities/${o.activityId}/attendance`, { method: 'POST', body: { occurrence: o.start, attendedIds } }));
    if (r) {
      await loadCalendar();
      await pick(picked.value);
    }
  }

  async function loadSchedule(): Promise<void> {
    const r = await guard(() => api<{ schedule: ScheduleRow[] }>('/api/visits/schedule'));
    if (r) schedule.value = r.schedule.slice(0, 5000);
  }

  async function logVisit(body: { residentId: string; visitorName: string; outcome: 'well' | 'needs_help'; note: string }): Promise<boolean> {
    const r = await guard(() => api('/api/visits', { method: 'POST', body: { ...body, visitedAt: new Date().toISOString() } }));
    if (r) await loadSchedule();
    return r !== null;
  }

  async function loadResidents(): Promise<void> {
    const r = await guard(() => api<{ residents: CareResident[] }>('/api/care/residents'));
    if (r) residents.value = r.residents.slice(0, 2000);
  }

  return { view, anchor, occurrences, picked, registrations, schedule, residents, error, message, range, loadCalendar, move, createActivity, pick, register, saveAttendance, loadSchedule, logVisit, loadResidents };
});
