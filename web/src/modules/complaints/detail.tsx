import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Input, Row, Select, Space, Spin, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { COMPLAINT_CATEGORIES, useComplaint, useRevealContact, useStep, type ComplaintDetail } from './api';
import { OverdueTag, StatusTag, targetKindLabel } from './inbox';

/** A complaint: what was reported, the contact (phone masked; the full number is a separate, audited call), the timeline and the steps. */
export function ComplaintDetailPage() {
  const { t, pick } = useI18n();
  const id = Number(useParams().id);
  const q = useComplaint(id);
  const d = q.data;
  if (q.error) return <Alert type="error" showIcon message={q.error.message} />;
  if (!d) return <Spin />;
  return (
    <div data-testid="cp-detail">
      <Space wrap style={{ marginBottom: 8 }}>
        <Link to="/complaints">← {t('cp.d.back')}</Link>
      </Space>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('cp.d.title', { id: d.id })} <StatusTag status={d.status} /> <OverdueTag c={d} />
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('cp.col.target')}>
                {d.target.name} ({targetKindLabel(t, d.target)})
              </Descriptions.Item>
              <Descriptions.Item label={t('cp.col.category')}>{t(`cp.cat.${d.category}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('cp.col.source')}>{t(`cp.source.${d.source}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('cp.d.happened')}>{d.happenedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cp.col.unit')}>{d.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('cp.col.officer')}>{d.officer?.name ?? '—'}</Descriptions.Item>
              {d.substantiated && (
                <Descriptions.Item label={t('cp.d.substantiated')}>
                  <span data-testid="cp-finding">{t(`cp.sub.${d.substantiated}`)}</span>
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('cp.d.contact')} span={2}>
                <Contact d={d} />
              </Descriptions.Item>
            </Descriptions>
            <Typography.Text type="secondary">
              {t('cp.d.deadline', { date: d.dueOn, days: d.deadlineDays, source: pick(d.deadlineSource.zh, d.deadlineSource.en) })}
            </Typography.Text>
            <Typography.Title level={5}>{t('cp.d.text')}</Typography.Title>
            {/* what the complainant wrote is text: rendered as text, never as markup */}
            <div data-testid="cp-detail-text" style={{ whiteSpace: 'pre-wrap', background: '#fafafa', padding: 12, borderRadius: 6 }}>
              {d.text}
            </div>
            {d.reply && (
              <>
                <Typography.Title level={5}>{t('cp.track.reply')}</Typography.Title>
                <div data-testid="cp-detail-reply" style={{ whiteSpace: 'pre-wrap', background: '#f6ffed', padding: 12, borderRadius: 6 }}>
                  {d.reply}
                </div>
              </>
            )}
          </Card>
          <Steps d={d} />
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('cp.d.timeline')}>
            <Timeline
              data-testid="cp-timeline"
              items={d.steps.map((s) => ({
                color: s.kind === 'escalated' ? 'red' : s.kind === 'closed' ? 'green' : 'blue',
                children: (
                  <div>
                    <strong>
                      {t(`cp.step.${s.kind}` as MessageKey)}
                      {s.kind === 'closed' && isFinding(s.detail.substantiated) && t('cp.step.finding', { finding: t(`cp.sub.${s.detail.substantiated}`) })}
                    </strong>{' '}
                    · {shanghaiTime(s.at)}
                    {s.by ? ` · ${s.by}` : ''}
                    {s.note && <div style={{ whiteSpace: 'pre-wrap' }}>{s.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

const isFinding = (v: unknown): v is 'yes' | 'no' | 'partly' => v === 'yes' || v === 'no' || v === 'partly';

function Contact({ d }: { d: ComplaintDetail }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const reveal = useRevealContact(d.id);
  if (!d.contactName && !d.contactPhoneMasked) return <span>{t('cp.d.anonymous')}</span>;
  return (
    <Space wrap>
      <span>{d.contactName ?? ''}</span>
      <span data-testid="cp-contact-phone">{reveal.data?.contactPhone ?? d.contactPhoneMasked ?? ''}</span>
      {d.contactPhoneMasked && !reveal.data && can('complaints.handle') && (
        <Button size="small" onClick={() => reveal.mutate()} loading={reveal.isPending}>
          {t('cp.d.reveal')}
        </Button>
      )}
    </Space>
  );
}

/** The steps an officer may take while the complaint is open. */
function Steps({ d }: { d: ComplaintDetail }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const step = useStep(d.id);
  const [officer, setOfficer] = useState<number | undefined>(d.officer?.id);
  const [note, setNote] = useState('');
  // the box holds a new reply only: the one sent is shown above, so a click does not send it twice
  const [reply, setReply] = useState('');
  const [sub, setSub] = useState<'yes' | 'no' | 'partly' | undefined>();
  const [cat, setCat] = useState(d.category);
  if (d.status === 'closed' || !can('complaints.handle')) return null;
  const run = (s: Parameters<typeof step.mutate>[0], after?: () => void) =>
    step.mutate(s, {
      onSuccess: () => {
        void message.success(t('cp.d.done'));
        after?.();
      },
      onError: (e) => void message.error(e.message),
    });
  return (
    <Card size="small" style={{ marginTop: 16 }} data-testid="cp-steps">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            style={{ width: 200 }}
            placeholder={t('cp.d.officer')}
            value={officer}
            onChange={setOfficer}
            data-testid="cp-officer"
            options={d.officers.map((o) => ({ value: o.id, label: o.name }))}
          />
          <Button data-testid="cp-assign" onClick={() => run({ step: 'assign', body: officer ? { officerId: officer } : {} })}>
            {t('cp.d.assign')}
          </Button>
          {(d.status === 'received' || d.status === 'assigned') && (
            <Button data-testid="cp-investigate" onClick={() => run({ step: 'investigate', body: {} })}>
              {t('cp.d.investigate')}
            </Button>
          )}
        </Space>
        <Space wrap>
          <Select
            style={{ width: 200 }}
            value={cat}
            onChange={setCat}
            options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`cp.cat.${c}` as MessageKey) }))}
          />
          <Button
            onClick={() =>
              run({
                step: 'classify',
                body:
                  d.target.kind === 'other'
                    ? { targetKind: 'other', targetName: d.target.name || '—', category: cat }
                    : { targetKind: d.target.kind, targetId: d.target.id!, category: cat },
              })
            }
          >
            {t('cp.d.classify')}
          </Button>
        </Space>
        <Input.TextArea rows={2} placeholder={t('cp.d.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="cp-note" maxLength={2000} />
        <Button disabled={!note.trim()} onClick={() => run({ step: 'notes', body: { note } }, () => setNote(''))} data-testid="cp-add-note">
          {t('cp.d.addNote')}
        </Button>
        <Typography.Text strong>{t(d.reply ? 'cp.d.reviseReply' : 'cp.d.reply')}</Typography.Text>
        <Input.TextArea rows={4} value={reply} onChange={(e) => setReply(e.target.value)} data-testid="cp-reply" maxLength={2000} showCount />
        <Button
          type="primary"
          disabled={reply.trim().length < 10 || step.isPending}
          onClick={() => run({ step: 'reply', body: { reply } }, () => setReply(''))}
          data-testid="cp-send-reply"
        >
          {t(d.reply ? 'cp.d.sendRevised' : 'cp.d.sendReply')}
        </Button>
        {d.reply && (
          <Space wrap>
            <Select
              style={{ width: 200 }}
              placeholder={t('cp.d.substantiated')}
              value={sub}
              onChange={setSub}
              data-testid="cp-substantiated"
              options={(['yes', 'partly', 'no'] as const).map((s) => ({ value: s, label: t(`cp.sub.${s}` as MessageKey) }))}
            />
            <Button danger disabled={!sub} onClick={() => sub && run({ step: 'close', body: { substantiated: sub } })} data-testid="cp-close">
              {t('cp.d.close')}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}
