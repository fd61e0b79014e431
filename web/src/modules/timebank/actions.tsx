import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { newClientId, useRedeem, useReverse, useRewards, useTransfer } from './api';
import { useHours } from './hours';
import { idNumberProblem, maskedIdNumber, normalIdNumber, type IdNumberProblem } from './id-number';
import { PersonPicker } from './pickers';
import type { AccountView, LedgerLine, Reward } from './types';

/**
 * A dialog of two steps: the form, then what will happen in words with 确认. A refusal of the server
 * comes back to the form with its message (the server's clear error: what and why).
 */
function TwoStep<V extends object>({
  open,
  title,
  form,
  testId,
  onClose,
  describe,
  run,
  children,
}: {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  testId: string;
  onClose: () => void;
  /** the confirmation's words for the values */
  describe: (v: V) => string;
  /** does it; the returned text is the success message */
  run: (v: V) => Promise<string>;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [asked, setAsked] = useState<V | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setAsked(null);
    setError(null);
    form.resetFields();
    onClose();
  };
  const confirm = async () => {
    if (!asked) return;
    setBusy(true);
    try {
      const done = await run(asked);
      message.success(done);
      close();
    } catch (e) {
      setError((e as Error).message);
      setAsked(null);
    } finally {
      setBusy(false);
    }
  };
  const footer = asked ? (
    <Space>
      <Button onClick={() => setAsked(null)} disabled={busy} data-testid={`${testId}-back`}>
        {t('tb.cancel')}
      </Button>
      <Button type="primary" danger loading={busy} onClick={() => void confirm()} data-testid={`${testId}-confirm`}>
        {t('tb.confirm')}
      </Button>
    </Space>
  ) : (
    <Space>
      <Button onClick={close} data-testid={`${testId}-cancel`}>
        {t('tb.cancel')}
      </Button>
      <Button type="primary" onClick={() => form.submit()} data-testid={`${testId}-ok`}>
        {title}
      </Button>
    </Space>
  );
  return (
    <Modal open={open} title={title} onCancel={close} footer={footer} destroyOnHidden forceRender>
      <div data-testid={testId}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid={`${testId}-error`} />}
        <div style={{ display: asked ? 'none' : undefined }}>
          <Form<V>
            form={form}
            layout="vertical"
            onFinish={(v) => {
              setError(null);
              setAsked(v);
            }}
          >
            {children}
          </Form>
        </div>
        {asked && <Alert type="warning" showIcon message={describe(asked)} data-testid={`${testId}-question`} style={{ fontSize: 15 }} />}
      </div>
    </Modal>
  );
}

const holderName = (a: AccountView) => a.holder?.name ?? `#${a.id}`;

interface RedeemValues {
  rewardKey: string;
  quantity: number;
}

/** 兑换: a reward of the jurisdiction's list × quantity, its price against the balance. */
export function RedeemDialog({ account, open, onClose }: { account: AccountView; open: boolean; onClose: () => void }) {
  const { t, pick } = useI18n();
  const hours = useHours();
  const rewards = useRewards(open);
  const redeem = useRedeem();
  const [form] = Form.useForm<RedeemValues>();
  const key = Form.useWatch('rewardKey', form);
  const quantity = Form.useWatch('quantity', form) ?? 1;
  const find = (k: string | undefined): Reward | undefined => rewards.data?.find((r) => r.key === k);
  const chosen = find(key);
  const label = (r: Reward) => pick(r.label.zh, r.label.en);
  return (
    <TwoStep<RedeemValues>
      open={open}
      title={t('tb.redeem.title')}
      form={form}
      testId="tb-redeem"
      onClose={onClose}
      describe={(v) => {
        const r = find(v.rewardKey);
        return t('tb.redeem.confirm', {
          name: holderName(account),
          reward: r ? label(r) : v.rewardKey,
          n: v.quantity,
          amount: hours((r?.minutes ?? 0) * v.quantity),
        });
      }}
      run={async (v) => {
        const r = await redeem.mutateAsync({ accountId: account.id, rewardKey: v.rewardKey, quantity: v.quantity, clientId: newClientId() });
        return t('tb.redeem.done', { amount: hours(r.minutes) });
      }}
    >
      {rewards.error && <Alert type="error" showIcon message={rewards.error.message} style={{ marginBottom: 12 }} />}
      <Form.Item name="rewardKey" label={t('tb.redeem.reward')} rules={[{ required: true, message: t('tb.required') }]}>
        <Select
          data-testid="tb-redeem-reward"
          loading={rewards.isLoading}
          options={(rewards.data ?? []).map((r) => ({
            value: r.key,
            title: label(r),
            label: `${label(r)} · ${t(r.kind === 'service' ? 'tb.reward.service' : 'tb.reward.goods')} · ${hours(r.minutes)}`,
          }))}
        />
      </Form.Item>
      <Form.Item name="quantity" label={t('tb.redeem.quantity')} initialValue={1} rules={[{ required: true, message: t('tb.required') }]}>
        <InputNumber min={1} max={100} precision={0} style={{ width: 120 }} data-testid="tb-redeem-quantity" />
      </Form.Item>
      {chosen && (
        <Typography.Text type="secondary" data-testid="tb-redeem-total">
          {t('tb.redeem.total', { amount: hours(chosen.minutes * (quantity || 1)), balance: hours(account.balanceMinutes) })}
        </Typography.Text>
      )}
    </TwoStep>
  );
}

