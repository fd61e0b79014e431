// the ESM build, as the workbench's charts: only the parts drawn here, in this page's own chunk
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { STATUS_COLOR } from './api';
import type { BreakdownItem, IndicatorTarget, SeriesPoint, ShapesReply } from './types';

echarts.use([BarChart, LineChart, MapChart, GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Fmt = (v: number | null | undefined) => string;

function Chart({
  option,
  label,
  testId,
  height,
  onPick,
}: {
  option: echarts.EChartsCoreOption;
  label: string;
  testId: string;
  height: number;
  onPick?: (code: string) => void;
}) {
  const onEvents = onPick
    ? {
        click: (p: { data?: { code?: string } }) => {
          if (p.data?.code) onPick(p.data.code);
        },
      }
    : undefined;
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore echarts={echarts} option={{ animation: false, ...option }} style={{ height, width: '100%' }} notMerge lazyUpdate onEvents={onEvents} />
    </div>
  );
}

/** The indicator across the region's children: one bar each, coloured by status, the target as a line. */
export function ChildrenBar({
  items,
  target,
  fmt,
  label,
  targetLabel,
  onPick,
}: {
  items: BreakdownItem[];
  target: IndicatorTarget | null;
  fmt: Fmt;
  label: string;
  targetLabel: string;
  onPick: (code: string) => void;
}) {
  const rows = [...items].reverse(); // the first child at the top
  return (
    <Chart
      label={label}
      testId="ind-chart-children"
      height={Math.max(200, 28 * rows.length + 48)}
      onPick={onPick}
      option={{
        grid: { left: 8, right: 48, top: 20, bottom: 20, containLabel: true },
        tooltip: { trigger: 'item', formatter: (p: { name: string; data: { value: number | null } }) => `${p.name}<br/>${fmt(p.data.value)}` },
        xAxis: { type: 'value', axisLabel: { hideOverlap: true }, max: target ? (v: { max: number }) => Math.max(v.max, target.value) : undefined },
        yAxis: { type: 'category', data: rows.map((r) => r.region.name), axisLabel: { fontSize: 11, width: 96, overflow: 'truncate' } },
        series: [
          {
            type: 'bar',
            cursor: 'pointer',
            data: rows.map((r) => ({ value: r.value, code: r.region.code, itemStyle: { color: STATUS_COLOR[r.status] } })),
            label: { show: true, position: 'right', fontSize: 11, formatter: (p: { data: { value: number | null } }) => fmt(p.data.value) },
            markLine: target
              ? {
                  symbol: 'none',
                  lineStyle: { color: '#cf1322', type: 'dashed' },
                  label: { formatter: targetLabel, fontSize: 11 },
                  data: [{ xAxis: target.value }],
                }
              : undefined,
          },
        ],
      }}
    />
  );
}

/**
 * The indicator over every month of the window, oldest first, with the target as a line: a month
 * the series does not hold (never computed) or holds without a figure is an empty slot, and the line
 * breaks there rather than joining its neighbours.
 */
export function SeriesLine({
  points,
  months,
  target,
  fmt,
  label,
  targetLabel,
  monthLabel = (m) => m,
}: {
  points: SeriesPoint[];
  /** the window's months, oldest first */
  months: string[];
  target: IndicatorTarget | null;
  fmt: Fmt;
  label: string;
  targetLabel: string;
  /** the axis label of a month (the running month says so) */
  monthLabel?: (month: string) => string;
}) {
  const byMonth = new Map(points.map((p) => [p.period, p]));
  return (
    <Chart
      label={label}
      testId="ind-chart-series"
      height={240}
      option={{
        grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt(typeof v === 'number' ? v : null) },
        xAxis: { type: 'category', data: months, axisLabel: { hideOverlap: true, fontSize: 11, formatter: monthLabel } },
        // the target line stays on the chart even when every month is far from it
        yAxis: {
          type: 'value',
          scale: true,
          max: target ? (v: { max: number }) => Math.max(v.max, target.value) : undefined,
          min: target ? (v: { min: number }) => Math.min(v.min, target.value) : undefined,
        },
        series: [
          {
            type: 'line',
            connectNulls: false,
            itemStyle: { color: '#c0392b' },
            data: months.map((m) => {
              const p = byMonth.get(m);
              return p && p.value !== null ? { value: p.value, itemStyle: { color: STATUS_COLOR[p.status] } } : null;
            }),
            markLine: target
              ? {
                  symbol: 'none',
                  lineStyle: { color: '#389e0d', type: 'dashed' },
                  label: { formatter: targetLabel, fontSize: 11, position: 'insideEndTop' },
                  data: [{ yAxis: target.value }],
                }
              : undefined,
          },
        ],
      }}
    />
  );
}

/** The map's name for a parent's children (each parent's outlines registered once under its own name). */
const mapName = (shapes: ShapesReply) => `ind-${shapes.parent.code}`;

/**
 * The children on the map, coloured by the indicator's value (a grey region has none); the outlines
 * come from GET /api/regions/shapes, matched to the figures by region code.
 */
export function RegionMap({
  shapes,
  items,
  fmt,
  label,
  onPick,
}: {
  shapes: ShapesReply;
  items: BreakdownItem[];
  fmt: Fmt;
  label: string;
  onPick: (code: string) => void;
}) {
  const name = mapName(shapes);
  // registered again whenever the outlines change (a bureau's upload replaces the demo's)
  useMemo(() => echarts.registerMap(name, shapes as unknown as Parameters<typeof echarts.registerMap>[1]), [name, shapes]);
  const byCode = new Map(items.map((i) => [i.region.code, i]));
  const values = items.map((i) => i.value).filter((v): v is number => v !== null);
  const names = new Map(shapes.features.map((f) => [f.properties.code, f.properties.name]));
  return (
    <Chart
      label={label}
      testId="ind-chart-map"
      height={360}
      onPick={onPick}
      option={{
        tooltip: {
          trigger: 'item',
          formatter: (p: { name: string; data?: { value: number | null } }) => `${names.get(p.name) ?? p.name}<br/>${fmt(p.data?.value ?? null)}`,
        },
        visualMap: values.length
          ? {
              type: 'continuous',
              min: Math.min(...values),
              max: Math.max(...values) === Math.min(...values) ? Math.min(...values) + 1 : Math.max(...values),
              calculable: false,
              orient: 'horizontal',
              left: 'center',
              bottom: 0,
              itemHeight: 120,
              text: [fmt(Math.max(...values)), fmt(Math.min(...values))],
              inRange: { color: ['#fde3cf', '#e8845c', '#8e2a20'] },
            }
          : undefined,
        series: [
          {
            type: 'map',
            map: name,
            nameProperty: 'code',
            roam: false,
            cursor: 'pointer',
            layoutCenter: ['50%', '45%'],
            layoutSize: '88%',
            label: {
              show: true,
              fontSize: 10,
              color: '#222',
              textBorderColor: '#fff',
              textBorderWidth: 2,
              formatter: (p: { name: string }) => names.get(p.name) ?? p.name,
            },
            itemStyle: { borderColor: '#fff', borderWidth: 1, areaColor: '#e5e5e5' },
            emphasis: { label: { show: true }, itemStyle: { areaColor: '#f5c26b' } },
            data: shapes.features.map((f) => {
              const item = byCode.get(f.properties.code);
              return { name: f.properties.code, code: f.properties.code, value: item?.value ?? null };
            }),
          },
        ],
      }}
    />
  );
}
