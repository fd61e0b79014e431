import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Progress, Space, Table, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { get, qs } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import type { Run, RunImpact } from './types';
import { shanghaiTime, shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { actorName } from '../../shared/labels';
import { RollStatusTag, RunStatusTag } from '../../shared/ent-tags';
import { RunProgress } from './run-progress';
import { useRuns, useStartRun } from './api';
import { JurisdictionPicker, useJurisdictionParam } from '../../shared/jurisdiction';

/** What re-running the month touches, named before it starts (issue 12: nobody's work is lost unasked). */
function ImpactList({ impact }: { impact: RunImpact }) {
  const { t } = useI18n();
  if (!impact.rolls.length) return <Typography.Paragraph data-testid="run-impact-none">{t('run.confirmNone')}</Typography.Paragraph>;
  // rolls people worked on are named one by one; untouched drafts are only counted
  const worked = impact.rolls.filter((r) => r.effect !== 'replaced');
  const drafts = impact.rolls.length - worked.length;
  return (
    <>
      {worked.length > 0 && <Typography.Paragraph>{t('run.confirmRolls')}</Typography.Paragraph>}
      <ul style={{ maxHeight: 260, overflow: 'auto', paddingInlineStart: 20 }} data-testid="run-impact">
        {worked.map((r) => (
          <li key={r.id}>
            <Space size={4} wrap>
              <span>
                #{r.id} {r.itemName}（{r.townName}）
              </span>
              <RollStatusTag status={r.status} />
              {r.heldLines > 0 && <Tag color="red">{t('run.heldLines', { n: r.heldLines })}</Tag>}
              <Typography.Text type="secondary">{t(`run.effect.${r.effect}`)}</Typography.Text>
            </Space>
          </li>
        ))}
      </ul>
      {drafts > 0 && (
        <Typography.Paragraph type="secondary" data-testid="run-impact-drafts">
          {t('run.confirmDrafts', { n: drafts })}
        </Typography.Paragraph>
      )}
    </>
  );
}

function StartRun({ onStarted, jurisdiction }: { onStarted: (id: number) => void; jurisdiction?: string }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const [form] = Form.useForm<{ period: Dayjs }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const starting = useStartRun();
  const start = async (period: string) => {
    try {
      const r = await starting.mutateAsync({ period, jurisdiction });
      onStarted(r.id);
    } catch (e) {
      // PARAMETERS_UNSET, RUN_BUSY, a month too far ahead: the server says which and why.
      setError((e as Error).message);
    }
  };
  // Only the button starts a run, and only after the confirmation naming what it touches:
  // Enter in the month field does nothing.
  const ask = async () => {
    setError(null);
    let period: string;
    try {
      period = (await form.validateFields()).period.format('YYYY-MM');
    } catch {
      return;
    }
    setBusy(true);
    try {
      const impact = await get<RunImpact>(`/api/runs/impact${qs({ period, jurisdiction })}`);
      modal.confirm({
        title: t('run.confirmTitle', { period }),
        width: 560,
        content: (
          <>
            <Typography.Paragraph>{t('run.confirmBody', { period })}</Typography.Paragraph>
            <ImpactList impact={impact} />
          </>
        ),
        okText: t('run.confirmOk'),
        cancelText: t('common.cancel'),
        okButtonProps: { 'data-testid': 'run-confirm-ok' } as ButtonProps,
        onOk: () => start(period),
      });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('run.startHint')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        initialValues={{ period: dayjs(shanghaiToday()) }}
        style={{ rowGap: 8 }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
      >
        <Form.Item name="period" label={t('run.month')} rules={[{ required: true, message: t('common.required', { what: t('run.month') }) }]}>
          <DatePicker picker="month" allowClear={false} data-testid="run-period" />
        </Form.Item>
        <Button type="primary" htmlType="button" onClick={() => void ask()} loading={busy || starting.isPending} data-testid="run-start">
          {t('run.start')}
        </Button>
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="run-error" closable onClose={() => setError(null)} />}
    </>
  );
}

const count = (v: number | null) => (v === null ? '—' : v.toLocaleString());

/** 待遇测算: the runs of the jurisdiction; the bureau starts one for a month and watches it finish. */
export function RunsPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  // a city officer picks the county (the address keeps it); everyone else sees their own
  const [jurisdiction, setJurisdiction] = useJurisdictionParam();
  // The API gives no total for runs; one page of the latest 200 is the whole history for years.
  const runs = useRuns(jurisdiction);
  const data = runs.data ?? null;
  const error = runs.error?.message ?? null;
  const loading = runs.isFetching;
  const [tracking, setTracking] = useState<number | null>(null);
  const client = useQueryClient();
  const load = () => void client.invalidateQueries({ queryKey: ['runs'] });

  // A run already going (started elsewhere, or before a reload) is followed too.
  const running = data?.items.find((r) => r.status === 'running');
  // a county's runs are started by its own bureau (a city officer watches them)
  const mayStart = data?.mayStart ?? false;
  useEffect(() => {
    if (running && tracking === null) setTracking(running.id);
  }, [running, tracking]);

  const columns: ColumnsType<Run> = [
    { title: '#', dataIndex: 'id', width: 60 },
    { title: t('run.period'), dataIndex: 'period', width: 90 },
    {
      title: t('run.status'),
      dataIndex: 'status',
      width: 120,
      render: (v: Run['status'], r) => (
        <Space size={2} wrap>
          <RunStatusTag status={v} />
          {r.stale && (
            <Tooltip title={r.stale}>
              <Tag color="orange" data-testid="run-stale">
                {t('run.stale')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('run.progress'),
      key: 'progress',
      width: 160,
      render: (_, r) => (
        <Progress size="small" percent={r.progress} status={r.status === 'failed' ? 'exception' : r.status === 'running' ? 'active' : undefined} />
      ),
    },
    { title: t('run.persons'), dataIndex: 'personsTotal', width: 90, render: count },
    { title: t('run.granted'), dataIndex: 'granted', width: 100, render: count },
    { title: t('run.changes'), dataIndex: 'changes', width: 80, render: count },
    // 待核实 rows are listed with the changes but not counted as changes: counted beside them, as
    // the run's header does (run-detail.tsx), so the two add up to the change list
    {
      title: t('change.kind.verify'),
      dataIndex: 'verify',
      width: 80,
      render: (v: number | null) => <span data-testid="runs-verify-count">{count(v)}</span>,
    },
    { title: t('run.startedBy'), dataIndex: 'startedBy', width: 130, render: (v: string) => actorName(v, locale) },
    { title: t('run.startedAt'), dataIndex: 'startedAt', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('run.message'), dataIndex: 'message', ellipsis: true, render: (v: string | null) => v ?? '' },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.runs')}
      </Typography.Title>
      <JurisdictionPicker
        value={jurisdiction}
        onChange={(code) => {
          setTracking(null);
          setJurisdiction(code);
        }}
      />
      {data && (
        <Typography.Paragraph type="secondary" data-testid="runs-catalogue">
          {data.region.name} · {data.title}
          {data.partial && (
            <Tooltip title={t('catalogue.partialHint')}>
              <Tag style={{ marginInlineStart: 8 }}>{t('catalogue.partial')}</Tag>
            </Tooltip>
          )}
        </Typography.Paragraph>
      )}
      {((mayStart && can('entitlements.run')) || tracking !== null) && (
        <Card size="small" title={mayStart && can('entitlements.run') ? t('run.start') : undefined} style={{ marginBottom: 16 }} data-testid="run-start-card">
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            {/* the run list refreshes when a run starts (useStartRun) */}
            {mayStart && can('entitlements.run') && <StartRun onStarted={setTracking} jurisdiction={data?.region.code} />}
            {tracking !== null && <RunProgress key={tracking} runId={tracking} onEnded={load} />}
          </Space>
        </Card>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div data-testid="runs-table">
        <Table<Run>
          rowKey="id"
          size="middle"
          loading={loading && !data}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(r) => ({ onClick: () => navigate(`/runs/${r.id}`), style: { cursor: 'pointer' } })}
        />
      </div>
    </div>
  );
}
