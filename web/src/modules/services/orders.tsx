import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Grid, Select, Space, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { currentPeriod } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { OrderActions } from './actions';
import { fetchOrders, keys, useProviders, type OrderFilters } from './api';
import { CreateOrderDialog } from './create-order';
import { OrderStatusTag, ReasonTag, useMoney, useWord } from './labels';
import type { OrderItem } from './types';

export const ORDER_STATUSES = ['created', 'assigned', 'checked_in', 'checked_out', 'rated', 'cancelled'] as const;

/** The order's money in one cell: price, and the split when the elder pays part. */
function Money({ o }: { o: OrderItem }) {
  const money = useMoney();
  const { t } = useI18n();
  return (
    <div style={{ lineHeight: 1.3 }} data-testid={`svc-order-money-${o.id}`}>
      <div>{money(o.priceFen)}</div>
      {o.selfPaidFen > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('svc.col.selfPaid')} {money(o.selfPaidFen)}
        </Typography.Text>
      )}
    </div>
  );
}

/**
 * 服务工单: the orders of a month in the viewer's scope (a provider's staff: their own), filtered by
 * status, provider and region; create, assign, cancel and rate from here.
 */
export function OrdersPage() {
  const { t, pick } = useI18n();
  const { can, user } = useAuth();
  const word = useWord();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const providers = useProviders();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const isProvider = user?.role === 'provider';
  const filters: OrderFilters = {
    period: params.get('period') ?? currentPeriod(),
    status: params.get('status') ?? undefined,
    providerId: params.get('provider') ? Number(params.get('provider')) : undefined,
    regionCode: params.get('region') ?? undefined,
  };
  const paged = usePaged([...keys.orders, filters], (page, pageSize) => fetchOrders(filters, page, pageSize));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
  };
  const itemName = (o: OrderItem) => pick(o.itemNameZh, o.itemNameEn);

  const columns: ColumnsType<OrderItem> = [
    {
      title: t('svc.col.order'),
      key: 'id',
      width: 64,
      render: (_, o) => (
        <Link to={`/services/orders/${o.id}`} data-testid={`svc-order-${o.id}`}>
          #{o.id}
        </Link>
      ),
    },
    {
      title: t('svc.col.person'),
      key: 'person',
      width: 130,
      render: (_, o) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{o.personName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.regionName}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('svc.col.item'),
      key: 'item',
      width: 140,
      render: (_, o) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>
            {itemName(o)} · {t('svc.minutes', { n: o.orderedMinutes })}
          </div>
          {!isProvider && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: o.providerName }}>
              {o.providerName}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      // the date, and who goes (at a tablet's width one column, not two)
      title: t('svc.col.scheduled'),
      key: 'scheduled',
      width: 100,
      render: (_, o) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{o.scheduledOn}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`svc-order-caregiver-${o.id}`}>
            {o.caregiverName ?? t('svc.notAssigned')}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('svc.status'), key: 'status', width: 84, render: (_, o) => <OrderStatusTag status={o.status} /> },
    { title: t('svc.col.price'), key: 'money', width: 96, align: 'right', render: (_, o) => <Money o={o} /> },
    {
      title: t('svc.col.anomalies'),
      key: 'anomalies',
      width: 110,
      render: (_, o) => (
        <Space size={2} wrap>
          {o.openAnomalies.map((c) => (
            <ReasonTag key={c} code={c} testId={`svc-order-${o.id}-anomaly-${c}`} />
          ))}
        </Space>
      ),
    },
    { title: t('svc.col.actions'), key: 'actions', width: 120, render: (_, o) => <OrderActions order={o} /> },
  ];

  return (
    <div data-testid="svc-orders-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('svc.orders.title')}
        </Typography.Title>
        {can('services.order') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="svc-new-order">
            {t('svc.orders.new')}
          </Button>
        )}
      </div>
      {!phone && <Alert type="info" showIcon message={t('svc.orders.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${filters.period}-01`)}
          onChange={(d) => set('period', d ? d.format('YYYY-MM') : undefined)}
          style={{ width: phone ? '100%' : 130 }}
          data-testid="svc-orders-period"
        />
        <Select
          value={filters.status}
          onChange={(v?: string) => set('status', v)}
          placeholder={t('svc.status')}
          allowClear
          style={{ width: phone ? '100%' : 130 }}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: word('svc.status', s) }))}
          data-testid="svc-orders-status"
        />
        {!isProvider && (
          <Select
            value={filters.providerId}
            onChange={(v?: number) => set('provider', v ? String(v) : undefined)}
            placeholder={t('svc.provider')}
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: phone ? '100%' : 200 }}
            options={(providers.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            data-testid="svc-orders-provider"
          />
        )}
        {!isProvider && (
          <TreeSelect
            treeData={regions}
            value={filters.regionCode}
            onChange={(v?: string) => set('region', v)}
            placeholder={t('svc.region')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: phone ? '100%' : 200 }}
            data-testid="svc-orders-region"
          />
        )}
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="svc-orders-cards"
          rowKey={(o) => o.id}
          renderCard={(o) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/services/orders/${o.id}`} style={{ fontWeight: 600 }}>
                  #{o.id} {o.personName}
                </Link>
                <OrderStatusTag status={o.status} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {o.scheduledOn} · {itemName(o)} · {t('svc.minutes', { n: o.orderedMinutes })} · {o.caregiverName ?? t('svc.notAssigned')}
              </div>
              <Space size={2} wrap>
                {o.openAnomalies.map((c) => (
                  <ReasonTag key={c} code={c} />
                ))}
              </Space>
              <div style={{ marginTop: 4 }}>
                <OrderActions order={o} />
              </div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<OrderItem> paged={paged} testId="svc-orders" size="small" rowKey={(o) => o.id} columns={columns} scroll={{ x: 840 }} />
      )}
      <CreateOrderDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
