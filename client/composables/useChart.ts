import { BarChart } from 'echarts/charts';
import { GridSimpleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import { scaleChartOption } from '../wall/scale';
import { useWallScale } from './useWallScale';

// Tree-shaken ECharts: register only what the charts use.
echarts.use([BarChart, GridSimpleComponent, CanvasRenderer]);

// Tooltips only matter under a pointer, and an unattended wall has none: the tooltip component (about a
// seventh of ECharts) is fetched on the first pointer over any chart, then every chart re-applies its option.
let tooltip: Promise<unknown> | null = null;
const loadTooltip = () => (tooltip ??= import('./echarts-tooltip'));

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Owns one ECharts instance: created on mount, fed by `option` in place (merge, no re-create), resized with
 * its container, disposed on unmount. Fonts and pixel sizes are multiplied by the wall's text scale (4K and
 * spliced walls), which the container records as `data-text-scale` for the end-to-end tests.
 */
/** What the tests read: the scale used and the axis label size ECharts actually holds after the merge. */
function record(c: echarts.ECharts, el: HTMLElement, s: number): void {
  el.dataset.textScale = String(s);
  const o = c.getOption() as { xAxis?: { axisLabel?: { fontSize?: number } }[]; yAxis?: { axisLabel?: { fontSize?: number } }[] };
  const size = o.yAxis?.[0]?.axisLabel?.fontSize ?? o.xAxis?.[0]?.axisLabel?.fontSize;
  if (size !== undefined) el.dataset.axisFontSize = String(size);
}

export function useChart(container: Ref<HTMLElement | null>, option: Ref<ChartOption>) {
  const chart = shallowRef<echarts.ECharts | null>(null);
  let observer: ResizeObserver | null = null;
  const scale = useWallScale().text;
  const scaled = () => scaleChartOption(option.value, scale.value);

  onMounted(() => {
    if (!container.value) return;
    const c = echarts.init(container.value, null, { renderer: 'canvas' });
    c.setOption(scaled());
    record(c, container.value, scale.value);
    observer = new ResizeObserver(() => c.resize());
    observer.observe(container.value);
    container.value.addEventListener('pointerenter', withTooltip, { once: true });
    chart.value = c;
  });

  async function withTooltip(): Promise<void> {
    await loadTooltip();
    chart.value?.setOption(scaled(), { notMerge: false });
  }

  const stop = watch(option, () => chart.value?.setOption(scaled(), { notMerge: false, lazyUpdate: true }));
  const stopScale = watch(scale, (s) => {
    if (!chart.value || !container.value) return;
    chart.value.setOption(scaled(), { notMerge: false });
    record(chart.value, container.value, s);
  });

  onBeforeUnmount(() => {
    stop();
    stopScale();
    observer?.disconnect();
    container.value?.removeEventListener('pointerenter', withTooltip);
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart };
}
