import { lazy, Suspense, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Row, Skeleton, Space, Statistic, Table, Tag, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { shanghaiTime, shanghaiToday } from '../../shared/format';
import { ExportButton } from '../../shared/export-button';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useRegionTree } from '../register/use-regions';
import { exportUrl, useAlarmReport, useQuality } from './api';
import type { AlarmReport, QualityTicket, TargetStatus, TimeFigures } from './types';

// echarts in its own chunk, fetched after the figures show
const BarsChart = lazy(() => import('./charts').then((m) => ({ default: m.BarsChart })));

type T = ReturnType<typeof useI18n>['t'];

/** Seconds in words: 45 秒 / 3 分 20 秒 / 1 小时 5 分. */
export function duration(t: T, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return t('ar.none');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return t('ar.hour', { h, m });
  if (m) return t('ar.min', { m, s });
  return t('ar.sec', { n: s });
}

const share = (permille: number | null | undefined) => (permille === null || permille === undefined ? '—' : `${(permille / 10).toFixed(1)}%`);

const monthStart = (on: string) => `${on.slice(0, 7)}-01`;
function lastMonth(on: string): [string, string] {
  const first = dayjs(monthStart(on)).subtract(1, 'month');
  return [first.format('YYYY-MM-DD'), first.endOf('month').format('YYYY-MM-DD')];
}

function TargetCard({ target }: { target: TargetStatus }) {
  const { t, locale } = useI18n();
  const color = target.met === null ? 'default' : target.met ? 'green' : 'red';
  const words = locale === 'en' ? target.en : target.zh;
  return (
    <Card size="small" data-testid={`ar-target-${target.key}`} styles={{ body: { padding: 12 } }}>
      <Space size={8} align="baseline" wrap>
        <Statistic value={share(target.sharePermille)} valueStyle={{ fontSize: 24, color: target.met === false ? '#c0392b' : undefined }} />
        <Tag color={color}>{target.met === null ? t('ar.noData') : target.met ? t('ar.met') : t('ar.notMet')}</Tag>
        <Typography.Text type="secondary">{t('ar.target', { share: share(target.targetPermille) })}</Typography.Text>
      </Space>
      <Typography.Paragraph style={{ margin: '6px 0 0', fontSize: 12 }}>{words}</Typography.Paragraph>
    </Card>
  );
}

function Figure({ testId, title, value, note }: { testId: string; title: string; value: string | number; note?: string }) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" styles={{ body: { padding: 12 } }} style={{ height: '100%' }}>
        <Statistic title={title} value={value} valueStyle={{ fontSize: 22 }} valueRender={() => <span data-testid={testId}>{value}</span>} />
        {note && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {note}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );
}

function Figures({ r }: { r: AlarmReport }) {
  const { t } = useI18n();
  return (
    <Row gutter={[12, 12]}>
      <Figure testId="ar-total" title={t('ar.alarms')} value={r.alarms.total} note={t('ar.open', { n: r.alarms.open })} />
      <Figure testId="ar-ack-median" title={t('ar.ackMedian')} value={duration(t, r.ack.medianSeconds)} />
      <Figure testId="ar-ack-p90" title={t('ar.ackP90')} value={duration(t, r.ack.p90Seconds)} />
      <Figure testId="ar-resolve-median" title={t('ar.resolveMedian')} value={duration(t, r.resolution.medianSeconds)} />
      <Figure
        testId="ar-false-share"
        title={t('ar.falseShare')}
        value={share(r.outcomes.falseSharePermille)}
        note={t('ar.falseOf', { n: r.outcomes.falseAlarms, tests: r.outcomes.tests, resolved: r.outcomes.resolved })}
      />
      <Figure
        testId="ar-escalations"
        title={t('ar.escalations')}
        value={r.escalations.toAll}
        note={t('ar.escalationsNote', { all: r.escalations.toAll, lead: r.escalations.toSupervisor })}
      />
      <Figure testId="ar-offline" title={t('ar.offline')} value={r.devices.offline} note={t('ar.offlineOf', { n: r.devices.active })} />
    </Row>
  );
}

