import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, Modal, Segmented, Select, Space, Tabs, Tooltip, TreeSelect, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchEscalations, fetchFollowups, keys, useFollowupAction, type FollowupFilters } from './api';
import { EscalationStatusTag, FOLLOWUP_KIND_KEYS, FollowupStatusTag, useKindLabel, useWords } from './labels';
import type { EscalationRow, FollowupKind, FollowupRow } from './types';

interface WorkerRef {
  id: number;
  name: string;
}

const FU_STATUSES = ['active', 'open', 'in_progress', 'closed', 'all'] as const;
const ESC_STATUSES = ['active', 'open', 'acknowledged', 'closed', 'all'] as const;

/** Who did it and when, on one small line. */
function ByAt({ who, at }: { who?: WorkerRef | null; at?: string | null }) {
  const { t } = useI18n();
  if (!at) return null;
  const name = who?.id === 0 ? t('v.fu.system') : (who?.name ?? '');
  return <div style={{ fontSize: 12 }}>{t('v.esc.by', { name, at: shanghaiTime(at) })}</div>;
}

/** One line cut with an ellipsis where its column is narrow, the whole text on hover. */
function Cut({ text, secondary = false }: { text: string; secondary?: boolean }) {
  return (
    <Tooltip title={text}>
      <Typography.Text type={secondary ? 'secondary' : undefined} style={{ display: 'block', fontSize: secondary ? 12 : undefined }} ellipsis>
        {text}
      </Typography.Text>
    </Tooltip>
  );
}

/** The elder's name (to the profile) over their village: the key of every row, never cut off. */
function Who({ personId, name, regionName, testId }: { personId: number | string; name: string; regionName: string; testId?: string }) {
  return (
    <div style={{ lineHeight: 1.35 }}>
      <Link to={`/register/${personId}`} style={{ fontWeight: 500, whiteSpace: 'nowrap' }} data-testid={testId}>
        {name}
      </Link>
      <Cut text={regionName} secondary />
    </div>
  );
}

