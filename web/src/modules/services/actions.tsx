import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Rate, Select, Space, Typography } from 'antd';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { shanghaiTime } from '../../shared/format';
import { useAnomalyCodes, useAssign, useCancel, useCaregivers, useCorrect, useRate, useResolve, useReview } from './api';
import { useFigures, useWord } from './labels';
import type { AnomalyView, OrderDetail, OrderItem } from './types';

/** A dialog with a form: the server's refusal shown inside it, the dialog kept open. */
function FormDialog<V extends object>({
  open,
  title,
  okText,
  onClose,
  onSubmit,
  busy,
  testId,
  children,
  initialValues,
}: {
  open: boolean;
  title: string;
  okText: string;
  onClose: () => void;
  onSubmit: (v: V) => Promise<void>;
  busy: boolean;
  testId: string;
  children: ReactNode;
  initialValues?: Partial<V>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: V) => {
    setError(null);
    try {
      await onSubmit(v);
      form.resetFields();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('svc.close')}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': `${testId}-ok` }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={initialValues} data-testid={`${testId}-form`}>
        {children}
        {error && <Alert type="error" showIcon message={error} data-testid={`${testId}-error`} />}
      </Form>
    </Modal>
  );
}

/** 派单 / 改派: the order's provider's active caregivers, a certificate problem named beside the name. */
function AssignDialog({ order, open, onClose }: { order: OrderItem; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const caregivers = useCaregivers(order.providerId, open);
  const assign = useAssign();
  const options = (caregivers.data ?? [])
    .filter((c) => c.active)
    .map((c) => ({
      value: c.id,
      title: c.name,
      label: `${c.name}${c.certStatus === 'valid' ? '' : t('svc.assign.certProblem', { status: word('svc.certStatus', c.certStatus) })}`,
    }));
  return (
    <FormDialog<{ caregiverId: number }>
      open={open}
      title={t('svc.assign.title', { id: order.id })}
      okText={order.caregiverId ? t('svc.reassign') : t('svc.assign')}
      onClose={onClose}
      busy={assign.isPending}
      testId="svc-assign"
      initialValues={order.caregiverId ? { caregiverId: order.caregiverId } : undefined}
      onSubmit={async (v) => {
        await assign.mutateAsync({ id: order.id, caregiverId: v.caregiverId });
        message.success(t('svc.assign.done', { name: options.find((o) => o.value === v.caregiverId)?.title ?? `#${v.caregiverId}` }));
      }}
    >
      {caregivers.error && <Alert type="error" showIcon message={caregivers.error.message} style={{ marginBottom: 12 }} />}
      <Form.Item name="caregiverId" label={t('svc.assign.pick')} rules={[{ required: true, message: t('svc.required') }]}>
        <Select showSearch optionFilterProp="title" loading={caregivers.isFetching} options={options} data-testid="svc-assign-caregiver" />
      </Form.Item>
    </FormDialog>
  );
}

function CancelDialog({ order, open, onClose }: { order: OrderItem; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cancel = useCancel();
  return (
    <FormDialog<{ reason: string }>
      open={open}
      title={t('svc.cancel.title', { id: order.id })}
      okText={t('svc.cancel.ok')}
      onClose={onClose}
      busy={cancel.isPending}
      testId="svc-cancel"
      onSubmit={async (v) => {
        await cancel.mutateAsync({ id: order.id, reason: v.reason.trim() });
        message.success(t('svc.cancel.done'));
      }}
    >
      <Typography.Paragraph type="secondary">{t('svc.cancel.hint')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('svc.cancel.reason')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="svc-cancel-reason" />
      </Form.Item>
    </FormDialog>
  );
}

function RateDialog({ order, open, onClose }: { order: OrderItem; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const rate = useRate();
  return (
    <FormDialog<{ rating: number; by: 'elder' | 'family'; note?: string }>
      open={open}
      title={t('svc.rate.title', { id: order.id })}
      okText={t('svc.save')}
      onClose={onClose}
      busy={rate.isPending}
      testId="svc-rate"
      initialValues={{ by: 'elder', rating: 5 }}
      onSubmit={async (v) => {
        await rate.mutateAsync({ id: order.id, rating: v.rating, by: v.by, note: v.note?.trim() || undefined });
        message.success(t('svc.rate.done'));
      }}
    >
      <Form.Item name="rating" label={t('svc.rate.rating')} rules={[{ required: true, message: t('svc.required') }]}>
        <Rate data-testid="svc-rate-stars" />
      </Form.Item>
      <Form.Item name="by" label={t('svc.rate.by')}>
        <Radio.Group>
          <Radio value="elder">{t('svc.rate.elder')}</Radio>
          <Radio value="family">{t('svc.rate.family')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="note" label={t('svc.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDialog>
  );
}

/** The order's buttons the viewer may use: assign / reassign and cancel before check-in, rate after check-out. */
export function OrderActions({ order, size = 'small' }: { order: OrderItem; size?: 'small' | 'middle' }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState<'assign' | 'cancel' | 'rate' | null>(null);
  const beforeVisit = order.status === 'created' || order.status === 'assigned';
  const buttons: ReactNode[] = [];
  if (can('services.order') && beforeVisit) {
    buttons.push(
      <Button
        key="assign"
        size={size}
        type={order.caregiverId ? 'default' : 'primary'}
        onClick={() => setOpen('assign')}
        data-testid={`svc-assign-${order.id}`}
      >
        {order.caregiverId ? t('svc.reassign') : t('svc.assign')}
      </Button>,
      <Button key="cancel" size={size} danger onClick={() => setOpen('cancel')} data-testid={`svc-cancel-${order.id}`}>
        {t('svc.cancelOrder')}
      </Button>,
    );
  }
  if (can('services.rate') && order.status === 'checked_out') {
    buttons.push(
      <Button key="rate" size={size} onClick={() => setOpen('rate')} data-testid={`svc-rate-${order.id}`}>
        {t('svc.rate')}
      </Button>,
    );
  }
  if (!buttons.length) return null;
  return (
    <>
      <Space size={4} wrap>
        {buttons}
      </Space>
      {open === 'assign' && <AssignDialog order={order} open onClose={() => setOpen(null)} />}
      {open === 'cancel' && <CancelDialog order={order} open onClose={() => setOpen(null)} />}
      {open === 'rate' && <RateDialog order={order} open onClose={() => setOpen(null)} />}
    </>
  );
}

/** An instant as Beijing's wall clock for <input type="datetime-local"> ('2026-11-30T09:05'), and back. */
const toLocalInput = (iso: string | null | undefined) => (iso ? shanghaiTime(iso).slice(0, 16).replace(' ', 'T') : '');
const fromLocalInput = (v: string) => new Date(`${v}:00+08:00`).toISOString();

/**
 * 更正 (an officer, services.review): the visit's real start and end, with the reason. The phone's
 * check-in and check-out stay as recorded; the correction is a record of its own, the exceptions
 * are judged again, and a month already closed is paid or taken back in the next month.
 */
function CorrectDialog({ order, open, onClose }: { order: OrderDetail; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const correct = useCorrect();
  const c = order.correction;
  return (
    <FormDialog<{ checkInAt: string; checkOutAt: string; reason: string }>
      open={open}
      title={t('svc.correct.title', { id: order.id })}
      okText={t('svc.correct.ok')}
      onClose={onClose}
      busy={correct.isPending}
      testId="svc-correct"
      initialValues={{ checkInAt: toLocalInput(c?.checkInAt ?? order.checkInAt), checkOutAt: toLocalInput(c?.checkOutAt ?? order.checkOutAt) }}
      onSubmit={async (v) => {
        await correct.mutateAsync({ id: order.id, checkInAt: fromLocalInput(v.checkInAt), checkOutAt: fromLocalInput(v.checkOutAt), reason: v.reason.trim() });
        message.success(t('svc.correct.done'));
      }}
    >
      <Typography.Paragraph type="secondary">{t('svc.correct.hint')}</Typography.Paragraph>
      <Form.Item name="checkInAt" label={t('svc.correct.start')} rules={[{ required: true, message: t('svc.required') }]}>
        <Input type="datetime-local" data-testid="svc-correct-start" />
      </Form.Item>
      <Form.Item name="checkOutAt" label={t('svc.correct.end')} rules={[{ required: true, message: t('svc.required') }]}>
        <Input type="datetime-local" data-testid="svc-correct-end" />
      </Form.Item>
      <Form.Item name="reason" label={t('svc.correct.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('svc.required') }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="svc-correct-reason" />
      </Form.Item>
    </FormDialog>
  );
}

/** The order page's 更正 button: an officer, on an order checked in (a forgotten check-out) or done. */
export function CorrectAction({ order, size = 'middle' }: { order: OrderDetail; size?: 'small' | 'middle' }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  if (!can('services.review') || !(order.status === 'checked_in' || order.status === 'checked_out' || order.status === 'rated')) return null;
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)} data-testid={`svc-correct-${order.id}`}>
        {t('svc.correct')}
      </Button>
      {open && <CorrectDialog order={order} open onClose={() => setOpen(false)} />}
    </>
  );
}

/** 说明: the provider picks a resolution code that fits the reason and says what happened. */
function ResolveDialog({ anomaly, open, onClose }: { anomaly: AnomalyView; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const figures = useFigures();
  const resolve = useResolve();
  // the resolutions that fit the reason: the server's list, the one it checks against
  const codeList = useAnomalyCodes(open);
  const codes = codeList.data?.reasons.find((r) => r.code === anomaly.code)?.allowed ?? [];
  return (
    <FormDialog<{ code: string; note: string }>
      open={open}
      title={t('svc.resolve.title', { reason: word('svc.reason', anomaly.code), order: anomaly.orderId })}
      okText={t('svc.resolve.ok')}
      onClose={onClose}
      busy={resolve.isPending}
      testId="svc-resolve"
      onSubmit={async (v) => {
        await resolve.mutateAsync({ id: anomaly.id, code: v.code, note: v.note.trim() });
        message.success(t('svc.resolve.done'));
      }}
    >
      <Typography.Paragraph type="secondary" data-testid="svc-resolve-figures">
        {figures(anomaly.detail, anomaly.code)}
      </Typography.Paragraph>
      {codeList.error && <Alert type="error" showIcon message={codeList.error.message} style={{ marginBottom: 12 }} />}
      <Form.Item name="code" label={t('svc.resolve.code')} rules={[{ required: true, message: t('svc.required') }]}>
        <Radio.Group data-testid="svc-resolve-code">
          <Space direction="vertical" size={4}>
            {codes.map((c) => (
              <Radio key={c} value={c} data-testid={`svc-resolve-code-${c}`}>
                {word('svc.res', c)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="note" label={t('svc.resolve.note')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
        <Input.TextArea rows={3} maxLength={500} data-testid="svc-resolve-note" />
      </Form.Item>
    </FormDialog>
  );
}

/** 审核: the officer accepts (paid as usual) or rejects (not payable) the provider's explanation. */
function ReviewDialog({ anomaly, open, onClose }: { anomaly: AnomalyView; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const figures = useFigures();
  const review = useReview();
  return (
    <FormDialog<{ decision: 'accepted' | 'rejected'; note: string }>
      open={open}
      title={t('svc.review.title', { reason: word('svc.reason', anomaly.code), order: anomaly.orderId })}
      okText={t('svc.review.ok')}
      onClose={onClose}
      busy={review.isPending}
      testId="svc-review"
      onSubmit={async (v) => {
        await review.mutateAsync({ id: anomaly.id, decision: v.decision, note: v.note.trim() });
        message.success(t('svc.review.done'));
      }}
    >
      <Typography.Paragraph type="secondary">{figures(anomaly.detail, anomaly.code)}</Typography.Paragraph>
      <Typography.Paragraph data-testid="svc-review-resolution">
        {t('svc.review.resolution', {
          code: word('svc.res', anomaly.resolutionCode),
          note: anomaly.resolutionNote ? `——${anomaly.resolutionNote}` : '',
        })}
      </Typography.Paragraph>
      <Form.Item name="decision" label={t('svc.review.decision')} rules={[{ required: true, message: t('svc.required') }]}>
        <Radio.Group data-testid="svc-review-decision">
          <Radio value="accepted" data-testid="svc-review-accept">
            {t('svc.review.accept')}
          </Radio>
          <Radio value="rejected" data-testid="svc-review-reject">
            {t('svc.review.reject')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="note" label={t('svc.review.note')} rules={[{ required: true, whitespace: true, message: t('svc.required') }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="svc-review-note" />
      </Form.Item>
    </FormDialog>
  );
}

/** The exception's button the viewer may use: 说明 (provider, open) or 审核 (officer, resolved). */
export function AnomalyActions({ anomaly }: { anomaly: AnomalyView }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState<'resolve' | 'review' | null>(null);
  if (anomaly.status === 'open' && can('services.resolve'))
    return (
      <>
        <Button size="small" type="primary" onClick={() => setOpen('resolve')} data-testid={`svc-resolve-${anomaly.id}`}>
          {t('svc.resolve')}
        </Button>
        {open && <ResolveDialog anomaly={anomaly} open onClose={() => setOpen(null)} />}
      </>
    );
  if (anomaly.status === 'resolved' && can('services.review'))
    return (
      <>
        <Button size="small" type="primary" onClick={() => setOpen('review')} data-testid={`svc-review-${anomaly.id}`}>
          {t('svc.review')}
        </Button>
        {open && <ReviewDialog anomaly={anomaly} open onClose={() => setOpen(null)} />}
      </>
    );
  return null;
}
