import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';

// Tree-shaken ECharts: register only what the charts use.
echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Owns one ECharts instance: created on mount, fed by `option` in place (merge, no re-create), resized with
 * its container, disposed on unmount.
 */
export function useChart(container: Ref<HTMLElement | null>, option: Ref<ChartOption>) {
  const chart = shallowRef<echarts.ECharts | null>(null);
  let observer: ResizeObserver | null = null;

  onMounted(() => {
    if (!container.value) return;
    const c = echarts.init(container.value, null, { renderer: 'canvas' });
    c.setOption(option.value);
    observer = new ResizeObserver(() => c.resize());
    observer.observe(container.value);
    chart.value = c;
  });

  const stop = watch(option, (o) => chart.value?.setOption(o, { notMerge: false, lazyUpdate: true }));

  onBeforeUnmount(() => {
    stop();
    observer?.disconnect();
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart };
}
