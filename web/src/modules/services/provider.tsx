import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { get, qs, type Page, type PersonRow } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';
import {
  fetchClients,
  keys,
  useAddCertificate,
  useCaregivers,
  useCreateCaregiver,
  useEndClient,
  useEnrolClient,
  useProviders,
  useUpdateCaregiver,
  useUpdateProvider,
} from './api';
import { useWord } from './labels';
import { ActiveTag, ProviderDialog } from './providers';
import type { CaregiverView, CertificateView, ClientView } from './types';

const CERT_COLORS: Record<string, string> = { valid: 'green', expiring: 'orange', expired: 'red', missing: 'red' };

/** A dialog around a form whose submit may be refused: the server's message shown inside. */
function useSubmit() {
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { error, run };
}

function CaregiverDialog({ providerId, caregiver, onClose }: { providerId: number; caregiver: CaregiverView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; phone?: string; skillLevel: number; username?: string }>();
  const create = useCreateCaregiver();
  const update = useUpdateCaregiver();
  const { error, run } = useSubmit();
  return (
    <Modal
      open
      title={caregiver ? caregiver.name : t('svc.cg.new')}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'svc-caregiver-ok' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={caregiver ? { name: caregiver.name, skillLevel: caregiver.skillLevel } : { skillLevel: 1 }}
        onFinish={(v) =>
          void run(async () => {
            const phone = v.phone?.trim() || undefined;
            const c = caregiver
              ? await update.mutateAsync({ id: caregiver.id, name: v.name.trim(), phone, skillLevel: v.skillLevel })
              : await create.mutateAsync({ providerId, name: v.name.trim(), phone, skillLevel: v.skillLevel, username: v.username?.trim() || undefined });
            message.success(t('svc.cg.done', { name: c.name }));
            onClose();
          })
        }
      >
        <Space size={12} wrap>
          <Form.Item name="name" label={t('svc.cg.name')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
            <Input maxLength={50} data-testid="svc-caregiver-name" />
          </Form.Item>
          <Form.Item name="skillLevel" label={t('svc.cg.skill')} rules={[{ required: true, message: t('svc.required') }]}>
            <InputNumber min={1} max={5} precision={0} data-testid="svc-caregiver-skill" />
          </Form.Item>
        </Space>
        <Form.Item name="phone" label={t('svc.cg.phone')}>
          <Input maxLength={20} placeholder={caregiver?.phoneMasked ?? undefined} />
        </Form.Item>
        {!caregiver && (
          <Form.Item name="username" label={t('svc.cg.username')} extra={t('svc.cg.usernameHint')}>
            <Input maxLength={64} data-testid="svc-caregiver-username" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="svc-caregiver-error" />}
      </Form>
    </Modal>
  );
}

function CertificateDialog({ caregiver, onClose }: { caregiver: CaregiverView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const [form] = Form.useForm<{ kind: string; number: string; issuedOn: Dayjs; expiresOn?: Dayjs | null }>();
  const add = useAddCertificate();
  const { error, run } = useSubmit();
  return (
    <Modal
      open
      title={`${t('svc.cg.addCert')}：${caregiver.name}`}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'svc-cert-ok' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'caregiver' }}
        onFinish={(v) =>
          void run(async () => {
            await add.mutateAsync({
              caregiverId: caregiver.id,
              kind: v.kind,
              number: v.number.trim(),
              issuedOn: v.issuedOn.format('YYYY-MM-DD'),
              expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null,
            });
            message.success(t('svc.cg.certDone'));
            onClose();
          })
        }
      >
        <Form.Item name="kind" label={t('svc.cg.certKind')}>
          <Select options={['caregiver', 'first_aid', 'health', 'other'].map((k) => ({ value: k, label: word('svc.cert', k) }))} />
        </Form.Item>
        <Form.Item name="number" label={t('svc.cg.certNumber')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
          <Input maxLength={64} data-testid="svc-cert-number" />
        </Form.Item>
        <Space size={12} wrap>
          <Form.Item name="issuedOn" label={t('svc.cg.issuedOn')} rules={[{ required: true, message: t('svc.required') }]}>
            <DatePicker data-testid="svc-cert-issued" />
          </Form.Item>
          <Form.Item name="expiresOn" label={t('svc.cg.expiresOn')}>
            <DatePicker data-testid="svc-cert-expires" />
          </Form.Item>
        </Space>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-cert-error" />}
      </Form>
    </Modal>
  );
}

function Certificates({ certs }: { certs: CertificateView[] }) {
  const { t } = useI18n();
  const word = useWord();
  return (
    <Space size={4} wrap>
      {certs.map((c) => (
        <Tag key={c.id} color={CERT_COLORS[c.status]} data-testid={`svc-cert-${c.id}-${c.status}`}>
          {word('svc.cert', c.kind)} {c.number} · {c.expiresOn ? t('svc.cg.until', { d: c.expiresOn }) : t('svc.cg.noExpiry')} ·{' '}
          {word('svc.certStatus', c.status)}
        </Tag>
      ))}
    </Space>
  );
}

function Caregivers({ providerId }: { providerId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const word = useWord();
  const caregivers = useCaregivers(providerId);
  const update = useUpdateCaregiver();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<CaregiverView | null | 'new'>(null);
  const [certFor, setCertFor] = useState<CaregiverView | null>(null);
  const staff = can('services.staff');
  const columns: ColumnsType<CaregiverView> = [
    {
      title: t('svc.cg.name'),
      key: 'name',
      width: 150,
      render: (_, c) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>
            {c.name} <ActiveTag active={c.active} />
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[c.username, c.phoneMasked].filter(Boolean).join(' · ')}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('svc.cg.skill'), dataIndex: 'skillLevel', width: 70, align: 'right' },
    {
      title: t('svc.cg.certs'),
      key: 'certs',
      render: (_, c) => (
        <div>
          <Tag color={CERT_COLORS[c.certStatus]} data-testid={`svc-caregiver-${c.id}-cert`}>
            {word('svc.certStatus', c.certStatus)}
          </Tag>
          <Certificates certs={c.certificates} />
        </div>
      ),
    },
    ...(staff
      ? [
          {
            title: '',
            key: 'actions',
            width: 180,
            render: (_: unknown, c: CaregiverView) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setCertFor(c)} data-testid={`svc-add-cert-${c.id}`}>
                  {t('svc.cg.addCert')}
                </Button>
                <Button size="small" onClick={() => setEditing(c)}>
                  {t('svc.edit')}
                </Button>
                <Button
                  size="small"
                  type="link"
                  onClick={() =>
                    update.mutateAsync({ id: c.id, active: !c.active }).catch((e: unknown) => {
                      message.error((e as Error).message);
                    })
                  }
                >
                  {c.active ? t('svc.pr.deactivate') : t('svc.pr.activate')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={t('svc.cg.title')}
      extra={
        staff && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="svc-new-caregiver">
            {t('svc.cg.new')}
          </Button>
        )
      }
    >
      {caregivers.error && <Alert type="error" showIcon message={caregivers.error.message} />}
      <Table<CaregiverView>
        size="small"
        rowKey="id"
        loading={caregivers.isFetching}
        columns={columns}
        dataSource={caregivers.data ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        data-testid="svc-caregivers"
      />
      {editing && <CaregiverDialog providerId={providerId} caregiver={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {certFor && <CertificateDialog caregiver={certFor} onClose={() => setCertFor(null)} />}
    </Card>
  );
}

/** A register person by name prefix or full resident ID (the register's search: in scope, audited). */
function PersonPicker({ value, onChange }: { value?: number; onChange?: (id: number | undefined) => void }) {
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['services', 'person-search', q],
    queryFn: () => get<Page<PersonRow>>(`/api/persons${qs({ q, pageSize: 20 })}`),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      filterOption={false}
      onSearch={setQ}
      onChange={(id) => onChange?.(id)}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      options={(found.data?.items ?? []).map((p) => ({ value: p.id, title: p.name, label: `${p.name} · ${p.idMasked} · ${p.regionName}` }))}
      style={{ width: '100%' }}
      data-testid="svc-enrol-person"
    />
  );
}

function EnrolDialog({ providerId, onClose }: { providerId: number; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ personId: number; lat: number; lng: number; cardCode?: string }>();
  const enrol = useEnrolClient();
  const { error, run } = useSubmit();
  return (
    <Modal
      open
      title={t('svc.cl.enrol')}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={enrol.isPending}
      okButtonProps={{ 'data-testid': 'svc-enrol-ok' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          void run(async () => {
            const c = await enrol.mutateAsync({
              providerId,
              personId: v.personId,
              home: { lat: v.lat, lng: v.lng },
              cardCode: v.cardCode?.trim() || undefined,
            });
            message.success(t('svc.cl.done', { name: c.personName }));
            onClose();
          })
        }
      >
        <Form.Item name="personId" label={t('svc.cl.person')} rules={[{ required: true, message: t('svc.required') }]}>
          <PersonPicker />
        </Form.Item>
        <Space size={12} wrap>
          <Form.Item name="lat" label={t('svc.cl.lat')} rules={[{ required: true, message: t('svc.required') }]}>
            <InputNumber min={-90} max={90} step={0.0001} precision={6} style={{ width: 160 }} data-testid="svc-enrol-lat" />
          </Form.Item>
          <Form.Item name="lng" label={t('svc.cl.lng')} rules={[{ required: true, message: t('svc.required') }]}>
            <InputNumber min={-180} max={180} step={0.0001} precision={6} style={{ width: 160 }} data-testid="svc-enrol-lng" />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>
          {t('svc.cl.homeHint')}
        </Typography.Paragraph>
        <Form.Item name="cardCode" label={t('svc.cl.card')} rules={[{ pattern: /^\d{6,12}$/, message: t('svc.cl.cardBad') }]}>
          <Input maxLength={12} inputMode="numeric" autoComplete="off" data-testid="svc-enrol-card" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-enrol-error" />}
      </Form>
    </Modal>
  );
}

function Clients({ providerId }: { providerId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [enrolling, setEnrolling] = useState(false);
  const end = useEndClient();
  const paged = usePaged([...keys.clients, { providerId, q }], (page, pageSize) => fetchClients({ providerId, q: q || undefined }, page, pageSize));
  const staff = can('services.staff');
  const columns: ColumnsType<ClientView> = [
    {
      title: t('svc.col.person'),
      key: 'person',
      width: 150,
      render: (_, c) => (
        <div style={{ lineHeight: 1.3 }}>
          <Link to={`/register/${c.personId}`}>{c.personName}</Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.idMasked}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('svc.region'), dataIndex: 'regionName', width: 130 },
    { title: t('svc.cl.enrolled'), key: 'enrolled', width: 150, render: (_, c) => shanghaiTime(c.enrolledAt) },
    { title: t('svc.cl.hasCard'), key: 'card', width: 80, render: (_, c) => (c.hasCard ? t('svc.yes') : t('svc.no')) },
    {
      title: t('svc.status'),
      key: 'active',
      width: 90,
      render: (_, c) =>
        c.active ? (
          staff ? (
            <Popconfirm
              title={t('svc.cl.endConfirm', { name: c.personName })}
              okText={t('svc.cl.end')}
              cancelText={t('svc.close')}
              onConfirm={() => end.mutateAsync(c.id).catch((e: unknown) => void message.error((e as Error).message))}
            >
              <Button size="small" data-testid={`svc-end-client-${c.id}`}>
                {t('svc.cl.end')}
              </Button>
            </Popconfirm>
          ) : (
            <ActiveTag active />
          )
        ) : (
          <Tag>{t('svc.cl.ended')}</Tag>
        ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('svc.cl.title')}
      extra={
        staff && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEnrolling(true)} data-testid="svc-enrol">
            {t('svc.cl.enrol')}
          </Button>
        )
      }
    >
      <Input.Search
        allowClear
        placeholder={t('svc.cl.search')}
        style={{ maxWidth: 280, marginBottom: 8 }}
        onSearch={(v) => {
          setQ(v.trim());
          paged.setPage(1);
        }}
      />
      <PagedTable<ClientView> paged={paged} testId="svc-clients" size="small" rowKey={(c) => c.id} columns={columns} scroll={{ x: 600 }} />
      {enrolling && <EnrolDialog providerId={providerId} onClose={() => setEnrolling(false)} />}
    </Card>
  );
}

/** 服务商详情: the provider's record, its caregivers with their certificates (expired in red), its clients. */
export function ProviderPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const word = useWord();
  const id = Number(useParams().id);
  const providers = useProviders();
  const update = useUpdateProvider();
  const [editing, setEditing] = useState(false);
  if (providers.error) return <Alert type="error" showIcon message={providers.error.message} />;
  if (!providers.data) return <Skeleton active />;
  const p = providers.data.find((x) => x.id === id);
  if (!p) return <Alert type="warning" showIcon message={t('svc.pr.notFound')} data-testid="svc-provider-missing" />;
  return (
    <div data-testid="svc-provider-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Space size={8} wrap>
          <Link to="/services/providers">{t('svc.back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {p.name}
          </Typography.Title>
          <ActiveTag active={p.active} />
        </Space>
        {can('services.manage') && (
          <Space size={8}>
            <Button onClick={() => setEditing(true)}>{t('svc.edit')}</Button>
            <Button
              onClick={() =>
                update.mutateAsync({ id: p.id, active: !p.active }).catch((e: unknown) => {
                  message.error((e as Error).message);
                })
              }
            >
              {p.active ? t('svc.pr.deactivate') : t('svc.pr.activate')}
            </Button>
          </Space>
        )}
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} colon={false}>
          <Descriptions.Item label={t('svc.pr.kind')}>{word('svc.pkind', p.kind)}</Descriptions.Item>
          <Descriptions.Item label={t('svc.region')}>{p.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('svc.pr.creditCode')}>{p.creditCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('svc.pr.contact')}>{[p.contactName, p.phoneMasked].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('svc.pr.caregivers')}>{p.caregivers}</Descriptions.Item>
          <Descriptions.Item label={t('svc.pr.clients')}>{p.clients}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Caregivers providerId={p.id} />
        <Clients providerId={p.id} />
      </Space>
      {editing && <ProviderDialog provider={p} onClose={() => setEditing(false)} />}
    </div>
  );
}
