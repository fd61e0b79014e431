import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { dash, shanghaiTime, shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { ProviderSelect } from '../meals-beds/pickers';
import { useRegionTree } from '../register/use-regions';
import { PersonPicker } from '../hotline/person-picker';
import { fetchDevices, keys, useDevice, useRegisterDevice, useRetireDevice, useVendors, type DeviceFilters } from './api';
import { showServerError } from './form-errors';
import { DEVICE_KINDS, DeviceState, useKindWords } from './labels';
import type { DeviceKind, DeviceView } from './types';

/** Server codes that are about one field of the register form. */
const FIELD_OF_CODE: Record<string, string> = {
  ALARM_DEVICE_SERIAL_TAKEN: 'serial',
  ALARM_DEVICE_PERSON_INACTIVE: 'personId',
  HOTLINE_PERSON_NOT_FOUND: 'personId',
  ALARM_VENDOR_NOT_FOUND: 'vendorId',
  ALARM_VENDOR_DISABLED: 'vendorId',
  ALARM_PROVIDER_NOT_FOUND: 'providerId',
  ALARM_DEVICE_PROVIDER_NOT_OWN: 'providerId',
};
const FORM_FIELDS = ['personId', 'serial', 'kind', 'model', 'vendorId', 'providerId', 'installedOn', 'address'] as const;

interface RegisterForm {
  personId: number;
  serial: string;
  kind: DeviceKind;
  model?: string;
  vendorId?: number;
  providerId?: number;
  installedOn: Dayjs;
  address?: string;
}

/** 登记设备: for a person found by name or ID in the viewer's scope; the server's refusals at their field. */
export function RegisterDeviceDialog({ onClose, onDone }: { onClose: () => void; onDone: (id: number) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const words = useKindWords();
  const [form] = Form.useForm<RegisterForm>();
  const [error, setError] = useState<string | null>(null);
  const register = useRegisterDevice();
  const vendors = useVendors(can('alarms.vendors'));
  const submit = async (v: RegisterForm) => {
    setError(null);
    const clean = (s?: string) => s?.trim() || undefined;
    try {
      const d = await register.mutateAsync({
        personId: v.personId,
        serial: v.serial.trim(),
        kind: v.kind,
        model: clean(v.model),
        vendorId: v.vendorId,
        providerId: v.providerId,
        installedOn: v.installedOn.format('YYYY-MM-DD'),
        address: clean(v.address),
      });
      message.success(t('ad.reg.done', { serial: d.serial }));
      onDone(d.id);
    } catch (e) {
      setError(showServerError(form, e, FORM_FIELDS, FIELD_OF_CODE));
    }
  };
  const required = (label: string) => ({ required: true, message: t('ad.required', { field: label }) });
  return (
    <Modal
      open
      title={t('ad.reg.title')}
      okText={t('ad.reg.ok')}
      cancelText={t('ad.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={register.isPending}
      okButtonProps={{ 'data-testid': 'ad-reg-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="ad-reg-error" />}
      <Form<RegisterForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: 'emergency_button', installedOn: dayjs(shanghaiToday()) }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="personId" label={t('ad.person')} extra={t('ad.reg.personHint')} rules={[required(t('ad.person'))]}>
          <PersonPicker testId="ad-reg-person" />
        </Form.Item>
        <Form.Item
          name="serial"
          label={t('ad.serial')}
          rules={[required(t('ad.serial')), { pattern: /^[A-Za-z0-9._:-]{4,64}$/, message: t('ad.reg.serialFormat') }]}
        >
          <Input autoComplete="off" data-testid="ad-reg-serial" />
        </Form.Item>
        <Form.Item name="kind" label={t('ad.kind')} rules={[required(t('ad.kind'))]}>
          <Select data-testid="ad-reg-kind" options={DEVICE_KINDS.map((k) => ({ value: k, label: words.device(k), title: words.device(k) }))} />
        </Form.Item>
        <Space.Compact block style={{ gap: 8 }}>
          <Form.Item name="model" label={t('ad.model')} style={{ flex: 1 }} rules={[{ max: 80, message: t('ad.tooLong', { n: 80 }) }]}>
            <Input data-testid="ad-reg-model" />
          </Form.Item>
          {can('alarms.vendors') && (
            <Form.Item name="vendorId" label={t('ad.vendor')} extra={t('ad.reg.vendorHint')} style={{ flex: 1 }}>
              <Select
                allowClear
                data-testid="ad-reg-vendor"
                options={(vendors.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name, title: x.name }))}
              />
            </Form.Item>
          )}
        </Space.Compact>
        <Form.Item name="providerId" label={t('ad.provider')}>
          <ProviderSelect testId="ad-reg-provider" allowClear />
        </Form.Item>
        <Form.Item name="installedOn" label={t('ad.installedOn')} rules={[required(t('ad.installedOn'))]}>
          <DatePicker
            style={{ width: '100%' }}
            data-testid="ad-reg-installed"
            disabledDate={(d) => d.format('YYYY-MM-DD') > shanghaiToday()}
            allowClear={false}
          />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('ad.address')}
          extra={t('ad.reg.addressHint')}
          rules={[
            { min: 2, message: t('ad.tooShort', { n: 2 }) },
            { max: 200, message: t('ad.tooLong', { n: 200 }) },
          ]}
        >
          <Input data-testid="ad-reg-address" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A device: who and where it serves, its state, its last events; retire it (asked again first). */
export function DeviceDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const words = useKindWords();
  const wide = Grid.useBreakpoint().md === true;
  const device = useDevice(id);
  const retire = useRetireDevice();
  const d = device.data;
  const confirmRetire = () => {
    if (!d) return;
    modal.confirm({
      title: t('ad.retire.title', { serial: d.serial }),
      content: t('ad.retire.body', { name: d.personName }),
      okText: t('ad.retire.ok'),
      okButtonProps: { danger: true, 'data-testid': 'ad-retire-ok' } as ButtonProps,
      cancelText: t('ad.cancel'),
      onOk: async () => {
        try {
          await retire.mutateAsync(d.id);
          message.success(t('ad.retire.done', { serial: d.serial }));
        } catch (e) {
          message.error((e as Error).message);
        }
      },
    });
  };
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={wide ? 640 : '100%'}
      title={d ? `${words.device(d.kind)} · ${d.serial}` : t('ad.detail')}
      destroyOnHidden
    >
      {device.error && <Alert type="error" showIcon message={device.error.message} />}
      {d && (
        <div data-testid="ad-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('ad.person')}>
              <Link to={`/hotline/persons/${d.personId}`} data-testid="ad-detail-person">
                {d.personName}
              </Link>{' '}
              <Typography.Text type="secondary">{d.regionName}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('ad.state')}>
              <DeviceState d={d} testId="ad-detail-state" />
            </Descriptions.Item>
            <Descriptions.Item label={t('ad.model')}>{dash(d.model)}</Descriptions.Item>
            <Descriptions.Item label={t('ad.vendor')}>{d.vendorName ?? t('ad.mqttOnly')}</Descriptions.Item>
            <Descriptions.Item label={t('ad.provider')}>{dash(d.providerName)}</Descriptions.Item>
            <Descriptions.Item label={t('ad.installedOn')}>
              {d.installedOn}
              {d.retiredOn ? ` → ${d.retiredOn}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('ad.address')}>{dash(d.address)}</Descriptions.Item>
          </Descriptions>
          {can('alarms.devices') && d.status !== 'retired' && (
            <Button danger style={{ marginTop: 12 }} onClick={confirmRetire} data-testid="ad-retire">
              {t('ad.retire')}
            </Button>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('ad.events')}
          </Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={d.events}
            data-testid="ad-events"
            locale={{ emptyText: t('ad.noEvents') }}
            columns={[
              { title: t('ad.ev.at'), key: 'at', width: 150, render: (_, e) => shanghaiTime(e.occurredAt) },
              { title: t('ad.ev.kind'), key: 'kind', render: (_, e) => words.event(e.kind) },
              {
                title: t('ad.ev.reading'),
                key: 'reading',
                render: (_, e) =>
                  [e.battery !== null ? t('ad.batteryPct', { n: e.battery }) : null, e.value !== null ? String(e.value) : null].filter(Boolean).join(' · '),
              },
              {
                title: t('ad.ev.alarm'),
                key: 'alarm',
                width: 80,
                render: (_, e) => (e.alarmId ? <Link to={`/alarms?alarm=${e.alarmId}`}>#{e.alarmId}</Link> : null),
              },
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}

/**
 * 监测设备: the devices in the viewer's scope (a provider: those it installed) with their state in
 * words, filtered by region, kind, online/offline and low battery; register one for a person.
 */
export function DevicesPage() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  const words = useKindWords();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const [registering, setRegistering] = useState(false);
  const filters: DeviceFilters = {
    regionCode: params.get('region') ?? undefined,
    kind: params.get('kind') ?? undefined,
    link: params.get('link') ?? undefined,
    status: params.get('status') ?? undefined,
    serial: params.get('serial') ?? undefined,
    lowBattery: params.get('low') ?? undefined,
  };
  const open = params.get('device') ? Number(params.get('device')) : null;
  const paged = usePaged([...keys.devices, filters], (page, pageSize) => fetchDevices(filters, page, pageSize));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    if (name !== 'device') paged.setPage(1);
  };
  const openLink = (d: DeviceView, text: string) => (
    <a onClick={() => set('device', String(d.id))} data-testid={`ad-open-${d.id}`}>
      {text}
    </a>
  );
  const columns: ColumnsType<DeviceView> = [
    {
      title: t('ad.device'),
      key: 'device',
      width: 170,
      render: (_, d) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{openLink(d, d.serial)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {words.device(d.kind)}
            {d.model ? ` · ${d.model}` : ''}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('ad.person'),
      key: 'person',
      width: 140,
      render: (_, d) => (
        <div style={{ lineHeight: 1.3 }}>
          <Link to={`/hotline/persons/${d.personId}`}>{d.personName}</Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.regionName}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('ad.state'), key: 'state', width: 170, render: (_, d) => <DeviceState d={d} /> },
    {
      title: t('ad.installedBy'),
      key: 'installed',
      width: 150,
      render: (_, d) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{d.installedOn}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: d.providerName ?? undefined }}>
            {d.providerName ?? d.vendorName ?? ''}
          </Typography.Text>
        </div>
      ),
    },
  ];
  return (
    <div data-testid="ad-devices-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.adDevices')}
        </Typography.Title>
        {can('alarms.devices') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="ad-register">
            {t('ad.reg.title')}
          </Button>
        )}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
        {user?.role !== 'provider' && (
          <TreeSelect
            treeData={regions}
            value={filters.regionCode}
            onChange={(v?: string) => set('region', v)}
            placeholder={t('ad.region')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            style={{ width: phone ? '100%' : 200 }}
            data-testid="ad-filter-region"
          />
        )}
        <Select
          value={filters.kind}
          onChange={(v?: string) => set('kind', v)}
          placeholder={t('ad.kind')}
          allowClear
          style={{ width: phone ? '100%' : 160 }}
          options={DEVICE_KINDS.map((k) => ({ value: k, label: words.device(k) }))}
          data-testid="ad-filter-kind"
        />
        <Select
          value={filters.link}
          onChange={(v?: string) => set('link', v)}
          placeholder={t('ad.state')}
          allowClear
          style={{ width: phone ? '100%' : 120 }}
          options={[
            { value: 'online', label: t('ad.online') },
            { value: 'offline', label: t('ad.offline') },
          ]}
          data-testid="ad-filter-link"
        />
        <Select
          value={filters.status ?? 'active'}
          onChange={(v: string) => set('status', v === 'active' ? undefined : v)}
          style={{ width: phone ? '100%' : 110 }}
          options={[
            { value: 'active', label: t('ad.inUse') },
            { value: 'retired', label: t('ad.retired') },
            { value: 'all', label: t('ad.allStatuses') },
          ]}
          data-testid="ad-filter-status"
        />
        <Input.Search
          allowClear
          defaultValue={filters.serial}
          placeholder={t('ad.serialSearch')}
          onSearch={(v) => set('serial', v.trim() || undefined)}
          style={{ width: phone ? '100%' : 200 }}
          data-testid="ad-filter-serial"
        />
        <Checkbox checked={filters.lowBattery === '1'} onChange={(e) => set('low', e.target.checked ? '1' : undefined)} data-testid="ad-filter-low">
          {t('ad.lowBatteryOnly')}
        </Checkbox>
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="ad-devices-cards"
          rowKey={(d) => d.id}
          renderCard={(d) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                {openLink(d, `${d.serial} · ${words.device(d.kind)}`)}
                {d.status === 'retired' && <Tag>{t('ad.retired')}</Tag>}
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                <Link to={`/hotline/persons/${d.personId}`}>{d.personName}</Link> · {d.regionName}
              </div>
              <DeviceState d={d} />
            </Card>
          )}
        />
      ) : (
        <PagedTable<DeviceView> paged={paged} testId="ad-devices" size="small" rowKey={(d) => d.id} columns={columns} tableLayout="fixed" />
      )}
      {registering && (
        <RegisterDeviceDialog
          onClose={() => setRegistering(false)}
          onDone={(id) => {
            setRegistering(false);
            set('device', String(id));
          }}
        />
      )}
      <DeviceDrawer id={open} onClose={() => set('device', undefined)} />
    </div>
  );
}
