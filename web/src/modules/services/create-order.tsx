import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { shanghaiToday, yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { newClientId, useClientSearch, useCreateOrder, useEntitlement, useFollowups, useItems, useProviders } from './api';
import { useWord } from './labels';

interface OrderForm {
  followupId?: number;
  providerId?: number;
  personId?: number;
  itemId?: number;
  scheduledOn?: Dayjs;
  minutes?: number;
  selfPaidBeyond?: boolean;
  note?: string;
}

/** An item in the picker: its name and its category, or the name alone when the category says the same (助浴, not 助浴 · 助浴). */
export function itemLabel(name: string, category: string): string {
  return name.trim().toLowerCase() === category.trim().toLowerCase() ? name : `${name} · ${category}`;
}

/** The order's price as the server computes it: the item's price scaled by minutes / standard, rounded to fen. */
export function priceOf(priceFen: number, standardMinutes: number, minutes: number): number {
  return standardMinutes > 0 ? Math.round((priceFen * minutes) / standardMinutes) : priceFen;
}

/**
 * 新建工单: the provider, one of its enrolled clients (searched by name), the item, the date and the
 * minutes; the elder's entitlement for the month is read live and the split (entitlement / self-paid)
 * shown before anything is sent. The server decides: its refusal (e.g. beyond the balance without
 * 由老人自费) is shown in the dialog.
 */
export function CreateOrderDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const word = useWord();
  const navigate = useNavigate();
  const [form] = Form.useForm<OrderForm>();
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  // one id per dialog opening: a resend after a lost answer is the same order
  const [clientId, setClientId] = useState(newClientId);
  useEffect(() => {
    if (open) {
      setClientId(newClientId());
      setError(null);
    }
  }, [open]);

  const providers = useProviders(open);
  const items = useItems(open);
  const followups = useFollowups(open);
  const providerId = Form.useWatch('providerId', form);
  const personId = Form.useWatch('personId', form);
  const itemId = Form.useWatch('itemId', form);
  const date = Form.useWatch('scheduledOn', form);
  const minutes = Form.useWatch('minutes', form);
  const selfPaid = Form.useWatch('selfPaidBeyond', form) ?? false;
  const activeProviders = (providers.data ?? []).filter((p) => p.active);
  // a provider's staff (or an officer of a county with one provider) need not pick
  useEffect(() => {
    if (open && providerId === undefined && activeProviders.length === 1) form.setFieldValue('providerId', activeProviders[0]!.id);
  }, [open, providerId, activeProviders, form]);
  const clients = useClientSearch(providerId, q, open);
  const item = (items.data ?? []).find((i) => i.id === itemId);
  const period = date ? date.format('YYYY-MM') : undefined;
  const entitlement = useEntitlement(personId, period);
  const price = item ? priceOf(item.priceFen, item.standardMinutes, minutes ?? item.standardMinutes) : null;
  const split = useMemo(() => {
    if (price === null || !entitlement.data) return null;
    const entitled = Math.min(price, Math.max(0, entitlement.data.balanceFen));
    return { entitled, self: price - entitled };
  }, [price, entitlement.data]);

  const creating = useCreateOrder();
  const submit = async (v: OrderForm) => {
    setError(null);
    try {
      const o = await creating.mutateAsync({
        clientId,
        providerId: v.providerId!,
        personId: v.personId!,
        itemId: v.itemId!,
        scheduledOn: v.scheduledOn!.format('YYYY-MM-DD'),
        minutes: v.minutes ?? undefined,
        selfPaidBeyond: v.selfPaidBeyond ?? false,
        followupId: v.followupId ?? undefined,
        note: v.note?.trim() || undefined,
      });
      message.success(t('svc.create.done', { id: o.id }));
      form.resetFields();
      onClose();
      navigate(`/services/orders/${o.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const clientOptions = (clients.data ?? []).map((c) => ({
    value: c.personId,
    title: c.personName,
    label: `${c.personName}（${c.idMasked} · ${c.regionName}）`,
  }));
  return (
    <Modal
      open={open}
      title={t('svc.create.title')}
      okText={t('svc.create.ok')}
      cancelText={t('svc.close')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={creating.isPending}
      okButtonProps={{ 'data-testid': 'svc-create-ok' }}
      destroyOnHidden
      width={560}
    >
      <Form<OrderForm>
        form={form}
        layout="vertical"
        initialValues={{ scheduledOn: dayjs(shanghaiToday()), selfPaidBeyond: false }}
        onFinish={(v) => void submit(v)}
        data-testid="svc-create-form"
      >
        {(followups.data?.length ?? 0) > 0 && (
          <Form.Item name="followupId" label={t('svc.create.followup')} extra={t('svc.create.followupHint')}>
            <Select
              allowClear
              options={(followups.data ?? []).map((f) => ({
                value: f.id,
                title: f.personName,
                label: `${f.personName}（${f.regionName}）· ${pick(f.findingWords.zh, f.findingWords.en)}${f.note ? ` · ${f.note}` : ''}`,
              }))}
              onChange={(id?: number) => {
                const f = followups.data?.find((x) => x.id === id);
                if (!f) return;
                // the follow-up's elder, looked up among the provider's clients by name
                setQ(f.personName);
                form.setFieldValue('personId', f.personId);
              }}
              data-testid="svc-create-followup"
            />
          </Form.Item>
        )}
        <Form.Item name="providerId" label={t('svc.create.provider')} rules={[{ required: true, message: t('svc.required') }]}>
          <Select
            showSearch
            optionFilterProp="title"
            loading={providers.isFetching}
            options={activeProviders.map((p) => ({ value: p.id, title: p.name, label: p.name }))}
            onChange={() => form.setFieldValue('personId', undefined)}
            data-testid="svc-create-provider"
          />
        </Form.Item>
        <Form.Item name="personId" label={t('svc.create.client')} rules={[{ required: true, message: t('svc.required') }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            placeholder={t('svc.create.clientSearch')}
            disabled={providerId === undefined}
            loading={clients.isFetching}
            options={clientOptions}
            notFoundContent={clients.isSuccess && !q ? t('svc.create.noClients') : undefined}
            data-testid="svc-create-client"
          />
        </Form.Item>
        <Space size={12} wrap style={{ width: '100%' }} align="start">
          <Form.Item name="itemId" label={t('svc.create.item')} rules={[{ required: true, message: t('svc.required') }]} style={{ minWidth: 200 }}>
            <Select
              loading={items.isFetching}
              options={(items.data ?? [])
                .filter((i) => i.active)
                .map((i) => ({ value: i.id, title: pick(i.nameZh, i.nameEn), label: itemLabel(pick(i.nameZh, i.nameEn), word('svc.cat', i.category)) }))}
              onChange={(id: number) => {
                const it = items.data?.find((i) => i.id === id);
                if (it) form.setFieldValue('minutes', it.standardMinutes);
              }}
              data-testid="svc-create-item"
            />
          </Form.Item>
          <Form.Item name="scheduledOn" label={t('svc.create.date')} rules={[{ required: true, message: t('svc.required') }]}>
            <DatePicker allowClear={false} data-testid="svc-create-date" />
          </Form.Item>
          <Form.Item name="minutes" label={t('svc.create.minutes')} rules={[{ required: true, message: t('svc.required') }]}>
            <InputNumber min={5} max={720} precision={0} style={{ width: 120 }} data-testid="svc-create-minutes" />
          </Form.Item>
        </Space>
        {item && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('svc.create.standard', { n: item.standardMinutes, price: yuan(item.priceFen) })}
          </Typography.Paragraph>
        )}
        {personId !== undefined && period && (
          <div data-testid="svc-create-balance" style={{ marginBottom: 12 }}>
            {entitlement.error ? (
              <Alert type="warning" showIcon message={entitlement.error.message} />
            ) : entitlement.data ? (
              <Alert
                type={split && split.self > 0 && !selfPaid ? 'warning' : 'info'}
                showIcon
                message={
                  entitlement.data.amountFen > 0
                    ? t('svc.create.balance', {
                        period,
                        amount: yuan(entitlement.data.amountFen),
                        used: yuan(entitlement.data.usedFen),
                        balance: yuan(entitlement.data.balanceFen),
                      }) +
                      (entitlement.data.visitsAllowed != null
                        ? t(entitlement.data.visitsUsed >= entitlement.data.visitsAllowed ? 'svc.create.visitsUsedUp' : 'svc.create.visits', {
                            used: entitlement.data.visitsUsed,
                            allowed: entitlement.data.visitsAllowed,
                          })
                        : '')
                    : t('svc.create.noEntitlement', { period })
                }
                description={
                  price !== null &&
                  split && (
                    <span data-testid="svc-create-split">
                      {t('svc.create.price', { price: yuan(price) })}；{t('svc.create.split', { entitled: yuan(split.entitled), self: yuan(split.self) })}
                      {split.self > 0 && !selfPaid && (
                        <>
                          <br />
                          {t('svc.create.exceeds', { over: yuan(split.self) })}
                        </>
                      )}
                    </span>
                  )
                }
              />
            ) : null}
          </div>
        )}
        <Form.Item name="selfPaidBeyond" valuePropName="checked">
          <Checkbox data-testid="svc-create-self-paid">{t('svc.create.selfPaid')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('svc.create.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="svc-create-error" />}
      </Form>
    </Modal>
  );
}
