// The leader view's extra chart types, registered only in its lazy chunk (the wall's bundle stays as it is).
import { HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { CalendarComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

echarts.use([LineChart, PieChart, HeatmapChart, CalendarComponent, VisualMapComponent, LegendComponent]);