function TimesTable({ r }: { r: AlarmReport }) {
  const { t } = useI18n();
  type Line = { key: 'ack' | 'resolution' | 'attend'; f: TimeFigures };
  const rows: Line[] = [
    { key: 'ack', f: r.ack },
    { key: 'resolution', f: r.resolution },
    { key: 'attend', f: r.attend },
  ];
  const columns: ColumnsType<Line> = [
    { title: t('ar.times'), key: 'what', render: (_, l) => t(`ar.timeRow.${l.key}` as MessageKey) },
    { title: t('ar.measured'), key: 'n', align: 'right', width: 80, render: (_, l) => l.f.count },
    { title: t('ar.median'), key: 'median', align: 'right', render: (_, l) => duration(t, l.f.medianSeconds) },
    { title: t('ar.p90'), key: 'p90', align: 'right', render: (_, l) => duration(t, l.f.p90Seconds) },
    { title: t('ar.max'), key: 'max', align: 'right', responsive: ['md'], render: (_, l) => duration(t, l.f.maxSeconds) },
  ];
  return <Table<Line> size="small" rowKey="key" columns={columns} dataSource={rows} pagination={false} data-testid="ar-times" scroll={{ x: 'max-content' }} />;
}

function KindCounts({ r }: { r: AlarmReport }) {
  const { t } = useI18n();
  return (
    <Space size={[6, 6]} wrap style={{ marginBottom: 8 }}>
      {r.alarms.byKind.map((k) => (
        <Tag key={k.kind} color={k.kind === 'emergency' || k.kind === 'fall' ? 'red' : undefined}>
          {t(`ar.kind.${k.kind}` as MessageKey)} <strong data-testid={`ar-count-${k.kind}`}>{k.count}</strong>
        </Tag>
      ))}
    </Space>
  );
}

function Hotline({ r }: { r: AlarmReport }) {
  const { t } = useI18n();
  const c = r.complaints;
  const cb = r.callbacks;
  return (
    <Row gutter={[12, 12]} data-testid="ar-hotline">
      <Col xs={24} md={8}>
        <Typography.Text strong>{t('ar.tickets', { n: r.tickets.total })}</Typography.Text>
        <div style={{ marginTop: 6 }}>
          <Space size={[6, 6]} wrap>
            {r.tickets.byKind.map((k) => (
              <Tag key={k.kind}>
                {t(`ar.ticket.${k.kind}` as MessageKey)} <strong data-testid={`ar-ticket-${k.kind}`}>{k.count}</strong>
              </Tag>
            ))}
          </Space>
        </div>
      </Col>
      <Col xs={24} md={8}>
        <Statistic title={t('ar.complaints')} value={share(c.inTimeSharePermille)} valueStyle={{ fontSize: 20 }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ar.complaintsNote', { total: c.total, inTime: c.closedInTime, late: c.closedLate, overdue: c.openOverdue, open: c.openInTime })}
        </Typography.Text>
      </Col>
      <Col xs={24} md={8}>
        <Statistic title={t('ar.callbacks', { due: cb.due })} value={cb.done} valueStyle={{ fontSize: 20 }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="ar-callbacks">
          {t('ar.callbacksNote', { done: cb.done, unreachable: cb.unreachable, open: cb.open })}
        </Typography.Text>
      </Col>
    </Row>
  );
}

function Quality({ region }: { region: string | undefined }) {
  const { t } = useI18n();
  const [month, setMonth] = useState(shanghaiToday().slice(0, 7));
  const q = useQuality(month, region);
  const columns: ColumnsType<QualityTicket> = [
    { title: t('ar.q.ticket'), dataIndex: 'ticketId', width: 80 },
    { title: t('ar.q.opened'), dataIndex: 'openedAt', width: 150, render: (v: string) => shanghaiTime(v) },
    { title: t('ar.q.kind'), dataIndex: 'kind', width: 100, render: (v: string) => t(`ar.ticket.${v}` as MessageKey) },
    { title: t('ar.q.subject'), dataIndex: 'subject' },
    { title: t('ar.q.person'), dataIndex: 'personName', width: 100, render: (v: string | null) => v ?? t('ar.none') },
    { title: t('ar.q.status'), dataIndex: 'status', width: 90, render: (v: string) => (v === 'open' ? t('ar.q.open') : t('ar.q.closed')) },
  ];
  return (
    <Card
      size="small"
      title={t('ar.quality')}
      data-testid="ar-quality"
      extra={
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(d: Dayjs | null) => d && setMonth(d.format('YYYY-MM'))}
          aria-label={t('ar.month')}
          data-testid="ar-quality-month"
        />
      }
    >
      {q.data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('ar.qualityIntro', { n: q.data.perOperator })}
        </Typography.Paragraph>
      )}
      {q.error && <Alert type="error" showIcon message={q.error.message} />}
      {!q.data && !q.error && <Skeleton active />}
      {q.data && !q.data.operators.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ar.noQuality')} />}
      {q.data?.operators.map((o) => (
        <div key={o.operatorId} style={{ marginBottom: 12 }} data-testid={`ar-quality-${o.operatorId}`}>
          <Typography.Text strong>{t('ar.qualityOperator', { name: o.operatorName, n: o.tickets })}</Typography.Text>
          <Table<QualityTicket>
            size="small"
            rowKey="ticketId"
            columns={columns}
            dataSource={o.sample}
            pagination={false}
            scroll={{ x: 'max-content' }}
            style={{ marginTop: 4 }}
          />
        </div>
      ))}
    </Card>
  );
}

