// the ESM build, as the workbench's charts (shell/charts.tsx): only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { RateRow } from './types';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * The month's visit rate of each region as a bar (per cent), the target as a dashed line; a click
 * on a bar drills into that region. Regions with nothing due are left out by the caller.
 */
export function RateChart({
  rows,
  target,
  label,
  targetLabel,
  onPick,
}: {
  rows: RateRow[];
  target: number;
  label: string;
  targetLabel: string;
  onPick?: (code: string) => void;
}) {
  const height = Math.max(180, rows.length * 28 + 48);
  return (
    <div role="img" aria-label={label} data-testid="chart-visit-rate">
      <ReactEChartsCore
        echarts={echarts}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        onEvents={onPick ? { click: (e: { dataIndex: number }) => rows[e.dataIndex] && onPick(rows[e.dataIndex]!.regionCode) } : undefined}
        option={{
          animation: false,
          grid: { left: 96, right: 48, top: 24, bottom: 24 },
          tooltip: {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: { dataIndex: number }[]) => {
              const r = rows[ps[0]?.dataIndex ?? -1];
              return r ? `${r.name}<br/>${r.done} / ${r.due} · ${r.percent ?? 0}%` : '';
            },
          },
          xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
          yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { fontSize: 11 } },
          series: [
            {
              type: 'bar',
              data: rows.map((r) => ({
                value: r.percent ?? 0,
                itemStyle: { color: (r.percent ?? 0) >= target ? '#3f8f5a' : (r.percent ?? 0) >= target * 0.8 ? '#d9a13b' : '#c0392b' },
              })),
              label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed', color: '#555' },
                label: { formatter: targetLabel, fontSize: 11, position: 'start' },
                data: [{ xAxis: target }],
              },
            },
          ],
        }}
      />
    </div>
  );
}
