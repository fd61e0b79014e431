import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, Modal, Radio, Segmented, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { showServerError } from '../alarm-devices/form-errors';
import { fetchCallbacks, keys, useCallbackDone, type CallbackFilters } from './api';
import { CALLBACK_OUTCOMES, useHotlineWords } from './labels';
import type { CallbackOutcome, CallbackView } from './types';

type View = 'due' | 'upcoming' | 'overdue' | 'done';
const FILTERS: Record<View, CallbackFilters> = {
  due: { status: 'open', due: 'due' },
  // every open return call, also those due later (a complaint closed today is called back tomorrow)
  upcoming: { status: 'open', due: 'all' },
  overdue: { status: 'open', due: 'overdue' },
  done: { status: 'done', due: 'all' },
};

/** 记录回访结果: 接通满意 / 不满意 / 未接通 / 其他, with a note (the server says when a call becomes unreachable). */
export function CallbackOutcomeDialog({ callback, onClose }: { callback: CallbackView; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const w = useHotlineWords();
  const [form] = Form.useForm<{ outcome: CallbackOutcome; note?: string }>();
  const [error, setError] = useState<string | null>(null);
  const done = useCallbackDone();
  const submit = async (v: { outcome: CallbackOutcome; note?: string }) => {
    setError(null);
    try {
      const r = await done.mutateAsync({ id: callback.id, outcome: v.outcome, note: v.note?.trim() || undefined });
      message.success(r.notice ? pick(r.notice.zh, r.notice.en) : t('hl.cb.done'));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, ['outcome', 'note']));
    }
  };
  return (
    <Modal
      open
      title={t('hl.cb.title', { name: callback.person?.name ?? `#${callback.id}` })}
      okText={t('hl.cb.save')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={done.isPending}
      okButtonProps={{ 'data-testid': 'hl-cb-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="hl-cb-error" />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
        <Form.Item name="outcome" label={t('hl.cb.outcome')} rules={[{ required: true, message: t('hl.required', { field: t('hl.cb.outcome') }) }]}>
          <Radio.Group data-testid="hl-cb-outcome">
            <Space direction="vertical">
              {CALLBACK_OUTCOMES.map((o) => (
                <Radio key={o} value={o} data-testid={`hl-cb-outcome-${o}`}>
                  {w.cbOutcome(o)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t('hl.note')} rules={[{ max: 2000, message: t('hl.tooLong', { n: 2000 }) }]}>
          <Input.TextArea rows={3} data-testid="hl-cb-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** What the return call follows: the alarm or the ticket. */
function Source({ c }: { c: CallbackView }) {
  const { t } = useI18n();
  if (c.alarmId) return <Link to={`/alarms?alarm=${c.alarmId}`}>{t('hl.cb.afterAlarm', { id: c.alarmId })}</Link>;
  if (c.ticketId) return <Link to={`/hotline?ticket=${c.ticketId}&status=all`}>{t('hl.cb.afterTicket', { id: c.ticketId })}</Link>;
  return null;
}

/** 回访: due today, overdue, done; record the outcome. */
export function CallbacksPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const w = useHotlineWords();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const view = (['due', 'upcoming', 'overdue', 'done'].includes(params.get('view') ?? '') ? params.get('view') : 'due') as View;
  const filters = FILTERS[view];
  const paged = usePaged([...keys.callbacks, filters], (page, pageSize) => fetchCallbacks(filters, page, pageSize));
  const [recording, setRecording] = useState<CallbackView | null>(null);
  const setView = (v: View) => {
    const next = new URLSearchParams(params);
    next.set('view', v);
    setParams(next, { replace: true });
    paged.setPage(1);
  };
  const state = (c: CallbackView) =>
    c.status === 'open' ? (
      <Space size={4} wrap>
        {c.overdue ? <Tag color="red">{t('hl.cb.overdue')}</Tag> : <Tag color="processing">{t('hl.cb.open')}</Tag>}
        {c.noAnswers > 0 && <Typography.Text type="secondary">{t('hl.cb.noAnswers', { n: c.noAnswers })}</Typography.Text>}
      </Space>
    ) : (
      <div style={{ lineHeight: 1.3 }}>
        <Tag color={c.status === 'unreachable' ? 'orange' : c.outcome === 'unsatisfied' ? 'red' : 'green'}>
          {c.status === 'unreachable' ? t('hl.cb.unreachable') : w.cbOutcome(c.outcome)}
        </Tag>
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.doneBy?.name ?? ''} {shanghaiTime(c.doneAt).slice(0, 16)}
          </Typography.Text>
        </div>
      </div>
    );
  const action = (c: CallbackView) =>
    c.status === 'open' && can('hotline.handle') ? (
      <Button size="small" type="primary" onClick={() => setRecording(c)} data-testid={`hl-cb-record-${c.id}`}>
        {t('hl.cb.record')}
      </Button>
    ) : null;
  const columns: ColumnsType<CallbackView> = [
    {
      title: t('hl.person'),
      key: 'person',
      render: (_, c) => (
        <div style={{ lineHeight: 1.3 }}>
          {c.person ? <Link to={`/hotline/persons/${c.person.id}`}>{c.person.name}</Link> : '—'}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.regionName}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('hl.cb.source'), key: 'source', width: 150, render: (_, c) => <Source c={c} /> },
    { title: t('hl.cb.dueOn'), key: 'due', width: 110, render: (_, c) => <Typography.Text type={c.overdue ? 'danger' : undefined}>{c.dueOn}</Typography.Text> },
    { title: t('hl.status'), key: 'state', width: 170, render: (_, c) => state(c) },
    { title: t('hl.actions'), key: 'action', width: 110, render: (_, c) => action(c) },
  ];
  return (
    <div data-testid="hl-callbacks-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.hlCallbacks')}
      </Typography.Title>
      <Segmented<View>
        value={view}
        onChange={setView}
        options={[
          { value: 'due', label: t('hl.cb.viewDue') },
          { value: 'upcoming', label: t('hl.cb.viewUpcoming') },
          { value: 'overdue', label: t('hl.cb.viewOverdue') },
          { value: 'done', label: t('hl.cb.viewDone') },
        ]}
        style={{ marginBottom: 12 }}
        data-testid="hl-cb-view"
      />
      {phone ? (
        <PagedCards
          paged={paged}
          testId="hl-callbacks-cards"
          rowKey={(c) => c.id}
          renderCard={(c) => (
            <Card size="small" style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                {c.person ? <Link to={`/hotline/persons/${c.person.id}`}>{c.person.name}</Link> : '—'}
                <span>{c.dueOn}</span>
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                <Source c={c} />
              </div>
              {state(c)}
              <div style={{ marginTop: 4 }}>{action(c)}</div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<CallbackView> paged={paged} testId="hl-callbacks" size="small" rowKey={(c) => c.id} columns={columns} tableLayout="fixed" />
      )}
      {recording && <CallbackOutcomeDialog callback={recording} onClose={() => setRecording(null)} />}
    </div>
  );
}
