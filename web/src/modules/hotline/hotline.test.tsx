// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { CallbacksPage } from './callbacks';
import { PersonPage } from './person';
import { TicketsPage } from './tickets';
import { VisitsWorkbenchCard } from '../visits/workbench';
import { hotline } from '.';
import type { ArticleView, CallbackView, ContactView, KnowledgeReply, OverridesReply, SummaryReply, TicketDetail, TicketView } from './types';

/**
 * The hotline's pages (issue 18): a call recorded as a ticket with the knowledge base's answer,
 * complaints' deadlines, a return call's outcome, a person's profile with contacts revealed to dial
 * and the alarm rules changed for them in words.
 */

const operator = {
  user: { id: 8, username: 'hotline1', displayName: '12349 热线接线员', role: 'hotline_operator', regionCode: '990101', regionName: '示范县' },
  actions: ['register.read', 'alarms.read', 'alarms.handle', 'hotline.read', 'hotline.handle', 'hotline.contacts'],
  csrfToken: 'x',
};
const gridWorker = {
  user: { id: 31, username: 'grid1', displayName: '城关社区网格员', role: 'grid_worker', regionCode: '990101001001', regionName: '城关社区' },
  actions: ['register.read', 'visits.record', 'hotline.contacts'],
  csrfToken: 'x',
};
const supervisor = { ...operator, actions: [...operator.actions, 'alarms.devices', 'alarms.supervise', 'hotline.knowledge'] };

const person = { id: 41, name: '王桂兰', idMasked: '330503************' };
/** The register's search answer for 王桂兰: two of one name in one village, told apart by age (their IDs' masks show only the region of issue). */
const namesakes = [
  { ...person, sex: 'F', birthDate: '1944-03-02', age: 82, regionName: '城关社区', townName: '城关街道' },
  { id: 42, name: '王桂兰', idMasked: '330503************', sex: 'F', birthDate: '1959-06-10', age: 67, regionName: '城关社区', townName: '城关街道' },
];
const ticket = (over: Partial<TicketView>): TicketView => ({
  id: 11,
  kind: 'consultation',
  status: 'open',
  person,
  regionCode: '990101001001',
  regionName: '城关社区',
  callerName: '王女士',
  callerPhoneMasked: '138****1234',
  subject: '咨询助餐',
  alarmId: null,
  articleId: null,
  articleTitle: null,
  followUp: null,
  visitFollowupId: null,
  operator: { id: 8, name: '12349 热线接线员' },
  openedAt: '2026-11-30T02:00:00.000Z',
  closedAt: null,
  dueAt: null,
  overdue: false,
  outcome: null,
  ...over,
});
const tickets = [
  ticket({}),
  ticket({ id: 12, kind: 'complaint', subject: '助洁员迟到', dueAt: '2026-11-25T02:00:00.000Z', overdue: true }),
  ticket({ id: 13, kind: 'complaint', subject: '送餐偏咸', dueAt: '2026-12-05T02:00:00.000Z', overdue: false }),
];
const article: ArticleView = {
  id: 5,
  title: '助餐服务怎么申请',
  body: '年满 60 周岁的本县户籍老人可到村（社区）助餐点登记……',
  keywords: ['助餐', '老年食堂'],
  itemId: 'C-07',
  itemName: '老年助餐补贴',
  active: true,
  updatedAt: '2026-11-20T02:00:00.000Z',
};
const knowledge: KnowledgeReply = {
  articles: [article],
  items: [
    {
      id: 'C-07',
      no: '07',
      name: '老年助餐补贴',
      target: '60 周岁以上老人',
      content: '每餐补贴 3 元',
      department: '乡镇（街道）民政办',
      conditions: { zh: '本县户籍', en: 'Registered in the county' },
      amount: { zh: '每餐 3 元', en: '3 yuan a meal' },
      articleIds: [5],
    },
  ],
};
const callback = (over: Partial<CallbackView>): CallbackView => ({
  id: 5,
  person,
  regionCode: '990101001001',
  regionName: '城关社区',
  alarmId: 77,
  ticketId: null,
  dueOn: '2026-11-30',
  status: 'open',
  overdue: false,
  noAnswers: 0,
  outcome: null,
  doneAt: null,
  doneBy: null,
  ...over,
});
const contact = (over: Partial<ContactView>): ContactView => ({
  id: 7,
  personId: 41,
  name: '李建国',
  relation: 'child',
  phoneMasked: '139****5678',
  rank: 1,
  updatedAt: '2026-11-20T02:00:00.000Z',
  ...over,
});
const overrides: OverridesReply = {
  personId: 41,
  personName: '王桂兰',
  idMasked: '330503************',
  rules: [
    {
      ruleKey: 'no_movement',
      ruleLabel: { zh: '长时间无活动', en: 'No movement' },
      rule: { minutes: 720, hours: { from: '08:00', to: '20:00' } },
      override: {
        enabled: true,
        minutes: 900,
        hours: null,
        reason: '夜班工作，白天睡觉',
        setBy: { id: 2, name: '城关街道工作人员' },
        setAt: '2026-11-28T02:00:00.000Z',
      },
    },
    {
      ruleKey: 'door_night',
      ruleLabel: { zh: '夜间开门', en: 'Door at night' },
      rule: { minutes: null, hours: { from: '23:00', to: '05:00' } },
      override: null,
    },
  ],
};
const summary = (): SummaryReply => ({
  person: {
    id: 41,
    name: '王桂兰',
    sex: 'F',
    birthDate: '1942-03-02',
    age: 84,
    idMasked: '330503************',
    phoneMasked: '137****0001',
    status: 'active',
    regionCode: '990101001001',
    regionName: '城关社区',
    address: '城关社区幸福路 8 号',
  },
  contacts,
  devices: [
    {
      id: 1,
      serial: 'YY-BTN-0001',
      kind: 'emergency_button',
      model: null,
      status: 'active',
      link: 'offline',
      battery: 12,
      lastSeenAt: '2026-11-28T02:00:00.000Z',
      installedOn: '2026-11-01',
    },
  ],
  recentAlarms: [
    { id: 77, kind: 'fall', priority: 1, state: 'resolved', raisedAt: '2026-11-29T02:00:00.000Z', resolvedAt: '2026-11-29T02:10:00.000Z', outcome: 'real' },
  ],
  recentVisits: [],
  nearestProviders: [{ id: 5, name: '安心居家服务社', kind: 'home_service', regionCode: '990101001001', regionName: '城关社区', reach: 'serving' }],
  openTickets: [tickets[1]!],
  openCallbacks: [],
});
let contacts: ContactView[] = [];

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
/** The input an Ant Design radio's test id names (antd puts it on the input or on its label). */
const inputOf = (id: string) => {
  const el = byTestId(id);
  return el?.matches('input') ? el : (el?.querySelector('input') ?? null);
};
const fieldError = (testId: string) =>
  [...(byTestId(testId)?.closest('.ant-form-item')?.querySelectorAll('.ant-form-item-explain-error') ?? [])].map((e) => e.textContent).join(' | ') || null;