/** 告警与热线报表: the period's alarms and calls against the hotline's targets, by kind and region, with the monthly quality sample. */
export function ReportsPage() {
  const { t, locale } = useI18n();
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const on = shanghaiToday();
  const from = params.get('from') ?? monthStart(on);
  const to = params.get('to') ?? on;
  const region = params.get('region') ?? undefined;
  const q = useAlarmReport(from, to, region);
  const set = (values: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(values)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const r = q.data;
  const chartFallback = <Skeleton.Node active style={{ width: '100%', height: 200 }} />;
  return (
    <div data-testid="ar-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('ar.title')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('ar.intro')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })}
          aria-label={t('ar.period')}
          data-testid="ar-period"
          style={{ maxWidth: '100%' }}
        />
        <Button size="small" onClick={() => set({ from: undefined, to: undefined })} data-testid="ar-this-month">
          {t('ar.thisMonth')}
        </Button>
        <Button
          size="small"
          onClick={() => {
            const [f, l] = lastMonth(on);
            set({ from: f, to: l });
          }}
          data-testid="ar-last-month"
        >
          {t('ar.lastMonth')}
        </Button>
        <TreeSelect
          treeData={regions}
          value={region}
          onChange={(v?: string) => set({ region: v })}
          placeholder={t('ar.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 220, maxWidth: '100%' }}
          data-testid="ar-region"
        />
        <ExportButton url={exportUrl(from, to, region, locale === 'en' ? 'en' : 'zh')} fileName={`alarm-report-${from}-${to}.xlsx`} testId="ar-export" />
      </div>
      {q.error && <Alert type="error" showIcon message={q.error.message} style={{ marginBottom: 12 }} />}
      {!r && !q.error && <Skeleton active />}
      {r && (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Card size="small" title={t('ar.targets')} extra={<Typography.Text type="secondary">{`${r.regionName} · ${r.from} – ${r.to}`}</Typography.Text>}>
            <Row gutter={[12, 12]}>
              {r.targets.map((tg) => (
                <Col key={tg.key} xs={24} md={8}>
                  <TargetCard target={tg} />
                </Col>
              ))}
            </Row>
          </Card>
          <Figures r={r} />
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('ar.byKind')}>
                <KindCounts r={r} />
                <Suspense fallback={chartFallback}>
                  <BarsChart
                    testId="ar-chart-kinds"
                    label={t('ar.byKind')}
                    bars={r.alarms.byKind.filter((k) => k.count > 0).map((k) => ({ name: t(`ar.kind.${k.kind}` as MessageKey), value: k.count }))}
                  />
                </Suspense>
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('ar.byRegion')}>
                <Suspense fallback={chartFallback}>
                  <BarsChart
                    testId="ar-chart-regions"
                    label={t('ar.byRegion')}
                    names={[t('ar.emergencies'), t('ar.otherAlarms')]}
                    bars={r.alarms.byRegion.map((x) => ({ name: x.regionName, value: x.alarms, part: x.emergencies }))}
                  />
                </Suspense>
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('ar.times')}>
            <TimesTable r={r} />
          </Card>
          <Card size="small" title={t('ar.hotline')}>
            <Hotline r={r} />
          </Card>
        </Space>
      )}
      <div style={{ marginTop: 12 }}>
        <Quality region={region} />
      </div>
    </div>
  );
}
