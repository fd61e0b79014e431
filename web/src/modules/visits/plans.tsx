import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Grid, Input, Progress, Row, Select, Skeleton, Space, Statistic, Table, Tabs, Tag, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { currentPeriod, shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchMembers, keys, usePlans, useRate, useRefreshPlans, type MemberFilters } from './api';
import { FreqTag, HighRiskTag, modeKey, pct, useWords } from './labels';
import type { MemberRow, PlansReply, RateRow } from './types';

const RateChart = lazy(() => import('./charts').then((m) => ({ default: m.RateChart })));

const TABS = ['plans', 'rate', 'members'] as const;
type TabKey = (typeof TABS)[number];

/** The last twelve months, newest first ('YYYY-MM'). */
function recentMonths(n = 12): string[] {
  const [y, m] = currentPeriod().split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/** The last refresh in words, and the refresh button (visits.refresh) that follows the job to its end. */
function RefreshBar({ data, onFollow }: { data: PlansReply; onFollow: (following: boolean) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const refresh = useRefreshPlans();
  // the refresh seen when the button was pressed: the job has ended once a newer one has ended
  const [waitingFor, setWaitingFor] = useState<{ before: string | null } | null>(null);
  const last = data.lastRefresh;
  const running = last?.status === 'running';
  const ended = waitingFor !== null && last !== null && last.at !== waitingFor.before && !running;
  useEffect(() => {
    onFollow(waitingFor !== null || running);
  }, [waitingFor, running, onFollow]);
  useEffect(() => {
    if (!ended || !last) return;
    setWaitingFor(null);
    if (last.status === 'failed') message.error(t('v.plans.refreshFailed'));
    else message.success(t('v.plans.refreshDone'));
  }, [ended, last, message, t]);
  const start = async () => {
    try {
      const r = await refresh.mutateAsync();
      setWaitingFor({ before: last?.at ?? null });
      message.info(t('v.plans.refreshStarted', { id: r.jobId }));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const busy = refresh.isPending || waitingFor !== null || running;
  return (
    <div
      style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center', justifyContent: 'space-between', marginBottom: 12 }}
      data-testid="visits-last-refresh"
    >
      <Space size={8} wrap>
        <Typography.Text strong>{t('v.plans.lastRefresh')}</Typography.Text>
        {last ? (
          <>
            <Typography.Text>{shanghaiTime(last.at)}</Typography.Text>
            <Tag color={last.status === 'failed' ? 'red' : last.status === 'running' ? 'blue' : 'green'}>
              {['running', 'finished', 'failed'].includes(last.status) ? t(`v.plans.status.${last.status}` as MessageKey) : last.status}
            </Tag>
            <Typography.Text type="secondary">{t('v.plans.refreshSummary', { ...last })}</Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('v.plans.never')}</Typography.Text>
        )}
      </Space>
      {can('visits.refresh') && (
        <Button type="primary" loading={busy} onClick={() => void start()} data-testid="visits-refresh">
          {busy ? t('v.plans.refreshing') : t('v.plans.refresh')}
        </Button>
      )}
    </div>
  );
}

function PlanCards({ data, onMembers }: { data: PlansReply; onMembers: (plan: string) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const words = useWords();
  const s = data.settings;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {data.plans.map((p, i) => (
        <Card
          key={p.key}
          size="small"
          data-testid={`visits-plan-${p.key}`}
          title={
            <Space size={6} wrap>
              <Typography.Text type="secondary">{t('v.plans.order', { n: i + 1 })}</Typography.Text>
              <span style={{ whiteSpace: 'normal' }}>{words(p.label)}</span>
            </Space>
          }
          extra={
            <Button type="link" size="small" onClick={() => onMembers(p.key)} data-testid={`visits-plan-members-${p.key}`}>
              {t('v.plans.members', { n: p.members })}
            </Button>
          }
        >
          <Space size={[4, 4]} wrap style={{ marginBottom: 8 }}>
            <FreqTag frequency={p.frequency} />
            {p.modes.map((m) => (
              <Tag key={m}>
                {t(modeKey(m))} ≥ {s.minMinutes[m] ?? 0}′
              </Tag>
            ))}
            <HighRiskTag show={p.highRisk} />
          </Space>
          <Typography.Paragraph style={{ marginBottom: 4 }} data-testid={`visits-plan-words-${p.key}`}>
            <Typography.Text strong>{t('v.plans.rule')}：</Typography.Text>
            {words(p.ruleWords)}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
            {t('v.plans.ruleCode')}：<code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{p.rule}</code>
          </Typography.Paragraph>
          {p.source && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('v.plans.source')}：{p.source}
            </Typography.Text>
          )}
        </Card>
      ))}
      <Card size="small" title={t('v.plans.settings')} extra={can('settings.read') ? <Link to="/settings">{t('v.plans.editSettings')}</Link> : undefined}>
        <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="visits-settings">
          <li>{t(s.week === 'rolling' ? 'v.plans.week.rolling' : 'v.plans.week.calendar')}</li>
          <li>{t('v.plans.minMinutes', { home: s.minMinutes.home, phone: s.minMinutes.phone, video: s.minMinutes.video })}</li>
          <li>{t('v.plans.escalate', { n: s.escalateAfter })}</li>
          <li>{t('v.plans.target', { n: s.rateTargetPercent })}</li>
        </ul>
      </Card>
    </Space>
  );
}

/** The month's visit rate of the region and each of its child regions against the target. */
function RateTab() {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const months = recentMonths();
  const month = params.get('month') ?? months[0]!;
  const region = params.get('region') ?? undefined;
  const rate = useRate(month, region);
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const d = rate.data;
  const rows = (d?.rows ?? []).filter((r) => r.due > 0);
  const columns: ColumnsType<RateRow> = [
    {
      title: t('v.region'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => set('region', r.regionCode)} data-testid={`rate-drill-${r.regionCode}`}>
          {v}
        </Button>
      ),
    },
    { title: t('v.rate.due'), dataIndex: 'due', align: 'right', width: 80 },
    { title: t('v.rate.done'), dataIndex: 'done', align: 'right', width: 80 },
    {
      title: t('v.rate.percent'),
      dataIndex: 'percent',
      width: phone ? 80 : 200,
      render: (v: number | null) =>
        phone ? pct(v) : <Progress percent={v ?? 0} size="small" format={() => pct(v)} status={d && (v ?? 0) >= d.targetPercent ? 'success' : 'normal'} />,
    },
  ];
  return (
    <div data-testid="visits-rate">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={month}
          onChange={(v: string) => set('month', v === months[0] ? undefined : v)}
          options={months.map((m) => ({ value: m, label: m }))}
          style={{ width: 120 }}
          data-testid="rate-month"
          aria-label={t('v.rate.month')}
        />
        <TreeSelect
          treeData={regions}
          value={region}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('v.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 220 }}
          data-testid="rate-region"
        />
      </Space>
      {rate.error && <Alert type="error" showIcon message={rate.error.message} />}
      {!d && !rate.error && <Skeleton active />}
      {d && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <Card size="small">
              <Statistic
                title={`${t('v.rate.total')}（${t('v.rate.asOf', { date: d.on })}）`}
                value={d.total.percent ?? '—'}
                precision={d.total.percent === null ? undefined : 1}
                suffix={d.total.percent === null ? undefined : '%'}
                data-testid="rate-total"
              />
              <Progress
                percent={d.total.percent ?? 0}
                showInfo={false}
                status={(d.total.percent ?? 0) >= d.targetPercent ? 'success' : 'normal'}
                strokeColor={(d.total.percent ?? 0) >= d.targetPercent ? undefined : '#d9a13b'}
              />
              <Space direction="vertical" size={0}>
                <Typography.Text type="secondary">{t('v.rate.target', { n: d.targetPercent })}</Typography.Text>
                <Typography.Text type="secondary">
                  {d.total.due ? t('v.rate.doneOfDue', { due: d.total.due, done: d.total.done }) : t('v.rate.none')}
                </Typography.Text>
              </Space>
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            {rows.length > 1 && !phone && (
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 200 }} />}>
                <RateChart
                  rows={rows}
                  target={d.targetPercent}
                  label={t('v.rate.chart')}
                  targetLabel={t('v.rate.target', { n: d.targetPercent })}
                  onPick={(code) => set('region', code)}
                />
              </Suspense>
            )}
            <Table<RateRow> size="small" rowKey="regionCode" columns={columns} dataSource={d.rows} pagination={false} data-testid="rate-table" />
          </Col>
        </Row>
      )}
    </div>
  );
}

