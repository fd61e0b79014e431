import { Card, Col, Grid, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get, qs, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useCoverage } from './api';
import { percent } from './rate';

interface Tile {
  key: string;
  label: MessageKey;
  count: number | undefined;
  to: string;
}

/** The total of a list without its rows (the smallest page). */
function useTotal(key: string, url: string, enabled: boolean) {
  return useQuery({ queryKey: ['workbench', 'assessments', key], queryFn: () => get<Page<unknown>>(url).then((p) => p.total), enabled });
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
 * The workbench's capability-assessment card: for the bureau and the towns, the 80+ coverage of their
 * region against the 100 % target and who is overdue or due soon; for an assessor, the people
 * assigned to them that are due and the co-signatures waiting for them. Counts only on the page.
 */
export function AssessmentWorkbench() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const assessor = can('assessments.write');
  const officer = can('assessments.read') && !assessor;
  const cov = useCoverage(undefined, officer);
  const overdue = useTotal('overdue', `/api/assessments/due${qs({ state: 'overdue', pageSize: 1 })}`, officer);
  const soon = useTotal('soon', `/api/assessments/due${qs({ state: 'due_soon', pageSize: 1 })}`, officer);
  const requested = useTotal('requested', `/api/assessments/due${qs({ state: 'requested', pageSize: 1 })}`, officer);
  const review = useTotal('review', `/api/assessments${qs({ filter: 'review', pageSize: 1 })}`, officer && can('assessments.review'));
  const myDue = useTotal('mine', `/api/assessments/due${qs({ assessorId: user?.id, pageSize: 1 })}`, assessor && !!user);
  const cosign = useTotal('cosign', `/api/assessments${qs({ filter: 'cosign', pageSize: 1 })}`, assessor);
  if (!can('assessments.read')) return null;

  if (assessor)
    return (
      <Card size="small" title={t('menu.assessments')} data-testid="workbench-assessments">
        <Tiles
          tiles={[
            { key: 'myDue', label: 'asm.wb.myDue', count: myDue.data, to: `/assessments/due?assessor=${user?.id ?? ''}` },
            { key: 'cosign', label: 'asm.wb.cosign', count: cosign.data, to: '/assessments?filter=cosign' },
          ]}
        />
      </Card>
    );

  const c = cov.data?.region;
  const target = cov.data?.target ?? 1;
  return (
    <Card
      size="small"
      title={t('asm.wb.title')}
      data-testid="workbench-assessments"
      extra={phone ? undefined : <Link to="/assessments/coverage">{t('menu.assessmentsCoverage')}</Link>}
    >
      <Row gutter={[16, 12]} align="middle">
        <Col xs={24} md={8}>
          {!c ? (
            <Skeleton active paragraph={{ rows: 1 }} />
          ) : (
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
          )}
        </Col>
        <Col xs={24} md={16}>
          <Tiles
            tiles={[
              { key: 'overdue', label: 'asm.wb.overdue', count: overdue.data, to: '/assessments/due?state=overdue' },
              { key: 'soon', label: 'asm.wb.soon', count: soon.data, to: '/assessments/due?state=due_soon' },
              { key: 'requested', label: 'asm.wb.requested', count: requested.data, to: '/assessments/due?state=requested' },
              ...(can('assessments.review')
                ? [{ key: 'review', label: 'asm.wb.review' as MessageKey, count: review.data, to: '/assessments?filter=review' }]
                : []),
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}
