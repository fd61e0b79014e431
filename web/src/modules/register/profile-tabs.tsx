import { Empty, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { AccessEntry, Attribute, Conflict, HistoryEntry } from '../../shared/api';
import { fieldValueLabel } from '../../shared/fact-labels';
import { dash, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { auditActionLabels, label, roleLabels } from '../../shared/labels';
import { ConflictActions, SourcedValue } from '../imports/conflict-actions';

export function AttributesTable({ rows }: { rows: Attribute[] }) {
  const { t, pick, locale } = useI18n();
  const columns: ColumnsType<Attribute> = [
    { title: t('profile.col.field'), dataIndex: 'label', render: (_: string, r) => pick(r.label, r.labelEn) },
    { title: t('profile.col.value'), dataIndex: 'value', render: (v: string | null, r) => dash(fieldValueLabel(r.field, v, locale)) },
    { title: t('profile.col.source'), dataIndex: 'sourceLabel', render: (_: string, r) => pick(r.sourceLabel, r.sourceLabelEn) },
    { title: t('profile.col.asOf'), dataIndex: 'asOf', width: 120 },
  ];
  return (
    <Table<Attribute> rowKey="field" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 560 }} data-testid="profile-attributes" />
  );
}

export function PersonConflicts({ rows, canResolve }: { rows: Conflict[]; canResolve: boolean }) {
  const { t, pick } = useI18n();
  const open = rows.filter((c) => c.status === 'open');
  if (!open.length) return <Empty description={t('profile.noConflicts')} />;
  const columns: ColumnsType<Conflict> = [
    { title: t('conflict.field'), dataIndex: 'label', render: (_: string, r) => pick(r.label, r.labelEn) },
    {
      title: t('conflict.current'),
      key: 'current',
      render: (_, r) => (
        <SourcedValue field={r.field} value={r.currentValue} source={pick(r.currentSourceLabel, r.currentSourceLabelEn)} asOf={r.currentAsOf} />
      ),
    },
    {
      title: t('conflict.incoming'),
      key: 'incoming',
      render: (_, r) => (
        <SourcedValue field={r.field} value={r.incomingValue} source={pick(r.incomingSourceLabel, r.incomingSourceLabelEn)} asOf={r.incomingAsOf} />
      ),
    },
  ];
  if (canResolve) columns.push({ title: t('conflict.actions'), key: 'actions', render: (_, r) => <ConflictActions id={r.id} /> });
  return (
    <Table<Conflict> rowKey="id" size="small" columns={columns} dataSource={open} pagination={false} scroll={{ x: 640 }} data-testid="profile-conflicts" />
  );
}

export function HistoryTable({ rows }: { rows: HistoryEntry[] }) {
  const { t, pick, locale } = useI18n();
  const columns: ColumnsType<HistoryEntry> = [
    { title: t('profile.col.at'), dataIndex: 'at', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('profile.col.field'), dataIndex: 'label', render: (_: string, r) => pick(r.label, r.labelEn) },
    { title: t('profile.col.old'), dataIndex: 'oldValue', render: (v: string | null, r) => dash(fieldValueLabel(r.field, v, locale)) },
    { title: t('profile.col.new'), dataIndex: 'newValue', render: (v: string | null, r) => dash(fieldValueLabel(r.field, v, locale)) },
    { title: t('profile.col.source'), dataIndex: 'sourceLabel', render: (_: string, r) => pick(r.sourceLabel, r.sourceLabelEn) },
    { title: t('profile.col.asOf'), dataIndex: 'asOf', width: 110 },
  ];
  return (
    <Table<HistoryEntry>
      rowKey={(r) => `${r.at}-${r.field}`}
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 720 }}
      data-testid="profile-history"
    />
  );
}

export function AccessLog({ rows, fieldLabel }: { rows: AccessEntry[]; fieldLabel: (field: string) => string }) {
  const { t, locale } = useI18n();
  const columns: ColumnsType<AccessEntry> = [
    { title: t('profile.col.at'), dataIndex: 'at', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('profile.col.actor'), dataIndex: 'actor' },
    { title: t('profile.col.role'), dataIndex: 'role', render: (v: string) => label(roleLabels, v, locale) },
    { title: t('profile.col.action'), dataIndex: 'action', render: (v: string) => label(auditActionLabels, v, locale) },
    { title: t('profile.col.fields'), dataIndex: 'fields', render: (v: string[] | null) => (v?.length ? [...new Set(v.map(fieldLabel))].join('、') : '—') },
  ];
  return (
    <div data-testid="profile-access-log">
      <Table<AccessEntry>
        rowKey="seq"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
      />
    </div>
  );
}
