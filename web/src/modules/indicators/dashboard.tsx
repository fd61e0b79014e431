import { lazy, Suspense } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Grid,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { FileTextOutlined, LeftOutlined, ReloadOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { ExportButton } from '../../shared/export-button';
import { currentPeriod, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { countKey } from '../public/plural';
import { exportUrl, useBreakdown, useDefinitions, useRefresh, useSeries, useShapes, useUploadShapes, useValues } from './api';
import { Flags, monthsEnding, quarterOf, RunningTag, shiftMonth, StatusTag, targetText, useRunning, withUnit } from './parts';
import type { BreakdownItem, BreakdownReply, IndicatorValue, RegionRef, ShapesBody } from './types';

// echarts is the page's largest part: its own chunk, fetched after the table shows
const charts = () => import('./charts');
const ChildrenBar = lazy(() => charts().then((m) => ({ default: m.ChildrenBar })));
const SeriesLine = lazy(() => charts().then((m) => ({ default: m.SeriesLine })));
const RegionMap = lazy(() => charts().then((m) => ({ default: m.RegionMap })));
const chartFallback = <Skeleton.Node active style={{ width: '100%', height: 200 }} />;

/** The page's state lives in the address (month, region, selected indicator), so a link or a reload keeps it. */
function useDashboardParams() {
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? undefined;
  const region = params.get('region') ?? undefined;
  const key = params.get('key') ?? undefined;
  const set = (next: { period?: string; region?: string | null; key?: string }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) continue;
      if (v === null || v === '') p.delete(k);
      else p.set(k, v);
    }
    setParams(p);
  };
  return { period, region, key, set };
}

/** The region's path as a breadcrumb: the viewer's top region first (a town officer's starts at their town). */
function RegionPath({ path, onPick }: { path: RegionRef[]; onPick: (code: string) => void }) {
  return (
    <Breadcrumb
      data-testid="ind-breadcrumb"
      items={path.map((r, i) =>
        i === path.length - 1
          ? { title: <span data-testid={`ind-crumb-${r.code}`}>{r.name}</span> }
          : {
              title: (
                <a onClick={() => onPick(r.code)} data-testid={`ind-crumb-${r.code}`}>
                  {r.name}
                </a>
              ),
            },
      )}
    />
  );
}

/** Every indicator of the region and month: value, target, status, flags; a row selects, the name drills down. */
function IndicatorTable({
  items,
  selected,
  onSelect,
  detailLink,
}: {
  items: IndicatorValue[];
  selected?: string;
  onSelect: (key: string) => void;
  detailLink: (key: string) => string;
}) {
  const { t, pick } = useI18n();
  // a phone (< 576 px) gets two columns: the name with its status and flags under it, the value with
  // its target under it; no sideways scroll hiding the figures behind the names
  const phone = !Grid.useBreakpoint().sm;
  const nameLink = (r: IndicatorValue) => (
    <Link to={detailLink(r.key)} onClick={(e) => e.stopPropagation()} data-testid={`ind-link-${r.key}`}>
      {r.seedRow !== null && <Typography.Text type="secondary">{r.seedRow}. </Typography.Text>}
      {pick(r.name.zh, r.name.en)}
    </Link>
  );
  const valueCell = (r: IndicatorValue) => (
    <div data-testid={`ind-value-${r.key}`}>
      <Typography.Text strong>{withUnit(r.value, r.unit, t)}</Typography.Text>
      {r.denominator !== null && (
        <div style={{ fontSize: 12, color: '#8c8c8c' }}>
          {r.numerator.toLocaleString('en-US')} / {r.denominator.toLocaleString('en-US')}
        </div>
      )}
    </div>
  );
  const columns: TableColumnsType<IndicatorValue> = phone
    ? [
        {
          title: t('ind.col.name'),
          key: 'name',
          render: (_, r) => (
            <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
              {nameLink(r)}
              <Space size={4} wrap>
                <StatusTag status={r.status} testId={`ind-status-${r.key}`} />
                <Flags flags={r.flags} testId={`ind-flags-${r.key}`} />
              </Space>
            </div>
          ),
        },
        {
          title: t('ind.col.value'),
          key: 'value',
          width: 112,
          align: 'right',
          render: (_, r) => (
            <>
              {valueCell(r)}
              {r.target && (
                <div style={{ fontSize: 12, color: '#8c8c8c', whiteSpace: 'nowrap' }} data-testid={`ind-target-${r.key}`}>
                  {t('ind.col.target')} {targetText(r.target, r.unit, t)}
                </div>
              )}
            </>
          ),
        },
      ]
    : [
        {
          title: t('ind.col.category'),
          key: 'category',
          width: 112,
          // the phone leaves it out: the name says enough, and the table scrolls less
          responsive: ['md'],
          render: (_, r) => <Typography.Text type="secondary">{pick(r.category.zh, r.category.en)}</Typography.Text>,
        },
        {
          title: t('ind.col.name'),
          key: 'name',
          render: (_, r) => nameLink(r),
        },
        {
          title: t('ind.col.value'),
          key: 'value',
          width: 150,
          align: 'right',
          render: (_, r) => valueCell(r),
        },
        { title: t('ind.col.target'), key: 'target', width: 110, render: (_, r) => targetText(r.target, r.unit, t) },
        { title: t('ind.col.status'), key: 'status', width: 90, render: (_, r) => <StatusTag status={r.status} testId={`ind-status-${r.key}`} /> },
        { title: t('ind.col.flags'), key: 'flags', width: 150, render: (_, r) => <Flags flags={r.flags} testId={`ind-flags-${r.key}`} /> },
      ];
  return (
    <Table<IndicatorValue>
      size="small"
      rowKey="key"
      data-testid="ind-table"
      pagination={false}
      scroll={phone ? undefined : { x: 760 }}
      dataSource={items}
      locale={{ emptyText: t('ind.empty') }}
      rowClassName={(r) => (r.key === selected ? 'ant-table-row-selected' : '')}
      onRow={(r) => ({ onClick: () => onSelect(r.key), style: { cursor: 'pointer' }, 'data-testid': `ind-row-${r.key}` }) as React.HTMLAttributes<HTMLElement>}
      columns={columns}
    />
  );
}

