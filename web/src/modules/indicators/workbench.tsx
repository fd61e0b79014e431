import { Card, Col, Empty, Row, Skeleton, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useValues } from './api';
import { RunningTag, StatusTag, withUnit } from './parts';
import type { IndicatorValue } from './types';

/**
 * The workbench's six, in this order: the figures issue 20 names first (home services, 80+
 * assessment, nursing beds, visits, family care beds, complaints closed in time).
 */
export const KEY_INDICATORS = ['homeService', 'assessed80', 'nursingBedShare', 'visitRate', 'familyCareBeds', 'complaintsClosedInTime'];

/** At most six: the key ones present, then the seed table's rows with a target in its order, then the others. */
export function keyIndicators(items: IndicatorValue[]): IndicatorValue[] {
  const key = KEY_INDICATORS.flatMap((k) => items.filter((i) => i.key === k));
  const seed = items.filter((i) => !key.includes(i) && i.seedRow !== null && i.target !== null).sort((a, b) => a.seedRow! - b.seedRow!);
  return [...key, ...seed, ...items.filter((i) => !key.includes(i) && !seed.includes(i))].slice(0, 6);
}

function Summary() {
  const { t, pick } = useI18n();
  const q = useValues();
  if (q.error) return null;
  if (!q.data) return <Skeleton active paragraph={{ rows: 2 }} />;
  const data = q.data;
  const items = keyIndicators(data.items);
  return (
    <Card
      size="small"
      title={
        <span>
          {t('ind.wb.title', { period: data.period })} <RunningTag period={data.period} computedAt={data.computedAt} testId="wb-ind-running" />
        </span>
      }
      extra={
        <Link to="/indicators" data-testid="wb-indicators-all">
          {t('ind.wb.all')}
        </Link>
      }
      data-testid="wb-indicators"
    >
      {!data.computedAt || items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ind.wb.none')} />
      ) : (
        <Row gutter={[12, 12]}>
          {items.map((i) => (
            <Col key={i.key} xs={12} md={8} xl={4}>
              <Link to={`/indicators/${i.key}?period=${data.period}&region=${data.region.code}`} data-testid={`wb-ind-${i.key}`}>
                <Card size="small" hoverable styles={{ body: { padding: 10 } }}>
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ fontSize: 12, minHeight: 36, marginBottom: 4 }}>
                    {pick(i.name.zh, i.name.en)}
                  </Typography.Paragraph>
                  <div style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 4, flexWrap: 'wrap' }}>
                    <Typography.Text strong style={{ fontSize: 20 }}>
                      {withUnit(i.value, i.unit, t)}
                    </Typography.Text>
                    <StatusTag status={i.status} />
                  </div>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}

/** The workbench's indicators card: the bureau's and the towns' key indicators this month, with a link to them all. */
export function IndicatorsWorkbenchCard() {
  const { can, user } = useAuth();
  if (!user || !can('indicators.read') || !['bureau_admin', 'town_officer'].includes(user.role)) return null;
  return <Summary />;
}
