import { useEffect, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Space, Spin, Tabs, Tooltip, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { dash } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PersonStatusTag } from '../../shared/tags';
import { PersonTags } from './person-tags';
import { AccessLog, AttributesTable, HistoryTable, PersonConflicts } from './profile-tabs';
import { ProfileEntitlements } from '../entitlements/profile-entitlements';
import { ProfilePayments } from '../entitlements/profile-payments';
import { ProfileCapability } from '../assessment/profile-capability';
import { ProfileVisits } from '../visits/profile-visits';
import { usePerson, useReveal } from './api';

type Sensitive = 'idNumber' | 'phone';

/** A masked value with 显示完整: the reveal is a separate, audited call. */
function MaskedValue(props: { masked: string | null; full?: string; canReveal: boolean; onReveal: () => Promise<void>; testid: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  return (
    <Space size="small" wrap>
      <span style={{ fontFamily: 'monospace' }} data-testid={`${props.testid}-value`}>
        {props.full ?? dash(props.masked)}
      </span>
      {props.canReveal && props.masked && props.full === undefined && (
        <Tooltip title={t('profile.revealHint')}>
          <Button
            size="small"
            type="link"
            loading={busy}
            data-testid={`${props.testid.replace('profile-', 'profile-reveal-')}`}
            onClick={() => {
              setBusy(true);
              void props.onReveal().finally(() => setBusy(false));
            }}
          >
            {t('profile.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}

/** 精准画像 (foundation part): who the person is, where each fact came from, who looked. */
export function ProfilePage() {
  const { id } = useParams();
  const { t, pick } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const person = usePerson(id);
  const data = person.data ?? null;
  const error = person.error?.message ?? null;
  const revealing = useReveal(id);
  // full values shown, per person (a new profile starts masked)
  const [revealedById, setRevealed] = useState<Record<string, Partial<Record<Sensitive, string>>>>({});
  const revealed = revealedById[id ?? ''] ?? {};
  const [tab, setTab] = useState('basic');
  const [entOpened, setEntOpened] = useState(false);
  const [payOpened, setPayOpened] = useState(false);
  const [capOpened, setCapOpened] = useState(false);
  const [visitsOpened, setVisitsOpened] = useState(false);
  useEffect(() => {
    if (tab === 'entitlements') setEntOpened(true);
    if (tab === 'payments') setPayOpened(true);
    if (tab === 'capability') setCapOpened(true);
    if (tab === 'visits') setVisitsOpened(true);
  }, [tab]);

  const reveal = async (field: Sensitive) => {
    try {
      const r = await revealing.mutateAsync(field); // refreshes the profile: the access log now holds this reveal
      const key = id ?? '';
      setRevealed((prev) => ({ ...prev, [key]: { ...prev[key], [field]: r.value } }));
      message.info(t('profile.revealed', { field: t(field === 'idNumber' ? 'profile.id' : 'profile.phone') }));
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} action={<Link to="/register">{t('profile.back')}</Link>} />;
  if (!data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const p = data.person;
  const canReveal = can('register.reveal');
  const fieldLabels = new Map<string, string>([
    ['idNumber', t('profile.id')],
    ['phone', t('profile.phone')],
    ['idMasked', `${t('profile.id')}${t('profile.masked')}`],
    ['phoneMasked', `${t('profile.phone')}${t('profile.masked')}`],
    ...data.attributes.map((a) => [a.field, pick(a.label, a.labelEn)] as [string, string]),
  ]);
  const openConflicts = data.conflicts.filter((c) => c.status === 'open').length;

  const tabs = [
    { key: 'basic', label: t('profile.tab.basic'), children: <AttributesTable rows={data.attributes} /> },
    {
      key: 'conflicts',
      label: openConflicts ? `${t('profile.tab.conflicts')} (${openConflicts})` : t('profile.tab.conflicts'),
      children: <PersonConflicts rows={data.conflicts} canResolve={can('register.resolve_conflict')} />,
    },
    { key: 'history', label: t('profile.tab.history'), children: <HistoryTable rows={data.history} /> },
  ];
  if (can('entitlements.read')) {
    // Mounted only when opened: reading a person's entitlements is audited.
    tabs.splice(1, 0, {
      key: 'entitlements',
      label: t('ent.tab'),
      children: entOpened || tab === 'entitlements' ? <ProfileEntitlements personId={String(p.id)} /> : <span />,
    });
    // 发放记录: each month's payment and the back-pay and recovery behind it (also an audited read)
    tabs.splice(2, 0, {
      key: 'payments',
      label: t('pay.tab'),
      children: payOpened || tab === 'payments' ? <ProfilePayments personId={String(p.id)} /> : <span />,
    });
  }
  if (can('assessments.read') || can('assessments.request')) {
    // 能力评估 (a role that may only ask for one, a grid worker, sees the request alone): the level the rules read and the LTC grade beside it; mounted only when opened (an audited read)
    tabs.splice(can('entitlements.read') ? 3 : 1, 0, {
      key: 'capability',
      label: t('asm.cap.tab'),
      children: capOpened || tab === 'capability' ? <ProfileCapability personId={String(p.id)} /> : <span />,
    });
  }
  if (can('visits.read')) {
    // 探访: the visit plan, periods, visits and who visits them; mounted only when opened (audited reads)
    const at = tabs.findIndex((x) => x.key === 'history');
    tabs.splice(at, 0, {
      key: 'visits',
      label: t('v.profile.tab'),
      children: visitsOpened || tab === 'visits' ? <ProfileVisits personId={String(p.id)} /> : <span />,
    });
  }
  if (data.access) {
    tabs.push({ key: 'access', label: t('profile.tab.access'), children: <AccessLog rows={data.access} fieldLabel={(f) => fieldLabels.get(f) ?? f} /> });
  }

  return (
    <div data-testid="profile">
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/register">{t('menu.register')}</Link> }, { title: p.name }]} />
      <Card style={{ marginBottom: 16 }}>
        <Space align="center" wrap style={{ marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="profile-name">
            {p.name}
          </Typography.Title>
          <PersonStatusTag status={p.status} />
          <PersonTags tags={p.tags} />
          {can('hotline.contacts') && (
            <Link to={`/hotline/persons/${p.id}`} data-testid="profile-hotline">
              {t('profile.hotline')}
            </Link>
          )}
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 3 }}>
          <Descriptions.Item label={t('profile.sex')}>{t(p.sex === 'M' ? 'sex.M' : 'sex.F')}</Descriptions.Item>
          <Descriptions.Item label={t('profile.age')}>{p.age}</Descriptions.Item>
          <Descriptions.Item label={t('profile.birthDate')}>{p.birthDate}</Descriptions.Item>
          <Descriptions.Item label={t('profile.id')}>
            <MaskedValue masked={p.idMasked} full={revealed.idNumber} canReveal={canReveal} onReveal={() => reveal('idNumber')} testid="profile-id" />
          </Descriptions.Item>
          <Descriptions.Item label={t('profile.phone')}>
            <MaskedValue masked={p.phoneMasked} full={revealed.phone} canReveal={canReveal} onReveal={() => reveal('phone')} testid="profile-phone" />
          </Descriptions.Item>
          <Descriptions.Item label={t('profile.region')}>{p.regionPath.map((r) => r.name).join(' / ')}</Descriptions.Item>
          {p.closedOn && <Descriptions.Item label={t('profile.closedOn')}>{p.closedOn}</Descriptions.Item>}
        </Descriptions>
        {canReveal && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('profile.revealHint')}
          </Typography.Text>
        )}
      </Card>
      <Tabs activeKey={tab} onChange={setTab} items={tabs} />
    </div>
  );
}
