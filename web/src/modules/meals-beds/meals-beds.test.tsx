// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { allowedNav } from '../../nav';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { BedsPage } from './beds';
import { deviceKindCode, deviceKindLabel } from './devices';
import { MealsPage } from './meals';
import { mealsBeds } from '.';
import type { BedsReply, BedView, MealCoverageReply, MealPointView, QuoteReply } from './types';

/**
 * Family care beds and meal aid in the console (issue 17): the county's target beside the beds, a
 * bed closed with its date and reason, a meal's price by the rules shown before it is saved (and the
 * server's refusal shown instead of a price), the coverage of communities and villages against the
 * targets; Chinese by default, English by the switch.
 */

const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['register.read', 'services.read', 'services.beds', 'services.meals', 'services.manage'],
  csrfToken: 'x',
};
const inspector = {
  user: { id: 9, username: 'insp', displayName: '督查', role: 'inspector', regionCode: '990101', regionName: '示范县' },
  actions: ['services.read'],
  csrfToken: 'x',
};

const bed: BedView = {
  id: 5,
  personId: 41,
  personName: '王桂兰',
  idMasked: '330503********0021',
  regionCode: '990101001001',
  regionName: '城关社区',
  providerId: 3,
  providerName: '颐康居家服务中心',
  status: 'active',
  openedOn: '2026-11-02',
  closedOn: null,
  closeReason: null,
  adaptation: [{ item: '卫生间扶手', doneOn: '2026-11-03' }],
  // two kinds by the codes the server keeps (the demo's), one typed freely
  devices: [
    { kind: 'mattress', serial: 'MT-0001', installedOn: '2026-11-03' },
    { kind: 'sos_button', serial: 'SOS-0001', installedOn: '2026-11-03' },
    { kind: '助听器', serial: 'HA-0001', installedOn: '2026-11-03' },
  ],
  servicesThisMonth: 3,
};
const beds = (): BedsReply => ({
  target: 580,
  active: 12,
  jurisdictionActive: 116,
  byTown: [{ regionCode: '990101001', regionName: '城关街道', active: 12 }],
  page: { items: [bed], total: 1, page: 1, pageSize: 20 },
});
const point: MealPointView = {
  id: 8,
  providerId: 3,
  providerName: '颐康居家服务中心',
  regionCode: '990101001001',
  regionName: '城关社区',
  name: '幸福食堂',
  kind: 'canteen',
  serves: [{ code: '990101001001', name: '城关社区' }],
  active: true,
};
const quote: QuoteReply = { priceFen: 1500, discountFen: 600, deliveryFen: 0, paidFen: 900, rules: ['age_60', 'free_delivery', 'hardship'], age: 72 };
const coverage: MealCoverageReply = {
  urban: { communities: 4, covered: 3, percent: 75, targetPercent: 80 },
  rural: { communities: 10, covered: 6, percent: 60, targetPercent: 50 },
  byTown: [
    {
      regionCode: '990101001',
      regionName: '城关街道',
      urban: { communities: 4, covered: 3, percent: 75, targetPercent: 80 },
      rural: { communities: 0, covered: 0, percent: 0, targetPercent: 50 },
    },
  ],
};

