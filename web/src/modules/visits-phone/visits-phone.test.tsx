// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { keepFindings, keepToday, memoryStoresForTests, visitOutbox } from './offline';
import { base64OfBytes, fitWithin, PhotoNotImage, pictureKind, preparePhoto } from './photo';
import { RecordVisitPage } from './record';
import { TodayPage } from './today';
import type { Checklist, RecordBody, RecordReply, TodayItem, TodayReply } from './types';
import { emptyVisitForm, localInput, suggestedFollowups, toBody, toggleFinding, validateVisit } from './visit-form';

const me = {
  user: { id: 11, username: 'grid1', displayName: '网格员甲', role: 'grid_worker', regionCode: '990101001001', regionName: '一村' },
  actions: ['visits.read', 'visits.record'],
  csrfToken: 'x',
};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

const person = (over: Partial<TodayItem>): TodayItem => ({
  dueId: 1,
  personId: 5,
  name: '王一',
  sex: '女',
  age: 86,
  regionCode: '990101001001',
  regionName: '一村',
  phoneMasked: '138****0023',
  tags: ['living_alone'],
  capabilityLevel: null,
  planKey: 'weekly_high_risk',
  planLabel: { zh: '每周探访', en: 'Weekly' },
  frequency: 'weekly',
  modes: ['home', 'phone', 'video'],
  minMinutes: { home: 10, phone: 5, video: 5 },
  windowStart: '2026-11-30',
  windowEnd: '2026-12-06',
  status: 'open',
  highRisk: true,
  missedWindow: null,
  missedInRow: 0,
  lastVisit: null,
  ...over,
});
const today: TodayReply = {
  on: '2026-11-30',
  worker: { id: 11, name: '网格员甲' },
  rate: { due: 4, done: 3, percent: 75 },
  rateLastMonth: { month: '2026-10', due: 10, done: 9, percent: 90 },
  items: [
    person({ dueId: 3, personId: 7, name: '李三', status: 'done', lastVisit: { on: '2026-11-30', mode: 'phone', findings: [] } }),
    person({}),
    person({ dueId: 2, personId: 6, name: '张二', status: 'missed', highRisk: false, frequency: 'monthly', modes: ['home'] }),
  ],
};
const checklist: Checklist = {
  groups: [
    { key: 'health', label: { zh: '身体状况', en: 'Health' } },
    { key: 'needs', label: { zh: '服务需求', en: 'Needs' } },
  ],
  findings: [
    { code: 'health.ok', group: 'health', zh: '身体状况良好', en: 'In good health', suggests: null },
    { code: 'health.fall', group: 'health', zh: '近期跌倒', en: 'A recent fall', suggests: 'reassessment' },
    { code: 'needs.meal', group: 'needs', zh: '需要助餐', en: 'Needs meal aid', suggests: 'home_service' },
  ],
  followupKinds: [
    { key: 'reassessment', label: { zh: '重新评估（状况变化）', en: 'Reassessment' } },
    { key: 'home_service', label: { zh: '上门服务需求', en: 'Home-service request' } },
  ],
  modes: [
    { key: 'home', label: { zh: '上门探访', en: 'Home visit' }, minMinutes: 10 },
    { key: 'phone', label: { zh: '电话', en: 'Phone' }, minMinutes: 5 },
  ],
  photoMaxBytes: 5_000_000,
};
const reply: RecordReply = { eventId: 90, merged: false, counted: true, dueId: 1, reason: null, reasonWords: null, followupIds: [] };
const bodyOf = (clientId: string): RecordBody => ({
  clientId,
  personId: 5,
  mode: 'phone',
  startedAt: '2026-11-30T02:00:00.000Z',
  endedAt: '2026-11-30T02:07:00.000Z',
  findings: ['health.ok'],
  notes: '状况稳定',
});
const meta = { personId: 5, name: '王一', mode: 'phone' as const, startedAt: '2026-11-30T02:00:00.000Z', endedAt: '2026-11-30T02:07:00.000Z', dueId: 1 };

