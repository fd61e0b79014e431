import { useState } from 'react';
import { Alert, App, Button, type ButtonProps, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type Locale } from '../../shared/i18n-core';
import { useCreateVendor, useDisableVendor, useRotateVendor, useVendors } from './api';
import { showServerError } from './form-errors';
import { en, zh } from './messages';
import type { VendorSecretView, VendorView } from './types';

/**
 * The secret, once: shown in this dialog with a copy button and a warning that it is not shown
 * again; it lives only in this component's state and is gone when the dialog closes.
 */
export function SecretDialog({ vendor, onClose }: { vendor: VendorSecretView; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open
      title={t('ad.sec.title', { name: vendor.name })}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="ad-secret-done">
          {t('ad.sec.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon message={t('ad.sec.warning')} style={{ marginBottom: 12 }} data-testid="ad-secret-warning" />
      <Typography.Paragraph>
        {t('ad.keyId')}:{' '}
        <Typography.Text code copyable>
          {vendor.keyId}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('ad.secret')}:{' '}
        <Typography.Text code copyable={{ tooltips: [t('ad.sec.copy'), t('ad.sec.copied')] }} data-testid="ad-secret" style={{ wordBreak: 'break-all' }}>
          {vendor.secret}
        </Typography.Text>
      </Typography.Paragraph>
    </Modal>
  );
}

/** How a vendor's developers sign a request: headers, the string signed, an example with curl; zh or en. */
export function SigningRecipe() {
  const { locale } = useI18n();
  const [lang, setLang] = useState<Locale>(locale);
  const m = lang === 'en' ? en : zh;
  const curl = [
    'BODY=\'{"events":[{"id":"m-0001","serial":"SN-0001","kind":"sos","at":"2026-11-30T13:00:00Z"}]}\'',
    'TS=$(date +%s)',
    'NONCE=$(openssl rand -hex 16)',
    'SIG=$(printf \'%s\\n%s\\n%s\' "$TS" "$NONCE" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed \'s/^.* //\')',
    'curl -sS -X POST https://<host>/api/alarms/ingest \\',
    '  -H "content-type: application/json" \\',
    '  -H "x-yiyang-key: $KEY_ID" \\',
    '  -H "x-yiyang-timestamp: $TS" \\',
    '  -H "x-yiyang-nonce: $NONCE" \\',
    '  -H "x-yiyang-signature: $SIG" \\',
    '  --data "$BODY"',
  ].join('\n');
  return (
    <Card
      size="small"
      title={m['ad.recipe.title']}
      extra={
        <Segmented<Locale>
          size="small"
          value={lang}
          onChange={setLang}
          options={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
          data-testid="ad-recipe-lang"
        />
      }
      data-testid="ad-recipe"
    >
      <Typography.Paragraph>{m['ad.recipe.intro']}</Typography.Paragraph>
      <ul style={{ paddingInlineStart: 20 }}>
        <li>
          <Typography.Text code>x-yiyang-key</Typography.Text> {m['ad.recipe.key']}
        </li>
        <li>
          <Typography.Text code>x-yiyang-timestamp</Typography.Text> {m['ad.recipe.timestamp']}
        </li>
        <li>
          <Typography.Text code>x-yiyang-nonce</Typography.Text> {m['ad.recipe.nonce']}
        </li>
        <li>
          <Typography.Text code>x-yiyang-signature</Typography.Text> {m['ad.recipe.signature']}
        </li>
      </ul>
      <Typography.Paragraph>{m['ad.recipe.signed']}</Typography.Paragraph>
      <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#f5f5f5', padding: 8 }}>{'${timestamp}\\n${nonce}\\n${rawBody}'}</pre>
      <Typography.Paragraph>{m['ad.recipe.answer']}</Typography.Paragraph>
      <Typography.Paragraph strong>{m['ad.recipe.example']}</Typography.Paragraph>
      <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#f5f5f5', padding: 8, fontSize: 12 }} data-testid="ad-recipe-curl">
        {curl}
      </pre>
    </Card>
  );
}

/** 厂商平台: vendors' keys for the signed HTTP ingest: create (the secret shown once), rotate, disable. */
export function VendorsPage() {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const vendors = useVendors();
  const create = useCreateVendor();
  const rotate = useRotateVendor();
  const disable = useDisableVendor();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<VendorSecretView | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { name: string }) => {
    setError(null);
    try {
      const made = await create.mutateAsync(v.name.trim());
      setCreating(false);
      form.resetFields();
      setSecret(made);
    } catch (e) {
      setError(showServerError(form, e, ['name'], { ALARM_VENDOR_NAME_TAKEN: 'name' }));
    }
  };
  const askRotate = (v: VendorView) =>
    modal.confirm({
      title: t('ad.rotate.title', { name: v.name }),
      content: t('ad.rotate.body'),
      okText: t('ad.rotate'),
      okButtonProps: { danger: true, 'data-testid': 'ad-rotate-ok' } as ButtonProps,
      cancelText: t('ad.cancel'),
      onOk: async () => {
        try {
          setSecret(await rotate.mutateAsync(v.id));
        } catch (e) {
          message.error((e as Error).message);
        }
      },
    });
  const askDisable = (v: VendorView) =>
    modal.confirm({
      title: t('ad.disable.title', { name: v.name }),
      content: t('ad.disable.body'),
      okText: t('ad.disable'),
      okButtonProps: { danger: true, 'data-testid': 'ad-disable-ok' } as ButtonProps,
      cancelText: t('ad.cancel'),
      onOk: async () => {
        try {
          await disable.mutateAsync(v.id);
          message.success(t('ad.disable.done', { name: v.name }));
        } catch (e) {
          message.error((e as Error).message);
        }
      },
    });
  const columns: ColumnsType<VendorView> = [
    { title: t('ad.vendorName'), dataIndex: 'name', key: 'name', width: 180 },
    { title: t('ad.keyId'), key: 'key', width: 200, render: (_, v) => <Typography.Text code>{v.keyId}</Typography.Text> },
    {
      title: t('ad.state'),
      key: 'active',
      width: 90,
      render: (_, v) => (v.active ? <Tag color="green">{t('ad.active')}</Tag> : <Tag>{t('ad.disabled')}</Tag>),
    },
    { title: t('ad.createdAt'), key: 'at', width: 150, render: (_, v) => shanghaiTime(v.createdAt) },
    {
      title: t('ad.actions'),
      key: 'actions',
      width: 150,
      render: (_, v) =>
        v.active ? (
          <Space size={4} wrap>
            <Button size="small" onClick={() => askRotate(v)} data-testid={`ad-rotate-${v.id}`}>
              {t('ad.rotate')}
            </Button>
            <Button size="small" danger onClick={() => askDisable(v)} data-testid={`ad-disable-${v.id}`}>
              {t('ad.disable')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <div data-testid="ad-vendors-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.adVendors')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ad-vendor-new">
          {t('ad.vendorNew')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('ad.vendorsIntro')}</Typography.Paragraph>
      {vendors.error && <Alert type="error" showIcon message={vendors.error.message} style={{ marginBottom: 12 }} />}
      <Table<VendorView>
        size="small"
        rowKey="id"
        loading={vendors.isFetching}
        dataSource={vendors.data ?? []}
        columns={columns}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 720 }}
        data-testid="ad-vendors"
        style={{ marginBottom: 16 }}
      />
      <SigningRecipe />
      <Modal
        open={creating}
        title={t('ad.vendorNew')}
        okText={t('ad.create')}
        cancelText={t('ad.cancel')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'ad-vendor-ok' }}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          <Form.Item
            name="name"
            label={t('ad.vendorName')}
            rules={[
              { required: true, whitespace: true, message: t('ad.required', { field: t('ad.vendorName') }) },
              { min: 2, message: t('ad.tooShort', { n: 2 }) },
              { max: 80, message: t('ad.tooLong', { n: 80 }) },
            ]}
          >
            <Input data-testid="ad-vendor-name" />
          </Form.Item>
        </Form>
      </Modal>
      {secret && <SecretDialog vendor={secret} onClose={() => setSecret(null)} />}
    </div>
  );
}
