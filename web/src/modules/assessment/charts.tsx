// the ESM build, as the workbench's charts (shell/charts.tsx): only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { CoverageRow } from './types';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const pct = (rate: number | null) => (rate === null ? 0 : Math.round(rate * 1000) / 10);

/**
 * 80+ coverage of each region as a bar (percent), the target as a line; a click on a bar drills into
 * that region.
 */
export function CoverageChart({
  rows,
  target,
  label,
  targetLabel,
  onPick,
}: {
  rows: CoverageRow[];
  target: number;
  label: string;
  targetLabel: string;
  onPick?: (code: string) => void;
}) {
  const height = Math.max(200, rows.length * 28 + 48);
  return (
    <div role="img" aria-label={label} data-testid="chart-coverage">
      <ReactEChartsCore
        echarts={echarts}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        onEvents={onPick ? { click: (e: { dataIndex: number }) => rows[e.dataIndex] && onPick(rows[e.dataIndex]!.code) } : undefined}
        option={{
          animation: false,
          grid: { left: 96, right: 40, top: 24, bottom: 24 },
          tooltip: {
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: { dataIndex: number }[]) => {
              const r = rows[ps[0]?.dataIndex ?? -1];
              return r ? `${r.name}<br/>${r.covered} / ${r.older} · ${pct(r.rate)}%` : '';
            },
          },
          xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
          yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { fontSize: 11 } },
          series: [
            {
              type: 'bar',
              data: rows.map((r) => ({
                value: pct(r.rate),
                itemStyle: { color: r.rate !== null && r.rate >= target ? '#3f8f5a' : r.rate !== null && r.rate >= target * 0.8 ? '#d9a13b' : '#c0392b' },
              })),
              label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed', color: '#555' },
                label: { formatter: targetLabel, fontSize: 11, position: 'start' },
                data: [{ xAxis: pct(target) }],
              },
            },
          ],
        }}
      />
    </div>
  );
}
