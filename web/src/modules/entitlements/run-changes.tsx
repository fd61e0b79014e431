import { useState, type ReactNode } from 'react';
import { Alert, App, Card, Checkbox, Empty, Form, Grid, Select, Space, Spin, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { get, qs, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { ExportButton } from '../../shared/export-button';
import type { Change, ChangeKind, RunDetail } from './types';
import { useI18n } from '../../shared/i18n-core';
import { PersonStatusTag } from '../../shared/tags';
import { ChangeKindTag } from '../../shared/ent-tags';
import { missingLabels } from './explanation';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useMarkChangeHandled, useRun, useRuns } from './api';

interface Filters {
  kind?: ChangeKind;
  itemId?: string;
  handled?: 'true' | 'false';
}

/** 已跟进 of one change: the run's change list and counts refresh after it (useMarkChangeHandled). */
function HandledBox({ runId, change }: { runId: number; change: Change }) {
  const { message } = App.useApp();
  const handled = useMarkChangeHandled(runId);
  const [checked, setChecked] = useState(change.handled);
  return (
    <Checkbox
      checked={checked}
      disabled={handled.isPending}
      data-testid={`change-handled-${change.id}`}
      onChange={(e) => {
        const next = e.target.checked;
        handled.mutate(
          { changeId: change.id, handled: next },
          {
            onSuccess: () => setChecked(next),
            onError: (err) => void message.error(err.message),
          },
        );
      }}
    />
  );
}

/** What changed for the person: the kind, and the amounts or the facts to verify. */
function ChangeWhat({ r }: { r: Change }) {
  const { t, locale } = useI18n();
  return (
    <Space size={4} wrap>
      <ChangeKindTag kind={r.kind} />
      {r.kind === 'new' && <span>{r.to}</span>}
      {r.kind === 'ended' && (
        <Typography.Text delete type="secondary">
          {r.from}
        </Typography.Text>
      )}
      {r.kind === 'amount' && (
        <span>
          {r.from} → {r.to}
        </span>
      )}
      {r.kind === 'verify' && <Typography.Text type="warning">{t('change.verify', { facts: missingLabels(r.missing ?? [], locale) })}</Typography.Text>}
    </Space>
  );
}

/**
 * The change list on a phone (< 576 px): one card per person, their essentials first — name,
 * what changed, the item, where they live — and the follow-up tick at hand; the ID below.
 */
function ChangeCards({ paged, handled }: { paged: ReturnType<typeof usePaged<Page<Change>>>; handled: (r: Change) => ReactNode }) {
  const { t } = useI18n();
  return (
    <PagedCards
      paged={paged}
      testId="changes-cards"
      rowKey={(r) => r.id}
      renderCard={(r) => (
        <Card size="small" style={{ width: '100%' }} data-testid={`change-card-${r.id}`}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
            <Space direction="vertical" size={4} style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                <Link to={`/register/${r.personId}`} style={{ fontSize: 16, fontWeight: 600 }}>
                  {r.name}
                </Link>
                <PersonStatusTag status={r.status} />
              </Space>
              <ChangeWhat r={r} />
              <Typography.Text>{r.itemName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.townName} · {r.regionName}
                {r.closedOn ? ` · ${t('change.closedOn', { date: r.closedOn })}` : ''}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                {r.idMasked}
              </Typography.Text>
            </Space>
            <Space direction="vertical" size={2} align="center" style={{ flexShrink: 0 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('change.col.handled')}
              </Typography.Text>
              {handled(r)}
            </Space>
          </div>
        </Card>
      )}
    />
  );
}

/** 变动清单: who became eligible, who stopped, whose amount changed; officers tick what they followed up. */
export function RunChanges({ detail, initial = {} }: { detail: RunDetail; initial?: Filters }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const screens = Grid.useBreakpoint();
  // a phone: cards instead of a table squeezed into 390 px (before the first measure, xs is unknown: table)
  const phone = screens.xs === true;
  const [filters, setFilters] = useState<Filters>(initial);
  const runId = detail.run.id;
  const paged = usePaged(['runs', runId, 'changes', { kind: filters.kind, itemId: filters.itemId, handled: filters.handled }], (page, pageSize) =>
    get<Page<Change> & { mayHandle: boolean }>(`/api/runs/${runId}/changes${qs({ ...filters, page, pageSize })}`),
  );
  // the county's own people follow its list up; the city above reads it
  const canHandle = can('entitlements.handle_change') && (paged.answer?.mayHandle ?? false);
  const counts = detail.changeCounts;
  const handledCell = (r: Change) =>
    canHandle ? (
      <HandledBox key={`${r.id}-${String(r.handled)}`} runId={runId} change={r} />
    ) : (
      <Tag color={r.handled ? 'green' : 'default'}>{t(r.handled ? 'change.handled.true' : 'change.handled.false')}</Tag>
    );

  const columns: ColumnsType<Change> = [
    { title: t('change.col.name'), dataIndex: 'name', width: 90, render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('change.col.id'), dataIndex: 'idMasked', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('change.col.town'), dataIndex: 'townName', width: 100 },
    { title: t('change.col.village'), dataIndex: 'regionName', width: 110 },
    { title: t('change.item'), dataIndex: 'itemName', width: 150 },
    {
      title: t('change.col.change'),
      key: 'change',
      width: 260,
      render: (_, r) => <ChangeWhat r={r} />,
    },
    {
      title: t('change.col.status'),
      key: 'status',
      width: 150,
      render: (_, r) => (
        <Space size={2} direction="vertical">
          <PersonStatusTag status={r.status} />
          {r.closedOn && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('change.closedOn', { date: r.closedOn })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('change.col.handled'), dataIndex: 'handled', width: 80, fixed: 'right', render: (_: boolean, r) => handledCell(r) },
  ];

  return (
    <div>
      {counts.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="change-counts">
          {counts.map((c) => (
            <Tag key={c.kind} color={c.kind === 'new' ? 'green' : c.kind === 'ended' ? 'red' : c.kind === 'verify' ? 'gold' : 'orange'}>
              {t('change.count', { label: t(`change.kind.${c.kind}`), n: c.n, handled: c.handled })}
            </Tag>
          ))}
        </Space>
      )}
      <Form<Filters>
        layout="inline"
        initialValues={initial}
        onValuesChange={(_, all) => {
          setFilters(all);
          paged.setPage(1);
        }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('change.kind')}
            style={{ width: 130 }}
            data-testid="changes-kind"
            options={(['new', 'ended', 'amount', 'verify'] as const).map((k) => ({ value: k, label: t(`change.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="itemId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('change.item')}
            style={{ width: 200 }}
            data-testid="changes-item"
            options={detail.items.filter((i) => i.when === 'monthly').map((i) => ({ value: i.id, label: `${i.no}. ${i.name}` }))}
          />
        </Form.Item>
        <Form.Item name="handled">
          <Select
            allowClear
            placeholder={t('change.handled')}
            style={{ width: 120 }}
            data-testid="changes-handled"
            options={[
              { value: 'false', label: t('change.handled.false') },
              { value: 'true', label: t('change.handled.true') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          {/* every change of the filter (not the page shown), masked unless full IDs are asked for: audited on the server */}
          <ExportButton
            url={`/api/runs/${runId}/changes/export${qs({ kind: filters.kind, itemId: filters.itemId, handled: filters.handled })}`}
            fileName={`changes-${detail.run.period}.xlsx`}
            full={can('register.reveal')}
            testId="changes-export"
          />
        </Form.Item>
      </Form>
      {phone ? (
        <ChangeCards paged={paged} handled={handledCell} />
      ) : (
        <PagedTable<Change>
          testId="changes-table"
          paged={paged}
          rowKey="id"
          size="small"
          columns={columns}
          scroll={{ x: 1200 }}
          locale={{ emptyText: detail.run.previousRunId ? undefined : t('run.noChanges') }}
        />
      )}
    </div>
  );
}

const KINDS = ['new', 'ended', 'amount', 'verify'] as const;

/**
 * 待办 / 变动跟进: the change list of the latest finished run, open ones first — the work queue
 * of whoever follows changes up (a grid worker's main page). `?kind=verify` opens the 待核实 ones.
 */
export function ChangesPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const runs = useRuns();
  const latest = runs.data?.items.find((r) => r.status === 'finished') ?? null;
  const run = useRun(latest?.id ?? null);
  const kind = KINDS.find((k) => k === params.get('kind'));
  let body: ReactNode;
  if (runs.error || run.error) body = <Alert type="error" showIcon message={(runs.error ?? run.error)!.message} />;
  else if (runs.data && !latest) body = <Empty description={t('changes.noRun')} />;
  else if (!run.data) body = <Spin style={{ display: 'block', margin: '80px auto' }} />;
  else body = <RunChanges detail={run.data} initial={{ handled: 'false', ...(kind ? { kind } : {}) }} />;
  return (
    <div data-testid="changes-page">
      <Space size={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.changes')}
        </Typography.Title>
        {latest && <Link to={`/runs/${latest.id}`}>{t('changes.ofRun', { period: latest.period })}</Link>}
      </Space>
      {body}
    </div>
  );
}
