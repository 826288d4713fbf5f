// ECharts' tooltip (and the axis pointer it brings): loaded by useChart on the first pointer over a chart.
import { TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([TooltipComponent]);
