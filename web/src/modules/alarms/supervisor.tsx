import { Alert, App, Badge, Button, Card, Col, Empty, Form, Input, List, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useAssign, useShift } from './api';
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

interface Assigning {
  alarm: ShiftAlarm;
  /** who holds it; null: still raised (nobody has acknowledged it), the supervisor puts someone on it */
  holder: Operator | null;
  /** take: to the supervisor; give: to an operator chosen in the dialog */
  mode: 'take' | 'give';
}

/**
 * 接管 or 转派 an alarm an operator holds, or one still waiting (escalated or not): to the
 * supervisor, or to another operator of the shift (the one who holds it is not offered), with an
 * optional reason, on the version the shift showed. The server's refusal (someone changed or
 * acknowledged it meanwhile, it was resolved) stays in the dialog.
 */
function AssignDialog({ assigning, operators, onClose }: { assigning: Assigning; operators: Operator[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const assign = useAssign();
  const { alarm, holder, mode } = assigning;
  const [to, setTo] = useState<number | undefined>(mode === 'take' ? user?.id : undefined);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const choices = operators.filter((o) => o.id !== holder?.id);
  const facts = { kind: label(t, 'kind', alarm.kind), name: alarm.personName, holder: holder?.name ?? '' };
  const body = holder
    ? t(mode === 'take' ? 'al.sup.takeBody' : 'al.sup.giveBody', facts)
    : t(mode === 'take' ? 'al.sup.takeRaisedBody' : 'al.sup.giveRaisedBody', facts);

  const submit = () => {
    setError(null);
    if (to === undefined) return setError(t('al.sup.pickOperator'));
    const body = { to, version: alarm.version, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    assign.mutateAsync({ id: alarm.id, body }).then(
      () => {
        const name = operators.find((o) => o.id === to)?.name ?? String(to);
        void message.success(mode === 'take' ? t('al.sup.taken', { id: alarm.id }) : t('al.sup.given', { id: alarm.id, name }));
        onClose();
      },
      (e: unknown) => setError(t('al.sup.assignFailed', { message: (e as Error).message })),
    );
  };

  return (
    <Modal
      open
      title={t(mode === 'take' ? 'al.sup.takeTitle' : 'al.sup.giveTitle', { id: alarm.id })}
      onCancel={onClose}
      onOk={submit}
      okText={t(mode === 'take' ? 'al.sup.takeOk' : 'al.sup.giveOk')}
      confirmLoading={assign.isPending}
      okButtonProps={{ 'data-testid': 'al-sup-assign-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph>{body}</Typography.Paragraph>
      <Form layout="vertical">
        {mode === 'give' ? (
          <Form.Item label={t('al.sup.giveTo')} required>
            <Select<number>
              data-testid="al-sup-assign-to"
              value={to}
              onChange={setTo}
              placeholder={t('al.sup.pickOperator')}
              options={choices.map((o) => ({
                value: o.id,
                title: o.name,
                label: o.holding.length ? `${o.name} · ${t('al.sup.holding')} ${o.holding.length}` : `${o.name} · ${t('al.sup.idle')}`,
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item label={t('al.sup.reason')}>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={500}
            data-testid="al-sup-assign-reason"
          />
        </Form.Item>
        {error ? <Alert type="error" showIcon message={error} data-testid="al-sup-assign-error" /> : null}
      </Form>
    </Modal>
  );
}

/** 接管 (a supervisor who handles alarms, not from themselves) and 转派 of one alarm. */
function AssignButtons({ alarm, holder, onAssign }: { alarm: ShiftAlarm; holder: Operator | null; onAssign: (a: Assigning) => void }) {
  const { t } = useI18n();
  const { user, can } = useAuth();
  return (
    <Space size={4}>
      {can('alarms.handle') && holder?.id !== user?.id ? (
        <Button size="small" data-testid={`al-sup-take-${alarm.id}`} onClick={() => onAssign({ alarm, holder, mode: 'take' })}>
          {t('al.sup.take')}
        </Button>
      ) : null}
      <Button size="small" data-testid={`al-sup-give-${alarm.id}`} onClick={() => onAssign({ alarm, holder, mode: 'give' })}>
        {t('al.sup.give')}
      </Button>
    </Space>
  );
}

/** A list of waiting alarms, ten to a page, each to take over or give out. */
function WaitingList({ alarms, now, onAssign, testId }: { alarms: ShiftAlarm[]; now: number; onAssign: (a: Assigning) => void; testId: string }) {
  return (
    <List
      size="small"
      dataSource={alarms}
      data-testid={testId}
      pagination={alarms.length > PAGE ? { pageSize: PAGE, size: 'small', showSizeChanger: false, align: 'start' } : false}
      renderItem={(a) => (
        <List.Item key={a.id} style={{ flexWrap: 'wrap', gap: 6 }}>
          <AlarmLine alarm={a} now={now} />
          <AssignButtons alarm={a} holder={null} onAssign={onAssign} />
        </List.Item>
      )}
    />
  );
}

/** Rows per page of the supervisor's lists: at 1024 px the operators and the first rows fit on one screen. */
const PAGE = 10;

/**
 * The shift supervisor's view (/alarms/supervisor): the operators on shift first, with what each
 * holds — each held alarm to take over (接管, a supervisor who handles alarms) or give to another
 * operator (转派) —; then the escalated alarms (`al-sup-escalated`, live, red), then the other
 * waiting alarms (`al-sup-queue`: not escalated, so no alarm is listed twice); every waiting alarm
 * can be taken over or given out too (it becomes acknowledged by whoever gets it). Each list shows
 * ten rows a page. Two lists rather than one with an escalation column: at 3 a.m. the escalated
 * alarms are the ones to act on, and a red card of their own is what the eye finds first.
 */
export function SupervisorPage() {
  const { t } = useI18n();
  const [assigning, setAssigning] = useState<Assigning | null>(null);
  const now = useNow();
  const { poll } = useAlarmsLive();
  const shift = useShift(poll);
  const waiting = useMemo(() => orderByEscalation((shift.data?.queue ?? []).flatMap((g) => g.alarms)).filter((a) => a.state === 'raised'), [shift.data]);
  const escalated = waiting.filter((a) => a.escalation > 0);
  const queue = waiting.filter((a) => a.escalation <= 0);

  return (
    <div style={{ maxWidth: '100%', overflowX: 'hidden' }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('menu.alSupervisor')}
      </Typography.Title>
      {shift.isError ? (
        <Alert type="error" showIcon message={t('al.sup.failed', { message: (shift.error as Error).message })} style={{ marginBottom: 12 }} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col span={24} style={{ minWidth: 0 }}>
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
                          <Space key={a.id} wrap size={6}>
                            <AlarmLine alarm={a} now={now} />
                            <AssignButtons alarm={a} holder={o} onAssign={setAssigning} />
                          </Space>
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
        <Col xs={24} xl={12} style={{ minWidth: 0 }}>
          <Card
            size="small"
            title={
              <Space>
                <span>{t('al.sup.escalated')}</span>
                <Badge count={escalated.length} overflowCount={999} />
              </Space>
            }
            styles={{ body: escalated.length ? { background: '#fff1f0' } : undefined }}
          >
            <div data-testid="al-sup-escalated">
              {escalated.length ? (
                <WaitingList alarms={escalated} now={now} onAssign={setAssigning} testId="al-sup-escalated-list" />
              ) : (
                <Typography.Text type="secondary">{t('al.sup.noEscalated')}</Typography.Text>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={12} style={{ minWidth: 0 }}>
          <Card size="small" title={`${t('al.sup.queue')} · ${t('al.sup.count', { n: queue.length })}`}>
            {queue.length ? <WaitingList alarms={queue} now={now} onAssign={setAssigning} testId="al-sup-queue" /> : <Empty description={t('al.queueEmpty')} />}
          </Card>
        </Col>
      </Row>
      {assigning ? <AssignDialog assigning={assigning} operators={shift.data?.operators ?? []} onClose={() => setAssigning(null)} /> : null}
    </div>
  );
}
