import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLiveEvents } from '../../hooks/use-events';
import { Descriptions, Drawer, Grid, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { get, qs, type ImportSummary, type Page } from '../../shared/api';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { ErrorReportLink, ImportCounts, ImportErrorsTable, ImportStatusTag } from './import-parts';
import { PagedTable, usePaged } from '../../shared/paged';

/** Who imported: the person's name; imports by the command line or the demo have none. */
function importer(s: ImportSummary, pick: (zh: string, en: string) => string): string {
  return s.importedByName ?? (s.importedBy === null ? pick('系统', 'System') : `#${s.importedBy}`);
}

function ImportDetail({ summary }: { summary: ImportSummary }) {
  const { t, pick } = useI18n();
  return (
    <div data-testid="import-detail">
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('history.source')}>{pick(summary.sourceLabel, summary.sourceLabelEn)}</Descriptions.Item>
        <Descriptions.Item label={t('history.file')}>
          {summary.fileName} ({summary.format}
          {summary.encoding ? `, ${summary.encoding}` : ''})
        </Descriptions.Item>
        <Descriptions.Item label={t('history.asOf')}>{summary.asOf}</Descriptions.Item>
        <Descriptions.Item label={t('history.status')}>
          <ImportStatusTag status={summary.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('history.by')}>
          <span data-testid="import-by">{importer(summary, pick)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('history.at')}>{shanghaiTime(summary.startedAt)}</Descriptions.Item>
        {summary.message && <Descriptions.Item label={t('history.message')}>{summary.message}</Descriptions.Item>}
      </Descriptions>
      <ImportCounts summary={summary} withTotals />
      {summary.rowsBad > 0 && (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t('import.errors')}</Typography.Title>
          <div style={{ marginBottom: 8 }}>
            <ErrorReportLink importId={summary.id} />
          </div>
          <ImportErrorsTable importId={summary.id} />
        </div>
      )}
    </div>
  );
}

/** 导入记录: every import, accepted or not, with its counts and row errors. */
export function ImportHistoryPage() {
  const { t, pick } = useI18n();
  const screens = Grid.useBreakpoint();
  const paged = usePaged(['imports'], (page, pageSize) => get<Page<ImportSummary>>(`/api/imports${qs({ page, pageSize })}`));
  const [open, setOpen] = useState<ImportSummary | null>(null);
  // an import started or ended anywhere (another tab, another officer, the command line) shows at
  // once: the list reloads when an import's status changes, not at each of its progress events
  const client = useQueryClient();
  const statuses = useRef(new Map<number, string>());
  useLiveEvents<{ id: number; status: string }>('import', (e) => {
    if (statuses.current.get(e.id) === e.status) return;
    statuses.current.set(e.id, e.status);
    void client.invalidateQueries({ queryKey: ['imports'] });
  });

  const num = (v: number) => v;
  const columns: ColumnsType<ImportSummary> = [
    { title: t('history.at'), dataIndex: 'startedAt', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('history.source'), dataIndex: 'sourceLabel', render: (_: string, r) => pick(r.sourceLabel, r.sourceLabelEn) },
    { title: t('history.file'), dataIndex: 'fileName', ellipsis: true },
    { title: t('history.asOf'), dataIndex: 'asOf', width: 110 },
    { title: t('history.status'), dataIndex: 'status', width: 90, render: (v: string) => <ImportStatusTag status={v} /> },
    { title: t('history.by'), dataIndex: 'importedByName', width: 120, render: (_: string | null, r) => importer(r, pick) },
    { title: t('count.total'), dataIndex: 'rowsTotal', width: 80, render: num },
    { title: t('count.bad'), dataIndex: 'rowsBad', width: 80, render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
    { title: t('count.created'), dataIndex: 'created', width: 70, render: num },
    { title: t('count.updated'), dataIndex: 'updated', width: 70, render: num },
    { title: t('count.conflicts'), dataIndex: 'conflicts', width: 70, render: num },
    { title: t('count.closed'), dataIndex: 'closed', width: 70, render: num },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.importHistory')}
      </Typography.Title>
      <PagedTable<ImportSummary>
        testId="import-history-table"
        paged={paged}
        rowKey="id"
        size="middle"
        columns={columns}
        scroll={{ x: 1100 }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
      />
      <Drawer
        title={open ? `${t('history.detail')} #${open.id}` : ''}
        open={open !== null}
        onClose={() => setOpen(null)}
        width={screens.md ? 760 : '100%'}
        destroyOnClose
      >
        {open && <ImportDetail summary={open} />}
      </Drawer>
    </div>
  );
}
