import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Empty, Form, Grid, Input, Modal, Pagination, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import type { PersonRow } from '../../shared/api';
import { useI18n, type I18n } from '../../shared/i18n-core';
import { useAct, useApply, useDetail, usePersonSearch, useQueue, useQueueFacilities, useRefreshQueues } from './api';
import type { ApplicationView, ApplyReply, BedType, QueueReply } from './types';
import { PositionHistory, WhyPlaced } from './why';

const BED_TYPES: BedType[] = ['ordinary', 'nursing', 'dementia'];

/** 入住轮候: an institution's queue per bed type, ranked by rule, with its applications and offers. */
export function QueuePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const facilities = useQueueFacilities();
  const [facilityId, setFacilityId] = useState<number | undefined>(undefined);
  const [bedType, setBedType] = useState<BedType>('ordinary');
  const [adding, setAdding] = useState(false);
  const [receipt, setReceipt] = useState<ApplyReply | null>(null);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [facilityId, bedType]);
  const queue = useQueue(facilityId, bedType, page);
  const refresh = useRefreshQueues();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;

  useEffect(() => {
    const first = facilities.data?.items[0];
    if (facilityId === undefined && first) setFacilityId(first.id);
  }, [facilities.data, facilityId]);
  const facility = facilities.data?.items.find((f) => f.id === facilityId);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="adm-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('adm.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('adm.intro')}
      </Typography.Paragraph>
      {facilities.error && <Alert type="error" showIcon message={facilities.error.message} />}
      <Card size="small">
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
          <Select<number>
            style={{ minWidth: 0, width: narrow ? '100%' : undefined, flex: '1 1 220px', maxWidth: narrow ? undefined : 420 }}
            placeholder={t('adm.pickFacility')}
            aria-label={t('adm.facility')}
            value={facilityId}
            onChange={setFacilityId}
            loading={facilities.isFetching}
            options={(facilities.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
            data-testid="adm-facility"
          />
          <Segmented<BedType>
            value={bedType}
            onChange={setBedType}
            block={narrow}
            style={narrow ? { width: '100%' } : undefined}
            options={BED_TYPES.map((b) => ({
              value: b,
              label: <span style={{ whiteSpace: 'normal' }}>{`${t(`adm.bed.${b}`)}${facility ? ` (${facility.waiting[b]})` : ''}`}</span>,
            }))}
            data-testid="adm-bedtype"
          />
          <Space wrap style={{ marginLeft: narrow ? 0 : 'auto' }}>
            {can('admission.refresh') && (
              <Button
                loading={refresh.isPending}
                onClick={() =>
                  refresh.mutate(undefined, {
                    onSuccess: (r) => void message.success(t('adm.refreshed', r)),
                    onError: (e) => void message.error(e.message),
                  })
                }
                data-testid="adm-refresh"
              >
                {t('adm.refresh')}
              </Button>
            )}
            {can('admission.apply') && (
              <Button type="primary" disabled={!facilityId} onClick={() => setAdding(true)} data-testid="adm-add">
                {t('adm.add')}
              </Button>
            )}
          </Space>
        </div>
      </Card>
      {queue.error && <Alert type="error" showIcon message={queue.error.message} />}
      {queue.data && <Rules q={queue.data} />}
      {queue.data && <QueueList q={queue.data} onDetail={setDetailId} onPage={setPage} />}
      {adding && facilityId !== undefined && (
        <ApplyDialog
          facilityId={facilityId}
          bedType={bedType}
          onClose={() => setAdding(false)}
          onDone={(r) => {
            setAdding(false);
            setReceipt(r);
          }}
        />
      )}
      {receipt && <Receipt r={receipt} onClose={() => setReceipt(null)} />}
      <DetailDrawer id={detailId} onClose={() => setDetailId(null)} />
    </Space>
  );
}

