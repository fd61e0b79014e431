// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { allowedNav } from '../../nav';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { checkoutBody, emptyCheckout, validateCheckout } from './checkout-form';
import { addStep, keepDay, listSteps, memoryStoresForTests, syncSteps, type StepMeta } from './offline';
import { distanceWords, effectiveStatus, farNotice } from './order-state';
import { OrderPage } from './order';
import { TodayPage } from './today';
import type { CheckInBody, MyOrder, MyOrdersReply, OrderDetail } from './types';

const me = {
  user: { id: 21, username: 'carer1', displayName: '护理员甲', role: 'caregiver', regionCode: '990101001', regionName: '一镇' },
  actions: ['regions.read', 'catalogue.read', 'services.visit', 'services.rate'],
  csrfToken: 'x',
};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

const order = (over: Partial<MyOrder>): MyOrder => ({
  id: 1,
  personId: 5,
  personName: '王一',
  address: '一镇 一村',
  itemCode: 'clean',
  itemNameZh: '助洁',
  itemNameEn: 'Cleaning',
  category: 'clean',
  orderedMinutes: 60,
  scheduledOn: '2026-11-30',
  status: 'assigned',
  checkInAt: null,
  checkOutAt: null,
  tasks: [
    { code: 'clean', nameZh: '助洁', nameEn: 'Cleaning' },
    { code: 'clean-deep', nameZh: '深度保洁', nameEn: 'Deep cleaning' },
  ],
  openAnomalies: [],
  checkInDistanceM: null,
  checkInAccuracyM: null,
  hasCard: true,
  ...over,
});
const day: MyOrdersReply = {
  caregiver: { id: 3, name: '护理员甲', providerName: '一镇居家服务中心' },
  date: '2026-11-30',
  items: [
    order({}),
    order({ id: 2, personId: 6, personName: '张二', status: 'checked_in', checkInAt: '2026-11-30T01:00:00.000Z' }),
    order({ id: 3, personId: 7, personName: '李三', status: 'checked_out', checkInAt: '2026-11-30T00:00:00.000Z', checkOutAt: '2026-11-30T01:00:00.000Z' }),
  ],
};
/** the fields of OrderDetail the phone reads (the rest left out of the fixture) */
const detail = (over: Partial<Omit<OrderDetail, 'anomalies'>> & { anomalies?: unknown[] }): OrderDetail =>
  ({
    id: 1,
    personId: 5,
    personName: '王一',
    status: 'checked_in',
    scheduledOn: '2026-11-30',
    orderedMinutes: 60,
    checkInAt: '2026-11-30T02:00:00.000Z',
    checkOutAt: null,
    minutesOnSite: null,
    openAnomalies: [],
    checkIn: { at: '2026-11-30T02:00:00.000Z', distanceM: 40, accuracyM: 20 },
    checkOut: null,
    itemsDone: [],
    eventId: null,
    confirmedKind: null,
    anomalies: [],
    rating: null,
    ...over,
  }) as OrderDetail;
const fix = { lat: 30.87, lng: 120.42, accuracy: 18 };
const checkIn = (clientId: string, orderId = 1): [CheckInBody, StepMeta] => [
  { clientId, at: '2026-11-30T02:00:00.000Z', location: fix },
  { orderId, kind: 'check-in', personName: '王一', at: '2026-11-30T02:00:00.000Z' },
];

describe('a caregiver’s menu', () => {
  it('offers their day on the phone and nothing of the provider office (register, orders, months, exceptions, providers)', () => {
    const paths = allowedNav(me.actions, me.user.role).map((n) => n.path);
    expect(paths).toContain('/m/services');
    // what every role has (the service catalogue) besides; nothing that needs services.read or register.read
    expect(paths.filter((p) => p !== '/m/services')).toEqual(allowedNav(['regions.read', 'catalogue.read'], 'institution_staff').map((n) => n.path));
    for (const office of ['/register', '/services', '/services/anomalies', '/services/settlements', '/services/providers', '/services/beds', '/services/meals'])
      expect(paths).not.toContain(office);
  });
});

