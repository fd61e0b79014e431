import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { AnomalyActions } from './actions';
import { AnomalyStatusTag, useFigures, useWord } from './labels';
import type { AnomalyView } from './types';

/** Who said what and when about an exception: the provider's code and note, then the officer's review. */
export function AnomalyTrail({ a }: { a: AnomalyView }) {
  const word = useWord();
  return (
    <div style={{ fontSize: 12, lineHeight: 1.4 }}>
      {a.resolutionCode && (
        <div data-testid={`svc-anomaly-${a.id}-resolution`}>
          <strong>{word('svc.res', a.resolutionCode)}</strong>
          {a.resolutionNote ? `：${a.resolutionNote}` : ''}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            — {a.resolvedByName} {shanghaiTime(a.resolvedAt)}
          </Typography.Text>
        </div>
      )}
      {a.reviewedAt && (
        <div>
          {word('svc.an', a.status)}
          {a.reviewNote ? `：${a.reviewNote}` : ''}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            — {a.reviewedByName} {shanghaiTime(a.reviewedAt)}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}

/** The exceptions of one order (its detail page): reason, figures, status, the trail and the viewer's action. */
export function OrderAnomalies({ anomalies }: { anomalies: AnomalyView[] }) {
  const { t } = useI18n();
  const word = useWord();
  const figures = useFigures();
  const columns: ColumnsType<AnomalyView> = [
    { title: t('svc.an.reason'), key: 'code', width: 130, render: (_, a) => word('svc.reason', a.code) },
    { title: t('svc.an.figures'), key: 'detail', render: (_, a) => <span style={{ fontSize: 12 }}>{figures(a.detail, a.code)}</span> },
    { title: t('svc.status'), key: 'status', width: 90, render: (_, a) => <AnomalyStatusTag status={a.status} /> },
    { title: t('svc.an.resolution'), key: 'trail', render: (_, a) => <AnomalyTrail a={a} /> },
    { title: '', key: 'actions', width: 80, render: (_, a) => <AnomalyActions anomaly={a} /> },
  ];
  return (
    <Table<AnomalyView>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={anomalies}
      pagination={false}
      scroll={{ x: 640 }}
      locale={{ emptyText: t('svc.order.noAnomalies') }}
      data-testid="svc-order-anomalies"
    />
  );
}
