import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useSaveStaff, useStaff } from './api';
import type { StaffBody, StaffView } from './types';

const ROLES = ['caregiver', 'nurse', 'doctor', 'social_worker', 'manager', 'other'] as const;

const bodyOf = (s: StaffView): StaffBody => ({
  name: s.name,
  role: s.role,
  employment: s.employment,
  fte: s.fte,
  certificates: s.certificates.map((c) => ({ kind: c.kind, level: c.level, expiresOn: c.expiresOn })),
  startedOn: s.startedOn,
  endedOn: s.endedOn,
});

/** The staff roster: who works there (role, FTE, certificates with expiry, dates); add, change, or record that someone leaves. */
export function StaffCard({ facilityId }: { facilityId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const staff = useStaff(facilityId);
  const save = useSaveStaff(facilityId);
  const [editing, setEditing] = useState<StaffView | 'new' | null>(null);
  const [ending, setEnding] = useState<StaffView | null>(null);
  const [endOn, setEndOn] = useState(shanghaiToday());
  const [form] = Form.useForm<StaffBody>();
  const operate = can('facilities.operate');
  const phone = Grid.useBreakpoint().xs === true;
  // a last working day not yet past: they still work (and count) until then — say so, and offer no second 离职
  const leaving = (s: StaffView) => s.current && s.endedOn !== null;
  const status = (s: StaffView) => (
    <Tag color={leaving(s) ? 'orange' : s.current ? 'green' : 'default'} data-testid={`fac-staff-status-${s.id}`}>
      {leaving(s) ? t('fac.staff.leaving', { date: s.endedOn ?? '' }) : t(s.current ? 'fac.staff.current' : 'fac.staff.ended')}
    </Tag>
  );
  const certs = (s: StaffView) =>
    s.certificates.map((c, i) => (
      <Tag key={i} color={c.expired ? 'red' : undefined}>
        {c.kind}
        {c.level ? ` ${c.level}` : ''}
        {c.expiresOn ? ` · ${c.expiresOn}` : ''}
        {c.expired ? ` (${t('fac.staff.expired')})` : ''}
      </Tag>
    ));
  const actions = (s: StaffView) => (
    <Space size={4}>
      <Button size="small" type="link" onClick={() => setEditing(s)}>
        {t('fac.staff.edit')}
      </Button>
      {s.current && s.endedOn === null && (
        <Button size="small" type="link" danger onClick={() => setEnding(s)} data-testid={`fac-staff-end-${s.id}`}>
          {t('fac.staff.end')}
        </Button>
      )}
    </Space>
  );
  const phoneColumns: ColumnsType<StaffView> = [
    {
      key: 'card',
      render: (_, s) => (
        <div data-testid={`fac-staff-card-${s.id}`}>
          <Space wrap size={4}>
            <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
              {s.name}
            </Typography.Text>
            <span>{t(`fac.role.${s.role}` as MessageKey)}</span>
            <span>{`${t(`fac.emp.${s.employment}` as MessageKey)} ${s.fte}`}</span>
            {status(s)}
          </Space>
          <div>
            {s.startedOn} – {s.endedOn ?? ''}
          </div>
          <div>{certs(s)}</div>
          {operate && actions(s)}
        </div>
      ),
    },
  ];
  const columns: ColumnsType<StaffView> = [
    { title: t('fac.staff.name'), dataIndex: 'name', width: 110, onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { title: t('fac.staff.role'), key: 'role', width: 90, render: (_, s) => t(`fac.role.${s.role}` as MessageKey) },
    {
      title: t('fac.staff.fte'),
      key: 'fte',
      width: 100,
      render: (_, s) => `${t(`fac.emp.${s.employment}` as MessageKey)} ${s.fte}`,
    },
    {
      title: t('fac.staff.certs'),
      key: 'certs',
      render: (_, s) => certs(s),
    },
    {
      title: t('fac.staff.period'),
      key: 'period',
      width: 190,
      render: (_, s) => (
        <Space size={4} wrap>
          <span>
            {s.startedOn} – {s.endedOn ?? ''}
          </span>
          {status(s)}
        </Space>
      ),
    },
    ...(operate
      ? [
          {
            title: '',
            key: 'act',
            width: 130,
            render: (_: unknown, s: StaffView) => actions(s),
          },
        ]
      : []),
  ];
  const initial: StaffBody =
    editing && editing !== 'new'
      ? bodyOf(editing)
      : { name: '', role: 'caregiver', employment: 'full_time', fte: 1, certificates: [], startedOn: shanghaiToday(), endedOn: null };
  return (
    <Card
      size="small"
      title={t('fac.staff.title')}
      style={{ marginBottom: 12 }}
      data-testid="fac-staff"
      extra={
        operate && (
          <Button size="small" onClick={() => setEditing('new')} data-testid="fac-staff-add">
            {t('fac.staff.add')}
          </Button>
        )
      }
    >
      {staff.error && <Alert type="error" showIcon message={staff.error.message} />}
      <Table<StaffView>
        size="small"
        rowKey="id"
        loading={staff.isFetching}
        dataSource={staff.data?.items ?? []}
        columns={phone ? phoneColumns : columns}
        showHeader={!phone}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={phone ? undefined : { x: 560 }}
        data-testid="fac-staff-table"
      />
      <Modal
        open={ending !== null}
        title={ending ? t('fac.staff.endTitle', { name: ending.name }) : ''}
        onCancel={() => setEnding(null)}
        okText={t('fac.ok')}
        cancelText={t('fac.cancel')}
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'fac-staff-end-ok' }}
        onOk={() =>
          ending &&
          save.mutate(
            { staffId: ending.id, body: { ...bodyOf(ending), endedOn: endOn } },
            {
              onSuccess: () => {
                void message.success(t('fac.staff.endSaved', { name: ending.name, date: endOn }));
                setEnding(null);
              },
              onError: (e) => void message.error(e.message),
            },
          )
        }
        destroyOnHidden
      >
        <Typography.Text>{t('fac.staff.endOn')}</Typography.Text>
        <Input type="date" value={endOn} onChange={(e) => setEndOn(e.target.value)} data-testid="fac-staff-end-on" />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('fac.staff.endHelp')}
        </Typography.Paragraph>
      </Modal>
      <Modal
        open={editing !== null}
        title={t(editing === 'new' ? 'fac.staff.add' : 'fac.staff.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('fac.form.save')}
        cancelText={t('fac.cancel')}
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'fac-staff-save' }}
        destroyOnHidden
      >
        <Alert type="info" message={t('fac.staff.noPhone')} style={{ marginBottom: 12 }} />
        <Form<StaffBody>
          form={form}
          layout="vertical"
          initialValues={initial}
          preserve={false}
          onFinish={(v) =>
            save.mutate(
              { staffId: editing && editing !== 'new' ? editing.id : null, body: { ...v, certificates: v.certificates ?? [], endedOn: v.endedOn || null } },
              { onSuccess: () => setEditing(null) },
            )
          }
        >
          <Form.Item name="name" label={t('fac.staff.name')} rules={[{ required: true }]}>
            <Input maxLength={40} data-testid="fac-staff-name" />
          </Form.Item>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Form.Item name="role" label={t('fac.staff.role')} style={{ flex: '1 1 140px' }}>
              <Select options={ROLES.map((r) => ({ value: r, label: t(`fac.role.${r}`) }))} data-testid="fac-staff-role" />
            </Form.Item>
            <Form.Item name="employment" label={t('fac.staff.employment')} style={{ flex: '1 1 120px' }}>
              <Select
                options={(['full_time', 'part_time'] as const).map((e) => ({ value: e, label: t(`fac.emp.${e}`) }))}
                onChange={(e) => form.setFieldValue('fte', e === 'full_time' ? 1 : 0.5)}
              />
            </Form.Item>
            <Form.Item name="fte" label={t('fac.staff.fte')} style={{ flex: '1 1 100px' }} tooltip={t('fac.staff.fteHelp')}>
              <InputNumber min={0.01} max={1} step={0.1} style={{ width: '100%' }} />
            </Form.Item>
          </div>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Form.Item name="startedOn" label={t('fac.staff.startedOn')} style={{ flex: '1 1 160px' }} rules={[{ required: true }]}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="endedOn" label={t('fac.staff.endedOn')} style={{ flex: '1 1 160px' }}>
              <Input type="date" />
            </Form.Item>
          </div>
          <Typography.Text strong>{t('fac.staff.certs')}</Typography.Text>
          <Form.List name="certificates">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <div key={f.key} style={{ display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'flex-start' }}>
                    <Form.Item name={[f.name, 'kind']} rules={[{ required: true }]} style={{ flex: '2 1 160px', marginBottom: 8 }}>
                      <Input placeholder={t('fac.staff.certKind')} maxLength={40} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'level']}
                      style={{ flex: '1 1 70px', marginBottom: 8 }}
                      getValueFromEvent={(e: { target: { value: string } }) => e.target.value || null}
                    >
                      <Input placeholder={t('fac.staff.certLevel')} maxLength={20} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'expiresOn']}
                      style={{ flex: '1 1 130px', marginBottom: 8 }}
                      getValueFromEvent={(e: { target: { value: string } }) => e.target.value || null}
                      tooltip={t('fac.staff.certExpires')}
                    >
                      <Input type="date" />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 8 }} />
                  </div>
                ))}
                <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ kind: '', level: null, expiresOn: null })}>
                  {t('fac.staff.addCert')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
        {save.error && <Alert type="error" showIcon message={save.error.message} style={{ marginTop: 12 }} data-testid="fac-staff-error" />}
      </Modal>
    </Card>
  );
}
