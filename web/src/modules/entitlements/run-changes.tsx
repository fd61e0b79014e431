import { useState } from 'react';
import { App, Checkbox, Form, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { get, qs, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import type { Change, ChangeKind, RunDetail } from './types';
import { useI18n } from '../../shared/i18n-core';
import { PersonStatusTag } from '../../shared/tags';
import { ChangeKindTag } from '../../shared/ent-tags';
import { missingLabels } from './explanation';
import { PagedTable, usePaged } from '../../shared/paged';
import { useMarkChangeHandled } from './api';

interface Filters {
  kind?: ChangeKind;
  itemId?: string;
  handled?: 'true' | 'false';
}

/** 已跟进 of one change: the run's change list and counts refresh after it (useMarkChangeHandled). */
function HandledBox({ runId, change }: { runId: number; change: Change }) {
  const { message } = App.useApp();
  const handled = useMarkChangeHandled(runId);
  const [checked, setChecked] = useState(change.handled);
  return (
    <Checkbox
      checked={checked}
      disabled={handled.isPending}
      data-testid={`change-handled-${change.id}`}
      onChange={(e) => {
        const next = e.target.checked;
        handled.mutate(
          { changeId: change.id, handled: next },
          {
            onSuccess: () => setChecked(next),
            onError: (err) => void message.error(err.message),
          },
        );
      }}
    />
  );
}

/** 变动清单: who became eligible, who stopped, whose amount changed; officers tick what they followed up. */
export function RunChanges({ detail }: { detail: RunDetail }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({});
  const runId = detail.run.id;
  const paged = usePaged(['runs', runId, 'changes', { kind: filters.kind, itemId: filters.itemId, handled: filters.handled }], (page, pageSize) =>
    get<Page<Change>>(`/api/runs/${runId}/changes${qs({ ...filters, page, pageSize })}`),
  );
  const canHandle = can('entitlements.handle_change');
  const counts = detail.changeCounts;

  const columns: ColumnsType<Change> = [
    { title: t('change.col.name'), dataIndex: 'name', width: 90, render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('change.col.id'), dataIndex: 'idMasked', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('change.col.town'), dataIndex: 'townName', width: 100 },
    { title: t('change.col.village'), dataIndex: 'regionName', width: 110 },
    { title: t('change.item'), dataIndex: 'itemName', width: 150 },
    {
      title: t('change.col.change'),
      key: 'change',
      width: 260,
      render: (_, r) => (
        <Space size={4} wrap>
          <ChangeKindTag kind={r.kind} />
          {r.kind === 'new' && <span>{r.to}</span>}
          {r.kind === 'ended' && (
            <Typography.Text delete type="secondary">
              {r.from}
            </Typography.Text>
          )}
          {r.kind === 'amount' && (
            <span>
              {r.from} → {r.to}
            </span>
          )}
          {r.kind === 'verify' && <Typography.Text type="warning">{t('change.verify', { facts: missingLabels(r.missing ?? [], locale) })}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('change.col.status'),
      key: 'status',
      width: 150,
      render: (_, r) => (
        <Space size={2} direction="vertical">
          <PersonStatusTag status={r.status} />
          {r.closedOn && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('change.closedOn', { date: r.closedOn })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('change.col.handled'),
      dataIndex: 'handled',
      width: 80,
      fixed: 'right',
      render: (v: boolean, r) =>
        canHandle ? (
          <HandledBox key={`${r.id}-${String(v)}`} runId={runId} change={r} />
        ) : (
          <Tag color={v ? 'green' : 'default'}>{t(v ? 'change.handled.true' : 'change.handled.false')}</Tag>
        ),
    },
  ];

  return (
    <div>
      {counts.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="change-counts">
          {counts.map((c) => (
            <Tag key={c.kind} color={c.kind === 'new' ? 'green' : c.kind === 'ended' ? 'red' : c.kind === 'verify' ? 'gold' : 'orange'}>
              {t('change.count', { label: t(`change.kind.${c.kind}`), n: c.n, handled: c.handled })}
            </Tag>
          ))}
        </Space>
      )}
      <Form<Filters>
        layout="inline"
        onValuesChange={(_, all) => {
          setFilters(all);
          paged.setPage(1);
        }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('change.kind')}
            style={{ width: 130 }}
            data-testid="changes-kind"
            options={(['new', 'ended', 'amount', 'verify'] as const).map((k) => ({ value: k, label: t(`change.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="itemId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('change.item')}
            style={{ width: 200 }}
            data-testid="changes-item"
            options={detail.items.filter((i) => i.when === 'monthly').map((i) => ({ value: i.id, label: `${i.no}. ${i.name}` }))}
          />
        </Form.Item>
        <Form.Item name="handled">
          <Select
            allowClear
            placeholder={t('change.handled')}
            style={{ width: 120 }}
            data-testid="changes-handled"
            options={[
              { value: 'false', label: t('change.handled.false') },
              { value: 'true', label: t('change.handled.true') },
            ]}
          />
        </Form.Item>
      </Form>
      <PagedTable<Change>
        testId="changes-table"
        paged={paged}
        rowKey="id"
        size="small"
        columns={columns}
        scroll={{ x: 1200 }}
        locale={{ emptyText: detail.run.previousRunId ? undefined : t('run.noChanges') }}
      />
    </div>
  );
}
