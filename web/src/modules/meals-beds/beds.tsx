import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Grid, Input, Modal, Progress, Row, Segmented, Space, Statistic, Tag, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchBeds, keys, useCloseBed, useOpenBed, usePatchBed, type BedFilter } from './api';
import { DateInput, PersonPicker, ProviderSelect, RowsEditor } from './pickers';
import { DeviceKindInput, useDeviceKind } from './devices';
import type { AdaptationItem, BedsReply, BedView, DeviceItem } from './types';

function useBedFields() {
  const { t } = useI18n();
  return {
    adaptation: [
      { name: 'item', placeholder: t('mb.beds.adaptation.item'), width: 220 },
      { name: 'doneOn', placeholder: t('mb.beds.adaptation.doneOn'), date: true, width: 150 },
    ],
    devices: [
      {
        name: 'kind',
        placeholder: t('mb.beds.device.kind'),
        width: 170,
        input: (testId: string) => <DeviceKindInput placeholder={t('mb.beds.device.kind')} testId={testId} />,
      },
      { name: 'serial', placeholder: t('mb.beds.device.serial'), width: 140 },
      { name: 'installedOn', placeholder: t('mb.beds.device.installedOn'), date: true, width: 150 },
    ],
  };
}

interface OpenForm {
  personId?: number;
  providerId?: number;
  openedOn: string;
  adaptation: AdaptationItem[];
  devices: DeviceItem[];
}

/** 建立床位: the elder (register search), the provider, the date, the adaptation done and the devices installed. */
function OpenBedDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<OpenForm>();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const opening = useOpenBed();
  const fields = useBedFields();
  const submit = async (v: OpenForm) => {
    setError(null);
    try {
      const bed = await opening.mutateAsync({
        personId: Number(v.personId),
        providerId: Number(v.providerId),
        openedOn: v.openedOn,
        adaptation: v.adaptation ?? [],
        devices: v.devices ?? [],
      });
      message.success(t('mb.beds.opened', { name: bed.personName || name }));
      form.resetFields();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('mb.beds.openDialog.title')}
      okText={t('mb.beds.open')}
      cancelText={t('mb.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={opening.isPending}
      okButtonProps={{ 'data-testid': 'mb-bed-open-ok' }}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ openedOn: shanghaiToday(), adaptation: [], devices: [] }}
        onFinish={(v) => void submit(v)}
        data-testid="mb-bed-open-form"
      >
        <Form.Item name="personId" label={t('mb.beds.person')} rules={[{ required: true, message: t('mb.required') }]}>
          <PersonPicker testId="mb-bed-person" onChange={(_, label) => setName(label ?? '')} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={14}>
            <Form.Item name="providerId" label={t('mb.beds.provider')} rules={[{ required: true, message: t('mb.required') }]}>
              <ProviderSelect testId="mb-bed-provider" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="openedOn" label={t('mb.beds.openedOn')} rules={[{ required: true, message: t('mb.required') }]}>
              <DateInput testId="mb-bed-opened" />
            </Form.Item>
          </Col>
        </Row>
        <RowsEditor name="adaptation" label={t('mb.beds.adaptation')} fields={fields.adaptation} testId="mb-bed-adaptation" />
        <RowsEditor name="devices" label={t('mb.beds.devices')} fields={fields.devices} testId="mb-bed-devices" />
        {error && <Alert type="error" showIcon message={error} data-testid="mb-bed-open-error" />}
      </Form>
    </Modal>
  );
}

