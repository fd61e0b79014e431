import { Alert, Breadcrumb, Card, Descriptions, Grid, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ExportButton } from '../../shared/export-button';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';
import { fetchMembers, keys, membersExportUrl, useBreakdown, useDefinitions } from './api';
import { ChildrenTable } from './dashboard';
import { Flags, RunningTag, StatusTag, targetText, withUnit } from './parts';
import type { DefinitionItem, IndicatorValue, MemberItem } from './types';

const PARTS = ['numerator', 'denominator', 'gap'] as const;
type Part = (typeof PARTS)[number];

/** The indicator's definition in words: what is counted above and below the line, the target and its source. */
function Definition({ def, value }: { def: DefinitionItem | undefined; value: IndicatorValue }) {
  const { t, pick } = useI18n();
  const phone = !Grid.useBreakpoint().sm;
  const p = (x: { zh: string; en: string } | undefined | null) => (x ? pick(x.zh, x.en) : '—');
  return (
    <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'} data-testid="ind-definition" labelStyle={{ width: 120 }}>
      <Descriptions.Item label={t('ind.col.category')}>
        {p(value.category)} · {value.seedRow !== null ? t('ind.d.seedRow', { n: value.seedRow }) : t('ind.d.notInTable')}
      </Descriptions.Item>
      <Descriptions.Item label={t('ind.d.numerator')}>
        <span data-testid="ind-def-numerator">{p(def?.numerator)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('ind.d.denominator')}>{p(def?.denominator)}</Descriptions.Item>
      <Descriptions.Item label={t('ind.d.target')}>
        {targetText(value.target, value.unit, t)}
        {value.target && <Typography.Text type="secondary"> · {p(value.target.attribute)}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t('ind.d.source')}>{p(value.target?.source ?? def?.target?.source)}</Descriptions.Item>
      <Descriptions.Item label={t('ind.d.period')}>{t(`ind.period.${value.period}` as MessageKey)}</Descriptions.Item>
      <Descriptions.Item label={t('ind.d.reading')}>
        <span style={{ whiteSpace: 'pre-wrap' }} data-testid="ind-def-reading">
          {p(value.reading ?? def?.reading)}
        </span>
      </Descriptions.Item>
    </Descriptions>
  );
}

/**
 * The people or things behind the figure, a tab each for the numerator, the denominator and the gap;
 * a count (no denominator) has only the things it counts, so one list and no tabs.
 */
function Members({
  indicatorKey,
  period,
  region,
  drill,
  counted,
}: {
  indicatorKey: string;
  period: string;
  region: string;
  drill: IndicatorValue['drill'];
  /** the indicator is a count: its API value has no denominator */
  counted: boolean;
}) {
  const { t, pick } = useI18n();
  const phone = !Grid.useBreakpoint().sm;
  const [params, setParams] = useSearchParams();
  const parts: readonly Part[] = counted ? ['numerator'] : PARTS;
  const part = (parts as readonly string[]).includes(params.get('part') ?? '') ? (params.get('part') as Part) : 'numerator';
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 20) || 20;
  const filter = { period, region, part };
  const paged = usePaged([...keys.members(indicatorKey, period, region, part)], (pg, ps) => fetchMembers(indicatorKey, filter, pg, ps), {
    controlled: {
      page,
      pageSize,
      onChange: (pg, ps) => {
        const p = new URLSearchParams(params);
        p.set('page', String(pg));
        p.set('pageSize', String(ps));
        setParams(p, { replace: true });
      },
    },
  });
  const setPart = (next: string) => {
    const p = new URLSearchParams(params);
    p.set('part', next);
    p.delete('page');
    setParams(p, { replace: true });
  };
  const person = drill === 'person';
  const sexText = (s: string | null) => (s === 'M' || s === 'F' ? t(`ind.sex.${s}`) : (s ?? '—'));
  const columns = person
    ? [
        {
          title: t('ind.m.personName'),
          key: 'name',
          render: (_: unknown, m: MemberItem) => (
            <span data-testid="ind-member-name" style={{ whiteSpace: 'nowrap' }}>
              {m.name}
            </span>
          ),
        },
        { title: t('ind.m.id'), key: 'id', width: 190, render: (_: unknown, m: MemberItem) => <span data-testid="ind-member-id">{m.idMasked ?? '—'}</span> },
        { title: t('ind.m.sex'), key: 'sex', width: 64, render: (_: unknown, m: MemberItem) => sexText(m.sex) },
        { title: t('ind.m.age'), key: 'age', width: 64, render: (_: unknown, m: MemberItem) => m.age ?? '—' },
        {
          title: t('ind.m.region'),
          key: 'region',
          width: 140,
          render: (_: unknown, m: MemberItem) => <span style={{ whiteSpace: 'nowrap' }}>{m.region.name}</span>,
        },
        { title: t('ind.m.detail'), key: 'detail', render: (_: unknown, m: MemberItem) => pick(m.detail.zh, m.detail.en) },
      ]
    : [
        { title: t('ind.m.name'), key: 'name', render: (_: unknown, m: MemberItem) => <span data-testid="ind-member-name">{m.name}</span> },
        { title: t('ind.m.region'), key: 'region', width: 160, render: (_: unknown, m: MemberItem) => m.region.name },
        { title: t('ind.m.detail'), key: 'detail', render: (_: unknown, m: MemberItem) => pick(m.detail.zh, m.detail.en) },
        {
          title: t('ind.m.inNumerator'),
          key: 'in',
          width: 90,
          render: (_: unknown, m: MemberItem) => (m.inNumerator ? t('ind.m.yes') : t('ind.m.no')),
        },
      ];
  return (
    <Card
      size="small"
      title={t('ind.d.members')}
      extra={<ExportButton url={membersExportUrl(indicatorKey, filter)} fileName={`${indicatorKey}-${part}-${period}.xlsx`} testId="ind-members-export" />}
      data-testid="ind-members"
    >
      {parts.length > 1 && (
        <Tabs
          activeKey={part}
          onChange={setPart}
          size={phone ? 'small' : 'middle'}
          items={parts.map((p) => ({ key: p, label: <span data-testid={`ind-part-${p}`}>{t(`ind.d.part.${p}`)}</span> }))}
        />
      )}
      <PagedTable<MemberItem>
        paged={paged}
        testId="ind-members-table"
        size="small"
        rowKey={(m) => `${m.kind}-${m.id}`}
        scroll={{ x: person ? 760 : 600 }}
        columns={columns}
      />
    </Card>
  );
}

