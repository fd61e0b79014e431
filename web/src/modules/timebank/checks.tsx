import { Alert, App, Button, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';
import { fetchChecks, keys, useRunCheck } from './api';
import type { CheckProblems, CheckView } from './types';

/** A check's problems in words: the accounts and entries that do not balance, the ledger's sum (ids and figures only). */
function Problems({ p }: { p: CheckProblems }) {
  const { t } = useI18n();
  const parts = [
    ...p.accounts.map((a) => t('tb.checks.account', { id: a.accountId, balance: a.balance, sum: a.sum })),
    ...p.entries.map((e) => t('tb.checks.entry', { id: e.entryId, sum: e.sum, lines: e.lines })),
    ...(p.ledgerSum !== 0 ? [t('tb.checks.ledger', { sum: p.ledgerSum })] : []),
  ];
  return parts.length ? <span style={{ color: '#cf1322' }}>{parts.join('；')}</span> : <span>—</span>;
}

/** 账目核对: the daily checks that every account and the whole ledger balance; an officer runs one now. */
export function ChecksPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const paged = usePaged([...keys.checks], (page, pageSize) => fetchChecks(page, pageSize));
  const run = useRunCheck();
  const okTag = (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{t(ok ? 'tb.checks.ok' : 'tb.checks.bad')}</Tag>;
  const columns: ColumnsType<CheckView> = [
    { title: t('tb.col.on'), dataIndex: 'on', width: 110 },
    { title: t('tb.col.result'), key: 'ok', width: 100, render: (_, c) => <span data-testid={`tb-check-${c.id}`}>{okTag(c.ok)}</span> },
    { title: t('tb.col.accounts'), dataIndex: 'accounts', width: 90, align: 'right' },
    { title: t('tb.col.entries'), dataIndex: 'entries', width: 90, align: 'right' },
    { title: t('tb.col.problems'), key: 'problems', render: (_, c) => <Problems p={c.problems} /> },
    { title: t('tb.col.at'), dataIndex: 'at', width: 170, render: (v: string) => shanghaiTime(v) },
  ];
  return (
    <div data-testid="tb-checks-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('tb.checks.title')}
        </Typography.Title>
        {can('timebank.manage') && (
          <Button
            type="primary"
            loading={run.isPending}
            data-testid="tb-checks-run"
            onClick={() =>
              run.mutate(undefined, {
                onSuccess: (c) => void message.success(t('tb.checks.ran', { result: t(c.ok ? 'tb.checks.ok' : 'tb.checks.bad') })),
                onError: (e) => void message.error(e.message),
              })
            }
          >
            {t('tb.checks.run')}
          </Button>
        )}
      </div>
      <Alert type="info" showIcon message={t('tb.checks.intro')} style={{ marginBottom: 12 }} />
      <PagedTable<CheckView> paged={paged} testId="tb-checks" size="small" rowKey={(c) => c.id} columns={columns} scroll={{ x: 800 }} />
    </div>
  );
}
