import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Drawer, Form, Grid, Input, InputNumber, Select, Space, TreeSelect, Typography } from 'antd';
import type { Region, UserRow } from '../../shared/api';
import { ApiError } from '../../shared/api';
import { useI18n } from '../../shared/i18n-core';
import { label, roleLabels } from '../../shared/labels';
import { useCreateUser, useScopeRegions, useUpdateUser } from './api';

/** The roles whose users are an organisation's staff (the server's rule; it refuses the others' numbers). */
export const ORGANISATION_ROLES = ['provider', 'caregiver', 'institution_staff'];
const ROLES = Object.keys(roleLabels).filter((r) => r !== 'system');

interface Fields {
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
  organisationId?: number | null;
  password: string;
  confirm: string;
}

interface RegionNode {
  value: string;
  title: string;
  children?: RegionNode[];
}

/** The administrator's regions as a tree for the picker. */
function regionTree(regions: Region[]): RegionNode[] {
  const nodes = new Map(regions.map((r) => [r.code, { value: r.code, title: r.name } as RegionNode]));
  const roots: RegionNode[] = [];
  for (const r of regions) {
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(nodes.get(r.code)!);
    else roots.push(nodes.get(r.code)!);
  }
  return roots;
}

/**
 * The drawer that creates an account (`editing` null) or edits one: name, role, region,
 * organisation for provider and institution staff; a first password when creating. The server
 * decides (scope, policy, duplicates); its refusal is shown as it comes.
 */
export function UserDrawer(props: { open: boolean; editing: UserRow | null; onClose: () => void; onDone: (name: string) => void }) {
  const { t, locale } = useI18n();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Fields>();
  const role = Form.useWatch('role', form);
  const regions = useScopeRegions().data?.regions;
  const tree = useMemo(() => (regions ? regionTree(regions) : []), [regions]);
  const create = useCreateUser();
  const update = useUpdateUser();
  const [error, setError] = useState<string | null>(null);
  const editing = props.editing;

  useEffect(() => {
    if (!props.open) return;
    setError(null);
    form.resetFields();
    if (editing)
      form.setFieldsValue({ displayName: editing.displayName, role: editing.role, regionCode: editing.regionCode, organisationId: editing.organisationId });
  }, [props.open, editing, form]);

  const needsOrganisation = ORGANISATION_ROLES.includes(role ?? '');
  const required = (what: string) => ({ required: true, message: t('login.required', { what }) });

  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    const organisationId = needsOrganisation ? (v.organisationId ?? null) : null;
    try {
      if (editing) {
        await update.mutateAsync({ userId: editing.id, change: { displayName: v.displayName, role: v.role, regionCode: v.regionCode, organisationId } });
      } else {
        await create.mutateAsync({
          username: v.username,
          displayName: v.displayName,
          role: v.role,
          regionCode: v.regionCode,
          organisationId,
          password: v.password,
        });
      }
      props.onDone(v.displayName);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      width={screens.sm ? 480 : '100%'}
      title={editing ? t('users.editTitle', { name: `${editing.displayName} (${editing.username})` }) : t('users.createTitle')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={props.onClose}>{t('account.cancel')}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} data-testid="user-save" onClick={() => void submit().catch(() => undefined)}>
            {t('users.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{editing ? t('users.editNote') : t('users.createNote')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="user-error" />}
      <Form<Fields> form={form} layout="vertical" requiredMark={false}>
        {!editing && (
          <Form.Item name="username" label={t('users.username')} rules={[required(t('users.username'))]}>
            <Input autoComplete="off" data-testid="user-username" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('users.displayName')} rules={[required(t('users.displayName'))]}>
          <Input data-testid="user-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[required(t('users.role'))]}>
          <Select data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: label(roleLabels, r, locale) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('users.region')} rules={[required(t('users.region'))]}>
          <TreeSelect
            data-testid="user-region"
            treeData={tree}
            showSearch
            treeNodeFilterProp="title"
            // the towns shown at once; villages under their town
            treeDefaultExpandedKeys={tree.map((n) => n.value)}
          />
        </Form.Item>
        {needsOrganisation && (
          <Form.Item name="organisationId" label={t('users.organisation')} extra={t('users.organisationHint')} rules={[required(t('users.organisation'))]}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="user-organisation" />
          </Form.Item>
        )}
        {!editing && (
          <>
            <Form.Item name="password" label={t('users.password')} extra={t('account.rules')} rules={[required(t('users.password'))]}>
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('account.confirm')}
              dependencies={['password']}
              rules={[
                required(t('account.confirm')),
                ({ getFieldValue }) => ({
                  validator: (_r, value: string) =>
                    !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="user-confirm" />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
