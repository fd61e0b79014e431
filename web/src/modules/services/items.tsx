import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { ApiError } from '../../shared/api';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useCreateItem, useItems, useUpdateItem } from './api';
import { ActiveTag } from './providers';
import { useMoney, useWord } from './labels';
import type { ItemCategory, ServiceItemView } from './types';

/** The server's refusals that name one field of the dialog. */
const SERVER_FIELDS: Record<string, 'priceYuan' | 'standardMinutes' | undefined> = {
  SERVICE_ITEM_PRICE_RANGE: 'priceYuan',
  SERVICE_ITEM_MINUTES_RANGE: 'standardMinutes',
};

const CATEGORIES: ItemCategory[] = ['meal', 'clean', 'bath', 'walk', 'medical', 'emergency', 'other'];

interface ItemForm {
  code: string;
  category: ItemCategory;
  nameZh: string;
  nameEn: string;
  /** yuan, two decimals: sent as fen */
  priceYuan: number;
  standardMinutes: number;
  active: boolean;
}

/** Yuan typed by an officer → integer fen (12.5 → 1250), never a float's rounding error. */
export const toFen = (yuanValue: number) => Math.round(yuanValue * 100);

/**
 * The bounds the server checks (providers.schema.ts ITEM_PRICE_MIN_FEN … ITEM_MINUTES_MAX; not
 * imported at run time, that file brings zod): a price of 0.01 to 10,000 yuan a visit with at most
 * two decimals, a standard duration of 5 to 720 whole minutes. Checked at the field and never
 * clamped or rounded silently: what is typed is what is sent, or it is refused with the reason.
 */
export const PRICE_MAX_YUAN = 10_000;
export const MINUTES_RANGE = [5, 720] as const;

/** The message key for a price typed in yuan that cannot be sent, or null when it may. */
export function priceProblem(v: unknown): 'svc.it.priceBad' | 'svc.it.priceDecimals' | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > PRICE_MAX_YUAN) return 'svc.it.priceBad';
  return Math.abs(v * 100 - Math.round(v * 100)) > 1e-6 ? 'svc.it.priceDecimals' : null;
}

/** The message key for standard minutes that cannot be sent, or null when they may. */
export function minutesProblem(v: unknown): 'svc.it.minutesBad' | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= MINUTES_RANGE[0] && v <= MINUTES_RANGE[1] ? null : 'svc.it.minutesBad';
}

