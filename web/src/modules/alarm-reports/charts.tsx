// the ESM build, as the workbench's charts (shell/charts.tsx): only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Bar {
  name: string;
  value: number;
  /** a second series stacked on the same bar (emergencies of a region) */
  part?: number;
}

/** Horizontal bars, one per row (alarms by kind; alarms by region with the emergencies among them). */
export function BarsChart({ bars, label, testId, names }: { bars: Bar[]; label: string; testId: string; names?: [string, string] }) {
  const height = Math.max(160, bars.length * 28 + 48);
  const stacked = names !== undefined;
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        option={{
          animation: false,
          grid: { left: 112, right: 36, top: stacked ? 28 : 12, bottom: 24 },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          ...(stacked ? { legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } } } : {}),
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { fontSize: 11 } },
          series: stacked
            ? [
                { name: names[0], type: 'bar', stack: 'n', itemStyle: { color: '#c0392b' }, data: bars.map((b) => b.part ?? 0) },
                {
                  name: names[1],
                  type: 'bar',
                  stack: 'n',
                  itemStyle: { color: '#d9b38c' },
                  data: bars.map((b) => b.value - (b.part ?? 0)),
                  label: { show: true, position: 'right', fontSize: 11, formatter: (p: { dataIndex: number }) => String(bars[p.dataIndex]?.value ?? '') },
                },
              ]
            : [{ type: 'bar', itemStyle: { color: '#c98b5a' }, data: bars.map((b) => b.value), label: { show: true, position: 'right', fontSize: 11 } }],
        }}
      />
    </div>
  );
}
