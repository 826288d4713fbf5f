import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AnalyticsResponse, GroupBy } from '#common/analytics/api';
import type { IndicatorName } from '#common/analytics/indicators';
import type { PeriodKind } from '#common/analytics/periods';
import { dayLabel } from '#common/analytics/rollup';
import { api } from '../api/http';
import { defaultCustom, drillBack, drillTo, groupOfStep, rangeOf, rankBy, type DateRange, type DrillStep } from './analytics-reducer';

/**
 * The leader view: a period, a drill path (street → community → grid → worker) and the answers of
 * GET /api/analytics for it. The reducers are in analytics-reducer.ts.
 */
export const useAnalyticsStore = defineStore('analytics', () => {
  const period = ref<PeriodKind>('month');
  const custom = ref<DateRange>(defaultCustom(Date.now()));
  const path = ref<DrillStep[]>([]);
  const rankIndicator = ref<IndicatorName>('closureRate');
  const loading = ref(false);
  const error = ref<string | null>(null);
  const byGroup = ref<AnalyticsResponse | null>(null);
  const byDay = ref<AnalyticsResponse | null>(null);
  const byCategory = ref<AnalyticsResponse | null>(null);
  const bySource = ref<AnalyticsResponse | null>(null);
  /** The last 12 months by day, for the calendar of overdue cases. */
  const calendar = ref<AnalyticsResponse | null>(null);

  const range = computed(() => rangeOf(period.value, Date.now(), custom.value));
  const current = computed(() => path.value.at(-1) ?? null);
  const group = computed<GroupBy>(() => (current.value ? groupOfStep(current.value.regionId) : 'region'));
  const ranking = computed(() => rankBy(byGroup.value?.items ?? [], rankIndicator.value));

  let seq = 0;
  async function load(): Promise<void> {
    const step = current.value;
    if (!step) return;
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    const q = (groupBy: GroupBy, r: DateRange = range.value, compare = false) =>
      api<AnalyticsResponse>(`/api/analytics?regionId=${step.regionId}&from=${r.from}&to=${r.to}&groupBy=${groupBy}${compare ? '&compare=1' : ''}`);
    const today = Math.floor((Date.now() + 8 * 3_600_000) / 86_400_000);
    try {
      const [g, d, c, s, cal] = await Promise.all([
        q(group.value, range.value, true),
        q('day'),
        q('category'),
        q('source'),
        q('day', { from: dayLabel(today - 364), to: dayLabel(today) }),
      ]);
      if (mine !== seq) return;
      [byGroup.value, byDay.value, byCategory.value, bySource.value, calendar.value] = [g, d, c, s, cal];
    } catch (err) {
      if (mine === seq) error.value = (err as Error).message;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function start(root: DrillStep): void {
    if (!path.value.length || path.value[0]!.regionId !== root.regionId) path.value = [root];
  }
  function setPeriod(p: PeriodKind): void {
    period.value = p;
    void load();
  }
  function setCustom(r: DateRange): void {
    custom.value = r;
    period.value = 'custom';
    void load();
  }
  function drill(step: DrillStep): void {
    path.value = drillTo(path.value, step);
    void load();
  }
  function back(index: number): void {
    path.value = drillBack(path.value, index);
    void load();
  }
  return { period, custom, path, current, group, rankIndicator, loading, error, byGroup, byDay, byCategory, bySource, calendar, range, ranking, load, start, setPeriod, setCustom, drill, back };
});
