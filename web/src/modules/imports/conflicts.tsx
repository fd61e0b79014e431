import { Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { get, qs, type Conflict, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { ExportButton } from '../../shared/export-button';
import { useI18n } from '../../shared/i18n-core';
import { ConflictActions, SourcedValue } from './conflict-actions';
import { ConflictsBulk } from './conflicts-bulk';
import { PagedTable, usePaged } from '../../shared/paged';

/** 数据冲突: two departments disagree; an officer decides, nothing is overwritten silently. */
export function ConflictsPage() {
  const { t, pick } = useI18n();
  const { can } = useAuth();
  const paged = usePaged(['conflicts', 'open'], (page, pageSize) => get<Page<Conflict>>(`/api/conflicts${qs({ status: 'open', page, pageSize })}`));

  const columns: ColumnsType<Conflict> = [
    { title: t('conflict.person'), dataIndex: 'personName', render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('conflict.village'), dataIndex: 'regionName' },
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
    { title: t('conflict.actions'), key: 'actions', width: 200, render: (_, r) => <ConflictActions id={r.id} /> },
  ];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.conflicts')}
        </Typography.Title>
        <ExportButton url="/api/conflicts/export?status=open" fileName="conflicts.xlsx" full={can('register.reveal')} testId="conflicts-export" />
      </Space>
      {can('register.resolve_conflict') && <ConflictsBulk />}
      <PagedTable<Conflict> testId="conflicts-table" paged={paged} rowKey="id" size="middle" columns={columns} scroll={{ x: 960 }} />
    </div>
  );
}
