import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Radio, Row, Segmented, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { downloadFile } from '../../shared/export-button';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { fetchAnomalies, statementUrl, useCloseMonth, useDrawSample, useFeedback, useFeedbackOutcome, useItems, useSettlement } from './api';
import { OutcomeTag, useMoney, useWord } from './labels';
import { SettlementStatusTag } from './settlements';
import type { FeedbackView, SettlementLineView } from './types';

type OutcomeFilter = 'all' | 'accepted' | 'held' | 'rejected' | 'pending' | 'adjustment';

/** 记录回访结果: given / not given / unreachable, with a note. */
function FeedbackDialog({ call, onClose }: { call: FeedbackView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const [form] = Form.useForm<{ outcome: 'given' | 'not_given' | 'unreachable'; note?: string }>();
  const [error, setError] = useState<string | null>(null);
  const record = useFeedbackOutcome();
  return (
    <Modal
      open
      title={t('svc.fb.title', { name: call.personName, order: call.orderId })}
      okText={t('svc.save')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={record.isPending}
      okButtonProps={{ 'data-testid': 'svc-feedback-ok' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ outcome: call.outcome === 'pending' ? undefined : call.outcome, note: call.note ?? undefined }}
        onFinish={(v) => {
          setError(null);
          record
            .mutateAsync({ id: call.id, outcome: v.outcome, note: v.note?.trim() || undefined })
            .then(() => {
              message.success(t('svc.fb.done'));
              onClose();
            })
            .catch((e: unknown) => setError((e as Error).message));
        }}
      >
        {call.phoneMasked && (
          <Typography.Paragraph>
            {t('svc.fb.phone')}：{call.phoneMasked}
          </Typography.Paragraph>
        )}
        <Form.Item name="outcome" label={t('svc.fb.outcome')} rules={[{ required: true, message: t('svc.required') }]}>
          <Radio.Group data-testid="svc-feedback-outcome">
            {(['given', 'not_given', 'unreachable'] as const).map((o) => (
              <Radio key={o} value={o} data-testid={`svc-feedback-${o}`}>
                {word('svc.fb', o)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t('svc.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-feedback-error" />}
      </Form>
    </Modal>
  );
}

/** The feedback calls of the month: shown only to those who make them (services.feedback; the list is theirs alone on the server). */
function FeedbackCalls({ providerId, period, closed }: { providerId: number; period: string; closed: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const calls = useFeedback(providerId, period);
  const draw = useDrawSample();
  const [calling, setCalling] = useState<FeedbackView | null>(null);
  const columns: ColumnsType<FeedbackView> = [
    { title: t('svc.col.order'), key: 'order', width: 80, render: (_, c) => <Link to={`/services/orders/${c.orderId}`}>#{c.orderId}</Link> },
    { title: t('svc.col.person'), dataIndex: 'personName', width: 110 },
    { title: t('svc.fb.phone'), key: 'phone', width: 130, render: (_, c) => c.phoneMasked ?? '—' },
    {
      title: t('svc.fb.outcome'),
      key: 'outcome',
      width: 110,
      render: (_, c) => (
        <Tag color={c.outcome === 'given' ? 'green' : c.outcome === 'not_given' ? 'red' : c.outcome === 'unreachable' ? 'orange' : undefined}>
          {word('svc.fb', c.outcome)}
        </Tag>
      ),
    },
    { title: t('svc.note'), dataIndex: 'note', ellipsis: true },
    {
      title: '',
      key: 'actions',
      // wide enough for 'Record outcome' too, and kept in view when the table scrolls on a phone
      width: 140,
      fixed: 'right',
      render: (_, c) => (
        <Button size="small" onClick={() => setCalling(c)} data-testid={`svc-feedback-call-${c.id}`}>
          {t('svc.fb.record')}
        </Button>
      ),
    },
  ];
  const mayDraw = !closed;
  return (
    <Card
      size="small"
      title={t('svc.st.feedback')}
      extra={
        mayDraw && (
          <Button
            size="small"
            loading={draw.isPending}
            onClick={() =>
              draw
                .mutateAsync({ providerId, period })
                .then(() => message.success(t('svc.st.drawn')))
                .catch((e: unknown) => message.error((e as Error).message))
            }
            data-testid="svc-draw"
          >
            {t('svc.st.draw')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('svc.st.feedbackIntro')}
      </Typography.Paragraph>
      {calls.error && <Alert type="error" showIcon message={calls.error.message} />}
      <Table<FeedbackView>
        size="small"
        rowKey="id"
        loading={calls.isFetching}
        columns={columns}
        dataSource={calls.data ?? []}
        pagination={false}
        scroll={{ x: 660 }}
        locale={{ emptyText: t('svc.st.noSample') }}
        data-testid="svc-feedback"
      />
      {calling && <FeedbackDialog call={calling} onClose={() => setCalling(null)} />}
    </Card>
  );
}

/**
 * A provider's month: its figures, the lines with outcome and reasons, the statement (a draft until
 * closed), the feedback sample and the calls, and 关账 for the bureau after the month ended.
 */
export function SettlementPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const money = useMoney();
  const word = useWord();
  const params = useParams();
  const providerId = Number(params.providerId);
  const period = params.period ?? '';
  const q = useSettlement(providerId, period);
  // the lines carry the item's Chinese name only: in English, the jurisdiction's item of that name gives its English one
  const items = useItems(locale === 'en');
  const itemName = (nameZh: string) => (locale === 'en' ? (items.data?.find((i) => i.nameZh === nameZh)?.nameEn ?? nameZh) : nameZh);
  const closing = useCloseMonth();
  const [outcome, setOutcome] = useState<OutcomeFilter>('all');
  const [downloading, setDownloading] = useState(false);
  if (q.error) return <Alert type="error" showIcon message={q.error.message} data-testid="svc-settlement-error" />;
  if (!q.data) return <Skeleton active />;
  const { header: h, lines } = q.data;
  const closed = h.status === 'closed';
  const shown = outcome === 'all' ? lines : lines.filter((l) => l.outcome === outcome);

  const download = async () => {
    setDownloading(true);
    try {
      await downloadFile(statementUrl(providerId, period), `settlement-${providerId}-${period}.xlsx`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setDownloading(false);
    }
  };
  const close = async () => {
    // what is still open in the month, said before it is frozen: the provider's exceptions of the
    // month (one read: the list puts open, then resolved, first), the calls not made, the held lines
    let open: string = '—';
    let review: string = '—';
    try {
      const a = await fetchAnomalies({ providerId, period }, 1, 200);
      const more = a.items.length < a.total && ['open', 'resolved'].includes(a.items.at(-1)?.status ?? '') ? '+' : '';
      open = `${a.items.filter((x) => x.status === 'open').length}${more}`;
      review = `${a.items.filter((x) => x.status === 'resolved').length}${more}`;
    } catch (e) {
      console.warn('exceptions not counted', e);
    }
    const calls = Math.max(0, h.sample - h.calls);
    const nothing = open === '0' && review === '0' && calls === 0 && h.held === 0;
    modal.confirm({
      title: t('svc.st.closeConfirm', { provider: h.providerName, period }),
      width: 520,
      content: (
        <div data-testid="svc-close-open">
          {nothing ? (
            <p>{t('svc.st.closeNothingOpen')}</p>
          ) : (
            <>
              <p style={{ marginBottom: 4 }}>{t('svc.st.closeStillOpen')}</p>
              <ul style={{ paddingInlineStart: 20, marginBottom: 8 }}>
                <li>{t('svc.st.closeExceptions', { open, review })}</li>
                <li>{t('svc.st.closeCalls', { n: calls })}</li>
                <li>{t('svc.st.closeHeld', { n: h.held, amount: money(h.heldFen) })}</li>
              </ul>
            </>
          )}
          <p style={{ margin: 0 }}>{t('svc.st.closeWarn')}</p>
        </div>
      ),
      okText: t('svc.st.closeMonth'),
      cancelText: t('svc.close'),
      okButtonProps: { danger: true, 'data-testid': 'svc-close-confirm' },
      onOk: () =>
        closing
          .mutateAsync({ providerId, period })
          .then(() => void message.success(t('svc.st.closeDone', { period })))
          .catch((e: unknown) => {
            message.error((e as Error).message);
          }),
    });
  };

  const columns: ColumnsType<SettlementLineView> = [
    {
      title: t('svc.col.order'),
      key: 'order',
      width: 76,
      render: (_, l) => <Link to={`/services/orders/${l.orderId}`}>#{l.orderId}</Link>,
    },
    { title: t('svc.col.person'), dataIndex: 'personName', width: 100 },
    {
      title: t('svc.col.item'),
      key: 'item',
      width: 150,
      render: (_, l) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{itemName(l.itemNameZh)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.scheduledOn} · {l.caregiverName ?? '—'}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('svc.st.outcome'),
      key: 'outcome',
      width: 100,
      render: (_, l) => (
        <span data-testid={`svc-line-${l.orderId}-${l.outcome}`}>
          <OutcomeTag outcome={l.outcome} />
        </span>
      ),
    },
    {
      title: t('svc.st.reasons'),
      key: 'reasons',
      render: (_, l) => (
        <span style={{ fontSize: 12 }}>
          {l.reasons.map((r) => (r === 'accepted' || r === 'rejected' || r === 'held' ? word('svc.outcome', r) : word('svc.reason', r))).join('、')}
          {l.adjustsPeriod && ` ${t('svc.st.adjusts', { period: l.adjustsPeriod })}`}
        </span>
      ),
    },
    {
      title: t('svc.st.amount'),
      key: 'amount',
      width: 110,
      align: 'right',
      render: (_, l) => {
        // the elder's part beside the entitlement's
        const self = l.selfPaidFen;
        return (
          <div style={{ lineHeight: 1.3 }}>
            <div>{money(l.amountFen)}</div>
            {self > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {l.amountFen === 0 && l.outcome === 'accepted' ? t('svc.st.allSelfPaid') : t('svc.st.selfPaid', { v: money(self) })}
              </Typography.Text>
            )}
          </div>
        );
      },
    },
  ];
  const count = (o: OutcomeFilter) => lines.filter((l) => l.outcome === o).length;
  return (
    <div data-testid="svc-settlement-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Space size={8} wrap>
          <Link to={`/services/settlements?period=${period}`}>{t('svc.back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {h.providerName} · {period}
          </Typography.Title>
          <span data-testid="svc-settlement-status">
            <SettlementStatusTag status={h.status} />
          </span>
        </Space>
        <Space size={8} wrap>
          <Tooltip title={closed ? undefined : t('svc.st.draft')}>
            <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()} data-testid="svc-statement">
              {t('svc.st.download')}
            </Button>
          </Tooltip>
          {can('services.settle') && !closed && (
            <Button danger type="primary" disabled={!h.closable} loading={closing.isPending} onClick={() => void close()} data-testid="svc-close-month">
              {t('svc.st.closeMonth')}
            </Button>
          )}
        </Space>
      </div>
      {(h.underServed ?? []).length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="svc-st-underserved"
          message={t('svc.st.underServed', { n: h.underServed.length })}
          description={
            <span>
              {h.underServed.map((u, i) => (
                <span key={u.personId}>
                  {i > 0 && t('svc.st.listSep')}
                  {t('svc.st.underServedOne', { name: u.personName, visits: u.visits, minimum: u.minimum })}
                </span>
              ))}
            </span>
          }
        />
      )}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(
          [
            ['accepted', h.accepted],
            ['rejected', h.rejected],
            ['held', h.held],
            ['pending', h.pending],
            ['adjustments', h.adjustments],
          ] as const
        ).map(([k, v]) => (
          <Col key={k} xs={12} sm={8} lg={4}>
            <Card size="small" styles={{ body: { padding: 12 } }} style={{ height: '100%' }}>
              <Statistic title={t(`svc.st.${k}`)} value={v} data-testid={`svc-st-${k}`} />
              {k === 'held' && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="svc-st-heldFen">
                  {t('svc.st.heldFen', { v: money(h.heldFen) })}
                </Typography.Text>
              )}
            </Card>
          </Col>
        ))}
        <Col xs={12} sm={8} lg={4}>
          <Card size="small" styles={{ body: { padding: 12 } }}>
            <Statistic title={t('svc.st.payable')} valueRender={() => <strong data-testid="svc-st-payable">{money(h.payableFen)}</strong>} />
            {h.closedAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('svc.st.closedAt')} {shanghaiTime(h.closedAt)}
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      {h.statementSha256 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {t('svc.st.sha')}：{h.statementSha256}
        </Typography.Paragraph>
      )}
      <Card
        size="small"
        title={t('svc.st.lines')}
        style={{ marginBottom: 12 }}
        extra={
          <Segmented
            size="small"
            value={outcome}
            onChange={(v) => setOutcome(v as OutcomeFilter)}
            options={[
              { value: 'all', label: `${t('svc.all')} ${lines.length}` },
              { value: 'accepted', label: `${word('svc.outcome', 'accepted')} ${count('accepted')}` },
              { value: 'held', label: `${word('svc.outcome', 'held')} ${count('held')}` },
              { value: 'rejected', label: `${word('svc.outcome', 'rejected')} ${count('rejected')}` },
              ...(count('pending') ? [{ value: 'pending', label: `${word('svc.outcome', 'pending')} ${count('pending')}` }] : []),
              ...(count('adjustment') ? [{ value: 'adjustment', label: `${word('svc.outcome', 'adjustment')} ${count('adjustment')}` }] : []),
            ]}
            data-testid="svc-lines-outcome"
          />
        }
      >
        <Table<SettlementLineView>
          size="small"
          rowKey={(l) => `${l.orderId}-${l.outcome}-${l.adjustsPeriod ?? ''}`}
          columns={columns}
          dataSource={shown}
          pagination={{ pageSize: 50, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 640 }}
          data-testid="svc-lines"
        />
      </Card>
      {can('services.feedback') && <FeedbackCalls providerId={providerId} period={period} closed={closed} />}
    </div>
  );
}
