import { lazy, Suspense } from 'react';
import { Card, Col, Grid, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import type { WorkbenchReply } from '../shell/api';
import { percent } from './rate';

// echarts comes in its own chunk, after the figures
const CoverageChart = lazy(() => import('./charts').then((m) => ({ default: m.CoverageChart })));

/** The workbench API's assessment figures (null for a role that reads no assessments). */
export type AssessmentFigures = WorkbenchReply['assessment'];

interface Tile {
  key: string;
  label: MessageKey;
  count: number | undefined;
  to: string;
}

function Tiles({ tiles }: { tiles: Tile[] }) {
  const { t } = useI18n();
  return (
    <Row gutter={[12, 12]}>
      {tiles.map((td) => (
        <Col key={td.key} xs={12} sm={8} lg={6}>
          <Link to={td.to} data-testid={`todo-asm-${td.key}`} aria-label={`${t(td.label)} ${td.count ?? ''}`}>
            <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
              <Statistic title={t(td.label)} value={td.count ?? '—'} valueStyle={{ color: td.count ? '#c0392b' : undefined, fontSize: 24 }} />
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}

/**
 * The workbench's capability-assessment card, from the workbench API's counts: for the bureau and the
 * towns, the 80+ coverage of their region against the 100 % target (by town or village as bars) and
 * who is overdue, due soon or asked for, linking to the due list's states; for an assessor, the due
 * people assigned to them and the co-signatures waiting for them.
 */
export function AssessmentWorkbench({ figures }: { figures: AssessmentFigures | undefined }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const assessor = can('assessments.write');
  if (!figures) return null;

  if (assessor)
    return (
      <Card size="small" title={t('menu.assessments')} data-testid="workbench-assessments">
        <Tiles
          tiles={[
            { key: 'myDue', label: 'asm.wb.myDue', count: figures.assignedToMe ?? 0, to: '/assessments/due' },
            { key: 'cosign', label: 'asm.wb.cosign', count: figures.toCosign ?? 0, to: '/assessments?filter=cosign' },
          ]}
        />
      </Card>
    );

  const c = figures.coverage;
  const target = figures.target;
  const tiles: Tile[] = [
    { key: 'overdue', label: 'asm.wb.overdue', count: figures.overdue, to: '/assessments/due?state=overdue' },
    { key: 'soon', label: 'asm.wb.soon', count: figures.dueSoon, to: '/assessments/due?state=due_soon' },
    { key: 'requested', label: 'asm.wb.requested', count: figures.requested, to: '/assessments/due?state=requested' },
  ];
  if (figures.toReview !== null) tiles.push({ key: 'review', label: 'asm.wb.review', count: figures.toReview, to: '/assessments?filter=review' });
  const regions = figures.byRegion.filter((r) => r.older > 0);
  return (
    <Card
      size="small"
      title={t('asm.wb.title')}
      data-testid="workbench-assessments"
      extra={phone ? undefined : <Link to="/assessments/coverage">{t('menu.assessmentsCoverage')}</Link>}
    >
      <Row gutter={[16, 12]} align="middle">
        <Col xs={24} md={8}>
          <div data-testid="wb-asm-coverage">
            <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
              <Typography.Text style={{ fontSize: 28 }}>{percent(c.rate)}</Typography.Text>
              <Typography.Text type="secondary">{t('asm.cov.target', { n: Math.round(target * 100) })}</Typography.Text>
            </div>
            <Progress
              percent={c.rate === null ? 0 : Math.round(c.rate * 1000) / 10}
              showInfo={false}
              status={c.rate !== null && c.rate >= target ? 'success' : 'normal'}
            />
            <Link to="/assessments/coverage" style={{ fontSize: 12 }}>
              {t('asm.wb.assessed', { n: c.covered, total: c.older })}
            </Link>
          </div>
        </Col>
        <Col xs={24} md={16}>
          <Tiles tiles={tiles} />
        </Col>
        {regions.length > 1 && (
          <Col xs={24}>
            <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 200 }} />}>
              <CoverageChart rows={regions} target={target} label={t('asm.cov.chart')} targetLabel={t('asm.cov.target', { n: Math.round(target * 100) })} />
            </Suspense>
          </Col>
        )}
      </Row>
    </Card>
  );
}