/** the answer of the next quote: a price, or the server's refusal */
let quoteRefusal: { status: number; code: string; message: string } | null = null;

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
/** Opens an Ant Design select, types `search` into it when given, and picks the option titled `title`. */
async function pick(testId: string, title: string, search?: string) {
  const select = byTestId(testId)?.closest('.ant-select') ?? byTestId(testId);
  await act(async () => {
    select!.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await settle();
  if (search !== undefined) {
    await act(async () => typeText(select!.querySelector('input'), search));
    await settle();
  }
  const option = [...document.body.querySelectorAll(`.ant-select-item-option[title="${title}"]`)].at(-1);
  expect(option, `option ${title}`).toBeTruthy();
  await act(async () => (option as HTMLElement).click());
  await settle();
}

describe('the family care beds and meal aid pages', () => {
  let root: Root;
  let container: HTMLDivElement;
  let session: typeof officer = officer;
  const sent: { url: string; method: string; body: unknown }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    quoteRefusal = null;
    sent.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        const method = init?.method ?? 'GET';
        if (method !== 'GET') {
          const body = JSON.parse(String(init!.body)) as Record<string, unknown>;
          if (url === '/api/services/meals/quote') {
            if (quoteRefusal) return json({ error: { code: quoteRefusal.code, message: quoteRefusal.message, details: null } }, quoteRefusal.status);
            return json(quote);
          }
          sent.push({ url, method, body });
          if (url === '/api/services/beds/5/close') return json({ ...bed, status: 'closed', closedOn: body.closedOn, closeReason: body.reason });
          if (url === '/api/services/meals')
            return json(
              {
                ...quote,
                id: 77,
                personId: 41,
                personName: '王桂兰',
                pointId: 8,
                pointName: '幸福食堂',
                servedOn: body.servedOn,
                meal: body.meal,
                mode: body.mode,
              },
              201,
            );
          return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
        }
        if (url === '/api/auth/me') return json(session);
        if (url.startsWith('/api/services/beds')) return json(beds());
        if (url === '/api/services/providers') return json({ items: [] });
        if (url === '/api/regions') return json({ regions: [] });
        if (url === '/api/services/meal-points') return json({ items: [point] });
        if (url.startsWith('/api/services/meals/coverage')) return json(coverage);
        if (url.startsWith('/api/services/meals/daily')) return json({ from: '2026-11-18', to: '2026-12-01', items: [] });
        if (url.startsWith('/api/services/meals?')) return json({ items: [], total: 0, page: 1, pageSize: 200 });
        if (url.startsWith('/api/persons?'))
          return json({ items: [{ id: 41, name: '王桂兰', idMasked: '330503********0021', regionName: '城关社区' }], total: 1, page: 1, pageSize: 20 });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });
  const show = async (path: string, element: ReactElement) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={[path]}>
                  <Routes>
                    <Route path={path} element={element} />
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

  it('offers both pages to whoever reads the services, under the services routes', () => {
    expect(
      allowedNav(officer.actions, 'town_officer')
        .filter((n) => n.path === '/services/beds' || n.path === '/services/meals')
        .map((n) => n.path),
    ).toEqual(['/services/beds', '/services/meals']);
    expect(allowedNav(['visits.read'], 'grid_worker').map((n) => n.path)).not.toContain('/services/beds');
    expect(mealsBeds.routes?.map((r) => [r.path, r.action])).toEqual([
      ['services/beds', 'services.read'],
      ['services/meals', 'services.read'],
    ]);
  });

  it('shows the county’s progress to its target beside the beds, with adaptation, devices and this month’s services', async () => {
    await show('/services/beds', <BedsPage />);
    expect(byTestId('mb-beds-target')!.textContent).toContain('已建 116 张 / 目标 580 张');
    expect(byTestId('mb-beds-target')!.textContent).toContain('20%');
    expect(byTestId('mb-beds-by-town')!.textContent).toContain('城关街道');
    const row = byTestId('mb-beds-table')!.querySelector('.ant-table-row')!.textContent!;
    expect(row).toContain('王桂兰');
    expect(row).toContain('330503********0021');
    expect(row).toContain('颐康居家服务中心');
    expect(row).toContain('在用');
    expect(byTestId('mb-bed-open')).toBeTruthy();
  });

  it('names the devices in words, not codes, keeping a kind typed freely and sending the codes back', async () => {
    await show('/services/beds', <BedsPage />);
    await click(byTestId('mb-bed-edit-5'));
    const kind = (i: number) => {
      const el = byTestId(`mb-bed-edit-devices-${i}-kind`)!;
      return ((el.matches('input') ? el : (el.closest('.ant-select') ?? el).querySelector('input')) as HTMLInputElement).value;
    };
    expect([kind(0), kind(1), kind(2)]).toEqual(['智能床垫', '紧急呼叫按钮', '助听器']);
    await click(byTestId('mb-bed-edit-ok'));
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { devices: { kind: string }[] }).devices.map((d) => d.kind)).toEqual(['mattress', 'sos_button', '助听器']);
    // in English too; a label typed in either language is kept as its code
    expect(['mattress', 'sos_button', 'door_sensor', 'smoke_detector', '助听器'].map((k) => deviceKindLabel(k, 'en'))).toEqual([
      'Smart mattress',
      'Emergency call button',
      'Door sensor',
      'Smoke detector',
      '助听器',
    ]);
    expect(['门磁', 'smoke detector', '烟感报警器', '助听器'].map(deviceKindCode)).toEqual(['door_sensor', 'smoke_detector', 'smoke_detector', '助听器']);
  });

  it('closes a bed with its date and reason, asked in a dialog', async () => {
    await show('/services/beds', <BedsPage />);
    await click(byTestId('mb-bed-close-5'));
    expect(document.body.textContent).toContain('撤销王桂兰的家庭养老床位');
    // the reason is required: nothing is sent without it
    await click(byTestId('mb-bed-close-ok'));
    expect(sent).toEqual([]);
    await act(async () => typeText(byTestId('mb-bed-reason'), '入住养老机构'));
    await settle();
    await click(byTestId('mb-bed-close-ok'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/services/beds/5/close');
    expect(sent[0]!.body).toMatchObject({ reason: '入住养老机构' });
    expect((sent[0]!.body as { closedOn: string }).closedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reads in English after the switch, and an inspector changes nothing', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    session = inspector;
    await show('/services/beds', <BedsPage />);
    expect(byTestId('mb-beds-page')!.textContent).toContain('Family care beds');
    expect(byTestId('mb-beds-target')!.textContent).toContain('116 open / target 580');
    expect(byTestId('mb-bed-open')).toBeNull();
    expect(byTestId('mb-bed-close-5')).toBeNull();
  });

  it('shows a meal’s price by the rules before saving, then saves it with a request id', async () => {
    await show('/services/meals', <MealsPage />);
    // the one open point is chosen already; the price waits for the elder
    expect(byTestId('mb-quote')!.textContent).toContain('选好助餐点');
    expect((byTestId('mb-meal-save') as HTMLButtonElement).disabled).toBe(true);
    await pick('mb-meal-person', '王桂兰', '王');
    expect(byTestId('mb-price-paid')!.textContent).toBe('9.00 元');
    expect(byTestId('mb-price-discount')!.textContent).toBe('−6.00 元');
    expect(byTestId('mb-price')!.textContent).toContain('60 周岁以上优惠');
    expect(byTestId('mb-price')!.textContent).toContain('免费送餐');
    expect(byTestId('mb-price')!.textContent).toContain('困难老人优惠');
    expect(sent).toEqual([]);
    await click(byTestId('mb-meal-save'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/services/meals');
    const body = sent[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ pointId: 8, personId: 41, meal: 'lunch', mode: 'dine_in' });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.body.textContent).toContain('已记录：王桂兰 午餐，实付 9.00 元');
  });

  it('shows the server’s refusal in place of a price, and nothing can be saved', async () => {
    quoteRefusal = { status: 409, code: 'MEAL_NOT_ELIGIBLE', message: '该老人（编号 41）在 2026-12-01 时 55 周岁，未满 60 周岁' };
    await show('/services/meals', <MealsPage />);
    await pick('mb-meal-person', '王桂兰', '王');
    expect(byTestId('mb-quote-error')!.textContent).toContain('未满 60 周岁');
    expect(byTestId('mb-price')).toBeNull();
    expect((byTestId('mb-meal-save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows urban and rural coverage against their targets', async () => {
    await show('/services/meals', <MealsPage />);
    const tab = [...document.body.querySelectorAll('.ant-tabs-tab')].find((el) => el.textContent === '覆盖率');
    await click(tab!.querySelector('[role="tab"]') ?? tab!);
    expect(byTestId('mb-coverage-urban')!.textContent).toContain('已覆盖 3 / 4 个');
    expect(byTestId('mb-coverage-urban')!.textContent).toContain('目标 80%');
    expect(byTestId('mb-coverage-urban')!.textContent).toContain('未达标');
    expect(byTestId('mb-coverage-rural')!.textContent).toContain('已达标');
    expect(byTestId('mb-coverage-towns')!.textContent).toContain('3 / 4（75%）');
  });
});
