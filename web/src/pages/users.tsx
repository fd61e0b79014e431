import { useEffect, useState } from 'react';
import { Alert, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { get, type UserRow } from '../api';
import { shanghaiTime } from '../format';
import { useI18n } from '../i18n';
import { label, roleLabels } from '../labels';

export function UsersPage() {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<UserRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<{ items: UserRow[] }>('/api/users')
      .then((r) => setItems(r.items))
      .catch((e: Error) => setError(e.message))
      .finally(() => setLoading(false));
  }, []);

  const columns: ColumnsType<UserRow> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.role'), dataIndex: 'role', render: (v: string) => label(roleLabels, v, locale) },
    { title: t('users.region'), dataIndex: 'regionName' },
    { title: t('users.active'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.yes' : 'common.no')}</Tag> },
    {
      title: t('users.lockedUntil'), dataIndex: 'lockedUntil',
      render: (v: string | null) => (v && new Date(v).getTime() > Date.now() ? <Tag color="red">{shanghaiTime(v)}</Tag> : '—'),
    },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.users')}</Typography.Title>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div data-testid="users-table">
        <Table<UserRow> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={items} scroll={{ x: 720 }} pagination={{ pageSize: 50, hideOnSinglePage: true }} />
      </div>
    </div>
  );
}
