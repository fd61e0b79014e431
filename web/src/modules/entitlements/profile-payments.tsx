import { Alert, Empty, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { RollStatusTag } from '../../shared/ent-tags';
import { ExportButton } from '../../shared/export-button';
import { yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { usePaymentHistory } from './api';
import { ProfilePauses } from './profile-pauses';
import type { PaymentHistory } from './types';

type Line = PaymentHistory['items'][number];

/** 发放记录 (profile tab): each month, item, amount, roll and status, and the months behind back-pay and recovery. */
export function ProfilePayments({ personId }: { personId: string }) {
  const { t } = useI18n();
  const history = usePaymentHistory(personId);
  if (history.error) return <Alert type="error" showIcon message={history.error.message} />;
  if (!history.data) return <Spin style={{ display: 'block', margin: '40px auto' }} />;
  const items = [...new Map(history.data.items.map((l) => [l.itemId, { value: l.itemId, label: l.itemName }])).values()];
  const pauses = <ProfilePauses personId={personId} items={items} />;
  if (history.data.items.length === 0)
    return (
      <>
        {pauses}
        <Empty description={t('pay.none')} />
      </>
    );
  const columns: ColumnsType<Line> = [
    { title: t('pay.period'), dataIndex: 'period', width: 90 },
    {
      title: t('roll.item'),
      dataIndex: 'itemName',
      render: (v: string, r) => (
        <>
          {r.kind !== 'regular' && <Tag color={r.kind === 'backpay' ? 'blue' : 'orange'}>{t(`rollkind.${r.kind}`)}</Tag>}
          {v}
        </>
      ),
    },
    {
      title: t('pay.due'),
      dataIndex: 'standardFen',
      width: 100,
      align: 'right',
      render: (v: number, r) => (r.kind === 'recovery' ? `-${yuan(v)}` : yuan(v)),
    },
    {
      title: t('roll.col.amount'),
      dataIndex: 'amountFen',
      width: 110,
      align: 'right',
      render: (v: number, r) => (r.kind === 'recovery' ? <Typography.Text type="warning">-{yuan(v)}</Typography.Text> : yuan(v)),
    },
    {
      title: t('pay.state'),
      key: 'state',
      width: 170,
      render: (_, r) => (
        <>
          <RollStatusTag status={r.status} />
          {r.excluded && (
            <Tag color="red" title={r.remark ?? undefined}>
              {t('roll.col.excluded')}
              {r.remark ? `：${r.remark}` : ''}
            </Tag>
          )}
        </>
      ),
    },
    { title: t('pay.roll'), dataIndex: 'rollId', width: 90, render: (v: number) => <Link to={`/rolls/${v}`}>#{v}</Link> },
  ];
  return (
    <>
      {pauses}
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
        {/* the history with the person's name and masked ID, audited on the server */}
        <ExportButton url={`/api/persons/${personId}/payments/export`} fileName="payments.xlsx" testId="payments-export" />
      </div>
      <Table<Line>
        data-testid="profile-payments"
        size="small"
        rowKey={(r) => `${r.rollId}`}
        columns={columns}
        dataSource={history.data.items}
        pagination={{ pageSize: 24, hideOnSinglePage: true }}
        scroll={{ x: 600 }}
        expandable={{
          rowExpandable: (r) => (r.months?.length ?? 0) > 0,
          expandedRowRender: (r) => (
            <ul style={{ margin: 0 }}>
              {(r.months ?? []).map((m) => (
                <li key={m.month}>
                  {t('pay.monthLine', { month: m.month, due: yuan(m.dueFen), paid: yuan(m.paidFen) })} {m.reasons.join('；')}
                </li>
              ))}
            </ul>
          ),
        }}
      />
    </>
  );
}
