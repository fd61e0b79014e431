// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { allowedNav, navIcon } from '../../nav';
import { currentPeriod, shanghaiToday } from '../../shared/format';
import { AnomaliesPage } from './anomalies';
import { CoveragePage } from './coverage';
import { priceOf } from './create-order';
import { ItemsPage } from './items';
import { OrderPage } from './order';
import { OrdersPage } from './orders';
import { ProviderPage } from './provider';
import { SettlementPage } from './settlement';
import { ServicesWorkbenchCard, previousPeriod } from './workbench';
import { services } from '.';
import type {
  AnomalyCodesReply,
  AnomalyView,
  CaregiverView,
  CoverageReply,
  EntitlementReply,
  FollowupItem,
  OrderDetail,
  OrderItem,
  ProviderView,
  ServiceItemView,
  SettlementDetail,
} from './types';

/**
 * The home-services console (issue 17): orders with the entitlement shown live before an order is
 * sent, an order's visit verification and its exceptions explained (provider) and reviewed
 * (officer) with the codes the server allows, the settlement's lines and closing, providers'
 * caregivers with expired certificates in red, prices in fen, the workbench card; every refusal
 * shown in the server's own words.
 */

const OFFICER_ACTIONS = [
  'register.read',
  'services.read',
  'services.manage',
  'services.staff',
  'services.order',
  'services.rate',
  'services.review',
  'services.feedback',
  'services.beds',
  'services.meals',
];
const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: OFFICER_ACTIONS,
  csrfToken: 'x',
};
const bureau = {
  user: { id: 1, username: 'admin', displayName: '民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '示范县' },
  actions: [...OFFICER_ACTIONS, 'services.settle'],
  csrfToken: 'x',
};
const providerStaff = {
  user: { id: 40, username: 'kangle1', displayName: '康乐护理站', role: 'provider', regionCode: '990101001', regionName: '城关街道' },
  actions: [
    'register.read',
    'services.read',
    'services.staff',
    'services.order',
    'services.visit',
    'services.rate',
    'services.resolve',
    'services.beds',
    'services.meals',
  ],
  csrfToken: 'x',
};

const provider: ProviderView = {
  id: 3,
  name: '康乐居家养老服务中心',
  kind: 'home_service',
  regionCode: '990101001',
  regionName: '城关街道',
  creditCode: null,
  contactName: '王经理',
  phoneMasked: '138****0001',
  active: true,
  caregivers: 2,
  clients: 1,
};
const items: ServiceItemView[] = [
  { id: 11, code: 'clean', category: 'clean', nameZh: '助洁', nameEn: 'Cleaning', priceFen: 5000, standardMinutes: 60, active: true },
  { id: 12, code: 'bath', category: 'bath', nameZh: '助浴', nameEn: 'Bathing', priceFen: 8000, standardMinutes: 60, active: true },
];
const caregivers: CaregiverView[] = [
  {
    id: 21,
    providerId: 3,
    providerName: provider.name,
    name: '李护理',
    userId: 41,
    username: 'li1',
    phoneMasked: '139****0002',
    skillLevel: 3,
    active: true,
    certStatus: 'valid',
    certificates: [{ id: 31, kind: 'caregiver', number: 'HL-001', issuedOn: '2024-01-01', expiresOn: '2027-01-01', status: 'valid' }],
  },
  {
    id: 22,
    providerId: 3,
    providerName: provider.name,
    name: '赵护理',
    userId: null,
    username: null,
    phoneMasked: null,
    skillLevel: 2,
    active: true,
    certStatus: 'expired',
    certificates: [{ id: 32, kind: 'caregiver', number: 'HL-002', issuedOn: '2020-01-01', expiresOn: '2025-01-01', status: 'expired' }],
  },
];
const period = currentPeriod();
const order = (over: Partial<OrderItem> = {}): OrderItem => ({
  id: 101,
  providerId: 3,
  providerName: provider.name,
  personId: 5,
  personName: '张秀英',
  idMasked: '990101************',
  regionCode: '990101001001',
  regionName: '城关社区',
  itemId: 11,
  itemCode: 'clean',
  itemNameZh: '助洁',
  itemNameEn: 'Cleaning',
  category: 'clean',
  scheduledOn: `${period}-10`,
  period,
  orderedMinutes: 60,
  priceFen: 5000,
  entitledFen: 3000,
  selfPaidFen: 2000,
  status: 'checked_out',
  createdVia: 'officer',
  caregiverId: 21,
  caregiverName: '李护理',
  checkInAt: '2026-11-10T01:00:00.000Z',
  checkOutAt: '2026-11-10T02:00:00.000Z',
  minutesOnSite: 60,
  openAnomalies: ['far_checkin'],
  rating: null,
  ...over,
});
const anomaly = (over: Partial<AnomalyView> = {}): AnomalyView => ({
  id: 51,
  orderId: 101,
  providerId: 3,
  providerName: provider.name,
  personId: 5,
  personName: '张秀英',
  caregiverName: '李护理',
  scheduledOn: `${period}-10`,
  code: 'far_checkin',
  detail: { distanceM: 1980, accuracyM: 20 },
  status: 'open',
  resolutionCode: null,
  resolutionNote: null,
  resolvedByName: null,
  resolvedAt: null,
  reviewNote: null,
  reviewedByName: null,
  reviewedAt: null,
  raisedAt: '2026-11-10T01:00:00.000Z',
  ...over,
});
const detail = (a: AnomalyView): OrderDetail => ({
  ...order(),
  note: null,
  checkIn: { at: '2026-11-10T01:00:00.000Z', distanceM: 1980, accuracyM: 20 },
  checkOut: { at: '2026-11-10T02:00:00.000Z', distanceM: 15, accuracyM: 10 },
  itemsDone: ['clean'],
  eventId: 77,
  photos: [{ id: 9 }],
  confirmedKind: 'card',
  anomalies: [a],
  history: [
    { action: 'created', detail: {}, byName: '城关街道工作人员', at: '2026-11-09T01:00:00.000Z' },
    { action: 'checked_in', detail: {}, byName: '李护理', at: '2026-11-10T01:00:00.000Z' },
  ],
  ratingBy: null,
  ratedAt: null,
  cancelReason: null,
  correction: null,
});
const codes: AnomalyCodesReply = {
  reasons: [
    { code: 'far_checkin', zh: '签到位置距老人住所过远', en: 'Far', allowed: ['gps_drift', 'elder_elsewhere', 'record_error', 'not_performed', 'other'] },
  ],
  resolutions: [],
};
const entitlement = (over: Partial<EntitlementReply> = {}): EntitlementReply => ({
  personId: 5,
  personName: '张秀英',
  period,
  amountFen: 20000,
  usedFen: 17000,
  balanceFen: 3000,
  items: ['nx-15'],
  visitsUsed: 1,
  visitsAllowed: null,
  orders: [],
  ...over,
});
// typed loosely: the shape of a line and header grows (held amounts, not-yet-due lines) and the page reads what it finds
const settlementDetail = (closable: boolean, selfPaidLine = false): SettlementDetail =>
  ({
    header: {
      providerId: 3,
      providerName: provider.name,
      status: 'open',
      accepted: 1,
      rejected: 1,
      held: 1,
      heldFen: 3000,
      pending: 1,
      adjustments: 0,
      payableFen: 3000,
      closedAt: null,
      sample: 1,
      calls: 0,
      notGiven: 0,
      period: '2026-10',
      acceptedFen: 3000,
      adjustmentsFen: 0,
      closedByName: null,
      statementSha256: null,
      closable,
    },
    lines: [
      {
        orderId: 101,
        personId: 5,
        personName: '张秀英',
        itemNameZh: '助洁',
        scheduledOn: '2026-10-10',
        caregiverName: '李护理',
        outcome: 'accepted',
        reasons: [],
        amountFen: 3000,
        selfPaidFen: 2000,
        adjustsPeriod: null,
      },
      {
        orderId: 102,
        personId: 6,
        personName: '王建国',
        itemNameZh: '助浴',
        scheduledOn: '2026-10-11',
        caregiverName: '赵护理',
        outcome: 'rejected',
        reasons: ['not_completed'],
        amountFen: 0,
        adjustsPeriod: null,
      },
      {
        orderId: 103,
        personId: 7,
        personName: '刘桂兰',
        itemNameZh: '助洁',
        scheduledOn: '2026-10-12',
        caregiverName: '李护理',
        outcome: 'held',
        reasons: ['too_short'],
        amountFen: 0,
        adjustsPeriod: null,
      },
      {
        orderId: 104,
        personId: 8,
        personName: '陈阿婆',
        itemNameZh: '助浴',
        scheduledOn: '2026-10-31',
        caregiverName: null,
        outcome: 'pending',
        reasons: [],
        amountFen: 0,
        selfPaidFen: 0,
        adjustsPeriod: null,
      },
      ...(selfPaidLine
        ? [
            {
              orderId: 105,
              personId: 9,
              personName: '孙大爷',
              itemNameZh: '助洁',
              scheduledOn: '2026-10-20',
              caregiverName: '李护理',
              outcome: 'accepted',
              reasons: [],
              amountFen: 0,
              selfPaidFen: 5000,
              adjustsPeriod: null,
            },
          ]
        : []),
    ],
  }) as unknown as SettlementDetail;
const coverage: CoverageReply = {
  year: 2026,
  regionCode: '990101',
  regionName: '示范县',
  targetPercent: 18,
  total: { regionCode: '990101', regionName: '示范县', elders: 300, served: 45, percent: 15 },
  rows: [
    { regionCode: '990101001', regionName: '城关街道', elders: 200, served: 40, percent: 20 },
    { regionCode: '990101002', regionName: '东乡镇', elders: 100, served: 5, percent: 5 },
    { regionCode: '990101003', regionName: '西乡镇', elders: 0, served: 0, percent: 0 },
  ],
};

const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};
function typeText(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const input = (el!.matches('input, textarea') ? el : el!.querySelector('input, textarea')) as HTMLInputElement;
  const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
/** The input of a checkbox or radio (Ant Design puts the test id on the input itself, or around it). */
const inputOf = (el: Element | null) => (el?.matches('input') ? el : (el?.querySelector('input') ?? null));
/** Opens an Ant Design select and picks the option titled `title`. */
async function pick(testId: string, title: string) {
  const select = byTestId(testId)?.closest('.ant-select') ?? byTestId(testId);
  await act(async () => {
    select!.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await settle();
  const option = [...document.body.querySelectorAll(`.ant-select-item-option[title="${title}"]`)].at(-1);
  expect(option, `option ${title}`).toBeTruthy();
  await act(async () => (option as HTMLElement).click());
  await settle();
}

describe('the home-services console', () => {
  const page = pageHarness();
  const show = page.show;
  let session: typeof officer = officer;
  let currentAnomaly: AnomalyView;
  let balance: EntitlementReply;
  let closable = false;
  let selfPaidLine = false;
  let followups: FollowupItem[] = [];
  /** the answer of the next POST: ok, or the server's refusal */
  let refusal: { status: number; code: string; message: string } | null = null;
  const fetched: string[] = [];
  const sent: { url: string; method: string; body: unknown }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    currentAnomaly = anomaly();
    balance = entitlement();
    closable = false;
    selfPaidLine = false;
    followups = [];
    refusal = null;
    fetched.length = 0;
    sent.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        const method = init?.method ?? 'GET';
        if (method !== 'GET') {
          sent.push({ url, method, body: JSON.parse(String(init?.body ?? '{}')) });
          if (refusal) return json({ error: { code: refusal.code, message: refusal.message, details: null } }, refusal.status);
          if (url === '/api/services/orders') return json(detail(currentAnomaly));
          if (url.endsWith('/resolve')) {
            currentAnomaly = { ...currentAnomaly, status: 'resolved', resolutionCode: 'gps_drift', resolutionNote: '小区信号差', resolvedByName: '康乐护理站' };
            return json(currentAnomaly);
          }
          if (url.endsWith('/review')) {
            currentAnomaly = { ...currentAnomaly, status: 'accepted', reviewNote: '属实', reviewedByName: '城关街道工作人员' };
            return json(currentAnomaly);
          }
          if (url.startsWith('/api/services/items/')) return json({ ...items[0], ...(JSON.parse(String(init?.body)) as object) });
          return json({});
        }
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/regions') return json({ regions: [] });
        if (url === '/api/services/providers') return json({ items: [provider] });
        if (url === '/api/services/items') return json({ items });
        if (url.startsWith('/api/services/caregivers')) return json({ items: caregivers });
        if (url.startsWith('/api/services/clients'))
          return json({
            items: [
              {
                id: 61,
                providerId: 3,
                providerName: provider.name,
                personId: 5,
                personName: '张秀英',
                idMasked: '990101************',
                regionCode: '990101001001',
                regionName: '城关社区',
                enrolledAt: '2026-11-01T01:00:00.000Z',
                hasCard: true,
                active: true,
              },
            ],
            total: 1,
            page: 1,
            pageSize: 20,
          });
        if (url.startsWith('/api/services/entitlements/5')) return json(balance);
        if (url.startsWith('/api/services/orders/101')) return json(detail(currentAnomaly));
        if (url.startsWith('/api/services/orders?'))
          return json({
            items: [order(), order({ id: 102, status: 'created', caregiverId: null, caregiverName: null, openAnomalies: [], selfPaidFen: 0 })],
            total: 2,
            page: 1,
            pageSize: 20,
          });
        if (url === '/api/services/anomalies/codes') return json(codes);
        if (url.startsWith('/api/services/followups')) return json({ items: followups, total: followups.length, page: 1, pageSize: 100 });
        if (url.startsWith('/api/services/anomalies?')) return json({ items: [currentAnomaly], total: 1, page: 1, pageSize: 20 });
        if (url.startsWith('/api/services/settlements/3/2026-10')) return json(settlementDetail(closable, selfPaidLine));
        if (url.startsWith('/api/services/settlements?'))
          return json({
            period: '2026-10',
            items: [
              { ...settlementDetail(false).header, status: 'closed' },
              { ...settlementDetail(false).header, providerId: 4, status: 'open' },
            ],
          });
        if (url.startsWith('/api/services/feedback')) return json({ items: [] });
        if (url.startsWith('/api/services/coverage')) return json(coverage);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers officers every page, a provider’s office no county coverage nor prices, each entry with its own icon', () => {
    const mine = new Set(services.nav?.map((n) => n.path));
    const paths = (actions: string[], role: string) =>
      allowedNav(actions, role)
        .filter((n) => mine.has(n.path))
        .map((n) => n.path);
    expect(paths(officer.actions, 'town_officer')).toEqual([
      '/services',
      '/services/anomalies',
      '/services/settlements',
      '/services/providers',
      '/services/items',
      '/services/coverage',
    ]);
    expect(paths(providerStaff.actions, 'provider')).toEqual(['/services', '/services/anomalies', '/services/settlements', '/services/providers']);
    expect(paths(['register.read'], 'grid_worker')).toEqual([]);
    const icons = new Set(paths(officer.actions, 'town_officer').map((p) => navIcon(p)));
    expect(icons.size).toBe(6);
    expect(services.routes?.find((r) => r.path === 'services/orders/:id')?.action).toBe('services.read');
  });

  it('prices an order as the server does: the item’s price scaled by the minutes, to the fen', () => {
    expect(priceOf(5000, 60, 60)).toBe(5000);
    expect(priceOf(5000, 60, 90)).toBe(7500);
    expect(priceOf(1500, 30, 45)).toBe(2250);
    expect(priceOf(3333, 60, 1 + 60 - 1)).toBe(3333);
    expect(priceOf(1000, 60, 25)).toBe(417);
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2026-11')).toBe('2026-10');
  });

  it('lists the month’s orders with status, the elder’s share and open exceptions; only what may be done is offered', async () => {
    await show('/services', '/services', <OrdersPage />);
    expect(fetched.some((u) => u.startsWith(`/api/services/orders?period=${period}`))).toBe(true);
    const table = byTestId('svc-orders')!;
    expect(table.textContent).toContain('张秀英');
    expect(table.textContent).toContain('已签退');
    expect(table.textContent).toContain('待派单');
    expect(byTestId('svc-order-101-anomaly-far_checkin')!.textContent).toBe('签到位置距老人住所过远');
    expect(byTestId('svc-order-money-101')!.textContent).toBe('50.00 元自费 20.00 元');
    // checked out: rate, no assign or cancel; created: assign and cancel
    expect(byTestId('svc-rate-101')).toBeTruthy();
    expect(byTestId('svc-assign-101')).toBeNull();
    expect(byTestId('svc-assign-102')).toBeTruthy();
    expect(byTestId('svc-cancel-102')).toBeTruthy();
    expect(table.querySelector('a[href="/services/orders/101"]')).toBeTruthy();
  });

  it('speaks English when asked: the page, the statuses, the reasons and the money', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/services', '/services', <OrdersPage />);
    expect(document.body.textContent).toContain('Service orders');
    const table = byTestId('svc-orders')!;
    expect(table.textContent).toContain('Checked out');
    expect(table.textContent).toContain('To assign');
    expect(table.textContent).toContain('Cleaning · 60 min');
    expect(byTestId('svc-order-101-anomaly-far_checkin')!.textContent).toBe("Check-in far from the elder's home");
    expect(byTestId('svc-order-money-101')!.textContent).toBe('¥50.00Self-paid ¥20.00');
  });

  it('assigns a caregiver, naming an expired certificate beside the name before it is picked', async () => {
    await show('/services', '/services', <OrdersPage />);
    await click(byTestId('svc-assign-102'));
    const select = byTestId('svc-assign-caregiver')!.closest('.ant-select')!;
    await act(async () => select.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    await settle();
    const labels = [...document.body.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent);
    expect(labels).toContain('赵护理（已过期）');
    expect(labels).toContain('李护理');
    await pick('svc-assign-caregiver', '李护理');
    await click(byTestId('svc-assign-ok'));
    expect(sent).toEqual([{ url: '/api/services/orders/102/assign', method: 'POST', body: { caregiverId: 21 } }]);
  });

  it('creates an order: the balance and the split shown before sending, self-paid asked for, the server’s refusal shown in its words', async () => {
    await show('/services', '/services', <OrdersPage />);
    await click(byTestId('svc-new-order'));
    // the one provider is chosen already; its clients are offered
    await pick('svc-create-client', '张秀英');
    await pick('svc-create-item', '助洁');
    expect(byTestId('svc-create-balance')!.textContent).toContain(`${period} 补贴额度 200.00 元，已用 170.00 元，余额 30.00 元`);
    expect(byTestId('svc-create-split')!.textContent).toContain('本单价格 50.00 元');
    expect(byTestId('svc-create-split')!.textContent).toContain('补贴支付 30.00 元，老人自费 20.00 元');
    expect(byTestId('svc-create-split')!.textContent).toContain('价格超出余额 20.00 元');
    // one phrase for self-pay: the hint names the checkbox by its own label
    const selfPaidLabel = byTestId('svc-create-self-paid')!.closest('label')!.textContent;
    expect(selfPaidLabel).toBe('超出补贴余额的部分由老人自费');
    expect(byTestId('svc-create-split')!.textContent).toContain(`勾选下方“${selfPaidLabel}”后才能下单`);
    // the item picker: a name the same as its category is said once (助洁, not 助洁 · 助洁)
    expect(document.body.querySelector('.ant-select-selection-item[title="助洁"]')!.textContent).toBe('助洁');
    // sent without self-paid: the server refuses, nothing written; its message shown
    refusal = { status: 409, code: 'ENTITLEMENT_EXCEEDED', message: '补贴余额不足：余额 30.00 元，本单 50.00 元；如由老人自费超出部分，请勾选后再下单' };
    await click(byTestId('svc-create-ok'));
    expect(byTestId('svc-create-error')!.textContent).toBe(refusal.message);
    const first = sent[0]!.body as Record<string, unknown>;
    expect(first).toMatchObject({ providerId: 3, personId: 5, itemId: 11, minutes: 60, scheduledOn: shanghaiToday(), selfPaidBeyond: false });
    expect(first.clientId).toMatch(/^[0-9a-f-]{36}$/);
    // ticked: the same request id again (a resend is merged), now self-paid
    refusal = null;
    await click(inputOf(byTestId('svc-create-self-paid')));
    expect(byTestId('svc-create-split')!.textContent).not.toContain('价格超出余额');
    await click(byTestId('svc-create-ok'));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body).toMatchObject({ selfPaidBeyond: true, clientId: first.clientId });
  });

  it('makes an order from a visit follow-up: the elder taken from it, the follow-up named in the order', async () => {
    followups = [
      {
        id: 88,
        personId: 5,
        personName: '张秀英',
        regionCode: '990101001001',
        regionName: '城关社区',
        finding: 'needs_home_service',
        findingWords: { zh: '需要居家上门服务', en: 'Needs home services' },
        note: '独居，需助洁',
        status: 'open',
        raisedAt: '2026-11-20T02:00:00.000Z',
      },
    ];
    await show('/services', '/services', <OrdersPage />);
    await click(byTestId('svc-new-order'));
    await pick('svc-create-followup', '张秀英');
    expect(document.body.textContent).toContain('需要居家上门服务 · 独居，需助洁');
    await pick('svc-create-item', '助洁');
    // the elder's balance is read for the follow-up's elder
    expect(byTestId('svc-create-balance')!.textContent).toContain('余额 30.00 元');
    await click(inputOf(byTestId('svc-create-self-paid')));
    await click(byTestId('svc-create-ok'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ personId: 5, followupId: 88, selfPaidBeyond: true });
  });

  it('says so when the elder has no entitlement this month', async () => {
    balance = entitlement({ amountFen: 0, usedFen: 0, balanceFen: 0, items: [] });
    await show('/services', '/services', <OrdersPage />);
    await click(byTestId('svc-new-order'));
    await pick('svc-create-client', '张秀英');
    await pick('svc-create-item', '助浴');
    expect(byTestId('svc-create-balance')!.textContent).toContain(`${period} 无政府购买服务额度（余额 0 元）`);
    expect(byTestId('svc-create-split')!.textContent).toContain('补贴支付 0.00 元，老人自费 80.00 元');
  });

  it('shows an order’s verification: times, distance against accuracy, the tasks, the photo, the card confirmation, the history', async () => {
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-checkin')!.textContent).toContain('距老人家 1,980 米（定位精度 ±20 米）');
    expect(byTestId('svc-order-checkout')!.textContent).toContain('距老人家 15 米（定位精度 ±10 米）');
    expect(byTestId('svc-order-onsite')!.textContent).toBe('在场 60 分钟，下单 60 分钟');
    expect(byTestId('svc-order-confirmation')!.textContent).toBe('刷老人服务卡');
    expect(byTestId('svc-order-photos')!.querySelector('img')!.getAttribute('src')).toBe('/api/services/orders/101/photos/9');
    expect(byTestId('svc-order-money')!.textContent).toBe('50.00 元（补贴 30.00 元 · 自费 20.00 元）');
    expect(byTestId('svc-order-history')!.textContent).toContain('签到');
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('签到处距老人住所 1,980 米（定位精度 20 米）');
    // an officer reviews, never explains: no button while it is open
    expect(byTestId('svc-resolve-51')).toBeNull();
    expect(byTestId('svc-review-51')).toBeNull();
  });

  it('lets an officer correct a visit’s times with a reason (Beijing time sent as instants); a provider is not offered it', async () => {
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    await click(byTestId('svc-correct-101'));
    // prefilled with the recorded times, in Beijing's wall clock
    expect((byTestId('svc-correct-start') as HTMLInputElement).value).toBe('2026-11-10T09:00');
    expect((byTestId('svc-correct-end') as HTMLInputElement).value).toBe('2026-11-10T10:00');
    // a reason is required: nothing sent without one
    await click(byTestId('svc-correct-ok'));
    expect(sent).toEqual([]);
    await act(async () => typeText(byTestId('svc-correct-end'), '2026-11-10T10:30'));
    await act(async () => typeText(byTestId('svc-correct-reason'), '护理员手机时间有误'));
    await click(byTestId('svc-correct-ok'));
    expect(sent).toEqual([
      {
        url: '/api/services/orders/101/correct',
        method: 'POST',
        body: { checkInAt: '2026-11-10T01:00:00.000Z', checkOutAt: '2026-11-10T02:30:00.000Z', reason: '护理员手机时间有误' },
      },
    ]);

    page.remount();
    session = providerStaff;
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-correct-101')).toBeNull();
  });

  it('shows a correction beside the phone’s record, the time on site following it', async () => {
    const base = detail(currentAnomaly);
    vi.mocked(fetch).mockImplementation(async (input) =>
      String(input).startsWith('/api/services/orders/101')
        ? new Response(
            JSON.stringify({
              ...base,
              minutesOnSite: 90,
              correction: {
                id: 1,
                checkInAt: '2026-11-10T01:00:00.000Z',
                checkOutAt: '2026-11-10T02:30:00.000Z',
                itemsDone: null,
                reason: '护理员手机时间有误',
                byName: '城关街道工作人员',
                at: '2026-11-20T01:00:00.000Z',
              },
            }),
          )
        : String(input) === '/api/auth/me'
          ? new Response(JSON.stringify(session))
          : new Response(JSON.stringify({ items: [] })),
    );
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-checkout')!.textContent).toContain('2026-11-10 10:00:00');
    expect(byTestId('svc-order-correction')!.textContent).toContain('2026-11-10 09:00:00 – 2026-11-10 10:30:00');
    expect(byTestId('svc-order-correction')!.textContent).toContain('城关街道工作人员 于 2026-11-20 09:00:00 更正：护理员手机时间有误');
    expect(byTestId('svc-order-onsite')!.textContent).toBe('在场 90 分钟，下单 60 分钟');
  });

  it('lets the provider explain a far check-in with a code that fits it, and the officer accept it', async () => {
    session = providerStaff;
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    await click(byTestId('svc-resolve-51'));
    // the server's allowed resolutions for the reason, nothing else
    const offered = [...byTestId('svc-resolve-code')!.querySelectorAll('input[type="radio"]')].map((i) => (i as HTMLInputElement).value);
    expect(offered).toEqual(['gps_drift', 'elder_elsewhere', 'record_error', 'not_performed', 'other']);
    expect(document.body.textContent).toContain('定位偏差');
    // a note is required: nothing sent without one
    await click(inputOf(byTestId('svc-resolve-code-gps_drift')));
    await click(byTestId('svc-resolve-ok'));
    expect(sent).toEqual([]);
    await act(async () => typeText(byTestId('svc-resolve-note'), '小区信号差'));
    await click(byTestId('svc-resolve-ok'));
    expect(sent).toEqual([{ url: '/api/services/anomalies/51/resolve', method: 'POST', body: { code: 'gps_drift', note: '小区信号差' } }]);
    await settle();
    expect(byTestId('svc-anomaly-51-resolution')!.textContent).toContain('定位偏差：小区信号差');

    // the officer's queue opens on what waits for review, and accepts it
    page.remount();
    session = officer;
    sent.length = 0;
    await show('/services/anomalies', '/services/anomalies', <AnomaliesPage />);
    expect(fetched.some((u) => u.startsWith('/api/services/anomalies?status=resolved'))).toBe(true);
    await click(byTestId('svc-review-51'));
    expect(byTestId('svc-review-resolution')!.textContent).toBe('服务商说明：定位偏差——小区信号差');
    await click(inputOf(byTestId('svc-review-accept')));
    await act(async () => typeText(byTestId('svc-review-note'), '属实'));
    await click(byTestId('svc-review-ok'));
    expect(sent).toEqual([{ url: '/api/services/anomalies/51/review', method: 'POST', body: { decision: 'accepted', note: '属实' } }]);
  });

  it('shows a refused explanation in the server’s words and keeps the dialog open', async () => {
    session = providerStaff;
    refusal = { status: 400, code: 'SERVICE_RESOLUTION_NOT_ALLOWED', message: '处理代码“证书已续期”不适用于“签到位置距老人住所过远”' };
    await show('/services/anomalies', '/services/anomalies', <AnomaliesPage />);
    expect(fetched.some((u) => u.startsWith('/api/services/anomalies?status=open'))).toBe(true);
    await click(byTestId('svc-resolve-51'));
    await click(inputOf(byTestId('svc-resolve-code-other')));
    await act(async () => typeText(byTestId('svc-resolve-note'), '说明'));
    await click(byTestId('svc-resolve-ok'));
    expect(byTestId('svc-resolve-error')!.textContent).toBe(refusal.message);
    expect(byTestId('svc-resolve-form')).toBeTruthy();
  });

  it('shows a provider’s month: lines by outcome with reasons, closing only once the month has ended, asked first', async () => {
    session = bureau;
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    expect(byTestId('svc-line-101-accepted')).toBeTruthy();
    expect(byTestId('svc-line-102-rejected')).toBeTruthy();
    expect(byTestId('svc-line-103-held')).toBeTruthy();
    const lines = byTestId('svc-lines')!.textContent!;
    expect(lines).toContain('未完成签退');
    expect(lines).toContain('在岗时长过短');
    expect(byTestId('svc-st-payable')!.textContent).toBe('30.00 元');
    // the elder's part beside the entitlement's; an order not yet due is said so, and not counted
    expect(lines).toContain('自费 20.00 元');
    expect(byTestId('svc-line-104-pending')!.textContent).toBe('未到期（不计入）');
    expect(byTestId('svc-st-pending')!.textContent).toContain('1');
    expect(byTestId('svc-st-heldFen')!.textContent).toBe('暂缓金额 30.00 元');
    expect((byTestId('svc-close-month') as HTMLButtonElement).disabled).toBe(true);

    page.remount();
    closable = true;
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    await click(byTestId('svc-close-month'));
    expect(sent).toEqual([]);
    expect(document.body.textContent).toContain('确认关账 康乐居家养老服务中心 2026-10？');
    // what is still open is said before the month is frozen: the provider's exceptions of the month
    // (one read), the calls not made, the held lines with their amount paid later as adjustments
    expect(fetched).toContain('/api/services/anomalies?providerId=3&period=2026-10&page=1&pageSize=200');
    const open = byTestId('svc-close-open')!.textContent!;
    expect(open).toContain('核验异常：待说明 1 条，待审核 0 条');
    expect(open).toContain('回访：待回访 1 个');
    expect(open).toContain('暂缓明细 1 条，暂缓金额 30.00 元');
    expect(open).toContain('作为调整计入以后月份支付');
    await click(byTestId('svc-close-confirm'));
    expect(sent).toEqual([{ url: '/api/services/settlements/3/2026-10/close', method: 'POST', body: {} }]);
  });

  it('names the persons served fewer times than the government bought (under-served) on the month', async () => {
    session = bureau;
    const original = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (input, init) => {
      if (String(input).startsWith('/api/services/settlements/3/2026-10')) {
        const d = settlementDetail(false);
        const underServed = [{ code: 'under_served', personId: 6, personName: '王桂兰', visits: 1, minimum: 4 }];
        return new Response(JSON.stringify({ ...d, header: { ...d.header, underServed } }));
      }
      return original(input, init);
    });
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    const alert = byTestId('svc-st-underserved')!.textContent!;
    expect(alert).toContain('1 位老人本月上门次数少于政府购买的次数（服务不足）');
    expect(alert).toContain('王桂兰：完成 1 次，应为 4 次');
  });

  it('says when the visits the entitlement buys this month are all ordered', async () => {
    balance = entitlement({ visitsUsed: 2, visitsAllowed: 2, balanceFen: 0 });
    await show('/services', '/services', <OrdersPage />);
    await click(byTestId('svc-new-order'));
    await pick('svc-create-client', '张秀英');
    expect(byTestId('svc-create-balance')!.textContent).toContain('余额 0.00 元；本月可用的 2 次上门已下单 2 次，再下单由老人自费');
  });

  it('shows a settlement in English with the items’ English names, and an inspector no feedback calls (nor asks for them)', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    session = { ...officer, user: { ...officer.user, role: 'inspector', username: 'inspector1' }, actions: ['services.read'] };
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    const lines = byTestId('svc-lines')!.textContent!;
    expect(lines).toContain('Cleaning');
    expect(lines).toContain('Bathing');
    expect(lines).not.toContain('助洁');
    expect(byTestId('svc-line-104-pending')!.textContent).toBe('Not yet due (not counted)');
    expect(byTestId('svc-st-heldFen')!.textContent).toBe('held ¥30.00');
    expect(byTestId('svc-feedback')).toBeNull();
    expect(fetched.filter((u) => u.startsWith('/api/services/feedback'))).toEqual([]);
  });

  it('says an accepted line the elder paid in full is 全部自费', async () => {
    session = bureau;
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    expect(byTestId('svc-lines')!.textContent).not.toContain('全部自费');
    page.remount();
    selfPaidLine = true;
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    expect(byTestId('svc-lines')!.querySelector('[data-row-key="105-accepted-"]')!.textContent).toContain('全部自费');
  });

  it('says an exception’s figures with their units, in Chinese and in English', async () => {
    currentAnomaly = anomaly({ code: 'too_short', detail: { minutesOnSite: 18, orderedMinutes: 60, ratioPercent: 30, shortPercent: 50 } });
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('在场 18 分钟（应 60 分钟，30 %，下限 50 %）');
    page.remount();
    currentAnomaly = anomaly({
      code: 'impossible_travel',
      detail: { otherOrderId: 99, distanceM: 12500, minutes: 10, speedKmh: 75, maxSpeedKmh: 60 },
    });
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('12,500 m from the previous order #99 (in 10 min, about 75 km/h, limit 60 km/h)');
  });

  it('says a far check-in, an overlap and a month overdrawn in words with units', async () => {
    currentAnomaly = anomaly({ detail: { distanceM: 1980, accuracyM: 20, farMeters: 200 } });
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('签到处距老人住所 1,980 米（定位精度 20 米，允许 200 米）');
    page.remount();
    currentAnomaly = anomaly({ code: 'overlap', detail: { otherOrderId: 99, overlapMinutes: 25 } });
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('与工单 #99 时间重叠 25 分钟');
    page.remount();
    currentAnomaly = anomaly({ code: 'over_entitlement', detail: { entitledFen: 3000, usedFen: 23000, amountFen: 20000 } });
    await show('/services/orders/101', '/services/orders/:id', <OrderPage />);
    expect(byTestId('svc-order-anomalies')!.textContent).toContain('本单补贴 30.00 元（当月累计 230.00 元，当月额度 200.00 元）');
  });

  it('shows an officer who may not settle no close button', async () => {
    closable = true;
    await show('/services/settlements/3/2026-10', '/services/settlements/:providerId/:period', <SettlementPage />);
    expect(byTestId('svc-lines')).toBeTruthy();
    expect(byTestId('svc-close-month')).toBeNull();
  });

  it('marks a caregiver’s expired certificate red on the provider’s page', async () => {
    await show('/services/providers/3', '/services/providers/:id', <ProviderPage />);
    const expired = byTestId('svc-cert-32-expired')!;
    expect(expired.className).toContain('ant-tag-red');
    expect(expired.textContent).toContain('至 2025-01-01');
    expect(byTestId('svc-caregiver-22-cert')!.textContent).toBe('已过期');
    expect(byTestId('svc-cert-31-valid')!.className).toContain('ant-tag-green');
    expect(byTestId('svc-clients')!.textContent).toContain('张秀英');
  });

  it('refuses a card number that is not 6–12 digits before anything is sent', async () => {
    await show('/services/providers/3', '/services/providers/:id', <ProviderPage />);
    await click(byTestId('svc-enrol'));
    await act(async () => typeText(byTestId('svc-enrol-card'), '12ab'));
    await click(byTestId('svc-enrol-ok'));
    expect(document.body.textContent).toContain('卡号为 6–12 位数字');
    expect(sent).toEqual([]);
  });

  it('edits a price in yuan and sends fen', async () => {
    await show('/services/items', '/services/items', <ItemsPage />);
    expect(byTestId('svc-item-price-11')!.textContent).toBe('50.00 元');
    await click(byTestId('svc-item-edit-11'));
    await act(async () => typeText(byTestId('svc-item-price'), '55.5'));
    await settle();
    await click(byTestId('svc-item-ok'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: '/api/services/items/11', method: 'PATCH', body: { priceFen: 5550, standardMinutes: 60, active: true } });
  });

  it('refuses a price or duration out of range at the field, never clamped, rounded or sent', async () => {
    await show('/services/items', '/services/items', <ItemsPage />);
    for (const [price, words] of [
      ['-5', '单价须大于 0 元、不超过 10,000 元'],
      ['0', '单价须大于 0 元、不超过 10,000 元'],
      ['1000000000', '单价须大于 0 元、不超过 10,000 元'],
      ['12.345', '单价最多两位小数'],
    ] as const) {
      await click(byTestId('svc-item-edit-11'));
      await act(async () => typeText(byTestId('svc-item-price'), price));
      await settle();
      await click(byTestId('svc-item-ok'));
      expect(document.body.querySelector('.ant-form-item-explain-error')?.textContent, price).toContain(words);
      // what was typed stays as typed
      expect((byTestId('svc-item-price')!.closest('.ant-input-number')!.querySelector('input') as HTMLInputElement).value, price).toBe(price);
      await click(document.body.querySelector('.ant-modal-close'));
    }
    await click(byTestId('svc-item-edit-11'));
    await act(async () => typeText(byTestId('svc-item-minutes'), '4'));
    await settle();
    await click(byTestId('svc-item-ok'));
    expect(document.body.querySelector('.ant-form-item-explain-error')?.textContent).toContain('标准时长须为 5–720 之间的整数分钟');
    expect(sent).toEqual([]);
  });

  it('shows the server’s refusal of a price at the price', async () => {
    refusal = { status: 400, code: 'SERVICE_ITEM_PRICE_RANGE', message: '服务项目价格（priceFen）须在 0.01 元至 10000 元之间' };
    await show('/services/items', '/services/items', <ItemsPage />);
    await click(byTestId('svc-item-edit-11'));
    await act(async () => typeText(byTestId('svc-item-price'), '60'));
    await settle();
    await click(byTestId('svc-item-ok'));
    expect(sent).toHaveLength(1);
    expect(byTestId('svc-item-price')!.closest('.ant-form-item')!.textContent).toContain('服务项目价格（priceFen）须在 0.01 元至 10000 元之间');
  });

  it('shows coverage per region against the target, a region with no elders without a share', async () => {
    await show('/services/coverage', '/services/coverage', <CoveragePage />);
    const rows = [...byTestId('svc-coverage')!.querySelectorAll('.ant-table-row')].map((r) => r.textContent);
    expect(rows).toEqual(['城关街道2004020.0%', '东乡镇10055.0%', '西乡镇00—']);
    expect(byTestId('svc-coverage-total')!.textContent).toBe('15.0%');
    expect(document.body.textContent).toContain('目标 18%');
  });

  it('puts the exceptions waiting, the month’s orders and last month’s settlements on the workbench', async () => {
    await show('/', '/', <ServicesWorkbenchCard />);
    expect(byTestId('wb-svc-anomalies')!.textContent).toContain('1');
    expect(byTestId('wb-svc-orders')!.textContent).toContain('2');
    expect(byTestId('wb-svc-settlement')!.textContent).toContain('已关账 1 / 2');
    expect(fetched).toContain(`/api/services/settlements?period=${previousPeriod(period)}`);
  });

  it('shows a provider’s office no workbench card without the services, and no settlement tile', async () => {
    session = { ...providerStaff, actions: ['register.read'] };
    await show('/', '/', <ServicesWorkbenchCard />);
    expect(byTestId('workbench-services')).toBeNull();
    page.remount();
    session = providerStaff;
    await show('/', '/', <ServicesWorkbenchCard />);
    expect(byTestId('workbench-services')).toBeTruthy();
    expect(byTestId('wb-svc-settlement')).toBeNull();
  });
});
