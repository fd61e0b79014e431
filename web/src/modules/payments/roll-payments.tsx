import { useState } from 'react';
import { Alert, App, Button, Descriptions, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router-dom';
import type { RollPaymentsReply } from '../../../../src/modules/payments/payments.schema';
import { downloadFile } from '../../shared/export-button';
import { shanghaiTime, yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useAuth } from '../../shared/auth';
import { disbursementUrl, useRefreshPayments, useRollPayments, useUploadReturn } from './api';

type Failed = RollPaymentsReply['failed'][number];

/** One approved roll's disbursement: export the bank's file, import its return file, the failed payments. */
export function RollPaymentsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const rollId = Number(useParams().rollId);
  const q = useRollPayments(rollId);
  const upload = useUploadReturn(rollId);
  const refresh = useRefreshPayments();
  const [bank, setBank] = useState<string | undefined>(undefined);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const d = q.data;

  const exportFile = async () => {
    setExportError(null);
    setExporting(true);
    try {
      await downloadFile(disbursementUrl(rollId, bank ?? d?.batch?.bank), `disbursement-${rollId}`);
      message.success(t('payments.exported'));
    } catch (e) {
      setExportError((e as Error).message);
    } finally {
      setExporting(false);
      void refresh();
    }
  };

  const columns: ColumnsType<Failed> = [
    { title: t('payments.name'), dataIndex: 'name', width: 100 },
    { title: t('payments.idMasked'), dataIndex: 'idMasked', width: 180 },
    { title: t('payments.card'), dataIndex: 'cardMasked', width: 190 },
    { title: t('payments.bank'), dataIndex: 'bank', width: 140 },
    { title: t('payments.region'), dataIndex: 'regionName', width: 140 },
    { title: t('payments.amount'), dataIndex: 'amountFen', width: 100, align: 'right', render: (v: number) => yuan(v) },
    { title: t('payments.code'), dataIndex: 'bankCode', width: 100 },
    { title: t('payments.reason'), dataIndex: 'reason', width: 200 },
    {
      title: t('payments.reissued'),
      dataIndex: 'reissuedRollId',
      width: 160,
      render: (v: number | null) => (v ? <Tag color="green">{t('payments.reissuedIn', { roll: v })}</Tag> : <Tag color="orange">{t('payments.waiting')}</Tag>),
    },
  ];

  if (q.error) return <Alert type="error" showIcon message={q.error.message} />;
  if (!d) return null;
  return (
    <div data-testid="roll-payments">
      <Typography.Title level={4}>
        <Link to="/payments">{t('menu.payments')}</Link> / {t('payments.title', { period: d.roll.period, item: d.roll.itemName, town: d.roll.townName })}
      </Typography.Title>
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('payments.lines')}>{d.roll.lines}</Descriptions.Item>
        <Descriptions.Item label={t('payments.total')}>{yuan(d.roll.totalFen)}</Descriptions.Item>
        <Descriptions.Item label={t('payments.batch')}>
          {d.batch ? (
            <span data-testid="payment-counts">
              {d.batch.reference} <Tag color="green">{`${t('payments.paid')} ${d.batch.paid}`}</Tag>
              <Tag color={d.batch.failed ? 'red' : undefined}>{`${t('payments.failed')} ${d.batch.failed}`}</Tag>
              <Tag>{`${t('payments.pending')} ${d.batch.pending}`}</Tag>
              <br />
              <Typography.Text type="secondary">
                {t('payments.exportedBy', { at: shanghaiTime(d.batch.exportedAt), by: d.batch.exportedBy, n: d.batch.exports })}
              </Typography.Text>
            </span>
          ) : (
            t('payments.notExported')
          )}
        </Descriptions.Item>
      </Descriptions>
      <Space style={{ margin: '16px 0' }} wrap>
        <Select
          style={{ minWidth: 180 }}
          placeholder={t('payments.bank')}
          value={bank ?? d.batch?.bank ?? d.banks[0]?.bank}
          onChange={setBank}
          options={d.banks.map((b) => ({ value: b.bank, label: `${b.bank}（${b.format.toUpperCase()}）` }))}
          data-testid="payment-bank"
        />
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportFile()} data-testid="payment-export">
          {t('payments.export')}
        </Button>
        {can('payments.reconcile') && d.batch ? (
          <span data-testid="payment-return-upload">
            <Upload
              accept=".csv,.xlsx"
              showUploadList={false}
              beforeUpload={(file) => {
                upload.mutate(file, { onSuccess: (r) => message.success(t('payments.uploaded', { rows: r.rows, paid: r.paid, failed: r.failed })) });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending}>
                {t('payments.upload')}
              </Button>
            </Upload>
          </span>
        ) : null}
      </Space>
      {exportError ? <Alert type="error" showIcon message={exportError} style={{ marginBottom: 12 }} data-testid="payment-export-error" /> : null}
      {upload.error ? <Alert type="error" showIcon message={upload.error.message} style={{ marginBottom: 12 }} data-testid="payment-return-error" /> : null}
      <Typography.Title level={5}>{t('payments.failedLines')}</Typography.Title>
      <Table<Failed>
        rowKey="personId"
        size="small"
        columns={columns}
        dataSource={d.failed}
        scroll={{ x: 1300 }}
        locale={{ emptyText: t('payments.noFailed') }}
        pagination={{ pageSize: 50 }}
        data-testid="payment-failed"
      />
      {d.returns.length ? (
        <>
          <Typography.Title level={5}>{t('payments.returns')}</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.returns}
            columns={[
              { title: t('payments.returnFile'), dataIndex: 'fileName' },
              { title: t('payments.paid'), dataIndex: 'paid', width: 80, align: 'right' },
              { title: t('payments.failed'), dataIndex: 'failed', width: 80, align: 'right' },
              { title: t('payments.importedAt'), dataIndex: 'importedAt', width: 180, render: (v: string) => shanghaiTime(v) },
              { title: t('payments.importedBy'), dataIndex: 'importedBy', width: 120 },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
