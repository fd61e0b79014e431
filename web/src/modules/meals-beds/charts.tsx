// the ESM build: lib/core is CommonJS, whose default export arrives as a module object in the bundle
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { DailyRow } from './types';

// only the parts drawn here (echarts/core, not the whole library); no animation
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Meals a day, all the chosen points together: dine-in and delivery stacked. */
export function DailyChart({ rows, label, names }: { rows: DailyRow[]; label: string; names: [string, string] }) {
  const days = [...new Set(rows.map((r) => r.date))].sort();
  const sum = (day: string, key: 'dineIn' | 'delivery') => rows.filter((r) => r.date === day).reduce((s, r) => s + r[key], 0);
  return (
    <div role="img" aria-label={label} data-testid="mb-daily-chart">
      <ReactEChartsCore
        echarts={echarts}
        notMerge
        lazyUpdate
        style={{ height: 240, width: '100%' }}
        option={{
          animation: false,
          grid: { left: 40, right: 12, top: 28, bottom: 28 },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
          xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            { name: names[0], type: 'bar', stack: 'meals', itemStyle: { color: '#c98b5a' }, data: days.map((d) => sum(d, 'dineIn')) },
            { name: names[1], type: 'bar', stack: 'meals', itemStyle: { color: '#5b8ff9' }, data: days.map((d) => sum(d, 'delivery')) },
          ],
        }}
      />
    </div>
  );
}