/** 改造与设备: the bed's lists replaced as a whole (the server keeps the before and after in the audit log). */
function EditBedDialog({ bed, onClose }: { bed: BedView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ adaptation: AdaptationItem[]; devices: DeviceItem[] }>();
  const [error, setError] = useState<string | null>(null);
  const saving = usePatchBed();
  const fields = useBedFields();
  const submit = async (v: { adaptation?: AdaptationItem[]; devices?: DeviceItem[] }) => {
    if (!bed) return;
    setError(null);
    try {
      await saving.mutateAsync({ id: bed.id, body: { adaptation: v.adaptation ?? [], devices: v.devices ?? [] } });
      message.success(t('mb.beds.saved'));
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={bed !== null}
      title={bed ? t('mb.beds.editDialog.title', { name: bed.personName }) : ''}
      okText={t('mb.save')}
      cancelText={t('mb.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving.isPending}
      okButtonProps={{ 'data-testid': 'mb-bed-edit-ok' }}
      width={640}
      destroyOnHidden
    >
      {bed && (
        <Form form={form} layout="vertical" initialValues={{ adaptation: bed.adaptation, devices: bed.devices }} onFinish={(v) => void submit(v)}>
          <RowsEditor name="adaptation" label={t('mb.beds.adaptation')} fields={fields.adaptation} testId="mb-bed-edit-adaptation" />
          <RowsEditor name="devices" label={t('mb.beds.devices')} fields={fields.devices} testId="mb-bed-edit-devices" />
          {error && <Alert type="error" showIcon message={error} data-testid="mb-bed-edit-error" />}
        </Form>
      )}
    </Modal>
  );
}

/** 撤床: the date and the reason; a closed bed is kept, read-only. */
function CloseBedDialog({ bed, onClose }: { bed: BedView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ closedOn: string; reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const closing = useCloseBed();
  const submit = async (v: { closedOn: string; reason: string }) => {
    if (!bed) return;
    setError(null);
    try {
      await closing.mutateAsync({ id: bed.id, body: v });
      message.success(t('mb.beds.closedDone'));
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={bed !== null}
      title={bed ? t('mb.beds.closeDialog.title', { name: bed.personName }) : ''}
      okText={t('mb.beds.close')}
      okButtonProps={{ danger: true, 'data-testid': 'mb-bed-close-ok' }}
      cancelText={t('mb.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={closing.isPending}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={t('mb.beds.closeDialog.warn')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" initialValues={{ closedOn: shanghaiToday(), reason: '' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="closedOn" label={t('mb.beds.closedDate')} rules={[{ required: true, message: t('mb.required') }]}>
          <DateInput testId="mb-bed-closed-on" />
        </Form.Item>
        <Form.Item name="reason" label={t('mb.beds.reason')} rules={[{ required: true, whitespace: true, message: t('mb.required') }]}>
          <Input placeholder={t('mb.beds.reasonHint')} maxLength={200} data-testid="mb-bed-reason" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="mb-bed-close-error" />}
      </Form>
    </Modal>
  );
}

/** The county's progress to its target, the viewer's count and the towns'. */
function TargetCard({ answer }: { answer: Omit<BedsReply, 'page'> | undefined }) {
  const { t } = useI18n();
  if (!answer) return null;
  const percent = answer.target ? Math.min(100, Math.round((answer.jurisdictionActive / answer.target) * 1000) / 10) : 0;
  const max = Math.max(1, ...answer.byTown.map((b) => b.active));
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      <Col xs={24} md={10}>
        <Card size="small" title={t('mb.beds.target')} data-testid="mb-beds-target">
          <Progress percent={percent} status={percent >= 100 ? 'success' : 'active'} />
          <Typography.Text>{t('mb.beds.targetProgress', { n: answer.jurisdictionActive, target: answer.target })}</Typography.Text>
          <Statistic title={t('mb.beds.inRegion')} value={answer.active} style={{ marginTop: 8 }} valueStyle={{ fontSize: 22 }} />
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card size="small" title={t('mb.beds.byTown')} data-testid="mb-beds-by-town">
          {answer.byTown.length === 0 && <Typography.Text type="secondary">{t('mb.none')}</Typography.Text>}
          {answer.byTown.map((b) => (
            <div key={b.regionCode} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <span style={{ flex: '0 0 7em', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={b.regionName}>
                {b.regionName}
              </span>
              <Progress percent={(b.active / max) * 100} showInfo={false} size="small" style={{ flex: 1, margin: 0 }} />
              <span style={{ flex: '0 0 3em', textAlign: 'right' }}>{b.active}</span>
            </div>
          ))}
        </Card>
      </Col>
    </Row>
  );
}

const listText = (items: string[], none: string) => (items.length ? items.join('、') : none);

/** 家庭养老床位: the target and the counts, the beds of the viewer's region with open / edit / close. */
export function BedsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const kindOf = useDeviceKind();
  const screens = Grid.useBreakpoint();
  const phone = screens.xs === true;
  const tree = useRegionTree();
  const [filter, setFilter] = useState<BedFilter>({ status: 'active' });
  const [opening, setOpening] = useState(false);
  const [editing, setEditing] = useState<BedView | null>(null);
  const [closing, setClosing] = useState<BedView | null>(null);
  const paged = usePaged([...keys.beds, filter], (page, pageSize) => fetchBeds(filter, page, pageSize));
  const manage = can('services.beds');
  const statusTag = (b: BedView) => (b.status === 'active' ? <Tag color="green">{t('mb.beds.status.active')}</Tag> : <Tag>{t('mb.beds.status.closed')}</Tag>);
  // at a tablet's width the two buttons stack, so the table keeps to the screen
  const actions = (b: BedView, stacked = false) =>
    manage && b.status === 'active' ? (
      <Space size={4} wrap direction={stacked ? 'vertical' : 'horizontal'}>
        <Button size="small" onClick={() => setEditing(b)} data-testid={`mb-bed-edit-${b.id}`}>
          {t('mb.beds.edit')}
        </Button>
        <Button size="small" danger onClick={() => setClosing(b)} data-testid={`mb-bed-close-${b.id}`}>
          {t('mb.beds.close')}
        </Button>
      </Space>
    ) : null;
  const columns: ColumnsType<BedView> = [
    {
      title: t('mb.beds.col.person'),
      key: 'person',
      render: (_, b) => (
        <div>
          <div>{b.personName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {b.idMasked}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('mb.beds.col.region'), dataIndex: 'regionName', width: 120, ellipsis: true },
    { title: t('mb.beds.col.provider'), dataIndex: 'providerName', width: 150, ellipsis: true },
    { title: t('mb.beds.col.opened'), dataIndex: 'openedOn', width: 110 },
    {
      title: t('mb.beds.col.adaptation'),
      key: 'adaptation',
      ellipsis: true,
      responsive: ['xl'],
      render: (_, b) => {
        const text = listText(
          b.adaptation.map((a) => a.item),
          t('mb.none'),
        );
        return <span title={text}>{text}</span>;
      },
    },
    {
      title: t('mb.beds.col.devices'),
      key: 'devices',
      ellipsis: true,
      responsive: ['xl'],
      render: (_, b) => {
        const text = listText(
          b.devices.map((d) => `${kindOf(d.kind)}（${d.serial}）`),
          t('mb.none'),
        );
        return <span title={text}>{text}</span>;
      },
    },
    { title: t('mb.beds.col.services'), key: 'services', width: 100, align: 'right', render: (_, b) => b.servicesThisMonth },
    {
      title: t('mb.beds.col.status'),
      key: 'status',
      width: 90,
      render: (_, b) => <span title={b.closedOn ? t('mb.beds.closedOn', { date: b.closedOn, reason: b.closeReason ?? '' }) : undefined}>{statusTag(b)}</span>,
    },
    ...(manage
      ? [{ title: t('mb.beds.col.actions'), key: 'actions', width: screens.xl ? 190 : 120, render: (_: unknown, b: BedView) => actions(b, !screens.xl) }]
      : []),
  ];
  return (
    <div data-testid="mb-beds-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('mb.beds.title')}
        </Typography.Title>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="mb-bed-open">
            {t('mb.beds.open')}
          </Button>
        )}
      </div>
      {!phone && <Alert type="info" showIcon message={t('mb.beds.intro')} style={{ marginBottom: 12 }} />}
      <TargetCard answer={paged.answer?.summary} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Segmented
          value={filter.status ?? 'all'}
          onChange={(v) => {
            setFilter({ ...filter, status: v === 'all' ? undefined : (v as 'active' | 'closed') });
            paged.setPage(1);
          }}
          options={[
            { value: 'active', label: t('mb.beds.status.active') },
            { value: 'closed', label: t('mb.beds.status.closed') },
            { value: 'all', label: t('mb.all') },
          ]}
          data-testid="mb-beds-status"
        />
        <TreeSelect
          allowClear
          treeData={tree}
          value={filter.regionCode}
          placeholder={t('mb.beds.filter.region')}
          onChange={(v: string | undefined) => {
            setFilter({ ...filter, regionCode: v });
            paged.setPage(1);
          }}
          style={{ width: phone ? '100%' : 220 }}
          data-testid="mb-beds-region"
        />
        <ProviderSelect
          allowClear
          value={filter.providerId}
          placeholder={t('mb.beds.filter.provider')}
          onChange={(v) => {
            setFilter({ ...filter, providerId: v });
            paged.setPage(1);
          }}
          style={{ width: phone ? '100%' : 220 }}
          testId="mb-beds-provider"
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="mb-beds-list"
          rowKey={(b) => b.id}
          renderCard={(b) => (
            <Card size="small" style={{ width: '100%' }} data-testid={`mb-bed-${b.id}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <strong>{b.personName}</strong>
                {statusTag(b)}
              </div>
              <div style={{ color: '#666', fontSize: 13 }}>
                {b.regionName} · {b.providerName}
              </div>
              <div style={{ fontSize: 13 }}>
                {t('mb.beds.col.opened')} {b.openedOn} · {t('mb.beds.col.services')} {b.servicesThisMonth}
              </div>
              <div style={{ fontSize: 13 }}>
                {t('mb.beds.col.adaptation')}:{' '}
                {listText(
                  b.adaptation.map((a) => a.item),
                  t('mb.none'),
                )}
              </div>
              <div style={{ fontSize: 13 }}>
                {t('mb.beds.col.devices')}:{' '}
                {listText(
                  b.devices.map((d) => kindOf(d.kind)),
                  t('mb.none'),
                )}
              </div>
              {b.closedOn && <div style={{ fontSize: 13 }}>{t('mb.beds.closedOn', { date: b.closedOn, reason: b.closeReason ?? '' })}</div>}
              {manage && b.status === 'active' && <div style={{ marginTop: 6 }}>{actions(b)}</div>}
            </Card>
          )}
        />
      ) : (
        <PagedTable<BedView> paged={paged} testId="mb-beds-table" rowKey="id" columns={columns} size="middle" tableLayout="fixed" />
      )}
      <OpenBedDialog open={opening} onClose={() => setOpening(false)} />
      <EditBedDialog bed={editing} onClose={() => setEditing(null)} />
      <CloseBedDialog bed={closing} onClose={() => setClosing(null)} />
    </div>
  );
}
