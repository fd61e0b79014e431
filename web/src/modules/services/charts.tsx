// the ESM build, as the workbench's charts (shell/charts.tsx): only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { CoverageRow } from './types';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** Each region's home-service coverage (per cent) as a bar, the target as a dashed line. */
export function CoverageChart({ rows, target, label, targetLabel }: { rows: CoverageRow[]; target: number; label: string; targetLabel: string }) {
  const height = Math.max(180, rows.length * 28 + 48);
  const max = Math.max(target * 1.5, ...rows.map((r) => r.percent), 10);
  return (
    <div role="img" aria-label={label} data-testid="chart-service-coverage">
      <ReactEChartsCore
        echarts={echarts}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        option={{
          animation: false,
          grid: { left: 96, right: 48, top: 24, bottom: 24 },
          tooltip: {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: { dataIndex: number }[]) => {
              const r = rows[ps[0]?.dataIndex ?? -1];
              return r ? `${r.regionName}<br/>${r.served} / ${r.elders} · ${r.percent}%` : '';
            },
          },
          xAxis: { type: 'value', min: 0, max: Math.min(100, Math.ceil(max / 5) * 5), axisLabel: { formatter: '{value}%' } },
          yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.regionName), axisLabel: { fontSize: 11 } },
          series: [
            {
              type: 'bar',
              data: rows.map((r) => ({
                value: r.percent,
                itemStyle: { color: r.percent >= target ? '#3f8f5a' : r.percent >= target * 0.8 ? '#d9a13b' : '#c0392b' },
              })),
              label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed', color: '#555' },
                label: { formatter: targetLabel, fontSize: 11, position: 'end' },
                data: [{ xAxis: target }],
              },
            },
          ],
        }}
      />
    </div>
  );
}
