import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, List, Modal, Space, Switch, Tag, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { showServerError } from '../alarm-devices/form-errors';
import { useClearOverride, useOverrides, useRules, useSetOverride } from './api';
import type { OverridesReply } from './types';

/** One rule as it applies to the person: the jurisdiction's, and the person's change if any. */
type PersonRule = OverridesReply['rules'][number];

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Minutes in words: 30 分钟, 12 小时, 1 天 2 小时. */
export function minutesWords(t: T, m: number): string {
  if (m % 1440 === 0) return t('hl.ov.days', { n: m / 1440 });
  if (m >= 60 && m % 60 === 0) return t('hl.ov.hours', { n: m / 60 });
  if (m > 60) return t('hl.ov.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
  return t('hl.ov.minutes', { n: m });
}

/** A rule's effective hours and threshold in words ("22:00–06:00 内；30 分钟"); all day when no hours. */
export function ruleWords(t: T, r: { minutes: number | null; hours: { from: string; to: string } | null }): string {
  const parts = [r.hours && r.hours.from !== r.hours.to ? t('hl.ov.within', { from: r.hours.from, to: r.hours.to }) : t('hl.ov.allDay')];
  if (r.minutes !== null) parts.push(t('hl.ov.threshold', { d: minutesWords(t, r.minutes) }));
  return parts.join(t('hl.ov.sep'));
}

interface OverrideForm {
  enabled: boolean;
  minutes?: number;
  from?: Dayjs;
  to?: Dayjs;
  reason: string;
}

/** 调整规则: on or off for this person, another threshold or other hours, and why (required). */
function OverrideDialog({ personId, rule, onClose }: { personId: number; rule: PersonRule; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<OverrideForm>();
  const [error, setError] = useState<string | null>(null);
  const set = useSetOverride(personId);
  const current = rule.override;
  const hours = current?.hours ?? rule.rule.hours;
  const enabled = Form.useWatch('enabled', form) ?? current?.enabled ?? true;
  const submit = async (v: OverrideForm) => {
    setError(null);
    const changedHours = v.from && v.to ? { from: v.from.format('HH:mm'), to: v.to.format('HH:mm') } : undefined;
    try {
      await set.mutateAsync({
        ruleKey: rule.ruleKey,
        body: {
          enabled: v.enabled,
          minutes: v.enabled && v.minutes !== undefined && v.minutes !== null ? v.minutes : undefined,
          hours: v.enabled ? changedHours : undefined,
          reason: v.reason.trim(),
        },
      });
      message.success(t('hl.ov.saved', { rule: pick(rule.ruleLabel.zh, rule.ruleLabel.en) }));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, ['enabled', 'minutes', 'hours', 'reason']));
    }
  };
  return (
    <Modal
      open
      title={t('hl.ov.title', { rule: pick(rule.ruleLabel.zh, rule.ruleLabel.en) })}
      okText={t('hl.save')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={set.isPending}
      okButtonProps={{ 'data-testid': 'hl-ov-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('hl.ov.jurisdiction', { words: ruleWords(t, rule.rule) })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form<OverrideForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          enabled: current?.enabled ?? true,
          minutes: current?.minutes ?? rule.rule.minutes ?? undefined,
          from: hours ? dayjs(`2000-01-01T${hours.from}`) : undefined,
          to: hours ? dayjs(`2000-01-01T${hours.to}`) : undefined,
          reason: '',
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="enabled" label={t('hl.ov.enabled')} valuePropName="checked">
          <Switch checkedChildren={t('hl.ov.on')} unCheckedChildren={t('hl.ov.off')} data-testid="hl-ov-enabled" />
        </Form.Item>
        {enabled && rule.rule.minutes !== null && (
          <Form.Item name="minutes" label={t('hl.ov.minutesField')}>
            <InputNumber min={1} max={7 * 24 * 60} precision={0} style={{ width: '100%' }} addonAfter={t('hl.ov.minuteUnit')} data-testid="hl-ov-minutes" />
          </Form.Item>
        )}
        {enabled && (
          <Space wrap>
            <Form.Item name="from" label={t('hl.ov.from')}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} data-testid="hl-ov-from" />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('hl.ov.to')}
              dependencies={['from']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v: Dayjs | undefined) => (!v === !getFieldValue('from') ? Promise.resolve() : Promise.reject(new Error(t('hl.ov.bothTimes')))),
                }),
              ]}
            >
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} data-testid="hl-ov-to" />
            </Form.Item>
          </Space>
        )}
        <Form.Item
          name="reason"
          label={t('hl.ov.reason')}
          extra={t('hl.ov.reasonHint')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.ov.reason') }) },
            { min: 2, message: t('hl.ov.reasonShort') },
            { max: 500, message: t('hl.tooLong', { n: 500 }) },
          ]}
        >
          <Input.TextArea rows={2} data-testid="hl-ov-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 恢复辖区规则: clears the person's change, with a reason. */
