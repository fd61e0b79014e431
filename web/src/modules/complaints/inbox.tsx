import { useState } from 'react';
import { Alert, Checkbox, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, fetchComplaints, keys, type ComplaintItem, type InboxFilter } from './api';

export function StatusTag({ status }: { status: ComplaintItem['status'] }) {
  const { t } = useI18n();
  const color = { received: 'blue', assigned: 'cyan', investigating: 'gold', replied: 'purple', closed: 'default' }[status];
  return <Tag color={color}>{t(`cp.status.${status}` as MessageKey)}</Tag>;
}

export function OverdueTag({ c }: { c: Pick<ComplaintItem, 'daysOverdue' | 'escalatedOn'> }) {
  const { t } = useI18n();
  if (!c.daysOverdue) return null;
  return (
    <Tag color="red" data-testid="cp-overdue">
      {t('cp.overdue', { n: c.daysOverdue })}
      {c.escalatedOn ? ` · ${t('cp.escalated')}` : ''}
    </Tag>
  );
}

/** A target's kind in words: a facility by its own kind (a day-care centre, a meal point…), a provider as a home-service provider. */
export function targetKindLabel(t: (k: MessageKey) => string, target: Pick<ComplaintItem['target'], 'kind' | 'facilityKind'>): string {
  return target.kind === 'facility' && target.facilityKind ? t(`cp.fkind.${target.facilityKind}`) : t(`cp.kind.${target.kind}`);
}

/** 投诉举报: the complaints whose handling unit is in the viewer's area, filtered by status, overdue, category and target. */
export function InboxPage() {
  const { t } = useI18n();
  const [f, setF] = useState<InboxFilter>({ open: 'true' });
  const paged = usePaged([...keys.list, f], (page, pageSize) => fetchComplaints(f, page, pageSize));
  const columns: ColumnsType<ComplaintItem> = [
    { title: t('cp.col.id'), dataIndex: 'id', width: 70, render: (id: number) => <Link to={`/complaints/${id}`}>{id}</Link> },
    {
      title: t('cp.col.target'),
      key: 'target',
      render: (_, c) => (
        <span>
          {c.target.name} <Typography.Text type="secondary">({targetKindLabel(t, c.target)})</Typography.Text>
        </span>
      ),
    },
    { title: t('cp.col.category'), dataIndex: 'category', width: 130, render: (v: string) => t(`cp.cat.${v}` as MessageKey) },
    {
      title: t('cp.col.status'),
      key: 'status',
      width: 190,
      render: (_, c) => (
        <Space size={2} wrap>
          <StatusTag status={c.status} />
          <OverdueTag c={c} />
        </Space>
      ),
    },
    { title: t('cp.col.unit'), dataIndex: 'unitName', width: 120 },
    { title: t('cp.col.officer'), key: 'officer', width: 110, render: (_, c) => c.officer?.name ?? '—' },
    { title: t('cp.col.received'), dataIndex: 'receivedOn', width: 110 },
    { title: t('cp.col.due'), dataIndex: 'dueOn', width: 110 },
    { title: t('cp.col.source'), dataIndex: 'source', width: 80, render: (v: string) => t(`cp.source.${v}` as MessageKey) },
  ];
  const set = (patch: InboxFilter) => {
    setF((x) => ({ ...x, ...patch }));
    paged.setPage(1);
  };
  return (
    <div data-testid="cp-inbox">
      <Typography.Title level={4}>{t('cp.inbox.title')}</Typography.Title>
      <Alert type="info" showIcon message={t('cp.inbox.intro')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 150 }}
          data-testid="cp-f-status"
          value={f.status ?? (f.open === 'true' ? 'open' : '')}
          onChange={(v: string) => set(v === 'open' ? { open: 'true', status: undefined } : { open: undefined, status: v || undefined })}
          options={[
            { value: 'open', label: t('cp.f.open') },
            { value: '', label: t('cp.f.all') },
            ...COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`cp.status.${s}` as MessageKey) })),
          ]}
        />
        <Select
          style={{ width: 170 }}
          allowClear
          placeholder={t('cp.f.category')}
          value={f.category}
          onChange={(v?: string) => set({ category: v })}
          options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`cp.cat.${c}` as MessageKey) }))}
        />
        <Select
          style={{ width: 170 }}
          allowClear
          placeholder={t('cp.f.target')}
          value={f.targetKind}
          onChange={(v?: string) => set({ targetKind: v })}
          options={(['facility', 'provider', 'other'] as const).map((k) => ({ value: k, label: t(`cp.kind.${k}` as MessageKey) }))}
        />
        <Checkbox data-testid="cp-f-overdue" checked={f.overdue === 'true'} onChange={(e) => set({ overdue: e.target.checked ? 'true' : undefined })}>
          {t('cp.f.overdue')}
        </Checkbox>
      </Space>
      <PagedTable<ComplaintItem> paged={paged} testId="cp-list" size="small" rowKey={(c) => c.id} columns={columns} scroll={{ x: 1000 }} />
    </div>
  );
}
