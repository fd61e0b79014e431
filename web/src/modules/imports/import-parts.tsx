import { useEffect } from 'react';
import { Alert, Button, Col, Row, Statistic, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { get, qs, type ImportSummary, type Page, type RowError } from '../../shared/api';
import { dash } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';

const countKeys: [keyof ImportSummary, MessageKey][] = [
  ['created', 'count.created'],
  ['updated', 'count.updated'],
  ['unchanged', 'count.unchanged'],
  ['conflicts', 'count.conflicts'],
  ['closed', 'count.closed'],
];

/** 新增 更新 未变 冲突 注销, optionally with the row totals first. */
export function ImportCounts({ summary, withTotals }: { summary: ImportSummary; withTotals?: boolean }) {
  const { t } = useI18n();
  const keys: [keyof ImportSummary, MessageKey][] = withTotals ? [['rowsTotal', 'count.total'], ['rowsBad', 'count.bad'], ...countKeys] : countKeys;
  return (
    <Row gutter={[16, 16]} justify="center">
      {keys.map(([k, label]) => (
        <Col key={k} xs={8} sm={6} md={4}>
          <Statistic title={t(label)} value={Number(summary[k] ?? 0)} valueStyle={k === 'rowsBad' && summary.rowsBad ? { color: '#cf1322' } : undefined} />
        </Col>
      ))}
    </Row>
  );
}

const statusColors: Record<string, string> = { applied: 'green', rejected: 'red', failed: 'volcano', applying: 'processing' };

export function ImportStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const known = ['applied', 'rejected', 'failed', 'applying'].includes(status);
  return <Tag color={statusColors[status]}>{known ? t(`istatus.${status}` as MessageKey) : status}</Tag>;
}

/** The download link of the row-error report (a CSV the officer opens in office software). */
export function ErrorReportLink({ importId }: { importId: number }) {
  const { t, locale } = useI18n();
  return (
    <Button href={`/api/imports/${importId}/errors.csv?lang=${locale}`} download={`import-${importId}-errors.csv`} data-testid="import-error-report">
      {t('import.errorReport')}
    </Button>
  );
}

/** 行号 列 值 原因, fetched page by page. */
export function ImportErrorsTable({ importId }: { importId: number }) {
  const { t } = useI18n();
  const paged = usePaged(['imports', importId, 'errors'], (page, pageSize) => get<Page<RowError>>(`/api/imports/${importId}/errors${qs({ page, pageSize })}`), {
    pageSize: 10,
  });
  const { setPage } = paged;

  useEffect(() => {
    setPage(1);
  }, [importId, setPage]);

  const columns: ColumnsType<RowError> = [
    { title: t('err.row'), dataIndex: 'row', width: 80 },
    { title: t('err.column'), dataIndex: 'column', width: 140, render: (v: string | null) => dash(v) },
    { title: t('err.value'), dataIndex: 'value', width: 180, render: (v: string | null) => dash(v) },
    { title: t('err.reason'), dataIndex: 'reason' },
  ];
  return (
    <div data-testid="import-errors">
      {paged.error && <Alert type="error" message={paged.error} style={{ marginBottom: 8 }} />}
      <PagedTable<RowError> paged={paged} rowKey={(r) => `${r.row}-${r.column ?? ''}-${r.reason}`} size="small" columns={columns} scroll={{ x: 560 }} />
    </div>
  );
}
