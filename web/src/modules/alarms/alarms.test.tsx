// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { createQueryClient } from '../../shared/query';
import { ConsolePage } from './console';
import { elapsed, orderQueue } from './queue';
import { SupervisorPage } from './supervisor';
import type { AlarmItem, AlarmStepView, ShiftReply, SummaryReply } from './types';
import { AuthProvider } from '../../shared/auth';

/**
 * The operators' console (issue 18): the queue puts waiting alarms first by priority then age and
 * marks escalations; the top waiting alarm is selected and Enter acknowledges it (↑/↓ choose
 * another); another operator's earlier acknowledgement is shown with who; resolving sends the
 * chosen outcome; a live event brings a new alarm in without a reload; the supervisor sees the
 * escalated alarms.
 */

const operator = {
  user: { id: 7, username: 'hotline1', displayName: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', regionName: '示范县' },
  actions: ['alarms.read', 'alarms.handle', 'hotline.read', 'hotline.handle', 'hotline.contacts', 'services.read'],
  csrfToken: 'x',
};
const lead = {
  user: { id: 9, username: 'hotlinelead', displayName: '12349 热线值班长', role: 'hotline_supervisor', regionCode: '990101', regionName: '示范县' },
  actions: [...operator.actions, 'alarms.supervise'],
  csrfToken: 'x',
};

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const alarm = (over: Partial<AlarmItem>): AlarmItem => ({
  id: 1,
  personId: 5,
  personName: '张秀英',
  idMasked: '990101********0021',
  regionCode: '990101001001',
  regionName: '城关社区',
  deviceId: 3,
  deviceKind: 'emergency_button',
  ruleKey: 'sos',
  ruleLabel: { zh: '红键紧急呼叫', en: 'Red button' },
  kind: 'emergency',
  priority: 1,
  state: 'raised',
  raisedAt: ago(10),
  eventCount: 1,
  lastEventAt: ago(10),
  escalation: 0,
  escalatedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  outcome: null,
  followUp: null,
  version: 1,
  ...over,
});
const summary: SummaryReply = {
  person: {
    id: 5,
    name: '张秀英',
    sex: 'F',
    birthDate: '1944-03-02',
    age: 82,
    idMasked: '990101********0021',
    phoneMasked: '138****1234',
    status: 'active',
    regionCode: '990101001001',
    regionName: '城关街道 城关社区',
    address: '城关社区幸福路 12 号',
  },
  contacts: [
    { id: 32, personId: 5, name: '李四', relation: 'neighbour', phoneMasked: '139****0002', rank: 2, updatedAt: ago(9000) },
    { id: 31, personId: 5, name: '张明', relation: 'child', phoneMasked: '137****0001', rank: 1, updatedAt: ago(9000) },
  ],
  devices: [
    {
      id: 3,
      serial: 'SOS-0001',
      kind: 'emergency_button',
      model: null,
      status: 'active',
      link: 'online',
      battery: 15,
      lastSeenAt: ago(30),
      installedOn: '2026-11-01',
    },
  ],
  recentAlarms: [],
  recentVisits: [{ id: 8, kind: 'visit', mode: 'home', performerRole: 'grid_worker', startedAt: ago(86400), durationMinutes: 20, status: 'recorded' }],
  nearestProviders: [{ id: 4, name: '康乐居家养老服务中心', kind: 'home_service', regionCode: '990101001', regionName: '城关街道', reach: 'serving' }],
  openTickets: [],
  openCallbacks: [],
};

/** An alarm as the shift view lists it. */
const line = (a: AlarmItem): ShiftReply['queue'][number]['alarms'][number] => ({
  id: a.id,
  personId: a.personId,
  personName: a.personName,
  idMasked: a.idMasked,
  regionCode: a.regionCode,
  kind: a.kind,
  priority: a.priority,
  state: a.state,
  raisedAt: a.raisedAt,
  escalation: a.escalation,
  acknowledgedAt: a.acknowledgedAt,
  version: a.version,
});

const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const rowIds = () => [...document.body.querySelectorAll('[data-testid^="al-row-"]')].map((e) => Number(e.getAttribute('data-testid')!.slice(7)));
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};
const key = async (k: string) => {
  await act(async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });
  await settle();
};
/** A key pressed where the focus is (as a browser dispatches it), bubbling up to the window. */
const keyOnFocus = async (k: string) => {
  await act(async () => {
    (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });
  await settle();
};
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

/** A window `width` px wide for Ant Design's breakpoints (jsdom matches no media query by itself). */
function widthOf(width: number) {
  vi.stubGlobal('matchMedia', (query: string) => {
    const min = /min-width:\s*(\d+)px/.exec(query);
    const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return {
      matches,
      media: query,
      onchange: null,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => false,
    };
  });
}

/** A stand-in for the server's event stream: the test emits `alarms.alarm`. */
class FakeEventSource {
  static current: FakeEventSource | null = null;
  static CLOSED = 2;
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(public url: string) {
    FakeEventSource.current = this;
    setTimeout(() => this.onopen?.(), 0);
  }
  addEventListener(name: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  removeEventListener(name: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((f) => f !== fn),
    );
  }
  close() {
    this.readyState = 2;
  }
  emit(name: string, data: unknown) {
    for (const fn of this.listeners.get(name) ?? []) fn(new MessageEvent(name, { data: JSON.stringify(data) }));
  }
}

describe('the alarms console', () => {
  let root: Root;
  let container: HTMLDivElement;
  let session: typeof operator = operator;
  let active: AlarmItem[] = [];
  let shift: ShiftReply = { operators: [], queue: [] };
  /** the answer of the next POST to an alarm: ok, or the server's refusal */
  let refusal: { status: number; code: string; message: string } | null = null;
  /** the steps an alarm's detail has after its 'raised' */
  let moreSteps: AlarmStepView[] = [];
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  const fetched: string[] = [];

  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = operator;
    active = [];
    shift = { operators: [], queue: [] };
    refusal = null;
    moreSteps = [];
    sent.length = 0;
    fetched.length = 0;
    widthOf(1440);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        if ((init?.method ?? 'GET') !== 'GET') {
          const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
          sent.push({ url, body });
          if (refusal) return json({ error: { code: refusal.code, message: refusal.message, details: null } }, refusal.status);
          const ackd = /^\/api\/alarms\/alarms\/(\d+)\/ack$/.exec(url);
          if (ackd) {
            active = active.map((a) =>
              a.id === Number(ackd[1])
                ? { ...a, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: new Date().toISOString() }
                : a,
            );
            return json(active.find((a) => a.id === Number(ackd[1])));
          }
          const assigned = /^\/api\/alarms\/alarms\/(\d+)\/assign$/.exec(url);
          if (assigned) {
            // the shift moves the alarm to its new holder, one version on
            const id = Number(assigned[1]);
            // a waiting alarm given out becomes acknowledged by whoever gets it
            const waiting = shift.queue.flatMap((g) => g.alarms).find((h) => h.id === id);
            const moved = waiting
              ? { ...waiting, state: 'acknowledged' as const, acknowledgedAt: new Date().toISOString() }
              : shift.operators.flatMap((o) => o.holding).find((h) => h.id === id)!;
            shift = {
              queue: shift.queue.map((g) => ({ ...g, alarms: g.alarms.filter((h) => h.id !== id) })),
              operators: shift.operators.map((o) => ({
                ...o,
                holding: [...o.holding.filter((h) => h.id !== id), ...(o.id === body.to ? [{ ...moved, version: moved.version + 1 }] : [])],
              })),
            };
            return json({ ok: true });
          }
          const resolved = /^\/api\/alarms\/alarms\/(\d+)\/resolve$/.exec(url);
          if (resolved) active = active.filter((a) => a.id !== Number(resolved[1]));
          if (/\/contacts\/31\/reveal$/.test(url)) return json({ id: 31, personId: 5, name: '张明', phone: '13700000001' });
          return json({ ok: true });
        }
        if (url === '/api/auth/me') return json(session);
        if (url.startsWith('/api/alarms/alarms?')) return json({ items: active, total: active.length });
        const one = /^\/api\/alarms\/alarms\/(\d+)$/.exec(url);
        if (one) {
          const a = active.find((x) => x.id === Number(one[1]));
          return a
            ? json({
                ...a,
                steps: [{ id: 1, at: a.raisedAt, by: null, kind: 'raised', action: null, note: null }, ...moreSteps],
                events: [],
                deviceSerial: 'SOS-0001',
              })
            : json({ error: { code: 'NOT_FOUND', message: '告警不存在', details: null } }, 404);
        }
        if (url === '/api/alarms/persons/5/summary') return json(summary);
        if (url === '/api/alarms/shift') return json(shift);
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
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
    FakeEventSource.current = null;
  });
  const show = async (element: ReactElement) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={['/alarms']}>
                  <Routes>
                    <Route path="/alarms" element={element} />
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

  it('orders the queue: waiting first by priority then age, alarms in hand last', () => {
    const q = orderQueue([
      alarm({ id: 1, priority: 2, raisedAt: ago(300) }),
      alarm({ id: 2, priority: 1, raisedAt: ago(20) }),
      alarm({ id: 3, priority: 1, raisedAt: ago(90) }),
      alarm({ id: 4, priority: 1, raisedAt: ago(900), state: 'acknowledged', acknowledgedBy: { id: 8, name: '乙' } }),
      alarm({ id: 5, priority: 4, raisedAt: ago(5) }),
    ]);
    expect(q.map((a) => a.id)).toEqual([3, 2, 1, 5, 4]);
  });

  it('counts the wait as m:ss, h:mm:ss after an hour, never below zero', () => {
    const now = Date.parse('2026-11-30T22:00:00.000Z');
    expect(elapsed('2026-11-30T21:59:05.000Z', now)).toBe('0:55');
    expect(elapsed('2026-11-30T20:58:59.000Z', now)).toBe('1:01:01');
    expect(elapsed('2026-11-30T22:00:03.000Z', now)).toBe('0:00');
  });

  it('shows the queue in that order with waiting timers, the escalated alarms marked 超时 and 值班长', async () => {
    active = [
      alarm({ id: 11, kind: 'battery_low', priority: 4, raisedAt: ago(600), escalation: 2 }),
      alarm({ id: 12, kind: 'fall', priority: 1, raisedAt: ago(40), escalation: 1 }),
      alarm({ id: 13, priority: 1, raisedAt: ago(5) }),
      alarm({
        id: 14,
        priority: 1,
        raisedAt: ago(800),
        state: 'acknowledged',
        acknowledgedBy: { id: 8, name: '12349 热线接线员乙' },
        acknowledgedAt: ago(700),
      }),
    ];
    await show(<ConsolePage />);
    expect(rowIds()).toEqual([12, 13, 11, 14]);
    expect(byTestId('al-escalation-12')?.textContent).toBe('超时');
    expect(byTestId('al-escalation-11')?.textContent).toBe('值班长');
    expect(byTestId('al-escalation-13')).toBeNull();
    expect(byTestId('al-row-12')?.className).toContain('al-row-escalated');
    expect(byTestId('al-row-12')?.textContent).toMatch(/等待 \d+:\d\d/);
    expect(byTestId('al-row-14')?.textContent).toContain('12349 热线接线员乙 接警');
    // an alarm in hand is not offered for acknowledgement
    expect(byTestId('al-ack-14')).toBeNull();
    // the top waiting alarm is the selected one, its detail beside the queue at a desk
    expect(byTestId('al-row-12')?.getAttribute('aria-selected')).toBe('true');
    expect(byTestId('al-detail')?.textContent).toContain('跌倒');
  });

  it("pins the operator's own alarms in hand above 40 waiting ones, in a section of their own", async () => {
    active = [
      ...Array.from({ length: 40 }, (_, i) => alarm({ id: 100 + i, priority: 2, raisedAt: ago(400 - i) })),
      alarm({ id: 150, state: 'acknowledged', acknowledgedBy: { id: 8, name: '12349 热线接线员乙' }, acknowledgedAt: ago(50) }),
      alarm({ id: 151, priority: 3, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(60) }),
      alarm({ id: 152, priority: 1, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(30) }),
    ];
    await show(<ConsolePage />);
    const ids = rowIds();
    expect(ids.slice(0, 3)).toEqual([152, 151, 100]);
    expect(ids.at(-1)).toBe(150);
    expect(byTestId('al-mine-heading')?.textContent).toBe('我正在处置（2）');
    const rest = byTestId('al-rest-heading')!;
    expect(byTestId('al-row-151')!.compareDocumentPosition(rest) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(rest.compareDocumentPosition(byTestId('al-row-100')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // the top waiting alarm is still the one selected, the one Enter acknowledges
    expect(byTestId('al-row-100')?.getAttribute('aria-selected')).toBe('true');
    await key('Enter');
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/100/ack']);
  });

  it('acknowledges the selected alarm with Enter, and another one chosen with ↓ with A', async () => {
    active = [alarm({ id: 21, priority: 2, raisedAt: ago(60) }), alarm({ id: 22, priority: 1, raisedAt: ago(10) }), alarm({ id: 23, priority: 3 })];
    await show(<ConsolePage />);
    expect(rowIds()).toEqual([22, 21, 23]);
    await key('Enter');
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/22/ack']);
    await settle();
    // now in hand: the actions are offered; the next key moves on to the top waiting alarm
    expect(byTestId('al-row-22')?.textContent).toContain('我已接警');
    expect(byTestId('al-action-called_elder')).toBeTruthy();
    // 22 is now pinned first, in the operator's own section, above the waiting ones
    expect(rowIds()).toEqual([22, 21, 23]);
    await key('ArrowDown'); // 22 → 21
    expect(byTestId('al-row-21')?.getAttribute('aria-selected')).toBe('true');
    expect(byTestId('al-row-23')?.getAttribute('aria-selected')).toBe('false');
    await key('ArrowUp');
    await key('ArrowUp'); // stays on the first
    expect(byTestId('al-row-22')?.getAttribute('aria-selected')).toBe('true');
    await key('ArrowDown');
    await key('ArrowDown');
    expect(byTestId('al-row-23')?.getAttribute('aria-selected')).toBe('true');
    await key('a');
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/22/ack', '/api/alarms/alarms/23/ack']);
  });

  it('does not acknowledge while the operator types a note', async () => {
    active = [
      alarm({ id: 31, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(5) }),
      alarm({ id: 32, priority: 3 }),
    ];
    await show(<ConsolePage />);
    await click(byTestId('al-row-31'));
    const note = byTestId('al-note') as HTMLTextAreaElement;
    expect(note).toBeTruthy();
    await act(async () => {
      note.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
      note.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await settle();
    expect(sent).toEqual([]);
  });

  it('says who acknowledged first when the server answers 409', async () => {
    active = [alarm({ id: 41 })];
    refusal = { status: 409, code: 'ALARM_ALREADY_ACKNOWLEDGED', message: '告警 #41 已由 12349 热线接线员乙 于 22:01:05 接警，未做任何更改' };
    await show(<ConsolePage />);
    await click(byTestId('al-ack-41'));
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/41/ack']);
    expect(byTestId('al-ack-error-41')?.textContent).toContain('已由 12349 热线接线员乙 于 22:01:05 接警');
  });

  it('records an action with its note, and resolves with the chosen outcome', async () => {
    active = [alarm({ id: 51, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(5) })];
    await show(<ConsolePage />);
    const note = byTestId('al-note') as HTMLTextAreaElement;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(note, '老人说按错了');
      note.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(byTestId('al-action-called_elder'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/51/actions', body: { action: 'called_elder', note: '老人说按错了' } });
    await click(byTestId('al-resolve'));
    // no outcome chosen: nothing is sent
    await click(byTestId('al-resolve-ok'));
    expect(sent).toHaveLength(1);
    expect(byTestId('al-resolve-error')?.textContent).toContain('请选择办结结果');
    await pick('al-outcome', '误报');
    await click(byTestId('al-resolve-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/51/resolve', body: { outcome: 'false_alarm' } });
    await settle();
    expect(rowIds()).toEqual([]);
  });

  it('after the 办结 dialog closes (resolved or cancelled) the focus is back on the queue: the next Enter acknowledges', async () => {
    active = [
      alarm({ id: 55, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(5) }),
      alarm({ id: 56, priority: 2, raisedAt: ago(30) }),
    ];
    await show(<ConsolePage />);
    // the operator works on the alarm in hand: the dialog opened from its 办结 button, then cancelled
    await click(byTestId('al-row-55'));
    const resolveButton = byTestId('al-resolve') as HTMLButtonElement;
    await act(async () => resolveButton.focus());
    await click(resolveButton);
    await click(document.body.querySelector('.ant-modal .ant-modal-close'));
    expect(document.body.querySelector('.ant-modal')).toBeNull();
    expect(document.activeElement).toBe(byTestId('al-queue'));
    // Enter where the focus is: on the held alarm it moves to the waiting one
    await keyOnFocus('Enter');
    expect(byTestId('al-row-56')?.getAttribute('aria-selected')).toBe('true');
    expect(sent).toEqual([]);
    // back to the held one, resolved through the dialog
    await click(byTestId('al-row-55'));
    await act(async () => (byTestId('al-resolve') as HTMLButtonElement).focus());
    await click(byTestId('al-resolve'));
    await pick('al-outcome', '测试');
    await click(byTestId('al-resolve-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/55/resolve', body: { outcome: 'test' } });
    await settle();
    expect(rowIds()).toEqual([56]);
    expect(document.body.querySelector('.ant-modal')).toBeNull();
    expect(document.activeElement).toBe(byTestId('al-queue'));
    // one Enter, and the waiting alarm is acknowledged
    await keyOnFocus('Enter');
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/55/resolve', '/api/alarms/alarms/56/ack']);
  });

  it('lists the emergency contacts in call order and reveals a number only on 拨打', async () => {
    active = [alarm({ id: 61 })];
    await show(<ConsolePage />);
    const person = byTestId('al-detail')!.textContent!;
    expect(person).toContain('城关社区幸福路 12 号');
    expect(person.indexOf('张明')).toBeLessThan(person.indexOf('李四'));
    expect(person).not.toContain('13700000001');
    await click(byTestId('al-dial-31'));
    expect(sent.at(-1)?.url).toBe('/api/alarms/contacts/31/reveal');
    expect(byTestId('al-contact-phone-31')?.getAttribute('href')).toBe('tel:13700000001');
  });

  it('shows a new alarm pushed live, without a reload', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    active = [alarm({ id: 71, priority: 3, kind: 'service_request' })];
    await show(<ConsolePage />);
    expect(rowIds()).toEqual([71]);
    // another alarm's change refreshes the queue, not the open alarm's detail (an audited read)
    const reads = (u: string) => fetched.filter((f) => f === u).length;
    const [lists, details] = [reads('/api/alarms/alarms?state=active&pageSize=200'), reads('/api/alarms/alarms/71')];
    expect(details).toBeGreaterThan(0);
    await act(async () =>
      FakeEventSource.current!.emit('alarms.alarm', {
        id: 99,
        state: 'resolved',
        kind: 'fall',
        priority: 1,
        escalation: 0,
        regionCode: '990101002',
        at: ago(0),
      }),
    );
    await settle();
    expect(reads('/api/alarms/alarms?state=active&pageSize=200')).toBeGreaterThan(lists);
    expect(reads('/api/alarms/alarms/71')).toBe(details);
    active = [...active, alarm({ id: 72 })];
    await act(async () =>
      FakeEventSource.current!.emit('alarms.alarm', {
        id: 72,
        state: 'raised',
        kind: 'emergency',
        priority: 1,
        escalation: 0,
        regionCode: '990101001001',
        at: ago(0),
      }),
    );
    await settle();
    expect(rowIds()).toEqual([72, 71]);
    // the new top waiting alarm is the selected one: Enter takes it
    await key('Enter');
    expect(sent.map((s) => s.url)).toEqual(['/api/alarms/alarms/72/ack']);
  });

  it('opens the detail in a drawer on a tablet', async () => {
    widthOf(1024);
    active = [alarm({ id: 81 })];
    await show(<ConsolePage />);
    expect(byTestId('al-detail')).toBeNull();
    await click(byTestId('al-row-81'));
    expect(byTestId('al-detail')?.closest('.ant-drawer')).toBeTruthy();
  });

  it('shows the supervisor the escalated alarms and what each operator holds', async () => {
    session = lead;
    const held = line(alarm({ id: 92, state: 'acknowledged', acknowledgedAt: ago(30), kind: 'fall' }));
    shift = {
      operators: [
        { id: 7, name: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', holding: [held] },
        { id: 8, name: '12349 热线接线员乙', role: 'hotline_operator', regionCode: '990101', holding: [] },
      ],
      queue: [
        { escalation: 2, alarms: [line(alarm({ id: 93, escalation: 2, raisedAt: ago(200) }))] },
        { escalation: 0, alarms: [line(alarm({ id: 91, escalation: 0, raisedAt: ago(10) }))] },
      ],
    };
    await show(<SupervisorPage />);
    const escalated = byTestId('al-sup-escalated')!;
    expect(escalated.querySelector('[data-testid="al-escalation-93"]')?.textContent).toBe('值班长');
    expect(escalated.querySelectorAll('[data-testid^="al-sup-row-"]')).toHaveLength(1);
    // the queue does not repeat the escalated alarm
    expect([...byTestId('al-sup-queue')!.querySelectorAll('[data-testid^="al-sup-row-"]')].map((e) => e.getAttribute('data-testid'))).toEqual([
      'al-sup-row-91',
    ]);
    const ops = byTestId('al-sup-operators')!.textContent!;
    expect(ops).toContain('12349 热线接线员乙');
    expect(ops).toContain('空闲');
    expect(ops).toContain('跌倒');
  });

  it('lets the supervisor take a held alarm over (接管) or give it to another operator (转派), on the version the shift showed', async () => {
    session = lead;
    const held = line(alarm({ id: 94, state: 'acknowledged', acknowledgedAt: ago(60), kind: 'fall', version: 3 }));
    shift = {
      operators: [
        { id: 7, name: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', holding: [held] },
        { id: 8, name: '12349 热线接线员乙', role: 'hotline_operator', regionCode: '990101', holding: [] },
        { id: 9, name: '12349 热线值班长', role: 'hotline_supervisor', regionCode: '990101', holding: [] },
      ],
      queue: [],
    };
    await show(<SupervisorPage />);
    const holderOf = (id: number) =>
      [...byTestId('al-sup-operators')!.querySelectorAll('tr[data-row-key]')]
        .filter((tr) => tr.querySelector(`[data-testid="al-sup-row-${id}"]`))
        .map((tr) => Number(tr.getAttribute('data-row-key')));
    expect(holderOf(94)).toEqual([7]);

    // 转派: to whom (not the one who holds it), why; the server's refusal stays in the dialog
    await click(byTestId('al-sup-give-94'));
    const options = async () => {
      const select = byTestId('al-sup-assign-to')!.closest('.ant-select')!;
      await act(async () => {
        select.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      });
      await settle();
      return [...document.body.querySelectorAll('.ant-select-item-option')].map((o) => o.getAttribute('title'));
    };
    expect(await options()).toEqual(['12349 热线接线员乙', '12349 热线值班长']);
    await click(byTestId('al-sup-assign-ok'));
    expect(sent).toEqual([]);
    expect(byTestId('al-sup-assign-error')?.textContent).toContain('请选择');
    await pick('al-sup-assign-to', '12349 热线接线员乙');
    const reason = byTestId('al-sup-assign-reason') as HTMLTextAreaElement;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(reason, '甲坐席处理另一起跌倒');
      reason.dispatchEvent(new Event('input', { bubbles: true }));
    });
    refusal = { status: 409, code: 'ALARM_CHANGED_BY', message: '告警（编号 94）已由 12349 热线接线员 于 22:01:05 更改：请刷新后重试，未做任何更改' };
    await click(byTestId('al-sup-assign-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/94/assign', body: { to: 8, version: 3, reason: '甲坐席处理另一起跌倒' } });
    expect(byTestId('al-sup-assign-error')?.textContent).toContain('已由 12349 热线接线员 于 22:01:05 更改');
    refusal = null;
    await click(byTestId('al-sup-assign-ok'));
    await settle();
    expect(document.body.querySelector('.ant-modal')).toBeNull();
    expect(holderOf(94)).toEqual([8]);

    // 接管: the supervisor holds it, on the version the shift now shows
    await click(byTestId('al-sup-take-94'));
    await click(byTestId('al-sup-assign-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/94/assign', body: { to: 9, version: 4 } });
    await settle();
    expect(holderOf(94)).toEqual([9]);
    // nothing to take over from oneself
    expect(byTestId('al-sup-take-94')).toBeNull();
  });

  it('at 1024 px puts the operators first and shows ten waiting alarms a page, none twice', async () => {
    widthOf(1024);
    session = lead;
    const escalatedAlarms = Array.from({ length: 43 }, (_, i) => line(alarm({ id: 200 + i, escalation: i < 3 ? 2 : 1, raisedAt: ago(900 - i) })));
    const queued = Array.from({ length: 12 }, (_, i) => line(alarm({ id: 300 + i, escalation: 0, raisedAt: ago(100 - i) })));
    shift = {
      operators: [
        { id: 7, name: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', holding: [] },
        { id: 8, name: '12349 热线接线员乙', role: 'hotline_operator', regionCode: '990101', holding: [] },
      ],
      queue: [
        { escalation: 2, alarms: escalatedAlarms.slice(0, 3) },
        { escalation: 1, alarms: escalatedAlarms.slice(3) },
        { escalation: 0, alarms: queued },
      ],
    };
    await show(<SupervisorPage />);
    const ops = byTestId('al-sup-operators')!;
    const esc = byTestId('al-sup-escalated')!;
    expect(ops.compareDocumentPosition(esc) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const rowsIn = (el: Element) => [...el.querySelectorAll('[data-testid^="al-sup-row-"]')].map((e) => Number(e.getAttribute('data-testid')!.slice(11)));
    expect(rowsIn(esc)).toEqual(escalatedAlarms.slice(0, 10).map((a) => a.id));
    expect(rowsIn(byTestId('al-sup-queue')!)).toEqual(queued.slice(0, 10).map((a) => a.id));
    // the next page of the escalated list
    await click(esc.querySelector('.ant-pagination-item-2'));
    expect(rowsIn(byTestId('al-sup-escalated')!)).toEqual(escalatedAlarms.slice(10, 20).map((a) => a.id));
  });

  it('lets the supervisor put someone on an escalated alarm nobody acknowledged (接管 or 转派)', async () => {
    session = lead;
    shift = {
      operators: [
        { id: 7, name: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', holding: [] },
        { id: 8, name: '12349 热线接线员乙', role: 'hotline_operator', regionCode: '990101', holding: [] },
        { id: 9, name: '12349 热线值班长', role: 'hotline_supervisor', regionCode: '990101', holding: [] },
      ],
      queue: [
        { escalation: 2, alarms: [line(alarm({ id: 96, escalation: 2, raisedAt: ago(300) }))] },
        { escalation: 0, alarms: [line(alarm({ id: 97, escalation: 0, raisedAt: ago(20) }))] },
      ],
    };
    await show(<SupervisorPage />);
    await click(byTestId('al-sup-give-96'));
    expect(document.body.querySelector('.ant-modal')?.textContent).toContain('尚无人接警');
    await pick('al-sup-assign-to', '12349 热线接线员乙');
    await click(byTestId('al-sup-assign-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/96/assign', body: { to: 8, version: 1 } });
    await settle();
    expect(byTestId('al-sup-escalated')!.querySelector('[data-testid="al-sup-row-96"]')).toBeNull();
    expect(byTestId('al-sup-operators')!.querySelector('tr[data-row-key="8"] [data-testid="al-sup-row-96"]')).toBeTruthy();
    // 接管 from the queue: to the supervisor
    await click(byTestId('al-sup-take-97'));
    await click(byTestId('al-sup-assign-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/97/assign', body: { to: 9, version: 1 } });
  });

  it('offers a supervisor who does not handle alarms (the bureau) 转派 only', async () => {
    session = { ...lead, user: { ...lead.user, id: 1, role: 'bureau_admin' }, actions: ['alarms.read', 'alarms.supervise'] };
    shift = {
      operators: [
        { id: 7, name: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', holding: [line(alarm({ id: 95, state: 'acknowledged' }))] },
      ],
      queue: [],
    };
    await show(<SupervisorPage />);
    expect(byTestId('al-sup-give-95')).toBeTruthy();
    expect(byTestId('al-sup-take-95')).toBeNull();
  });

  it('shows the operator who lost an alarm to a reassignment that it moved, live', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    active = [alarm({ id: 57, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(20), version: 2 })];
    await show(<ConsolePage />);
    expect(byTestId('al-row-57')?.textContent).toContain('我已接警');
    active = [{ ...active[0]!, acknowledgedBy: { id: 8, name: '12349 热线接线员乙' }, version: 3 }];
    moreSteps = [
      { id: 2, at: ago(20), by: { id: 7, name: '12349 热线接线员' }, kind: 'acknowledged', action: null, note: null },
      { id: 3, at: ago(1), by: { id: 9, name: '12349 热线值班长' }, kind: 'assigned', action: '12349 热线接线员乙', note: '甲坐席处理另一起跌倒' },
    ];
    await act(async () =>
      FakeEventSource.current!.emit('alarms.alarm', {
        id: 57,
        state: 'acknowledged',
        kind: 'emergency',
        priority: 1,
        escalation: 0,
        regionCode: '990101001001',
        at: ago(0),
      }),
    );
    await settle();
    expect(byTestId('al-row-57')?.textContent).toContain('12349 热线接线员乙 接警');
    expect(byTestId('al-row-57')?.textContent).not.toContain('我已接警');
    // the steps say who gave it to whom, and why
    const steps = byTestId('al-detail')!.textContent!;
    expect(steps).toContain('转派给 12349 热线接线员乙');
    expect(steps).toContain('12349 热线值班长');
    expect(steps).toContain('甲坐席处理另一起跌倒');
    // the dialog's promise holds: the panel says who handles it now, and its buttons are off
    expect(byTestId('al-detail-held-by')?.textContent).toContain('已由 12349 热线接线员乙 处置');
    expect((byTestId('al-action-called_elder') as HTMLButtonElement).disabled).toBe(true);
    expect((byTestId('al-resolve') as HTMLButtonElement).disabled).toBe(true);
  });

  it('on an alarm another user holds, an operator sees who and cannot act or resolve; a supervisor can', async () => {
    active = [alarm({ id: 58, state: 'acknowledged', acknowledgedBy: { id: 9, name: '12349 热线值班长' }, acknowledgedAt: ago(20), version: 3 })];
    await show(<ConsolePage />);
    await click(byTestId('al-row-58'));
    expect(byTestId('al-detail-held-by')?.textContent).toContain('已由 12349 热线值班长 处置');
    for (const id of ['al-action-called_elder', 'al-action-other', 'al-resolve', 'al-note-save'])
      expect((byTestId(id) as HTMLButtonElement).disabled, id).toBe(true);
    await click(byTestId('al-resolve'));
    expect(document.body.querySelector('.ant-modal')).toBeNull();
    expect(sent).toEqual([]);
    act(() => root.unmount());
    root = createRoot(container);

    // the supervisor sees who holds it and may still work it
    session = lead;
    active = [alarm({ id: 58, state: 'acknowledged', acknowledgedBy: { id: 7, name: '12349 热线接线员' }, acknowledgedAt: ago(20), version: 3 })];
    await show(<ConsolePage />);
    await click(byTestId('al-row-58'));
    expect(byTestId('al-detail-held-by')?.textContent).toContain('已由 12349 热线接线员 处置');
    expect((byTestId('al-resolve') as HTMLButtonElement).disabled).toBe(false);
    await click(byTestId('al-action-called_elder'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/alarms/58/actions', body: { action: 'called_elder' } });
  });
});