/**
 * The selected indicator's children as a table: a name drills down; what no child holds on its own
 * line. Three columns, a child's fraction and flags under its value, so the flags stay in sight in a
 * half-width card at 1024 px and on a phone, with no sideways scroll.
 */
export function ChildrenTable({ data, onPick }: { data: BreakdownReply; onPick?: (code: string) => void }) {
  const { t } = useI18n();
  const unit = data.indicator.unit;
  const fraction = (num: number, den: number | null) => (den === null ? null : `${num.toLocaleString('en-US')} / ${den.toLocaleString('en-US')}`);
  type Row = BreakdownItem | { unallocated: true; numerator: number; denominator: number | null };
  const rows: Row[] = [...data.items, ...(data.unallocated ? [{ unallocated: true as const, ...data.unallocated }] : [])];
  const small = { fontSize: 12, color: '#8c8c8c', whiteSpace: 'nowrap' } as const;
  /** the value (a count is its numerator), the fraction below it, then the flags */
  const valueCell = (v: number | null, num: number, den: number | null, flags: BreakdownItem['flags'], testId?: string) => (
    <div data-testid={testId} style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 2 }}>
      <span style={{ whiteSpace: 'nowrap' }}>{v === null && den === null ? num.toLocaleString('en-US') : withUnit(v, unit, t)}</span>
      {fraction(num, den) && <span style={small}>{fraction(num, den)}</span>}
      {flags.length > 0 && <Flags flags={flags} />}
    </div>
  );
  return (
    <Table<Row>
      size="small"
      data-testid="ind-children"
      pagination={false}
      rowKey={(r) => ('unallocated' in r ? 'unallocated' : r.region.code)}
      dataSource={rows}
      locale={{ emptyText: t('ind.chart.noChildren') }}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t('ind.children.total')}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <span data-testid="ind-children-total">{withUnit(data.indicator.value, unit, t)}</span>
            {fraction(data.indicator.numerator, data.indicator.denominator) && (
              <div style={small}>{fraction(data.indicator.numerator, data.indicator.denominator)}</div>
            )}
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2}>
            <StatusTag status={data.indicator.status} />
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
      columns={[
        {
          title: t('ind.region'),
          key: 'region',
          render: (_, r) =>
            'unallocated' in r ? (
              <Typography.Text type="secondary" data-testid="ind-unallocated">
                {t('ind.children.unallocated')}
              </Typography.Text>
            ) : onPick ? (
              <a onClick={() => onPick(r.region.code)} data-testid={`ind-child-${r.region.code}`}>
                {r.region.name} <RightOutlined style={{ fontSize: 10 }} />
              </a>
            ) : (
              <span data-testid={`ind-child-${r.region.code}`}>{r.region.name}</span>
            ),
        },
        {
          title: t('ind.col.value'),
          key: 'value',
          align: 'right',
          render: (_, r) =>
            'unallocated' in r
              ? valueCell(null, r.numerator, r.denominator, [])
              : valueCell(r.value, r.numerator, r.denominator, r.flags, `ind-child-value-${r.region.code}`),
        },
        { title: t('ind.col.status'), key: 'status', width: 88, render: (_, r) => ('unallocated' in r ? null : <StatusTag status={r.status} />) },
      ]}
    />
  );
}

