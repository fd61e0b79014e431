import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, List, Modal, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useRegionTree } from '../register/use-regions';
import { useCreateProvider, useProviders, useUpdateProvider } from './api';
import { useWord } from './labels';
import type { CreateProviderBody, ProviderKind, ProviderView } from './types';

const KINDS: ProviderKind[] = ['home_service', 'canteen', 'family_bed', 'mixed'];

/** 新增 / 修改服务商: a new one names its kind and region; an edit changes the name and the contact. */
export function ProviderDialog({ provider, onClose }: { provider: ProviderView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const regions = useRegionTree();
  const [form] = Form.useForm<CreateProviderBody>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateProvider();
  const update = useUpdateProvider();
  const submit = async (v: CreateProviderBody) => {
    setError(null);
    const clean = (s?: string | null) => s?.trim() || undefined;
    try {
      const p = provider
        ? await update.mutateAsync({ id: provider.id, name: v.name.trim(), contactName: clean(v.contactName), contactPhone: clean(v.contactPhone) })
        : await create.mutateAsync({
            name: v.name.trim(),
            kind: v.kind,
            regionCode: v.regionCode,
            creditCode: clean(v.creditCode),
            contactName: clean(v.contactName),
            contactPhone: clean(v.contactPhone),
          });
      message.success(t('svc.pr.done', { name: p.name }));
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open
      title={provider ? provider.name : t('svc.pr.new')}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'svc-provider-ok' }}
      destroyOnHidden
    >
      <Form<CreateProviderBody>
        form={form}
        layout="vertical"
        initialValues={provider ? { name: provider.name, contactName: provider.contactName ?? undefined } : { kind: 'home_service' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="name" label={t('svc.pr.name')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
          <Input maxLength={100} data-testid="svc-provider-name" />
        </Form.Item>
        {!provider && (
          <>
            <Form.Item name="kind" label={t('svc.pr.kind')} rules={[{ required: true, message: t('svc.required') }]}>
              <Select options={KINDS.map((k) => ({ value: k, label: word('svc.pkind', k) }))} data-testid="svc-provider-kind" />
            </Form.Item>
            <Form.Item name="regionCode" label={t('svc.region')} rules={[{ required: true, message: t('svc.required') }]}>
              <TreeSelect treeData={regions} showSearch treeNodeFilterProp="title" data-testid="svc-provider-region" />
            </Form.Item>
            <Form.Item name="creditCode" label={t('svc.pr.creditCode')}>
              <Input maxLength={18} />
            </Form.Item>
          </>
        )}
        <Space size={12} wrap>
          <Form.Item name="contactName" label={t('svc.pr.contact')}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('svc.pr.contactPhone')}>
            <Input maxLength={20} placeholder={provider?.phoneMasked ?? undefined} />
          </Form.Item>
        </Space>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-provider-error" />}
      </Form>
    </Modal>
  );
}

export function ActiveTag({ active }: { active: boolean }) {
  const { t } = useI18n();
  return <Tag color={active ? 'green' : undefined}>{active ? t('svc.pr.active') : t('svc.pr.inactive')}</Tag>;
}

/** 服务商: the providers of the viewer's region (a provider's staff: their own), with their caregivers and clients. */
export function ProvidersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const word = useWord();
  const phone = Grid.useBreakpoint().xs === true;
  const providers = useProviders();
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<ProviderView> = [
    {
      title: t('svc.pr.name'),
      key: 'name',
      render: (_, p) => (
        <Link to={`/services/providers/${p.id}`} data-testid={`svc-provider-${p.id}`}>
          {p.name}
        </Link>
      ),
    },
    { title: t('svc.pr.kind'), key: 'kind', width: 120, render: (_, p) => word('svc.pkind', p.kind) },
    { title: t('svc.region'), dataIndex: 'regionName', width: 130 },
    {
      title: t('svc.pr.contact'),
      key: 'contact',
      width: 170,
      render: (_, p) => [p.contactName, p.phoneMasked].filter(Boolean).join(' · ') || '—',
    },
    { title: t('svc.pr.caregivers'), dataIndex: 'caregivers', width: 80, align: 'right' },
    { title: t('svc.pr.clients'), dataIndex: 'clients', width: 80, align: 'right' },
    { title: t('svc.status'), key: 'active', width: 70, render: (_, p) => <ActiveTag active={p.active} /> },
  ];
  return (
    <div data-testid="svc-providers-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('svc.pr.title')}
        </Typography.Title>
        {can('services.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="svc-new-provider">
            {t('svc.pr.new')}
          </Button>
        )}
      </div>
      {providers.error && <Alert type="error" showIcon message={providers.error.message} style={{ marginBottom: 12 }} />}
      {phone ? (
        <List
          data-testid="svc-providers-cards"
          loading={providers.isFetching}
          dataSource={providers.data ?? []}
          renderItem={(p) => (
            <List.Item style={{ padding: '6px 0', border: 'none' }}>
              <Card size="small" style={{ width: '100%' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Link to={`/services/providers/${p.id}`} style={{ fontWeight: 600 }}>
                    {p.name}
                  </Link>
                  <ActiveTag active={p.active} />
                </div>
                <div style={{ fontSize: 12 }}>
                  {word('svc.pkind', p.kind)} · {p.regionName} · {t('svc.pr.caregivers')} {p.caregivers} · {t('svc.pr.clients')} {p.clients}
                </div>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<ProviderView>
          size="small"
          rowKey="id"
          loading={providers.isFetching}
          columns={columns}
          dataSource={providers.data ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 760 }}
          data-testid="svc-providers"
        />
      )}
      {creating && <ProviderDialog provider={null} onClose={() => setCreating(false)} />}
    </div>
  );
}
