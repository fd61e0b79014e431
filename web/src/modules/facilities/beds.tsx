import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Tooltip } from 'antd';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useAddBeds, useRetireBed } from './api';
import type { AddBedsBody, BedView, FacilityView } from './types';

const TYPE_COLOR = { ordinary: '#8c8c8c', nursing: '#1677ff', dementia: '#722ed1' } as const;

/** The beds grid: one tile a bed, its type by colour, occupied beds filled with the resident's name; add in bulk, retire a free one. */
export function BedsCard({ facility, beds }: { facility: FacilityView; beds: BedView[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<AddBedsBody>();
  const add = useAddBeds(facility.id);
  const retire = useRetireBed(facility.id);
  const operate = can('facilities.operate');
  return (
    <Card
      size="small"
      title={t('fac.beds.title', { beds: facility.beds, occupied: facility.occupied })}
      extra={
        operate && (
          <Button size="small" onClick={() => setAdding(true)} data-testid="fac-beds-add">
            {t('fac.beds.add')}
          </Button>
        )
      }
      style={{ marginBottom: 12 }}
      data-testid="fac-beds"
    >
      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', marginBottom: 8, fontSize: 12 }}>
        {(['ordinary', 'nursing', 'dementia'] as const).map((ty) => (
          <span key={ty}>
            <span style={{ display: 'inline-block', width: 10, height: 10, background: TYPE_COLOR[ty], marginRight: 4 }} />
            {t(`fac.bedType.${ty}`)}
          </span>
        ))}
      </div>
      {beds.length === 0 ? (
        <Empty description={t('fac.beds.empty')} />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(92px, 1fr))', gap: 6 }}>
          {beds.map((b) => {
            const tile = (
              <div
                data-testid={`fac-bed-${b.label}`}
                data-occupied={b.stayId !== null}
                style={{
                  border: `2px solid ${TYPE_COLOR[b.type]}`,
                  background: b.stayId !== null ? TYPE_COLOR[b.type] : '#fff',
                  color: b.stayId !== null ? '#fff' : '#333',
                  borderRadius: 4,
                  padding: '4px 6px',
                  fontSize: 12,
                  minHeight: 44,
                  cursor: operate && b.stayId === null ? 'pointer' : 'default',
                }}
              >
                <div style={{ fontWeight: 600 }}>{b.label}</div>
                <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{b.residentName ?? t('fac.beds.free')}</div>
              </div>
            );
            return operate && b.stayId === null ? (
              <Popconfirm
                key={b.id}
                title={t('fac.beds.retireConfirm', { label: b.label })}
                okText={t('fac.beds.retire')}
                cancelText={t('fac.cancel')}
                onConfirm={() => retire.mutate({ bedId: b.id, on: shanghaiToday() }, { onError: (e) => void message.error(e.message) })}
              >
                {tile}
              </Popconfirm>
            ) : (
              <Tooltip key={b.id} title={`${t(`fac.bedType.${b.type}` as MessageKey)}${b.since ? ` · ${b.since}` : ''}`}>
                {tile}
              </Tooltip>
            );
          })}
        </div>
      )}
      <Modal
        open={adding}
        title={t('fac.beds.add')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText={t('fac.ok')}
        cancelText={t('fac.cancel')}
        confirmLoading={add.isPending}
        destroyOnHidden
      >
        <Form<AddBedsBody>
          form={form}
          layout="vertical"
          initialValues={{ type: 'nursing', count: 10, prefix: '1' }}
          onFinish={(v) =>
            add.mutate(v, {
              onSuccess: (r) => {
                void message.success(t('fac.beds.added', { n: r.added, first: r.labels[0] ?? '', last: r.labels.at(-1) ?? '' }));
                setAdding(false);
              },
            })
          }
        >
          <Form.Item name="type" label={t('fac.beds.type')}>
            <Select options={(['ordinary', 'nursing', 'dementia'] as const).map((ty) => ({ value: ty, label: t(`fac.bedType.${ty}`) }))} />
          </Form.Item>
          <Form.Item name="count" label={t('fac.beds.count')} rules={[{ required: true }]}>
            <InputNumber precision={0} style={{ width: 160 }} data-testid="fac-beds-count" />
          </Form.Item>
          <Form.Item name="prefix" label={t('fac.beds.prefix')} rules={[{ required: true }]}>
            <Input maxLength={20} style={{ width: 160 }} />
          </Form.Item>
        </Form>
        {add.error && <Alert type="error" showIcon message={add.error.message} data-testid="fac-beds-error" />}
      </Modal>
    </Card>
  );
}
