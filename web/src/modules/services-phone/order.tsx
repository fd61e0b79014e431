import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Input, Popconfirm, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError, get } from '../../shared/api';
import { useI18n } from '../../shared/i18n-core';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { newClientId } from '../../shared/outbox';
import { registerServiceWorker } from '../assessment-form/register-sw';
import { PhotoNotImage, preparePhoto } from '../visits-phone/photo';
import { checkoutBody, emptyCheckout, toggle, validateCheckout, type CheckoutForm, type Problem } from './checkout-form';
import { currentFix, NoFix, type NoFixReason } from './geo';
import { addStep, removeStep, useMyDay, useOnline, useStepSender, useSteps, type StepItem } from './offline';
import { effectiveStatus, farNotice, lastStep, newestReply, stepsOf } from './order-state';
import { BIG, FarCheckin, StepState } from './parts';
import type { Fix, MyOrder, OrderDetail, OrderStatus, RateBody } from './types';

const { Text, Title } = Typography;
const section: CSSProperties = { marginBottom: 12 };
const hm = (iso: string | null | undefined) => (iso ? shanghaiTime(iso).slice(11, 16) : '');

function Field({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <Card size="small" style={section} data-testid={testid}>
      <Text strong style={{ display: 'block', marginBottom: 8, fontSize: 16 }}>
        {label}
      </Text>
      {children}
    </Card>
  );
}

/**
 * 上门服务 (/m/services/:orderId): one order on the caregiver's phone — check in at the home (the
 * phone's location once, with its accuracy), then check out with the services done, an optional
 * photo and notes, and the elder's confirmation (in person, by a proxy, or their service card), then
 * an optional rating by the elder or the family. Every step is kept on the phone and sent when the
 * network is there.
 */
export function OrderPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const online = useOnline();
  useStepSender(user?.id);
  useEffect(registerServiceWorker, []);
  const orderId = Number(useParams().orderId);
  const { kept, loading } = useMyDay(user?.id, online);
  const steps = useSteps(user?.id);
  const order = kept?.reply.items.find((o) => o.id === orderId);
  if (!user) return null;
  if (!order)
    return (
      <div data-testid="sp-order" style={{ maxWidth: 640, margin: '0 auto' }}>
        <BackButton />
        {!loading && <Empty style={{ marginTop: 24 }} description={t('sp.order.missing')} />}
      </div>
    );
  return <OrderView key={order.id} userId={user.id} order={order} steps={stepsOf(steps, order.id)} online={online} />;
}

function BackButton() {
  const { t } = useI18n();
  return (
    <Link to="/m/services">
      <Button style={BIG} data-testid="sp-back">
        ← {t('sp.back')}
      </Button>
    </Link>
  );
}

/** The order as the server last said (read when online, again after each step it answered), through the caregiver's own read. */
function useDetail(orderId: number, online: boolean, sentCount: number): OrderDetail | null {
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  useEffect(() => {
    if (!online) return;
    let live = true;
    get<OrderDetail>(`/api/services/my/orders/${orderId}`)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => {
        if (!(e instanceof ApiError)) console.warn('order not read', e);
      });
    return () => {
      live = false;
    };
  }, [orderId, online, sentCount]);
  return detail;
}