/** 上传边界: a bureau's own GeoJSON outlines, checked by the server (each region in its area, each ring closed). */
function UploadShapes() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const upload = useUploadShapes();
  const send = async (file: File) => {
    let body: ShapesBody;
    try {
      body = JSON.parse(await file.text()) as ShapesBody;
    } catch {
      message.error(t('ind.shapes.bad'));
      return;
    }
    upload.mutate(body, {
      onSuccess: (r) => void message.success(t('ind.shapes.done', { n: r.stored })),
      onError: (e) => void message.error(e.message),
    });
  };
  return (
    <Tooltip title={t('ind.shapes.hint')}>
      <Upload
        accept=".json,.geojson,application/geo+json,application/json"
        showUploadList={false}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <Button size="small" icon={<UploadOutlined />} loading={upload.isPending} data-testid="ind-shapes-upload">
          {t('ind.shapes.upload')}
        </Button>
      </Upload>
    </Tooltip>
  );
}

/** 重新计算: the bureau computes the month again now, rather than waiting for the night's refresh. */
function RefreshButton({ period }: { period: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const refresh = useRefresh();
  return (
    <Button
      icon={<ReloadOutlined />}
      loading={refresh.isPending}
      data-testid="ind-refresh"
      onClick={() =>
        refresh.mutate(
          { period },
          {
            onSuccess: (r) => void message.success(t('ind.refreshed', { month: period, mode: t(`ind.refresh.${r.mode}`), ms: Math.round(r.ms) })),
            onError: (e) => void message.error(e.message),
          },
        )
      }
    >
      {t('ind.refresh')}
    </Button>
  );
}

/** The selected indicator across the children (bar, map, table) and over twelve months. */
function Selected({
  indicator,
  period,
  region,
  computedAt,
  onPick,
}: {
  indicator: IndicatorValue;
  period: string;
  region: string;
  computedAt: string | null;
  onPick: (code: string) => void;
}) {
  const { t, pick } = useI18n();
  const running = useRunning()(period, computedAt);
  const { can } = useAuth();
  const breakdown = useBreakdown(indicator.key, period, region);
  const series = useSeries(indicator.key, region, period);
  const shapes = useShapes(region);
  const fmt = (v: number | null | undefined) => withUnit(v, indicator.unit, t);
  const targetLabel = indicator.target ? t('ind.chart.target', { value: withUnit(indicator.target.value, indicator.unit, t) }) : '';
  const items = breakdown.data?.items ?? [];
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="ind-selected">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('ind.selected', { name: pick(indicator.name.zh, indicator.name.en) })}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('ind.chart.children')} extra={<Typography.Text type="secondary">{t('ind.chart.clickHint')}</Typography.Text>}>
            {breakdown.error && <Alert type="error" showIcon message={breakdown.error.message} />}
            {breakdown.isLoading && chartFallback}
            {breakdown.data && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ind.chart.noChildren')} />}
            {items.length > 0 && (
              <Suspense fallback={chartFallback}>
                <ChildrenBar items={items} target={indicator.target} fmt={fmt} label={t('ind.chart.children')} targetLabel={targetLabel} onPick={onPick} />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('ind.chart.series')}>
            {series.error && <Alert type="error" showIcon message={series.error.message} />}
            {series.isLoading && chartFallback}
            {series.data && series.data.points.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ind.chart.noSeries')} />}
            {series.data && series.data.points.length > 0 && (
              <Suspense fallback={chartFallback}>
                <SeriesLine
                  points={series.data.points}
                  months={monthsEnding(period, 12)}
                  target={indicator.target}
                  fmt={fmt}
                  label={t('ind.chart.series')}
                  targetLabel={targetLabel}
                  monthLabel={(m) => (running && m === period ? t('ind.chart.runningAxis', { month: m }) : m)}
                />
              </Suspense>
            )}
            {series.data && series.data.points.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="ind-series-note">
                {t('ind.chart.gapNote')}
                {running && ` · ${period}: ${running}`}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('ind.chart.map')} extra={can('regions.shapes') ? <UploadShapes /> : null}>
            {shapes.error && <Alert type="error" showIcon message={shapes.error.message} />}
            {shapes.data && shapes.data.features.length === 0 && (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={shapes.data.missing.length > 0 ? t('ind.chart.noShapes') : t('ind.chart.noChildren')} />
            )}
            {shapes.data && shapes.data.features.length > 0 && (
              <Suspense fallback={chartFallback}>
                <RegionMap shapes={shapes.data} items={items} fmt={fmt} label={t('ind.chart.map')} onPick={onPick} />
              </Suspense>
            )}
            {shapes.data && shapes.data.features.length > 0 && shapes.data.missing.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(countKey('ind.chart.missingShapes', shapes.data.missing.length), {
                  n: shapes.data.missing.length,
                  names: shapes.data.missing.map((m) => m.name).join(pick('、', ', ')),
                })}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('ind.children.title')} styles={{ body: { padding: 0 } }}>
            {breakdown.data && <ChildrenTable data={breakdown.data} onPick={onPick} />}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/**
 * The report of the month's quarter; for a month of the running quarter, the report's default (the
 * last completed quarter), the running one a choice away there.
 */
function reportLink(month: string, region: string | undefined): string {
  const q = quarterOf(month);
  const p = new URLSearchParams();
  if (q !== quarterOf(currentPeriod())) p.set('quarter', q);
  if (region) p.set('region', region);
  const s = p.toString();
  return `/indicators/report${s ? `?${s}` : ''}`;
}

/** /indicators: the dashboard of every indicator for a region and month, with its charts, map and drill-down. */
export function IndicatorsPage() {
  const { t, pick } = useI18n();
  const { can } = useAuth();
  const phone = !Grid.useBreakpoint().sm;
  const { period, region, key, set } = useDashboardParams();
  const q = useValues(period, region);
  const unsupported = useDefinitions().data?.unsupported ?? [];
  const data = q.data;
  const month = data?.period ?? period ?? currentPeriod();
  const selected = data?.items.find((i) => i.key === key) ?? data?.items[0];
  const pickRegion = (code: string) => set({ region: code });
  const detailLink = (k: string) => `/indicators/${k}?period=${month}&region=${data?.region.code ?? ''}`;
  if (q.error && !data) {
    return (
      <div data-testid="ind-error">
        <Result status="404" title={t('ind.notFound')} subTitle={q.error.message}>
          <Link to="/indicators">{t('ind.d.back')}</Link>
        </Result>
      </div>
    );
  }
  return (
    <div data-testid="ind-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('ind.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('ind.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(d) => d.format('YYYY-MM') > currentPeriod()}
          onChange={(d) => d && set({ period: d.format('YYYY-MM') })}
          style={{ width: phone ? 140 : 130 }}
          aria-label={t('ind.month')}
          data-testid="ind-period"
        />
        <Button icon={<LeftOutlined />} onClick={() => set({ period: shiftMonth(month, -1) })} data-testid="ind-prev-month">
          {t('ind.prevMonth')}
        </Button>
        {data && <RunningTag period={data.period} computedAt={data.computedAt} testId="ind-running" />}
        <ExportButton url={exportUrl(month, data?.region.code)} fileName={`indicators-${month}.xlsx`} testId="ind-export" />
        <Link to={reportLink(month, data?.region.code)} data-testid="ind-report-link">
          <Button icon={<FileTextOutlined />}>{t('ind.report')}</Button>
        </Link>
        {can('indicators.refresh') && <RefreshButton period={month} />}
        {data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {data.computedAt ? t('ind.computedAt', { at: shanghaiTime(data.computedAt) }) : t('ind.notComputed')}
          </Typography.Text>
        )}
      </div>
      {q.error && <Alert type="error" showIcon message={q.error.message} style={{ marginBottom: 12 }} />}
      {!data && <Skeleton active />}
      {data && (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Card size="small">
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
              <RegionPath path={data.path} onPick={pickRegion} />
              {data.children.length > 0 && (
                <Space size={4} wrap data-testid="ind-children-links">
                  {data.children.map((c) => (
                    <Tag key={c.code} style={{ cursor: 'pointer' }} onClick={() => pickRegion(c.code)} data-testid={`ind-go-${c.code}`}>
                      {c.name}
                    </Tag>
                  ))}
                </Space>
              )}
            </div>
          </Card>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <IndicatorTable items={data.items} selected={selected?.key} onSelect={(k) => set({ key: k })} detailLink={detailLink} />
            {unsupported.length > 0 && (
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0, padding: '6px 8px' }} data-testid="ind-unsupported">
                {t('ind.unsupported', { rows: unsupported.map((u) => u.seedRow).join(pick('、', ', ')) })}
              </Typography.Paragraph>
            )}
          </Card>
          {selected ? (
            <Selected indicator={selected} period={data.period} region={data.region.code} computedAt={data.computedAt} onPick={pickRegion} />
          ) : (
            <Typography.Text type="secondary">{t('ind.pick')}</Typography.Text>
          )}
        </Space>
      )}
    </div>
  );
}
