// the ESM build: lib/core is CommonJS, whose default export arrives as a module object in the bundle
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { WorkbenchReply } from './api';

// only the parts drawn here, so the chunk stays small (echarts/core, not the whole library); no
// animation: a slow phone's CPU has better things to do
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const BAND_COLORS = ['#d9b38c', '#c98b5a', '#c0392b', '#8e2a20', '#4a1510'];
const HEIGHT = 240;

function Chart({ option, label, testId }: { option: echarts.EChartsCoreOption; label: string; testId: string }) {
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore echarts={echarts} option={{ animation: false, ...option }} style={{ height: HEIGHT, width: '100%' }} notMerge lazyUpdate />
    </div>
  );
}

type Population = NonNullable<WorkbenchReply['population']>;

/** Elders by age band: one bar each. */
export function BandChart({ population, label, unit }: { population: Population; label: string; unit: string }) {
  return (
    <Chart
      label={label}
      testId="chart-bands"
      option={{
        grid: { left: 48, right: 12, top: 16, bottom: 28 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)} ${unit}` },
        xAxis: { type: 'category', data: population.byBand.map((b) => b.band) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', data: population.byBand.map((b, i) => ({ value: b.n, itemStyle: { color: BAND_COLORS[i] } })) }],
      }}
    />
  );
}

/** Elders of each town, the age bands stacked. */
export function TownChart({ population, label }: { population: Population; label: string }) {
  const bands = population.byBand.map((b) => b.band);
  return (
    <Chart
      label={label}
      testId="chart-towns"
      option={{
        grid: { left: 88, right: 12, top: 28, bottom: 24 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: population.byTown.map((t) => t.name), axisLabel: { fontSize: 11 } },
        series: bands.map((band, i) => ({
          name: band,
          type: 'bar',
          stack: 'town',
          itemStyle: { color: BAND_COLORS[i] },
          data: population.byTown.map((t) => t.bands.find((b) => b.band === band)?.n ?? 0),
        })),
      }}
    />
  );
}

/** The allowance of each month in yuan: all current rolls and the approved part. */
export function AllowanceChart({ allowance, label, names }: { allowance: NonNullable<WorkbenchReply['allowance']>; label: string; names: [string, string] }) {
  const yuan = (fen: number) => Math.round(fen / 100);
  return (
    <Chart
      label={label}
      testId="chart-allowance"
      option={{
        grid: { left: 64, right: 12, top: 28, bottom: 28 },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
        xAxis: { type: 'category', data: allowance.map((a) => a.period) },
        yAxis: { type: 'value' },
        series: [
          { name: names[0], type: 'bar', itemStyle: { color: '#d9b38c' }, data: allowance.map((a) => yuan(a.totalFen)) },
          { name: names[1], type: 'line', itemStyle: { color: '#c0392b' }, data: allowance.map((a) => yuan(a.approvedFen)) },
        ],
      }}
    />
  );
}