function OrderView({ userId, order, steps, online }: { userId: number; order: MyOrder; steps: StepItem[]; online: boolean }) {
  const { t, pick } = useI18n();
  const status: OrderStatus = effectiveStatus(order, steps);
  const sentCount = steps.filter((s) => s.state === 'sent').length;
  const detail = useDetail(order.id, online, sentCount);
  const reply = newestReply(steps);
  const far = farNotice(detail) ?? farNotice(reply) ?? farNotice(order);
  const firstTicked = order.tasks.some((x) => x.code === order.itemCode) ? [order.itemCode] : [];
  const [form, setForm] = useState<CheckoutForm>(() => emptyCheckout(firstTicked));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [photoError, setPhotoError] = useState<'sp.photo.notImage' | 'sp.photo.failed' | null>(null);
  const [locating, setLocating] = useState(false);
  const [fixError, setFixError] = useState<NoFixReason | null>(null);
  const [fix, setFix] = useState<Fix | null>(null);
  const [rating, setRating] = useState<{ n: number; by: RateBody['by']; note: string }>({ n: 0, by: 'elder', note: '' });
  const [rateProblem, setRateProblem] = useState(false);

  const checkIn = lastStep(steps, 'check-in');
  const checkOut = lastStep(steps, 'check-out');
  const rate = lastStep(steps, 'rate');
  const checkInAt = detail?.checkInAt ?? order.checkInAt ?? (checkIn && checkIn.state !== 'refused' ? checkIn.meta.at : null);
  const checkOutAt = detail?.checkOutAt ?? order.checkOutAt ?? (checkOut && checkOut.state !== 'refused' ? checkOut.meta.at : null);
  const meta = (kind: StepItem['meta']['kind'], at: string) => ({ orderId: order.id, kind, personName: order.personName, at });

  const set = (patch: Partial<CheckoutForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setProblems([]);
  };
  /** the phone's position now; a refusal or no fix is said, with a retry */
  const locate = async (): Promise<Fix | null> => {
    setLocating(true);
    setFixError(null);
    try {
      const f = await currentFix();
      setFix(f);
      return f;
    } catch (e) {
      setFixError(e instanceof NoFix ? e.reason : 'unavailable');
      return null;
    } finally {
      setLocating(false);
    }
  };
  const doCheckIn = async () => {
    const location = await locate();
    if (!location) return;
    const clientId = newClientId();
    const at = new Date().toISOString();
    await addStep(userId, clientId, { clientId, at, location }, meta('check-in', at));
  };
  const doCheckOut = async () => {
    const found = validateCheckout(form);
    setProblems(found);
    if (found.length > 0) return;
    const location = await locate();
    if (!location) return;
    const at = new Date().toISOString();
    const clientId = newClientId();
    await addStep(userId, clientId, checkoutBody(form, clientId, at, location), meta('check-out', at));
    // the photo after it: it is attached to the verified event the check-out records
    if (form.photo) {
      const photoId = newClientId();
      await addStep(userId, photoId, { clientId: photoId, dataBase64: form.photo.dataBase64, keepLocation: false }, meta('photo', at));
    }
    setForm(emptyCheckout(firstTicked));
  };
  const doRate = async () => {
    if (rating.n < 1) {
      setRateProblem(true);
      return;
    }
    const at = new Date().toISOString();
    const body: RateBody = { rating: rating.n, by: rating.by };
    if (rating.note.trim()) body.note = rating.note.trim();
    await addStep(userId, newClientId(), body, { ...meta('rate', at), rating: rating.n });
  };
  const choosePhoto = async (f: File | null) => {
    setPhotoError(null);
    if (!f) return set({ photo: null });
    try {
      const p = await preparePhoto(f, false);
      set({ photo: { ...p, name: f.name } });
    } catch (e) {
      setPhotoError(e instanceof PhotoNotImage ? 'sp.photo.notImage' : 'sp.photo.failed');
    }
  };
  const errorsOf = (field: Problem['field']) =>
    problems
      .filter((p) => p.field === field)
      .map((p) => (
        <Text type="danger" key={p.key} style={{ display: 'block', marginTop: 4 }} data-testid={`sp-error-${field}`}>
          {t(p.key)}
        </Text>
      ));

  const fixAlert = fixError && (
    <Alert
      type="error"
      showIcon
      style={section}
      data-testid="sp-fix-error"
      data-reason={fixError}
      message={t(`sp.fix.${fixError}`)}
      action={
        fixError !== 'unsupported' && (
          <Button style={BIG} onClick={() => void (status === 'assigned' ? doCheckIn() : doCheckOut())} data-testid="sp-fix-retry">
            {t('sp.fix.retry')}
          </Button>
        )
      }
    />
  );
  const fixLine = fix && (
    <Text type="secondary" style={{ display: 'block', marginTop: 8 }} data-testid="sp-fix-accuracy">
      {t('sp.fix.accuracy', { m: fix.accuracy })}
    </Text>
  );

  return (
    <div data-testid="sp-order" data-status={status} style={{ maxWidth: 640, margin: '0 auto' }}>
      <BackButton />
      <Card size="small" style={{ ...section, marginTop: 12 }} data-testid="sp-person">
        <Title level={4} style={{ margin: 0 }}>
          {order.personName}
        </Title>
        <Text style={{ display: 'block', fontSize: 16 }}>{pick(order.itemNameZh, order.itemNameEn)}</Text>
        <Text type="secondary" style={{ display: 'block' }}>
          {t('sp.order.scheduled', { date: order.scheduledOn, min: order.orderedMinutes })}
        </Text>
        {order.address && <Text type="secondary">{t('sp.order.address', { address: order.address })}</Text>}
      </Card>
      {far && <FarCheckin far={far} serving={status === 'checked_in'} />}

      {status === 'assigned' && (
        <Field label={t('sp.checkin.title')} testid="sp-checkin">
          <Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
            {t('sp.checkin.hint')}
          </Text>
          {fixAlert}
          <Button
            type="primary"
            block
            style={{ minHeight: 64, fontSize: 20 }}
            loading={locating}
            onClick={() => void doCheckIn()}
            data-testid="sp-checkin-button"
          >
            {locating ? t('sp.checkin.locating') : t('sp.checkin.button')}
          </Button>
        </Field>
      )}

      {checkInAt && status !== 'assigned' && (
        <Card size="small" style={section} data-testid="sp-checked-in">
          <Text strong style={{ fontSize: 16 }}>
            {t('sp.checkin.done', { time: hm(checkInAt) })}
          </Text>
          {status === 'checked_in' && fixLine}
          {checkOutAt && (
            <Text strong style={{ display: 'block', fontSize: 16 }} data-testid="sp-checked-out">
              {t('sp.checkout.done', { time: hm(checkOutAt) })}
              {detail?.minutesOnSite !== null && detail?.minutesOnSite !== undefined ? ` · ${t('sp.checkout.onSite', { min: detail.minutesOnSite })}` : ''}
            </Text>
          )}
        </Card>
      )}

      {status === 'checked_in' && (
        <>
          <Title level={5}>{t('sp.checkout.title')}</Title>
          <Field label={t('sp.tasks')} testid="sp-tasks">
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
              {order.tasks.map(({ code, nameZh, nameEn }) => {
                const on = form.itemsDone.includes(code);
                return (
                  <Button
                    key={code}
                    type={on ? 'primary' : 'default'}
                    aria-pressed={on}
                    style={{ minHeight: 48, fontSize: 16, height: 'auto', whiteSpace: 'normal' }}
                    onClick={() => set({ itemsDone: toggle(form.itemsDone, code) })}
                    data-testid={`sp-task-${code}`}
                  >
                    {pick(nameZh, nameEn)}
                  </Button>
                );
              })}
            </div>
            {errorsOf('tasks')}
          </Field>
          <Field label={t('sp.notes')}>
            <Input.TextArea
              rows={3}
              style={{ fontSize: 16 }}
              value={form.notes}
              maxLength={2000}
              placeholder={t('sp.notes.placeholder')}
              onChange={(e) => set({ notes: e.target.value })}
              data-testid="sp-notes"
            />
          </Field>
          <Field label={t('sp.photo')} testid="sp-photo">
            <Space direction="vertical" style={{ width: '100%' }}>
              <label
                style={{
                  ...BIG,
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  border: '1px dashed #999',
                  borderRadius: 6,
                  cursor: 'pointer',
                }}
              >
                {t('sp.photo.take')}
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  style={{ position: 'absolute', width: 1, height: 1, opacity: 0 }}
                  data-testid="sp-photo-input"
                  onChange={(e) => void choosePhoto(e.target.files?.[0] ?? null)}
                />
              </label>
              {form.photo && (
                <Space wrap>
                  <Text data-testid="sp-photo-size">{t('sp.photo.size', { size: Math.ceil(form.photo.bytes / 1000) })}</Text>
                  <Button style={BIG} onClick={() => void choosePhoto(null)}>
                    {t('sp.photo.remove')}
                  </Button>
                </Space>
              )}
              {photoError && (
                <Text type="danger" data-testid="sp-photo-error">
                  {t(photoError)}
                </Text>
              )}
            </Space>
          </Field>
          <Field label={t('sp.confirm')} testid="sp-confirm">
            <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
              {(order.hasCard ? (['person', 'proxy', 'card', 'none'] as const) : (['person', 'proxy', 'none'] as const)).map((k) => (
                <Button
                  key={k}
                  type={form.confirmation === k ? 'primary' : 'default'}
                  aria-pressed={form.confirmation === k}
                  style={{ minHeight: 48, fontSize: 16, height: 'auto', whiteSpace: 'normal' }}
                  onClick={() => set({ confirmation: k })}
                  data-testid={`sp-confirm-${k}`}
                >
                  {t(`sp.confirm.${k}`)}
                </Button>
              ))}
            </div>
            {form.confirmation === 'proxy' && (
              <Input
                style={{ ...BIG, marginTop: 8 }}
                placeholder={t('sp.confirm.proxyName')}
                aria-label={t('sp.confirm.proxyName')}
                value={form.proxyName}
                onChange={(e) => set({ proxyName: e.target.value })}
                data-testid="sp-proxy-name"
              />
            )}
            {form.confirmation === 'card' && (
              <Input
                style={{ ...BIG, marginTop: 8 }}
                inputMode="numeric"
                autoComplete="off"
                placeholder={t('sp.confirm.cardCode')}
                aria-label={t('sp.confirm.cardCode')}
                value={form.cardCode}
                onChange={(e) => set({ cardCode: e.target.value.replace(/\D/g, '').slice(0, 12) })}
                data-testid="sp-card-code"
              />
            )}
            {errorsOf('confirm')}
            {errorsOf('proxy')}
            {errorsOf('card')}
          </Field>
          {fixAlert}
          <Button
            type="primary"
            block
            style={{ minHeight: 64, fontSize: 20, marginBottom: 12 }}
            loading={locating}
            onClick={() => void doCheckOut()}
            data-testid="sp-checkout-button"
          >
            {locating ? t('sp.checkin.locating') : t('sp.checkout.button')}
          </Button>
        </>
      )}

      {status === 'checked_out' && (
        <Field label={t('sp.rate.title')} testid="sp-rate">
          <Space direction="vertical" style={{ width: '100%' }}>
            <div style={{ display: 'flex', gap: 8 }}>
              {(['elder', 'family'] as const).map((by) => (
                <Button
                  key={by}
                  type={rating.by === by ? 'primary' : 'default'}
                  aria-pressed={rating.by === by}
                  style={{ ...BIG, flex: 1 }}
                  onClick={() => setRating((r) => ({ ...r, by }))}
                  data-testid={`sp-rate-by-${by}`}
                >
                  {t(`sp.rate.by.${by}`)}
                </Button>
              ))}
            </div>
            <div style={{ display: 'flex', gap: 6 }} role="radiogroup" aria-label={t('sp.rate.title')}>
              {[1, 2, 3, 4, 5].map((n) => (
                <Button
                  key={n}
                  role="radio"
                  aria-checked={rating.n === n}
                  aria-label={t('sp.rate.star', { n })}
                  style={{ minHeight: 56, flex: 1, fontSize: 24, padding: 0, color: n <= rating.n ? '#fadb14' : '#bfbfbf' }}
                  onClick={() => {
                    setRating((r) => ({ ...r, n }));
                    setRateProblem(false);
                  }}
                  data-testid={`sp-star-${n}`}
                >
                  ★
                </Button>
              ))}
            </div>
            <Input
              style={BIG}
              placeholder={t('sp.rate.note')}
              value={rating.note}
              onChange={(e) => setRating((r) => ({ ...r, note: e.target.value }))}
              data-testid="sp-rate-note"
            />
            {rateProblem && <Text type="danger">{t('sp.rate.pick')}</Text>}
            <Button type="primary" block style={{ minHeight: 56, fontSize: 18 }} onClick={() => void doRate()} data-testid="sp-rate-button">
              {t('sp.rate.button')}
            </Button>
          </Space>
        </Field>
      )}
      {status === 'rated' && (
        <Card size="small" style={section} data-testid="sp-rated">
          <Text strong style={{ fontSize: 16 }}>
            {t('sp.rate.done', { n: detail?.rating ?? rate?.meta.rating ?? '' })}
          </Text>
        </Card>
      )}

      {steps.length > 0 && (
        <Card size="small" style={section} data-testid="sp-steps">
          {!online && steps.some((s) => s.state === 'waiting') && (
            <Text type="warning" style={{ display: 'block', marginBottom: 4 }} data-testid="sp-queued-offline">
              {t('sp.queued.offline')}
            </Text>
          )}
          {steps.map((s) => (
            <div key={s.clientId} style={{ marginBottom: 4 }}>
              <StepState item={s} />
              {s.state === 'refused' && (
                <Popconfirm title={t('sp.step.remove')} onConfirm={() => void removeStep(userId, s.clientId)}>
                  <Button danger style={{ ...BIG, marginTop: 4 }}>
                    {t('sp.step.remove')}
                  </Button>
                </Popconfirm>
              )}
            </div>
          ))}
        </Card>
      )}
      {(status === 'checked_out' || status === 'rated') && (
        <Link to="/m/services">
          <Button block style={{ minHeight: 56, fontSize: 18 }} data-testid="sp-finish">
            {t('sp.finish')}
          </Button>
        </Link>
      )}
    </div>
  );
}
