import { useState } from 'react';
import { Alert, Button, message, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { UserRow } from '../../shared/api';
import { useResetPassword, useUsers } from './api';
import { useAuth } from '../../shared/auth';
import { PasswordDialog } from '../../shared/password-form';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { label, roleLabels } from '../../shared/labels';

export function UsersPage() {
  const { t, locale } = useI18n();
  const { user, can } = useAuth();
  const users = useUsers();
  const reset = useResetPassword();
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [toast, toastHolder] = message.useMessage();

  const manage = can('users.manage');
  const columns: ColumnsType<UserRow> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.role'), dataIndex: 'role', render: (v: string) => label(roleLabels, v, locale) },
    { title: t('users.region'), dataIndex: 'regionName' },
    { title: t('users.active'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.yes' : 'common.no')}</Tag> },
    {
      title: t('users.lockedUntil'),
      dataIndex: 'lockedUntil',
      render: (v: string | null) => (v && new Date(v).getTime() > Date.now() ? <Tag color="red">{shanghaiTime(v)}</Tag> : '—'),
    },
    // an administrator resets others' passwords; their own is changed from the user menu
    ...(manage
      ? [
          {
            title: t('account.actions'),
            key: 'actions',
            render: (_: unknown, row: UserRow) =>
              row.id === user?.id ? null : (
                <Button size="small" data-testid={`reset-password-${row.username}`} onClick={() => setResetting(row)}>
                  {t('account.reset')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <div>
      {toastHolder}
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.users')}
      </Typography.Title>
      {users.error && <Alert type="error" showIcon message={users.error.message} style={{ marginBottom: 16 }} />}
      <div data-testid="users-table">
        <Table<UserRow>
          rowKey="id"
          size="middle"
          loading={users.isFetching}
          columns={columns}
          dataSource={users.data?.items ?? []}
          scroll={{ x: 720 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
        />
      </div>
      <PasswordDialog
        open={resetting !== null}
        title={t('account.resetTitle', { name: resetting ? `${resetting.displayName} (${resetting.username})` : '' })}
        note={t('account.resetNote')}
        askCurrent={false}
        onClose={() => setResetting(null)}
        onSubmit={async (v) => {
          const target = resetting!;
          await reset.mutateAsync({ userId: target.id, newPassword: v.newPassword });
          setResetting(null);
          void toast.success(t('account.resetDone', { name: target.displayName }));
        }}
      />
    </div>
  );
}
