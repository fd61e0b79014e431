import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, InputNumber, Modal, Radio, Segmented, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { fetchAccounts, keys, useOpenAccount, useVolunteers } from './api';
import { Minutes } from './hours';
import { PersonPicker } from './pickers';
import type { AccountView, HolderKind } from './types';

export const holderKey = (k: HolderKind) => (k === 'volunteer' ? 'tb.holder.volunteer' : k === 'person' ? 'tb.holder.person' : 'tb.holder.system');

interface OpenForm {
  for: 'volunteer' | 'person';
  userId?: number;
  personId?: number;
}

/** 开户: for a volunteer (picked from the region's volunteers, or by user number) or a register person (a relative). */
function OpenAccount({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<OpenForm>();
  const kind = Form.useWatch('for', form) ?? 'volunteer';
  const volunteers = useVolunteers(open && can('visits.read'));
  const listed = volunteers.isSuccess;
  const opening = useOpenAccount();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: OpenForm) => {
    setError(null);
    try {
      const holder = v.for === 'volunteer' ? { userId: Number(v.userId) } : { personId: Number(v.personId) };
      const a = await opening.mutateAsync({ holder });
      message.success(t('tb.openAccount.done', { name: a.holder?.name ?? `#${a.id}` }));
      form.resetFields();
      onClose();
      navigate(`/timebank/accounts/${a.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('tb.openAccount.title')}
      okText={t('tb.openAccount.ok')}
      cancelText={t('tb.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={opening.isPending}
      okButtonProps={{ 'data-testid': 'tb-open-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ for: 'volunteer' }} onFinish={(v) => void submit(v)} data-testid="tb-open-form">
        <Form.Item name="for" label={t('tb.openAccount.for')}>
          <Radio.Group data-testid="tb-open-for">
            <Radio value="volunteer">{t('tb.openAccount.volunteer')}</Radio>
            {can('register.read') && <Radio value="person">{t('tb.openAccount.person')}</Radio>}
          </Radio.Group>
        </Form.Item>
        {kind === 'volunteer' &&
          (listed ? (
            <Form.Item name="userId" label={t('tb.openAccount.pickVolunteer')} rules={[{ required: true, message: t('tb.required') }]}>
              <Select
                showSearch
                optionFilterProp="title"
                data-testid="tb-open-volunteer"
                options={(volunteers.data ?? []).map((w) => ({ value: w.id, title: w.name, label: `${w.name}（${w.regionName}）` }))}
              />
            </Form.Item>
          ) : (
            <>
              {!volunteers.isFetching && <Alert type="info" showIcon message={t('tb.openAccount.noVolunteerList')} style={{ marginBottom: 12 }} />}
              <Form.Item name="userId" label={t('tb.openAccount.userId')} rules={[{ required: true, message: t('tb.required') }]}>
                <InputNumber min={1} precision={0} style={{ width: 200 }} data-testid="tb-open-userid" />
              </Form.Item>
            </>
          ))}
        {kind === 'person' && (
          <Form.Item name="personId" label={t('tb.openAccount.person')} rules={[{ required: true, message: t('tb.required') }]}>
            <PersonPicker testId="tb-open-person" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="tb-open-error" />}
      </Form>
    </Modal>
  );
}

/** 时间银行: the accounts of the viewer's region with their holder, where they were opened and the balance. */
export function AccountsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<'all' | 'volunteer' | 'person'>('all');
  const [opening, setOpening] = useState(false);
  const paged = usePaged([...keys.accounts, { q, kind }], (page, pageSize) => fetchAccounts(q, kind === 'all' ? undefined : kind, page, pageSize));
  const name = (a: AccountView) => a.holder?.name ?? `#${a.id}`;
  const columns: ColumnsType<AccountView> = [
    {
      title: t('tb.col.holder'),
      key: 'holder',
      render: (_, a) => (
        <Link to={`/timebank/accounts/${a.id}`} data-testid={`tb-account-${a.id}`}>
          {name(a)}
        </Link>
      ),
    },
    { title: t('tb.col.kind'), key: 'kind', width: 170, render: (_, a) => t(holderKey(a.holderKind)) },
    { title: t('tb.col.region'), dataIndex: 'regionName', width: 160 },
    {
      title: t('tb.col.balance'),
      key: 'balance',
      width: 150,
      align: 'right',
      render: (_, a) => <Minutes minutes={a.balanceMinutes} testId={`tb-balance-${a.id}`} />,
    },
    {
      title: t('tb.col.status'),
      key: 'status',
      width: 90,
      render: (_, a) => <Tag color={a.status === 'open' ? 'green' : undefined}>{a.status === 'open' ? t('tb.status.open') : t('tb.status.closed')}</Tag>,
    },
    { title: t('tb.col.opened'), dataIndex: 'openedAt', width: 170, render: (v: string) => shanghaiTime(v) },
  ];
  return (
    <div data-testid="timebank-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('tb.accounts.title')}
        </Typography.Title>
        {can('timebank.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="tb-open-account">
            {t('tb.openAccount')}
          </Button>
        )}
      </div>
      {!phone && <Alert type="info" showIcon message={t('tb.accounts.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('tb.search')}
          style={{ maxWidth: 320 }}
          onSearch={(v) => {
            setQ(v.trim());
            paged.setPage(1);
          }}
          data-testid="tb-search"
        />
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as typeof kind);
            paged.setPage(1);
          }}
          options={[
            { value: 'all', label: t('tb.kind.all') },
            { value: 'volunteer', label: t('tb.holder.volunteer') },
            { value: 'person', label: t('tb.holder.person') },
          ]}
          data-testid="tb-kind"
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="tb-accounts-cards"
          rowKey={(a) => a.id}
          renderCard={(a) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/timebank/accounts/${a.id}`} style={{ fontWeight: 600 }}>
                  {name(a)}
                </Link>
                <Minutes minutes={a.balanceMinutes} />
              </div>
              <div style={{ fontSize: 12 }}>
                {t(holderKey(a.holderKind))} · {a.regionName}
              </div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<AccountView> paged={paged} testId="tb-accounts" size="small" rowKey={(a) => a.id} columns={columns} scroll={{ x: 860 }} />
      )}
      <OpenAccount open={opening} onClose={() => setOpening(false)} />
    </div>
  );
}