describe('the services outbox on the phone', () => {
  let posts: { url: string; body: Record<string, unknown> }[];
  let network: 'down' | 'up';
  let answer: (url: string, body: Record<string, unknown>) => Response;
  beforeEach(() => {
    memoryStoresForTests();
    posts = [];
    network = 'up';
    answer = () => json(detail({}));
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (network === 'down') throw new TypeError('Failed to fetch');
        if (url === '/api/auth/me') return json(me);
        if (init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as Record<string, unknown>;
          posts.push({ url, body });
          return answer(url, body);
        }
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps an order’s steps while the network is away, then sends them once, in order, each to its order’s URL', async () => {
    await addStep(21, 'in-1', ...checkIn('in-1'));
    const out = checkoutBody({ ...emptyCheckout(['clean']), confirmation: 'person' }, 'out-1', '2026-11-30T03:00:00.000Z', fix);
    await addStep(21, 'out-1', out, { orderId: 1, kind: 'check-out', personName: '王一', at: '2026-11-30T03:00:00.000Z' });
    network = 'down';
    expect(await syncSteps(21)).toBe(false);
    expect((await listSteps(21)).map((s) => s.state)).toEqual(['waiting', 'waiting']);
    network = 'up';
    expect(await syncSteps(21)).toBe(true);
    expect(posts.map((p) => p.url)).toEqual(['/api/services/orders/1/check-in', '/api/services/orders/1/check-out']);
    expect(posts[1]!.body).toMatchObject({ clientId: 'out-1', itemsDone: ['clean'], confirmation: { kind: 'person' }, location: fix });
    const sent = await listSteps(21);
    expect(sent.map((s) => s.state)).toEqual(['sent', 'sent']);
    // the server has them: the bodies leave the device
    expect(sent.map((s) => s.body)).toEqual([null, null]);
    expect(await syncSteps(21)).toBe(true);
    expect(posts).toHaveLength(2);
  });

  it('does not send a check-out ahead of its check-in that could not be sent', async () => {
    await addStep(21, 'in-2', ...checkIn('in-2'));
    await addStep(21, 'out-2', checkoutBody(emptyCheckout(['clean']), 'out-2', '2026-11-30T03:00:00.000Z', fix), {
      orderId: 1,
      kind: 'check-out',
      personName: '王一',
      at: '2026-11-30T03:00:00.000Z',
    });
    let n = 0;
    answer = () => (++n === 1 ? json({ error: { code: 'INTERNAL', message: 'boom', details: null } }, 500) : json(detail({})));
    expect(await syncSteps(21)).toBe(false);
    expect(posts.map((p) => p.url)).toEqual(['/api/services/orders/1/check-in']);
    expect(await syncSteps(21)).toBe(true);
    // the check-in sent again with the same clientId (the server merges it), then the check-out
    expect(posts.map((p) => `${p.url}#${String(p.body.clientId)}`)).toEqual([
      '/api/services/orders/1/check-in#in-2',
      '/api/services/orders/1/check-in#in-2',
      '/api/services/orders/1/check-out#out-2',
    ]);
  });

  it('keeps the server’s refusal with its words and does not send it again', async () => {
    answer = () => json({ error: { code: 'SERVICE_NOT_YOUR_ORDER', message: '这张工单没有派给您', details: null } }, 403);
    await addStep(21, 'in-3', ...checkIn('in-3', 9));
    expect(await syncSteps(21)).toBe(true);
    const [refused] = await listSteps(21);
    expect(refused?.state).toBe('refused');
    expect(refused?.error).toMatchObject({ status: 403, code: 'SERVICE_NOT_YOUR_ORDER', message: '这张工单没有派给您' });
    await syncSteps(21);
    expect(posts).toHaveLength(1);
  });
});

describe('the rating sent again after a lost answer', () => {
  let posts: number;
  beforeEach(() => {
    memoryStoresForTests();
    posts = 0;
  });
  afterEach(() => vi.unstubAllGlobals());
  const stub = (rated: number | null) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === '/api/auth/me') return json(me);
        if (url === '/api/services/my/orders/1' && init?.method === 'GET') return json(detail({ status: rated ? 'rated' : 'checked_out', rating: rated }));
        if (init?.method === 'POST') {
          // the first send arrives but its answer is lost; the second is refused: the order is rated already
          if (++posts === 1) throw new TypeError('Failed to fetch');
          return json({ error: { code: 'SERVICE_ORDER_NOT_RATEABLE', message: '该工单不能评价', details: null } }, 409);
        }
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
  const rate = () => addStep(21, 'r-1', { rating: 5, by: 'elder' }, { orderId: 1, kind: 'rate', personName: '王一', at: '', rating: 5 });

  it('is sent when the order stands rated with its stars', async () => {
    stub(5);
    await rate();
    expect(await syncSteps(21)).toBe(false);
    expect(await syncSteps(21)).toBe(true);
    const [r] = await listSteps(21);
    expect(r).toMatchObject({ state: 'sent', body: null, error: null });
    expect(posts).toBe(2);
  });
  it('is refused when the order was rated otherwise', async () => {
    stub(3);
    await rate();
    await syncSteps(21);
    await syncSteps(21);
    const [r] = await listSteps(21);
    expect(r).toMatchObject({ state: 'refused', error: { code: 'SERVICE_ORDER_NOT_RATEABLE' } });
  });
});

