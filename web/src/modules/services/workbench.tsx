import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { currentPeriod } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { fetchAnomalies, fetchOrders, keys, useSettlements } from './api';

/** The month before 'YYYY-MM'. */
export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function Tile({ testId, title, value, to, note }: { testId: string; title: string; value: ReactNode; to: string; note?: ReactNode }) {
  return (
    <Col xs={12} sm={8} lg={6}>
      <Link to={to} data-testid={testId}>
        <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
          <Statistic title={title} valueRender={() => <span style={{ fontSize: 22 }}>{value}</span>} />
          {note}
        </Card>
      </Link>
    </Col>
  );
}

/** A count of a list (its first page of one row): the lists' own filters and scope. */
function useCount(key: readonly unknown[], fetch: () => Promise<{ total: number }>, enabled: boolean) {
  return useQuery({ queryKey: [...keys.all, 'workbench', ...key], queryFn: async () => (await fetch()).total, enabled, staleTime: 30_000 });
}

/**
 * The workbench's home-services card, for whoever reads the services: the exceptions waiting (to
 * explain for a provider, to review for an officer), this month's orders and how many providers'
 * last month is closed. Read from the services' own lists (their scope rule), not the workbench API.
 */
export function ServicesWorkbenchCard() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  const read = !!user && can('services.read');
  const period = currentPeriod();
  const last = previousPeriod(period);
  const open = useCount(['anomalies', 'open'], () => fetchAnomalies({ status: 'open' }, 1, 1), read);
  const toReview = useCount(['anomalies', 'resolved'], () => fetchAnomalies({ status: 'resolved' }, 1, 1), read && can('services.review'));
  const orders = useCount(['orders', period], () => fetchOrders({ period }, 1, 1), read);
  const settlements = useSettlements(last, read && user?.role !== 'provider');
  if (!read) return null;
  const red = (n: number | undefined) => <span style={{ color: n ? '#c0392b' : undefined }}>{n ?? '…'}</span>;
  const st = settlements.data?.items;
  return (
    <Card size="small" title={t('svc.wb.title')} data-testid="workbench-services">
      <Row gutter={[12, 12]}>
        <Tile testId="wb-svc-anomalies" title={t('svc.wb.anomalies')} value={red(open.data)} to="/services/anomalies?status=open" />
        {can('services.review') && (
          <Tile testId="wb-svc-review" title={t('svc.an.resolved')} value={red(toReview.data)} to="/services/anomalies?status=resolved" />
        )}
        <Tile testId="wb-svc-orders" title={t('svc.wb.orders')} value={orders.data ?? '…'} to={`/services?period=${period}`} />
        {user?.role !== 'provider' && (
          <Tile
            testId="wb-svc-settlement"
            title={t('svc.wb.settlement')}
            value={st ? t('svc.wb.settled', { closed: st.filter((s) => s.status === 'closed').length, all: st.length }) : '…'}
            to={`/services/settlements?period=${last}`}
            note={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {last}
              </Typography.Text>
            }
          />
        )}
      </Row>
    </Card>
  );
}
