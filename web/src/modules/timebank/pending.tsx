import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, List, Modal, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useConfirmEvent, useDeposit, usePending } from './api';
import { Minutes, useHours } from './hours';
import type { PendingEvent } from './types';

/** 确认属实: an officer confirms a volunteer's event after checking (care-events' officer confirmation). */
function ConfirmDialog({ event, onClose }: { event: PendingEvent | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const confirm = useConfirmEvent();
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<string | null>(null);
  const id = event?.eventId ?? 0;
  const close = () => {
    setError(null);
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={event !== null}
      title={t('tb.confirmEvent.title', { id })}
      okText={t('tb.confirm')}
      cancelText={t('tb.cancel')}
      onCancel={close}
      onOk={() => form.submit()}
      confirmLoading={confirm.isPending}
      okButtonProps={{ 'data-testid': 'tb-confirm-event-ok' }}
      forceRender
    >
      {event && (
        <Typography.Paragraph>
          {event.performer.name} → {event.personName} · {shanghaiTime(event.startedAt)} · <Minutes minutes={event.durationMinutes} />
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setError(null);
          try {
            await confirm.mutateAsync({ eventId: id, note: v.note.trim() });
            message.success(t('tb.confirmEvent.done', { id }));
            close();
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        <Form.Item name="note" label={t('tb.confirmEvent.note')} rules={[{ required: true, whitespace: true, message: t('tb.required') }]}>
          <Input.TextArea rows={2} maxLength={200} data-testid="tb-confirm-event-note" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="tb-confirm-event-error" />}
    </Modal>
  );
}

/**
 * 待存入时长: volunteers' confirmed events not yet deposited (存入, with a confirmation), and those
 * still waiting for confirmation (an officer confirms after checking).
 */
export function PendingPage() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const hours = useHours();
  const phone = Grid.useBreakpoint().xs === true;
  const pending = usePending();
  const deposit = useDeposit();
  const [confirming, setConfirming] = useState<PendingEvent | null>(null);

  const askDeposit = (e: PendingEvent) =>
    modal.confirm({
      title: t('tb.deposit'),
      content: t('tb.deposit.confirm', { amount: hours(e.minutes), name: e.performer.name }),
      okText: t('tb.confirm'),
      cancelText: t('tb.cancel'),
      okButtonProps: { 'data-testid': 'tb-deposit-ok' },
      onOk: () =>
        deposit.mutateAsync(e.eventId).then(
          () => void message.success(t('tb.deposit.done', { amount: hours(e.minutes) })),
          (err: Error) => void message.error({ content: err.message, key: 'tb-deposit-error', duration: 8 }),
        ),
    });

  const base: ColumnsType<PendingEvent> = [
    { title: '#', dataIndex: 'eventId', width: 70 },
    { title: t('tb.col.volunteer'), key: 'performer', width: 140, render: (_, e) => e.performer.name },
    { title: t('tb.col.person'), dataIndex: 'personName', width: 120 },
    { title: t('tb.col.region'), dataIndex: 'regionName', width: 140 },
    { title: t('tb.col.when'), dataIndex: 'startedAt', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('tb.col.duration'), key: 'duration', width: 120, align: 'right', render: (_, e) => <Minutes minutes={e.durationMinutes} /> },
    { title: t('tb.col.credit'), key: 'credit', width: 120, align: 'right', render: (_, e) => <Minutes minutes={e.minutes} /> },
  ];
  const depositAct = (e: PendingEvent) =>
    !can('timebank.deposit') ? null : e.accountId === null ? (
      <Typography.Text type="secondary">{t('tb.deposit.noAccount')}</Typography.Text>
    ) : (
      <Button type="primary" size={phone ? 'large' : 'small'} onClick={() => askDeposit(e)} data-testid={`tb-deposit-${e.eventId}`}>
        {t('tb.deposit')}
      </Button>
    );
  const confirmAct = (e: PendingEvent) =>
    can('care_events.confirm') ? (
      <Button size={phone ? 'large' : 'small'} onClick={() => setConfirming(e)} data-testid={`tb-confirm-event-${e.eventId}`}>
        {t('tb.confirmEvent')}
      </Button>
    ) : null;
  const depositColumns: ColumnsType<PendingEvent> = [...base, { title: '', key: 'act', width: 130, render: (_, e) => depositAct(e) }];
  const confirmColumns: ColumnsType<PendingEvent> = [...base, { title: '', key: 'act', width: 110, render: (_, e) => confirmAct(e) }];
  const section = (title: string, rows: PendingEvent[], columns: ColumnsType<PendingEvent>, testId: string, act: (e: PendingEvent) => ReactNode) => (
    <Card size="small" title={`${title}（${rows.length}）`} style={{ marginBottom: 12 }}>
      {phone ? (
        <List<PendingEvent>
          data-testid={testId}
          dataSource={rows}
          renderItem={(e) => (
            <List.Item key={e.eventId} actions={[act(e)]}>
              <List.Item.Meta
                title={`${e.performer.name} → ${e.personName}`}
                description={
                  <>
                    {shanghaiTime(e.startedAt)} · <Minutes minutes={e.durationMinutes} />
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<PendingEvent>
          size="small"
          rowKey="eventId"
          dataSource={rows}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid={testId}
          scroll={{ x: 1000 }}
        />
      )}
    </Card>
  );
  return (
    <div data-testid="tb-pending-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('tb.pending.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('tb.pending.intro')} style={{ marginBottom: 12 }} />}
      {pending.error && <Alert type="error" showIcon message={pending.error.message} style={{ marginBottom: 12 }} />}
      {section(t('tb.pending.toDeposit'), pending.data?.toDeposit ?? [], depositColumns, 'tb-to-deposit', depositAct)}
      {section(t('tb.pending.unconfirmed'), pending.data?.unconfirmed ?? [], confirmColumns, 'tb-unconfirmed', confirmAct)}
      <ConfirmDialog event={confirming} onClose={() => setConfirming(null)} />
    </div>
  );
}