describe('the visits outbox on the phone', () => {
  let posts: { url: string; body: Record<string, unknown>; csrf: string | null }[];
  let network: 'down' | 'up';
  let answer: (body: Record<string, unknown>, csrf: string | null) => Response;
  beforeEach(() => {
    memoryStoresForTests();
    posts = [];
    network = 'up';
    answer = () => json(reply);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (network === 'down') throw new TypeError('Failed to fetch');
        if (url === '/api/auth/me') return json(me);
        if (url === '/api/visits/record' && init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as Record<string, unknown>;
          const csrf = new Headers(init.headers).get('x-csrf-token');
          posts.push({ url, body, csrf });
          return answer(body, csrf);
        }
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps a visit waiting while the network is away, sends it once when it is back, and lets its notes leave the device', async () => {
    await visitOutbox.add(11, 'c-1', bodyOf('c-1'), meta);
    network = 'down';
    expect(await visitOutbox.syncAll(11)).toBe(false);
    expect((await visitOutbox.get(11, 'c-1'))?.state).toBe('waiting');
    expect(posts).toHaveLength(0);

    network = 'up';
    expect(await visitOutbox.syncAll(11)).toBe(true);
    const sent = await visitOutbox.get(11, 'c-1');
    expect(sent?.state).toBe('sent');
    expect(sent?.reply).toEqual(reply);
    // the server has the notes now: they are not kept on the phone
    expect(sent?.body).toBeNull();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ clientId: 'c-1', personId: 5, mode: 'phone', notes: '状况稳定' });

    // another pass, and another send of the same visit: nothing goes out again
    expect(await visitOutbox.syncAll(11)).toBe(true);
    expect(await visitOutbox.send(11, 'c-1')).toBe('unchanged');
    expect(posts).toHaveLength(1);
  });

  it('sends a visit twice asked at once only once', async () => {
    await visitOutbox.add(11, 'c-2', bodyOf('c-2'), meta);
    const [a, b] = await Promise.all([visitOutbox.send(11, 'c-2'), visitOutbox.send(11, 'c-2')]);
    expect([a, b].sort()).toEqual(['sent', 'unchanged']);
    expect(posts).toHaveLength(1);
  });

  it('asks for the CSRF token again when the page was loaded offline, then sends', async () => {
    answer = (_b, csrf) => (csrf === 'x' ? json(reply) : json({ error: { code: 'CSRF', message: '请求校验失败', details: null } }, 403));
    const { setCsrfToken } = await import('../../shared/api');
    setCsrfToken(null);
    await visitOutbox.add(11, 'c-3', bodyOf('c-3'), meta);
    expect(await visitOutbox.send(11, 'c-3')).toBe('sent');
    expect(posts.map((p) => p.csrf)).toEqual([null, 'x']);
  });

  it('keeps the server’s refusal with its words, and does not send it again', async () => {
    answer = () => json({ error: { code: 'VISIT_NOT_ASSIGNED', message: '此人未分派给您', details: null } }, 403);
    await visitOutbox.add(11, 'c-4', bodyOf('c-4'), meta);
    expect(await visitOutbox.syncAll(11)).toBe(true);
    const refused = await visitOutbox.get(11, 'c-4');
    expect(refused?.state).toBe('refused');
    expect(refused?.error).toMatchObject({ status: 403, code: 'VISIT_NOT_ASSIGNED', message: '此人未分派给您' });
    await visitOutbox.syncAll(11);
    expect(posts).toHaveLength(1);
  });

  it('tries again after a server error or a lost answer (the server merges the clientId)', async () => {
    let n = 0;
    answer = () => (++n === 1 ? json({ error: { code: 'INTERNAL', message: 'boom', details: null } }, 500) : json({ ...reply, merged: true }));
    await visitOutbox.add(11, 'c-5', bodyOf('c-5'), meta);
    expect(await visitOutbox.syncAll(11)).toBe(false);
    expect((await visitOutbox.get(11, 'c-5'))?.state).toBe('waiting');
    expect(await visitOutbox.syncAll(11)).toBe(true);
    expect((await visitOutbox.get(11, 'c-5'))?.reply?.merged).toBe(true);
    expect(posts.map((p) => p.body.clientId)).toEqual(['c-5', 'c-5']);
  });
});

