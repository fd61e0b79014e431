import { Alert, Badge, Card, Col, Empty, List, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../shared/i18n-core';
import { useShift } from './api';
import { EscalationTag, PriorityTag, WaitText, useAlarmsLive, useNow } from './parts';
import { label, orderByEscalation } from './queue';
import type { ShiftReply } from './types';

type ShiftAlarm = ShiftReply['operators'][number]['holding'][number];
type Operator = ShiftReply['operators'][number];

function AlarmLine({ alarm, now }: { alarm: ShiftAlarm; now: number }) {
  const { t } = useI18n();
  return (
    <Space wrap size={6} data-testid={`al-sup-row-${alarm.id}`}>
      <PriorityTag priority={alarm.priority} />
      <Typography.Text strong>{label(t, 'kind', alarm.kind)}</Typography.Text>
      <EscalationTag alarm={alarm} />
      <span>{alarm.personName}</span>
      <Typography.Text type="secondary">#{alarm.id}</Typography.Text>
      <WaitText alarm={alarm} now={now} />
    </Space>
  );
}

/**
 * The shift supervisor's view (/alarms/supervisor): the escalated alarms first (`al-sup-escalated`,
 * live), the operators on shift with what each holds, and the waiting queue by escalation.
 */
export function SupervisorPage() {
  const { t } = useI18n();
  const now = useNow();
  const { poll } = useAlarmsLive();
  const shift = useShift(poll);
  const queue = useMemo(() => orderByEscalation((shift.data?.queue ?? []).flatMap((g) => g.alarms)), [shift.data]);
  const escalated = queue.filter((a) => a.state === 'raised' && a.escalation > 0);

  return (
    <div style={{ maxWidth: '100%', overflowX: 'hidden' }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('menu.alSupervisor')}
      </Typography.Title>
      {shift.isError ? (
        <Alert type="error" showIcon message={t('al.sup.failed', { message: (shift.error as Error).message })} style={{ marginBottom: 12 }} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12} style={{ minWidth: 0 }}>
          <Card
            size="small"
            title={
              <Space>
                <span>{t('al.sup.escalated')}</span>
                <Badge count={escalated.length} />
              </Space>
            }
            styles={{ body: escalated.length ? { background: '#fff1f0' } : undefined }}
          >
            <div data-testid="al-sup-escalated">
              {escalated.length ? (
                <List size="small" dataSource={escalated} renderItem={(a) => <List.Item key={a.id}>{<AlarmLine alarm={a} now={now} />}</List.Item>} />
              ) : (
                <Typography.Text type="secondary">{t('al.sup.noEscalated')}</Typography.Text>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={12} style={{ minWidth: 0 }}>
          <Card size="small" title={t('al.sup.operators')}>
            <Table<Operator>
              size="small"
              rowKey="id"
              pagination={false}
              loading={shift.isLoading}
              dataSource={shift.data?.operators ?? []}
              data-testid="al-sup-operators"
              columns={[
                { title: t('al.sup.operator'), dataIndex: 'name', width: 160 },
                {
                  title: t('al.sup.holding'),
                  render: (_: unknown, o) =>
                    o.holding.length ? (
                      <Space direction="vertical" size={2}>
                        {o.holding.map((a) => (
                          <AlarmLine key={a.id} alarm={a} now={now} />
                        ))}
                      </Space>
                    ) : (
                      <Tag color="green">{t('al.sup.idle')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={24} style={{ minWidth: 0 }}>
          <Card size="small" title={`${t('al.sup.queue')} · ${t('al.sup.count', { n: queue.length })}`}>
            {queue.length ? (
              <List
                size="small"
                dataSource={queue}
                data-testid="al-sup-queue"
                renderItem={(a) => <List.Item key={a.id}>{<AlarmLine alarm={a} now={now} />}</List.Item>}
              />
            ) : (
              <Empty description={t('al.queueEmpty')} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
