// the ESM build, as the other charts: only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/**
 * The public map's scatter, a chunk of its own (ECharts is the heaviest library of the console):
 * fetched only when the chart is shown, so a phone on a slow line reads the list without it.
 */
export function MapChart({ option, label }: { option: object; label: string }) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 360, width: '100%' }} />
    </div>
  );
}