/** Asks for the resolution, then closes. */
function ResolutionDialog({
  title,
  note,
  open,
  busy,
  onOk,
  onCancel,
}: {
  title: string;
  /** what else closing does (an escalation and its hotline ticket are one case) */
  note?: string | null;
  open: boolean;
  busy: boolean;
  onOk: (resolution: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ resolution: string }>();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() =>
        void form.validateFields().then(
          (v) => onOk(v.resolution.trim()),
          () => undefined,
        )
      }
      okButtonProps={{ loading: busy, 'data-testid': 'visits-resolution-ok' } as ButtonProps}
      destroyOnHidden
    >
      {note && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={note} data-testid="visits-resolution-note" />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="resolution" label={t('v.fu.resolution')} rules={[{ required: true, whitespace: true, message: t('v.fu.needResolution') }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="visits-resolution" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FollowupsTab({ hotline }: { hotline: boolean }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const kindLabel = useKindLabel();
  const words = useWords();
  const [params, setParams] = useSearchParams();
  const handle = can('visits.followup_handle');
  const statusParam = params.get('status');
  const status = (FU_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as (typeof FU_STATUSES)[number]) : 'active';
  const kindParam = params.get('kind') ?? (hotline ? 'hotline' : '');
  const filters: FollowupFilters = {
    kind: (FOLLOWUP_KIND_KEYS as string[]).includes(kindParam) ? (kindParam as FollowupKind) : undefined,
    status,
    region: params.get('region') ?? undefined,
  };
  const paged = usePaged([...keys.followups, filters], (page, pageSize) => fetchFollowups(filters, page, pageSize));
  const act = useFollowupAction();
  const [closing, setClosing] = useState<FollowupRow | null>(null);
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value !== undefined) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
  };
  const take = async (r: FollowupRow) => {
    try {
      await act.mutateAsync({ what: 'take', id: r.id });
      message.success(t('v.fu.taken.ok'));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const close = async (resolution: string) => {
    if (!closing) return;
    try {
      await act.mutateAsync({ what: 'close', id: closing.id, resolution });
      message.success(t('v.fu.closed.ok'));
      setClosing(null);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const actions = (r: FollowupRow) =>
    handle && r.status !== 'closed' ? (
      <Space size={4}>
        {r.status === 'open' && (
          <Button size="small" onClick={() => void take(r)} data-testid={`fu-take-${r.id}`}>
            {t('v.fu.take')}
          </Button>
        )}
        <Button size="small" type="primary" onClick={() => setClosing(r)} data-testid={`fu-close-${r.id}`}>
          {t('v.fu.close')}
        </Button>
      </Space>
    ) : null;
  // Sized to fit a tablet (1024 px, the menu a strip of icons) without scrolling: the elder over
  // their village, long findings and resolutions cut with the full text on hover.
  const columns: ColumnsType<FollowupRow> = [
    {
      title: t('v.person'),
      key: 'person',
      width: 130,
      render: (_, r) => <Who personId={r.personId} name={r.name} regionName={r.regionName} testId={`fu-person-${r.id}`} />,
    },
    { title: t('v.fu.kind'), key: 'kind', width: 110, render: (_, r) => <Cut text={words(r.kindWords)} /> },
    {
      title: t('v.fu.finding'),
      key: 'finding',
      render: (_, r) => (
        <div>
          <Cut text={words(r.findingWords)} />
          {r.note && <Cut text={r.note} secondary />}
          {r.assessmentRequestId ? (
            <Typography.Text type="success" style={{ fontSize: 12 }}>
              {t('v.fu.reassessmentLinked')}
            </Typography.Text>
          ) : null}
          {r.hotlineTicketId ? (
            <Typography.Text type="success" style={{ fontSize: 12 }} data-testid={`fu-ticket-${r.id}`}>
              {t('v.fu.hotlineTicketLinked', { id: r.hotlineTicketId })}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    { title: t('v.fu.raised'), key: 'raised', width: 140, render: (_, r) => <ByAt who={r.raisedBy} at={r.raisedAt} /> },
    {
      title: t('v.fu.status'),
      key: 'status',
      width: 160,
      render: (_, r) => (
        <div>
          <FollowupStatusTag status={r.status} />
          {r.status === 'in_progress' && <ByAt who={r.takenBy} at={r.takenAt} />}
          {r.status === 'closed' && (
            <>
              <ByAt who={r.closedBy} at={r.closedAt} />
              {r.resolution && <Cut text={r.resolution} secondary />}
            </>
          )}
        </div>
      ),
    },
    { title: '', key: 'actions', width: 124, render: (_, r) => actions(r) },
  ];
  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
          <Segmented
            value={status}
            onChange={(v) => set('status', v === 'active' ? undefined : String(v))}
            options={FU_STATUSES.map((s) => ({ value: s, label: t(s === 'all' ? 'v.all' : (`v.fu.${s}` as MessageKey)) }))}
            data-testid="fu-status"
          />
        </div>
        <Select
          value={filters.kind ?? ''}
          onChange={(v: string) => set('kind', v)}
          options={[{ value: '', label: t('v.all') }, ...FOLLOWUP_KIND_KEYS.map((k) => ({ value: k, label: kindLabel(k) }))]}
          style={{ width: phone ? '100%' : 200 }}
          data-testid="fu-kind"
          aria-label={t('v.fu.kind')}
        />
        <TreeSelect
          treeData={regions}
          value={filters.region}
          onChange={(v?: string) => set('region', v || undefined)}
          placeholder={t('v.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 200 }}
          data-testid="fu-region"
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="fu-cards"
          rowKey={(r) => r.id}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                  {r.name}
                </Link>
                <FollowupStatusTag status={r.status} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {words(r.kindWords)} · {words(r.findingWords)}
              </div>
              {r.note && <div style={{ fontSize: 12 }}>{r.note}</div>}
              <div style={{ marginTop: 6 }}>{actions(r)}</div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<FollowupRow> paged={paged} testId="fu-table" size="small" rowKey={(r) => r.id} columns={columns} tableLayout="fixed" />
      )}
      <ResolutionDialog
        title={t('v.fu.closeTitle')}
        note={closing?.escalationId ? t('v.fu.closeWithEscalation') : null}
        open={closing !== null}
        busy={act.isPending}
        onOk={(v) => void close(v)}
        onCancel={() => setClosing(null)}
      />
    </div>
  );
}

function EscalationsTab() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const handle = can('visits.followup_handle');
  const statusParam = params.get('escStatus');
  const status = (ESC_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as (typeof ESC_STATUSES)[number]) : 'active';
  const paged = usePaged([...keys.escalations, status], (page, pageSize) => fetchEscalations(status, page, pageSize));
  const act = useFollowupAction();
  const [closing, setClosing] = useState<EscalationRow | null>(null);
  const setStatus = (v: string) => {
    const next = new URLSearchParams(params);
    if (v === 'active') next.delete('escStatus');
    else next.set('escStatus', v);
    setParams(next, { replace: true });
    paged.setPage(1);
  };
  const acknowledge = async (r: EscalationRow) => {
    try {
      await act.mutateAsync({ what: 'acknowledge', id: r.id });
      message.success(t('v.esc.ack.ok'));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const close = async (resolution: string) => {
    if (!closing) return;
    try {
      await act.mutateAsync({ what: 'closeEscalation', id: closing.id, resolution });
      message.success(t('v.esc.closed.ok'));
      setClosing(null);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const actions = (r: EscalationRow) =>
    handle && r.status !== 'closed' ? (
      <Space size={4}>
        {r.status === 'open' && (
          <Button size="small" type="primary" onClick={() => void acknowledge(r)} data-testid={`esc-ack-${r.id}`}>
            {t('v.esc.acknowledge')}
          </Button>
        )}
        <Button size="small" onClick={() => setClosing(r)} data-testid={`esc-close-${r.id}`}>
          {t('v.esc.close')}
        </Button>
      </Space>
    ) : null;
  // Sized to fit a tablet (1024 px, the menu a strip of icons) without scrolling: the elder over
  // their village first and never cut off, the last window with the misses in a row, the actions last.
  const columns: ColumnsType<EscalationRow> = [
    {
      title: t('v.person'),
      key: 'person',
      width: 150,
      render: (_, r) => <Who personId={r.personId} name={r.name} regionName={r.regionName} testId={`esc-person-${r.id}`} />,
    },
    {
      title: t('v.esc.lastWindow'),
      key: 'window',
      width: 130,
      render: (_, r) => (
        <div style={{ lineHeight: 1.35 }}>
          <div style={{ whiteSpace: 'nowrap' }}>{r.lastWindowEnd}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {t('v.esc.missed')} {t('v.overdue.times', { n: r.missedWindows })}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('v.esc.raised'),
      key: 'raised',
      width: 140,
      render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{shanghaiTime(r.raisedAt).slice(0, 16)}</span>,
    },
    {
      title: t('v.esc.status'),
      key: 'status',
      render: (_, r) => (
        <div>
          <EscalationStatusTag status={r.status} />
          <ByAt who={r.acknowledgedBy} at={r.acknowledgedAt} />
          {r.status === 'closed' && (
            <>
              <ByAt who={r.closedBy} at={r.closedAt} />
              {r.resolution && <Cut text={r.resolution} secondary />}
            </>
          )}
        </div>
      ),
    },
    { title: '', key: 'actions', width: 132, render: (_, r) => actions(r) },
  ];
  return (
    <div>
      <div style={{ overflowX: 'auto', maxWidth: '100%', marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={ESC_STATUSES.map((s) => ({ value: s, label: t(s === 'all' ? 'v.all' : (`v.esc.${s}` as MessageKey)) }))}
          data-testid="esc-status"
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="esc-cards"
          rowKey={(r) => r.id}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                  {r.name}
                </Link>
                <EscalationStatusTag status={r.status} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {r.regionName} · {t('v.esc.lastWindow')} {r.lastWindowEnd}
              </div>
              {actions(r)}
            </Card>
          )}
        />
      ) : (
        <PagedTable<EscalationRow> paged={paged} testId="esc-table" size="small" rowKey={(r) => r.id} columns={columns} tableLayout="fixed" />
      )}
      <ResolutionDialog
        title={t('v.esc.closeTitle')}
        note={t('v.esc.closeWithTicket')}
        open={closing !== null}
        busy={act.isPending}
        onOk={(v) => void close(v)}
        onCancel={() => setClosing(null)}
      />
    </div>
  );
}

/**
 * 跟进与升级: the follow-ups visits raised, by kind and status (take, close with the resolution), and
 * the escalations of high-risk elders missed in a row (acknowledge, close). For the hotline operator
 * this is their queue: hotline tickets first.
 */
export function FollowupsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const hotline = user?.role === 'hotline_operator' || user?.role === 'hotline_supervisor';
  const tab = params.get('tab') === 'escalations' ? 'escalations' : 'followups';
  return (
    <div data-testid="visits-followups-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('v.fu.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t(hotline ? 'v.fu.hotlineIntro' : 'v.fu.intro')} style={{ marginBottom: 12 }} />}
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'escalations' ? { tab: k } : {})}
        destroyInactiveTabPane
        items={[
          { key: 'followups', label: t('v.fu.tab.followups'), children: <FollowupsTab hotline={hotline} /> },
          { key: 'escalations', label: t('v.fu.tab.escalations'), children: <EscalationsTab /> },
        ]}
      />
    </div>
  );
}
