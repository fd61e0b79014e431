import { useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import type { RunDetail } from './types';
import { useRun } from './api';
import { shanghaiTime } from '../../shared/format';
import { actorName, paramSource } from '../../shared/labels';
import { useI18n } from '../../shared/i18n-core';
import { ParamValue } from '../catalogue/catalogue-params';
import { RunStatusTag } from '../../shared/ent-tags';
import { RunChanges } from './run-changes';
import { RunDuties } from './run-duties';
import { RunProgress } from './run-progress';

type ParamRow = RunDetail['params'][number];

/** 测算详情: what a run used (catalogue version, parameter values), what changed, this month's duties. */
export function RunDetailPage() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const runId = Number(id);
  const run$ = useRun(runId);
  const data = run$.data ?? null;
  const error = run$.error?.message ?? null;
  const client = useQueryClient();
  const load = () => void client.invalidateQueries({ queryKey: ['runs', runId, 'detail'] });
  const tab = params.get('tab') ?? 'changes';

  if (error) return <Alert type="error" showIcon message={error} action={<Link to="/runs">{t('common.back')}</Link>} />;
  if (!data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const { run, catalogue, calendar } = data;
  const verify = data.changeCounts.find((c) => c.kind === 'verify')?.n ?? 0;

  const paramCols: ColumnsType<ParamRow> = [
    { title: t('param.label'), dataIndex: 'label', width: 240 },
    { title: t('param.value'), dataIndex: 'value', width: 170, render: (v: number | string | null, r) => <ParamValue type={r.type} value={v} /> },
    { title: t('param.from'), dataIndex: 'from', width: 110 },
    {
      title: t('param.source'),
      dataIndex: 'source',
      render: (_: string, r) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {paramSource(r, locale)}
        </Typography.Text>
      ),
    },
  ];

  const tabs = [
    { key: 'changes', label: t('run.tab.changes'), children: <RunChanges detail={data} /> },
    { key: 'duties', label: t('run.tab.duties'), children: <RunDuties runId={run.id} /> },
  ];
  if (can('rolls.read')) {
    tabs.push({
      key: 'rolls',
      label: t('run.tab.rolls'),
      children: (
        <Space direction="vertical">
          <Typography.Text type="secondary">{t('run.rollsHint')}</Typography.Text>
          <Link to={`/rolls?runId=${run.id}`} data-testid="run-rolls-link">
            <Button type="primary">{t('run.rollsLink')}</Button>
          </Link>
        </Space>
      ),
    });
  }

  return (
    <div data-testid="run-detail">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          // back to the runs of this run's county (a city officer picked it there)
          { title: <Link to={`/runs?jurisdiction=${run.jurisdiction.code}`}>{t('menu.runs')}</Link> },
          { title: t('run.title', { period: run.period, id: run.id }) },
        ]}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space align="center" wrap style={{ marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('run.title', { period: run.period, id: run.id })}
          </Typography.Title>
          <RunStatusTag status={run.status} />
          {run.stale && (
            <Tag color="orange" data-testid="run-stale">
              {t('run.stale')}
            </Tag>
          )}
        </Space>
        {run.stale && (
          <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={run.stale} description={t('run.staleHint')} data-testid="run-stale-reason" />
        )}
        {run.status === 'running' && <RunProgress runId={run.id} onEnded={load} />}
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('run.catalogue')}>
            {catalogue.title} · {catalogue.effective}
          </Descriptions.Item>
          <Descriptions.Item label="SHA-256">
            <span style={{ fontFamily: 'monospace', fontSize: 12 }} title={catalogue.sha256}>
              {catalogue.sha256.slice(0, 12)}…
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('run.previous')}>
            {run.previousRunId ? <Link to={`/runs/${run.previousRunId}`}>#{run.previousRunId}</Link> : '—'}
          </Descriptions.Item>
          {/* jurisdiction totals: a town or village officer is shown none (their change counts are below) */}
          {run.personsTotal !== null && (
            <Descriptions.Item label={t('run.persons')}>
              {(run.personsDone ?? 0).toLocaleString()} / {run.personsTotal.toLocaleString()}
            </Descriptions.Item>
          )}
          {run.granted !== null && <Descriptions.Item label={t('run.granted')}>{run.granted.toLocaleString()}</Descriptions.Item>}
          {run.changes !== null && <Descriptions.Item label={t('run.changes')}>{run.changes.toLocaleString()}</Descriptions.Item>}
          {/* 待核实 rows are listed with the changes but not counted as changes (they recur every
              month until resolved): counted here beside them, so the header adds up to the list */}
          {run.changes !== null && verify > 0 && (
            <Descriptions.Item label={t('change.kind.verify')}>
              <span data-testid="run-verify-count">{verify.toLocaleString()}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('run.startedBy')}>{actorName(run.startedBy, locale)}</Descriptions.Item>
          <Descriptions.Item label={t('run.startedAt')}>{shanghaiTime(run.startedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('run.finishedAt')}>{shanghaiTime(run.finishedAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('run.chongyang')}>
            {t(calendar.chongyangInPeriod ? 'run.chongyangIn' : 'run.chongyangOut', { date: calendar.chongyang })}
          </Descriptions.Item>
          {run.message && <Descriptions.Item label={t('run.message')}>{run.message}</Descriptions.Item>}
        </Descriptions>
        <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
          {t('run.paramsUsed')}
        </Typography.Text>
        <Table<ParamRow>
          rowKey="name"
          size="small"
          columns={paramCols}
          dataSource={data.params}
          pagination={false}
          scroll={{ x: 720 }}
          data-testid="run-params"
        />
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          const n = new URLSearchParams(params);
          n.set('tab', k);
          setParams(n, { replace: true });
        }}
        items={tabs}
      />
    </div>
  );
}
