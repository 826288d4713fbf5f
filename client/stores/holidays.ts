import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HolidayDay } from '#common/calendar/schema';
import { api } from '../api/http';

export interface HolidayOverview {
  packageLastYear: number;
  years: { year: number; source: 'package' | 'admin'; holidays: number; workdays: number }[];
  warning: { code: 'holiday/next_year_missing' | 'holiday/year_missing'; year: number } | null;
}

/** Sorted by date, blank rows dropped, names trimmed: what PUT /api/holidays/{year} is sent. */
export function cleanDays(rows: readonly HolidayDay[]): HolidayDay[] {
  return rows
    .filter((r) => r.date && r.name.trim())
    .map((r) => ({ ...r, name: r.name.trim() }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The holiday calendar: overview, one year's days, and an admin's entry of a year the package lacks. */
export const useHolidaysStore = defineStore('holidays', () => {
  const overview = shallowRef<HolidayOverview | null>(null);
  const year = ref<number | null>(null);
  const source = ref<'package' | 'admin' | null>(null);
  const days = ref<HolidayDay[]>([]);

  async function load(): Promise<void> {
    overview.value = await api<HolidayOverview>('/api/holidays');
  }

  async function open(y: number): Promise<void> {
    const r = await api<{ year: number; source: 'package' | 'admin' | null; days: HolidayDay[] }>(`/api/holidays/${y}`);
    year.value = r.year;
    source.value = r.source;
    days.value = r.days.map((d) => ({ ...d }));
  }

  async function save(): Promise<void> {
    if (year.value === null) return;
    const r = await api<{ source: 'admin'; days: HolidayDay[] }>(`/api/holidays/${year.value}`, { method: 'PUT', body: { days: cleanDays(days.value) } });
    source.value = r.source;
    days.value = r.days.map((d) => ({ ...d }));
    await load();
  }

  return { overview, year, source, days, load, open, save };
});