function Why({ r }: { r: MemberRow }) {
  const words = useWords();
  const text = words(r.why);
  // the rule in words is long: two lines, the whole on hover
  return (
    <Typography.Paragraph style={{ fontSize: 12, margin: 0 }} ellipsis={{ rows: 2, tooltip: text }}>
      {text}
    </Typography.Paragraph>
  );
}

function Worker({ r }: { r: MemberRow }) {
  const { t } = useI18n();
  return r.worker ? <span>{r.worker.name}</span> : <Typography.Text type="secondary">{t('v.notAssigned')}</Typography.Text>;
}

/** The plan members with why they are in and who visits them (an audited read). */
function MembersTab({ data }: { data: PlansReply }) {
  const { t } = useI18n();
  const words = useWords();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const filters: MemberFilters = { plan: params.get('plan') ?? undefined, region: params.get('region') ?? undefined, q: params.get('q') ?? undefined };
  const paged = usePaged([...keys.members, filters], (page, pageSize) => fetchMembers(filters, page, pageSize));
  const planLabel = new Map(data.plans.map((p) => [p.key, words(p.label)]));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
  };
  const columns: ColumnsType<MemberRow> = [
    {
      title: t('v.person'),
      key: 'person',
      width: 160,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/register/${r.personId}`}>{r.name}</Link>
          {r.idMasked && <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{r.idMasked}</span>}
        </Space>
      ),
    },
    { title: t('v.age'), dataIndex: 'age', width: 60, align: 'right' },
    { title: t('v.region'), dataIndex: 'regionName', width: 120 },
    {
      title: t('v.plan'),
      key: 'plan',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          <FreqTag frequency={r.frequency} />
          <span style={{ fontSize: 12 }}>{planLabel.get(r.planKey) ?? r.planKey}</span>
        </Space>
      ),
    },
    { title: t('v.worker'), key: 'worker', width: 120, render: (_, r) => <Worker r={r} /> },
    { title: t('v.members.joined'), dataIndex: 'joinedOn', width: 105 },
    { title: t('v.members.why'), key: 'why', width: 300, render: (_, r) => <Why r={r} /> },
  ];
  return (
    <div data-testid="visits-members">
      <Space wrap style={{ marginBottom: 12, width: phone ? '100%' : undefined }}>
        <Select
          value={filters.plan ?? ''}
          onChange={(v: string) => set('plan', v || undefined)}
          options={[{ value: '', label: t('v.all') }, ...data.plans.map((p) => ({ value: p.key, label: words(p.label) }))]}
          style={{ width: phone ? '100%' : 280 }}
          popupMatchSelectWidth={false}
          data-testid="members-plan"
        />
        <TreeSelect
          treeData={regions}
          value={filters.region}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('v.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 200 }}
          data-testid="members-region"
        />
        <Input.Search
          defaultValue={filters.q}
          placeholder={t('v.members.search')}
          allowClear
          onSearch={(v) => set('q', v.trim() || undefined)}
          style={{ width: phone ? '100%' : 220 }}
          data-testid="members-q"
        />
      </Space>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="members-cards"
          rowKey={(r) => r.personId}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                  {r.name}
                </Link>
                <FreqTag frequency={r.frequency} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {r.regionName} · {r.age} · <Worker r={r} />
              </div>
              <Why r={r} />
            </Card>
          )}
        />
      ) : (
        <PagedTable<MemberRow> paged={paged} testId="members-table" size="small" rowKey={(r) => r.personId} columns={columns} scroll={{ x: 1000 }} />
      )}
    </div>
  );
}

/**
 * 探访计划: the jurisdiction's plans with their rules in words, the settings that shape them and the
 * last refresh (an officer refreshes by the rules and the page follows the job); the month's visit
 * rate by region against the target; the members with why they are in and who visits them.
 */
export function PlansPage() {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const [following, setFollowing] = useState(false);
  const plans = usePlans(following);
  const tabParam = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'plans';
  const go = (next: TabKey, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(extra);
    if (next !== 'plans') p.set('tab', next);
    setParams(p);
  };
  const data = plans.data;
  return (
    <div data-testid="visits-plans-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('v.plans.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('v.plans.intro')} style={{ marginBottom: 12 }} />}
      {plans.error && <Alert type="error" showIcon message={plans.error.message} style={{ marginBottom: 12 }} />}
      {!data && !plans.error && <Skeleton active />}
      {data && (
        <>
          <RefreshBar data={data} onFollow={setFollowing} />
          <Tabs
            activeKey={tab}
            onChange={(k) => go(k as TabKey)}
            destroyInactiveTabPane
            items={[
              { key: 'plans', label: t('v.plans.tab.plans'), children: <PlanCards data={data} onMembers={(plan) => go('members', { plan })} /> },
              { key: 'rate', label: t('v.plans.tab.rate'), children: <RateTab /> },
              { key: 'members', label: t('v.plans.tab.members'), children: <MembersTab data={data} /> },
            ]}
          />
        </>
      )}
    </div>
  );
}
