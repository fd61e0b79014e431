import { lazy, Suspense } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, Grid, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { useRegions } from '../register/api';
import { useCoverage } from './api';
import { percent } from './rate';
import type { CoverageRow } from './types';

const CoverageChart = lazy(() => import('./charts').then((m) => ({ default: m.CoverageChart })));

/**
 * 评估覆盖率: of the elders aged 80 or over in a region, how many hold a valid assessment, against
 * the 100 % target, and the same for each sub-region (a click drills in; the region is in the URL).
 */
export function CoveragePage() {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('region') ?? undefined;
  const cov = useCoverage(regionCode);
  const regions = useRegions().data?.regions;
  const data = cov.data;
  const drill = (code: string | undefined) => {
    const next = new URLSearchParams(params);
    if (code) next.set('region', code);
    else next.delete('region');
    setParams(next);
  };
  // the path from the viewer's own region down to the one shown (the regions list is the viewer's subtree)
  const path: { code: string; name: string }[] = [];
  if (data && regions) {
    const byCode = new Map(regions.map((r) => [r.code, r]));
    for (let r = byCode.get(data.region.code); r; r = r.parentCode ? byCode.get(r.parentCode) : undefined) path.unshift({ code: r.code, name: r.name });
  }

  const columns: ColumnsType<CoverageRow> = [
    {
      title: t('asm.cov.region'),
      dataIndex: 'name',
      render: (v: string, r) =>
        r.older > 0 ? (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => drill(r.code)} data-testid={`cov-drill-${r.code}`}>
            {v}
          </Button>
        ) : (
          v
        ),
    },
    { title: t('asm.cov.over80'), dataIndex: 'older', align: 'right', width: 100 },
    { title: t('asm.cov.assessed'), dataIndex: 'covered', align: 'right', width: 100 },
    {
      title: t('asm.cov.rate'),
      dataIndex: 'rate',
      width: phone ? 90 : 220,
      render: (v: number | null, r) =>
        phone ? (
          percent(v)
        ) : (
          <div style={{ display: 'flex', alignItems: 'center', gap: 8 }} data-testid={`cov-rate-${r.code}`}>
            <Progress percent={v === null ? 0 : Math.round(v * 1000) / 10} showInfo={false} size="small" style={{ margin: 0, flex: 1 }} />
            <span style={{ width: 52, textAlign: 'right' }}>{percent(v)}</span>
          </div>
        ),
    },
  ];

  return (
    <div data-testid="coverage-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('asm.cov.title')}
        {data && (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {t('asm.cov.asOf', { date: data.on })}
          </Typography.Text>
        )}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('asm.cov.intro')} style={{ marginBottom: 12 }} />}
      {cov.error && <Alert type="error" showIcon message={cov.error.message} style={{ marginBottom: 12 }} />}
      {!data && !cov.error && <Skeleton active />}
      {data && (
        <>
          {path.length > 1 && (
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={path.map((p, i) =>
                i === path.length - 1 ? { title: p.name } : { title: <a onClick={() => drill(i === 0 ? undefined : p.code)}>{p.name}</a> },
              )}
            />
          )}
          <Card size="small" style={{ marginBottom: 12 }} data-testid="cov-region">
            <Row gutter={[16, 12]} align="middle">
              <Col xs={24} md={6}>
                <Typography.Text strong>{data.region.name}</Typography.Text>
              </Col>
              <Col xs={12} md={4}>
                <Statistic title={t('asm.cov.over80')} value={data.region.older} suffix={t('asm.cov.people')} data-testid="cov-older" />
              </Col>
              <Col xs={12} md={4}>
                <Statistic title={t('asm.cov.assessed')} value={data.region.covered} suffix={t('asm.cov.people')} data-testid="cov-covered" />
              </Col>
              <Col xs={24} md={10}>
                <div data-testid="cov-rate">
                  <Typography.Text type="secondary">{t('asm.cov.rate')}</Typography.Text>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
                    <Typography.Text style={{ fontSize: 24 }}>{percent(data.region.rate)}</Typography.Text>
                    <Typography.Text type="secondary">
                      {t('asm.cov.target', { n: Math.round(data.target * 100) })}
                      {data.region.older > data.region.covered
                        ? ` · ${t('asm.cov.gap', { n: Math.ceil(data.region.older * data.target) - data.region.covered })}`
                        : ''}
                    </Typography.Text>
                  </div>
                  <Progress
                    percent={data.region.rate === null ? 0 : Math.round(data.region.rate * 1000) / 10}
                    status={data.region.rate !== null && data.region.rate >= data.target ? 'success' : 'active'}
                    showInfo={false}
                  />
                </div>
                <Link to={`/assessments/due?state=overdue${regionCode ? `&region=${regionCode}` : ''}`}>{t('asm.cov.overdue')}</Link>
                {' · '}
                <Link to={`/assessments/due?state=due_soon${regionCode ? `&region=${regionCode}` : ''}`}>{t('asm.cov.soon')}</Link>
              </Col>
            </Row>
          </Card>
          {data.children.length > 0 && (
            <Row gutter={[12, 12]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('asm.cov.drill')}>
                  <Table<CoverageRow> size="small" rowKey="code" dataSource={data.children} columns={columns} pagination={false} data-testid="cov-table" />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('asm.cov.chart')}>
                  <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 240 }} />}>
                    <CoverageChart
                      rows={data.children}
                      target={data.target}
                      label={t('asm.cov.chart')}
                      targetLabel={t('asm.cov.target', { n: Math.round(data.target * 100) })}
                      onPick={drill}
                    />
                  </Suspense>
                </Card>
              </Col>
            </Row>
          )}
        </>
      )}
    </div>
  );
}