function ItemDialog({ item, onClose }: { item: ServiceItemView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const [form] = Form.useForm<ItemForm>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateItem();
  const update = useUpdateItem();
  const submit = async (v: ItemForm) => {
    setError(null);
    try {
      const saved = item
        ? await update.mutateAsync({
            id: item.id,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            priceFen: toFen(v.priceYuan),
            standardMinutes: v.standardMinutes,
            active: v.active,
          })
        : await create.mutateAsync({
            code: v.code.trim(),
            category: v.category,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            priceFen: toFen(v.priceYuan),
            standardMinutes: v.standardMinutes,
          });
      message.success(t('svc.it.done', { name: saved.nameZh }));
      onClose();
    } catch (e) {
      // the server's refusal of a field is shown at that field, in its own words
      const field = e instanceof ApiError ? SERVER_FIELDS[e.code] : undefined;
      if (field) form.setFields([{ name: field, errors: [(e as Error).message] }]);
      else setError((e as Error).message);
    }
  };
  const check = (problem: (v: unknown) => MessageKey | null) => ({
    validator: (_: unknown, v: unknown) => {
      if (v === null || v === undefined || v === '') return Promise.resolve();
      const key = problem(v);
      return key
        ? Promise.reject(new Error(t(key, { max: PRICE_MAX_YUAN.toLocaleString('en-US'), min: MINUTES_RANGE[0], top: MINUTES_RANGE[1] })))
        : Promise.resolve();
    },
  });
  return (
    <Modal
      open
      title={item ? `${item.nameZh}（${item.code}）` : t('svc.it.new')}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'svc-item-ok' }}
      destroyOnHidden
    >
      <Form<ItemForm>
        form={form}
        layout="vertical"
        initialValues={item ? { ...item, priceYuan: item.priceFen / 100 } : { category: 'clean', standardMinutes: 60, active: true }}
        onFinish={(v) => void submit(v)}
      >
        {!item && (
          <Space size={12} wrap>
            <Form.Item name="code" label={t('svc.it.code')} rules={[{ required: true, pattern: /^[a-z0-9_-]{2,40}$/, message: t('svc.required') }]}>
              <Input maxLength={40} data-testid="svc-item-code" />
            </Form.Item>
            <Form.Item name="category" label={t('svc.it.category')}>
              <Select style={{ width: 140 }} options={CATEGORIES.map((c) => ({ value: c, label: word('svc.cat', c) }))} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="nameZh" label={t('svc.it.nameZh')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
          <Input maxLength={60} data-testid="svc-item-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('svc.it.nameEn')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
          <Input maxLength={60} data-testid="svc-item-name-en" />
        </Form.Item>
        <Space size={12} wrap>
          {/* no min/max/precision on the inputs: Ant Design would clamp or round what was typed without a word */}
          <Form.Item
            name="priceYuan"
            label={t('svc.it.price')}
            extra={t('svc.it.priceHint')}
            rules={[{ required: true, message: t('svc.required') }, check(priceProblem)]}
            style={{ maxWidth: 260 }}
          >
            <InputNumber step={1} style={{ width: 140 }} data-testid="svc-item-price" />
          </Form.Item>
          <Form.Item
            name="standardMinutes"
            label={t('svc.it.standard')}
            extra={t('svc.it.minutesHint')}
            rules={[{ required: true, message: t('svc.required') }, check(minutesProblem)]}
            style={{ maxWidth: 260 }}
          >
            <InputNumber step={5} style={{ width: 140 }} data-testid="svc-item-minutes" />
          </Form.Item>
          {item && (
            <Form.Item name="active" label={t('svc.it.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Space>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-item-error" />}
      </Form>
    </Modal>
  );
}

/** 服务项目与价格: the jurisdiction's items; officers who manage edit prices (audited on the server). */
export function ItemsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const word = useWord();
  const money = useMoney();
  const items = useItems();
  const [editing, setEditing] = useState<ServiceItemView | 'new' | null>(null);
  const manage = can('services.manage');
  const columns: ColumnsType<ServiceItemView> = [
    { title: t('svc.it.nameZh'), key: 'name', render: (_, i) => `${i.nameZh} / ${i.nameEn}` },
    { title: t('svc.it.category'), key: 'category', width: 90, render: (_, i) => word('svc.cat', i.category) },
    { title: t('svc.it.code'), dataIndex: 'code', width: 120, responsive: ['lg'] },
    {
      title: t('svc.it.price'),
      key: 'price',
      width: 110,
      align: 'right',
      render: (_, i) => <span data-testid={`svc-item-price-${i.id}`}>{money(i.priceFen)}</span>,
    },
    { title: t('svc.it.standard'), key: 'minutes', width: 110, align: 'right', render: (_, i) => t('svc.minutes', { n: i.standardMinutes }) },
    { title: t('svc.status'), key: 'active', width: 70, render: (_, i) => <ActiveTag active={i.active} /> },
    ...(manage
      ? [
          {
            title: '',
            key: 'edit',
            width: 70,
            render: (_: unknown, i: ServiceItemView) => (
              <Button size="small" onClick={() => setEditing(i)} data-testid={`svc-item-edit-${i.id}`}>
                {t('svc.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <div data-testid="svc-items-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('svc.it.title')}
        </Typography.Title>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="svc-new-item">
            {t('svc.it.new')}
          </Button>
        )}
      </div>
      <Alert type="info" showIcon message={t('svc.it.intro')} style={{ marginBottom: 12 }} />
      {items.error && <Alert type="error" showIcon message={items.error.message} style={{ marginBottom: 12 }} />}
      <Table<ServiceItemView>
        size="small"
        rowKey="id"
        loading={items.isFetching}
        columns={columns}
        dataSource={items.data ?? []}
        pagination={false}
        scroll={{ x: 560 }}
        data-testid="svc-items"
      />
      {editing && <ItemDialog item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
