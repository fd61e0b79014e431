import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Typography, type ButtonProps } from 'antd';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { usePauseSteps, usePersonPauses, type PauseInput } from './api';
import type { PauseView } from './types';

const OFFICER_REASONS = ['abroad', 'missing', 'verification', 'institution', 'other'] as const;
/** the usual answer to "pay the paused months back?" per reason; the officer decides */
const BACKPAY_BY_DEFAULT: Record<string, boolean> = { abroad: false, institution: false, missing: true, verification: true, other: true };

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

function SetPause({ personId, items, onClose }: { personId: string; items: { value: string; label: string }[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const steps = usePauseSteps(personId);
  const [form] = Form.useForm<PauseInput>();
  return (
    <Modal
      open
      title={t('pause.set')}
      okText={t('pause.set')}
      okButtonProps={{ danger: true, loading: steps.set.isPending, 'data-testid': 'pause-ok' } as ButtonProps}
      onCancel={onClose}
      onOk={() =>
        // a rejected validation shows on the fields: nothing more to report
        void form.validateFields().then(
          (v) =>
            steps.set.mutate(
              { ...v, items: v.items && v.items.length ? v.items : null },
              {
                onSuccess: () => {
                  void message.success(t('pause.done'));
                  onClose();
                },
                onError: (e) => void message.error(e.message),
              },
            ),
          () => undefined,
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ since: thisMonth(), items: [] }}>
        <Form.Item name="reason" label={t('pause.field.reason')} rules={[{ required: true }]}>
          <Select data-testid="pause-reason" options={OFFICER_REASONS.map((r) => ({ value: r, label: t(`pausereason.${r}` as const) }))} />
        </Form.Item>
        {items.length > 0 && (
          <Form.Item name="items" label={t('pause.field.items')}>
            <Select mode="multiple" allowClear options={items} />
          </Form.Item>
        )}
        <Form.Item name="since" label={t('pause.field.since')} rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/ }]}>
          <Input data-testid="pause-since" />
        </Form.Item>
        <Form.Item name="note" label={t('pause.field.note')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="pause-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function LiftPause({ personId, pause, onClose }: { personId: string; pause: PauseView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const steps = usePauseSteps(personId);
  const [form] = Form.useForm<{ backpay: boolean; note: string }>();
  return (
    <Modal
      open
      title={t('pause.liftTitle', { reason: pause.reasonText })}
      okText={t('pause.lift')}
      okButtonProps={{ loading: steps.lift.isPending, 'data-testid': 'lift-ok' } as ButtonProps}
      onCancel={onClose}
      onOk={() =>
        // a rejected validation shows on the fields: nothing more to report
        void form.validateFields().then(
          (v) =>
            steps.lift.mutate(
              { pauseId: pause.id, backpay: v.backpay, note: v.note },
              {
                onSuccess: () => {
                  void message.success(t('pause.done'));
                  onClose();
                },
                onError: (e) => void message.error(e.message),
              },
            ),
          () => undefined,
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ backpay: BACKPAY_BY_DEFAULT[pause.reason] ?? true }}>
        <Form.Item name="backpay" valuePropName="checked" extra={t('pause.backpayHint')}>
          <Checkbox data-testid="lift-backpay">{t('pause.field.backpay')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('pause.field.note')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="lift-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The top of 发放记录: why this person's payments are paused (no account; an officer's pause with
 * its reason, who set it and why), the officer's buttons to pause and lift, and the pauses lifted.
 */
export function ProfilePauses({ personId, items }: { personId: string; items: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const pauses = usePersonPauses(personId);
  const [setting, setSetting] = useState(false);
  const [lifting, setLifting] = useState<PauseView | null>(null);
  if (!pauses.data) return null;
  const active = pauses.data.items.filter((p) => p.liftedAt === null);
  const lifted = pauses.data.items.filter((p) => p.liftedAt !== null);
  const mayPause = can('rolls.pause');
  return (
    <div data-testid="profile-pauses" style={{ marginBottom: 12 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {pauses.data.noAccount && <Alert type="warning" showIcon message={t('pause.noAccount')} data-testid="pause-no-account" />}
        {active.map((p) => (
          <Alert
            key={p.id}
            type="error"
            showIcon
            data-testid={`pause-active-${p.id}`}
            message={t('pause.active', { reason: p.reasonText, since: p.since })}
            description={t('pause.setBy', { name: p.setByName, date: shanghaiTime(p.setAt).slice(0, 10), note: p.note })}
            action={
              mayPause && (
                <Button size="small" onClick={() => setLifting(p)} data-testid={`pause-lift-${p.id}`}>
                  {t('pause.lift')}
                </Button>
              )
            }
          />
        ))}
        {mayPause && (
          <Button danger size="small" onClick={() => setSetting(true)} data-testid="pause-set">
            {t('pause.set')}
          </Button>
        )}
        {lifted.length > 0 && (
          <details>
            <summary>
              <Typography.Text type="secondary">
                {t('pause.history')} ({lifted.length})
              </Typography.Text>
            </summary>
            <ul style={{ margin: '4px 0' }}>
              {lifted.map((p) => (
                <li key={p.id}>
                  {t('pause.lifted', {
                    reason: p.reasonText,
                    since: p.since,
                    name: p.liftedByName ?? '',
                    date: shanghaiTime(p.liftedAt!).slice(0, 10),
                    backpay: t(p.backpay ? 'pause.backpayYes' : 'pause.backpayNo'),
                    note: p.liftNote ?? '',
                  })}
                </li>
              ))}
            </ul>
          </details>
        )}
      </Space>
      {setting && <SetPause personId={personId} items={items} onClose={() => setSetting(false)} />}
      {lifting && <LiftPause personId={personId} pause={lifting} onClose={() => setLifting(null)} />}
    </div>
  );
}