describe('the hotline pages', () => {
  const page = pageHarness();
  const show = page.show;
  let session: typeof operator = operator;
  const sent: { url: string; method: string; body: unknown }[] = [];
  const fetched: string[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = operator;
    contacts = [contact({}), contact({ id: 8, name: '张阿姨', relation: 'neighbour', phoneMasked: '136****4321', rank: 2 })];
    sent.length = 0;
    fetched.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        const method = init?.method ?? 'GET';
        fetched.push(url);
        if (method !== 'GET') {
          const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
          sent.push({ url, method, body });
          if (url === '/api/alarms/hotline/tickets') {
            const made: TicketDetail = {
              ...ticket({ id: 21, kind: body.kind as TicketView['kind'], subject: String(body.subject), articleId: 5, articleTitle: article.title }),
              dueAt: '2026-12-05T02:00:00.000Z',
              notes: null,
              closeNote: null,
              earlierCalls: [{ id: 11, kind: 'consultation', status: 'open', subject: '咨询助餐', openedAt: '2026-11-30T02:00:00.000Z' }],
            };
            tickets.push(made);
            return json({ ...made, complaintTracking: body.kind === 'complaint' ? 'TS-7K3M-Q9XA-2BCD-EF4G' : null }, 201);
          }
          if (url === '/api/alarms/hotline/callbacks/5/done')
            return json({ ...callback({ noAnswers: 1 }), notice: { zh: '未接通（第 1 次），还可再打 2 次', en: 'No answer (1st); 2 tries left' } });
          if (url === '/api/alarms/contacts/7/reveal') return json({ id: 7, personId: 41, name: '李建国', phone: '13912345678' });
          const patched = /^\/api\/alarms\/contacts\/(\d+)$/.exec(url);
          if (patched && method === 'PATCH') return json({ ...contacts.find((c) => c.id === Number(patched[1]))!, ...body });
          if (url === '/api/alarms/persons/41/contacts') {
            const made = contact({ id: 9, name: String(body.name), relation: body.relation as ContactView['relation'], phoneMasked: '135****9999', rank: 3 });
            contacts.push(made);
            return json(made, 201);
          }
          return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
        }
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/persons/41') return json({ person: { ...person, regionName: '城关社区' }, attributes: [], conflicts: [], history: [] });
        if (url.startsWith('/api/persons?')) return json({ items: namesakes, total: namesakes.length, page: 1, pageSize: 20 });
        if (url.startsWith('/api/alarms/hotline/tickets?')) return json({ items: tickets, total: tickets.length, page: 1, pageSize: 20 });
        const one = /^\/api\/alarms\/hotline\/tickets\/(\d+)$/.exec(url);
        if (one) {
          const tk = tickets.find((x) => x.id === Number(one[1]))!;
          return json({
            ...tk,
            notes: null,
            closeNote: null,
            earlierCalls: tk.id === 21 ? [{ id: 11, kind: 'consultation', status: 'open', subject: '咨询助餐', openedAt: tk.openedAt }] : [],
          });
        }
        if (url.startsWith('/api/alarms/hotline/knowledge')) return json(url.includes('q=') ? knowledge : { articles: [], items: [] });
        if (url.startsWith('/api/alarms/hotline/callbacks?')) return json({ items: [callback({})], total: 1, page: 1, pageSize: 20 });
        if (url === '/api/alarms/persons/41/summary') return json(summary());
        if (url === '/api/alarms/persons/41/contacts') return json({ items: contacts });
        if (url === '/api/alarms/persons/41/overrides') return json(overrides);
        if (url === '/api/alarms/rules') return json({ jurisdiction: '990101', rules: [] });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reaches a person’s hotline profile with the contacts action (a grid worker keeps contacts)', () => {
    expect(hotline.routes?.find((r) => r.path === 'hotline/persons/:id')?.action).toBe('hotline.contacts');
  });

  it('lists calls with complaints’ deadlines, the overdue one in red, and the person linked to the profile', async () => {
    await show('/hotline', '/hotline', <TicketsPage />);
    const late = byTestId('hl-deadline-12')!;
    expect(late.textContent).toContain('已超期');
    expect(late.className).toContain('ant-typography-danger');
    expect(byTestId('hl-deadline-13')!.className).not.toContain('ant-typography-danger');
    expect(byTestId('hl-deadline-13')!.textContent).toContain('应于 2026-12-05 10:00 前办结');
    expect(byTestId('hl-deadline-11')).toBeNull();
    expect(byTestId('hl-tickets')!.querySelector('a[href="/hotline/persons/41"]')).toBeTruthy();
    expect(fetched.some((u) => u.startsWith('/api/alarms/hotline/tickets?') && u.includes('status=open'))).toBe(true);
  });

  it('records a complaint call with the knowledge-base answer given, then shows the number’s earlier calls', async () => {
    await show('/hotline', '/hotline', <TicketsPage />);
    await click(byTestId('hl-new-call'));
    await click(inputOf('hl-call-kind-complaint'));
    expect(document.body.textContent).toContain('投诉须在规定天数内办结');
    await act(async () => typeText(byTestId('hl-call-phone'), '138 0000 1234'));
    await act(async () => typeText(byTestId('hl-call-name'), '王女士'));
    await act(async () => typeText(byTestId('hl-call-subject'), '助餐点饭菜偏咸'));
    await act(async () => typeText(byTestId('hl-call-notes'), '希望少盐'));
    // the knowledge base is searched from the form
    await act(async () => typeText(byTestId('hl-call-kb-q'), '助餐'));
    await click(byTestId('hl-call-kb')!.querySelector('.ant-input-search-button'));
    expect(fetched.some((u) => u === '/api/alarms/hotline/knowledge?q=%E5%8A%A9%E9%A4%90')).toBe(true);
    expect(byTestId('hl-call-kb-items')!.textContent).toContain('乡镇（街道）民政办');
    await click(byTestId('hl-call-kb-use-5'));
    expect(byTestId('hl-call-article')!.textContent).toContain('助餐服务怎么申请');
    await click(byTestId('hl-call-ok'));
    expect(sent.at(-1)).toEqual({
      url: '/api/alarms/hotline/tickets',
      method: 'POST',
      body: { kind: 'complaint', callerPhone: '138 0000 1234', callerName: '王女士', subject: '助餐点饭菜偏咸', notes: '希望少盐', articleId: 5 },
    });
    expect(byTestId('hl-ticket')!.textContent).toContain('助餐服务怎么申请');
    expect(byTestId('hl-earlier')!.textContent).toContain('#11 咨询助餐');
    // the complaint's tracking number, to read out to the caller, shown this once
    const tracking = byTestId('hl-complaint-tracking')!.textContent ?? '';
    expect(tracking).toContain('TS-7K3M-Q9XA-2BCD-EF4G');
    expect(tracking).toContain('/complaint/track');
  });

  it('tells people of one name apart in the call’s person picker: sex and age (周岁) beside the village (an ID’s mask shows only the region of issue)', async () => {
    await show('/hotline', '/hotline', <TicketsPage />);
    await click(byTestId('hl-new-call'));
    const select = byTestId('hl-call-person')!.closest('.ant-select')!;
    await act(async () => {
      select.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    await settle();
    await act(async () => typeText(select.querySelector('input'), '王桂兰'));
    await settle();
    const options = [...document.body.querySelectorAll('.ant-select-item-option')];
    expect(options.map((o) => o.textContent)).toEqual(['王桂兰 · 女 · 82 岁 · 城关社区', '王桂兰 · 女 · 67 岁 · 城关社区']);
    await act(async () => (options[1] as HTMLElement).click());
    await settle();
    await act(async () => typeText(byTestId('hl-call-subject'), '咨询助餐'));
    await click(byTestId('hl-call-ok'));
    expect(sent.at(-1)).toMatchObject({ url: '/api/alarms/hotline/tickets', body: { kind: 'consultation', subject: '咨询助餐', personId: 42 } });
  });

  it('names the hotline operator’s workbench tile of visit follow-ups for what it lists (not hotline tickets)', async () => {
    await show(
      '/',
      '/',
      <VisitsWorkbenchCard
        visits={{
          month: '2026-11',
          rate: { due: 0, done: 0, percent: null },
          rateLastMonth: { month: '2026-10', due: 0, done: 0, percent: null },
          targetPercent: 100,
          overdue: 0,
          overdueHighRisk: 0,
          escalationsOpen: 1,
          followupsOpen: 2,
          myDueToday: null,
        }}
      />,
    );
    const tile = byTestId('todo-visits-queue')!;
    expect(tile.getAttribute('href')).toBe('/visits/followups');
    expect(tile.textContent).toContain('我的探访跟进');
    expect(byTestId('workbench-visits')!.textContent).not.toContain('热线工单');
  });

  it('says in words what came of a closed call, linking the return call (never the server’s “callback:65”)', async () => {
    tickets.push(
      ticket({
        id: 14,
        kind: 'complaint',
        status: 'closed',
        subject: '助洁员迟到',
        outcome: 'answered',
        closedAt: '2026-11-30T03:00:00.000Z',
        followUp: 'callback:65',
      }),
    );
    await show('/hotline?ticket=14&status=all', '/hotline', <TicketsPage />);
    const drawer = byTestId('hl-ticket')!;
    expect(drawer.textContent).toContain('已安排回访（#65）');
    expect(drawer.textContent).not.toContain('callback:65');
    expect(drawer.querySelector('a[href="/hotline/callbacks?view=upcoming"]')).toBeTruthy();
    tickets.pop();
  });

  it('says a ticket came from a visit follow-up, linking the follow-ups, and what came of it besides', async () => {
    tickets.push(
      ticket({
        id: 15,
        kind: 'service_request',
        status: 'open',
        subject: '探访发现：需要安装紧急呼叫设备（跟进事项 41）',
        followUp: 'visit_followup:41,order:7',
        visitFollowupId: 41,
      }),
    );
    await show('/hotline?ticket=15&status=all', '/hotline', <TicketsPage />);
    const drawer = byTestId('hl-ticket')!;
    expect(drawer.textContent).toContain('来自探访跟进事项（#41）');
    expect(drawer.textContent).toContain('已转服务工单（#7）');
    expect(drawer.textContent).not.toContain('visit_followup:41');
    expect(drawer.querySelector('a[href="/visits/followups"]')).toBeTruthy();
    tickets.pop();
  });

  it('refuses a malformed caller number at the field before anything is sent', async () => {
    await show('/hotline', '/hotline', <TicketsPage />);
    await click(byTestId('hl-new-call'));
    await act(async () => typeText(byTestId('hl-call-phone'), '12ab'));
    await act(async () => typeText(byTestId('hl-call-subject'), '咨询'));
    await click(byTestId('hl-call-ok'));
    expect(sent).toEqual([]);
    expect(fieldError('hl-call-phone')).toContain('号码应为 7–20 位数字');
  });

  it('records a return call’s outcome with a note and shows what the server says', async () => {
    await show('/hotline/callbacks', '/hotline/callbacks', <CallbacksPage />);
    expect(fetched.some((u) => u.startsWith('/api/alarms/hotline/callbacks?') && u.includes('status=open') && u.includes('due=due'))).toBe(true);
    expect(byTestId('hl-callbacks')!.textContent).toContain('告警 #77');
    await click(byTestId('hl-cb-record-5'));
    await click(byTestId('hl-cb-ok'));
    expect(sent).toEqual([]);
    expect(document.body.textContent).toContain('请填写回访结果');
    await click(inputOf('hl-cb-outcome-no_answer'));
    await act(async () => typeText(byTestId('hl-cb-note'), '无人接听，明天再打'));
    await click(byTestId('hl-cb-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/hotline/callbacks/5/done', method: 'POST', body: { outcome: 'no_answer', note: '无人接听，明天再打' } });
    expect(document.body.textContent).toContain('未接通（第 1 次），还可再打 2 次');
  });

  it('shows a person’s profile: devices in words, alarm rule changes with their reason, contacts revealed to dial and added', async () => {
    session = supervisor;
    await show('/hotline/persons/41', '/hotline/persons/:id', <PersonPage />);
    expect(byTestId('hl-person')!.textContent).toContain('城关社区幸福路 8 号');
    // the register's sex code in words, as the alarm console says it
    expect(byTestId('hl-person')!.textContent).toContain('王桂兰 · 女 · 84 岁');
    expect(byTestId('hl-device-state-1')!.textContent).toContain('离线');
    expect(byTestId('hl-device-state-1')!.textContent).toContain('电量 12%');
    expect(byTestId('hl-person-devices')!.querySelector('a[href="/alarms/devices?device=1"]')).toBeTruthy();
    expect(byTestId('hl-ov-no_movement')!.textContent).toContain('08:00–20:00 生效；阈值 12 小时');
    expect(byTestId('hl-ov-change-no_movement')!.textContent).toContain('本人：08:00–20:00 生效；阈值 15 小时');
    expect(byTestId('hl-ov-change-no_movement')!.textContent).toContain('原因：夜班工作，白天睡觉');
    expect(byTestId('hl-ov-door_night')!.textContent).toContain('23:00–05:00 生效');

    // contacts: masked until revealed; the revealed number is a tel: link
    expect(byTestId('hl-ct-masked-7')!.textContent).toBe('139****5678');
    expect(document.body.textContent).not.toContain('13912345678');
    await click(byTestId('hl-ct-reveal-7'));
    expect(sent.at(-1)).toMatchObject({ url: '/api/alarms/contacts/7/reveal', method: 'POST' });
    expect(byTestId('hl-ct-dial-7')!.getAttribute('href')).toBe('tel:13912345678');
    expect(byTestId('hl-ct-masked-8')).toBeTruthy();

    await click(byTestId('hl-ct-add'));
    await act(async () => typeText(byTestId('hl-ct-name'), '王小明'));
    await act(async () => typeText(byTestId('hl-ct-phone'), '12'));
    await click(byTestId('hl-ct-ok'));
    expect(fieldError('hl-ct-phone')).toContain('号码应为 7–20 位数字');
    expect(sent.filter((s) => s.url === '/api/alarms/persons/41/contacts')).toEqual([]);
    await act(async () => typeText(byTestId('hl-ct-phone'), '13500009999'));
    await click(byTestId('hl-ct-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/alarms/persons/41/contacts', method: 'POST', body: { name: '王小明', relation: 'child', phone: '13500009999' } });
    expect(byTestId('hl-contacts')!.textContent).toContain('王小明');
  });

  it('moves a contact up by swapping the call order', async () => {
    await show('/hotline/persons/41', '/hotline/persons/:id', <PersonPage />);
    expect((byTestId('hl-ct-up-7') as HTMLButtonElement).disabled).toBe(true);
    await click(byTestId('hl-ct-up-8'));
    expect(sent.map((s) => [s.method, s.url, s.body])).toEqual([
      ['PATCH', '/api/alarms/contacts/8', { rank: 1 }],
      ['PATCH', '/api/alarms/contacts/7', { rank: 2 }],
    ]);
  });

  it('gives a grid worker the contacts without the operator’s summary', async () => {
    session = gridWorker;
    await show('/hotline/persons/41', '/hotline/persons/:id', <PersonPage />);
    expect(byTestId('hl-contacts')!.textContent).toContain('李建国');
    expect(fetched).not.toContain('/api/alarms/persons/41/summary');
    expect(fetched).not.toContain('/api/alarms/persons/41/overrides');
    expect(byTestId('hl-overrides')).toBeNull();
    // the page is titled with the person's name, from the register the grid worker may read
    expect(byTestId('hl-person-page')!.textContent).toContain('王桂兰 的热线档案');
  });
});
