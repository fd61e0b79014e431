import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useItems } from '../services/api';
import { usePersonSummary, useResolve } from './api';
import { OUTCOMES, label } from './queue';
import type { AlarmItem, AlarmOutcome, ResolveBody } from './types';

type FollowKind = 'none' | 'order' | 'callback';

/**
 * Resolving an alarm: the outcome (real, false alarm, test) and a note; a green-button service
 * request may become a home-service order (an item, one of the nearest providers, a date) or a
 * call back. The server's refusal is shown in the dialog, which stays open.
 */
export function ResolveDialog({ alarm, onClose }: { alarm: AlarmItem; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const resolve = useResolve();
  const [outcome, setOutcome] = useState<AlarmOutcome | undefined>(undefined);
  const [note, setNote] = useState('');
  const [follow, setFollow] = useState<FollowKind>('none');
  const [itemId, setItemId] = useState<number | undefined>();
  const [providerId, setProviderId] = useState<number | undefined>();
  const tomorrow = dayjs(shanghaiToday()).add(1, 'day');
  const [date, setDate] = useState<Dayjs | null>(tomorrow);
  const [error, setError] = useState<string | null>(null);
  const serviceRequest = alarm.kind === 'service_request';
  const items = useItems(serviceRequest && follow === 'order' && can('services.read'));
  const summary = usePersonSummary(serviceRequest ? alarm.personId : null);

  const submit = () => {
    setError(null);
    if (!outcome) return setError(t('al.outcomeRequired'));
    const body: ResolveBody = { outcome, ...(note.trim() ? { note: note.trim() } : {}) };
    if (serviceRequest && follow === 'order') {
      if (!itemId || !providerId || !date) return setError(t('al.orderIncomplete'));
      body.followUp = { type: 'order', itemId, providerId, scheduledOn: date.format('YYYY-MM-DD'), selfPaidBeyond: false };
    } else if (serviceRequest && follow === 'callback') {
      if (!date) return setError(t('al.callbackIncomplete'));
      body.followUp = { type: 'callback', dueOn: date.format('YYYY-MM-DD') };
    }
    // not mutate's callbacks: they are dropped when the dialog's panel unmounts first (the
    // resolved alarm leaves the queue on the refresh that precedes them), and the dialog would
    // never tell the console it closed
    resolve.mutateAsync({ id: alarm.id, body }).then(
      () => {
        void message.success(t('al.resolved'));
        onClose();
      },
      (e: unknown) => setError(t('al.resolveFailed', { message: (e as Error).message })),
    );
  };

  return (
    <Modal
      open
      title={t('al.resolveTitle', { id: alarm.id })}
      onCancel={onClose}
      onOk={submit}
      okText={t('al.resolveOk')}
      confirmLoading={resolve.isPending}
      okButtonProps={{ 'data-testid': 'al-resolve-ok' }}
      destroyOnHidden
      // the console puts the focus back on its queue (not on the 办结 button: Enter there is the button's)
      focusTriggerAfterClose={false}
    >
      <Form layout="vertical">
        <Form.Item label={t('al.outcome')} required>
          <Select<AlarmOutcome>
            data-testid="al-outcome"
            value={outcome}
            onChange={setOutcome}
            options={OUTCOMES.map((o) => ({ value: o, label: label(t, 'outcome', o), title: label(t, 'outcome', o) }))}
            placeholder={t('al.outcome')}
          />
        </Form.Item>
        {serviceRequest ? (
          <Form.Item label={t('al.followUp')}>
            <Radio.Group value={follow} onChange={(e) => setFollow(e.target.value as FollowKind)} data-testid="al-follow">
              {(['none', 'order', 'callback'] as const).map((k) => (
                <Radio key={k} value={k}>
                  {t(`al.followUp.${k}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        ) : null}
        {serviceRequest && follow === 'order' ? (
          <>
            <Form.Item label={t('al.item')} required>
              <Select<number>
                data-testid="al-order-item"
                value={itemId}
                onChange={setItemId}
                loading={items.isLoading}
                showSearch
                optionFilterProp="title"
                options={(items.data ?? [])
                  .filter((i) => i.active)
                  .map((i) => ({ value: i.id, label: pick(i.nameZh, i.nameEn), title: pick(i.nameZh, i.nameEn) }))}
              />
            </Form.Item>
            <Form.Item label={t('al.provider')} required>
              <Select<number>
                data-testid="al-order-provider"
                value={providerId}
                onChange={setProviderId}
                loading={summary.isLoading}
                options={(summary.data?.nearestProviders ?? []).map((p) => ({
                  value: p.id,
                  label: t('al.providerOption', { name: p.name, reach: label(t, 'reach', p.reach) }),
                  title: p.name,
                }))}
              />
            </Form.Item>
          </>
        ) : null}
        {serviceRequest && follow !== 'none' ? (
          <Form.Item label={follow === 'order' ? t('al.date') : t('al.dueOn')} required>
            <DatePicker value={date} onChange={setDate} disabledDate={(d) => d.isBefore(dayjs(shanghaiToday()), 'day')} data-testid="al-follow-date" />
          </Form.Item>
        ) : null}
        <Form.Item label={t('al.resolveNote')}>
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
            data-testid="al-resolve-note"
          />
        </Form.Item>
        {error ? <Alert type="error" showIcon message={error} data-testid="al-resolve-error" /> : null}
      </Form>
    </Modal>
  );
}
