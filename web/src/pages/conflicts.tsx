import { useCallback, useEffect, useState } from 'react';
import { Alert, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { get, qs, type Conflict, type Page } from '../api';
import { useI18n } from '../i18n';
import { ConflictActions, SourcedValue } from '../components/conflict-actions';

/** 数据冲突: two departments disagree; an officer decides, nothing is overwritten silently. */
export function ConflictsPage() {
  const { t, pick } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<Page<Conflict>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await get<Page<Conflict>>(`/api/conflicts${qs({ status: 'open', page, pageSize })}`));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const columns: ColumnsType<Conflict> = [
    { title: t('conflict.person'), dataIndex: 'personName', render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('conflict.village'), dataIndex: 'regionName' },
    { title: t('conflict.field'), dataIndex: 'label', render: (_: string, r) => pick(r.label, r.labelEn) },
    { title: t('conflict.current'), key: 'current', render: (_, r) => <SourcedValue value={r.currentValue} source={pick(r.currentSourceLabel, r.currentSourceLabelEn)} asOf={r.currentAsOf} /> },
    { title: t('conflict.incoming'), key: 'incoming', render: (_, r) => <SourcedValue value={r.incomingValue} source={pick(r.incomingSourceLabel, r.incomingSourceLabelEn)} asOf={r.incomingAsOf} /> },
    { title: t('conflict.actions'), key: 'actions', width: 200, render: (_, r) => <ConflictActions id={r.id} onResolved={() => void load()} /> },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.conflicts')}</Typography.Title>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div data-testid="conflicts-table">
        <Table<Conflict>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: 960 }}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p, ps) => { setPage(ps !== pageSize ? 1 : p); setPageSize(ps); },
          }}
        />
      </div>
    </div>
  );
}
