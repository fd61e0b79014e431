import { Alert, Button, Card, Checkbox, Col, Grid, Row, Select, Space, Table, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchOverdue, keys, useOverdueSummary, usePlans, useWorkers, type OverdueFilters } from './api';
import { HighRiskTag, useWords } from './labels';
import type { OverdueRow, OverdueSummary } from './types';

type WorkerSum = OverdueSummary['byWorker'][number];
type RegionSum = OverdueSummary['byRegion'][number];

/**
 * 逾期未访: dues whose window ended without a visit, counted per worker and per region, and listed
 * with the high-risk flag and how many windows in a row the person has been missed.
 */
export function OverduePage() {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const filters: OverdueFilters = {
    region: params.get('region') ?? undefined,
    worker: params.get('worker') ? Number(params.get('worker')) : undefined,
    highRisk: params.get('highRisk') === 'true',
  };
  const summary = useOverdueSummary(filters.region);
  const words = useWords();
  const plans = usePlans().data?.plans;
  const planLabel = (key: string) => {
    const p = plans?.find((x) => x.key === key);
    return p ? words(p.label) : key;
  };
  const workers = useWorkers(filters.region);
  const paged = usePaged([...keys.overdue, 'list', filters], (page, pageSize) => fetchOverdue(filters, page, pageSize));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
  };

  const workerCols: ColumnsType<WorkerSum> = [
    {
      title: t('v.worker'),
      key: 'name',
      render: (_, w) =>
        w.workerId === null ? (
          <Typography.Text type="secondary">{t('v.notAssigned')}</Typography.Text>
        ) : (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => set('worker', String(w.workerId))}
            data-testid={`overdue-worker-${w.workerId}`}
          >
            {w.name}
          </Button>
        ),
    },
    { title: t('v.overdue.count'), dataIndex: 'overdue', width: 80, align: 'right' },
  ];
  const regionCols: ColumnsType<RegionSum> = [
    {
      title: t('v.region'),
      key: 'name',
      render: (_, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => set('region', r.regionCode)} data-testid={`overdue-region-${r.regionCode}`}>
          {r.name}
        </Button>
      ),
    },
    { title: t('v.overdue.count'), dataIndex: 'overdue', width: 80, align: 'right' },
  ];
  const columns: ColumnsType<OverdueRow> = [
    {
      title: t('v.person'),
      key: 'person',
      width: 150,
      render: (_, r) => (
        <Space size={4} wrap>
          <Link to={`/register/${r.personId}`}>{r.name}</Link>
          <HighRiskTag show={r.highRisk} />
        </Space>
      ),
    },
    { title: t('v.region'), dataIndex: 'regionName', width: 120 },
    { title: t('v.plan'), key: 'plan', width: 180, render: (_, r) => <span style={{ fontSize: 12 }}>{planLabel(r.planKey)}</span> },
    { title: t('v.overdue.since'), dataIndex: 'since', width: 105 },
    { title: t('v.overdue.lastWindow'), dataIndex: 'lastWindowEnd', width: 120 },
    {
      title: t('v.overdue.consecutive'),
      dataIndex: 'consecutive',
      width: 100,
      align: 'right',
      render: (v: number) =>
        v >= 2 ? (
          <Typography.Text type="danger" strong>
            {t('v.overdue.times', { n: v })}
          </Typography.Text>
        ) : (
          t('v.overdue.times', { n: v })
        ),
    },
    {
      title: t('v.worker'),
      key: 'worker',
      width: 110,
      render: (_, r) => r.worker?.name ?? <Typography.Text type="secondary">{t('v.notAssigned')}</Typography.Text>,
    },
  ];
  const s = summary.data;
  return (
    <div data-testid="visits-overdue-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('v.overdue.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('v.overdue.intro')} style={{ marginBottom: 12 }} />}
      {summary.error && <Alert type="error" showIcon message={summary.error.message} style={{ marginBottom: 12 }} />}
      {s && (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={24} md={12}>
            <Card size="small" title={t('v.overdue.byWorker')}>
              <Table<WorkerSum>
                size="small"
                rowKey={(w) => String(w.workerId)}
                columns={workerCols}
                dataSource={s.byWorker}
                pagination={false}
                scroll={{ y: 240 }}
                data-testid="overdue-by-worker"
              />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('v.overdue.byRegion')}>
              <Table<RegionSum>
                size="small"
                rowKey="regionCode"
                columns={regionCols}
                dataSource={s.byRegion}
                pagination={false}
                scroll={{ y: 240 }}
                data-testid="overdue-by-region"
              />
            </Card>
          </Col>
        </Row>
      )}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <TreeSelect
          treeData={regions}
          value={filters.region}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('v.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 220 }}
          data-testid="overdue-region"
        />
        <Select
          value={filters.worker}
          onChange={(v?: number) => set('worker', v ? String(v) : undefined)}
          placeholder={t('v.worker')}
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: phone ? '100%' : 180 }}
          options={(workers.data ?? []).map((w) => ({ value: w.id, label: w.name }))}
          data-testid="overdue-worker"
        />
        <Checkbox checked={filters.highRisk} onChange={(e) => set('highRisk', e.target.checked ? 'true' : undefined)} data-testid="overdue-high-risk">
          {t('v.overdue.highRisk')}
        </Checkbox>
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="overdue-cards"
          rowKey={(r) => r.personId}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Space size={4}>
                  <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                    {r.name}
                  </Link>
                  <HighRiskTag show={r.highRisk} />
                </Space>
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {r.regionName} · {t('v.overdue.since')} {r.since}
              </div>
              <div style={{ fontSize: 12 }}>
                {t('v.overdue.consecutive')} {t('v.overdue.times', { n: r.consecutive })} · {r.worker?.name ?? t('v.notAssigned')}
              </div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<OverdueRow> paged={paged} testId="overdue-table" size="small" rowKey={(r) => r.personId} columns={columns} scroll={{ x: 900 }} />
      )}
    </div>
  );
}
