import { Alert, Card, DatePicker, Grid, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { AnomalyActions } from './actions';
import { fetchAnomalies, keys, useProviders, type AnomalyFilters } from './api';
import { AnomalyTrail } from './anomaly-table';
import { AnomalyStatusTag, REASONS, useFigures, useWord } from './labels';
import type { AnomalyView } from './types';

const STATUSES = ['open', 'resolved', 'accepted', 'rejected'] as const;

/**
 * 核验异常: the queue of EVV exceptions — a provider explains the open ones with a resolution code,
 * an officer reviews the explained ones. Each list starts on the viewer's own work: the provider's
 * staff on 待说明, a reviewing officer on 待审核.
 */
export function AnomaliesPage() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  const word = useWord();
  const figures = useFigures();
  const phone = Grid.useBreakpoint().xs === true;
  const providers = useProviders();
  const [params, setParams] = useSearchParams();
  const isProvider = user?.role === 'provider';
  const defaultStatus = can('services.resolve') ? 'open' : can('services.review') ? 'resolved' : 'all';
  const status = params.get('status') ?? defaultStatus;
  const filters: AnomalyFilters = {
    status: status === 'all' ? undefined : status,
    code: params.get('code') ?? undefined,
    providerId: params.get('provider') ? Number(params.get('provider')) : undefined,
    period: params.get('period') ?? undefined,
  };
  const paged = usePaged([...keys.anomalies, filters], (page, pageSize) => fetchAnomalies(filters, page, pageSize));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
  };

  const columns: ColumnsType<AnomalyView> = [
    {
      title: t('svc.an.reason'),
      key: 'code',
      width: 150,
      render: (_, a) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{word('svc.reason', a.code)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {figures(a.detail, a.code)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('svc.col.order'),
      key: 'order',
      width: 160,
      render: (_, a) => (
        <div style={{ lineHeight: 1.3 }}>
          <Link to={`/services/orders/${a.orderId}`} data-testid={`svc-anomaly-order-${a.id}`}>
            #{a.orderId} {a.personName}
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.scheduledOn} · {a.caregiverName ?? t('svc.notAssigned')}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    ...(isProvider ? [] : [{ title: t('svc.provider'), dataIndex: 'providerName', width: 140, ellipsis: true } as const]),
    { title: t('svc.status'), key: 'status', width: 84, render: (_, a) => <AnomalyStatusTag status={a.status} /> },
    { title: t('svc.an.resolution'), key: 'trail', render: (_, a) => <AnomalyTrail a={a} /> },
    { title: '', key: 'actions', width: 76, render: (_, a) => <AnomalyActions anomaly={a} /> },
  ];

  return (
    <div data-testid="svc-anomalies-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('svc.an.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('svc.an.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Select
          value={status}
          onChange={(v: string) => set('status', v)}
          style={{ width: phone ? '100%' : 120 }}
          options={[{ value: 'all', label: t('svc.all') }, ...STATUSES.map((s) => ({ value: s, label: word('svc.an', s) }))]}
          data-testid="svc-anomalies-status"
        />
        <Select
          value={filters.code}
          onChange={(v?: string) => set('code', v)}
          placeholder={t('svc.an.reason')}
          allowClear
          style={{ width: phone ? '100%' : 160 }}
          options={REASONS.map((c) => ({ value: c, label: word('svc.reason', c) }))}
          data-testid="svc-anomalies-code"
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
            data-testid="svc-anomalies-provider"
          />
        )}
        <DatePicker
          picker="month"
          value={filters.period ? dayjs(`${filters.period}-01`) : null}
          onChange={(d) => set('period', d ? d.format('YYYY-MM') : undefined)}
          placeholder={t('svc.period')}
          style={{ width: phone ? '100%' : 130 }}
          data-testid="svc-anomalies-period"
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="svc-anomalies-cards"
          rowKey={(a) => a.id}
          renderCard={(a) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <strong>{word('svc.reason', a.code)}</strong>
                <AnomalyStatusTag status={a.status} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                <Link to={`/services/orders/${a.orderId}`}>
                  #{a.orderId} {a.personName}
                </Link>{' '}
                · {a.scheduledOn} · {figures(a.detail, a.code)}
              </div>
              <AnomalyTrail a={a} />
              <Space style={{ marginTop: 4 }}>
                <AnomalyActions anomaly={a} />
              </Space>
            </Card>
          )}
        />
      ) : (
        <PagedTable<AnomalyView> paged={paged} testId="svc-anomalies" size="small" rowKey={(a) => a.id} columns={columns} scroll={{ x: 760 }} />
      )}
    </div>
  );
}