/** /indicators/:key: an indicator for a region and month: its definition, its children, the people or things behind it. */
export function IndicatorDetailPage() {
  const { t, pick } = useI18n();
  const key = useParams().key!;
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? undefined;
  const region = params.get('region') ?? undefined;
  const breakdown = useBreakdown(key, period, region);
  const defs = useDefinitions();
  const data = breakdown.data;
  if (breakdown.error && !data)
    return (
      <div data-testid="ind-error">
        <Result status="404" title={t('ind.notFound')} subTitle={breakdown.error.message}>
          <Link to="/indicators">{t('ind.d.back')}</Link>
        </Result>
      </div>
    );
  if (!data) return <Skeleton active />;
  const v = data.indicator;
  const def = defs.data?.items.find((d) => d.key === key);
  const pickRegion = (code: string) => {
    const p = new URLSearchParams(params);
    p.set('region', code);
    p.set('period', data.period);
    p.delete('page');
    setParams(p);
  };
  return (
    <div data-testid="ind-detail">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to={`/indicators?period=${data.period}&region=${data.region.code}&key=${key}`}>{t('ind.title')}</Link> },
          { title: data.region.name },
        ]}
      />
      <Space align="baseline" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="ind-detail-title">
          {pick(v.name.zh, v.name.en)}
        </Typography.Title>
        <Typography.Text strong style={{ fontSize: 20 }} data-testid="ind-detail-value">
          {withUnit(v.value, v.unit, t)}
        </Typography.Text>
        <StatusTag status={v.status} testId="ind-detail-status" />
        <Flags flags={v.flags} />
        <RunningTag period={data.period} testId="ind-detail-running" />
        <Typography.Text type="secondary">
          {data.region.name} · {data.period}
          {v.denominator !== null && ` · ${v.numerator.toLocaleString('en-US')} / ${v.denominator.toLocaleString('en-US')}`}
        </Typography.Text>
      </Space>
      {defs.error && <Alert type="error" showIcon message={defs.error.message} style={{ marginBottom: 12 }} />}
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" title={t('ind.d.definition')}>
          <Definition def={def} value={v} />
        </Card>
        <Card size="small" title={t('ind.d.breakdown')} styles={{ body: { padding: 0 } }}>
          <ChildrenTable data={data} onPick={pickRegion} />
        </Card>
        <Members indicatorKey={key} period={data.period} region={data.region.code} drill={v.drill} counted={v.denominator === null} />
      </Space>
    </div>
  );
}