interface TransferValues {
  to: 'person' | 'id' | 'account';
  personId?: number;
  name?: string;
  idNumber?: string;
  accountId?: number;
  hours?: number;
  minutes?: number;
  note?: string;
}

/** What a transfer did, for the page to show after the dialog closes. */
export interface TransferDone {
  minutes: number;
  /** the relative as the volunteer named them: 孙桂兰（身份证 990101************）, or #account */
  to: string;
}

/**
 * 转赠: hours to a relative — named by their 18-digit resident ID number and name (what a volunteer
 * knows of a parent; checked on the device for length and check digit, the server looks them up and
 * opens their account if need be), a register person picked by search (who may read the register),
 * or their account's number.
 */
export function TransferDialog({
  account,
  open,
  onClose,
  canSearch,
  onDone,
}: {
  account: AccountView;
  open: boolean;
  onClose: () => void;
  canSearch: boolean;
  onDone?: (done: TransferDone) => void;
}) {
  const { t } = useI18n();
  const hours = useHours();
  const transfer = useTransfer();
  const [form] = Form.useForm<TransferValues>();
  const initial = canSearch ? 'person' : 'id';
  const to = Form.useWatch('to', form) ?? initial;
  const [personName, setPersonName] = useState<string | undefined>(undefined);
  const total = (v: TransferValues) => (v.hours ?? 0) * 60 + (v.minutes ?? 0);
  const target = (v: TransferValues) =>
    v.to === 'person'
      ? (personName ?? `#${v.personId}`)
      : v.to === 'id'
        ? t('tb.transfer.target', { name: (v.name ?? '').trim(), id: maskedIdNumber(v.idNumber ?? '') })
        : `#${v.accountId}`;
  const idProblem: Record<IdNumberProblem, MessageKey> = { length: 'tb.transfer.idLength', format: 'tb.transfer.idFormat', checkDigit: 'tb.transfer.idCheck' };
  return (
    <TwoStep<TransferValues>
      open={open}
      title={t('tb.transfer.title')}
      form={form}
      testId="tb-transfer"
      onClose={onClose}
      describe={(v) => t('tb.transfer.confirm', { from: holderName(account), to: target(v), amount: hours(total(v)) })}
      run={async (v) => {
        const r = await transfer.mutateAsync({
          fromAccountId: account.id,
          to:
            v.to === 'person'
              ? { personId: Number(v.personId) }
              : v.to === 'id'
                ? { idNumber: normalIdNumber(v.idNumber ?? ''), name: (v.name ?? '').trim() }
                : { accountId: Number(v.accountId) },
          minutes: total(v),
          note: v.note?.trim() ?? '',
          clientId: newClientId(),
        });
        onDone?.({ minutes: r.minutes, to: target(v) });
        return t('tb.transfer.doneTo', { amount: hours(r.minutes), to: target(v) });
      }}
    >
      <Form.Item name="to" label={t('tb.transfer.to')} initialValue={initial}>
        <Radio.Group data-testid="tb-transfer-to">
          {canSearch && <Radio value="person">{t('tb.openAccount.person')}</Radio>}
          <Radio value="id" data-testid="tb-transfer-to-id">
            {t('tb.transfer.byId')}
          </Radio>
          <Radio value="account" data-testid="tb-transfer-to-account">
            {t('tb.transfer.toAccount')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      {to === 'person' && (
        <Form.Item name="personId" label={t('tb.openAccount.person')} rules={[{ required: true, message: t('tb.required') }]}>
          <PersonPicker testId="tb-transfer-person" onChange={(_, label) => setPersonName(label)} />
        </Form.Item>
      )}
      {to === 'id' && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t('tb.transfer.idHelp')}
          </Typography.Paragraph>
          <Form.Item name="name" label={t('tb.transfer.name')} rules={[{ required: true, whitespace: true, message: t('tb.required') }]}>
            <Input maxLength={60} size="large" autoComplete="off" data-testid="tb-transfer-name" />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('tb.transfer.idNumber')}
            validateTrigger="onBlur"
            rules={[
              { required: true, whitespace: true, message: t('tb.required') },
              {
                validator: (_, raw: string | undefined) => {
                  if (!raw?.trim()) return Promise.resolve();
                  const p = idNumberProblem(raw);
                  return p ? Promise.reject(new Error(t(idProblem[p], { n: normalIdNumber(raw).length }))) : Promise.resolve();
                },
              },
            ]}
          >
            <Input
              maxLength={22}
              size="large"
              autoComplete="off"
              spellCheck={false}
              style={{ fontFamily: 'monospace' }}
              // checked when the field is left or the form sent; a correction clears the last word at once
              onChange={() => form.setFields([{ name: 'idNumber', errors: [] }])}
              data-testid="tb-transfer-id"
            />
          </Form.Item>
        </>
      )}
      {to === 'account' && (
        <Form.Item
          name="accountId"
          label={t('tb.transfer.toAccount')}
          extra={canSearch ? undefined : t('tb.transfer.toAccountHelp')}
          rules={[{ required: true, message: t('tb.required') }]}
        >
          <InputNumber min={1} precision={0} style={{ width: '100%', maxWidth: 200 }} size="large" data-testid="tb-transfer-account" />
        </Form.Item>
      )}
      <Space wrap>
        <Form.Item name="hours" label={t('tb.transfer.hours')} initialValue={0}>
          <InputNumber min={0} max={10000} precision={0} size="large" style={{ width: 110 }} data-testid="tb-transfer-hours" />
        </Form.Item>
        <Form.Item
          name="minutes"
          label={t('tb.transfer.minutes')}
          initialValue={0}
          dependencies={['hours']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, m: number | null) =>
                ((getFieldValue('hours') as number | null) ?? 0) * 60 + (m ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('tb.transfer.zero'))),
            }),
          ]}
        >
          <InputNumber min={0} max={59} precision={0} size="large" style={{ width: 110 }} data-testid="tb-transfer-minutes" />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('tb.transfer.note')}>
        <Input maxLength={200} data-testid="tb-transfer-note" />
      </Form.Item>
    </TwoStep>
  );
}

/** 冲正: an entry reversed with a reason (a new, opposite entry; the original stays). */
export function ReverseDialog({ line, onClose }: { line: LedgerLine | null; onClose: () => void }) {
  const { t } = useI18n();
  const hours = useHours();
  const reverse = useReverse();
  const [form] = Form.useForm<{ reason: string }>();
  const id = line?.entryId ?? 0;
  return (
    <TwoStep<{ reason: string }>
      open={line !== null}
      title={t('tb.reverse.title', { id })}
      form={form}
      testId="tb-reverse"
      onClose={onClose}
      describe={() => t('tb.reverse.confirm', { id, amount: hours(line?.minutes ?? 0, true) })}
      run={async (v) => {
        await reverse.mutateAsync({ entryId: id, reason: v.reason.trim() });
        return t('tb.reverse.done', { id });
      }}
    >
      <Alert type="info" showIcon message={t('tb.reverse.help')} style={{ marginBottom: 12 }} />
      <Form.Item name="reason" label={t('tb.reverse.reason')} rules={[{ required: true, whitespace: true, message: t('tb.required') }]}>
        <Input.TextArea rows={2} maxLength={200} data-testid="tb-reverse-reason" />
      </Form.Item>
    </TwoStep>
  );
}