function Rules({ q }: { q: QueueReply }) {
  const { t, pick } = useI18n();
  return (
    <Card size="small" title={t('adm.rules')} data-testid="adm-rules">
      <ol style={{ margin: 0, paddingLeft: 20 }}>
        {q.rules.tiers.map((r) => (
          <li key={r.tier}>
            <Typography.Text strong>{pick(r.label.zh, r.label.en)}</Typography.Text>
            <Typography.Text type="secondary"> — {pick(r.rule.zh, r.rule.en)}</Typography.Text>
          </li>
        ))}
      </ol>
      <div style={{ marginTop: 8 }}>
        <Tag color="gold" style={{ whiteSpace: 'normal', maxWidth: '100%' }}>
          {t('adm.rules.preference', { label: pick(q.rules.preference.zh, q.rules.preference.en) })}
        </Tag>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {q.rules.preferencePassesEarlier ? t('adm.rules.passes') : t('adm.rules.tieOnly')} ·{' '}
        {t(q.rules.onDecline === 'keep' ? 'adm.rules.decline.keep' : q.rules.onDecline === 'leave' ? 'adm.rules.decline.leave' : 'adm.rules.decline.back')}
      </Typography.Text>
    </Card>
  );
}

function QueueList({ q, onDetail, onPage }: { q: QueueReply; onDetail: (id: number) => void; onPage: (page: number) => void }) {
  const { t, pick } = useI18n();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const beds = q.freeBeds.length ? t('adm.freeBeds', { beds: q.freeBeds.map((b) => b.label).join('、') }) : t('adm.noFreeBeds');
  const tier = (a: ApplicationView) => (
    <Space size={4} wrap>
      <Tag color={a.tier === 1 ? 'red' : a.tier === null ? 'default' : 'blue'}>{a.tier === null ? t('adm.general') : t('adm.tierN', { n: a.tier })}</Tag>
      <span>{pick(a.tierLabel.zh, a.tierLabel.en)}</span>
      {a.preferred && <Tag color="gold">{t('adm.preferred')}</Tag>}
    </Space>
  );
  const columns: ColumnsType<ApplicationView> = [
    { title: t('adm.col.position'), dataIndex: 'position', width: 64, render: (p: number) => <Typography.Text strong>{p}</Typography.Text> },
    {
      title: t('adm.col.person'),
      key: 'person',
      width: 200,
      render: (_, a) => (
        <div>
          <div>
            {a.name}
            {a.age !== null && <Typography.Text type="secondary"> · {a.age}</Typography.Text>}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.idMasked}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('adm.col.tier'), key: 'tier', render: (_, a) => tier(a) },
    { title: t('adm.col.applied'), dataIndex: 'appliedOn', width: 110 },
    { title: t('adm.col.change'), key: 'change', render: (_, a) => (a.lastChange ? pick(a.lastChange.zh, a.lastChange.en) : '') },
    { title: t('adm.col.actions'), key: 'actions', width: 230, render: (_, a) => <Actions a={a} q={q} onDetail={onDetail} /> },
  ];
  return (
    <Card
      size="small"
      title={<span style={{ whiteSpace: 'normal' }}>{`${q.facility.name} · ${t(`adm.bed.${q.bedType}`)} · ${t('adm.waiting', { n: q.total })}`}</span>}
    >
      <Typography.Paragraph type="secondary" data-testid="adm-free-beds">
        {beds}
      </Typography.Paragraph>
      {q.items.length === 0 ? (
        <Empty description={t('adm.empty')} />
      ) : narrow ? (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="adm-cards">
          {q.items.map((a) => (
            <Card key={a.id} size="small" data-testid="adm-row">
              <div style={{ display: 'flex', gap: 12, alignItems: 'baseline' }}>
                <Typography.Text strong style={{ fontSize: 20 }}>
                  {a.position}
                </Typography.Text>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <div>
                    {a.name} <Typography.Text type="secondary">{a.idMasked}</Typography.Text>
                  </div>
                  {tier(a)}
                  <div>
                    <Typography.Text type="secondary">
                      {t('adm.col.applied')} {a.appliedOn}
                    </Typography.Text>
                  </div>
                  {a.lastChange && <div style={{ fontSize: 12 }}>{pick(a.lastChange.zh, a.lastChange.en)}</div>}
                  <Actions a={a} q={q} onDetail={onDetail} />
                </div>
              </div>
            </Card>
          ))}
          {q.total > q.pageSize && (
            <Pagination simple current={q.page} pageSize={q.pageSize} total={q.total} onChange={onPage} style={{ textAlign: 'center' }} />
          )}
        </Space>
      ) : (
        <Table<ApplicationView>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={q.items}
          pagination={q.total > q.pageSize ? { current: q.page, pageSize: q.pageSize, total: q.total, showSizeChanger: false, onChange: onPage } : false}
          scroll={{ x: 900 }}
          onRow={() => ({ 'data-testid': 'adm-row' }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );
}

function Actions({ a, q, onDetail }: { a: ApplicationView; q: QueueReply; onDetail: (id: number) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const act = useAct();
  const [offering, setOffering] = useState(false);
  const [bedId, setBedId] = useState<number | undefined>(undefined);
  // the first waiting is on the first page (the list is in order)
  const firstWaiting = q.page === 1 && q.items.find((i) => i.status === 'waiting')?.id === a.id;
  const run = (what: 'withdraw' | 'offer' | 'accept' | 'decline', bed?: number) => {
    const words = { name: a.name, bed: what === 'offer' ? (q.freeBeds.find((b) => b.id === bed)?.label ?? '') : (a.offer?.bedLabel ?? '') };
    act.mutate(
      { id: a.id, act: what, bedId: bed },
      {
        onError: (e) => void message.error(e.message),
        onSuccess: () => {
          setOffering(false);
          void message.success(t(`adm.done.${what}`, words));
        },
      },
    );
  };
  const bedOf = { name: a.name, bed: a.offer?.bedLabel ?? '' };
  return (
    <Space size={4} wrap style={{ marginTop: 4 }}>
      <Button size="small" type="link" onClick={() => onDetail(a.id)} data-testid="adm-detail">
        {t('adm.details')}
      </Button>
      {a.status === 'offered' && a.offer && <Tag color="green">{t('adm.offered', { bed: a.offer.bedLabel })}</Tag>}
      {can('admission.offer') && a.status === 'waiting' && firstWaiting && q.freeBeds.length > 0 && (
        <Button size="small" onClick={() => setOffering(true)} data-testid="adm-offer">
          {t('adm.offer')}
        </Button>
      )}
      {can('admission.offer') && a.status === 'offered' && (
        <>
          <Button
            size="small"
            type="primary"
            loading={act.isPending}
            onClick={() => void modal.confirm({ content: t('adm.accept.confirm', bedOf), onOk: () => run('accept') })}
            data-testid="adm-accept"
          >
            {t('adm.accept')}
          </Button>
          <Button
            size="small"
            onClick={() => void modal.confirm({ content: t('adm.decline.confirm', bedOf), onOk: () => run('decline') })}
            data-testid="adm-decline"
          >
            {t('adm.decline')}
          </Button>
        </>
      )}
      {can('admission.apply') && (
        <Button
          size="small"
          danger
          type="text"
          onClick={() => void modal.confirm({ content: t('adm.withdraw.confirm', { name: a.name }), onOk: () => run('withdraw') })}
          data-testid="adm-withdraw"
        >
          {t('adm.withdraw')}
        </Button>
      )}
      <Modal
        open={offering}
        title={t('adm.offer.title', { name: a.name })}
        onCancel={() => setOffering(false)}
        onOk={() => bedId !== undefined && run('offer', bedId)}
        okButtonProps={{ disabled: bedId === undefined, loading: act.isPending, ...({ 'data-testid': 'adm-offer-ok' } as Record<string, string>) }}
      >
        <Select<number>
          style={{ width: '100%' }}
          placeholder={t('adm.offer.pick')}
          value={bedId}
          onChange={setBedId}
          options={q.freeBeds.map((b) => ({ value: b.id, label: b.label }))}
          data-testid="adm-offer-bed"
        />
      </Modal>
    </Space>
  );
}

/**
 * A person found, as the hotline's picker shows one: name, sex, age (周岁, as the register's search
 * computes it) and village — namesakes of a county are not told apart by the masked ID, whose
 * visible part is only the region of issue.
 */
export function personOption(t: I18n['t'], p: Pick<PersonRow, 'name' | 'sex' | 'age' | 'regionName'>): string {
  const sex = p.sex === 'M' || p.sex === 'F' ? t(`adm.sex.${p.sex}`) : '';
  return [p.name, sex, t('adm.age', { n: p.age }), p.regionName].filter((part) => part !== '').join(' · ');
}

function PersonPicker({ value, onChange }: { value?: number; onChange?: (id: number | undefined) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = usePersonSearch(q);
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      placeholder={t('adm.apply.pickPerson')}
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      onChange={(id) => onChange?.(id)}
      options={(found.data?.items ?? []).map((p) => {
        const text = personOption(t, p);
        return { value: p.id, title: text, label: text };
      })}
      style={{ width: '100%' }}
      data-testid="adm-apply-person"
    />
  );
}

function ApplyDialog({ facilityId, bedType, onClose, onDone }: { facilityId: number; bedType: BedType; onClose: () => void; onDone: (r: ApplyReply) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ personId?: number; bedType: BedType; appliedOn: string }>();
  const apply = useApply();
  const submit = (v: { personId?: number; bedType: BedType; appliedOn: string }) =>
    apply.mutate({ personId: Number(v.personId), facilityId, bedType: v.bedType, appliedOn: v.appliedOn }, { onSuccess: onDone });
  return (
    <Modal open title={t('adm.apply.title')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ bedType, appliedOn: shanghaiToday() }} onFinish={submit}>
        <Form.Item name="personId" label={t('adm.apply.person')} rules={[{ required: true }]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="bedType" label={t('adm.bedType')}>
          <Segmented<BedType> options={BED_TYPES.map((b) => ({ value: b, label: t(`adm.bed.${b}`) }))} />
        </Form.Item>
        <Form.Item name="appliedOn" label={t('adm.apply.date')}>
          <Input type="date" max={shanghaiToday()} data-testid="adm-apply-date" />
        </Form.Item>
        {apply.error && <Alert type="error" showIcon message={apply.error.message} style={{ marginBottom: 12 }} data-testid="adm-apply-error" />}
        <Button type="primary" htmlType="submit" loading={apply.isPending} data-testid="adm-apply-ok">
          {t('adm.apply.ok')}
        </Button>
      </Form>
    </Modal>
  );
}

/** The receipt: the tracking code, shown this once (only its keyed hash is kept), to print for the family. */
function Receipt({ r, onClose }: { r: ApplyReply; onClose: () => void }) {
  const { t, pick } = useI18n();
  const a = r.application;
  const url = `${window.location.origin}/admission/track`;
  return (
    <Modal
      open
      title={t('adm.receipt.title')}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="print" onClick={() => window.print()}>
          {t('adm.receipt.print')}
        </Button>,
        <Button key="done" type="primary" onClick={onClose} data-testid="adm-receipt-done">
          {t('adm.receipt.done')}
        </Button>,
      ]}
    >
      <div data-testid="adm-receipt">
        <Typography.Paragraph>
          {a.name} · {a.facilityName} · {t(`adm.bed.${a.bedType}`)} · {a.appliedOn}
        </Typography.Paragraph>
        <Typography.Paragraph>
          {t('adm.receipt.code')}：
          <Typography.Text code copyable style={{ fontSize: 20, letterSpacing: 1 }} data-testid="adm-receipt-code">
            {r.trackingCode}
          </Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph strong>{t('adm.receipt.position', { n: a.position ?? 0 })}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{pick(a.tierLabel.zh, a.tierLabel.en)}</Typography.Paragraph>
        <Alert type="warning" showIcon message={t('adm.receipt.once')} />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('adm.receipt.where', { url })}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}

function DetailDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const d = useDetail(id);
  const screens = Grid.useBreakpoint();
  return (
    <Drawer open={id !== null} onClose={onClose} title={t('adm.detail.title')} width={screens.md ? 560 : '100%'} destroyOnHidden>
      {d.error && <Alert type="error" showIcon message={d.error.message} />}
      {d.data && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>
            {d.data.application.name} · {d.data.application.idMasked} · {t(`adm.status.${d.data.application.status}`)}
            {d.data.application.position !== null && ` · ${t('trk.positionN', { n: d.data.application.position })}`}
          </Typography.Text>
          <Typography.Title level={5}>{t('adm.why')}</Typography.Title>
          <WhyPlaced why={d.data.why} />
          <Typography.Title level={5}>{t('adm.history')}</Typography.Title>
          <PositionHistory history={d.data.history} />
        </Space>
      )}
    </Drawer>
  );
}
