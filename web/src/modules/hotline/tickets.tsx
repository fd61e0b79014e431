import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Form, Grid, Input, List, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { dash, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { showServerError } from '../alarm-devices/form-errors';
import { PersonPicker } from './person-picker';
import { fetchTickets, keys, useCloseTicket, useCreateTicket, useTicket, type TicketFilters } from './api';
import { KnowledgeSearch } from './knowledge-search';
import { Deadline, TICKET_KINDS, TICKET_OUTCOMES, TicketKindTag, useHotlineWords, usePhoneRule } from './labels';
import type { ArticleView, TicketKind, TicketOutcome, TicketView } from './types';

interface CallForm {
  kind: TicketKind;
  callerPhone?: string;
  callerName?: string;
  personId?: number;
  subject: string;
  notes?: string;
}
const CALL_FIELDS = ['kind', 'callerPhone', 'callerName', 'personId', 'subject', 'notes', 'articleId'] as const;
const FIELD_OF_CODE: Record<string, string> = {
  HOTLINE_PHONE_FORMAT: 'callerPhone',
  HOTLINE_PERSON_NOT_FOUND: 'personId',
  HOTLINE_ARTICLE_NOT_FOUND: 'articleId',
};

/** 新来电: the call as a ticket: kind, caller, the person if known, subject, notes, the answer given. */
export function NewCallDrawer({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (id: number) => void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const w = useHotlineWords();
  const phoneRule = usePhoneRule();
  const wide = Grid.useBreakpoint().md === true;
  const [form] = Form.useForm<CallForm>();
  const [article, setArticle] = useState<ArticleView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useCreateTicket();
  const kind = Form.useWatch('kind', form);
  const submit = async (v: CallForm) => {
    setError(null);
    const clean = (s?: string) => s?.trim() || undefined;
    try {
      const made = await create.mutateAsync({
        kind: v.kind,
        callerPhone: clean(v.callerPhone),
        callerName: clean(v.callerName),
        personId: v.personId,
        subject: v.subject.trim(),
        notes: clean(v.notes),
        articleId: article?.id,
      });
      message.success(t('hl.call.done', { id: made.id }));
      if (made.complaintTracking)
        modal.success({
          title: t('hl.call.trackingTitle'),
          content: (
            <div data-testid="hl-complaint-tracking">
              <p>{t('hl.call.trackingSay')}</p>
              <p style={{ fontSize: 22, fontWeight: 600, letterSpacing: 1 }}>{made.complaintTracking}</p>
              <p>{t('hl.call.trackingWhere', { path: '/complaint/track' })}</p>
            </div>
          ),
        });
      form.resetFields();
      setArticle(null);
      onDone(made.id);
    } catch (e) {
      setError(showServerError(form, e, CALL_FIELDS, FIELD_OF_CODE));
    }
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={wide ? 720 : '100%'}
      title={t('hl.call.title')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('hl.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="hl-call-ok">
            {t('hl.call.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="hl-call-error" />}
      <Form<CallForm> form={form} layout="vertical" requiredMark={false} initialValues={{ kind: 'consultation' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="kind" label={t('hl.kind')} rules={[{ required: true, message: t('hl.required', { field: t('hl.kind') }) }]}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="hl-call-kind">
            {TICKET_KINDS.map((k) => (
              <Radio.Button key={k} value={k} data-testid={`hl-call-kind-${k}`}>
                {w.kind(k)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {kind === 'complaint' && <Alert type="warning" showIcon message={t('hl.call.complaintHint')} style={{ marginBottom: 12 }} />}
        {kind === 'emergency' && <Alert type="error" showIcon message={t('hl.call.emergencyHint')} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Form.Item name="callerPhone" label={t('hl.callerPhone')} style={{ flex: '1 1 200px' }} rules={[phoneRule]}>
            <Input inputMode="tel" autoComplete="off" data-testid="hl-call-phone" />
          </Form.Item>
          <Form.Item name="callerName" label={t('hl.callerName')} style={{ flex: '1 1 200px' }} rules={[{ max: 40, message: t('hl.tooLong', { n: 40 }) }]}>
            <Input data-testid="hl-call-name" />
          </Form.Item>
        </div>
        <Form.Item name="personId" label={t('hl.person')} extra={t('hl.call.personHint')}>
          <PersonPicker testId="hl-call-person" />
        </Form.Item>
        <Form.Item
          name="subject"
          label={t('hl.subject')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.subject') }) },
            { max: 200, message: t('hl.tooLong', { n: 200 }) },
          ]}
        >
          <Input data-testid="hl-call-subject" />
        </Form.Item>
        <Form.Item name="notes" label={t('hl.notes')} rules={[{ max: 2000, message: t('hl.tooLong', { n: 2000 }) }]}>
          <Input.TextArea rows={3} data-testid="hl-call-notes" />
        </Form.Item>
        <Form.Item name="articleId" label={t('hl.call.answer')}>
          <div>
            {article ? (
              <Tag closable color="blue" onClose={() => setArticle(null)} data-testid="hl-call-article">
                {article.title}
              </Tag>
            ) : (
              <Typography.Text type="secondary">{t('hl.call.noAnswer')}</Typography.Text>
            )}
          </div>
        </Form.Item>
      </Form>
      <Card size="small" title={t('hl.call.kbTitle')}>
        <KnowledgeSearch testId="hl-call-kb" onUse={setArticle} usedId={article?.id} />
      </Card>
    </Drawer>
  );
}

/** 办结: the outcome and a note. */
export function CloseTicketDialog({ ticket, onClose }: { ticket: TicketView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const w = useHotlineWords();
  const [form] = Form.useForm<{ outcome: TicketOutcome; note?: string }>();
  const [error, setError] = useState<string | null>(null);
  const close = useCloseTicket();
  const submit = async (v: { outcome: TicketOutcome; note?: string }) => {
    setError(null);
    try {
      await close.mutateAsync({ id: ticket.id, outcome: v.outcome, note: v.note?.trim() || undefined });
      message.success(t('hl.close.done', { id: ticket.id }));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, ['outcome', 'note']));
    }
  };
  return (
    <Modal
      open
      title={t('hl.close.title', { id: ticket.id, subject: ticket.subject })}
      okText={t('hl.close')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={close.isPending}
      okButtonProps={{ 'data-testid': 'hl-close-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {ticket.kind === 'complaint' && <Alert type="info" showIcon message={t('hl.close.complaintHint')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
        <Form.Item name="outcome" label={t('hl.outcome')} rules={[{ required: true, message: t('hl.required', { field: t('hl.outcome') }) }]}>
          <Select data-testid="hl-close-outcome" options={TICKET_OUTCOMES.map((o) => ({ value: o, label: w.outcome(o), title: w.outcome(o) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('hl.note')} rules={[{ max: 2000, message: t('hl.tooLong', { n: 2000 }) }]}>
          <Input.TextArea rows={3} data-testid="hl-close-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PersonLink({ person }: { person: TicketView['person'] }) {
  if (!person) return <>—</>;
  return (
    <Link to={`/hotline/persons/${person.id}`} data-testid={`hl-person-link-${person.id}`}>
      {person.name}
    </Link>
  );
}

/** A ticket: the caller, the person, notes, the answer given, earlier calls of the number; close it. */
export function TicketDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const w = useHotlineWords();
  const wide = Grid.useBreakpoint().md === true;
  const ticket = useTicket(id);
  const [closing, setClosing] = useState(false);
  const d = ticket.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={wide ? 600 : '100%'} title={d ? `#${d.id} ${d.subject}` : t('hl.ticket')} destroyOnHidden>
      {ticket.error && <Alert type="error" showIcon message={ticket.error.message} />}
      {d && (
        <div data-testid="hl-ticket">
          <Space style={{ marginBottom: 8 }} wrap>
            <TicketKindTag kind={d.kind} />
            {d.status === 'open' ? <Tag color="processing">{t('hl.open')}</Tag> : <Tag>{t('hl.closed')}</Tag>}
            <Deadline ticket={d} />
          </Space>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('hl.caller')}>{[d.callerName, d.callerPhoneMasked].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('hl.person')}>
              <PersonLink person={d.person} /> <Typography.Text type="secondary">{d.regionName}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('hl.notes')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{dash(d.notes)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('hl.call.answer')}>{dash(d.articleTitle)}</Descriptions.Item>
            <Descriptions.Item label={t('hl.operator')}>
              {d.operator.name} · {shanghaiTime(d.openedAt)}
            </Descriptions.Item>
            {d.status === 'closed' && (
              <Descriptions.Item label={t('hl.outcome')}>
                {w.outcome(d.outcome)} · {shanghaiTime(d.closedAt)}
                {d.closeNote ? <div style={{ whiteSpace: 'pre-wrap' }}>{d.closeNote}</div> : null}
              </Descriptions.Item>
            )}
            {d.followUp && (
              <Descriptions.Item label={t('hl.followUp')}>
                <FollowUp value={d.followUp} />
              </Descriptions.Item>
            )}
          </Descriptions>
          {d.status === 'open' && can('hotline.handle') && (
            <Button type="primary" style={{ marginTop: 12 }} onClick={() => setClosing(true)} data-testid="hl-close">
              {t('hl.close')}
            </Button>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('hl.earlier')}
          </Typography.Title>
          <List
            size="small"
            dataSource={d.earlierCalls}
            locale={{ emptyText: t('hl.earlierNone') }}
            data-testid="hl-earlier"
            renderItem={(c) => (
              <List.Item key={c.id}>
                <Space wrap size={4}>
                  <Typography.Text type="secondary">{shanghaiTime(c.openedAt).slice(0, 16)}</Typography.Text>
                  <TicketKindTag kind={c.kind} />
                  <span>
                    #{c.id} {c.subject}
                  </span>
                  {c.status === 'open' && <Tag color="processing">{t('hl.open')}</Tag>}
                </Space>
              </List.Item>
            )}
          />
          {closing && <CloseTicketDialog ticket={d} onClose={() => setClosing(false)} />}
        </div>
      )}
    </Drawer>
  );
}

/**
 * 热线工单: calls as tickets, filtered by kind, open/closed, overdue complaints;
 * a new call, a ticket's detail, closing with an outcome. Complaints show their deadline, red when overdue.
 */
export function TicketsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const w = useHotlineWords();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const [calling, setCalling] = useState(false);
  const filters: TicketFilters = {
    kind: params.get('kind') ?? undefined,
    status: params.get('status') ?? 'open',
    overdue: params.get('overdue') ?? undefined,
  };
  const open = params.get('ticket') ? Number(params.get('ticket')) : null;
  const paged = usePaged([...keys.tickets, filters], (page, pageSize) => fetchTickets(filters, page, pageSize));
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    if (name !== 'ticket') paged.setPage(1);
  };
  const openLink = (r: TicketView, text: string) => (
    <a onClick={() => set('ticket', String(r.id))} data-testid={`hl-open-${r.id}`}>
      {text}
    </a>
  );
  const columns: ColumnsType<TicketView> = [
    {
      title: t('hl.subject'),
      key: 'subject',
      render: (_, r) => (
        <div style={{ lineHeight: 1.3, minWidth: 0 }}>
          <Space size={4} wrap>
            <TicketKindTag kind={r.kind} />
            {openLink(r, `#${r.id} ${r.subject}`)}
          </Space>
          <div>
            <Deadline ticket={r} />
          </div>
        </div>
      ),
    },
    {
      title: t('hl.caller'),
      key: 'caller',
      width: 150,
      render: (_, r) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{r.callerName ?? '—'}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.callerPhoneMasked ?? ''}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('hl.person'),
      key: 'person',
      width: 130,
      render: (_, r) => (
        <div style={{ lineHeight: 1.3 }}>
          <PersonLink person={r.person} />
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.regionName}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t('hl.opened'),
      key: 'opened',
      width: 150,
      render: (_, r) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{shanghaiTime(r.openedAt).slice(0, 16)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.operator.name}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('hl.status'),
      key: 'status',
      width: 100,
      render: (_, r) => (r.status === 'open' ? <Tag color="processing">{t('hl.open')}</Tag> : <Tag>{w.outcome(r.outcome) || t('hl.closed')}</Tag>),
    },
  ];
  return (
    <div data-testid="hl-tickets-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.hlTickets')}
        </Typography.Title>
        <Space wrap>
          <Link to="/hotline/persons">{t('hl.findPerson')}</Link>
          {can('hotline.handle') && (
            <Button type="primary" icon={<PhoneOutlined />} onClick={() => setCalling(true)} data-testid="hl-new-call">
              {t('hl.call.title')}
            </Button>
          )}
        </Space>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
        <Select
          value={filters.kind}
          onChange={(v?: string) => set('kind', v)}
          placeholder={t('hl.kind')}
          allowClear
          style={{ width: phone ? '100%' : 140 }}
          options={TICKET_KINDS.map((k) => ({ value: k, label: w.kind(k) }))}
          data-testid="hl-filter-kind"
        />
        <Radio.Group
          value={filters.status}
          onChange={(e) => set('status', e.target.value as string)}
          optionType="button"
          options={[
            { value: 'open', label: t('hl.open') },
            { value: 'closed', label: t('hl.closed') },
            { value: 'all', label: t('hl.all') },
          ]}
          data-testid="hl-filter-status"
        />
        <Checkbox checked={filters.overdue === 'true'} onChange={(e) => set('overdue', e.target.checked ? 'true' : undefined)} data-testid="hl-filter-overdue">
          {t('hl.overdueOnly')}
        </Checkbox>
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="hl-tickets-cards"
          rowKey={(r) => r.id}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }}>
              <Space size={4} wrap>
                <TicketKindTag kind={r.kind} />
                {openLink(r, `#${r.id} ${r.subject}`)}
              </Space>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {shanghaiTime(r.openedAt).slice(0, 16)} · {r.callerName ?? ''} {r.callerPhoneMasked ?? ''} · <PersonLink person={r.person} />
              </div>
              <Deadline ticket={r} />
            </Card>
          )}
        />
      ) : (
        <PagedTable<TicketView> paged={paged} testId="hl-tickets" size="small" rowKey={(r) => r.id} columns={columns} tableLayout="fixed" />
      )}
      <NewCallDrawer
        open={calling}
        onClose={() => setCalling(false)}
        onDone={(id) => {
          setCalling(false);
          set('ticket', String(id));
        }}
      />
      <TicketDrawer id={open} onClose={() => set('ticket', undefined)} />
    </div>
  );
}

/**
 * What came of a call, in words with a link ('callback:65' → 已安排回访（#65） to the open return calls;
 * 'order:12' → the service order): the server's reference is never shown as it is.
 */
function FollowUp({ value }: { value: string }) {
  const { t } = useI18n();
  const visit = /^visit_followup:(\d+)(?:,|$)/.exec(value);
  if (visit) {
    const rest = value.slice(visit[0].length);
    return (
      <>
        <Link to="/visits/followups">{t('hl.followUp.visitFollowup', { id: Number(visit[1]) })}</Link>
        {rest && (
          <>
            {'；'}
            <FollowUp value={rest} />
          </>
        )}
      </>
    );
  }
  const m = /^(callback|order):(\d+)$/.exec(value);
  if (!m) return <>{value}</>;
  const id = Number(m[2]);
  return m[1] === 'callback' ? (
    <Link to="/hotline/callbacks?view=upcoming">{t('hl.followUp.callback', { id })}</Link>
  ) : (
    <Link to={`/services/orders/${id}`}>{t('hl.followUp.order', { id })}</Link>
  );
}
