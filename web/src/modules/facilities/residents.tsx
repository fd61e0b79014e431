import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { shanghaiToday } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useAdmit, useEndStay, useFacilities, useFacility, usePersonSearch, useResidents, useTransfer } from './api';
import type { BedView, FacilityView, ResidentView } from './types';

type Act = { kind: 'admit' } | { kind: 'transfer' | 'discharge' | 'death'; stay: ResidentView };

/** A register person found by name or full ID number (the register's search: audited, in scope). */
function PersonPicker({ value, onChange }: { value?: number; onChange?: (id: number | undefined) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = usePersonSearch(q);
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      placeholder={t('fac.res.person')}
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      onChange={(id) => onChange?.(id)}
      options={(found.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.idMasked} · ${p.regionName}` }))}
      style={{ width: '100%' }}
      data-testid="fac-res-person"
    />
  );
}

/** The residents now, with bed, date and assessed level; admit, transfer, discharge, death — each dated. */
export function ResidentsCard({ facility, beds }: { facility: FacilityView; beds: BedView[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const residents = useResidents(facility.id, true);
  const [act, setAct] = useState<Act | null>(null);
  const [form] = Form.useForm<{ personId?: number; bedId?: number; facilityId?: number; on: string; note?: string }>();
  const targetId = Form.useWatch('facilityId', form) ?? facility.id;
  const others = useFacilities({});
  const admit = useAdmit(facility.id);
  const transfer = useTransfer(facility.id);
  const end = useEndStay(facility.id);
  const busy = admit.isPending || transfer.isPending || end.isPending;
  const error = admit.error ?? transfer.error ?? end.error;
  const free = beds.filter((b) => b.stayId === null);
  const columns: ColumnsType<ResidentView> = [
    { title: t('fac.res.name'), key: 'name', width: 120, render: (_, r) => r.name },
    { title: t('fac.res.bed'), dataIndex: 'bedLabel', width: 80 },
    { title: t('fac.res.since'), dataIndex: 'since', width: 110 },
    {
      title: t('fac.res.level'),
      key: 'level',
      render: (_, r) => (
        <Space size={4} wrap>
          <span>{t(`fac.level.${r.disablement}` as MessageKey)}</span>
          {!r.assessed && <span style={{ color: '#999' }}>{t('fac.res.unassessed')}</span>}
          {r.tekun && <Tag>{t('fac.res.tekun')}</Tag>}
        </Space>
      ),
    },
    {
      title: '',
      key: 'act',
      width: 200,
      render: (_, r) => (
        <Space size={0} wrap>
          <Button size="small" type="link" onClick={() => setAct({ kind: 'transfer', stay: r })}>
            {t('fac.res.transfer')}
          </Button>
          <Button size="small" type="link" onClick={() => setAct({ kind: 'discharge', stay: r })}>
            {t('fac.res.discharge')}
          </Button>
          <Button size="small" type="link" danger onClick={() => setAct({ kind: 'death', stay: r })}>
            {t('fac.res.death')}
          </Button>
        </Space>
      ),
    },
  ];
  const done = () => {
    void message.success(t('fac.res.done'));
    setAct(null);
  };
  const submit = (v: { personId?: number; bedId?: number; facilityId?: number; on: string; note?: string }) => {
    if (!act) return;
    if (act.kind === 'admit') admit.mutate({ personId: v.personId!, bedId: v.bedId!, on: v.on }, { onSuccess: done });
    else if (act.kind === 'transfer')
      transfer.mutate({ stayId: act.stay.stayId, body: { facilityId: v.facilityId ?? facility.id, bedId: v.bedId!, on: v.on } }, { onSuccess: done });
    else end.mutate({ stayId: act.stay.stayId, how: act.kind, body: { on: v.on, note: v.note || undefined } }, { onSuccess: done });
  };
  // a transfer to another facility picks among its free beds
  const target = useFacility(targetId);
  const targetBeds = targetId === facility.id ? free : (target.data?.beds ?? []).filter((b) => b.stayId === null);
  return (
    <Card
      size="small"
      title={t('fac.res.title')}
      style={{ marginBottom: 12 }}
      data-testid="fac-residents"
      extra={
        <Button size="small" onClick={() => setAct({ kind: 'admit' })} disabled={free.length === 0} data-testid="fac-res-admit">
          {t('fac.res.admit')}
        </Button>
      }
    >
      {residents.error && <Alert type="error" showIcon message={residents.error.message} />}
      <Table<ResidentView>
        size="small"
        rowKey="stayId"
        loading={residents.isFetching}
        dataSource={residents.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 560 }}
      />
      <Modal
        open={act !== null}
        title={act ? (act.kind === 'admit' ? t('fac.res.admit') : `${t(`fac.res.${act.kind}`)} · ${act.stay.name}`) : ''}
        onCancel={() => setAct(null)}
        onOk={() => form.submit()}
        okText={t('fac.ok')}
        cancelText={t('fac.cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ on: shanghaiToday(), facilityId: facility.id }} onFinish={submit}>
          {act?.kind === 'admit' && (
            <>
              <Alert type="info" message={t('fac.res.pauseNote')} style={{ marginBottom: 12 }} />
              <Form.Item name="personId" label={t('fac.res.person')} rules={[{ required: true }]}>
                <PersonPicker />
              </Form.Item>
            </>
          )}
          {act?.kind === 'transfer' && (
            <Form.Item name="facilityId" label={t('fac.res.transferTo')}>
              <Select
                options={(others.data?.items ?? []).filter((f) => f.active && f.beds > f.occupied).map((f) => ({ value: f.id, label: f.name }))}
                onChange={() => form.setFieldValue('bedId', undefined)}
              />
            </Form.Item>
          )}
          {(act?.kind === 'admit' || act?.kind === 'transfer') && (
            <Form.Item name="bedId" label={t('fac.res.bed')} rules={[{ required: true }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={targetBeds.map((b) => ({ value: b.id, label: `${b.label} · ${t(`fac.bedType.${b.type}` as MessageKey)}` }))}
                data-testid="fac-res-bed"
              />
            </Form.Item>
          )}
          <Form.Item name="on" label={t('fac.res.on')} rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
          {(act?.kind === 'discharge' || act?.kind === 'death') && (
            <Form.Item name="note" label={t('fac.res.note')}>
              <Input maxLength={200} />
            </Form.Item>
          )}
        </Form>
        {error && <Alert type="error" showIcon message={error.message} />}
      </Modal>
    </Card>
  );
}