function ClearDialog({ personId, rule, onClose }: { personId: number; rule: PersonRule; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const clear = useClearOverride(personId);
  const submit = async (v: { reason: string }) => {
    setError(null);
    try {
      await clear.mutateAsync({ ruleKey: rule.ruleKey, reason: v.reason.trim() });
      message.success(t('hl.ov.cleared', { rule: pick(rule.ruleLabel.zh, rule.ruleLabel.en) }));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, ['reason']));
    }
  };
  return (
    <Modal
      open
      title={t('hl.ov.clearTitle', { rule: pick(rule.ruleLabel.zh, rule.ruleLabel.en) })}
      okText={t('hl.ov.clear')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={clear.isPending}
      okButtonProps={{ 'data-testid': 'hl-ov-clear-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
        <Form.Item
          name="reason"
          label={t('hl.ov.reason')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.ov.reason') }) },
            { min: 2, message: t('hl.ov.reasonShort') },
            { max: 500, message: t('hl.tooLong', { n: 500 }) },
          ]}
        >
          <Input.TextArea rows={2} data-testid="hl-ov-clear-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 个人告警规则: each rule in words as the jurisdiction has it, the person's change and its reason. */
export function OverridesCard({ personId }: { personId: number }) {
  const { t, pick } = useI18n();
  const { can } = useAuth();
  const changer = can('alarms.devices');
  const overrides = useOverrides(personId, can('alarms.read') || changer);
  const rules = useRules(can('alarms.read'));
  const [editing, setEditing] = useState<PersonRule | null>(null);
  const [clearing, setClearing] = useState<PersonRule | null>(null);
  const whenOf = (key: string) => rules.data?.rules.find((r) => r.key === key)?.whenWords ?? null;
  if (!can('alarms.read') && !changer) return null;
  return (
    <Card size="small" title={t('hl.ov.card')} data-testid="hl-overrides">
      {overrides.error && <Alert type="error" showIcon message={overrides.error.message} />}
      <List<PersonRule>
        size="small"
        loading={overrides.isFetching && !overrides.data}
        dataSource={overrides.data?.rules ?? []}
        renderItem={(r) => {
          const when = whenOf(r.ruleKey);
          const o = r.override;
          return (
            <List.Item key={r.ruleKey} style={{ flexWrap: 'wrap', gap: 4 }} data-testid={`hl-ov-${r.ruleKey}`}>
              <div style={{ minWidth: 0, flex: '1 1 220px' }}>
                <Space size={4} wrap>
                  <Typography.Text strong>{pick(r.ruleLabel.zh, r.ruleLabel.en)}</Typography.Text>
                  {o && (o.enabled ? <Tag color="blue">{t('hl.ov.changed')}</Tag> : <Tag color="orange">{t('hl.ov.offForPerson')}</Tag>)}
                </Space>
                <div style={{ fontSize: 12 }}>
                  {when ? `${pick(when.zh, when.en)}${t('hl.ov.sep')}` : ''}
                  <span style={o ? { textDecoration: 'line-through', color: '#999' } : undefined}>{ruleWords(t, r.rule)}</span>
                </div>
                {o && (
                  <div style={{ fontSize: 12 }} data-testid={`hl-ov-change-${r.ruleKey}`}>
                    {o.enabled
                      ? t('hl.ov.forPerson', { words: ruleWords(t, { minutes: o.minutes ?? r.rule.minutes, hours: o.hours ?? r.rule.hours }) })
                      : t('hl.ov.notApplied')}
                    <div>
                      <Typography.Text type="secondary">
                        {t('hl.ov.because', { reason: o.reason, who: o.setBy.name, at: shanghaiTime(o.setAt).slice(0, 16) })}
                      </Typography.Text>
                    </div>
                  </div>
                )}
              </div>
              {changer && (
                <Space size={2} wrap>
                  <Button size="small" onClick={() => setEditing(r)} data-testid={`hl-ov-edit-${r.ruleKey}`}>
                    {t('hl.ov.change')}
                  </Button>
                  {o && (
                    <Button size="small" onClick={() => setClearing(r)} data-testid={`hl-ov-clear-${r.ruleKey}`}>
                      {t('hl.ov.clear')}
                    </Button>
                  )}
                </Space>
              )}
            </List.Item>
          );
        }}
      />
      {editing && <OverrideDialog personId={personId} rule={editing} onClose={() => setEditing(null)} />}
      {clearing && <ClearDialog personId={personId} rule={clearing} onClose={() => setClearing(null)} />}
    </Card>
  );
}