describe('an order’s state on the phone', () => {
  const step = (kind: StepMeta['kind'], state: 'waiting' | 'sent' | 'refused') => ({
    clientId: kind,
    userId: 21,
    body: null,
    meta: { orderId: 1, kind, personName: '王一', at: '' },
    state,
    reply: null,
    error: null,
    savedAt: '',
    sentAt: null,
    attempts: 0,
  });
  it('moves on with the steps queued or sent, not with a refused one', () => {
    expect(effectiveStatus({ status: 'assigned' }, [])).toBe('assigned');
    expect(effectiveStatus({ status: 'assigned' }, [step('check-in', 'waiting')])).toBe('checked_in');
    expect(effectiveStatus({ status: 'assigned' }, [step('check-in', 'refused')])).toBe('assigned');
    expect(effectiveStatus({ status: 'checked_in' }, [step('check-in', 'sent'), step('check-out', 'waiting')])).toBe('checked_out');
    expect(effectiveStatus({ status: 'rated' }, [step('check-out', 'waiting')])).toBe('rated');
    expect(effectiveStatus({ status: 'cancelled' }, [step('check-in', 'waiting')])).toBe('cancelled');
  });
  it('finds a far check-in in the server’s answer, with its distance and accuracy', () => {
    expect(farNotice(detail({}))).toBeNull();
    expect(farNotice(detail({ openAnomalies: ['far_checkin'], checkIn: { at: '', distanceM: 2013, accuracyM: 15 } }))).toEqual({
      distanceM: 2013,
      accuracyM: 15,
    });
    expect(farNotice(detail({ checkIn: null, anomalies: [{ code: 'far_checkin', status: 'open', detail: { distanceM: 1900, accuracyM: 30 } }] }))).toEqual({
      distanceM: 1900,
      accuracyM: 30,
    });
    // today's list names the code and the distance measured at check-in
    expect(farNotice({ openAnomalies: ['far_checkin'] })).toEqual({ distanceM: null, accuracyM: null });
    expect(farNotice({ openAnomalies: ['far_checkin'], checkInDistanceM: 2013, checkInAccuracyM: 15 })).toEqual({ distanceM: 2013, accuracyM: 15 });
    expect(distanceWords(2013, 'zh-CN')).toBe('2.0 公里');
    expect(distanceWords(120.4, 'en')).toBe('120 m');
  });
});

describe('the check-out form’s checks on the device', () => {
  it('asks for a service done, a proxy’s name, a card number of 6–12 digits', () => {
    // no confirmation is chosen for the caregiver: one must be picked, 暂不确认 among them
    expect(emptyCheckout(['clean']).confirmation).toBeNull();
    expect(validateCheckout({ ...emptyCheckout([]) }).map((p) => p.key)).toEqual(['sp.tasks.none', 'sp.confirm.missing']);
    expect(validateCheckout({ ...emptyCheckout(['clean']), confirmation: 'none' })).toEqual([]);
    expect(validateCheckout({ ...emptyCheckout(['clean']), confirmation: 'proxy' }).map((p) => p.key)).toEqual(['sp.confirm.proxyMissing']);
    expect(validateCheckout({ ...emptyCheckout(['clean']), confirmation: 'card', cardCode: '12345' }).map((p) => p.key)).toEqual(['sp.confirm.cardBad']);
    expect(validateCheckout({ ...emptyCheckout(['clean']), confirmation: 'card', cardCode: '123456' })).toEqual([]);
  });
  it('sends the confirmation the server expects', () => {
    const at = '2026-11-30T03:00:00.000Z';
    expect(checkoutBody({ ...emptyCheckout(['clean']), confirmation: 'proxy', proxyName: ' 张明（儿子） ' }, 'c', at, fix).confirmation).toEqual({
      kind: 'proxy',
      note: '张明（儿子）',
    });
    expect(checkoutBody({ ...emptyCheckout(['clean']), confirmation: 'card', cardCode: '20261130' }, 'c', at, fix).confirmation).toEqual({
      kind: 'card',
      cardCode: '20261130',
    });
    const none = checkoutBody({ ...emptyCheckout(['clean']), notes: '  ' }, 'c', at, fix);
    expect(none.confirmation).toBeNull();
    expect('notes' in none).toBe(false);
  });
});

