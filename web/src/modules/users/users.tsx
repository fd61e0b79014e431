import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Grid, List, message, Popconfirm, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { UserRow } from '../../shared/api';
import { useResetPassword, useSetUserActive, useUnlockUser, useUsers } from './api';
import { UserDrawer } from './user-form';
import { useAuth } from '../../shared/auth';
import { PasswordDialog } from '../../shared/password-form';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { label, roleLabels } from '../../shared/labels';

const lockedNow = (u: UserRow) => u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();

/**
 * 用户: the accounts of the administrator's region with their role, region, organisation and
 * status; a bureau administrator creates, edits, resets, unlocks, disables and enables them. A
 * table from the tablet up; cards on a phone.
 */
export function UsersPage() {
  const { t, locale } = useI18n();
  const { user, can } = useAuth();
  const screens = Grid.useBreakpoint();
  const users = useUsers();
  const reset = useResetPassword();
  const unlock = useUnlockUser();
  const setActive = useSetUserActive();
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [drawer, setDrawer] = useState<{ editing: UserRow | null } | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const manage = can('users.manage');

  const fail = (e: unknown) => void toast.error(e instanceof Error ? e.message : String(e));

  const status = (u: UserRow) => (
    <Space size={4} wrap>
      {u.active ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.disabled')}</Tag>}
      {lockedNow(u) && <Tag color="red">{t('users.locked', { until: shanghaiTime(u.lockedUntil!) })}</Tag>}
      {u.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
    </Space>
  );

  /** What the administrator may do to an account: not disable nor reset their own (the user menu changes it). */
  const actions = (u: UserRow): ReactNode => {
    if (!manage) return null;
    const self = u.id === user?.id;
    return (
      <Space size={4} wrap>
        <Button size="small" data-testid={`user-edit-${u.username}`} onClick={() => setDrawer({ editing: u })}>
          {t('users.edit')}
        </Button>
        {!self && (
          <Button size="small" data-testid={`reset-password-${u.username}`} onClick={() => setResetting(u)}>
            {t('account.reset')}
          </Button>
        )}
        {lockedNow(u) && (
          <Button
            size="small"
            data-testid={`user-unlock-${u.username}`}
            loading={unlock.isPending && unlock.variables === u.id}
            onClick={() => unlock.mutateAsync(u.id).then(() => void toast.success(t('users.unlocked', { name: u.displayName })), fail)}
          >
            {t('users.unlock')}
          </Button>
        )}
        {!self &&
          (u.active ? (
            <Popconfirm
              title={t('users.disableConfirm', { name: u.displayName })}
              okText={t('users.disable')}
              cancelText={t('account.cancel')}
              okButtonProps={{ danger: true, 'data-testid': 'user-disable-confirm' } as ButtonProps}
              onConfirm={() =>
                setActive.mutateAsync({ userId: u.id, active: false }).then(() => void toast.success(t('users.disabledDone', { name: u.displayName })), fail)
              }
            >
              <Button size="small" danger data-testid={`user-disable-${u.username}`}>
                {t('users.disable')}
              </Button>
            </Popconfirm>
          ) : (
            <Button
              size="small"
              data-testid={`user-enable-${u.username}`}
              onClick={() =>
                setActive.mutateAsync({ userId: u.id, active: true }).then(() => void toast.success(t('users.enabledDone', { name: u.displayName })), fail)
              }
            >
              {t('users.enable')}
            </Button>
          ))}
        {self && <Tag>{t('users.self')}</Tag>}
      </Space>
    );
  };

  // at 1024 px the content is about 780 px wide: name and username share a column and the
  // actions stay fixed on the right while the rest scrolls
  const columns: ColumnsType<UserRow> = [
    {
      title: t('users.displayName'),
      key: 'user',
      width: 150,
      render: (_: unknown, u: UserRow) => (
        <>
          <div>{u.displayName}</div>
          <Typography.Text type="secondary">{u.username}</Typography.Text>
        </>
      ),
    },
    { title: t('users.role'), dataIndex: 'role', width: 120, render: (v: string) => label(roleLabels, v, locale) },
    { title: t('users.region'), dataIndex: 'regionName', width: 110 },
    { title: t('users.organisation'), dataIndex: 'organisationId', width: 90, render: (v: number | null) => v ?? '—' },
    { title: t('users.status'), key: 'status', width: 160, render: (_: unknown, u: UserRow) => status(u) },
    ...(manage ? [{ title: t('account.actions'), key: 'actions', width: 230, fixed: 'right' as const, render: (_: unknown, u: UserRow) => actions(u) }] : []),
  ];
  const rows = users.data?.items ?? [];

  return (
    <div>
      {toastHolder}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.users')}
        </Typography.Title>
        {manage && (
          <Button type="primary" data-testid="users-create" onClick={() => setDrawer({ editing: null })}>
            {t('users.create')}
          </Button>
        )}
      </Space>
      {users.error && <Alert type="error" showIcon message={users.error.message} style={{ marginBottom: 16 }} />}
      <div data-testid="users-table">
        {screens.md === false ? (
          <List<UserRow>
            loading={users.isFetching}
            dataSource={rows}
            rowKey="id"
            renderItem={(u) => (
              <Card size="small" style={{ marginBottom: 8 }} data-testid={`user-card-${u.username}`}>
                <Typography.Text strong>{u.displayName}</Typography.Text> <Typography.Text type="secondary">{u.username}</Typography.Text>
                <div>
                  {label(roleLabels, u.role, locale)} · {u.regionName}
                  {u.organisationId !== null && ` · ${t('users.organisation')} ${u.organisationId}`}
                </div>
                <div style={{ margin: '6px 0' }}>{status(u)}</div>
                {actions(u)}
              </Card>
            )}
          />
        ) : (
          <Table<UserRow>
            rowKey="id"
            size="middle"
            loading={users.isFetching}
            columns={columns}
            dataSource={rows}
            scroll={{ x: 860 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
          />
        )}
      </div>
      <UserDrawer
        open={drawer !== null}
        editing={drawer?.editing ?? null}
        onClose={() => setDrawer(null)}
        onDone={(name) => {
          const wasNew = drawer?.editing === null;
          setDrawer(null);
          void toast.success(t(wasNew ? 'users.created' : 'users.saved', { name }));
        }}
      />
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