describe('the visit form’s checks on the device', () => {
  const now = new Date('2026-11-30T10:00:00');
  const at = (h: number, m: number) => localInput(new Date(2026, 10, 30, h, m));
  it('refuses an end before the start with its own message', () => {
    const f = { ...emptyVisitForm(), mode: 'home' as const, start: at(9, 30), end: at(9, 10) };
    expect(validateVisit(f, { now, photoMaxBytes: null }).map((p) => p.key)).toEqual(['vp.err.endBeforeStart']);
  });
  it('refuses a missing mode or time, a start in the future, over 24 hours, a proxy without a name, a photo over the limit', () => {
    expect(validateVisit(emptyVisitForm(), { now, photoMaxBytes: null }).map((p) => p.key)).toEqual([
      'vp.err.mode',
      'vp.err.startMissing',
      'vp.err.endMissing',
    ]);
    const base = { ...emptyVisitForm(), mode: 'phone' as const };
    expect(validateVisit({ ...base, start: at(11, 0), end: at(11, 5) }, { now, photoMaxBytes: null }).map((p) => p.key)).toEqual([
      'vp.err.startFuture',
      'vp.err.endFuture',
    ]);
    expect(validateVisit({ ...base, start: localInput(new Date(2026, 10, 28, 9, 0)), end: at(9, 30) }, { now, photoMaxBytes: null }).map((p) => p.key)).toEqual(
      ['vp.err.tooLong'],
    );
    expect(
      validateVisit({ ...base, start: at(9, 0), end: at(9, 6), confirmation: 'proxy', proxyName: ' ' }, { now, photoMaxBytes: null }).map((p) => p.key),
    ).toEqual(['vp.err.proxyName']);
    const photo = { dataBase64: 'AA==', bytes: 6_000_000, keepLocation: true, name: 'a.jpg' };
    expect(validateVisit({ ...base, start: at(9, 0), end: at(9, 6), photo }, { now, photoMaxBytes: 5_000_000 })).toEqual([
      { field: 'photo', key: 'vp.err.photoLarge', vars: { max: '5' } },
    ]);
    // a mode the plan does not list
    expect(validateVisit({ ...base, start: at(9, 0), end: at(9, 6) }, { now, photoMaxBytes: null, modes: ['home'] }).map((p) => p.key)).toEqual([
      'vp.err.mode',
    ]);
    expect(validateVisit({ ...base, start: at(9, 0), end: at(9, 6) }, { now, photoMaxBytes: null })).toEqual([]);
  });
  it('offers the follow-ups the findings suggest, and an ok finding and its group’s problems exclude each other', () => {
    let f = toggleFinding([], 'health.ok', checklist.findings);
    f = toggleFinding(f, 'health.fall', checklist.findings);
    expect(f).toEqual(['health.fall']);
    f = toggleFinding(f, 'needs.meal', checklist.findings);
    expect(suggestedFollowups(f, checklist.findings).map((s) => s.id)).toEqual(['reassessment|health.fall', 'home_service|needs.meal']);
    const body = toBody(
      {
        ...emptyVisitForm(),
        mode: 'home',
        start: at(9, 0),
        end: at(9, 20),
        findings: f,
        followups: ['home_service|needs.meal', 'hotline|gone'],
        confirmation: 'proxy',
        proxyName: '女儿 王芳',
      },
      'c-9',
      5,
      checklist.findings,
    );
    expect(body.followups).toEqual([{ kind: 'home_service', finding: 'needs.meal' }]);
    expect(body.confirmation).toEqual({ kind: 'proxy', note: '女儿 王芳' });
    expect(body.endedAt > body.startedAt).toBe(true);
  });
});

