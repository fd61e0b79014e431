import { Alert, Card, DatePicker, Grid, List, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { currentPeriod, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useSettlements } from './api';
import { useMoney } from './labels';
import type { SettlementItem } from './types';

export function SettlementStatusTag({ status }: { status: 'open' | 'closed' }) {
  const { t } = useI18n();
  return <Tag color={status === 'closed' ? 'green' : 'blue'}>{status === 'closed' ? t('svc.st.closed') : t('svc.st.open')}</Tag>;
}

/** 月度结算: each provider's month — lines by outcome, payable, the feedback sample — and whether it is closed. */
export function SettlementsPage() {
  const { t } = useI18n();
  const money = useMoney();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? currentPeriod();
  const q = useSettlements(period);
  const link = (r: SettlementItem) => `/services/settlements/${r.providerId}/${period}`;
  const columns: ColumnsType<SettlementItem> = [
    {
      title: t('svc.provider'),
      key: 'provider',
      render: (_, r) => (
        <Link to={link(r)} data-testid={`svc-settlement-${r.providerId}`}>
          {r.providerName}
        </Link>
      ),
    },
    { title: t('svc.status'), key: 'status', width: 84, render: (_, r) => <SettlementStatusTag status={r.status} /> },
    { title: t('svc.st.accepted'), dataIndex: 'accepted', width: 70, align: 'right' },
    { title: t('svc.st.rejected'), dataIndex: 'rejected', width: 84, align: 'right' },
    { title: t('svc.st.held'), dataIndex: 'held', width: 64, align: 'right' },
    { title: t('svc.st.adjustments'), dataIndex: 'adjustments', width: 64, align: 'right' },
    { title: t('svc.st.payable'), key: 'payable', width: 120, align: 'right', render: (_, r) => <strong>{money(r.payableFen)}</strong> },
    {
      title: t('svc.st.feedback'),
      key: 'calls',
      width: 120,
      render: (_, r) => (
        <span style={{ fontSize: 12 }}>
          {r.calls} / {r.sample}
          {r.notGiven > 0 && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {' '}
              · {t('svc.st.notGiven')} {r.notGiven}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { title: t('svc.st.closedAt'), key: 'closedAt', width: 150, responsive: ['xl'], render: (_, r) => shanghaiTime(r.closedAt) },
  ];
  return (
    <div data-testid="svc-settlements-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('svc.st.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('svc.st.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${period}-01`)}
          onChange={(d) => d && setParams({ period: d.format('YYYY-MM') }, { replace: true })}
          style={{ width: phone ? '100%' : 130 }}
          data-testid="svc-settlements-period"
        />
      </div>
      {q.error && <Alert type="error" showIcon message={q.error.message} style={{ marginBottom: 12 }} />}
      {phone ? (
        <List
          data-testid="svc-settlements-cards"
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          renderItem={(r) => (
            <List.Item style={{ padding: '6px 0', border: 'none' }}>
              <Card size="small" style={{ width: '100%' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Link to={link(r)} style={{ fontWeight: 600 }}>
                    {r.providerName}
                  </Link>
                  <SettlementStatusTag status={r.status} />
                </div>
                <Space size={8} wrap style={{ fontSize: 12 }}>
                  <span>
                    {t('svc.st.accepted')} {r.accepted}
                  </span>
                  <span>
                    {t('svc.st.rejected')} {r.rejected}
                  </span>
                  <span>
                    {t('svc.st.held')} {r.held}
                  </span>
                  <strong>{money(r.payableFen)}</strong>
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<SettlementItem>
          size="small"
          rowKey="providerId"
          loading={q.isFetching}
          columns={columns}
          dataSource={q.data?.items ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          data-testid="svc-settlements"
        />
      )}
    </div>
  );
}
