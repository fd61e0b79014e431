import { lazy, Suspense } from 'react';
import { Alert, Card, Col, InputNumber, Row, Skeleton, Table, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'react-router-dom';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useRegionTree } from '../register/use-regions';
import { useCoverage } from './api';
import type { CoverageRow } from './types';

// echarts in its own chunk, fetched after the table shows
const CoverageChart = lazy(() => import('./charts').then((m) => ({ default: m.CoverageChart })));

type Row = CoverageRow;

/** 居家服务覆盖率: per child region, the elders served this year against the registered 60+, and the target. */
export function CoveragePage() {
  const { t } = useI18n();
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? shanghaiToday().slice(0, 4));
  const region = params.get('region') ?? undefined;
  const q = useCoverage(year, region);
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const data = q.data;
  // a region with no elders has no share (the server says 0)
  const pct = (r: Row, target: number) =>
    r.elders === 0 ? '—' : <Typography.Text type={r.percent >= target ? 'success' : 'danger'}>{r.percent.toFixed(1)}%</Typography.Text>;
  const columns: ColumnsType<Row> = [
    { title: t('svc.region'), dataIndex: 'regionName' },
    { title: t('svc.cov.elders'), dataIndex: 'elders', width: 110, align: 'right' },
    { title: t('svc.cov.served'), dataIndex: 'served', width: 110, align: 'right' },
    { title: t('svc.cov.percent'), key: 'percent', width: 110, align: 'right', render: (_, r) => pct(r, data?.targetPercent ?? 0) },
  ];
  return (
    <div data-testid="svc-coverage-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('svc.cov.title')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('svc.cov.intro')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <InputNumber
          min={2020}
          max={2100}
          precision={0}
          value={year}
          onChange={(v) => v && set('year', String(v))}
          addonBefore={t('svc.cov.year')}
          style={{ width: 160 }}
          data-testid="svc-coverage-year"
        />
        <TreeSelect
          treeData={regions}
          value={region}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('svc.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: 220 }}
          data-testid="svc-coverage-region"
        />
      </div>
      {q.error && <Alert type="error" showIcon message={q.error.message} style={{ marginBottom: 12 }} />}
      {!data && !q.error && <Skeleton active />}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('svc.cov.target', { n: data.targetPercent })}>
              <Table<Row>
                size="small"
                rowKey="regionCode"
                columns={columns}
                dataSource={data.rows}
                pagination={false}
                data-testid="svc-coverage"
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <strong>{t('svc.cov.total')}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {data.total.elders}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {data.total.served}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">
                      <span data-testid="svc-coverage-total">{pct(data.total, data.targetPercent)}</span>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('svc.cov.percent')}>
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 200 }} />}>
                <CoverageChart
                  rows={data.rows.filter((r) => r.elders > 0)}
                  target={data.targetPercent}
                  label={t('svc.cov.title')}
                  targetLabel={t('svc.cov.target', { n: data.targetPercent })}
                />
              </Suspense>
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
