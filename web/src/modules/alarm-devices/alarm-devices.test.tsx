// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { DevicesPage } from './devices';
import { VendorsPage } from './vendors';
import type { DeviceDetail, DeviceView, VendorView } from './types';

/**
 * The devices and vendors pages (issue 18): state in words, registering a device with the server's
 * refusal at its field, retiring after a second question, a vendor's secret shown once.
 */

const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['register.read', 'alarms.read', 'alarms.devices', 'hotline.read', 'hotline.contacts'],
  csrfToken: 'x',
};
const admin = {
  user: { id: 1, username: 'admin', displayName: '民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '示范县' },
  actions: ['register.read', 'alarms.read', 'alarms.devices', 'alarms.vendors'],
  csrfToken: 'x',
};

const NOW = Date.now();
const device = (over: Partial<DeviceView>): DeviceView => ({
  id: 1,
  serial: 'YY-BTN-0001',
  kind: 'emergency_button',
  model: 'RG-2',
  vendorId: null,
  vendorName: null,
  personId: 41,
  personName: '王桂兰',
  idMasked: '330503************',
  regionCode: '990101001001',
  regionName: '城关社区',
  providerId: 5,
  providerName: '安心居家服务社',
  installedOn: '2026-11-01',
  status: 'active',
  retiredOn: null,
  lastSeenAt: new Date(NOW - 5 * 60_000 - 10_000).toISOString(),
  battery: 86,
  link: 'online',
  hasAddress: true,
  ...over,
});
const devices = [
  device({}),
  device({ id: 2, serial: 'YY-MAT-0002', kind: 'mattress', link: 'offline', battery: 15, lastSeenAt: new Date(NOW - 26 * 3600_000).toISOString() }),
];
const detail = (d: DeviceView): DeviceDetail => ({
  ...d,
  address: '城关社区幸福路 8 号',
  events: [
    {
      id: 9,
      messageId: 'm-9',
      kind: 'sos',
      occurredAt: '2026-11-30T01:00:00.000Z',
      receivedAt: '2026-11-30T01:00:01.000Z',
      via: 'mqtt',
      battery: 86,
      value: null,
      alarmId: 77,
    },
  ],
});
const vendor = (over: Partial<VendorView>): VendorView => ({
  id: 3,
  name: '安康科技',
  keyId: 'v-3f9a01',
  active: true,
  createdAt: '2026-11-20T02:00:00.000Z',
  devices: 12,
  ...over,
});
const SECRET = 's3cr3t-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

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
/** The error text shown under the form field whose input has `testId`. */
const fieldError = (testId: string) =>
  [...(byTestId(testId)?.closest('.ant-form-item')?.querySelectorAll('.ant-form-item-explain-error') ?? [])].map((e) => e.textContent).join(' | ') || null;

describe('the devices and vendor platforms pages', () => {
  const page = pageHarness();
  const show = page.show;
  let session: typeof officer = officer;
  let vendors: VendorView[];
  const sent: { url: string; body: unknown }[] = [];
  const fetched: string[] = [];
  /** the answer of the next POST: ok, or the server's refusal */
  let refusal: { status: number; code: string; message: string; details?: unknown } | null = null;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    refusal = null;
    vendors = [vendor({})];
    sent.length = 0;
    fetched.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        if (init?.method === 'POST') {
          const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
          sent.push({ url, body });
          if (refusal) return json({ error: { code: refusal.code, message: refusal.message, details: refusal.details ?? null } }, refusal.status);
          if (url === '/api/alarms/devices') return json(detail(device({ id: 3, serial: String(body.serial) })), 201);
          if (url === '/api/alarms/devices/2/retire') return json(detail(device({ id: 2, status: 'retired', retiredOn: '2026-11-30' })));
          if (url === '/api/alarms/vendors') {
            const made = vendor({ id: 4, name: String(body.name), keyId: 'v-77aa01', devices: 0 });
            vendors.push(made);
            return json({ ...made, secret: SECRET }, 201);
          }
          return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
        }
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/regions') return json({ regions: [] });
        if (url === '/api/services/providers') return json({ items: [] });
        if (url.startsWith('/api/persons?'))
          // two of one name in one village: told apart by age and the ID's last digits
          return json({
            items: [
              {
                id: 41,
                name: '王桂兰',
                sex: 'F',
                birthDate: '1944-03-02',
                age: 82,
                idMasked: '330503************',
                regionName: '城关社区',
                townName: '城关街道',
              },
              {
                id: 43,
                name: '王桂兰',
                sex: 'F',
                birthDate: '1961-09-01',
                age: 65,
                idMasked: '330503************',
                regionName: '城关社区',
                townName: '城关街道',
              },
            ],
            total: 2,
            page: 1,
            pageSize: 20,
          });
        if (url.startsWith('/api/alarms/devices?')) return json({ items: devices, total: devices.length, page: 1, pageSize: 20 });
        const one = /^\/api\/alarms\/devices\/(\d+)$/.exec(url);
        if (one) return json(detail(devices.find((d) => d.id === Number(one[1])) ?? device({ id: Number(one[1]), serial: 'YY-NEW-0009' })));
        if (url === '/api/alarms/vendors') return json({ items: vendors });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows each device’s state in words: online or offline, the battery in % (low marked), last seen minutes ago', async () => {
    await show('/alarms/devices', '/alarms/devices', <DevicesPage />);
    expect(byTestId('ad-state-1')!.textContent).toContain('在线');
    expect(byTestId('ad-state-1')!.textContent).toContain('电量 86%');
    expect(byTestId('ad-state-1')!.textContent).toContain('最后上报：5 分钟前');
    expect(byTestId('ad-state-2')!.textContent).toContain('离线');
    expect(byTestId('ad-state-2')!.textContent).toContain('电量 15%（电量低）');
    expect(byTestId('ad-state-2')!.textContent).toContain('1 天前');
    expect(byTestId('ad-devices')!.textContent).toContain('红绿双键呼叫器');
    expect(byTestId('ad-devices')!.querySelector('a[href="/hotline/persons/41"]')).toBeTruthy();
  });

  it('filters low batteries over the devices the server sends (it has no battery filter)', async () => {
    await show('/alarms/devices?low=1', '/alarms/devices', <DevicesPage />);
    expect(fetched.some((u) => u.startsWith('/api/alarms/devices?') && u.includes('pageSize=200') && !u.includes('low'))).toBe(true);
    expect(byTestId('ad-state-2')).toBeTruthy();
    expect(byTestId('ad-state-1')).toBeNull();
  });

  it('registers a device for a person and shows the server’s “serial taken” at the serial field, nothing else lost', async () => {
    await show('/alarms/devices', '/alarms/devices', <DevicesPage />);
    await click(byTestId('ad-register'));
    await pick('ad-reg-person', '王桂兰 · 女 · 82 岁 · 城关社区', '王桂兰');
    // the namesake beside her is told apart by age and ID tail
    expect([...document.body.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent)).toEqual([
      '王桂兰 · 女 · 82 岁 · 城关社区',
      '王桂兰 · 女 · 65 岁 · 城关社区',
    ]);
    await act(async () => typeText(byTestId('ad-reg-serial'), 'YY-BTN-0001'));
    await act(async () => typeText(byTestId('ad-reg-address'), '城关社区幸福路 8 号'));
    refusal = {
      status: 409,
      code: 'ALARM_DEVICE_SERIAL_TAKEN',
      message: '序列号 YY-BTN-0001 已登记为设备（编号 1）：同一序列号只能登记一次（已停用的设备仍占用其序列号），未作任何更改',
    };
    await click(byTestId('ad-reg-ok'));
    expect(sent.at(-1)).toMatchObject({
      url: '/api/alarms/devices',
      body: { personId: 41, serial: 'YY-BTN-0001', kind: 'emergency_button', address: '城关社区幸福路 8 号' },
    });
    expect((sent.at(-1)!.body as { installedOn: string }).installedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(fieldError('ad-reg-serial')).toContain('序列号 YY-BTN-0001 已登记为设备');
    // at the field, not in a banner; the dialog stays open with what was typed
    expect(byTestId('ad-reg-error')).toBeNull();
    expect((byTestId('ad-reg-serial') as HTMLInputElement).value).toBe('YY-BTN-0001');
    // a bad serial is refused at the field before anything is sent
    const before = sent.length;
    await act(async () => typeText(byTestId('ad-reg-serial'), '#1'));
    await click(byTestId('ad-reg-ok'));
    expect(sent.length).toBe(before);
    expect(fieldError('ad-reg-serial')).toContain('序列号应为 3–64 位');
  });

  it('puts a validation answer’s field problems at their fields', async () => {
    await show('/alarms/devices', '/alarms/devices', <DevicesPage />);
    await click(byTestId('ad-register'));
    await pick('ad-reg-person', '王桂兰 · 女 · 82 岁 · 城关社区', '王');
    await act(async () => typeText(byTestId('ad-reg-serial'), 'YY-NEW-0009'));
    refusal = { status: 400, code: 'VALIDATION', message: '请求参数有误', details: [{ field: 'body.model', message: '型号过长' }] };
    await click(byTestId('ad-reg-ok'));
    expect(fieldError('ad-reg-model')).toBe('型号过长');
    refusal = null;
    await click(byTestId('ad-reg-ok'));
    expect(byTestId('ad-detail')).toBeTruthy();
  });

  it('opens a device with its last events and a link to the person’s hotline profile; retiring asks again first', async () => {
    await show('/alarms/devices', '/alarms/devices', <DevicesPage />);
    await click(byTestId('ad-open-2'));
    expect(byTestId('ad-detail')!.textContent).toContain('城关社区幸福路 8 号');
    expect(byTestId('ad-events')!.textContent).toContain('红键呼叫');
    expect(byTestId('ad-detail-person')!.getAttribute('href')).toBe('/hotline/persons/41');
    await click(byTestId('ad-retire'));
    expect(sent.length).toBe(0);
    expect(document.body.textContent).toContain('停用设备 YY-MAT-0002？');
    await click(byTestId('ad-retire-ok'));
    expect(sent.at(-1)!.url).toBe('/api/alarms/devices/2/retire');
  });

  it('shows a new vendor’s secret once, with a copy button and a warning, and never again after closing', async () => {
    session = admin;
    await show('/alarms/vendors', '/alarms/vendors', <VendorsPage />);
    expect(byTestId('ad-vendors')!.textContent).toContain('v-3f9a01');
    expect(document.body.textContent).not.toContain(SECRET);
    await click(byTestId('ad-vendor-new'));
    await act(async () => typeText(byTestId('ad-vendor-name'), '康护物联'));
    await click(byTestId('ad-vendor-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/vendors', body: { name: '康护物联' } });
    expect(byTestId('ad-secret')!.textContent).toContain(SECRET);
    expect(byTestId('ad-secret')!.parentElement!.querySelector('.ant-typography-copy')).toBeTruthy();
    expect(byTestId('ad-secret-warning')!.textContent).toContain('只显示这一次');
    await click(byTestId('ad-secret-done'));
    await settle();
    expect(document.body.textContent).not.toContain(SECRET);
    // the list read again shows the vendor by its key id only
    expect(byTestId('ad-vendors')!.textContent).toContain('v-77aa01');
    expect(fetched.filter((u) => u === '/api/alarms/vendors').length).toBeGreaterThan(1);
  });

  it('shows the signing recipe for the vendor’s developers in Chinese or English', async () => {
    session = admin;
    await show('/alarms/vendors', '/alarms/vendors', <VendorsPage />);
    const recipe = byTestId('ad-recipe')!;
    expect(recipe.textContent).toContain('x-yiyang-signature');
    expect(recipe.textContent).toContain('HMAC-SHA256');
    expect(byTestId('ad-recipe-curl')!.textContent).toContain('openssl dgst -sha256 -hmac');
    expect(byTestId('ad-recipe-curl')!.textContent).toContain('x-yiyang-nonce: $NONCE');
    const english = [...recipe.querySelectorAll('.ant-segmented-item')].find((el) => el.textContent === 'English')!;
    await click(english.querySelector('input') ?? english);
    expect(recipe.textContent).toContain('How to sign');
    expect(recipe.textContent).toContain('lower-case hex');
  });
});