describe('the visit photo on the phone', () => {
  it('is drawn at most 1600 px on its long side, never larger than it was', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(1200, 4800)).toEqual({ width: 400, height: 1600 });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
  });
  it('tells a file that is no picture from a picture by its first bytes', async () => {
    const bytes = (...b: (number | string)[]) => new Uint8Array(b.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));
    expect(pictureKind(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('jpeg');
    expect(pictureKind(bytes(0x89, 'PNG', 0x0d, 0x0a))).toBe('png');
    expect(pictureKind(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('webp');
    expect(pictureKind(bytes(0, 0, 0, 0x18, 'ftypheic'))).toBe('other');
    expect(pictureKind(bytes('%PDF-1.7'))).toBeNull();
    expect(pictureKind(bytes('探访记录'))).toBeNull();
    // a document chosen as the photo, even named .jpg: not an image, said so before anything is drawn
    const pdf = new File(['%PDF-1.7 a scanned form'], 'scan.jpg', { type: 'image/jpeg' });
    await expect(preparePhoto(pdf, false)).rejects.toBeInstanceOf(PhotoNotImage);
    await expect(preparePhoto(pdf, true)).rejects.toMatchObject({ reason: 'not_image' });
    // a HEIC kept as it is (with its location) is a picture the server does not take
    const heic = new File([bytes(0, 0, 0, 0x18, 'ftypheic', 0, 0, 0, 0)], 'IMG_1.heic', { type: 'image/heic' });
    await expect(preparePhoto(heic, true)).rejects.toMatchObject({ reason: 'format' });
    // a JPEG kept as it is goes as its bytes
    const jpeg = new File([bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3)], 'a.jpg', { type: 'image/jpeg' });
    expect(await preparePhoto(jpeg, true)).toEqual({ dataBase64: base64OfBytes(bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3)), bytes: 7 });
  });
  it('is sent as base64 of its bytes', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(base64OfBytes(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('the phone pages', () => {
  let root: Root;
  let container: HTMLDivElement;
  let online: boolean;
  beforeEach(async () => {
    localStorage.removeItem(LOCALE_KEY);
    memoryStoresForTests();
    online = false;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/auth/me') return json(me);
        if (!online) throw new TypeError('Failed to fetch');
        if (url === '/api/visits/today') return json(today);
        if (url === '/api/visits/findings') return json(checklist);
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
    await keepToday(11, today);
    await keepFindings(checklist);
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
                    <Route path="/m/visits" element={<TodayPage />} />
                    <Route path="/m/visits/:personId" element={<RecordVisitPage />} />
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

  it('opens today’s list offline from the phone: overdue first, the rate, and what is waiting to send', async () => {
    await visitOutbox.add(11, 'c-w', bodyOf('c-w'), meta);
    await show('/m/visits');
    expect(byTestId('vp-rate-value')?.textContent).toBe('75%');
    expect(byTestId('vp-rate-detail')?.textContent).toBe('已完成 3 / 应访 4');
    expect(byTestId('vp-offline')?.textContent).toContain('离线 — 1 条探访等待发送');
    const sections = [...container.querySelectorAll('[data-testid^="vp-section-"]')].map((s) => s.getAttribute('data-testid'));
    expect(sections).toEqual(['vp-section-missed', 'vp-section-open', 'vp-section-done']);
    const card = byTestId('vp-person-5')!;
    expect(card.textContent).toContain('王一');
    expect(card.textContent).toContain('86岁');
    expect(card.textContent).toContain('独居');
    expect(card.textContent).toContain('2026-11-30 至 2026-12-06');
    expect(card.textContent).toContain('尚无探访记录');
    expect(card.textContent).toContain('等待发送');
    expect(byTestId('vp-person-7')?.textContent).toContain('上次探访：2026-11-30 电话');
  });

  it('refuses on the phone a visit whose end is before its start, saying so, and queues nothing', async () => {
    await show('/m/visits/5');
    expect(byTestId('vp-person')?.textContent).toContain('王一');
    // only the plan's modes
    expect(byTestId('vp-mode-message')).toBeNull();
    await tap('vp-mode-home');
    await type('vp-start', '2026-11-30T09:30');
    await type('vp-end', '2026-11-30T09:10');
    await tap('vp-submit');
    expect(byTestId('vp-errors')?.textContent).toContain('结束时间早于开始时间，请改正后再保存');
    expect(byTestId('vp-error-end')?.textContent).toContain('结束时间早于开始时间');
    expect(await visitOutbox.list(11)).toEqual([]);
  });

  it('records a visit offline into the outbox with a clientId, its findings and follow-ups', async () => {
    await show('/m/visits/5');
    await tap('vp-mode-phone');
    // a call: started now, a running timer, ended now (0 minutes: it will not count, and the phone says so)
    await tap('vp-start-now');
    expect(byTestId('vp-timer')?.textContent).toContain('进行中');
    await tap('vp-end-now');
    expect(byTestId('vp-hint')?.textContent).toContain('时长不足 5 分钟');
    await tap('vp-finding-health.fall');
    await tap('vp-followup-reassessment|health.fall');
    await tap('vp-confirm-person');
    expect(byTestId('vp-submit')?.textContent).toContain('联网后自动发送');
    await tap('vp-submit');
    const [queued] = await visitOutbox.list(11);
    expect(queued?.state).toBe('waiting');
    expect(queued?.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(queued?.body).toMatchObject({
      clientId: queued?.clientId,
      personId: 5,
      mode: 'phone',
      findings: ['health.fall'],
      followups: [{ kind: 'reassessment', finding: 'health.fall' }],
      confirmation: { kind: 'person' },
    });
    expect(byTestId('vp-result')?.textContent).toContain('等待发送');
  });

  it('on the 1st shows last month’s rate beside this month’s, and on an overdue card the window that was missed beside the current one', async () => {
    await keepToday(11, {
      ...today,
      on: '2026-12-01',
      rate: { due: 7, done: 7, percent: 100 },
      rateLastMonth: { month: '2026-11', due: 130, done: 120, percent: 92.3 },
      items: [
        person({
          dueId: 8,
          personId: 8,
          name: '赵八',
          status: 'missed',
          frequency: 'monthly',
          windowStart: '2026-12-01',
          windowEnd: '2026-12-31',
          missedWindow: { start: '2026-11-01', end: '2026-11-30' },
          missedInRow: 1,
        }),
        person({
          dueId: 9,
          personId: 9,
          name: '钱九',
          status: 'missed',
          frequency: 'monthly',
          windowStart: '2026-12-01',
          windowEnd: '2026-12-31',
          missedWindow: { start: '2026-11-01', end: '2026-11-30' },
          missedInRow: 2,
        }),
        person({ dueId: 10, personId: 10, name: '孙十', status: 'open', frequency: 'monthly', windowStart: '2026-12-01', windowEnd: '2026-12-31' }),
      ],
    });
    await show('/m/visits');
    expect(byTestId('vp-rate-value')?.textContent).toBe('100%');
    expect(byTestId('vp-rate-detail')?.textContent).toBe('已完成 7 / 应访 7');
    expect(byTestId('vp-rate-last')?.textContent).toBe('上月 92.3%（120/130）');
    expect(byTestId('vp-missed-8')?.textContent).toBe('逾期：11-01 至 11-30 未探访');
    expect(byTestId('vp-window-8')?.textContent).toContain('每月 · 本期 2026-12-01 至 2026-12-31');
    expect(byTestId('vp-missed-9')?.textContent).toBe('逾期：11-01 至 11-30 未探访（连续 2 期）');
    // a card due this period says nothing of a miss
    expect(byTestId('vp-missed-10')).toBeNull();
    expect(byTestId('vp-window-10')?.textContent).toContain('每月 · 2026-12-01 至 2026-12-31');
    // a list kept by an older build (no last month, no missed window) still opens
    const { rateLastMonth: _gone, ...older } = today;
    void _gone;
    await keepToday(11, { ...older, items: older.items.map(({ missedWindow: _m, missedInRow: _n, ...i }) => i) } as unknown as typeof today);
    act(() => root.unmount());
    root = createRoot(container);
    await show('/m/visits');
    expect(byTestId('vp-rate-value')?.textContent).toBe('75%');
    expect(byTestId('vp-rate-last')).toBeNull();
    expect(byTestId('vp-person-6')?.textContent).toContain('2026-11-30 至 2026-12-06');
  });

  it('calls the home mode 上门 (Home visit), and keeps each confirmation option on one line', async () => {
    await show('/m/visits/5');
    // (Ant Design spaces a two-character button label: 上 门)
    expect(byTestId('vp-mode-home')?.textContent?.replace(/\s/g, '')).toBe('上门');
    for (const k of ['none', 'person', 'proxy']) expect(byTestId(`vp-confirm-${k}`)?.style.whiteSpace, k).toBe('nowrap');
    expect(byTestId('vp-confirm-proxy')?.textContent).toBe('他人代为确认');
    act(() => root.unmount());
    root = createRoot(container);
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/m/visits/5');
    expect(byTestId('vp-mode-home')?.textContent).toBe('Home visit');
  });

  it('says a file chosen as the photo that is no picture is not one, naming the kinds to choose', async () => {
    await show('/m/visits/5');
    const input = byTestId('vp-photo-input') as HTMLInputElement;
    const file = new File(['%PDF-1.7 a scanned form'], 'scan.pdf', { type: 'application/pdf' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(byTestId('vp-photo-error')?.textContent).toBe('所选文件不是图片（请选 JPEG、PNG 或 WebP 照片）');
    expect(byTestId('vp-photo-size')).toBeNull();
  });
});