describe('the caregiver’s phone pages', () => {
  let root: Root;
  let container: HTMLDivElement;
  let online: boolean;
  let position: ((ok: (p: GeolocationPosition) => void, fail: (e: GeolocationPositionError) => void) => void) | null;
  let serverDetail: OrderDetail | null;
  beforeEach(async () => {
    localStorage.removeItem(LOCALE_KEY);
    memoryStoresForTests();
    online = false;
    serverDetail = null;
    position = (ok) => ok({ coords: { latitude: fix.lat, longitude: fix.lng, accuracy: 18.4 }, timestamp: Date.now() } as GeolocationPosition);
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    Object.defineProperty(navigator, 'geolocation', {
      configurable: true,
      value: position === null ? undefined : { getCurrentPosition: (ok: PositionCallback, fail: PositionErrorCallback) => position!(ok, fail!) },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/auth/me') return json(me);
        if (!online) throw new TypeError('Failed to fetch');
        if (url.startsWith('/api/services/my/orders/') && serverDetail) return json(serverDetail);
        if (url.startsWith('/api/services/my/orders?') || url === '/api/services/my/orders') return json(day);
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
    await keepDay(21, day);
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  const show = async (path: string) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={[path]}>
                  <Routes>
                    <Route path="/m/services" element={<TodayPage />} />
                    <Route path="/m/services/:orderId" element={<OrderPage />} />
                  </Routes>
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };
  const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const tap = async (id: string) => {
    const el = byTestId(id);
    expect(el, id).toBeTruthy();
    await act(async () => el!.click());
    await settle();
  };
  const type = async (id: string, value: string) => {
    const el = byTestId(id) as HTMLInputElement;
    expect(el, id).toBeTruthy();
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
  };

  it('opens today’s orders offline from the phone: in progress first, then to serve, then done', async () => {
    await show('/m/services');
    expect(byTestId('sp-offline')?.textContent).toContain('离线 — 显示本机保存的工单');
    expect(byTestId('sp-caregiver')?.textContent).toBe('护理员甲 · 一镇居家服务中心');
    const sections = [...container.querySelectorAll('[data-testid^="sp-section-"]')].map((s) => s.getAttribute('data-testid'));
    expect(sections).toEqual(['sp-section-active', 'sp-section-todo', 'sp-section-done']);
    expect(byTestId('sp-order-1')?.textContent).toContain('王一');
    expect(byTestId('sp-order-1')?.textContent).toContain('待服务');
    expect(byTestId('sp-order-2')?.textContent).toContain('签到 09:00');
    expect(byTestId('sp-far-tag-2')).toBeNull();
  });

  it('checks in offline with the phone’s location and its accuracy; the order waits on the phone as in progress', async () => {
    await show('/m/services/1');
    expect(byTestId('sp-person')?.textContent).toContain('王一');
    await tap('sp-checkin-button');
    const [queued] = await listSteps(21);
    expect(queued?.meta).toMatchObject({ orderId: 1, kind: 'check-in' });
    expect(queued?.state).toBe('waiting');
    expect(queued?.body).toMatchObject({ clientId: queued?.clientId, location: { lat: fix.lat, lng: fix.lng, accuracy: 18 } });
    expect(byTestId('sp-order')?.getAttribute('data-status')).toBe('checked_in');
    expect(byTestId('sp-fix-accuracy')?.textContent).toBe('定位精度 ±18 米');
    expect(byTestId('sp-queued-offline')?.textContent).toContain('联网后自动发送');
    expect(byTestId('sp-step-check-in')?.textContent).toContain('等待发送');
  });

  it('says plainly when the location was refused, queues nothing, and checks in on retry once allowed', async () => {
    position = (_ok, fail) => fail({ code: 1, message: 'denied' } as GeolocationPositionError);
    await show('/m/services/1');
    await tap('sp-checkin-button');
    expect(byTestId('sp-fix-error')?.textContent).toContain('未获得定位权限');
    expect(await listSteps(21)).toEqual([]);
    position = (ok) => ok({ coords: { latitude: fix.lat, longitude: fix.lng, accuracy: 25 }, timestamp: Date.now() } as GeolocationPosition);
    await tap('sp-fix-retry');
    expect(byTestId('sp-fix-error')).toBeNull();
    expect((await listSteps(21)).map((s) => s.meta.kind)).toEqual(['check-in']);
  });

  it('checks out with the services done and the elder’s card, refusing a short card number on the phone', async () => {
    await show('/m/services/2');
    expect(byTestId('sp-task-clean')?.getAttribute('aria-pressed')).toBe('true');
    expect(byTestId('sp-task-clean-deep')?.textContent).toBe('深度保洁');
    await tap('sp-task-clean-deep');
    // no confirmation is chosen for the caregiver: checking out asks for one, nothing queued
    expect(byTestId('sp-confirm-none')?.getAttribute('aria-pressed')).toBe('false');
    await tap('sp-checkout-button');
    expect(byTestId('sp-error-confirm')?.textContent).toContain('请选择老人如何确认');
    expect(await listSteps(21)).toEqual([]);
    await tap('sp-confirm-card');
    await type('sp-card-code', '123');
    await tap('sp-checkout-button');
    expect(byTestId('sp-error-card')?.textContent).toContain('6–12 位数字');
    expect(await listSteps(21)).toEqual([]);
    await type('sp-card-code', '20261130');
    await tap('sp-checkout-button');
    const [out] = await listSteps(21);
    expect(out?.meta).toMatchObject({ orderId: 2, kind: 'check-out' });
    expect(out?.body).toMatchObject({ itemsDone: ['clean', 'clean-deep'], confirmation: { kind: 'card', cardCode: '20261130' }, location: { accuracy: 18 } });
    // then the elder may rate it
    expect(byTestId('sp-order')?.getAttribute('data-status')).toBe('checked_out');
    await tap('sp-rate-button');
    expect(byTestId('sp-rate')?.textContent).toContain('请先选择星级');
    await tap('sp-star-5');
    await tap('sp-rate-button');
    const rate = (await listSteps(21)).find((s) => s.meta.kind === 'rate');
    expect(rate?.body).toEqual({ rating: 5, by: 'elder' });
    expect(byTestId('sp-rated')?.textContent).toContain('已评价 5 星');
  });

  it('says a far check-in plainly, as a matter to verify, not as the caregiver’s fault', async () => {
    online = true;
    serverDetail = detail({ id: 2, openAnomalies: ['far_checkin'], checkIn: { at: '2026-11-30T01:00:00.000Z', distanceM: 2013, accuracyM: 15 } });
    await show('/m/services/2');
    const far = byTestId('sp-far')?.textContent ?? '';
    expect(far).toContain('签到位置与老人登记的住址相距约 2.0 公里');
    expect(far).toContain('定位精度 ±15 米');
    expect(far).toContain('不会因此直接扣减您的服务记录');
    expect(far).toContain('请照常完成服务并签退');
  });

  it('tells the distance on today’s card from the server’s list alone, before the phone’s own steps are read', async () => {
    online = true;
    const before = day.items[1]!;
    day.items[1] = { ...before, openAnomalies: ['far_checkin'], checkInDistanceM: 2013, checkInAccuracyM: 15 };
    try {
      await show('/m/services');
      expect(byTestId('sp-far-tag-2')?.textContent).toBe('签到位置距住址约 2.0 公里 · 待核实');
    } finally {
      day.items[1] = before;
    }
  });

  it('says it in English too, and no longer asks to check out once checked out', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    online = true;
    serverDetail = detail({
      id: 3,
      status: 'checked_out',
      openAnomalies: ['far_checkin'],
      checkIn: { at: '2026-11-30T00:00:00.000Z', distanceM: 2013, accuracyM: 15 },
    });
    await show('/m/services/3');
    const far = byTestId('sp-far')?.textContent ?? '';
    expect(far).toContain('The check-in was about 2.0 km from the elder’s registered home (accuracy ±15 m)');
    expect(far).toContain('your service record is not cut because of it');
    expect(far).not.toContain('check out as usual');
  });
});
