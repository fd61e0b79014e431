import { Alert, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import type { PaymentsReply } from '../../../../src/modules/payments/payments.schema';
import { yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { usePayments } from './api';

type Row = PaymentsReply['items'][number];

/** 代发与回盘: the approved rolls, each with its batch sent to the bank and what the bank answered. */
export function PaymentsPage() {
  const { t } = useI18n();
  const q = usePayments();
  const columns: ColumnsType<Row> = [
    { title: t('payments.period'), dataIndex: 'period', width: 100 },
    { title: t('payments.item'), dataIndex: 'itemName', render: (v: string, r) => <Link to={`/payments/${r.rollId}`}>{v}</Link> },
    { title: t('payments.town'), dataIndex: 'townName', width: 140 },
    { title: t('payments.lines'), dataIndex: 'lines', width: 80, align: 'right' },
    { title: t('payments.total'), dataIndex: 'totalFen', width: 120, align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('payments.batch'),
      key: 'batch',
      render: (_, r) =>
        r.batch ? (
          <span>
            {r.batch.reference} <Tag color="green">{`${t('payments.paid')} ${r.batch.paid}`}</Tag>
            <Tag color={r.batch.failed ? 'red' : undefined}>{`${t('payments.failed')} ${r.batch.failed}`}</Tag>
            {r.batch.pending ? <Tag>{`${t('payments.pending')} ${r.batch.pending}`}</Tag> : null}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('payments.notExported')}</Typography.Text>
        ),
    },
  ];
  return (
    <div data-testid="payments-page">
      <Typography.Title level={4}>{t('menu.payments')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('payments.hint')}</Typography.Paragraph>
      {q.error ? <Alert type="error" showIcon message={q.error.message} /> : null}
      <Table<Row>
        rowKey="rollId"
        size="small"
        loading={q.isLoading}
        columns={columns}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('payments.none') }}
        pagination={{ pageSize: 50 }}
      />
    </div>
  );
}
